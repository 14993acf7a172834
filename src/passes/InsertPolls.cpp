// Inserts poll points: a call to the poll marker as the first thing a function does and the first
// thing every loop iteration does. These are the places where a checkpoint can be taken; with
// one per loop header and per function entry no code runs long without reaching one. The
// marker is expanded into the real poll sequence by UnwindRewind, after flattening.
#include "passes/passes.h"

#include "wasm-builder.h"

#include "runtime/runtime_names.h"

namespace wasm_ckpt {

namespace {
struct InsertPolls : public wasm::WalkerPass<wasm::PostWalker<InsertPolls>> {
  const std::set<wasm::Name>* functions;
  explicit InsertPolls(const std::set<wasm::Name>* functions) : functions(functions) {}

  bool isFunctionParallel() override { return true; }
  wasm::Pass* create() override { return new InsertPolls(functions); }

  wasm::Expression* makePoll() {
    return wasm::Builder(*getModule()).makeCall(runtime::pollMarker(), {}, wasm::Type::none);
  }

  void visitLoop(wasm::Loop* curr) {
    curr->body = wasm::Builder(*getModule()).makeSequence(makePoll(), curr->body);
  }

  void doWalkFunction(wasm::Function* func) {
    if (!functions->count(func->name)) return;
    wasm::PostWalker<InsertPolls>::doWalkFunction(func);
    func->body = wasm::Builder(*getModule()).makeSequence(makePoll(), func->body);
  }
};
} // namespace

std::unique_ptr<wasm::Pass> createInsertPollsPass(const std::set<wasm::Name>* functions) {
  return std::make_unique<InsertPolls>(functions);
}

} // namespace wasm_ckpt
