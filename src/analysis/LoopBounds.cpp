// Finds the loops that can go without a poll point: counted loops whose whole execution is
// statically bounded by a small amount of work (see loop_bounds.h). Loops are visited inner
// first, so a loop's work includes the work of the poll-free loops nested in it, and a polled
// inner loop counts as one expression (its poll is reached at its first iteration).
#include "analysis/loop_bounds.h"

#include <algorithm>
#include <optional>
#include <set>
#include <vector>
#include <unordered_map>

#include "ir/branch-utils.h"
#include "ir/find_all.h"
#include "ir/properties.h"
#include "ir/utils.h"
#include "wasm-traversal.h"
#include "wasm.h"

namespace wasm_ckpt {

namespace {
using namespace wasm;
using Wide = __int128;

enum class Compare { Ne, Lt, Le, Gt, Ge };

// The back edge's test, normalized to `counter CMP limit` (counter on the left).
struct CounterTest {
  Index counter = 0;
  Compare compare = Compare::Ne;
  bool isSigned = false;
  unsigned bits = 32;
  Wide step = 0;  // added to the counter once per iteration, as a signed value
  std::optional<Index> stepLocal; // instead, a local added to it
  Literal limit;
};

std::optional<CounterTest> decodeCompare(BinaryOp op, CounterTest test, bool counterOnLeft) {
  auto set = [&](Compare compare, bool isSigned) {
    // `limit CMP counter` is `counter CMP' limit` with the comparison mirrored.
    if (!counterOnLeft) {
      switch (compare) {
        case Compare::Lt: compare = Compare::Gt; break;
        case Compare::Le: compare = Compare::Ge; break;
        case Compare::Gt: compare = Compare::Lt; break;
        case Compare::Ge: compare = Compare::Le; break;
        case Compare::Ne: break;
      }
    }
    test.compare = compare;
    test.isSigned = isSigned;
    return std::optional<CounterTest>(test);
  };
  switch (op) {
    case NeInt32: case NeInt64: return set(Compare::Ne, false);
    case LtSInt32: case LtSInt64: return set(Compare::Lt, true);
    case LtUInt32: case LtUInt64: return set(Compare::Lt, false);
    case LeSInt32: case LeSInt64: return set(Compare::Le, true);
    case LeUInt32: case LeUInt64: return set(Compare::Le, false);
    case GtSInt32: case GtSInt64: return set(Compare::Gt, true);
    case GtUInt32: case GtUInt64: return set(Compare::Gt, false);
    case GeSInt32: case GeSInt64: return set(Compare::Ge, true);
    case GeUInt32: case GeUInt64: return set(Compare::Ge, false);
    default: return std::nullopt;
  }
}

Wide signedValue(const Literal& value) {
  return value.type == Type::i32 ? Wide(value.geti32()) : Wide(value.geti64());
}

Wide asInterpreted(const Literal& value, bool isSigned) {
  if (isSigned) return signedValue(value);
  return value.type == Type::i32 ? Wide(uint32_t(value.geti32())) : Wide(uint64_t(value.geti64()));
}

// `local.tee $i (i.add (local.get $i) (const STEP))`, `(i.add (const STEP) (local.get $i))` or
// `(i.sub (local.get $i) (const STEP))`; or `(i.add (local.get $i) (local.get $s))` (either order).
std::optional<CounterTest> decodeUpdate(Expression* expr) {
  auto* tee = expr->dynCast<LocalSet>();
  if (!tee || !tee->isTee()) return std::nullopt;
  auto* update = tee->value->dynCast<Binary>();
  if (!update) return std::nullopt;
  bool add = update->op == AddInt32 || update->op == AddInt64;
  bool sub = update->op == SubInt32 || update->op == SubInt64;
  if (!add && !sub) return std::nullopt;
  CounterTest test;
  test.counter = tee->index;
  test.bits = tee->type == Type::i32 ? 32 : 64;
  auto* left = update->left->dynCast<LocalGet>();
  auto* right = update->right->dynCast<LocalGet>();
  if (add && left && right && (left->index == tee->index) != (right->index == tee->index)) {
    test.stepLocal = left->index == tee->index ? right->index : left->index;
    return test;
  }
  auto* get = left;
  auto* step = update->right->dynCast<Const>();
  if (add && !get) {
    get = right;
    step = update->left->dynCast<Const>();
  }
  if (!get || !step || get->index != tee->index) return std::nullopt;
  test.step = sub ? -signedValue(step->value) : signedValue(step->value);
  return test;
}

// The back edge of `loop`, decoded, if the loop has the counted shape, and its limit: an
// expression, or null for `br_if $loop (local.tee $i ...)` (a test against zero).
struct BackEdge {
  CounterTest test;
  Expression* limit = nullptr;
};
std::optional<BackEdge> decodeBackEdge(Loop* loop, Break* backEdge) {
  if (!backEdge || backEdge->name != loop->name || !backEdge->condition || backEdge->value) return std::nullopt;
  if (auto test = decodeUpdate(backEdge->condition)) {
    test->limit = Literal::makeZero(backEdge->condition->type);
    auto compare = decodeCompare(backEdge->condition->type == Type::i32 ? NeInt32 : NeInt64, *test, true);
    if (!compare) return std::nullopt;
    return BackEdge{*compare, nullptr};
  }
  auto* compare = backEdge->condition->dynCast<Binary>();
  if (!compare) return std::nullopt;
  bool counterOnLeft = true;
  auto test = decodeUpdate(compare->left);
  Expression* limit = compare->right;
  if (!test) {
    counterOnLeft = false;
    test = decodeUpdate(compare->right);
    limit = compare->left;
  }
  if (!test) return std::nullopt;
  auto decoded = decodeCompare(compare->op, *test, counterOnLeft);
  if (!decoded) return std::nullopt;
  return BackEdge{*decoded, limit};
}

// The back edge of a loop in the shape ChunkLoops rewrites: the last statement of the body.
std::optional<BackEdge> decodeBackEdgeShape(Loop* loop) {
  Expression* last = loop->body;
  if (auto* block = last->dynCast<Block>()) {
    if (block->list.empty()) return std::nullopt;
    last = block->list.back();
  }
  return decodeBackEdge(loop, last->dynCast<Break>());
}

// The loop's only branch back to its header, wherever it is in the body (say in an `if`, the
// loop leaving early on other paths), if it is a `br_if` outside any loop nested in this one:
// evaluated at most once per iteration, it is then the only way to start the next one, so the
// trip count is bounded as if it ended the body.
Break* onlyBackEdgeOutsideInnerLoops(Loop* loop) {
  struct Finder : ExpressionStackWalker<Finder> {
    Name target;
    std::vector<Break*> found;
    bool inInnerLoop = false;
    void visitBreak(Break* curr) {
      if (curr->name != target) return;
      found.push_back(curr);
      for (auto* enclosing : expressionStack) inInnerLoop |= enclosing->is<Loop>();
    }
  } finder;
  finder.target = loop->name;
  finder.walk(loop->body);
  return finder.found.size() == 1 && !finder.inInnerLoop ? finder.found[0] : nullptr;
}

// The back edge of `loop`, decoded, if the loop has the counted shape (anywhere in the body) with
// a constant limit and a constant step.
std::optional<CounterTest> decodeCountedBackEdge(Loop* loop) {
  auto edge = decodeBackEdge(loop, onlyBackEdgeOutsideInnerLoops(loop));
  if (!edge || edge->test.stepLocal) return std::nullopt;
  if (!edge->limit) return edge->test;
  auto* limit = edge->limit->dynCast<Const>();
  if (!limit) return std::nullopt;
  edge->test.limit = limit->value;
  return edge->test;
}

// How many times the body runs: the first t >= 1 for which `init + t * step` fails the test,
// computed without wrap-around, or nothing when the counter would wrap first (then the loop
// runs on the order of 2^bits times, which is no bound worth having).
std::optional<Wide> tripCount(const CounterTest& test, const Literal& init) {
  Wide step = test.step;
  if (step == 0) return std::nullopt;
  if (test.compare == Compare::Ne) {
    Wide modulus = Wide(1) << test.bits;
    Wide distance = asInterpreted(test.limit, false) - asInterpreted(init, false);
    if (step < 0) distance = -distance;
    distance = ((distance % modulus) + modulus) % modulus;
    Wide stride = step < 0 ? -step : step;
    if (distance == 0 || distance % stride != 0) return std::nullopt;
    return distance / stride;
  }
  Wide lo = test.isSigned ? -(Wide(1) << (test.bits - 1)) : 0;
  Wide hi = test.isSigned ? (Wide(1) << (test.bits - 1)) - 1 : (Wide(1) << test.bits) - 1;
  Wide start = asInterpreted(init, test.isSigned);
  Wide limit = asInterpreted(test.limit, test.isSigned);
  bool upward = test.compare == Compare::Lt || test.compare == Compare::Le;
  if (upward != (step > 0)) return std::nullopt; // counting away from the limit: wraps
  // The first value that fails the test: limit itself for < and >, one past it for <= and >=.
  Wide stop = limit;
  if (test.compare == Compare::Le) stop = limit + 1;
  if (test.compare == Compare::Ge) stop = limit - 1;
  Wide distance = upward ? stop - start : start - stop;
  Wide stride = upward ? step : -step;
  Wide trips = distance <= 0 ? 1 : (distance + stride - 1) / stride;
  Wide last = start + trips * step; // the value that ends the loop must not have wrapped
  if (last < lo || last > hi) return std::nullopt;
  return trips;
}

// The values an integer expression can take, as unsigned numbers of its type, from what every
// evaluation of it guarantees: a loop counter that starts from a loaded byte, a masked value, or
// the larger of such a value and a constant (clang's max idiom) has a bounded trip count too.
struct ValueRange {
  Wide lo = 0, hi = 0;
};

// How deep valueRange looks into an expression: below, any value. It recurses, and a counter's
// start is a small expression in practice; a generated one can be nested arbitrarily deep.
constexpr int kValueRangeDepth = 16;

ValueRange valueRange(Expression* expr, int depth = 0);

// Whether `reread`, evaluated after `first` with no write to `first`'s local in between, reads the
// value `first` produced: the same local read twice, a tee and a read of its local, or the same
// constant.
bool sameValue(Expression* first, Expression* reread) {
  auto* get = reread->dynCast<LocalGet>();
  if (auto* set = first->dynCast<LocalSet>()) return get && set->index == get->index;
  if (auto* firstGet = first->dynCast<LocalGet>()) return get && firstGet->index == get->index;
  auto* constant = first->dynCast<Const>();
  auto* again = reread->dynCast<Const>();
  return constant && again && constant->value == again->value;
}

// Whether `expr` calls anything: a call inside a loop is a resume point and does work the
// loop's own measure does not see, so neither chunked nor unrolled loops may hold one.
bool containsCall(Expression* expr) {
  struct Finder : PostWalker<Finder, UnifiedExpressionVisitor<Finder>> {
    bool found = false;
    void visitExpression(Expression* curr) { found = found || curr->is<Call>() || curr->is<CallIndirect>() || curr->is<CallRef>(); }
  } finder;
  finder.walk(expr);
  return finder.found;
}

// (select A B (A > B)) is the larger of A and B, and so on: clang's max and min. Signed compares
// only where neither operand can be negative.
std::optional<ValueRange> maxOrMinRange(Select* select, ValueRange aRange, ValueRange bRange, Wide signBit) {
  auto* compare = select->condition->dynCast<Binary>();
  if (!compare) return std::nullopt;
  // The arms run first, then the condition: B must leave A's local alone.
  Expression* a = select->ifTrue;
  Index aLocal = a->is<LocalSet>() ? a->cast<LocalSet>()->index : a->is<LocalGet>() ? a->cast<LocalGet>()->index : Index(-1);
  for (auto* set : FindAll<LocalSet>(select->ifFalse).list) {
    if (set->index == aLocal) return std::nullopt;
  }
  bool direct = sameValue(select->ifTrue, compare->left) && sameValue(select->ifFalse, compare->right);
  bool mirrored = sameValue(select->ifTrue, compare->right) && sameValue(select->ifFalse, compare->left);
  if (!direct && !mirrored) return std::nullopt;
  bool nonNegative = aRange.hi < signBit && bRange.hi < signBit;
  std::optional<bool> picksLarger; // picks A when A is larger (max) or when it is smaller (min)
  switch (compare->op) {
    case GtUInt32: case GtUInt64: case GeUInt32: case GeUInt64: picksLarger = true; break;
    case LtUInt32: case LtUInt64: case LeUInt32: case LeUInt64: picksLarger = false; break;
    case GtSInt32: case GtSInt64: case GeSInt32: case GeSInt64: if (nonNegative) picksLarger = true; break;
    case LtSInt32: case LtSInt64: case LeSInt32: case LeSInt64: if (nonNegative) picksLarger = false; break;
    default: break;
  }
  if (!picksLarger) return std::nullopt;
  bool max = *picksLarger == direct;
  if (max) return ValueRange{std::max(aRange.lo, bRange.lo), std::max(aRange.hi, bRange.hi)};
  return ValueRange{std::min(aRange.lo, bRange.lo), std::min(aRange.hi, bRange.hi)};
}

ValueRange valueRange(Expression* expr, int depth) {
  unsigned bits = expr->type == Type::i32 ? 32 : 64;
  ValueRange full{0, (Wide(1) << bits) - 1};
  if (expr->type != Type::i32 && expr->type != Type::i64) return full; // a float compared, say
  if (depth > kValueRangeDepth) return full;
  auto rangeOf = [&](Expression* operand) { return valueRange(operand, depth + 1); };
  if (auto* constant = expr->dynCast<Const>()) {
    Wide value = asInterpreted(constant->value, false);
    return {value, value};
  }
  if (auto* tee = expr->dynCast<LocalSet>()) return rangeOf(tee->value);
  if (auto* load = expr->dynCast<Load>()) {
    if (load->signed_ || load->bytes * 8 >= bits) return full;
    return {0, (Wide(1) << (8 * load->bytes)) - 1};
  }
  if (auto* unary = expr->dynCast<Unary>()) {
    if (unary->op == ExtendUInt32) return rangeOf(unary->value);
    if (unary->op == WrapInt64) {
      auto range = rangeOf(unary->value);
      return range.hi <= full.hi ? range : full;
    }
    return full;
  }
  if (auto* binary = expr->dynCast<Binary>()) {
    switch (binary->op) {
      case AndInt32: case AndInt64: return {0, std::min(rangeOf(binary->left).hi, rangeOf(binary->right).hi)};
      case ShrUInt32: case ShrUInt64: {
        auto value = rangeOf(binary->left), shift = rangeOf(binary->right);
        if (shift.lo != shift.hi) return {0, value.hi};
        return {value.lo >> int(shift.lo % bits), value.hi >> int(shift.lo % bits)};
      }
      case RemUInt32: case RemUInt64: { // x % 0 traps: no value
        auto divisor = rangeOf(binary->right);
        return divisor.hi == 0 ? full : ValueRange{0, std::min(rangeOf(binary->left).hi, divisor.hi - 1)};
      }
      case AddInt32: case AddInt64: {
        auto left = rangeOf(binary->left), right = rangeOf(binary->right);
        return left.hi + right.hi <= full.hi ? ValueRange{left.lo + right.lo, left.hi + right.hi} : full;
      }
      default: return full;
    }
  }
  if (auto* select = expr->dynCast<Select>()) {
    auto a = rangeOf(select->ifTrue), b = rangeOf(select->ifFalse);
    if (auto picked = maxOrMinRange(select, a, b, Wide(1) << (bits - 1))) return *picked;
    return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)};
  }
  return full;
}

