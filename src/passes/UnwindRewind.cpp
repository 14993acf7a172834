// UnwindRewind and FastCopies: make flat functions able to stop at any resume point
// (resume_points.h) and to continue from a saved frame. This file is the driver: the two
// function-parallel passes, and the walk over one function's tree that hands each part to the
// piece that does it.
//
// Unwinding: after each resume point, if the run-time state says "unwinding", the function sets
// $rid to that point's number and branches out of the whole body to an epilogue that stores its
// frame locals in a frame record and returns zeros (unwind_sites.h, frame_code.h). The caller
// does the same after its call, and so on up the stack.
//
// Rewinding: a prologue, taken only while the state says "rewinding", reloads the locals and
// $rid from the function's frame record (frame_code.h). Control then has to reach resume point
// $rid without running anything else, through the rewind guards (rewind_guards.h); a call resume
// point clears $rid and calls: the callee rewinds its own frame and returns normally, so
// execution simply goes on; the innermost poll point completes the restore (poll_code.h). Flat IR
// (Binaryen's Flatten) guarantees that calls are statements and that no value is held on the
// value stack across one, so locals are the whole frame.
//
// Two copies (plan.rewindCopies): the guards cost the normal path a test per statement group
// and keep the optimizer from seeing through the code (fib ran 2.3x slower with them). So each
// function is cloned, while flat, into a rewind copy that gets the guarded code and is entered
// only to rewind, and the function itself (the fast copy, which every call, export and table
// entry still reaches) gets the same resume points, polls, unwind tests and epilogue but no
// guards; its prologue only hands a frame to rewind over to the rewind copy, which then finishes
// that call. Both copies come from the same flat function, so their locals agree and one frame
// layout serves both.
//
// Two passes, each of which reads and changes only the function it is given (Binaryen's rule for
// function-parallel passes): UnwindRewind transforms the rewind copies and the functions without
// one, numbering their resume points and laying out their frames (FunctionFrame); FastCopies,
// run after it, transforms the functions that have a rewind copy, with the frame laid out for
// that copy. Where each keeps the poll countdown was chosen before both (countdown.h).
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "ir/utils.h"
#include "wasm-builder.h"

#include "passes/countdown.h"
#include "passes/frame_code.h"
#include "passes/passes.h"
#include "passes/poll_code.h"
#include "passes/resume_points.h"
#include "passes/rewind_guards.h"
#include "passes/unwind_rewind.h"
#include "passes/unwind_sites.h"
#include "wasm_ckpt/error.h"

namespace wasm_ckpt {

namespace {
using namespace wasm;

class FunctionTransformer {
public:
  // Role::Whole and Role::Rewind write `frame`; Role::Fast reads the frame that its rewind copy's
  // transformation wrote there. The constructor numbers the resume points and adds the locals
  // every piece uses, in this order: $rid, the countdown's.
  FunctionTransformer(Module& module, Function* func, Index ordinal, const UnwindRewindPlan& plan, FunctionFrame& frame,
                      Role role)
    : context(module, func, plan, ordinal, role), frame(frame), originalLocals(func->getNumLocals()),
      points(plan, func->body), guarded(role != Role::Fast), huge(plan.huge.count(plan.ordered[ordinal])),
      rid(context.rid = Builder::addVar(func, Name("wasm_ckpt$rid"), Type::i32)),
      countdown(func, context.builder, countdownModeOf(plan, func->name)), frameCode(context, countdown),
      sites(context, points), guards(context, points), polls(context, countdown, sites, points) {}

