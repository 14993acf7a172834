// Makes flat functions able to stop at any resume point and to continue from a saved frame.
//
// A resume point is a poll point (a call to the poll marker) or a call that can unwind (a call to
// an instrumented function, or any call_indirect). Resume points are numbered 1..N in execution
// order, so the resume points inside any subtree form one contiguous range.
//
// Unwinding: after each resume point, if the run-time state says "unwinding", the function sets
// $rid to that point's number and branches out of the whole body to an epilogue that stores all
// locals in a frame record (frame_reserve) and returns zeros. The caller does the same after its
// call, and so on up the stack.
//
// Rewinding: a prologue, taken only while the state says "rewinding", reloads the locals and
// $rid from the function's frame record (frame_read). Control then has to reach resume point
// $rid without running anything else, so, inside every block on the way:
//   - statements before the last child that holds a resume point run only if $rid == 0;
//   - children holding resume points run only if $rid == 0 or $rid is in their range (not
//     checked where a list has just one such child: the range is implied);
//   - an `if` holding resume points picks its arm by range while rewinding;
//   - a call resume point clears $rid and calls: the callee rewinds its own frame and returns
//     normally, so execution simply goes on; the innermost poll point completes the restore.
// Flat IR (Binaryen's Flatten) guarantees that calls are statements and that no value is held on
// the value stack across one, so locals are the whole frame. Loop bodies start with their poll,
// which is their only resume point in call-free loops, so such loops get no guards at all.
//
// Two copies (plan.rewindCopies): the guards cost the normal path a test per statement group
// and keep the optimizer from seeing through the code (fib ran 2.3x slower with them). So each
// function is cloned, while flat, into a rewind copy that gets the guarded code above and is
// entered only to rewind, and the function itself (the fast copy, which every call, export and
// table entry still reaches) gets the same resume points, polls, unwind tests and epilogue but no
// guards; its prologue only hands a frame to rewind over to the rewind copy, which then finishes
// that call. Both copies come from the same flat function, so their locals agree and one frame
// layout serves both. As only a rewind enters the rewind copy, $rid is not 0 until its first
// resume point: the statements guarded by "$rid == 0" on the way there (outside loops, which
// run again after a resume) are left out of it (lean's Code section: 4.21x -> 4.06x, bench).
//
// Two passes, each of which changes only the function it is given (Binaryen's rule for
// function-parallel passes): UnwindRewind transforms the rewind copies and the functions without
// one, numbering their resume points and laying out their frames (FunctionFrame); FastCopies,
// run after it, transforms the functions that have a rewind copy, with the frame laid out for
// that copy.
//
// Huge functions (plan.huge) keep each loop poll's slow path in the loop and the countdown in
// the global: fewer virtual registers for V8, which compiles a function past 8192 of them with a
// much weaker register allocator (passes.h).
//
// At unwind sites (every resume point of a fast copy; the loop polls of other copies), the
// frame locals whose value is dead there are zeroed before the branch to the epilogue: the
// epilogue's stores would otherwise keep every frame local alive on every path to an unwind,
// which in a hot loop means values kept in registers or spilled to the stack at every
// iteration for nothing.
#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "ir/find_all.h"
#include "ir/utils.h"
#include "analysis/live_locals.h"
#include "passes/countdown.h"
#include "passes/passes.h"
#include "passes/resume_points.h"
#include "wasm-builder.h"

#include "runtime/runtime_names.h"
#include "wasm_ckpt/error.h"

