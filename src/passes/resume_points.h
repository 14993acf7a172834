// The resume points of a flat function: where it can stop and later continue. A resume point is
// a poll point (a call to the poll marker) or a call that can unwind (a call to an instrumented
// function, or a call_indirect of a type that may reach one).
//
// ResumePoints numbers them 1..N in execution order (post-order is execution order in flat IR),
// so the resume points inside any subtree form one contiguous range (Range), and describes each
// for the frame layout. InsertPolls puts the entry poll first in the body; every other poll heads
// a loop, or comes between two chunks of a chunked loop (ChunkLoops). A rewind copy and its fast
// copy come from the same flat function, so both number their resume points alike.
#pragma once
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "wasm.h"

#include "passes/passes.h"
#include "wasm_ckpt/metadata.h"

namespace wasm_ckpt {

bool isPollMarker(wasm::Expression* curr);
bool isResumePoint(const UnwindRewindPlan& plan, wasm::Expression* curr);
// The first statement of `curr`, looking into blocks (null for an empty block).
wasm::Expression* firstStatement(wasm::Expression* curr);

// The resume points numbered lo..hi; empty when lo == 0.
struct Range {
  wasm::Index lo = 0, hi = 0;
  bool empty() const { return lo == 0; }
  void add(Range other);
};

class ResumePoints {
public:
  ResumePoints(const UnwindRewindPlan& plan, wasm::Expression* body);

  size_t count() const { return points.size(); }
  // The number of a resume point (a call or poll marker), 0 for other expressions.
  wasm::Index idOf(wasm::Expression* curr) const;
  // The resume points in `curr` (memoized: call it on the nodes of the numbered body only).
  Range range(wasm::Expression* curr);
  wasm::Expression* entryPoll() const { return entryPoll_; } // its marker, if any
  bool isLoopPoll(wasm::Index id) const { return loopPolls.count(id) > 0; } // all polls but the entry poll

  std::vector<ResumePoint> points; // per resume point, in order: its description for the layout
  std::vector<wasm::Name> callees; // per resume point, the callee of a direct call (no name otherwise)

private:
  ResumePoint describe(wasm::Expression* curr) const;

  std::unordered_map<wasm::Expression*, wasm::Index> ids;
  wasm::Expression* entryPoll_ = nullptr;
  std::unordered_set<wasm::Index> loopPolls;
  std::unordered_set<wasm::Expression*> loopHeaderPolls; // the markers of loop polls that head a loop
  std::unordered_map<wasm::Expression*, Range> ranges;
};

} // namespace wasm_ckpt