// The largest trip count over the counter's possible starting values, if each has one. Between
// the ends of the range, the count is monotonic in the start (for `ne`, with a step of one, when
// the range does not hold the limit, where the count jumps from 0 to all the way round).
std::optional<Wide> largestTripCount(const CounterTest& test, ValueRange start, Type type) {
  auto at = [&](Wide value) {
    Literal init = type == Type::i32 ? Literal(int32_t(uint32_t(value))) : Literal(int64_t(uint64_t(value)));
    return tripCount(test, init);
  };
  if (start.lo == start.hi) return at(start.lo);
  if (test.compare == Compare::Ne) {
    Wide limit = asInterpreted(test.limit, false);
    if ((test.step != 1 && test.step != -1) || (start.lo <= limit && limit <= start.hi)) return std::nullopt;
  } else if (test.isSigned && start.hi >= (Wide(1) << (test.bits - 1))) {
    return std::nullopt; // the range is not contiguous as signed numbers
  }
  auto first = at(start.lo), last = at(start.hi);
  if (!first || !last) return std::nullopt;
  return std::max(*first, *last);
}

// The chunked-loop description of `loop` (loop_bounds.h), if it has that shape; the caller
// checks that no polled loop is inside.
std::optional<ChunkedLoop> chunkableLoop(Loop* loop, uint64_t iterationWork, uint64_t budget) {
  if (loop->type != Type::none || iterationWork == 0) return std::nullopt;
  if (containsCall(loop->body)) return std::nullopt;
  BranchUtils::BranchSeeker seeker(loop->name);
  seeker.walk(loop->body);
  if (seeker.found != 1) return std::nullopt;
  auto edge = decodeBackEdgeShape(loop);
  if (!edge) return std::nullopt;
  const CounterTest& test = edge->test;
  // The counter, the limit and the step: only the back edge writes the counter, nothing in the
  // loop writes the limit or the step.
  auto* limitGet = edge->limit ? edge->limit->dynCast<LocalGet>() : nullptr;
  if (edge->limit && !limitGet && !edge->limit->is<Const>()) return std::nullopt;
  if (limitGet && limitGet->index == test.counter) return std::nullopt;
  Index writes = 0;
  for (auto* set : FindAll<LocalSet>(loop->body).list) {
    writes += set->index == test.counter;
    if ((limitGet && set->index == limitGet->index) || (test.stepLocal && set->index == *test.stepLocal)) return std::nullopt;
  }
  if (writes != 1) return std::nullopt;

  ChunkedLoop chunked;
  chunked.counter = test.counter;
  chunked.type = test.bits == 32 ? Type::i32 : Type::i64;
  chunked.limit = edge->limit;
  chunked.stepLocal = test.stepLocal;
  chunked.step = int64_t(test.step);
  chunked.isSigned = test.isSigned;
  Wide magnitude = test.step < 0 ? -test.step : test.step;
  switch (test.compare) {
    case Compare::Ne:
      if (test.stepLocal || magnitude == 0 || magnitude > (1 << 16) || (magnitude & (magnitude - 1)) != 0) return std::nullopt;
      chunked.test = ChunkedLoop::Test::Ne;
      break;
    case Compare::Lt: case Compare::Le:
      if (!test.stepLocal && test.step <= 0) return std::nullopt; // counting away from the limit: wraps
      chunked.test = ChunkedLoop::Test::Below;
      chunked.inclusive = test.compare == Compare::Le;
      break;
    case Compare::Gt: case Compare::Ge:
      if (!test.stepLocal && test.step >= 0) return std::nullopt;
      chunked.test = ChunkedLoop::Test::Above;
      chunked.inclusive = test.compare == Compare::Ge;
      break;
  }
  // A chunk covers chunkTrips steps without the counter coming back round: chunkTrips * |step|
  // stays below 2^(bits - 1) (a local step is checked against 2^40 at run time).
  Wide trips = Wide(budget / iterationWork);
  if (!test.stepLocal) trips = std::min(trips, ((Wide(1) << (test.bits - 1)) - 1) / magnitude);
  trips = std::min(trips, Wide(1) << 24); // a chunk's poll charges the countdown (an i32) with it
  if (trips < 2) return std::nullopt; // one iteration per chunk: no better than a poll
  chunked.chunkTrips = uint64_t(trips);
  chunked.weight = pollWeight(uint64_t(std::min<Wide>(trips * iterationWork, Wide(UINT64_MAX))));
  return chunked;
}

