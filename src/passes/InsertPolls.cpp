// Inserts poll points: a call to the poll marker as the first thing a function does and/or the
// first thing an iteration of the chosen loops does, as the plan says (analysis/loop_bounds.h
// says which loops). These are the places where a checkpoint can be taken; with one per loop
// header that is not statically short and per recursive function entry, no code runs long
// without reaching one. The marker is expanded into the real poll sequence by UnwindRewind,
// after flattening.
#include "passes/passes.h"

#include "wasm-builder.h"

#include "runtime/runtime_names.h"

namespace wasm_ckpt {

namespace {
struct InsertPolls : public wasm::WalkerPass<wasm::PostWalker<InsertPolls>> {
  const std::map<wasm::Name, PollSites>* sites;
  explicit InsertPolls(const std::map<wasm::Name, PollSites>* sites) : sites(sites) {}

  bool isFunctionParallel() override { return true; }
  wasm::Pass* create() override { return new InsertPolls(sites); }

  wasm::Expression* makePoll() {
    return wasm::Builder(*getModule()).makeCall(runtime::pollMarker(), {}, wasm::Type::none);
  }

  const PollSites* current = nullptr;

  void visitLoop(wasm::Loop* curr) {
    if (!current->loops.count(curr)) return;
    curr->body = wasm::Builder(*getModule()).makeSequence(makePoll(), curr->body);
  }

  void doWalkFunction(wasm::Function* func) {
    auto found = sites->find(func->name);
    if (found == sites->end()) return;
    current = &found->second;
    if (!current->loops.empty()) wasm::PostWalker<InsertPolls>::doWalkFunction(func);
    if (found->second.entry) func->body = wasm::Builder(*getModule()).makeSequence(makePoll(), func->body);
  }
};
} // namespace

std::unique_ptr<wasm::Pass> createInsertPollsPass(const std::map<wasm::Name, PollSites>* sites) {
  return std::make_unique<InsertPolls>(sites);
}

} // namespace wasm_ckpt