namespace wasm_ckpt {

namespace {
using namespace wasm;

struct Range {
  Index lo = 0, hi = 0; // empty when lo == 0
  bool empty() const { return lo == 0; }
  void add(Range other) {
    if (other.empty()) return;
    if (empty()) {
      *this = other;
    } else {
      lo = std::min(lo, other.lo);
      hi = std::max(hi, other.hi);
    }
  }
};

// What one transformed copy of a function does.
enum class Role {
  Whole,  // normal execution and rewinding, with the guards on the normal path
  Rewind, // entered only to rewind a frame (by the fast copy's prologue); same code as Whole
  Fast,   // normal execution: no guards; hands a rewind over to the rewind copy; saves the
          // rewind copy's frame when unwinding
};

class FunctionTransformer {
public:
  // Role::Whole and Role::Rewind write `frame`; Role::Fast reads the frame that its rewind copy's
  // transformation wrote there.
  FunctionTransformer(Module& module, Function* func, Index ordinal, const UnwindRewindPlan& plan, FunctionFrame& frame,
                      Role role)
    : module(module), func(func), builder(module), ordinal(ordinal), plan(plan),
      layout(role == Role::Fast ? fastNumbering : frame.layout), callees(role == Role::Fast ? fastCallees : frame.callees),
      frame(frame), role(role), guarded(role != Role::Fast), huge(plan.huge.count(plan.ordered[ordinal])) {}

  // For Role::Fast: `rewindCopy`, the name of the rewind copy made from the same flat function
  // (so local indices and resume points agree), whose frame it reuses. Liveness at unwind sites
  // is the fast copy's own: the rewind copy's guards let paths skip any statement, which keeps
  // many more values alive on paper. Zeroing what the fast copy no longer reads is safe: after
  // its resume point the rewind copy runs with $rid == 0, through every guard, exactly the fast
  // copy's code.
  void run(Name rewindCopy = Name()) {
    std::vector<Index> saved;
    for (Index i = 0; i < func->getNumLocals(); i++) saved.push_back(i);
    number(func->body);
    rid = Builder::addVar(func, Name("wasm_ckpt$rid"), Type::i32);
    framePtr = Builder::addVar(func, Name("wasm_ckpt$frame"), Type::i32);
    countdown.emplace(func, builder, countdownModeOf(plan, func->name));
    countdown->finishOwnReturns(func->body);
    // A fast copy with an entry poll hands a rewind over in that poll's slow path: the run-time
    // code keeps the countdown at or below zero while rewinding, so every frame entered then
    // takes it. Each call saves the load of the state.
    if (role == Role::Fast && entryPoll) handOverAtEntryPoll = makeHandOver(rewindCopy);
    surelyRewinding = role == Role::Rewind;
    Expression* body = transformBody(func->body);

    auto* inner = builder.makeBlock(unwindLabel);
    inner->list.push_back(builder.makeNop()); // the prologue, below
    inner->list.push_back(countdown->threaded() ? builder.makeNop() : countdown->reload(0));
    inner->list.push_back(body);
    if (body->type != Type::unreachable) inner->list.push_back(countdown->makeFinalReturn());
    inner->finalize(Type::none);
    auto* outer = builder.makeBlock(inner);
    outer->list.push_back(builder.makeNop()); // the epilogue, below
    func->body = outer;
    if (role == Role::Fast) {
      setFrame(inner, outer, frame.locals);
      inner->list[0] = handOverAtEntryPoll ? builder.makeNop() : makeHandOver(rewindCopy);
    } else {
      setFrame(inner, outer, saved);
      if (plan.saveLiveLocalsOnly) setFrame(inner, outer, localsReadAfterRewind(inner->list[0]->cast<If>(), outer));
      for (Index i : frameLocals) layout.locals.push_back(valueKindOf(func->getLocalType(i)));
      frame.locals = frameLocals;
    }
    zeroDeadLocals(outer);
    if (countdown->threaded()) countdown->threadThroughSignature();
    ReFinalize().walkFunctionInModule(func, &module);
  }

private:
  Module& module;
  Function* func;
  Builder builder;
  Index ordinal;
  const UnwindRewindPlan& plan;
  FrameLayout fastNumbering; // the fast copy numbers its resume points here: the same as the rewind copy's
  FrameLayout& layout;
  std::vector<Name> fastCallees;
  std::vector<Name>& callees; // per resume point, the callee of a direct call (else no name)
  FunctionFrame& frame;
  Role role;
  bool guarded; // normal execution passes the rewind guards
  bool huge;    // UnwindRewindPlan::huge: loop polls inline, the countdown in the global
  Index rid = 0, framePtr = 0;
  std::optional<CountdownCode> countdown; // in the mode the plan chose for this function
  std::vector<Index> frameLocals;
  std::unordered_map<Expression*, Name> coldPolls; // loop-header poll marker -> its cold exit
  Name unwindLabel{"wasm_ckpt$unwind"};
  std::unordered_map<Expression*, Index> ids;
  Expression* entryPoll = nullptr;       // the entry poll's marker, if any
  // While transforming: every path from the entry to here passes no resume point and no loop
  // header, in a rewind copy, which only a rewind enters: $rid is then not 0, so code guarded
  // by "$rid == 0" never runs and is left out, and range guards need not test for 0.
  bool surelyRewinding = false;
  Expression* handOverAtEntryPoll = nullptr; // Role::Fast: the hand-over, moved into the entry poll's slow path
  std::unordered_set<Index> loopPolls;   // ids of the polls in loops (all but the entry poll)
  std::unordered_set<Expression*> loopHeaderPolls; // their markers that head a loop (the others come between chunks)
  std::unordered_map<Expression*, Range> ranges;

