// Runs each chunked loop (analysis/loop_bounds.h: a counted loop with run-time bounds and no
// call) in chunks of at most chunkTrips iterations, with a poll between chunks instead of one
// in every iteration:
//   (loop $chunk
//     (local.set $end CHUNK_END)        ;; where this chunk stops, computed from the counter
//     (loop $l ... (br_if $l (CMP' (local.tee $i ...) (local.get $end))))   ;; no poll
//     (if TEST (then POLL (br $chunk))))  ;; TEST: the loop's own test, on the counter it left
// TEST is the original back edge's test, read again: the next chunk starts exactly when the
// loop would have gone on, so the iterations are the original ones, only grouped. A branch that
// leaves the loop by falling off its end (to the body's block, an early exit) skips TEST: the
// body's block name moves to a block around the chunks. A run that
// fits in one chunk (most runs of a short inner loop) costs CHUNK_END and TEST, and no poll.
// POLL counts for the work of a chunk (loop_bounds.h: pollWeight).
// CMP' is the original comparison (!=) or its strict form (< for <=, > for >=), and CHUNK_END
// is chosen so that `i CMP' end` implies `i CMP limit` and fails within chunkTrips steps:
//   - the counter plus chunkTrips steps, when the limit is farther (or, for !=, when the counter
//     would skip over it and wrap around);
//   - the limit itself (its strict form), when it is at most chunkTrips steps away, if (< and
//     >) the loop's last step does not wrap around the end of the range;
//   - for < and >, when none of this holds (the counter starts past the limit, a local step
//     has the wrong sign or is huge, the last step could wrap), the end of the range, which no
//     counter passes: chunks of one iteration, a poll per iteration as before.
// Distances are compared in 64 bits, so a step from a local cannot overflow the chunk's span.
// Nothing is duplicated: the loop's code is the same, and its poll has moved out of it.
#include "passes/passes.h"

#include <functional>
#include <limits>

#include "ir/names.h"
#include "ir/utils.h"
#include "wasm-builder.h"

#include "runtime/runtime_names.h"

namespace wasm_ckpt {

namespace {
using namespace wasm;

struct ChunkLoops : public WalkerPass<PostWalker<ChunkLoops>> {
  PollPlacement* placement;
  const PollSites* current = nullptr;
  size_t found = 0;
  explicit ChunkLoops(PollPlacement* placement) : placement(placement) {}

  bool isFunctionParallel() override { return true; }
  Pass* create() override { return new ChunkLoops(placement); }

  void doWalkFunction(Function* func) {
    auto sites = placement->sites.find(func->name);
    if (sites == placement->sites.end() || sites->second.chunked.empty()) return;
    current = &sites->second;
    PostWalker<ChunkLoops>::doWalkFunction(func);
    checkLoopsFound(*placement, "ChunkLoops", *func, found, current->chunked.size());
    UniqueNameMapper::uniquify(func->body); // every chunk loop is named $wasm_ckpt$chunk
  }

  void visitLoop(Loop* curr) {
    auto found = current->chunked.find(curr);
    if (found == current->chunked.end()) return;
    const ChunkedLoop& loop = found->second;
    this->found++;
    Builder builder(*getModule());
    Index end = Builder::addVar(getFunction(), loop.type);

    Expression* last = curr->body;
    if (auto* block = last->dynCast<Block>()) last = block->list.back();
    auto* backEdge = last->cast<Break>();
    Expression* test = backEdge->condition;
    // The test again, on the counter as the back edge left it.
    Expression* testAgain = builder.makeLocalGet(loop.counter, loop.type);
    Expression* update = test;
    if (auto* compare = test->dynCast<Binary>()) {
      auto* copy = ExpressionManipulator::copy(compare, *getModule())->cast<Binary>();
      bool updateOnLeft = compare->left->is<LocalSet>();
      update = updateOnLeft ? compare->left : compare->right;
      (updateOnLeft ? copy->left : copy->right) = testAgain;
      testAgain = copy;
    }
    backEdge->condition = builder.makeBinary(chunkComparison(loop), update, builder.makeLocalGet(end, loop.type));

    // A branch to the body's block (an early exit, clang's `while (i < n && a[i] == x) i++`)
    // falls off the loop's end with TEST still holding: it leaves the chunks too, by targeting a
    // block around them. Its name moves there, so no branch needs retargeting.
    Name exit;
    if (auto* block = curr->body->dynCast<Block>()) std::swap(exit, block->name);

    Name chunk("wasm_ckpt$chunk");
    // The poll counts for a chunk's work: counted as one, a chunk's poll after a stretch of
    // cheap polls stretched radixsort's stop latency from 53 to 115 ms (loop_bounds.h: kWorkPerPoll).
    auto* nextChunk = builder.makeSequence(makePollMarker(builder, loop.weight), builder.makeBreak(chunk));
    auto* chunks = builder.makeLoop(
      chunk, builder.makeBlock({builder.makeLocalSet(end, chunkEnd(loop, builder)), curr, builder.makeIf(testAgain, nextChunk)}));
    Expression* replacement = chunks;
    if (exit.is()) replacement = builder.makeBlock(exit, chunks);
    replaceCurrent(replacement);
  }

