// Merges the locals of functions with very many locals (kManyLocals or more), in time linear in
// the function and its interferences. Binaryen's coalesce-locals assigns locals by comparing
// every pair of them (twice, once per order it tries) in matrices that become hash maps past
// 8,192 locals: a flattened function of 75,000 expressions has about 25,000 locals and took it
// 123 s. This pass makes the same analysis (liveness, then interference where two live locals
// may hold different values, then a greedy assignment that prefers merging copies) but keeps the
// interferences in adjacency lists and tries one order, so that coalesce-locals, run after it,
// finishes on a few dozen locals. Functions with fewer locals are left alone: their output is
// exactly coalesce-locals'.
#include "passes/passes.h"

#include <algorithm>

#include "cfg/liveness-traversal.h"
#include "ir/numbering.h"
#include "ir/utils.h"
#include "literal.h"

namespace wasm_ckpt {

namespace {
using namespace wasm;

struct CoalesceManyLocals : public WalkerPass<LivenessWalker<CoalesceManyLocals, Visitor<CoalesceManyLocals>>> {
  Index manyLocals;
  explicit CoalesceManyLocals(Index manyLocals) : manyLocals(manyLocals) {}

  bool isFunctionParallel() override { return true; }
  bool invalidatesDWARF() override { return true; }
  Pass* create() override { return new CoalesceManyLocals(manyLocals); }

  // local -> the locals it interferes with (both directions, may repeat)
  std::vector<std::vector<Index>> interferences;
  // local -> (other local, copies between them)
  std::vector<std::vector<std::pair<Index, Index>>> copyPartners;

  void interfere(Index a, Index b) {
    if (a == b) return;
    interferences[a].push_back(b);
    interferences[b].push_back(a);
  }

  void doWalkFunction(Function* func) {
    if (func->getNumLocals() < manyLocals) return;
    super::doWalkFunction(func);
    calculateInterferences();
    collectCopies();
    applyIndices(pickIndices());
  }

  // As coalesce-locals: within each block, a set that some get reads interferes with every other
  // live local holding a different value (value numbering inside the block; a block's live-in
  // locals each hold a value of their own). Parameters interfere with each other and with the
  // locals whose zero-initial value is live at entry.
  void calculateInterferences() {
    auto* func = getFunction();
    interferences.assign(numLocals, {});
    std::vector<Index> values(numLocals);
    ValueNumbering valueNumbering;
    for (auto& block : basicBlocks) {
      if (!liveBlocks.count(block.get())) continue;
      auto& actions = block->contents.actions;
      std::vector<bool> endsLiveRange(actions.size(), false);
      auto live = block->contents.end;
      for (int i = int(actions.size()) - 1; i >= 0; i--) {
        auto& action = actions[i];
        if (action.isGet()) {
          if (!live.has(action.index)) {
            endsLiveRange[i] = true;
            live.insert(action.index);
          }
        } else if (action.isSet() && live.erase(action.index)) {
          action.effective = true;
        }
      }
      if (block.get() == entry) {
        for (Index i = 0; i < func->getNumLocals(); i++) {
          auto type = func->getLocalType(i);
          values[i] = func->isParam(i) || !LiteralUtils::canMakeZero(type)
                        ? valueNumbering.getUniqueValue()
                        : valueNumbering.getValue(Literal::makeZeros(type));
        }
      } else {
        for (auto index : block->contents.start) values[index] = valueNumbering.getUniqueValue();
      }
      for (Index i = 0; i < actions.size(); i++) {
        auto& action = actions[i];
        if (action.isGet()) {
          if (endsLiveRange[i]) live.erase(action.index);
          continue;
        }
        if (!action.isSet()) continue;
        auto* set = (*action.origin)->cast<LocalSet>();
        Index value = set->value->is<LocalGet>() || set->value->is<LocalSet>()
                        ? values[actions[i - 1].index] // a copy: the get or tee just before
                        : valueNumbering.getValue(set->value);
        values[action.index] = value;
        if (!action.effective) continue;
        for (auto other : live) {
          if (values[other] != value) interfere(other, action.index);
        }
        live.insert(action.index);
      }
    }
    auto numParams = func->getNumParams();
    for (Index i = 0; i < numParams; i++) {
      for (Index j = i + 1; j < numParams; j++) interfere(i, j);
    }
    for (auto i : entry->contents.start) {
      if (i >= numParams) {
        for (Index j = 0; j < numParams; j++) interfere(j, i);
      }
    }
  }

