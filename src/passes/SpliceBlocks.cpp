// Splices nameless blocks into the block that holds them, building each block's new list once.
// Binaryen's merge-blocks does the same one child at a time, copying the parent's whole list
// (into the module's arena, which frees nothing) per merged child: on a flat huge function, whose
// body holds a nameless block per statement, that is quadratic in time and memory (a generated
// function of 10,000 blocks: 2.5 GB). Run before merge-blocks, this leaves it the merges that
// need its analysis (named blocks, loops' tails, dropped blocks). Like merge-blocks, it merges
// only blocks without dead code, and keeps a value-carrying child only in the last place.
#include "passes/passes.h"

#include <vector>

#include "wasm.h"

namespace wasm_ckpt {

namespace {
using namespace wasm;

// The block that `item` is, if it can be spliced into the list that holds it (`last`: as that
// list's last item).
Block* spliceable(Expression* item, bool last) {
  auto* block = item->dynCast<Block>();
  if (!block || block->name.is() || block->list.empty()) return nullptr;
  if (!last && block->type.isConcrete()) return nullptr;
  for (Index i = 0; i + 1 < block->list.size(); i++) {
    if (block->list[i]->type == Type::unreachable) return nullptr; // dead code after it
  }
  return block;
}

struct SpliceBlocks : public WalkerPass<PostWalker<SpliceBlocks>> {
  bool isFunctionParallel() override { return true; }
  Pass* create() override { return new SpliceBlocks; }

  // Post-order: the children were spliced already, so one pass over the list suffices.
  void visitBlock(Block* curr) {
    auto& list = curr->list;
    bool any = false;
    for (Index i = 0; i < list.size() && !any; i++) any = spliceable(list[i], i + 1 == list.size());
    if (!any) return;
    std::vector<Expression*> spliced;
    appendSpliced(list, spliced);
    list.set(spliced);
  }
};
} // namespace

void appendSpliced(const ExpressionList& items, std::vector<Expression*>& out) {
  struct Pending {
    const ExpressionList* list;
    Index next;
    bool last; // the list's last item is the last of `items`
  };
  std::vector<Pending> pending{{&items, 0, true}}; // no recursion: nesting may be deep
  while (!pending.empty()) {
    auto& top = pending.back();
    if (top.next == top.list->size()) {
      pending.pop_back();
      continue;
    }
    Index i = top.next++;
    bool last = top.last && i + 1 == top.list->size();
    Expression* item = (*top.list)[i];
    if (auto* block = spliceable(item, last)) pending.push_back({&block->list, 0, last});
    else out.push_back(item);
  }
}

std::unique_ptr<Pass> createSpliceBlocksPass() { return std::make_unique<SpliceBlocks>(); }

} // namespace wasm_ckpt