  static BinaryOp pick(bool is64, BinaryOp op32, BinaryOp op64) { return is64 ? op64 : op32; }

  BinaryOp chunkComparison(const ChunkedLoop& loop) {
    bool is64 = loop.type == Type::i64;
    switch (loop.test) {
      case ChunkedLoop::Test::Ne: return pick(is64, NeInt32, NeInt64);
      case ChunkedLoop::Test::Below:
        return loop.isSigned ? pick(is64, LtSInt32, LtSInt64) : pick(is64, LtUInt32, LtUInt64);
      case ChunkedLoop::Test::Above:
        return loop.isSigned ? pick(is64, GtSInt32, GtSInt64) : pick(is64, GtUInt32, GtUInt64);
    }
    WASM_UNREACHABLE("test");
  }

  Expression* chunkEnd(const ChunkedLoop& loop, Builder& builder) {
    bool is64 = loop.type == Type::i64;
    Type type = loop.type;
    auto constant = [&](int64_t value) {
      return is64 ? builder.makeConst(int64_t(value)) : builder.makeConst(int32_t(uint32_t(uint64_t(value))));
    };
    auto wideConstant = [&](uint64_t value) { return builder.makeConst(int64_t(value)); };
    auto counter = [&]() { return builder.makeLocalGet(loop.counter, type); };
    auto limit = [&]() -> Expression* {
      return loop.limit ? ExpressionManipulator::copy(loop.limit, *getModule()) : constant(0);
    };
    auto binary = [&](BinaryOp op32, BinaryOp op64, Expression* left, Expression* right) {
      return builder.makeBinary(pick(is64, op32, op64), left, right);
    };
    // To 64 bits, as an unsigned distance.
    auto widen = [&](Expression* value) { return is64 ? value : builder.makeUnary(ExtendUInt32, value); };
    auto narrow = [&](Expression* value) { return is64 ? value : builder.makeUnary(WrapInt64, value); };
    auto both = [&](Expression* a, Expression* b) { return builder.makeBinary(AndInt32, a, b); };
    uint64_t trips = loop.chunkTrips;

    if (loop.test == ChunkedLoop::Test::Ne) {
      // The limit is `distance` away in the direction of the step; the counter reaches it within
      // the chunk if 1 <= distance <= span and the step divides the distance.
      bool up = loop.step > 0;
      uint64_t magnitude = uint64_t(up ? loop.step : -loop.step);
      Expression* distance = widen(up ? binary(SubInt32, SubInt64, limit(), counter())
                                      : binary(SubInt32, SubInt64, counter(), limit()));
      Index distanceLocal = Builder::addVar(getFunction(), Type::i64);
      auto getDistance = [&]() { return builder.makeLocalGet(distanceLocal, Type::i64); };
      Expression* reached = builder.makeBinary(LtUInt64, builder.makeBinary(SubInt64, getDistance(), wideConstant(1)),
                                               wideConstant(trips * magnitude));
      if (magnitude > 1)
        reached = both(reached, builder.makeUnary(EqZInt64, builder.makeBinary(AndInt64, getDistance(), wideConstant(magnitude - 1))));
      Expression* stepsOn = binary(AddInt32, AddInt64, counter(), constant(int64_t(uint64_t(loop.step) * trips)));
      return builder.makeSequence(builder.makeLocalSet(distanceLocal, distance), builder.makeSelect(reached, limit(), stepsOn));
    }

    bool up = loop.test == ChunkedLoop::Test::Below;
    bool isSigned = loop.isSigned;
    int64_t rangeMin = isSigned ? (is64 ? std::numeric_limits<int64_t>::min() : int64_t(std::numeric_limits<int32_t>::min())) : 0;
    int64_t rangeMax = isSigned ? (is64 ? std::numeric_limits<int64_t>::max() : int64_t(std::numeric_limits<int32_t>::max())) : -1;
    auto compare = [&](BinaryOp s32, BinaryOp s64, BinaryOp u32, BinaryOp u64, Expression* left, Expression* right) {
      return isSigned ? binary(s32, s64, left, right) : binary(u32, u64, left, right);
    };
    // The step's size, and whether it points the right way (a local's is known only now).
    Expression* stepOk = nullptr;
    std::function<Expression*()> magnitude;
    Expression* span = nullptr; // chunkTrips steps, in 64 bits
    if (loop.stepLocal) {
      Index s = *loop.stepLocal;
      auto step = [&, s]() { return builder.makeLocalGet(s, type); };
      magnitude = up ? std::function<Expression*()>(step)
                     : std::function<Expression*()>([&, step]() { return binary(SubInt32, SubInt64, constant(0), step()); });
      stepOk = up ? binary(GtSInt32, GtSInt64, step(), constant(0)) : binary(LtSInt32, LtSInt64, step(), constant(0));
      if (is64) {
        const int64_t largest = int64_t(1) << 40; // span <= 2^60
        stepOk = both(stepOk, up ? builder.makeBinary(LeSInt64, step(), constant(largest))
                                 : builder.makeBinary(GeSInt64, step(), constant(-largest)));
      }
      span = builder.makeBinary(MulInt64, widen(magnitude()), wideConstant(trips));
    } else {
      uint64_t size = uint64_t(up ? loop.step : -loop.step);
      magnitude = [&, size]() { return constant(int64_t(size)); };
      span = wideConstant(trips * size);
    }
    // The first value the loop stops at, made exclusive: limit, limit + 1 for <=, limit - 1 for >=.
    auto stop = [&]() -> Expression* {
      if (!loop.inclusive) return limit();
      return up ? binary(AddInt32, AddInt64, limit(), constant(1)) : binary(SubInt32, SubInt64, limit(), constant(1));
    };
    Expression* startsInside =
      up ? (loop.inclusive ? compare(LeSInt32, LeSInt64, LeUInt32, LeUInt64, counter(), limit())
                           : compare(LtSInt32, LtSInt64, LtUInt32, LtUInt64, counter(), limit()))
         : (loop.inclusive ? compare(GeSInt32, GeSInt64, GeUInt32, GeUInt64, counter(), limit())
                           : compare(GtSInt32, GtSInt64, GtUInt32, GtUInt64, counter(), limit()));
    // (For <= and >= with the limit at the end of the range, stop wraps round to the other end:
    // the distance below is then the distance to where the counter wraps, and stop, where a
    // chunk would end near it, a value no counter passes.)
    Expression* valid = stepOk ? both(stepOk, startsInside) : startsInside;
    // How far stop is, in the direction of the step: at least 1 when valid.
    Index distanceLocal = Builder::addVar(getFunction(), type);
    auto distance = [&]() { return builder.makeLocalGet(distanceLocal, type); };
    Expression* measure = builder.makeLocalSet(
      distanceLocal, up ? binary(SubInt32, SubInt64, stop(), counter()) : binary(SubInt32, SubInt64, counter(), stop()));
    Index spanLocal = Builder::addVar(getFunction(), Type::i64);
    auto getSpan = [&]() { return builder.makeLocalGet(spanLocal, Type::i64); };
    // Farther than the chunk: the chunk ends chunkTrips steps on, short of stop, so in range.
    Expression* far = builder.makeBinary(GtUInt64, widen(distance()), getSpan());
    Expression* stepsOn = up ? binary(AddInt32, AddInt64, counter(), narrow(getSpan())) : binary(SubInt32, SubInt64, counter(), narrow(getSpan()));
    // Within the chunk: the loop ends at stop, unless its last step wraps around the end of the
    // range (the loop then goes round, for up to 2^bits / |step| more iterations). The value
    // before that step lies (d - 1) mod |step| short of the last value before stop, and `room`
    // is how far stop is from the end of the range: it wraps unless room + 1 + (d - 1) mod
    // |step| >= |step|, which room >= |step| - 1 ensures for any d. For a constant step of 2^k
    // (memcpy's `n -= 32` while `n > 15`, unsigned) the remainder is a mask and the exact
    // test is cheap; otherwise a loop that could wrap gets chunks of one iteration.
    Expression* room = up ? binary(SubInt32, SubInt64, constant(rangeMax), stop()) : binary(SubInt32, SubInt64, stop(), constant(rangeMin));
    Index roomLocal = Builder::addVar(getFunction(), type);
    auto getRoom = [&]() { return builder.makeLocalGet(roomLocal, type); };
    Expression* noWrap = binary(GeUInt32, GeUInt64, getRoom(), binary(SubInt32, SubInt64, magnitude(), constant(1)));
    if (!loop.stepLocal) {
      uint64_t size = uint64_t(up ? loop.step : -loop.step);
      if (size > 1 && (size & (size - 1)) == 0) {
        Expression* remainder = binary(AndInt32, AndInt64, binary(SubInt32, SubInt64, distance(), constant(1)), constant(int64_t(size - 1)));
        Expression* beforeLastStep = binary(AddInt32, AddInt64, binary(AddInt32, AddInt64, getRoom(), constant(1)), remainder);
        noWrap = builder.makeBinary(OrInt32, noWrap, binary(GeUInt32, GeUInt64, beforeLastStep, constant(int64_t(size))));
      }
    }
    auto never = [&]() { return constant(up ? rangeMin : rangeMax); }; // no counter is below MIN or above MAX
    Expression* near = builder.makeSelect(noWrap, stop(), never());
    return builder.makeBlock({builder.makeLocalSet(spanLocal, span), measure, builder.makeLocalSet(roomLocal, room),
                              builder.makeSelect(valid, builder.makeSelect(far, stepsOn, near), never())});
  }
};
} // namespace

std::unique_ptr<Pass> createChunkLoopsPass(PollPlacement* placement) {
  return std::make_unique<ChunkLoops>(placement);
}

} // namespace wasm_ckpt
