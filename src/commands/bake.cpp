// `wasm-ckpt resume`: turns an instrumented module and one of its snapshots into a module that
// continues from the snapshot when started, with no environment and no file access. The whole
// snapshot becomes a passive data segment that the run-time code reads exactly as it would read
// the file (so the same checks and the same restore code run); in addition the memory's initial
// size and the globals' initial values are set from the snapshot.
#include "wasm_ckpt/bake.h"

#include <cstring>

#include "wasm.h"

#include "runtime/RuntimeInjector.h"
#include "support/le_codec.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/metadata.h"
#include "wasm_ckpt/module_io.h"
#include "wasm_ckpt/snapshot.h"

namespace wasm_ckpt {

namespace {
wasm::Literal literalAt(const uint8_t* p, ValueKind kind) {
  int64_t v = valueKindSize(kind) >= 8 ? int64_t(loadLE64(p)) : int64_t(loadLE32(p));
  switch (kind) {
    case ValueKind::I32: return wasm::Literal(int32_t(v));
    case ValueKind::I64: return wasm::Literal(v);
    case ValueKind::F32: return wasm::Literal(int32_t(v)).castToF32();
    case ValueKind::F64: return wasm::Literal(v).castToF64();
    case ValueKind::V128: {
      std::array<uint8_t, 16> bytes;
      std::memcpy(bytes.data(), p, 16);
      return wasm::Literal(bytes.data());
    }
  }
  return wasm::Literal();
}
} // namespace

void bakeSnapshot(wasm::Module& module, const Snapshot& snapshot) {
  auto metadata = ModuleMetadata::fromModule(module);
  if (!metadata) throw Error("the module was not instrumented by wasm-ckpt");
  if (getModuleHash(module, metadata->runtime) != metadata->moduleHash)
    throw Error("the module's wasm-ckpt section does not match the module");
  metadata->checkSnapshot(snapshot);
  auto& memory = module.memory;
  if (memory.imported()) throw Error("cannot bake into a module whose memory is imported");
  memory.initial = std::max<wasm::Address::address64_t>(memory.initial, snapshot.memoryPages);

  size_t offset = 0;
  for (auto& saved : metadata->globals) {
    if (saved.index >= module.globals.size()) throw Error("the module's wasm-ckpt section does not match the module");
    auto* global = module.globals[saved.index].get();
    if (!global->imported()) {
      global->init->cast<wasm::Const>()->value = literalAt(snapshot.globals.data() + offset, saved.kind);
    }
    offset += valueKindSize(saved.kind);
  }
  setBakedSnapshot(module, metadata->runtime, serializeSnapshot(snapshot));
  // Reading multi-value code back into Binaryen IR spills each multi-value call's results through
  // scratch locals: Lua's lean module comes out with a Code section 16.6% larger than the
  // instrumented module's written as it is, 13.2% larger with its Stack IR optimized.
  optimizeStackIR(module, metadata->provenance.optimizeLevel);
}

} // namespace wasm_ckpt
