// The transformations of the instrumentation pipeline, in the order instrument.cpp runs them.
#pragma once
#include <memory>
#include <set>
#include <vector>

#include "pass.h"
#include "wasm.h"

#include "wasm_ckpt/metadata.h"

namespace wasm_ckpt {

// Throws Error naming the first feature (and function) the strategies cannot handle yet.
void checkSupported(wasm::Module& module);

// Marks poll points: a call to runtime::pollMarker() at every function entry and loop header of
// the given functions.
std::unique_ptr<wasm::Pass> createInsertPollsPass(const std::set<wasm::Name>* functions);

// Makes the given (flat) functions able to unwind to the caller at every resume point, saving
// their frame, and to rewind from a saved frame. `layouts` receives one FrameLayout per
// function, indexed by the position of the function in `ordered`.
struct UnwindRewindPlan {
  std::vector<wasm::Name> ordered;            // frame ordinal -> function
  std::set<wasm::Name> canUnwind;             // calls to these are resume points
  std::vector<FrameLayout>* layouts = nullptr;
};
std::unique_ptr<wasm::Pass> createUnwindRewindPass(const UnwindRewindPlan* plan);

} // namespace wasm_ckpt