  // For Role::Fast: `rewindCopy`, the name of the rewind copy made from the same flat function
  // (so local indices and resume points agree), whose frame it reuses.
  void run(Name rewindCopy = Name()) {
    auto& builder = context.builder;
    auto* func = context.func;
    if (context.role == Role::Fast) checkSameResumePoints();
    countdown.finishOwnReturns(func->body);
    // A fast copy with an entry poll hands a rewind over in that poll's slow path: the run-time
    // code keeps the countdown at or below zero while rewinding, so every frame entered then
    // takes it. Each call saves the load of the state.
    if (context.role == Role::Fast && points.entryPoll()) handOverAtEntryPoll = frameCode.makeHandOver(rewindCopy);
    Expression* body = transformBody(func->body);

    auto* inner = builder.makeBlock(context.unwindLabel);
    inner->list.push_back(builder.makeNop()); // the prologue, below
    inner->list.push_back(countdown.threaded() ? builder.makeNop() : countdown.reload(0));
    inner->list.push_back(body);
    if (body->type != Type::unreachable) inner->list.push_back(countdown.makeFinalReturn());
    inner->finalize(Type::none);
    auto* outer = builder.makeBlock(inner);
    outer->list.push_back(builder.makeNop()); // the epilogue, below
    func->body = outer;
    std::vector<Index> frameLocals;
    if (context.role == Role::Fast) {
      frameLocals = frame.locals;
      frameCode.install(inner, outer, frameLocals, points.count(), false);
      if (!handOverAtEntryPoll) inner->list[0] = frameCode.makeHandOver(rewindCopy);
    } else {
      for (Index i = 0; i < originalLocals; i++) frameLocals.push_back(i);
      frameCode.install(inner, outer, frameLocals, points.count(), true);
      if (context.plan.saveLiveLocalsOnly) {
        frameLocals = frameCode.localsReadAfterRewind(outer);
        frameCode.install(inner, outer, frameLocals, points.count(), true);
      }
      for (Index i : frameLocals) frame.layout.locals.push_back(valueKindOf(func->getLocalType(i)));
      frame.locals = frameLocals;
      frame.layout.resumePoints = std::move(points.points);
      frame.callees = std::move(points.callees);
    }
    sites.zeroDeadLocals(outer, frameLocals);
    if (countdown.threaded()) countdown.threadThroughSignature();
    ReFinalize().walkFunctionInModule(func, &context.module);
  }

private:
  // The fast copy numbers its own nodes, which must be the resume points of the frame layout
  // its rewind copy made (both copies come from one flat function).
  void checkSameResumePoints() const {
    auto& laidOut = frame.layout.resumePoints;
    bool same = points.count() == laidOut.size();
    for (size_t i = 0; same && i < laidOut.size(); i++) same = points.points[i].kind == laidOut[i].kind;
    if (!same)
      throw Error("internal error: the fast copy of '" + std::string(context.func->name.str) +
                  "' does not have the resume points of its rewind copy's frame layout");
  }

  FunctionContext context;
  FunctionFrame& frame;
  Index originalLocals; // the function's locals before the transformation added any
  ResumePoints points;
  bool guarded; // normal execution passes the rewind guards
  bool huge;    // UnwindRewindPlan::huge: loop polls inline, the countdown in the global
  Index rid; // context's, added here: after numbering, before the countdown's local
  CountdownCode countdown; // in the mode the plan chose for this function
  FrameCode frameCode;
  UnwindSites sites;
  RewindGuards guards;
  PollCode polls;
  Expression* handOverAtEntryPoll = nullptr; // Role::Fast: the hand-over, moved into the entry poll's slow path
  std::unordered_map<Type, Index> resultLocals;

  Expression* transformBody(Expression* curr) {
    if (auto* block = curr->dynCast<Block>()) {
      transformList(block->list);
      return block;
    }
    return transform(curr);
  }

  Expression* transform(Expression* curr) {
    Range r = points.range(curr);
    if (r.empty()) return curr;
    if (auto* block = curr->dynCast<Block>()) {
      transformList(block->list);
      return block;
    }
    if (auto* loop = curr->dynCast<Loop>()) {
      guards.enterLoop();
      Expression* header = firstStatement(loop->body);
      bool coldExit = isPollMarker(header) && !huge;
      if (coldExit) polls.addColdExit(header);
      loop->body = transformBody(loop->body);
      return coldExit ? polls.wrapWithColdExit(loop, header) : loop;
    }
    if (auto* iff = curr->dynCast<If>()) {
      if (iff->condition->type == Type::unreachable) return iff;
      if (guarded) {
        guards.guardIf(iff, [this](Expression* arm) { return transformBody(arm); });
      } else {
        iff->ifTrue = transformBody(iff->ifTrue);
        if (iff->ifFalse) iff->ifFalse = transformBody(iff->ifFalse);
      }
      return iff;
    }
    return transformStatement(curr, r.lo);
  }

  void transformList(ExpressionList& list) {
    if (guarded) return guards.guardList(list, [this](Expression* child) { return transform(child); });
    for (auto*& child : list) {
      if (!points.range(child).empty()) child = transform(child);
    }
  }

  Index resultLocal(Type type) {
    auto found = resultLocals.find(type);
    if (found != resultLocals.end()) return found->second;
    return resultLocals[type] = Builder::addVar(context.func, type);
  }

