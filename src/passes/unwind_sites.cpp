// The unwind sites of one transformed function: unwind tests and dead-local zeroing
// (unwind_sites.h).
#include "passes/unwind_sites.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

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
  exits.push_back(exit);
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
  // Sets as bits, one per frame local: a function with thousands of sites has thousands of sets
  // to find a parent for among hundreds of shared ones.
  std::unordered_map<Index, Index> bitOf;
  for (Index x : frameLocals) bitOf.emplace(x, bitOf.size());
  size_t words = (bitOf.size() + 63) / 64;
  auto bitsOf = [&](const DeadSet& dead) {
    std::vector<uint64_t> bits(words);
    for (Index x : dead) bits[bitOf[x] / 64] |= uint64_t(1) << (bitOf[x] % 64);
    return bits;
  };
  struct Candidate {
    const DeadSet* dead;
    std::vector<uint64_t> bits;
  };
  std::vector<Candidate> candidates; // the longest zeroing first, then innermost first
  for (auto* dead : shared) candidates.push_back({dead, bitsOf(*dead)});
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](auto& a, auto& b) { return zeroBytes(*a.dead) > zeroBytes(*b.dead); });
  // The shared set, other than `dead`, whose locals `dead` includes and whose zeroing is
  // the longest, if any.
  auto parentOf = [&](const DeadSet& dead) -> const DeadSet* {
    auto bits = bitsOf(dead);
    for (auto& candidate : candidates) {
      if (candidate.dead->size() >= dead.size()) continue;
      bool included = true;
      for (size_t w = 0; w < words && included; w++) included = !(candidate.bits[w] & ~bits[w]);
      if (included) return candidate.dead;
    }
    return nullptr;
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
  Name zeroed("wasm_ckpt$zeroed");
  for (auto* dead : shared) {
    for (auto* site : sitesByDead[*dead]) site->exit->name = labelOf[dead];
  }
  // The sites that zero nothing leave for the epilogue directly: the unwind block would end right
  // before a branch there.
  for (auto* exit : exits) {
    if (exit->name == context.unwindLabel) exit->name = zeroed;
  }
  std::vector<Name> labels; // innermost first
  for (auto* dead : shared) labels.push_back(labelOf[dead]);
  labels.push_back(zeroed);
  std::vector<Expression*> statements;
  appendSpliced(outer->list[0]->cast<Block>()->list, statements);
  auto firsts = firstBranches(statements, labels);
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
  Index start = statements.size();
  std::vector<Expression*> nested; // the levels built so far and their zeroing
  // The list of the next level out, whose first branch is at `first`: the statements from there
  // (or from the current start, if that is earlier) to the current start, then `nested`.
  auto nextLevel = [&](Index first) {
    Index from = std::min(start, first);
    auto list = slice(from, start);
    list.insert(list.end(), nested.begin(), nested.end());
    start = from;
    return list;
  };
  for (Index level = 0; level < shared.size(); level++) {
    auto list = nextLevel(firsts[level]);
    if (list.empty() || list.back()->type != Type::unreachable) list.push_back(builder.makeBreak(zeroed));
    // Typed by hand: finalize() would search the whole body for branches, once per level.
    auto* within = makeNamed(labels[level], list);
    within->finalize(Type::none, Block::HasBreak);
    nested = {within};
    // Each level's zeroing goes into the list of the next level's block, not into a nameless
    // block of its own, whose only child a named block would then be (Binaryen's vacuum and
    // merge-blocks search a named block's only child for branches to it: once per level).
    Name parent = zeroesUpTo(*shared[level], nested);
    if (parent.is()) nested.push_back(builder.makeBreak(parent));
  }
  auto* all = makeNamed(zeroed, nextLevel(firsts.back()));
  all->finalize();
  auto body = slice(0, start);
  body.push_back(all);
  body.insert(body.end(), outer->list.begin() + 1, outer->list.end());
  outer->list.set(body);
}

} // namespace wasm_ckpt
