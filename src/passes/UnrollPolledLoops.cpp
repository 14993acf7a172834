// Runs the body of each small, call-free polled loop twice per trip around the loop, so that
// its poll (which InsertPolls then puts at the loop header) comes once every two iterations:
//
//   (loop $l B)   =>   (block $exit
//                        (loop $l
//                          (block $next B[br $l -> br $next] (br $exit))
//                          B'))
//
// B' is a copy of B, its labels made unique afterwards (Binaryen's UniqueNameMapper, as its
// parsers do). The first iteration goes on to the second by branching to $next where B branched
// back to $l, and leaves the loop where B fell through its end; the second, B', keeps B's back
// edges and its end. A loop whose body never falls through (type
// unreachable: `loop { ...; br $l }`) needs no $exit, and keeps its type.
//
// Why: a loop whose trip count is not known on entry (a scan `while (x[i] < p) i++`, a hash
// probe, an insertion sort's shifting loop) polls per iteration. Its body is a handful of
// instructions, to which the poll adds a decrement and a branch, and the loop carries the
// countdown in a register: a sixth of such a loop's instructions. Two iterations per poll halve
// that. The poll's weight counts both (loop_bounds.h, LoopPolls::unrolled), and the work between
// two polls stays that of a few dozen expressions. Only small bodies (kMaxUnrolledBody) are
// copied, so the code grows little; a body with a call or a loop is never copied, so the loop's
// poll stays its only resume point.
#include <map>
#include <memory>

#include "ir/branch-utils.h"
#include "ir/label-utils.h"
#include "ir/utils.h"
#include "parsing.h"
#include "passes/passes.h"
#include "wasm-builder.h"

namespace wasm_ckpt {

namespace {
using namespace wasm;

struct UnrollPolledLoops : public WalkerPass<PostWalker<UnrollPolledLoops>> {
  PollPlacement* placement;
  explicit UnrollPolledLoops(PollPlacement* placement) : placement(placement) {}

  bool isFunctionParallel() override { return true; }
  Pass* create() override { return new UnrollPolledLoops(placement); }

  const PollSites* current = nullptr;
  size_t found = 0;
  std::unique_ptr<LabelUtils::LabelManager> labels;

  void visitLoop(Loop* curr) {
    if (!current->unrolled.count(curr)) return;
    found++;
    Builder builder(*getModule());
    bool fallsThrough = curr->type == Type::none;
    Name next = labels->getUnique("wasm_ckpt$next_iteration");
    Name exit = fallsThrough ? labels->getUnique("wasm_ckpt$loop_exit") : Name();
    auto* second = ExpressionManipulator::copy(curr->body, *getModule());
    auto* first = curr->body;
    BranchUtils::replaceBranchTargets(first, curr->name, next);
    auto* firstBlock = builder.makeBlock(next, first);
    if (fallsThrough) firstBlock->list.push_back(builder.makeBreak(exit));
    firstBlock->finalize(Type::none);
    curr->body = builder.makeSequence(firstBlock, second);
    curr->finalize();
    if (fallsThrough) {
      auto* outside = builder.makeBlock(exit, curr);
      outside->finalize(Type::none);
      replaceCurrent(outside);
    }
  }

  void doWalkFunction(Function* func) {
    auto sites = placement->sites.find(func->name);
    if (sites == placement->sites.end() || sites->second.unrolled.empty()) return;
    current = &sites->second;
    labels = std::make_unique<LabelUtils::LabelManager>(func);
    PostWalker<UnrollPolledLoops>::doWalkFunction(func);
    checkLoopsFound(*placement, "UnrollPolledLoops", *func, found, current->unrolled.size());
    // Each copy repeats the labels its original defines: Binaryen IR wants them unique.
    UniqueNameMapper::uniquify(func->body);
  }
};
} // namespace

std::unique_ptr<Pass> createUnrollPolledLoopsPass(PollPlacement* placement) {
  return std::make_unique<UnrollPolledLoops>(placement);
}

} // namespace wasm_ckpt
