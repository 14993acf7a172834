// The frame record code of one transformed function (unwind_rewind.h shows where it goes):
//   - the prologue, taken only while rewinding, reloads $rid and the frame's locals from the
//     function's frame record (runtime frame_read, then a frame_load call per local);
//   - the fast copy's prologue instead hands a frame to rewind over to the rewind copy, which
//     finishes that call with guarded code;
//   - the epilogue, reached by the branch out of the body while unwinding, appends the frame
//     record (runtime frame_reserve), stores the frame's locals in it (a frame_store call per
//     local) and returns zeros.
// The frame codec's functions (runtime_names.h) keep this code at 4-5 bytes per local instead of
// an inline load or store's 7-8 (lean output of Lua and SQLite: 1.6-2.1% smaller).
// No instrumented function is entered while unwinding, so a non-zero state at entry means
// rewinding: one test on the path of every call.
#pragma once
#include <unordered_map>
#include <vector>

#include "wasm.h"

#include "analysis/live_locals.h"
#include "passes/countdown.h"
#include "passes/unwind_rewind.h"

namespace wasm_ckpt {

class FrameCode {
public:
  FrameCode(FunctionContext& context, CountdownCode& countdown) : context(context), countdown(countdown) {}

  // Installs, in a body of the shape of unwind_rewind.h, the prologue (if `rewinds`) and the
  // epilogue for a frame made of `locals`, in record order.
  void install(wasm::Block* inner, wasm::Block* outer, const std::vector<wasm::Index>& locals, size_t resumePoints,
               bool rewinds);
  // The fast copy's prologue: if the state says "rewinding", calls the rewind copy and returns
  // its result.
  wasm::Expression* makeHandOver(wasm::Name rewindCopy);
  // Of the locals the installed prologue reloads, those whose value some code can read: the
  // others need not be in the frame, in the prologue's order. Reads by the epilogue itself do
  // not count.
  std::vector<wasm::Index> localsReadAfterRewind(wasm::Block* outer);

private:
  uint32_t payloadSize(const std::vector<wasm::Index>& locals) const;
  wasm::Expression* makePrologue(const std::vector<wasm::Index>& locals, size_t resumePoints);
  wasm::Expression* makeEpilogue(const std::vector<wasm::Index>& locals);

  FunctionContext& context;
  CountdownCode& countdown;
};

// The locals live at each of `markers`, not counting the reads of the epilogue (the second
// statement of `outer`), which is set aside meanwhile.
std::unordered_map<wasm::Block*, LocalIndexSet> liveIgnoringEpilogue(FunctionContext& context, wasm::Block* outer,
                                                                     const std::vector<wasm::Block*>& markers);

} // namespace wasm_ckpt
