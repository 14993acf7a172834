// Restore code kept out of the Code section (rewind_store.h).
#include "io/rewind_store.h"

#include <fmt/format.h>

#include "io/binary_cursor.h"
#include "io/binary_sections.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/metadata.h"
#include "wasm_ckpt/snapshot_layout.h"

namespace wasm_ckpt {

namespace {
// A stub that traps: no local declarations, `unreachable`, `end`.
const std::vector<char> kStub = {0x00, 0x00, 0x0b};
} // namespace

FunctionBodies storedRestoreCode(const std::vector<char>& bytes) {
  FunctionBodies stored;
  bool seen = false;
  for (auto& span : binarySections(bytes)) {
    if (span.id != 0 || span.name != kRewindSectionName) continue;
    if (seen) throw Error(std::string("the module has two ") + kRewindSectionName + " sections");
    seen = true;
    Cursor in{reinterpret_cast<const uint8_t*>(bytes.data()), span.payload, span.end, "wasm-ckpt.rewind section"};
    uint32_t count = in.u32();
    for (uint32_t i = 0; i < count; i++) {
      uint32_t index = in.u32();
      Cursor body = in.sub(in.u32(), "wasm-ckpt.rewind section");
      if (!stored.empty() && index <= stored.rbegin()->first) in.malformed();
      stored[index].assign(reinterpret_cast<const char*>(body.data + body.pos), reinterpret_cast<const char*>(body.data + body.end));
    }
    if (!in.atEnd()) in.malformed();
  }
  return stored;
}

void placeRestoreCode(ModulePatch& patch, const FunctionBodies& stored, const std::set<uint32_t>& installed) {
  std::vector<char> section;
  appendUleb(section, stored.size());
  for (auto& [index, body] : stored) {
    appendUleb(section, index);
    appendUleb(section, body.size());
    section.insert(section.end(), body.begin(), body.end());
    patch.bodies[index] = installed.count(index) ? body : kStub;
  }
  for (uint32_t index : installed) {
    if (!stored.count(index)) throw Error(fmt::format("the module stores no code for function #{}", index));
  }
  patch.customSections[kRewindSectionName] = std::move(section);
}

std::set<uint32_t> restoreCodeFor(const ModuleMetadata& metadata, const std::set<uint32_t>& frameFunctions) {
  std::set<uint32_t> code(metadata.restoreOnly.begin(), metadata.restoreOnly.end());
  for (uint32_t ordinal : frameFunctions) {
    uint32_t copy = metadata.functions.at(ordinal).rewindIndex;
    if (copy != FrameLayout::kNoRewindCopy) code.insert(copy);
  }
  return code;
}

std::vector<char> stowRestoreCode(const std::vector<char>& bytes) {
  auto metadata = metadataOfBinary(bytes);
  if (!metadata) throw Error("internal error: an instrumented module without its wasm-ckpt section");
  std::set<uint32_t> every;
  for (uint32_t i = 0; i < metadata->functions.size(); i++) every.insert(i);
  ModulePatch patch;
  placeRestoreCode(patch, functionBodies(bytes, restoreCodeFor(*metadata, every)), {});
  patch.globals[metadata->runtime.flagsGlobal] = ConstantValue::i32(FLAG_REWIND_STORED);
  return patchModule(bytes, patch);
}

} // namespace wasm_ckpt
