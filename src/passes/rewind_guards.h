// The rewind guards of a guarded copy (Role::Whole and Role::Rewind). While rewinding, control
// has to reach resume point $rid without running anything else, so, inside every block on the
// way:
//   - statements before the last child that holds a resume point run only if $rid == 0;
//   - children holding resume points run only if $rid == 0 or $rid is in their range (not
//     checked where a list has just one such child: the range is implied);
//   - an `if` holding resume points picks its arm by range while rewinding.
// Loop bodies start with their poll, which is their only resume point in call-free loops, so
// such loops get no guards at all.
//
// As only a rewind enters a rewind copy, $rid is not 0 there until its first resume point (and
// outside loops, which run again after a resume): the statements guarded by "$rid == 0" on the
// way are left out, and range guards need not test for 0 (lean's Code section: 4.21x -> 4.06x,
// bench).
#pragma once
#include <functional>

#include "wasm.h"

#include "passes/resume_points.h"
#include "passes/unwind_rewind.h"

namespace wasm_ckpt {

class RewindGuards {
public:
  RewindGuards(FunctionContext& context, ResumePoints& points)
    : context(context), points(points), surelyRewinding(context.role == Role::Rewind) {}

  // Guards the children of a block, transforming those that hold resume points with `transform`.
  void guardList(wasm::ExpressionList& list, const std::function<wasm::Expression*(wasm::Expression*)>& transform);
  // An `if` holding resume points: transforms its arms with `transform`, then makes its condition
  // pick the arm that holds $rid while rewinding.
  void guardIf(wasm::If* iff, const std::function<wasm::Expression*(wasm::Expression*)>& transform);
  // A loop's body runs again after a resume inside it.
  void enterLoop() { surelyRewinding = false; }

private:
  wasm::Expression* inRange(Range r);
  wasm::Expression* notRewinding();

  FunctionContext& context;
  ResumePoints& points;
  // While transforming: every path from the entry to here passes no resume point and no loop
  // header, in a rewind copy: $rid is then not 0, so code guarded by "$rid == 0" never runs.
  bool surelyRewinding;
};

} // namespace wasm_ckpt