struct LoopWork : public ExpressionStackWalker<LoopWork> {
  Function* func;
  uint64_t budget;
  std::unordered_set<Loop*> needPolls;
  // Per loop: what its nested loops add to its plain expression count (their effective work
  // minus their size), filled in as the nested loops are visited.
  std::unordered_map<Loop*, Wide> nestedAdjustment;
  // What a poll weighs (pollWeight) is the work it usually stands for, not the bound: a first
  // chunk counts as kUsualFirstChunkTrips iterations. Per loop, and for the body, what nested
  // loops add to the plain expression count in that measure, and the work of an iteration.
  std::unordered_map<Loop*, Wide> nestedUsualAdjustment;
  Wide bodyUsualAdjustment = 0;
  std::unordered_map<Loop*, Wide> usualIterationWork;

  // With `chunk` (lean), a loop that needs a poll and can run in chunks does (chunked): its
  // first chunk, which runs without a poll, counts as its work in enclosing loops.
  bool chunk = false;
  std::unordered_map<Loop*, ChunkedLoop> chunked;

  // With `calls`, a call counts the work CallWork gives its callee, in the bound, and the
  // function's own such work (LoopPolls::callWork) is measured: per loop and for the body, what
  // nested loops and calls add to the plain expression count, a polled loop counting one
  // iteration.
  const CallWork* calls = nullptr;
  std::unordered_map<Loop*, Wide> nestedCallWorkAdjustment;
  Wide bodyCallWorkAdjustment = 0;

