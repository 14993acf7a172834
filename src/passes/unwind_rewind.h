// What the pieces of UnwindRewind and FastCopies (UnwindRewind.cpp, the driver) share while they
// transform one function: the function, its role, the locals every piece reads ($rid, the frame
// pointer) and the label of the unwind exit. Each transformed function gets this shape:
//   (block                                   ;; outer
//     (block $wasm_ckpt$unwind               ;; inner
//       <prologue: rewind its frame, or hand the rewind over to the rewind copy>
//       <countdown load>  <body>  <final return>)
//     <epilogue: save the frame, return zeros>)
// and a branch to $wasm_ckpt$unwind, taken after a resume point while unwinding, reaches the
// epilogue. Last, the zeroing of dead locals (unwind_sites.h) may put a nest of zeroing blocks,
// which the branches then reach, in place of the unwind block.
#pragma once
#include "wasm-builder.h"
#include "wasm.h"

#include "passes/passes.h"

namespace wasm_ckpt {

// What one transformed copy of a function does.
enum class Role {
  Whole,  // normal execution and rewinding, with the guards on the normal path
  Rewind, // entered only to rewind a frame (by the fast copy's prologue); same code as Whole
  Fast,   // normal execution: no guards; hands a rewind over to the rewind copy; saves the
          // rewind copy's frame when unwinding
};

struct FunctionContext {
  FunctionContext(wasm::Module& module, wasm::Function* func, const UnwindRewindPlan& plan, wasm::Index ordinal, Role role)
    : module(module), func(func), builder(module), plan(plan), ordinal(ordinal), role(role) {}

  wasm::Module& module;
  wasm::Function* func;
  wasm::Builder builder;
  const UnwindRewindPlan& plan;
  wasm::Index ordinal; // the frame ordinal (the position of the function in plan.ordered)
  Role role;
  // $rid: while rewinding, the resume point to reach (0 once reached); while unwinding, the one
  // left from.
  wasm::Index rid = 0;
  const wasm::Name unwindLabel{"wasm_ckpt$unwind"};

  wasm::Expression* getRid() { return builder.makeLocalGet(rid, wasm::Type::i32); }
  wasm::Expression* setRid(wasm::Index value) { return builder.makeLocalSet(rid, builder.makeConst(int32_t(value))); }
};

} // namespace wasm_ckpt
