// Inserts poll points: a poll marker as the first thing a function does and/or the first thing
// an iteration of the chosen loops does, as the plan says (analysis/loop_bounds.h
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

  const PollSites* current = nullptr;

  void visitLoop(wasm::Loop* curr) {
    auto found = current->loops.find(curr);
    if (found == current->loops.end()) return;
    wasm::Builder builder(*getModule());
    curr->body = builder.makeSequence(makePollMarker(builder, found->second), curr->body);
  }

  void doWalkFunction(wasm::Function* func) {
    auto found = sites->find(func->name);
    if (found == sites->end()) return;
    current = &found->second;
    if (!current->loops.empty()) wasm::PostWalker<InsertPolls>::doWalkFunction(func);
    wasm::Builder builder(*getModule());
    if (current->entry) func->body = builder.makeSequence(makePollMarker(builder, current->entryWeight), func->body);
  }
};
} // namespace

wasm::Expression* makePollMarker(wasm::Builder& builder, uint32_t weight) {
  return builder.makeCall(runtime::pollMarker(), {builder.makeConst(int32_t(weight))}, wasm::Type::none);
}

int32_t pollMarkerWeight(wasm::Expression* marker) {
  return marker->cast<wasm::Call>()->operands[0]->cast<wasm::Const>()->value.geti32();
}

std::unique_ptr<wasm::Pass> createInsertPollsPass(const std::map<wasm::Name, PollSites>* sites) {
  return std::make_unique<InsertPolls>(sites);
}

} // namespace wasm_ckpt
