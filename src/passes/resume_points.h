// The resume points of a flat function: where it can stop and later continue. A resume point is
// a poll point (a call to the poll marker) or a call that can unwind (a call to an instrumented
// function, or a call_indirect of a type that may reach one).
#pragma once
#include "wasm.h"

#include "passes/passes.h"

namespace wasm_ckpt {

bool isPollMarker(wasm::Expression* curr);
bool isResumePoint(const UnwindRewindPlan& plan, wasm::Expression* curr);
// The first statement of `curr`, looking into blocks (null for an empty block).
wasm::Expression* firstStatement(wasm::Expression* curr);

} // namespace wasm_ckpt
