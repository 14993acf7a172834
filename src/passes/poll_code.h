// The poll code of one transformed function: what a poll marker becomes. A poll takes its
// weight off the countdown (countdown.h); when the countdown has run out, its slow path calls the
// run-time code (poll_slow), which may take a checkpoint, finish a restore or do nothing, and
// then leaves through the epilogue if that started an unwind.
//
// A loop-header poll of a function that is not huge keeps the slow path out of the loop (the
// hot loop then contains no call), behind a cold exit:
//   (block $done (loop $reenter (block $cold (loop $L <poll: br_if $cold> ...) (br $done))
//                               <slow path> (br $reenter)))
// After the slow path the loop is re-entered from the top, so its poll runs again: the countdown
// is raised by the poll's weight first, so that the same poll is not counted twice. Huge
// functions keep the slow path inline (UnwindRewindPlan::huge): the re-entry loop adds a loop
// level, which costs V8 registers.
#pragma once
#include <unordered_map>

#include "wasm.h"

#include "passes/countdown.h"
#include "passes/resume_points.h"
#include "passes/unwind_rewind.h"
#include "passes/unwind_sites.h"

namespace wasm_ckpt {

class PollCode {
public:
  PollCode(FunctionContext& context, CountdownCode& countdown, UnwindSites& sites, const ResumePoints& points)
    : context(context), countdown(countdown), sites(sites), points(points) {}

  // The poll of `marker` (resume point `id`) with its slow path inline; `handOver`, if any, runs
  // first on the slow path (a fast copy's entry poll hands a rewind over to the rewind copy).
  wasm::Expression* makePoll(wasm::Expression* marker, wasm::Index id, wasm::Expression* handOver = nullptr);

  // A loop whose header poll takes a cold exit: give its header marker a cold exit before
  // transforming the loop's body (where the marker becomes a branch to it: makePoll), then wrap
  // the transformed loop.
  void addColdExit(wasm::Expression* header);
  wasm::Expression* wrapWithColdExit(wasm::Loop* loop, wasm::Expression* header);

private:
  wasm::Expression* callSlowPath(wasm::Index id);

  FunctionContext& context;
  CountdownCode& countdown;
  UnwindSites& sites;
  const ResumePoints& points;
  std::unordered_map<wasm::Expression*, wasm::Name> coldExits; // loop-header poll marker -> its cold exit
};

} // namespace wasm_ckpt