  LoopWork(Function* func, uint64_t budget, bool chunk = false, const CallWork* calls = nullptr)
    : func(func), budget(budget), chunk(chunk), calls(calls) {}

  Loop* enclosingLoop() {
    for (Index depth = expressionStack.size() - 1; depth-- > 0;) {
      if (auto* loop = expressionStack[depth]->dynCast<Loop>()) return loop;
    }
    return nullptr;
  }

  Wide workOfCallTo(Name target) {
    auto work = calls->work.find(target);
    if (work == calls->work.end()) return 1;
    auto mine = calls->component.find(func->name), theirs = calls->component.find(target);
    bool sameCycle = mine != calls->component.end() && theirs != calls->component.end() && mine->second == theirs->second;
    return sameCycle ? 1 : Wide(work->second);
  }
  void addCallWork(Wide work) {
    if (work <= 1) return; // a call is one expression of the plain count already
    if (Loop* loop = enclosingLoop()) {
      nestedAdjustment[loop] += work - 1;
      nestedCallWorkAdjustment[loop] += work - 1;
    } else {
      bodyCallWorkAdjustment += work - 1;
    }
  }
  void visitCall(Call* curr) {
    if (calls) addCallWork(workOfCallTo(curr->target));
  }
  void visitCallIndirect(CallIndirect* curr) {
    if (!calls) return;
    Wide most = 1;
    if (auto targets = calls->tableTargets.find(curr->heapType); targets != calls->tableTargets.end()) {
      for (auto target : targets->second) most = std::max(most, workOfCallTo(target));
    }
    addCallWork(most);
  }

