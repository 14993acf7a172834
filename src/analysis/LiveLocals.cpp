// Liveness of locals at marker blocks: Binaryen's LivenessWalker builds the basic blocks and
// flows liveness backwards between them; each marker is an extra "other" action in its basic
// block, and a backward scan of the block from its live-out set reads the set at the marker.
#include "analysis/live_locals.h"

#include "cfg/liveness-traversal.h"

namespace wasm_ckpt {
namespace {
using namespace wasm;

struct MarkerLiveness : public LivenessWalker<MarkerLiveness, Visitor<MarkerLiveness>> {
  std::unordered_set<Expression*> markers;

  void visitBlock(Block* curr) {
    // The block is visited after its (no) children, i.e. at its place in the flow.
    if (currBasicBlock && markers.count(curr)) currBasicBlock->contents.actions.emplace_back(getCurrentPointer());
  }
};
} // namespace

std::unordered_map<Block*, LocalIndexSet> liveLocalsAt(Module& module, Function* func,
                                                       const std::vector<Block*>& markers) {
  std::unordered_map<Block*, LocalIndexSet> live;
  for (auto* marker : markers) live[marker];
  MarkerLiveness walker;
  walker.markers.insert(markers.begin(), markers.end());
  walker.walkFunctionInModule(func, &module);
  for (auto& block : walker.basicBlocks) {
    if (!walker.liveBlocks.count(block.get())) continue;
    SetOfLocals now = block->contents.end;
    auto& actions = block->contents.actions;
    for (auto action = actions.rbegin(); action != actions.rend(); ++action) {
      if (action->isGet()) {
        now.insert(action->index);
      } else if (action->isSet()) {
        now.erase(action->index);
      } else if (action->isOther()) {
        auto& here = live[(*action->origin)->cast<Block>()];
        here.insert(now.begin(), now.end());
      }
    }
  }
  return live;
}

} // namespace wasm_ckpt
