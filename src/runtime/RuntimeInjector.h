// Merges the run-time code (ckpt_runtime.c, compiled to wasm at build time) into a module and
// generates the per-module pieces it relies on. Everything the tool injects into modules is
// built here and by UnwindRewind and FastCopies (src/passes/UnwindRewind.cpp and its pieces).
#pragma once
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "wasm.h"

#include "wasm_ckpt/metadata.h"

namespace wasm_ckpt {

struct InjectedRuntime {
  std::vector<SavedGlobal> savedGlobals; // the program's mutable globals, snapshot order
  bool hasStart = false;                 // whether the module exports _start
  // The module imports its memory with a maximum size, which stays (the injector lifts the
  // maximum of a memory the module defines): a checkpoint at that size cannot be written.
  bool importedMemoryMax = false;
  // What the program may grow its memory to, in pages: its declared maximum, or wasm32's.
  uint32_t memoryLimitPages = 0;
};

// Call before the passes run: they emit calls to the run-time functions and globals.
InjectedRuntime injectRuntime(wasm::Module& module);
void setModuleHash(wasm::Module& module, uint64_t hash);
// The frame codec (runtime_names.h: frameStore, frameLoad) for locals of these kinds. Call once
// the frames are laid out.
void addFrameCodec(wasm::Module& module, const std::set<ValueKind>& kinds);
// Indices of the run-time pieces, for the metadata (call when the module is final).
RuntimeLocations locateRuntime(wasm::Module& module);
// The module hash the run-time writes into snapshots (a global's initial value).
uint64_t getModuleHash(wasm::Module& module, const RuntimeLocations& where);
// Bytes of the snapshot baked in by `resume`; 0 in a module as `instrument` wrote it.
uint32_t getBakedSize(wasm::Module& module, const RuntimeLocations& where);

} // namespace wasm_ckpt