  // A loop with a polled loop inside gains nothing from chunks: that loop's poll comes at least
  // once per iteration that enters it.
  bool pollInside(Loop* loop) {
    for (auto* inner : FindAll<Loop>(loop->body).list) {
      if (needPolls.count(inner)) return true;
    }
    return false;
  }

  // The counter's possible values when control reaches the loop: those of the value it was last
  // set to earlier in the enclosing blocks, with no write in between (valueRange), or zero for a
  // var never written before the loop in a function whose body encloses the loop in blocks only.
  std::optional<ValueRange> entryRange(Index counter) {
    for (Index depth = expressionStack.size() - 1; depth > 0; depth--) {
      Expression* child = expressionStack[depth];
      auto* block = expressionStack[depth - 1]->dynCast<Block>();
      if (!block) return std::nullopt;
      Index position = 0;
      while (block->list[position] != child) position++;
      while (position-- > 0) {
        Expression* before = block->list[position];
        if (auto* set = before->dynCast<LocalSet>(); set && set->index == counter) return valueRange(set->value);
        for (auto* set : FindAll<LocalSet>(before).list) {
          if (set->index == counter) return std::nullopt;
        }
      }
    }
    if (func->isParam(counter)) return std::nullopt;
    return ValueRange{};
  }

  std::optional<Wide> trips(Loop* loop) {
    BranchUtils::BranchSeeker seeker(loop->name);
    seeker.walk(loop->body);
    if (seeker.found == 0) return 1; // nothing branches back: the body runs once
    if (seeker.found != 1) return std::nullopt;
    auto test = decodeCountedBackEdge(loop);
    if (!test) return std::nullopt;
    Index writes = 0;
    for (auto* set : FindAll<LocalSet>(loop->body).list) writes += set->index == test->counter;
    if (writes != 1) return std::nullopt;
    auto start = entryRange(test->counter);
    if (!start) return std::nullopt;
    return largestTripCount(*test, *start, func->getLocalType(test->counter));
  }

