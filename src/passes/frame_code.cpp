// The frame record code of one transformed function: prologue, hand-over and epilogue
// (frame_code.h).
#include "passes/frame_code.h"

#include "ir/find_all.h"
#include "wasm-builder.h"

#include "runtime/runtime_names.h"

namespace wasm_ckpt {
using namespace wasm;

void FrameCode::install(Block* inner, Block* outer, const std::vector<Index>& locals, size_t resumePoints, bool rewinds) {
  if (rewinds) inner->list[0] = makePrologue(locals, resumePoints);
  outer->list[1] = makeEpilogue(locals);
  outer->finalize();
}

uint32_t FrameCode::payloadSize(const std::vector<Index>& locals) const {
  uint32_t size = 0;
  for (Index i : locals) size += context.func->getLocalType(i).getByteSize();
  return size;
}

Expression* FrameCode::makePrologue(const std::vector<Index>& locals, size_t resumePoints) {
  auto& builder = context.builder;
  auto* func = context.func;
  std::vector<Expression*> loads;
  loads.push_back(builder.makeLocalSet(
    context.rid, builder.makeCall(runtime::frameRead(),
                                  {builder.makeConst(int32_t(context.ordinal)), builder.makeConst(int32_t(payloadSize(locals))),
                                   builder.makeConst(int32_t(resumePoints))},
                                  Type::i32)));
  for (Index i : locals) {
    Type type = func->getLocalType(i);
    loads.push_back(builder.makeLocalSet(i, builder.makeCall(runtime::frameLoad(valueKindOf(type)), {}, type)));
  }
  return builder.makeIf(builder.makeGlobalGet(runtime::stateGlobal(), Type::i32), builder.makeBlock(loads));
}

Expression* FrameCode::makeHandOver(Name rewindCopy) {
  auto& builder = context.builder;
  auto* func = context.func;
  std::vector<Expression*> params;
  for (Index i = 0; i < func->getNumParams(); i++) params.push_back(builder.makeLocalGet(i, func->getLocalType(i)));
  auto* call = builder.makeCall(rewindCopy, params, func->getResults());
  return builder.makeIf(builder.makeGlobalGet(runtime::stateGlobal(), Type::i32), countdown.makeHandOverReturn(call));
}

Expression* FrameCode::makeEpilogue(const std::vector<Index>& locals) {
  auto& builder = context.builder;
  auto* func = context.func;
  std::vector<Expression*> stores;
  stores.push_back(builder.makeCall(runtime::frameReserve(),
                                    {builder.makeConst(int32_t(context.ordinal)), context.getRid(),
                                     builder.makeConst(int32_t(payloadSize(locals)))},
                                    Type::none));
  for (Index i : locals) {
    Type type = func->getLocalType(i);
    stores.push_back(builder.makeCall(runtime::frameStore(valueKindOf(type)), {builder.makeLocalGet(i, type)}, Type::none));
  }
  Type results = func->getResults();
  stores.push_back(
    countdown.makeUnwindingReturn(results == Type::none ? nullptr : builder.makeConstantExpression(Literal::makeZero(results))));
  return builder.makeBlock(stores);
}

std::vector<Index> FrameCode::localsReadAfterRewind(Block* outer) {
  auto* inner = outer->list[0]->cast<Block>();
  auto* prologue = inner->list[0]->cast<If>();
  auto* loads = prologue->ifTrue->cast<Block>();
  auto* end = context.builder.makeBlock();
  loads->list.push_back(end);
  auto liveAt = liveIgnoringEpilogue(context, outer, {end});
  loads->list.pop_back();
  std::vector<Index> kept;
  for (auto* set : FindAll<LocalSet>(prologue).list) {
    if (set->index != context.rid && liveAt[end].count(set->index)) kept.push_back(set->index);
  }
  return kept;
}

std::unordered_map<Block*, LocalIndexSet> liveIgnoringEpilogue(FunctionContext& context, Block* outer,
                                                               const std::vector<Block*>& markers) {
  auto* epilogue = outer->list[1];
  outer->list[1] = context.builder.makeNop();
  auto live = liveLocalsAt(context.module, context.func, markers);
  outer->list[1] = epilogue;
  return live;
}

} // namespace wasm_ckpt
