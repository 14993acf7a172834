// What Binaryen's optimize-stack-ir does below -O3, with the same result, in linear time. In
// Binaryen 108 that pass removes the unreachable code of a function's Stack IR, then the blocks
// that nothing branches to, then the unreachable code again (at -O3 it also keeps values on the
// stack instead of locals, which this pass does not do). It asks, for each of a block's two
// instructions (its start and its end), whether anything in the block branches to it, walking
// the whole block each time: time grows with the nesting depth of named blocks times the size of
// the function, and the zeroing nest of a huge function's unwind sites (unwind_sites.h) is
// hundreds of levels deep around most of the body (a generated function of 10,000 blocks, 440
// levels: 5.9 s under `lean`, 10.7 s under `full`). Here the labels that the function's branches
// use are gathered once: Binaryen IR's labels are unique within a function (the validator checks
// it), so a block has a branch to it exactly when its label is among them.
#include "passes/passes.h"

#include "ir/branch-utils.h"
#include "wasm-stack.h"
#include "wasm.h"

namespace wasm_ckpt {

namespace {
using namespace wasm;

// The last instruction of a control-flow construct.
bool isEnd(const StackInst* inst) {
  switch (inst->op) {
    case StackInst::BlockEnd:
    case StackInst::IfEnd:
    case StackInst::LoopEnd:
    case StackInst::TryEnd:
    case StackInst::Delegate:
      return true;
    default:
      return false;
  }
}

// Where unreachable code ends: an instruction that control flow can reach from elsewhere.
bool isBarrier(const StackInst* inst) {
  return isEnd(inst) || inst->op == StackInst::IfElse || inst->op == StackInst::Catch ||
         inst->op == StackInst::CatchAll;
}

// Removes what follows an unreachable instruction up to the next barrier, each construct that
// starts there as a whole.
void removeUnreachable(StackIR& insts) {
  bool unreachable = false;
  for (size_t i = 0; i < insts.size(); i++) {
    auto* inst = insts[i];
    if (!inst) continue;
    if (!unreachable) {
      unreachable = inst->type == Type::unreachable;
      continue;
    }
    if (isBarrier(inst)) {
      unreachable = false;
      continue;
    }
    insts[i] = nullptr;
    if (inst->op == StackInst::Basic) continue;
    for (auto* origin = inst->origin;;) {
      auto* next = insts[++i];
      insts[i] = nullptr;
      if (next && next->origin == origin && isEnd(next)) break;
    }
  }
}

struct LinearStackIR : public Pass {
  bool isFunctionParallel() override { return true; }
  Pass* create() override { return new LinearStackIR; }
  bool modifiesBinaryenIR() override { return false; }

  void runOnFunction(PassRunner*, Module* module, Function* func) override {
    if (!func->stackIR) return;
    auto& insts = *func->stackIR;
    removeUnreachable(insts);
    // Binaryen keeps every block with GC enabled: removing one there could leave a value that
    // cannot be stored in a local where the binary reader needs one.
    if (!module->features.hasGC()) {
      BranchUtils::BranchAccumulator used;
      used.walk(func->body);
      for (auto*& inst : insts) {
        auto* block = inst ? inst->origin->dynCast<Block>() : nullptr;
        if (block && (!block->name.is() || !used.branches.count(block->name))) inst = nullptr;
      }
    }
    removeUnreachable(insts);
  }
};
} // namespace

std::unique_ptr<Pass> createLinearStackIRPass() { return std::make_unique<LinearStackIR>(); }

} // namespace wasm_ckpt