  void visitLoop(Loop* curr) {
    Wide size = Measurer::measure(curr);
    Wide body = size + nestedAdjustment[curr];
    Wide usualBody = size + nestedUsualAdjustment[curr];
    usualIterationWork[curr] = usualBody;
    Wide callWorkBody = size + nestedCallWorkAdjustment[curr];
    Wide effective = 1; // polled: its poll comes first
    Wide usual = 1;
    Wide callWork = callWorkBody; // polled: one iteration from its poll on
    // With no budget (full) no loop is short: its trip count is not needed.
    auto count = budget ? trips(curr) : std::nullopt;
    if (count && *count <= Wide(budget) && *count * body <= Wide(budget)) {
      effective = *count * body;
      usual = *count * usualBody;
      callWork = *count * callWorkBody;
    } else {
      std::optional<ChunkedLoop> chunks;
      if (chunk && !pollInside(curr)) chunks = chunkableLoop(curr, uint64_t(std::min<Wide>(body, Wide(UINT64_MAX))), budget);
      if (chunks) {
        effective = Wide(chunks->chunkTrips) * body;
        usual = std::min<Wide>(Wide(chunks->chunkTrips), Wide(kUsualFirstChunkTrips)) * usualBody;
        callWork = Wide(chunks->chunkTrips) * callWorkBody;
        chunked[curr] = *chunks;
      }
      needPolls.insert(curr);
    }
    Loop* outer = enclosingLoop();
    if (outer) nestedAdjustment[outer] += effective - size;
    (outer ? nestedUsualAdjustment[outer] : bodyUsualAdjustment) += usual - size;
    (outer ? nestedCallWorkAdjustment[outer] : bodyCallWorkAdjustment) += callWork - size;
  }
};
} // namespace