  // A statement that is a resume point: a poll marker, or a call that can unwind (alone, its
  // result set to a local or dropped).
  Expression* transformStatement(Expression* stmt, Index id) {
    auto& builder = context.builder;
    Expression* call = stmt;
    if (auto* set = stmt->dynCast<LocalSet>()) call = set->value;
    // Local coalescing turns the set of a result nothing reads into a drop.
    if (auto* drop = stmt->dynCast<Drop>()) call = drop->value;
    if (!points.idOf(call))
      throw Error("internal error: unexpected non-flat code in function '" + std::string(context.func->name.str) + "'");
    if (isPollMarker(call)) return polls.makePoll(call, id, points.isLoopPoll(id) ? nullptr : handOverAtEntryPoll);
    auto* set = stmt->dynCast<LocalSet>();
    Index destination = set ? set->index : 0;
    auto* direct = call->dynCast<Call>();
    if (direct && countdownModeOf(context.plan, direct->target) == CountdownMode::Threaded) return callThreaded(direct, set, id);
    // The callee may poll: it sees and updates the countdown in the global.
    std::vector<Expression*> code = {sites.start(id), guarded ? context.setRid(0) : builder.makeNop(), countdown.flush(), stmt};
    if (countdown.inLocal()) {
      code.push_back(countdown.reload(0));
      code.push_back(sites.exitIfUnwinding(id, countdown.saysUnwinding(countdown.get())));
    } else {
      code.push_back(sites.exitIfUnwinding(id));
    }
    if (set && call->type != Type::unreachable) {
      // The result goes to a fresh local and reaches its destination only if the call did not
      // unwind: the destination may also be an operand of the call (after local coalescing),
      // and the frame must keep the operand's value, not the dummy an unwinding callee returns.
      Index result = resultLocal(call->type);
      set->index = result;
      code.push_back(builder.makeLocalSet(destination, builder.makeLocalGet(result, call->type)));
    }
    return builder.makeBlock(code);
  }

  // A call to a function that takes the countdown as its last parameter and returns it as its
  // last result: no write-back before the call, no reload after it, and the unwinding test
  // reads the returned countdown (COUNTDOWN_UNWINDING) instead of loading the state.
  Expression* callThreaded(Call* call, LocalSet* set, Index id) {
    auto& builder = context.builder;
    Type results = call->type;
    countdown.passTo(call);
    Index both = resultLocal(call->type);
    auto part = [&](Index index) -> Expression* {
      auto* whole = builder.makeLocalGet(both, call->type);
      return results == Type::none ? (Expression*)whole : builder.makeTupleExtract(whole, index);
    };
    auto [store, returned] = countdown.store(part(results == Type::none ? 0 : 1));
    std::vector<Expression*> code = {sites.start(id), guarded ? context.setRid(0) : builder.makeNop(),
                                     builder.makeLocalSet(both, call), store,
                                     sites.exitIfUnwinding(id, countdown.saysUnwinding(returned))};
    // As in transformStatement: the destination is written only if the callee did not unwind.
    if (set) code.push_back(builder.makeLocalSet(set->index, part(0)));
    return builder.makeBlock(code);
  }
};

// The two passes: each transforms the functions it was given a role for (byName), and only them.
// The first (UnwindRewind) handles the rewind copies and the functions without one, laying out
// their frames; the second (FastCopies) the functions with a rewind copy, whose frame the first
// laid out: run one after the other, never in one PassRunner (which would run both on one
// function before the other on the next).
struct UnwindRewind : public WalkerPass<PostWalker<UnwindRewind>> {
  struct Target {
    Index ordinal;
    Role role;
  };
  using Targets = std::unordered_map<Name, Target>;
  const UnwindRewindPlan* plan;
  // Shared by the per-function instances create() makes: building it per function took
  // seconds on SQLite's 2,000 functions.
  std::shared_ptr<const Targets> byName;

  UnwindRewind(const UnwindRewindPlan* plan, bool fastCopies) : plan(plan) {
    auto targets = std::make_shared<Targets>();
    for (Index i = 0; i < plan->ordered.size(); i++) {
      Name name = plan->ordered[i];
      auto copy = plan->rewindCopies.find(name);
      if (copy == plan->rewindCopies.end()) {
        if (!fastCopies) (*targets)[name] = {i, Role::Whole};
      } else {
        (*targets)[fastCopies ? name : copy->second] = {i, fastCopies ? Role::Fast : Role::Rewind};
      }
    }
    byName = std::move(targets);
  }
  UnwindRewind(const UnwindRewindPlan* plan, std::shared_ptr<const Targets> byName) : plan(plan), byName(std::move(byName)) {}
  bool isFunctionParallel() override { return true; }
  Pass* create() override { return new UnwindRewind(plan, byName); }

  void doWalkFunction(Function* func) {
    auto found = byName->find(func->name);
    if (found == byName->end()) return;
    auto [ordinal, role] = found->second;
    try {
      Name rewindCopy = role == Role::Fast ? plan->rewindCopies.at(func->name) : Name();
      FunctionTransformer(*getModule(), func, ordinal, *plan, (*plan->frames)[ordinal], role).run(rewindCopy);
    } catch (const Error& e) {
      plan->errors->record(e.what());
    }
  }
};
} // namespace

void WorkerErrors::rethrow() const {
  std::lock_guard<std::mutex> lock(mutex);
  if (!kept.empty()) throw Error(kept);
}

std::unique_ptr<wasm::Pass> createUnwindRewindPass(const UnwindRewindPlan* plan) {
  return std::make_unique<UnwindRewind>(plan, false);
}

std::unique_ptr<wasm::Pass> createFastCopiesPass(const UnwindRewindPlan* plan) {
  return std::make_unique<UnwindRewind>(plan, true);
}

} // namespace wasm_ckpt