  // Numbers resume points in execution order (post-order is execution order in flat IR).
  // InsertPolls puts the entry poll first in the body; every other poll heads a loop, or comes
  // between two chunks of a chunked loop (ChunkLoops).
  void number(Expression* root) {
    Expression* first = firstStatement(root);
    entryPoll = isPollMarker(first) ? first : nullptr;
    for (auto* loop : FindAll<Loop>(root).list) {
      if (auto* header = firstStatement(loop->body); isPollMarker(header)) loopHeaderPolls.insert(header);
    }
    struct Numberer : PostWalker<Numberer, UnifiedExpressionVisitor<Numberer>> {
      FunctionTransformer* self;
      void visitExpression(Expression* curr) {
        if (!isResumePoint(self->plan, curr)) return;
        Index id = Index(self->layout.resumePoints.size() + 1);
        self->ids[curr] = id;
        if (isPollMarker(curr) && curr != self->entryPoll) self->loopPolls.insert(id);
        self->layout.resumePoints.push_back(self->resumePoint(curr));
        auto* call = curr->dynCast<Call>();
        self->callees.push_back(call && !isPollMarker(call) ? call->target : Name());
      }
    } numberer;
    numberer.self = this;
    numberer.walk(root);
  }

  ResumePoint resumePoint(Expression* curr) const {
    if (auto* call = curr->dynCast<Call>()) {
      if (call->target != runtime::pollMarker()) return {ResumeKind::Call, 0, "call " + std::string(call->target.str)};
      if (curr == entryPoll) return {ResumeKind::Poll, 0, "poll at function entry"};
      return {ResumeKind::Poll, 0, loopHeaderPolls.count(curr) ? "poll at loop header" : "poll between chunks of a loop"};
    }
    return {ResumeKind::CallIndirect, 0, "call_indirect " + curr->cast<CallIndirect>()->heapType.toString()};
  }