std::unordered_set<Loop*> loopsNeedingPolls(Function* func, uint64_t budget) {
  LoopWork work(func, budget);
  work.walk(func->body);
  return std::move(work.needPolls);
}

namespace {
// Whether evaluating `stmt` surely evaluates every expression in it: no control flow inside.
bool straightLine(Expression* stmt) {
  struct Finder : PostWalker<Finder, UnifiedExpressionVisitor<Finder>> {
    bool branches = false;
    void visitExpression(Expression* curr) {
      branches |= (Properties::isControlFlowStructure(curr) && !curr->is<Block>()) || Properties::isBranch(curr) ||
                  curr->is<Return>() || curr->is<Unreachable>();
    }
  } finder;
  finder.walk(stmt);
  return !finder.branches;
}

// Whether every iteration of `loop` calls one of `entryPolled` directly: some statement of the
// body, reached on every path from the loop header (no earlier statement branches back to it),
// is straight-line code with such a call.
bool callsEntryPolledEachIteration(Loop* loop, const std::set<Name>& entryPolled) {
  std::vector<Expression*> statements;
  if (auto* block = loop->body->dynCast<Block>()) {
    statements.assign(block->list.begin(), block->list.end());
  } else {
    statements.push_back(loop->body);
  }
  for (auto* stmt : statements) {
    if (straightLine(stmt)) {
      for (auto* call : FindAll<Call>(stmt).list) {
        if (entryPolled.count(call->target)) return true;
      }
    }
    if (BranchUtils::BranchSeeker::has(stmt, loop->name)) return false;
  }
  return false;
}
// Whether lean may run the loop's body twice per poll (LoopPolls::unrolled): a loop that can
// branch back to its header, of no value type, with a small body holding no call (whose resume
// point would be copied) and no loop.
bool unrollable(Loop* loop) {
  if (!loop->name.is() || loop->type.isConcrete() || Measurer::measure(loop->body) > kMaxUnrolledBody) return false;
  if (!BranchUtils::BranchSeeker::has(loop->body, loop->name)) return false;
  return !containsCall(loop->body) && FindAll<Loop>(loop->body).list.empty();
}
} // namespace

