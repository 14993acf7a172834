// The unwind sites of one transformed function: after each resume point, the test that leaves
// through the epilogue while unwinding, and, on the way there, the zeroing of the frame locals
// dead at that point.
//
// Zeroing: the epilogue stores every frame local, which would keep each of them alive on every
// path to an unwind. In the fast copy every resume point gets its zeroing: a value dead at a call
// but kept for the epilogue stays in a register or a stack slot across the call and everything
// before it, and in an interpreter's dispatch loop, with hundreds of calls that can unwind, the
// values of every case stay alive through every other case (SQLite ran 1.96x slower under
// TurboFan, 1.0-1.2x with the zeroing). The rewind copy and a guarded whole function get it at
// loop polls only, where the cost is paid per iteration: they run only after a restore or in the
// small-code mode, and each zeroing is code. Liveness at the fast copy's sites is its own: the
// rewind copy's guards let paths skip any statement, which keeps many more values alive on
// paper. Zeroing what the fast copy no longer reads is safe: after its resume point the rewind
// copy runs with $rid == 0, through every guard, exactly the fast copy's code.
#pragma once
#include <unordered_map>
#include <vector>

#include "wasm.h"

#include "passes/resume_points.h"
#include "passes/unwind_rewind.h"

namespace wasm_ckpt {

class UnwindSites {
public:
  UnwindSites(FunctionContext& context, const ResumePoints& points) : context(context), points(points) {}

  // Where the code of resume point `id` starts (an empty block, or a nop where the point gets no
  // zeroing): what is live here is what rewinding to it needs, the operands of its call (a
  // call_indirect's target!) included.
  wasm::Expression* start(wasm::Index id);
  // After resume point `id`: if the state (or `unwinding`) says "unwinding", set $rid to `id`
  // and leave through the epilogue.
  wasm::Expression* exitIfUnwinding(wasm::Index id, wasm::Expression* unwinding = nullptr);
  // Zeroes, on the way from each unwind site to the epilogue, the frame locals dead there (so
  // that the optimizer can end those values' lives early). "Dead" is read where the resume
  // point's code starts (a call does not change the value there: its result goes to a fresh
  // local), the epilogue's reads left out: it stores every frame local, and a value dead at the
  // site would otherwise be kept alive, often in memory, by every path to an unwind, such as the
  // cold exit of a hot loop. Sites with the same dead locals share one zeroing block (a 1171-site
  // function of SQLite's needs 150 of them), nested around the statements of the body (those of
  // the unwind block, the first item of `outer`, its nameless blocks spliced) right before the
  // epilogue, larger sets inside smaller ones:
  //   s0 (block $zeroed s1 (block $zero1 s2 (block $zero0 s3 (br $zeroed)) zero0 (br $zero1))
  //                     zero1)
  // Each level starts at the first statement that branches to it (s3 to $zero0, s2 to $zero1,
  // s1 to $zeroed, which the sites that zero nothing branch to), or at the level inside it if
  // that starts earlier; the statements before every level (s0) precede the nest. Built so in
  // linear time: Binaryen's merge-blocks would otherwise move the leading statements out one
  // level at a time, walking both blocks for branches at each move (on a huge function with
  // hundreds of levels, most of its optimization time). The unwind block is gone: it would end
  // right before a branch to $zeroed, and Binaryen's remove-unused-brs threads branches through
  // such a block only if that branch is the only other item of the level holding it.
  // A site or block whose dead locals include a shared block's zeroes only the rest and then
  // branches to that block (its "parent": above, zero0's set includes zero1's), so the dead
  // locals common to many sites are zeroed once in the code; this halves the zeroing code of a
  // printf with 130 sites. A site whose dead locals no other site shares zeroes them on its own
  // path: only shared sets are nested, as Binaryen's passes slow down with nesting depth.
  void zeroDeadLocals(wasm::Block* outer, const std::vector<wasm::Index>& frameLocals);

private:
  // A resume point's unwind site: `start` marks where liveness is read; `exit` is its branch to
  // the epilogue, which zeroDeadLocals retargets to a block that zeroes the frame locals dead
  // there.
  struct Site {
    wasm::Block* start;
    wasm::Block* exitPath = nullptr; // (rid = id, exit)
    wasm::Break* exit = nullptr;
  };

  FunctionContext& context;
  const ResumePoints& points;
  std::vector<Site> sites;
  std::unordered_map<wasm::Index, size_t> siteOf; // resume point id -> its entry in sites
  std::vector<wasm::Break*> exits; // every branch to the unwind label made here
};

} // namespace wasm_ckpt
