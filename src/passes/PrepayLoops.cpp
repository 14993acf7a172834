// Gives each prepaid loop (analysis/loop_bounds.h: a small counted loop whose trip count is
// known when control reaches it) a poll-free twin:
//   (local.set $trips TRIPS)
//   (if (i32.lt_u (i32.sub (local.get $trips) 1) TRIP_LIMIT)
//     (then (call $charge_marker (local.get $trips)) LOOP')
//     (else LOOP))
// LOOP' is a copy of the loop made before InsertPolls, so it gets no poll; LOOP keeps its poll.
// TRIPS is the most iterations the loop can run, computed from the counter and the limit at
// entry, or 0 when that is not a number below 2^32 (a != test that the counter skips over, a
// counter that would wrap around). The charge marker, which UnwindRewind expands, takes the
// trip count off the countdown of polls: the polls the twin skips are counted up front, so the
// slow path comes as often as if every iteration had polled, at most one twin's run late (the
// countdown may go below zero; polls test for <= 0). The choice does not read the countdown, so
// the countdown's chain of updates through a hot outer loop stays one subtraction long (reading
// it here cost lz77 a sixth of its run time).
#include "passes/passes.h"

#include <limits>

#include "ir/names.h"
#include "ir/utils.h"
#include "wasm-builder.h"

#include "runtime/runtime_names.h"

namespace wasm_ckpt {

namespace {
using namespace wasm;

struct PrepayLoops : public WalkerPass<PostWalker<PrepayLoops>> {
  const std::map<Name, PollSites>* sites;
  const PollSites* current = nullptr;
  explicit PrepayLoops(const std::map<Name, PollSites>* sites) : sites(sites) {}

  bool isFunctionParallel() override { return true; }
  Pass* create() override { return new PrepayLoops(sites); }

  void doWalkFunction(Function* func) {
    auto found = sites->find(func->name);
    if (found == sites->end() || found->second.prepaid.empty()) return;
    current = &found->second;
    PostWalker<PrepayLoops>::doWalkFunction(func);
    UniqueNameMapper::uniquify(func->body); // the twins repeat their loops' labels
  }

  void visitLoop(Loop* curr) {
    auto found = current->prepaid.find(curr);
    if (found == current->prepaid.end()) return;
    Builder builder(*getModule());
    Index trips = Builder::addVar(getFunction(), Type::i32);
    auto getTrips = [&]() { return builder.makeLocalGet(trips, Type::i32); };
    auto* fits = builder.makeBinary(LtUInt32, builder.makeBinary(SubInt32, getTrips(), builder.makeConst(int32_t(1))),
                                    builder.makeConst(int32_t(found->second.tripLimit)));
    auto* twin = builder.makeSequence(builder.makeCall(runtime::chargeMarker(), {getTrips()}, Type::none),
                                      ExpressionManipulator::copy(curr, *getModule()));
    replaceCurrent(builder.makeSequence(builder.makeLocalSet(trips, tripCount(found->second, builder)),
                                        builder.makeIf(fits, twin, curr)));
  }

  // The loop runs body; counter += step; continue while `counter TEST limit`. With s = |step|
  // = 2^k and d the distance from the counter to the limit in the direction of the step:
  //   !=      : d / s iterations if s divides d and d != 0 (otherwise the counter skips the
  //             limit or goes all the way round)
  //   < and > : ceil(d / s) if the counter starts on the right side of the limit and the limit
  //             is far enough from the end of the range that the counter cannot wrap around.
  Expression* tripCount(const TripCountAtEntry& loop, Builder& builder) {
    auto counter = [&]() { return builder.makeLocalGet(loop.counter, Type::i32); };
    auto limit = [&]() { return ExpressionManipulator::copy(loop.limit, *getModule()); };
    auto constant = [&](int64_t value) { return builder.makeConst(int32_t(uint32_t(value))); };
    bool upward = loop.step > 0;
    uint32_t s = uint32_t(upward ? loop.step : -int64_t(loop.step));
    int32_t k = 0;
    while ((uint32_t(1) << k) != s) k++;
    auto distance = [&]() { return upward ? builder.makeBinary(SubInt32, limit(), counter()) : builder.makeBinary(SubInt32, counter(), limit()); };
    Expression* trips = nullptr;
    Expression* valid = nullptr;
    if (loop.test == TripCountAtEntry::Test::Ne) {
      trips = k ? builder.makeBinary(ShrUInt32, distance(), constant(k)) : distance();
      if (k) valid = builder.makeUnary(EqZInt32, builder.makeBinary(AndInt32, distance(), constant(s - 1)));
    } else {
      bool below = loop.test == TripCountAtEntry::Test::Below;
      BinaryOp startsRight = below ? (loop.isSigned ? LtSInt32 : LtUInt32) : (loop.isSigned ? GtSInt32 : GtUInt32);
      valid = builder.makeBinary(startsRight, counter(), limit());
      if (s > 1) {
        // The last value tested is at most s - 1 beyond the limit: it must not wrap.
        int64_t end = below ? (loop.isSigned ? std::numeric_limits<int32_t>::max() : int64_t(UINT32_MAX)) - (s - 1)
                            : (loop.isSigned ? std::numeric_limits<int32_t>::min() : 0) + (s - 1);
        BinaryOp withinEnd = below ? (loop.isSigned ? LeSInt32 : LeUInt32) : (loop.isSigned ? GeSInt32 : GeUInt32);
        valid = builder.makeBinary(AndInt32, valid, builder.makeBinary(withinEnd, limit(), constant(end)));
        trips = builder.makeBinary(ShrUInt32, builder.makeBinary(AddInt32, distance(), constant(s - 1)), constant(k));
      } else {
        trips = distance();
      }
    }
    return valid ? builder.makeSelect(valid, trips, constant(0)) : trips;
  }
};
} // namespace

std::unique_ptr<Pass> createPrepayLoopsPass(const std::map<Name, PollSites>* sites) {
  return std::make_unique<PrepayLoops>(sites);
}

} // namespace wasm_ckpt