uint32_t pollWeight(uint64_t work) { return uint32_t(std::clamp<uint64_t>(work / kWorkPerPoll, 1, kMaxPollWeight)); }

LoopPolls polledLoops(Function* func, Strategy strategy, const std::set<Name>& entryPolled, uint64_t budget,
                      const CallWork* calls) {
  auto loops = FindAll<Loop>(func->body).list;
  LoopPolls result;
  // Under full every loop polls: with no budget, no loop is short, and each counts as one
  // expression in the work around it.
  bool lean = strategy == Strategy::Lean;
  LoopWork work(func, lean ? budget : 0, lean, lean ? calls : nullptr);
  work.walk(func->body);
  Wide bodySize = Measurer::measure(func->body);
  // Capped: past the budget, a call is enough to make any loop around it poll.
  result.callWork = uint64_t(std::min<Wide>(bodySize + work.bodyCallWorkAdjustment, Wide(budget) + 1));
  auto weigh = [](Wide work) { return pollWeight(uint64_t(std::min<Wide>(work, Wide(UINT64_MAX)))); };
  result.entryWeight = weigh(bodySize + work.bodyUsualAdjustment);
  for (auto* loop : work.needPolls) result.weights[loop] = weigh(work.usualIterationWork.at(loop));
  result.polled = std::move(work.needPolls);
  if (!lean) return result;
  result.chunked = std::move(work.chunked);
  result.shortCounted = uint32_t(loops.size() - result.polled.size());
  for (auto* loop : loops) {
    if (!result.polled.count(loop)) continue;
    if (callsEntryPolledEachIteration(loop, entryPolled)) {
      result.polled.erase(loop);
      result.weights.erase(loop);
      result.chunked.erase(loop); // not one: chunked loops have no call
      result.callPolled++;
    }
  }
  for (auto* loop : loops) {
    if (result.polled.count(loop) && !result.chunked.count(loop) && unrollable(loop)) {
      result.unrolled.insert(loop);
      result.weights[loop] = weigh(2 * work.usualIterationWork.at(loop));
    }
  }
  return result;
}

} // namespace wasm_ckpt
