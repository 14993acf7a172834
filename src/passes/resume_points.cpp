// The resume points of a flat function (resume_points.h): which expressions are, their numbers
// and descriptions, and the range of them each subtree holds.
#include "passes/resume_points.h"

#include <algorithm>
#include <string>

#include "ir/find_all.h"
#include "ir/iteration.h"
#include "wasm-traversal.h"

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

void Range::add(Range other) {
  if (other.empty()) return;
  if (empty()) {
    *this = other;
  } else {
    lo = std::min(lo, other.lo);
    hi = std::max(hi, other.hi);
  }
}

ResumePoints::ResumePoints(const UnwindRewindPlan& plan, Expression* body) {
  Expression* first = firstStatement(body);
  entryPoll_ = isPollMarker(first) ? first : nullptr;
  for (auto* loop : FindAll<Loop>(body).list) {
    if (auto* header = firstStatement(loop->body); isPollMarker(header)) loopHeaderPolls.insert(header);
  }
  struct Numberer : PostWalker<Numberer, UnifiedExpressionVisitor<Numberer>> {
    ResumePoints* self;
    const UnwindRewindPlan* plan;
    void visitExpression(Expression* curr) {
      if (!isResumePoint(*plan, curr)) return;
      Index id = Index(self->points.size() + 1);
      self->ids[curr] = id;
      if (isPollMarker(curr) && curr != self->entryPoll_) self->loopPolls.insert(id);
      self->points.push_back(self->describe(curr));
      auto* call = curr->dynCast<Call>();
      self->callees.push_back(call && !isPollMarker(call) ? call->target : Name());
    }
  } numberer;
  numberer.self = this;
  numberer.plan = &plan;
  numberer.walk(body);
}

ResumePoint ResumePoints::describe(Expression* curr) const {
  if (auto* call = curr->dynCast<Call>()) {
    if (call->target != runtime::pollMarker()) return {ResumeKind::Call, 0, "call " + std::string(call->target.str)};
    if (curr == entryPoll_) return {ResumeKind::Poll, 0, "poll at function entry"};
    return {ResumeKind::Poll, 0, loopHeaderPolls.count(curr) ? "poll at loop header" : "poll between chunks of a loop"};
  }
  return {ResumeKind::CallIndirect, 0, "call_indirect " + curr->cast<CallIndirect>()->heapType.toString()};
}

Index ResumePoints::idOf(Expression* curr) const {
  auto found = ids.find(curr);
  return found == ids.end() ? 0 : found->second;
}

Range ResumePoints::range(Expression* curr) {
  auto found = ranges.find(curr);
  if (found != ranges.end()) return found->second;
  Range r;
  auto id = ids.find(curr);
  if (id != ids.end()) {
    r = Range{id->second, id->second};
  } else {
    for (auto* child : ChildIterator(curr)) r.add(range(child));
  }
  ranges[curr] = r;
  return r;
}

} // namespace wasm_ckpt
