// The rewind guards of a guarded copy (rewind_guards.h).
#include "passes/rewind_guards.h"

#include <vector>

#include "wasm-builder.h"

namespace wasm_ckpt {
using namespace wasm;

Expression* RewindGuards::inRange(Range r) {
  auto& builder = context.builder;
  if (r.lo == r.hi) return builder.makeBinary(EqInt32, context.getRid(), builder.makeConst(int32_t(r.lo)));
  return builder.makeBinary(LtUInt32, builder.makeBinary(SubInt32, context.getRid(), builder.makeConst(int32_t(r.lo))),
                            builder.makeConst(int32_t(r.hi - r.lo + 1)));
}

Expression* RewindGuards::notRewinding() { return context.builder.makeUnary(EqZInt32, context.getRid()); }

void RewindGuards::guardList(ExpressionList& list, const std::function<Expression*(Expression*)>& transform) {
  auto& builder = context.builder;
  Index holders = 0, last = 0;
  for (Index i = 0; i < list.size(); i++) {
    if (!points.range(list[i]).empty()) {
      holders++;
      last = i;
    }
  }
  if (holders == 0) return;
  std::vector<Expression*> out, pending;
  auto flush = [&]() {
    if (pending.empty()) return;
    if (!surelyRewinding) out.push_back(builder.makeIf(notRewinding(), builder.makeBlock(pending)));
    pending.clear();
  };
  for (Index i = 0; i < list.size(); i++) {
    Expression* child = list[i];
    Range r = points.range(child);
    if (r.empty()) {
      if (i < last) pending.push_back(child);
      else out.push_back(child);
      continue;
    }
    flush();
    bool rewindingHere = surelyRewinding;
    Expression* transformed = transform(child);
    if (holders > 1) {
      transformed = rewindingHere ? builder.makeIf(inRange(r), transformed)
                                  : builder.makeIf(builder.makeBinary(OrInt32, notRewinding(), inRange(r)), transformed);
    }
    out.push_back(transformed);
    surelyRewinding = false; // $rid is 0 if the resume point was in there
  }
  list.set(out);
}

void RewindGuards::guardIf(If* iff, const std::function<Expression*(Expression*)>& transform) {
  auto& builder = context.builder;
  Range thenRange = points.range(iff->ifTrue);
  bool rewindingHere = surelyRewinding;
  iff->ifTrue = transform(iff->ifTrue);
  surelyRewinding = rewindingHere;
  if (iff->ifFalse) iff->ifFalse = transform(iff->ifFalse);
  Expression* whileRewinding = thenRange.empty() ? builder.makeConst(int32_t(0)) : inRange(thenRange);
  bool conditionIsPure = iff->condition->is<LocalGet>() || iff->condition->is<Const>(); // flat IR
  iff->condition =
    rewindingHere && conditionIsPure ? whileRewinding : builder.makeSelect(context.getRid(), whileRewinding, iff->condition);
}

} // namespace wasm_ckpt
