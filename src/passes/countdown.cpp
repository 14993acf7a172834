// The poll countdown (countdown.h): the choice of each function's countdown mode, made once for
// the module before UnwindRewind runs, and the code that keeps the countdown in that mode.
#include "passes/countdown.h"

#include <functional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ir/find_all.h"
#include "ir/module-utils.h"

#include "passes/resume_points.h"
#include "runtime/runtime_names.h"
#include "wasm_ckpt/snapshot_layout.h"

namespace wasm_ckpt {
using namespace wasm;

namespace {
// The instrumented functions whose signature may be extended (a threaded countdown): only direct
// calls from functions UnwindRewind transforms reach them.
std::set<Name> functionsOnlyCalledDirectlyBy(Module& module, const UnwindRewindPlan& plan) {
  std::set<Name> transformed(plan.ordered.begin(), plan.ordered.end());
  for (auto& [_, copy] : plan.rewindCopies) transformed.insert(copy);
  std::set<Name> result;
  result.insert(plan.ordered.begin(), plan.ordered.end()); // none has several results (CheckSupported)
  for (auto& exp : module.exports) {
    if (exp->kind == ExternalKind::Function) result.erase(exp->value);
  }
  for (auto& segment : module.elementSegments) {
    for (auto* item : segment->data) {
      if (auto* ref = item->dynCast<RefFunc>()) result.erase(ref->func);
    }
  }
  if (module.start.is()) result.erase(module.start);
  struct References : PostWalker<References> {
    std::set<Name>* result;
    bool transformed = false;
    void visitRefFunc(RefFunc* curr) { result->erase(curr->func); }
    void visitCall(Call* curr) {
      if (!transformed) result->erase(curr->target);
    }
  } references;
  references.result = &result;
  for (auto& func : module.functions) {
    if (func->imported()) continue;
    references.transformed = transformed.count(func->name) > 0;
    references.walkFunction(func.get());
  }
  return result;
}

// Whether the copies of a (flat) function keep the countdown in a local when not threaded: where
// polls sit in loops, or where calls pass the countdown around more than they write it back;
// otherwise a loop-free function polls the global once.
//
// The calls: a local copy costs a load at entry and a store per return. With the countdown in
// the global, a call to a threaded function reads it for the argument and stores the result (the
// unwind test reads the returned value); with a local copy, the call needs neither, but every
// other call that may poll needs a store before it and a load after it, where the global form
// only loads the state. Counted per call site. Lua's C library functions are such functions:
// loop-free, entered through the table, each making a handful of threaded calls.
bool prefersLocalCountdown(Function* func, const UnwindRewindPlan& plan, const std::set<Name>& threaded) {
  for (auto* loop : FindAll<Loop>(func->body).list) {
    if (isPollMarker(firstStatement(loop->body))) return true;
  }
  struct Calls : PostWalker<Calls, UnifiedExpressionVisitor<Calls>> {
    const UnwindRewindPlan* plan;
    const std::set<Name>* threaded;
    size_t threadedCalls = 0, otherCalls = 0;
    void visitExpression(Expression* curr) {
      if (!isResumePoint(*plan, curr) || isPollMarker(curr)) return;
      auto* call = curr->dynCast<Call>();
      if (call && threaded->count(call->target)) threadedCalls++;
      else otherCalls++;
    }
  } calls;
  calls.plan = &plan;
  calls.threaded = &threaded;
  calls.walk(func->body);
  return calls.threadedCalls > 0 && 2 * calls.threadedCalls > 2 + calls.otherCalls;
}
} // namespace

void chooseCountdown(Module& module, UnwindRewindPlan& plan) {
  // Huge functions keep the countdown in the global: a local one needs a phi at every join after
  // a call or poll (UnwindRewindPlan::huge).
  std::set<Name> threaded;
  if (!plan.rewindCopies.empty()) {
    threaded = functionsOnlyCalledDirectlyBy(module, plan);
    // Only fast copies take the countdown as a parameter: a function without a rewind copy also
    // rewinds, and code that rewinds works on the global.
    for (auto it = threaded.begin(); it != threaded.end();) {
      it = plan.huge.count(*it) || !plan.rewindCopies.count(*it) ? threaded.erase(it) : std::next(it);
    }
  }
  std::unordered_set<Name> chosen;
  for (auto name : plan.ordered) {
    if (!plan.huge.count(name)) chosen.insert(name);
  }
  ModuleUtils::ParallelFunctionAnalysis<bool> local(module, [&](Function* func, bool& prefersLocal) {
    if (chosen.count(func->name)) prefersLocal = prefersLocalCountdown(func, plan, threaded);
  });
  plan.countdown.clear();
  for (auto name : plan.ordered) {
    auto guarded = local.map[module.getFunction(name)] ? CountdownMode::Local : CountdownMode::Global;
    auto copy = plan.rewindCopies.find(name);
    if (copy == plan.rewindCopies.end()) {
      plan.countdown[name] = guarded;
    } else {
      plan.countdown[copy->second] = guarded;
      plan.countdown[name] = threaded.count(name) ? CountdownMode::Threaded : guarded;
    }
  }
  if (!threaded.empty()) module.features.enable(FeatureSet::Multivalue);
}

CountdownMode countdownModeOf(const UnwindRewindPlan& plan, Name function) {
  auto found = plan.countdown.find(function);
  return found == plan.countdown.end() ? CountdownMode::Global : found->second;
}

CountdownCode::CountdownCode(Function* func, Builder& builder, CountdownMode mode)
  : func(func), builder(builder), mode_(mode) {
  if (inLocal()) local = Builder::addVar(func, Name("wasm_ckpt$countdown"), Type::i32);
}

Expression* CountdownCode::get() {
  return inLocal() ? (Expression*)builder.makeLocalGet(local, Type::i32)
                   : builder.makeGlobalGet(runtime::countdownGlobal(), Type::i32);
}

Expression* CountdownCode::set(Expression* value) {
  return inLocal() ? (Expression*)builder.makeLocalSet(local, value)
                   : builder.makeGlobalSet(runtime::countdownGlobal(), value);
}

Expression* CountdownCode::flush() {
  if (!inLocal()) return builder.makeNop();
  return builder.makeGlobalSet(runtime::countdownGlobal(), builder.makeLocalGet(local, Type::i32));
}

Expression* CountdownCode::reload(int32_t extra) {
  Expression* value = builder.makeGlobalGet(runtime::countdownGlobal(), Type::i32);
  if (extra) value = builder.makeBinary(AddInt32, value, builder.makeConst(extra));
  if (inLocal()) return builder.makeLocalSet(local, value);
  return extra ? (Expression*)builder.makeGlobalSet(runtime::countdownGlobal(), value) : builder.makeNop();
}

// With the countdown in the global, the read is of a scratch local the value was teed into, not
// of the global: V8 loads a global again after storing it, which in a huge function's loop adds a
// load to the store-to-load chain the countdown carries from one iteration to the next (bzip2
// under lean: 1.177x -> 1.140x, 15 interleaved pairs).
std::pair<Expression*, Expression*> CountdownCode::store(Expression* value) {
  if (inLocal()) return {set(value), get()};
  if (!storedScratch) storedScratch = Builder::addVar(func, Name("wasm_ckpt$countdown_stored"), Type::i32);
  return {set(builder.makeLocalTee(*storedScratch, value, Type::i32)), builder.makeLocalGet(*storedScratch, Type::i32)};
}

// The countdown counts down by what the poll counts for (its marker's weight), and has run out
// at or below zero (a poll of weight above one may take it past zero).
std::pair<Expression*, Expression*> CountdownCode::decrement(int32_t weight) {
  auto [decrement, remaining] = store(builder.makeBinary(SubInt32, get(), builder.makeConst(weight)));
  return {decrement, builder.makeBinary(LeSInt32, remaining, builder.makeConst(int32_t(0)))};
}

// The run-time code sets the countdown global to COUNTDOWN_UNWINDING (zero) when it sets the
// state to "unwinding", and no code writes the global again before the stack is unwound (a
// threaded callee returns that value, which its caller stores), while a call never returns with
// the countdown there otherwise (snapshot_layout.h). So a countdown just read back after a call
// says as much as the state, without loading it.
static_assert(COUNTDOWN_UNWINDING == 0, "the unwinding test is i32.eqz");
Expression* CountdownCode::saysUnwinding(Expression* countdown) { return builder.makeUnary(EqZInt32, countdown); }

Expression* CountdownCode::makeFinalReturn() {
  return builder.makeSequence(threaded() ? builder.makeNop() : flush(),
                              builder.makeReturn(threaded() ? builder.makeLocalGet(local, Type::i32) : nullptr));
}

Return* CountdownCode::makeUnwindingReturn(Expression* value) {
  if (threaded()) {
    Expression* unwinding = builder.makeConst(int32_t(COUNTDOWN_UNWINDING));
    value = value ? builder.makeTupleMake(std::vector<Expression*>{value, unwinding}) : unwinding;
  }
  return builder.makeReturn(value);
}

// A threaded hand-over gives back the global, which the rewind copy kept up to date (and the
// run-time code set to COUNTDOWN_UNWINDING if it unwound).
Expression* CountdownCode::makeHandOverReturn(Call* call) {
  Expression* countdown = threaded() ? builder.makeGlobalGet(runtime::countdownGlobal(), Type::i32) : nullptr;
  if (call->type == Type::none) return builder.makeSequence(call, builder.makeReturn(countdown));
  return builder.makeReturn(countdown ? (Expression*)builder.makeTupleMake(std::vector<Expression*>{call, countdown}) : call);
}

void CountdownCode::finishOwnReturns(Expression*& root) {
  if (!inLocal()) return;
  struct Returns : PostWalker<Returns> {
    CountdownCode* self;
    void visitReturn(Return* curr) {
      if (!self->threaded()) {
        replaceCurrent(self->builder.makeSequence(self->flush(), curr));
        return;
      }
      Expression* countdown = self->builder.makeLocalGet(self->local, Type::i32);
      curr->value = curr->value ? self->builder.makeTupleMake(std::vector<Expression*>{curr->value, countdown}) : countdown;
    }
  } returns;
  returns.self = this;
  returns.walk(root);
}

Type CountdownCode::withCountdown(Type results) {
  if (results == Type::none) return Type::i32;
  return Type({results, Type::i32});
}

// No write-back before the call and no reload after it: the callee returns the countdown.
void CountdownCode::passTo(Call* call) {
  Type results = call->type;
  call->operands.push_back(get());
  call->type = withCountdown(results);
}

void CountdownCode::threadThroughSignature() {
  // Renumber: the countdown local (a var) moves to just after the parameters.
  Index params = func->getNumParams(), moved = local;
  auto renumber = [&](Index i) { return i == moved ? params : (i >= params && i < moved ? i + 1 : i); };
  struct Renumber : PostWalker<Renumber> {
    std::function<Index(Index)> map;
    void visitLocalGet(LocalGet* curr) { curr->index = map(curr->index); }
    void visitLocalSet(LocalSet* curr) { curr->index = map(curr->index); }
  } renumbering;
  renumbering.map = renumber;
  renumbering.walk(func->body);
  std::unordered_map<Index, Name> names;
  for (auto& [index, name] : func->localNames) names[renumber(index)] = name;
  func->localNames.clear();
  func->localIndices.clear();
  for (auto& [index, name] : names) {
    func->localNames[index] = name;
    func->localIndices[name] = index;
  }
  func->vars.erase(func->vars.begin() + (moved - params));
  std::vector<Type> paramTypes;
  Type oldParams = func->getParams();
  for (auto type : oldParams) paramTypes.push_back(type);
  paramTypes.push_back(Type::i32);
  func->type = Signature(Type(paramTypes), withCountdown(func->getResults()));
  local = params;
}

} // namespace wasm_ckpt
