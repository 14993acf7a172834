// `wasm-ckpt resume`: turns an instrumented module and one of its snapshots into a module that
// continues from the snapshot when started, with no environment and no file access. The whole
// snapshot becomes the bytes of the run-time's passive data segment, which the run-time code
// reads exactly as it would read the file (so the same checks and the same restore code run);
// in addition the memory's initial size and the globals' initial values are set from the
// snapshot. Only those sections are rewritten (binary_patch.cpp): the code is the instrumented
// module's, byte for byte, except in a module that stores its restore code (rewind_store.h),
// which gets back what a restore from this snapshot runs. The result is sealed again, so that it can
// itself be baked.
#include "wasm_ckpt/bake.h"

#include <cstring>
#include <set>
#include <utility>

#include "io/binary_patch.h"
#include "io/rewind_store.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/metadata.h"
#include "wasm_ckpt/snapshot.h"
#include "wasm_ckpt/snapshot_layout.h"

namespace wasm_ckpt {

namespace {
ConstantValue constantAt(const uint8_t* p, ValueKind kind) {
  static const uint8_t kTypeCodes[] = {0x7f, 0x7e, 0x7d, 0x7c, 0x7b}; // by ValueKind
  ConstantValue value;
  value.type = kTypeCodes[size_t(kind)];
  std::memcpy(value.bytes.data(), p, valueKindSize(kind));
  return value;
}
} // namespace

std::vector<char> bakeSnapshot(const std::vector<char>& module, const Snapshot& snapshot) {
  if (module.size() < 8 || std::memcmp(module.data(), "\0asm", 4) != 0)
    throw Error("the module is not a binary module (`wasm-ckpt instrument` writes binary modules)");
  auto metadata = metadataOfBinary(module);
  if (!metadata) throw Error("the module was not instrumented by wasm-ckpt");
  try {
    checkSeal(module, *metadata);
  } catch (const Error& e) {
    throw Error(std::string("the module was ") + e.what());
  }
  metadata->checkSnapshot(snapshot);

  ModulePatch patch;
  patch.memoryMinimum = snapshot.memoryPages;
  size_t offset = 0;
  for (auto& saved : metadata->globals) {
    patch.globals[saved.index] = constantAt(snapshot.globals.data() + offset, saved.kind);
    offset += valueKindSize(saved.kind);
  }
  patch.segmentBytes = serializeSnapshot(snapshot);
  auto& where = metadata->runtime;
  patch.globals[where.bakedSizeGlobal] = ConstantValue::i32(uint32_t(patch.segmentBytes.size()));
  // A module that stores its restore code gets back what a restore from this snapshot runs.
  auto stored = storedRestoreCode(module);
  patch.globals[where.flagsGlobal] = ConstantValue::i32(FLAG_BAKED | (stored.empty() ? 0 : FLAG_REWIND_STORED));
  if (!stored.empty()) {
    std::set<uint32_t> frameFunctions;
    for (auto& frame : snapshot.frames) frameFunctions.insert(frame.function);
    placeRestoreCode(patch, stored, restoreCodeFor(*metadata, frameFunctions));
  }
  patch.segment = where.bakedSegment;
  std::vector<char> patched;
  try {
    patched = patchModule(module, patch);
  } catch (const Error& e) {
    throw Error(std::string("the module's wasm-ckpt section does not match the module: ") + e.what());
  }
  return sealModuleBytes(std::move(patched));
}

} // namespace wasm_ckpt
