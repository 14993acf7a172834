// What the tool's Stack IR passes (SplitTupleLocals, CarryResumeIds) share: walking a function's
// Stack IR past removed instructions, and making new instructions.
#pragma once
#include "wasm-stack.h"
#include "wasm.h"

namespace wasm_ckpt {

// The position of the instruction after `i` (before `i`) that is not removed, or ir.size() (-1).
inline long nextInst(const wasm::StackIR& ir, long i) {
  for (i++; i < long(ir.size()) && !ir[i]; i++) {
  }
  return i;
}
inline long previousInst(const wasm::StackIR& ir, long i) {
  for (i--; i >= 0 && !ir[i]; i--) {
  }
  return i;
}

// A Stack IR instruction for `origin`, allocated in the module's arena (thread-safe).
inline wasm::StackInst* makeStackInst(wasm::Module& module, wasm::Expression* origin,
                                      wasm::StackInst::Op op = wasm::StackInst::Basic) {
  auto* made = module.allocator.alloc<wasm::StackInst>();
  made->op = op;
  made->origin = origin;
  made->type = origin->type;
  return made;
}

} // namespace wasm_ckpt
