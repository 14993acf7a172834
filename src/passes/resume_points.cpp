// The resume points of a flat function (resume_points.h).
#include "passes/resume_points.h"

#include "runtime/runtime_names.h"

namespace wasm_ckpt {
using namespace wasm;

bool isPollMarker(Expression* curr) {
  auto* call = curr ? curr->dynCast<Call>() : nullptr;
  return call && call->target == runtime::pollMarker();
}

bool isResumePoint(const UnwindRewindPlan& plan, Expression* curr) {
  if (auto* call = curr->dynCast<Call>()) {
    return call->target == runtime::pollMarker() || plan.canUnwind.count(call->target);
  }
  auto* indirect = curr->dynCast<CallIndirect>();
  return indirect && plan.unwindingIndirect.count(indirect->heapType);
}

Expression* firstStatement(Expression* curr) {
  while (auto* block = curr->dynCast<Block>()) {
    if (block->list.empty()) return nullptr;
    curr = block->list[0];
  }
  return curr;
}

} // namespace wasm_ckpt