  // The copies LivenessWalker counted (a set of a get, or of an if with a get arm), per local.
  void collectCopies() {
    copyPartners.assign(numLocals, {});
    for (auto& block : basicBlocks) {
      if (!liveBlocks.count(block.get())) continue;
      for (auto& action : block->contents.actions) {
        if (!action.isSet()) continue;
        auto* set = (*action.origin)->cast<LocalSet>();
        auto* get = getCopy(set);
        if (!get || get->index == set->index) continue;
        copyPartners[set->index].emplace_back(get->index, getCopies(set->index, get->index));
        copyPartners[get->index].emplace_back(set->index, getCopies(set->index, get->index));
      }
    }
  }

  // Greedy: parameters keep their index; the other locals, most copied first (then in index
  // order), take the index of a copy partner if no local there interferes, else the lowest index
  // of their type where none does, else a new one.
  std::vector<Index> pickIndices() {
    auto* func = getFunction();
    auto numParams = func->getNumParams();
    std::vector<Index> order(numLocals);
    for (Index i = 0; i < numLocals; i++) order[i] = i;
    std::stable_sort(order.begin() + numParams, order.end(),
                     [&](Index a, Index b) { return totalCopies[a] > totalCopies[b]; });
    const Index unassigned = Index(-1);
    std::vector<Index> indices(numLocals, unassigned);
    std::vector<Type> types;                 // new index -> its type
    std::vector<Index> blockedBy(numLocals); // new index -> the last local it was blocked for (+1)
    std::vector<Index> copyWeight(numLocals, 0);
    for (Index i = 0; i < numParams; i++) {
      indices[i] = i;
      types.push_back(func->getLocalType(i));
    }
    for (Index k = numParams; k < numLocals; k++) {
      Index local = order[k];
      Type type = func->getLocalType(local);
      for (auto other : interferences[local]) {
        if (indices[other] != unassigned) blockedBy[indices[other]] = local + 1;
      }
      auto free = [&](Index index) { return blockedBy[index] != local + 1 && types[index] == type; };
      Index chosen = unassigned, best = 0;
      for (auto& [partner, copies] : copyPartners[local]) {
        Index index = indices[partner];
        if (index == unassigned || !free(index)) continue;
        copyWeight[index] += copies;
        if (copyWeight[index] > best || (copyWeight[index] == best && index < chosen)) {
          chosen = index;
          best = copyWeight[index];
        }
      }
      for (auto& [partner, _] : copyPartners[local]) {
        if (indices[partner] != unassigned) copyWeight[indices[partner]] = 0;
      }
      for (Index index = 0; chosen == unassigned && index < types.size(); index++) {
        if (free(index)) chosen = index;
      }
      if (chosen == unassigned) {
        chosen = Index(types.size());
        types.push_back(type);
      }
      indices[local] = chosen;
    }
    return indices;
  }

  // As coalesce-locals: renumber, drop the copies that became a local to itself and turn the
  // sets that nothing reads into drops (or their value, for a tee).
  void applyIndices(const std::vector<Index>& indices) {
    for (auto& block : basicBlocks) {
      for (auto& action : block->contents.actions) {
        if (action.isGet()) {
          auto* get = (*action.origin)->cast<LocalGet>();
          get->index = indices[get->index];
        } else if (action.isSet()) {
          auto* set = (*action.origin)->cast<LocalSet>();
          set->index = indices[set->index];
          if (auto* get = set->value->dynCast<LocalGet>(); get && get->index == set->index) {
            action.removeCopy();
            continue;
          }
          if (auto* inner = set->value->dynCast<LocalSet>(); inner && inner->index == set->index) {
            set->value = inner->value;
            continue;
          }
          if (!action.effective) {
            *action.origin = set->value;
            if (!set->isTee()) {
              auto* drop = ExpressionManipulator::convert<LocalSet, Drop>(set);
              drop->value = *action.origin;
              *action.origin = drop;
            }
          }
        }
      }
    }
    auto* func = getFunction();
    auto numParams = func->getNumParams();
    Index newNumLocals = numParams;
    for (auto index : indices) newNumLocals = std::max(newNumLocals, index + 1);
    auto oldVars = func->vars;
    func->vars.resize(newNumLocals - numParams);
    for (Index index = numParams; index < numLocals; index++) {
      if (indices[index] >= numParams) func->vars[indices[index] - numParams] = oldVars[index - numParams];
    }
    func->localNames.clear();
    func->localIndices.clear();
  }
};
} // namespace

std::unique_ptr<Pass> createCoalesceManyLocalsPass() { return createCoalesceManyLocalsPass(kManyLocals); }
std::unique_ptr<Pass> createCoalesceManyLocalsPass(Index manyLocals) { return std::make_unique<CoalesceManyLocals>(manyLocals); }

} // namespace wasm_ckpt