  Range range(Expression* curr) {
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

  Expression* getRid() { return builder.makeLocalGet(rid, Type::i32); }
  Expression* setRid(Index value) { return builder.makeLocalSet(rid, builder.makeConst(int32_t(value))); }
  Expression* inRange(Range r) {
    if (r.lo == r.hi) return builder.makeBinary(EqInt32, getRid(), builder.makeConst(int32_t(r.lo)));
    return builder.makeBinary(LtUInt32, builder.makeBinary(SubInt32, getRid(), builder.makeConst(int32_t(r.lo))),
                              builder.makeConst(int32_t(r.hi - r.lo + 1)));
  }
  Expression* notRewinding() { return builder.makeUnary(EqZInt32, getRid()); }
  Expression* guardRange(Range r, Expression* curr) {
    return builder.makeIf(builder.makeBinary(OrInt32, notRewinding(), inRange(r)), curr);
  }
  // A resume point's unwind site: `start`, an empty block right before the resume point's own
  // code, marks where liveness is read; `exit` is its branch to the epilogue, which
  // zeroDeadLocals retargets to a block that zeroes the frame locals dead there.
  struct UnwindSite {
    Block* start;
    Block* exitPath = nullptr; // (rid = id, exit)
    Break* exit = nullptr;
  };
  // In the fast copy every resume point gets one: a value dead at a call but kept for the
  // epilogue stays in a register or a stack slot across the call and everything before it, and
  // in an interpreter's dispatch loop, with hundreds of calls that can unwind, the values of
  // every case stay alive through every other case (SQLite ran 1.96x slower under TurboFan, 1.0-1.2x
  // with the zeroing). The rewind copy and a guarded whole function keep them at loop polls
  // only, where the cost is paid per iteration: they run only after a restore or in the
  // small-code mode, and each zeroing is code.
  std::vector<UnwindSite> unwindSites;
  std::unordered_map<Index, size_t> siteOf; // resume point id -> its entry in unwindSites
  // Where the code of resume point `id` starts: what is live here is what rewinding to it
  // needs, the operands of its call (a call_indirect's target!) included.
  Expression* resumePointStart(Index id) {
    if (role != Role::Fast && !loopPolls.count(id)) return builder.makeNop();
    auto* start = builder.makeBlock();
    siteOf[id] = unwindSites.size();
    unwindSites.push_back({start});
    return start;
  }
  // After a resume point: if the state (or `unwinding`) says "unwinding", leave through the
  // epilogue.
  Expression* unwindIfRequested(Index id, Expression* unwinding = nullptr) {
    if (!unwinding) unwinding = builder.makeGlobalGet(runtime::stateGlobal(), Type::i32);
    auto* exit = builder.makeBreak(unwindLabel);
    auto* exitPath = builder.makeSequence(setRid(id), exit);
    if (auto found = siteOf.find(id); found != siteOf.end()) {
      unwindSites[found->second].exitPath = exitPath;
      unwindSites[found->second].exit = exit;
    }
    return builder.makeIf(unwinding, exitPath);
  }

  // The locals live at each of `markers`, not counting the reads of the epilogue (the second
  // statement of `outer`), which is set aside meanwhile.
  std::unordered_map<Block*, LocalIndexSet> liveIgnoringEpilogue(Block* outer, const std::vector<Block*>& markers) {
    auto* epilogue = outer->list[1];
    outer->list[1] = builder.makeNop();
    auto live = liveLocalsAt(module, func, markers);
    outer->list[1] = epilogue;
    return live;
  }

  // Zeroes, on the way from each unwind site to the epilogue, the frame locals dead there (so
  // that the optimizer can end those values' lives early). "Dead" is read where the resume
  // point's code starts (a call does not change the value there: its result goes to a fresh
  // local), the epilogue's reads left out: it stores every frame local, and a value dead at the
  // site would otherwise be kept alive, often in memory, by every path to an unwind, such as the
  // cold exit of a hot loop. Sites with the same dead locals share one zeroing block (a 1171-site
  // function of SQLite's needs 150 of them), nested around the body (`inner`, the first statement
  // of `outer`) right before the epilogue, larger sets inside smaller ones:
  //   block $zeroed (block $zero1 (block $zero0 (inner) (br $zeroed)) zero0 (br $zero1)) zero1
  // A site or block whose dead locals include a shared block's zeroes only the rest and then
  // branches to that block (its "parent": above, zero0's set includes zero1's), so the dead
  // locals common to many sites are zeroed once in the code; this halves the zeroing code of a
  // printf with 130 sites. A site whose dead locals no other site shares zeroes them on its own
  // path: only shared sets are nested, as Binaryen's passes slow down with nesting depth.
  void zeroDeadLocals(Block* outer) {
    if (unwindSites.empty()) return;
    std::vector<Block*> markers;
    for (auto& site : unwindSites) markers.push_back(site.start);
    auto live = liveIgnoringEpilogue(outer, markers);
    using DeadSet = std::vector<Index>; // sorted
    std::map<DeadSet, std::vector<UnwindSite*>> sitesByDead;
    std::vector<const DeadSet*> firstSeen; // deterministic order
    for (auto& site : unwindSites) {
      auto& alive = live[site.start];
      DeadSet dead;
      for (Index x : frameLocals) {
        if (!alive.count(x)) dead.push_back(x);
      }
      if (dead.empty()) continue;
      std::sort(dead.begin(), dead.end());
      auto [entry, added] = sitesByDead.try_emplace(std::move(dead));
      entry->second.push_back(&site);
      if (added) firstSeen.push_back(&entry->first);
    }
    std::vector<const DeadSet*> shared; // innermost first
    for (auto* dead : firstSeen) {
      if (sitesByDead[*dead].size() > 1) shared.push_back(dead);
    }
    std::stable_sort(shared.begin(), shared.end(), [](auto* a, auto* b) { return a->size() > b->size(); });
    std::map<const DeadSet*, Name> labelOf;
    for (auto* dead : shared) labelOf[dead] = Name("wasm_ckpt$zero" + std::to_string(labelOf.size()));
    auto zeroBytes = [&](const DeadSet& dead) {
      size_t bytes = 0;
      for (Index x : dead) bytes += func->getLocalType(x).getByteSize() + 3;
      return bytes;
    };
    // The shared set, other than `dead`, whose locals `dead` includes and whose zeroing is
    // the longest, if any.
    auto parentOf = [&](const DeadSet& dead) -> const DeadSet* {
      const DeadSet* best = nullptr;
      for (auto* candidate : shared) {
        if (candidate->size() >= dead.size() || (best && zeroBytes(*candidate) <= zeroBytes(*best))) continue;
        if (std::includes(dead.begin(), dead.end(), candidate->begin(), candidate->end())) best = candidate;
      }
      return best;
    };
    // Zeroes what of `dead` its parent does not, and returns the parent's label (or null).
    auto zeroesUpTo = [&](const DeadSet& dead, std::vector<Expression*>& code) -> Name {
      const DeadSet* parent = parentOf(dead);
      for (Index x : dead) {
        if (parent && std::binary_search(parent->begin(), parent->end(), x)) continue;
        code.push_back(builder.makeLocalSet(x, builder.makeConstantExpression(Literal::makeZero(func->getLocalType(x)))));
      }
      return parent ? labelOf[parent] : Name();
    };
    for (auto* dead : firstSeen) {
      auto& sites = sitesByDead[*dead];
      if (sites.size() > 1) continue;
      std::vector<Expression*> code;
      Name parent = zeroesUpTo(*dead, code);
      if (parent.is()) sites[0]->exit->name = parent;
      code.insert(code.end(), sites[0]->exitPath->list.begin(), sites[0]->exitPath->list.end());
      sites[0]->exitPath->list.set(code);
    }
    Name zeroed("wasm_ckpt$zeroed");
    Expression* nested = outer->list[0]; // the body wrapped in the shared zeroing blocks so far
    for (auto* dead : shared) {
      Name label = labelOf[dead];
      for (auto* site : sitesByDead[*dead]) site->exit->name = label;
      // Typed by hand: finalize() would search the whole body for branches, once per level.
      auto* within = builder.makeSequence(nested, builder.makeBreak(zeroed));
      within->name = label;
      within->finalize(Type::none, Block::HasBreak);
      std::vector<Expression*> after = {within};
      Name parent = zeroesUpTo(*dead, after);
      if (parent.is()) after.push_back(builder.makeBreak(parent));
      nested = builder.makeBlock(after);
    }
    if (!shared.empty()) outer->list[0] = builder.makeBlock(zeroed, nested);
  }

  Expression* transformBody(Expression* curr) {
    if (auto* block = curr->dynCast<Block>()) {
      transformList(block->list);
      return block;
    }
    return transform(curr);
  }

  Expression* transform(Expression* curr) {
    Range r = range(curr);
    if (r.empty()) return curr;
    if (auto* block = curr->dynCast<Block>()) {
      transformList(block->list);
      return block;
    }
    if (auto* loop = curr->dynCast<Loop>()) {
      surelyRewinding = false; // the body runs again after a resume inside it
      Expression* header = firstStatement(loop->body);
      if (!isPollMarker(header) || huge) {
        loop->body = transformBody(loop->body);
        return loop;
      }
      return makeLoopWithColdPoll(loop, header);
    }
    if (auto* iff = curr->dynCast<If>()) {
      if (iff->condition->type == Type::unreachable) return iff;
      Range thenRange = range(iff->ifTrue);
      bool rewindingHere = surelyRewinding;
      iff->ifTrue = transformBody(iff->ifTrue);
      surelyRewinding = rewindingHere;
      if (iff->ifFalse) iff->ifFalse = transformBody(iff->ifFalse);
      if (!guarded) return iff;
      Expression* whileRewinding = thenRange.empty() ? builder.makeConst(int32_t(0)) : inRange(thenRange);
      bool conditionIsPure = iff->condition->is<LocalGet>() || iff->condition->is<Const>(); // flat IR
      iff->condition = rewindingHere && conditionIsPure ? whileRewinding : builder.makeSelect(getRid(), whileRewinding, iff->condition);
      return iff;
    }
    return transformStatement(curr, r.lo);
  }

  void transformList(ExpressionList& list) {
    Index holders = 0, last = 0;
    for (Index i = 0; i < list.size(); i++) {
      if (!range(list[i]).empty()) {
        holders++;
        last = i;
      }
    }
    if (holders == 0) return;
    if (!guarded) {
      for (auto*& child : list) {
        if (!range(child).empty()) child = transform(child);
      }
      return;
    }
    std::vector<Expression*> out, pending;
    auto flush = [&]() {
      if (pending.empty()) return;
      if (!surelyRewinding) out.push_back(builder.makeIf(notRewinding(), builder.makeBlock(pending)));
      pending.clear();
    };
    for (Index i = 0; i < list.size(); i++) {
      Expression* child = list[i];
      Range r = range(child);
      if (r.empty()) {
        if (i < last) pending.push_back(child);
        else out.push_back(child);
        continue;
      }
      flush();
      bool rewindingHere = surelyRewinding;
      Expression* transformed = transform(child);
      if (holders > 1) transformed = rewindingHere ? builder.makeIf(inRange(r), transformed) : guardRange(r, transformed);
      out.push_back(transformed);
      surelyRewinding = false; // $rid is 0 if the resume point was in there
    }
    list.set(out);
  }

  Expression* transformStatement(Expression* stmt, Index id) {
    Expression* call = stmt;
    if (auto* set = stmt->dynCast<LocalSet>()) call = set->value;
    // Local coalescing turns the set of a result nothing reads into a drop.
    if (auto* drop = stmt->dynCast<Drop>()) call = drop->value;
    if (!ids.count(call)) throw Error("internal error: unexpected non-flat code in function '" + std::string(func->name.str) + "'");
    if (isPollMarker(call)) {
      auto cold = coldPolls.find(call);
      if (cold != coldPolls.end()) return makeFastPoll(cold->second, pollMarkerWeight(call));
      return makePoll(id, pollMarkerWeight(call), call == entryPoll ? handOverAtEntryPoll : nullptr);
    }
    auto* set = stmt->dynCast<LocalSet>();
    Index destination = set ? set->index : 0;
    auto* direct = call->dynCast<Call>();
    if (direct && countdownModeOf(plan, direct->target) == CountdownMode::Threaded) return callThreaded(direct, set, id);
    // The callee may poll: it sees and updates the countdown in the global.
    std::vector<Expression*> code = {resumePointStart(id), guarded ? setRid(0) : builder.makeNop(), countdown->flush(), stmt};
    if (countdown->inLocal()) {
      code.push_back(countdown->reload(0));
      code.push_back(unwindIfRequested(id, countdown->saysUnwinding(countdown->get())));
    } else {
      code.push_back(unwindIfRequested(id));
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
    Type results = call->type;
    countdown->passTo(call);
    Index both = resultLocal(call->type);
    auto part = [&](Index index) -> Expression* {
      auto* whole = builder.makeLocalGet(both, call->type);
      return results == Type::none ? (Expression*)whole : builder.makeTupleExtract(whole, index);
    };
    auto [store, returned] = countdown->store(part(results == Type::none ? 0 : 1));
    std::vector<Expression*> code = {resumePointStart(id), guarded ? setRid(0) : builder.makeNop(),
                                     builder.makeLocalSet(both, call), store,
                                     unwindIfRequested(id, countdown->saysUnwinding(returned))};
    // As in transformStatement: the destination is written only if the callee did not unwind.
    if (set) code.push_back(builder.makeLocalSet(set->index, part(0)));
    return builder.makeBlock(code);
  }

  Expression* callSlowPath(Index id) {
    auto* start = resumePointStart(id);
    return builder.makeBlock({start, countdown->flush(), setRid(0), builder.makeCall(runtime::pollSlow(), {}, Type::none),
                              unwindIfRequested(id)});
  }

  std::unordered_map<Type, Index> resultLocals;
  Index resultLocal(Type type) {
    auto found = resultLocals.find(type);
    if (found != resultLocals.end()) return found->second;
    return resultLocals[type] = Builder::addVar(func, type);
  }

  // countdown -= weight; if it ran out, the slow path decides (checkpoint, restore done, or
  // not), after `handOver`, if any, has taken a frame to rewind to the rewind copy.
  Expression* makePoll(Index id, int32_t weight, Expression* handOver = nullptr) {
    auto* slowPath = builder.makeSequence(callSlowPath(id), countdown->reload(0));
    if (handOver) slowPath = builder.makeSequence(handOver, slowPath);
    auto [decrement, ranOut] = countdown->decrement(weight);
    return builder.makeSequence(decrement, builder.makeIf(ranOut, slowPath));
  }

  // A loop-header poll that keeps the slow path out of the loop (the hot loop contains no call):
  //   (block $done (loop $reenter (block $cold (loop $L <poll: br_if $cold> ...) (br $done))
  //                               <slow path> (br $reenter)))
  // After the slow path the loop is re-entered from the top, so its poll runs again: the
  // countdown is raised by the poll's weight first, so that the same poll is not counted twice.
  Expression* makeLoopWithColdPoll(Loop* loop, Expression* header) {
    Index id = ids.at(header);
    std::string suffix = std::to_string(id);
    Name cold("wasm_ckpt$cold" + suffix), reenter("wasm_ckpt$reenter" + suffix), done("wasm_ckpt$done" + suffix);
    coldPolls[header] = cold;
    loop->body = transformBody(loop->body);
    auto* coldBlock = builder.makeBlock(cold, loop);
    coldBlock->list.push_back(builder.makeBreak(done));
    coldBlock->finalize();
    auto* slowPath =
      builder.makeBlock(std::vector<Expression*>{coldBlock, callSlowPath(id), countdown->reload(pollMarkerWeight(header)), builder.makeBreak(reenter)});
    return builder.makeBlock(done, builder.makeLoop(reenter, slowPath));
  }

  Expression* makeFastPoll(Name cold, int32_t weight) {
    auto [decrement, ranOut] = countdown->decrement(weight);
    return builder.makeSequence(decrement, builder.makeBreak(cold, nullptr, ranOut));
  }

  // The locals whose value, as reloaded by the prologue, some code can read: the others need
  // not be in the frame. Reads by the epilogue itself do not count.
  std::vector<Index> localsReadAfterRewind(If* prologue, Block* outer) {
    auto* loads = prologue->ifTrue->cast<Block>();
    auto* end = builder.makeBlock();
    loads->list.push_back(end);
    auto liveAt = liveIgnoringEpilogue(outer, {end});
    loads->list.pop_back();
    std::vector<Index> kept;
    for (auto* set : FindAll<LocalSet>(prologue).list) {
      if (set->index != rid && set->index != framePtr && liveAt[end].count(set->index)) kept.push_back(set->index);
    }
    return kept;
  }

  // Installs the prologue and epilogue for a frame made of `locals`.
  void setFrame(Block* inner, Block* outer, const std::vector<Index>& locals) {
    frameLocals = locals;
    inner->list[0] = makePrologue();
    outer->list[1] = makeEpilogue();
    outer->finalize();
  }

  uint32_t payloadSize() const {
    uint32_t size = 0;
    for (Index i : frameLocals) size += func->getLocalType(i).getByteSize();
    return size;
  }

  Expression* makePrologue() {
    std::vector<Expression*> loads;
    loads.push_back(builder.makeLocalSet(
      framePtr, builder.makeCall(runtime::frameRead(),
                                 {builder.makeConst(int32_t(ordinal)), builder.makeConst(int32_t(payloadSize())),
                                  builder.makeConst(int32_t(layout.resumePoints.size()))},
                                 Type::i32)));
    uint32_t offset = FRAME_HEADER_SIZE;
    for (Index i : frameLocals) {
      Type type = func->getLocalType(i);
      unsigned bytes = type.getByteSize();
      loads.push_back(builder.makeLocalSet(
        i, builder.makeLoad(bytes, false, offset, 1, builder.makeLocalGet(framePtr, Type::i32), type)));
      offset += bytes;
    }
    loads.push_back(builder.makeLocalSet(
      rid, builder.makeLoad(4, false, FRAME_RESUME_ID, 1, builder.makeLocalGet(framePtr, Type::i32), Type::i32)));
    // No instrumented function is entered while unwinding, so a non-zero state here means
    // rewinding: one test on the path of every call.
    return builder.makeIf(builder.makeGlobalGet(runtime::stateGlobal(), Type::i32), builder.makeBlock(loads));
  }

  // The fast copy's prologue: a frame to rewind is the rewind copy's business. No instrumented
  // function is entered while unwinding, so a non-zero state means rewinding.
  Expression* makeHandOver(Name rewindCopy) {
    std::vector<Expression*> params;
    for (Index i = 0; i < func->getNumParams(); i++) params.push_back(builder.makeLocalGet(i, func->getLocalType(i)));
    auto* call = builder.makeCall(rewindCopy, params, func->getResults());
    return builder.makeIf(builder.makeGlobalGet(runtime::stateGlobal(), Type::i32), countdown->makeHandOverReturn(call));
  }

  // After the unwind branch: append this frame's record and return zeros.
  Expression* makeEpilogue() {
    std::vector<Expression*> stores;
    stores.push_back(builder.makeLocalSet(
      framePtr, builder.makeCall(runtime::frameReserve(),
                                 {builder.makeConst(int32_t(ordinal)), getRid(), builder.makeConst(int32_t(payloadSize()))},
                                 Type::i32)));
    uint32_t offset = FRAME_HEADER_SIZE;
    for (Index i : frameLocals) {
      Type type = func->getLocalType(i);
      unsigned bytes = type.getByteSize();
      stores.push_back(builder.makeStore(bytes, offset, 1, builder.makeLocalGet(framePtr, Type::i32),
                                         builder.makeLocalGet(i, type), type));
      offset += bytes;
    }
    Type results = func->getResults();
    stores.push_back(
      countdown->makeUnwindingReturn(results == Type::none ? nullptr : builder.makeConstantExpression(Literal::makeZero(results))));
    return builder.makeBlock(stores);
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
