// The unwind sites of one transformed function: unwind tests and dead-local zeroing
// (unwind_sites.h).
#include "passes/unwind_sites.h"

#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>

#include "wasm-builder.h"
#include "wasm-traversal.h"

#include "passes/frame_code.h"
#include "passes/passes.h"
#include "runtime/runtime_names.h"

namespace wasm_ckpt {
using namespace wasm;

namespace {
// For each label of `labels`, the index of the first of `statements` that branches to it (the
// number of statements if none does).
std::vector<Index> firstBranches(const std::vector<Expression*>& statements, const std::vector<Name>& labels) {
  struct Seeker : PostWalker<Seeker> {
    std::unordered_map<Name, Index> levelOf;
    std::vector<Index> first;
    Index current = 0;
    void visitBreak(Break* curr) {
      auto found = levelOf.find(curr->name);
      if (found != levelOf.end()) first[found->second] = std::min(first[found->second], current);
    }
  } seeker;
  for (Index i = 0; i < labels.size(); i++) seeker.levelOf[labels[i]] = i;
  seeker.first.assign(labels.size(), statements.size());
  for (Expression* statement : statements) {
    seeker.walk(statement);
    seeker.current++;
  }
  return seeker.first;
}
} // namespace

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
  if (shared.empty()) return;
  for (auto* dead : shared) {
    for (auto* site : sitesByDead[*dead]) site->exit->name = labelOf[dead];
  }
  // The labels that the statements of the body branch to, innermost first: the unwind exit's,
  // then the shared zeroing blocks'.
  std::vector<Name> chain = {context.unwindLabel};
  for (auto* dead : shared) chain.push_back(labelOf[dead]);
  std::vector<Expression*> statements;
  appendSpliced(outer->list[0]->cast<Block>()->list, statements);
  auto firsts = firstBranches(statements, chain);
  // Each level of the nest starts at the first statement that branches to it, or at the level
  // inside it if that starts earlier: the statements before it are not in it (Binaryen's
  // merge-blocks would move them out, one level at a time, re-typing both blocks each time).
  auto slice = [&](Index from, Index to) {
    return std::vector<Expression*>(statements.begin() + from, statements.begin() + to);
  };
  auto makeNamed = [&](Name name, const std::vector<Expression*>& list) {
    auto* block = builder.makeBlock(list);
    block->name = name;
    return block;
  };
  Name zeroed("wasm_ckpt$zeroed");
  Index start = firsts[0];
  std::vector<Expression*> nested; // the level built so far, as the list of a block
  if (start < statements.size()) {
    auto* unwind = makeNamed(context.unwindLabel, slice(start, statements.size()));
    unwind->finalize(Type::none, Block::HasBreak);
    nested = {unwind};
  }
  for (Index level = 1; level < chain.size(); level++) {
    auto* dead = shared[level - 1];
    Index from = std::min(start, firsts[level]);
    auto list = slice(from, start);
    list.insert(list.end(), nested.begin(), nested.end());
    start = from;
    if (list.empty() || list.back()->type != Type::unreachable) list.push_back(builder.makeBreak(zeroed));
    // Typed by hand: finalize() would search the whole body for branches, once per level.
    auto* within = makeNamed(chain[level], list);
    within->finalize(Type::none, Block::HasBreak);
    nested = {within};
    // Each level's zeroing goes into the list of the next level's block, not into a nameless
    // block of its own, whose only child a named block would then be (Binaryen's vacuum and
    // merge-blocks search a named block's only child for branches to it: once per level).
    Name parent = zeroesUpTo(*dead, nested);
    if (parent.is()) nested.push_back(builder.makeBreak(parent));
  }
  auto* all = makeNamed(zeroed, nested);
  all->finalize();
  auto body = slice(0, start);
  body.push_back(all);
  body.insert(body.end(), outer->list.begin() + 1, outer->list.end());
  outer->list.set(body);
}

} // namespace wasm_ckpt
