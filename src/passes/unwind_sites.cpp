// The unwind sites of one transformed function: unwind tests and dead-local zeroing
// (unwind_sites.h).
#include "passes/unwind_sites.h"

#include <algorithm>
#include <map>
#include <string>

#include "wasm-builder.h"

#include "passes/frame_code.h"
#include "runtime/runtime_names.h"

namespace wasm_ckpt {
using namespace wasm;

Expression* UnwindSites::start(Index id) {
  if (context.role != Role::Fast && !points.isLoopPoll(id)) return context.builder.makeNop();
  auto* start = context.builder.makeBlock();
  siteOf[id] = sites.size();
  sites.push_back({start});
  return start;
}

Expression* UnwindSites::exitIfUnwinding(Index id, Expression* unwinding) {
  auto& builder = context.builder;
  if (!unwinding) unwinding = builder.makeGlobalGet(runtime::stateGlobal(), Type::i32);
  auto* exit = builder.makeBreak(context.unwindLabel);
  auto* exitPath = builder.makeSequence(context.setRid(id), exit);
  if (auto found = siteOf.find(id); found != siteOf.end()) {
    sites[found->second].exitPath = exitPath;
    sites[found->second].exit = exit;
  }
  return builder.makeIf(unwinding, exitPath);
}

void UnwindSites::zeroDeadLocals(Block* outer, const std::vector<Index>& frameLocals) {
  auto& builder = context.builder;
  auto* func = context.func;
  if (sites.empty()) return;
  std::vector<Block*> markers;
  for (auto& site : sites) markers.push_back(site.start);
  auto live = liveIgnoringEpilogue(context, outer, markers);
  using DeadSet = std::vector<Index>; // sorted
  std::map<DeadSet, std::vector<Site*>> sitesByDead;
  std::vector<const DeadSet*> firstSeen; // deterministic order
  for (auto& site : sites) {
    auto& alive = live[site.start];
    DeadSet dead;
    for (Index x : frameLocals) {
      if (!alive.count(x)) dead.push_back(x);
    }
    if (dead.empty()) continue;
    std::sort(dead.begin(), dead.end());
    auto [entry, added] = sitesByDead.try_emplace(std::move(dead));
    entry->second.push_back(&site);
    if (added) firstSeen.push_back(&entry->first);
  }
  std::vector<const DeadSet*> shared; // innermost first
  for (auto* dead : firstSeen) {
    if (sitesByDead[*dead].size() > 1) shared.push_back(dead);
  }
  std::stable_sort(shared.begin(), shared.end(), [](auto* a, auto* b) { return a->size() > b->size(); });
  std::map<const DeadSet*, Name> labelOf;
  for (auto* dead : shared) labelOf[dead] = Name("wasm_ckpt$zero" + std::to_string(labelOf.size()));
  auto zeroBytes = [&](const DeadSet& dead) {
    size_t bytes = 0;
    for (Index x : dead) bytes += func->getLocalType(x).getByteSize() + 3;
    return bytes;
  };
  // The shared set, other than `dead`, whose locals `dead` includes and whose zeroing is
  // the longest, if any.
  auto parentOf = [&](const DeadSet& dead) -> const DeadSet* {
    const DeadSet* best = nullptr;
    for (auto* candidate : shared) {
      if (candidate->size() >= dead.size() || (best && zeroBytes(*candidate) <= zeroBytes(*best))) continue;
      if (std::includes(dead.begin(), dead.end(), candidate->begin(), candidate->end())) best = candidate;
    }
    return best;
  };
  // Zeroes what of `dead` its parent does not, and returns the parent's label (or null).
  auto zeroesUpTo = [&](const DeadSet& dead, std::vector<Expression*>& code) -> Name {
    const DeadSet* parent = parentOf(dead);
    for (Index x : dead) {
      if (parent && std::binary_search(parent->begin(), parent->end(), x)) continue;
      code.push_back(builder.makeLocalSet(x, builder.makeConstantExpression(Literal::makeZero(func->getLocalType(x)))));
    }
    return parent ? labelOf[parent] : Name();
  };
  for (auto* dead : firstSeen) {
    auto& withDead = sitesByDead[*dead];
    if (withDead.size() > 1) continue;
    std::vector<Expression*> code;
    Name parent = zeroesUpTo(*dead, code);
    if (parent.is()) withDead[0]->exit->name = parent;
    code.insert(code.end(), withDead[0]->exitPath->list.begin(), withDead[0]->exitPath->list.end());
    withDead[0]->exitPath->list.set(code);
  }
  Name zeroed("wasm_ckpt$zeroed");
  // The body wrapped in the shared zeroing blocks so far, as the list of a block: each level's
  // zeroing goes into the list of the next level's block, not into a nameless block of its own,
  // whose only child a named block would then be (Binaryen's vacuum and merge-blocks search a
  // named block's only child for branches to it: once per level, over the whole body).
  std::vector<Expression*> nested = {outer->list[0]};
  for (auto* dead : shared) {
    Name label = labelOf[dead];
    for (auto* site : sitesByDead[*dead]) site->exit->name = label;
    if (nested.back()->type != Type::unreachable) nested.push_back(builder.makeBreak(zeroed));
    // Typed by hand: finalize() would search the whole body for branches, once per level.
    auto* within = builder.makeBlock(nested);
    within->name = label;
    within->finalize(Type::none, Block::HasBreak);
    nested = {within};
    Name parent = zeroesUpTo(*dead, nested);
    if (parent.is()) nested.push_back(builder.makeBreak(parent));
  }
  if (shared.empty()) return;
  auto* all = builder.makeBlock(nested);
  all->name = zeroed;
  all->finalize();
  outer->list[0] = all;
}

} // namespace wasm_ckpt
