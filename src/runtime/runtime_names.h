// Names that the passes and the run-time injector agree on. The run-time functions come from
// ckpt_runtime.c (its export names, prefixed); the globals are created by the injector.
#pragma once
#include <string>

#include "wasm.h"

#include "wasm_ckpt/metadata.h"
#include "wasm_ckpt/snapshot_layout.h"

namespace wasm_ckpt::runtime {

inline wasm::Name functionName(const char* exportName) { return wasm::Name(std::string("wasm_ckpt$") + exportName); }
inline wasm::Name pollSlow() { return functionName("poll_slow"); }
inline wasm::Name frameRead() { return functionName("frame_read"); }
inline wasm::Name frameReserve() { return functionName("frame_reserve"); }
inline wasm::Name start() { return functionName("start"); }
// The run-time code's restore entries: only a restore calls them (analysis/restore_only.h).
inline wasm::Name restoreBegin() { return functionName("restore_begin"); }
inline wasm::Name restoreFinish() { return functionName("restore_finish"); }
// The frame codec (RuntimeInjector's addFrameCodec): the epilogue stores a frame's locals with a
// frameStore(kind) call per local, the prologue reads them back in the same order with a
// frameLoad(kind) call per local, each at a cursor that moves past the value (SLOT_FRAME_CURSOR,
// set by frame_reserve and frame_read). A call and its operand take 4-5 bytes where an inline
// store or load took 7-8, and the value stack of the function stays as high as an inline store's
// (calls chained through their results grew a baseline compiler's frames: Liftoff's, by 8%).
inline wasm::Name frameStore(ValueKind kind) { return functionName((std::string("frame_store.") + valueKindName(kind)).c_str()); }
inline wasm::Name frameLoad(ValueKind kind) { return functionName((std::string("frame_load.") + valueKindName(kind)).c_str()); }
inline wasm::Name growMemory() { return functionName("grow_memory"); }
inline wasm::Name memorySize() { return functionName("memory_size"); }
// `(call $poll_marker (i32.const WEIGHT))`, a call to a no-op function, marks a poll point that
// counts for WEIGHT polls until UnwindRewind expands it.
inline wasm::Name pollMarker() { return wasm::Name("wasm_ckpt$poll_marker"); }
// The copy of an instrumented function that rewinds its frames (UnwindRewind's Role::Rewind).
inline wasm::Name rewindCopyName(wasm::Name function) { return wasm::Name("wasm_ckpt$rewind$" + std::string(function.str)); }

// The wrapper through which the program calls an import that may call back (CountHostCalls).
inline wasm::Name hostCallWrapperName(wasm::Name import) { return wasm::Name("wasm_ckpt$host$" + std::string(import.str)); }
inline bool isHostCallWrapper(wasm::Name name) { return name.startsWith("wasm_ckpt$host$"); }

inline wasm::Name i32Slot(unsigned slot) { return wasm::Name("wasm_ckpt$i32." + std::to_string(slot)); }
inline wasm::Name i64Slot(unsigned slot) { return wasm::Name("wasm_ckpt$i64." + std::to_string(slot)); }
inline wasm::Name stateGlobal() { return i32Slot(SLOT_STATE); }
inline wasm::Name countdownGlobal() { return i32Slot(SLOT_COUNTDOWN); }
inline wasm::Name moduleHashGlobal() { return wasm::Name("wasm_ckpt$module_hash"); }
inline wasm::Name bakedSizeGlobal() { return wasm::Name("wasm_ckpt$baked_size"); }
inline bool isRuntimeName(wasm::Name name) { return name.startsWith("wasm_ckpt$"); }

} // namespace wasm_ckpt::runtime
