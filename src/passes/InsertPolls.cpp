// Inserts poll points: a poll marker as the first thing a function does and/or the first thing
// an iteration of the chosen loops does, as the plan says (analysis/loop_bounds.h
// says which loops). These are the places where a checkpoint can be taken; with one per loop
// header that is not statically short and per recursive function entry, no code runs long
// without reaching one. The marker is expanded into the real poll sequence by UnwindRewind,
// after flattening.
#include "passes/passes.h"

#include "wasm-builder.h"

#include "runtime/runtime_names.h"
#include "wasm_ckpt/plan.h"

namespace wasm_ckpt {

namespace {
struct InsertPolls : public wasm::WalkerPass<wasm::PostWalker<InsertPolls>> {
  PollPlacement* placement;
  explicit InsertPolls(PollPlacement* placement) : placement(placement) {}

  bool isFunctionParallel() override { return true; }
  wasm::Pass* create() override { return new InsertPolls(placement); }

  const PollSites* current = nullptr;
  size_t found = 0;

  void visitLoop(wasm::Loop* curr) {
    auto found = current->loops.find(curr);
    if (found == current->loops.end() || current->chunked.count(curr)) return; // chunked: ChunkLoops polls between chunks
    this->found++;
    wasm::Builder builder(*getModule());
    curr->body = builder.makeSequence(makePollMarker(builder, found->second), curr->body);
  }

  void doWalkFunction(wasm::Function* func) {
    auto sites = placement->sites.find(func->name);
    if (sites == placement->sites.end()) return;
    current = &sites->second;
    if (!current->loops.empty()) wasm::PostWalker<InsertPolls>::doWalkFunction(func);
    checkLoopsFound(*placement, "InsertPolls", *func, found, current->loops.size() - current->chunked.size());
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

void placePlannedPolls(const InstrumentationPlan& plan, PollPlacement& placement) {
  for (auto& f : plan.functions) {
    if (!f.instrumented || !(f.entryPoll || f.loopPolls)) continue;
    auto& sites = placement.sites[wasm::Name(f.irName)];
    sites.entry = f.entryPoll;
    sites.entryWeight = f.polls->entryWeight;
    if (f.loopPolls) {
      sites.loops = f.polls->weights;
      sites.chunked = f.polls->chunked;
      sites.unrolled = f.polls->unrolled;
    }
  }
}

std::unique_ptr<wasm::Pass> createInsertPollsPass(PollPlacement* placement) {
  return std::make_unique<InsertPolls>(placement);
}

void checkLoopsFound(PollPlacement& placement, const char* pass, const wasm::Function& func, size_t found, size_t expected) {
  if (found != expected)
    placement.errors.record("internal error: " + std::string(pass) + " found " + std::to_string(found) + " of the " +
                            std::to_string(expected) + " loops planned in function '" + func.name.str + "'");
}

} // namespace wasm_ckpt
