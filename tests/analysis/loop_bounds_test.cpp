// Which loops keep a poll point under lean (src/analysis/LoopBounds.cpp): the trip counts of
// counted loops, found exactly, and everything else left polled.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ir/find_all.h"
#include "ir/utils.h"
#include "wasm.h"

#include "analysis/loop_bounds.h"
#include "common/test_modules.h"
#include "wasm_ckpt/module_io.h"

using namespace wasm_ckpt;

namespace {
std::unique_ptr<wasm::Module> parseFunction(const std::string& func) {
  std::string text = "(module " + func + ")";
  return test::parseText(text);
}

wasm::Loop* loopNamed(wasm::Function* func, const char* name) {
  for (auto* loop : wasm::FindAll<wasm::Loop>(func->body).list) {
    if (std::string("$") + loop->name.str == name) return loop;
  }
  throw std::runtime_error(std::string("no loop ") + name);
}

// The smallest budget under which `name` goes without a poll, 0 if none up to 2^40: for a lone
// counted loop, its trip count times its size.
uint64_t smallestBudget(const std::string& func, const char* name) {
  auto module = parseFunction(func);
  auto* f = module->functions[0].get();
  auto* loop = loopNamed(f, name);
  if (loopsNeedingPolls(f, uint64_t(1) << 40).count(loop)) return 0;
  uint64_t lo = 1, hi = uint64_t(1) << 40;
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    if (loopsNeedingPolls(f, mid).count(loop)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

uint64_t loopSize(const std::string& func, const char* name) {
  auto module = parseFunction(func);
  return wasm::Measurer::measure(loopNamed(module->functions[0].get(), name));
}

// A counted loop: `$i = INIT; do { body } while ($i = $i STEP) CMP LIMIT`.
std::string counted(const std::string& type, const std::string& init, const std::string& update,
                    const std::string& compare, const std::string& limit) {
  return "(func $f (param $p i32) (local $i " + type + ") (local $acc i32)\n"
         "  (local.set $i (" + type + ".const " + init + "))\n"
         "  (loop $l\n"
         "    (local.set $acc (i32.add (local.get $acc) (i32.const 3)))\n"
         "    (br_if $l (" + type + "." + compare + " (local.tee $i (" + type + "." + update + ")) (" + type + ".const " + limit + ")))))";
}

uint64_t trips(const std::string& func) {
  uint64_t budget = smallestBudget(func, "$l");
  uint64_t size = loopSize(func, "$l");
  if (budget == 0) return 0;
  EXPECT_EQ(budget % size, 0u) << func;
  return budget / size;
}
} // namespace

TEST(LoopBounds, CountsTripsOfCountedLoops) {
  EXPECT_EQ(trips(counted("i32", "0", "add (local.get $i) (i32.const 1)", "ne", "100")), 100u);
  EXPECT_EQ(trips(counted("i32", "0", "add (i32.const 4) (local.get $i)", "lt_s", "10")), 3u);   // 4, 8, 12
  EXPECT_EQ(trips(counted("i32", "0", "add (local.get $i) (i32.const 4)", "le_u", "12")), 4u);   // 4, 8, 12, 16
  EXPECT_EQ(trips(counted("i32", "10", "sub (local.get $i) (i32.const 1)", "gt_s", "0")), 10u);
  EXPECT_EQ(trips(counted("i32", "10", "add (local.get $i) (i32.const -2)", "ge_s", "0")), 6u);  // 8 6 4 2 0 -2
  EXPECT_EQ(trips(counted("i64", "-5", "add (local.get $i) (i64.const 5)", "ne", "45")), 10u);
  EXPECT_EQ(trips(counted("i32", "50", "add (local.get $i) (i32.const 1)", "lt_u", "10")), 1u);  // do-while: once
  EXPECT_EQ(trips(counted("i32", "-8", "add (local.get $i) (i32.const 8)", "ne", "0")), 1u);
  EXPECT_EQ(trips(counted("i32", "0", "sub (local.get $i) (i32.const 3)", "ne", "-30")), 10u);
}

TEST(LoopBounds, BareCounterTestsAgainstZero) {
  // lcs's inner loop after clang -O2: counts a byte offset up to zero.
  EXPECT_EQ(trips("(func $f (local $i i32) (local.set $i (i32.const -56000)) (loop $l (br_if $l (local.tee $i "
                  "(i32.add (local.get $i) (i32.const 4))))))"), 14000u);
}

TEST(LoopBounds, LimitOnTheLeftIsMirrored) {
  std::string func = "(func $f (local $i i32) (loop $l (br_if $l (i32.gt_s (i32.const 7) "
                     "(local.tee $i (i32.add (local.get $i) (i32.const 1)))))))";
  EXPECT_EQ(trips(func), 7u); // a var never written before the loop starts at 0
}

TEST(LoopBounds, LoopsThatWrapOrNeverEndKeepTheirPoll) {
  // 0, 3, 6, ... never equals 10 before wrapping around.
  EXPECT_EQ(trips(counted("i32", "0", "add (local.get $i) (i32.const 3)", "ne", "10")), 0u);
  // Counting away from the limit.
  EXPECT_EQ(trips(counted("i32", "0", "sub (local.get $i) (i32.const 1)", "lt_s", "10")), 0u);
  // <= the largest value is always true.
  EXPECT_EQ(trips(counted("i32", "-16", "add (local.get $i) (i32.const 1)", "le_u", "-1")), 0u);
  // Starting at the limit, `ne` goes all the way round.
  EXPECT_EQ(trips(counted("i32", "5", "add (local.get $i) (i32.const 1)", "ne", "5")), 0u);
  // A step of zero.
  EXPECT_EQ(trips(counted("i32", "0", "add (local.get $i) (i32.const 0)", "lt_s", "5")), 0u);
}

TEST(LoopBounds, UnknownStartOrExtraWritesKeepThePoll) {
  // Starts at a parameter.
  EXPECT_EQ(trips("(func $f (param $i i32) (loop $l (br_if $l (i32.lt_s (local.tee $i (i32.add (local.get $i) "
                  "(i32.const 1))) (i32.const 10)))))"), 0u);
  // Set to a non-constant.
  EXPECT_EQ(trips("(func $f (param $p i32) (local $i i32) (local.set $i (local.get $p)) (loop $l (br_if $l "
                  "(i32.lt_s (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 10)))))"), 0u);
  // Written in the body too.
  EXPECT_EQ(trips("(func $f (local $i i32) (loop $l (local.set $i (i32.const 0)) (br_if $l (i32.lt_s "
                  "(local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 10)))))"), 0u);
  // Written between the constant and the loop.
  EXPECT_EQ(trips("(func $f (param $p i32) (local $i i32) (local.set $i (i32.const 0)) (if (local.get $p) "
                  "(then (local.set $i (i32.const 5)))) (loop $l (br_if $l (i32.lt_s (local.tee $i (i32.add "
                  "(local.get $i) (i32.const 1))) (i32.const 10)))))"), 0u);
  // A second way back to the header.
  EXPECT_EQ(trips("(func $f (param $p i32) (local $i i32) (loop $l (br_if $l (local.get $p)) (br_if $l "
                  "(i32.lt_s (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 10)))))"), 0u);
  // A limit that is not a constant.
  EXPECT_EQ(trips("(func $f (param $p i32) (local $i i32) (loop $l (br_if $l (i32.lt_s (local.tee $i "
                  "(i32.add (local.get $i) (i32.const 1))) (local.get $p)))))"), 0u);
}

TEST(LoopBounds, StartValueFoundThroughEnclosingBlocks) {
  EXPECT_EQ(trips("(func $f (param $p i32) (local $i i32) (local.set $i (i32.const 90)) (drop (local.get $p)) "
                  "(block $out (block (loop $l (br_if $out (local.get $p)) (br_if $l (i32.ne (local.tee $i "
                  "(i32.add (local.get $i) (i32.const 1))) (i32.const 100)))))))"), 10u);
  // Not through an `if`: the arm could run any number of times with the value left by the last run.
  EXPECT_EQ(trips("(func $f (param $p i32) (local $i i32) (local.set $i (i32.const 0)) (if (local.get $p) (then "
                  "(loop $l (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 9)))))))"), 0u);
}

// A counter that starts from a value whose range is known: the largest trip count over it.
std::string fromStart(const std::string& start, const std::string& backEdge) {
  return "(memory 1) (func $f (param $p i32) (local $i i32) (local $acc i32)\n"
         "  (local.set $i " + start + ")\n"
         "  (loop $l (local.set $acc (i32.add (local.get $acc) (i32.const 3))) " + backEdge + "))";
}
const char* kDownToZero = "(br_if $l (local.tee $i (i32.sub (local.get $i) (i32.const 1))))";
const char* kUpTo100 = "(br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 100)))";

TEST(LoopBounds, StartFromAValueOfKnownRange) {
  // max(byte, 1) down to zero: at most 255 iterations (clang's max idiom, either order).
  const std::string byte = "(i32.load8_u (local.get $p))";
  EXPECT_EQ(trips(fromStart("(select (local.tee $acc " + byte + ") (i32.const 1) (i32.gt_u (local.get $acc) (i32.const 1)))", kDownToZero)), 255u);
  EXPECT_EQ(trips(fromStart("(select (i32.const 1) (local.tee $acc " + byte + ") (i32.lt_u (local.get $acc) (i32.const 1)))", kDownToZero)), 255u);
  // Not the idiom when the second arm overwrites the local the first one set: the condition then
  // compares 100 with itself and picks 100, not min(1..4, 100).
  EXPECT_EQ(trips(fromStart("(select (local.tee $acc (i32.add (i32.and (local.get $p) (i32.const 3)) (i32.const 1))) "
                            "(local.tee $acc (i32.const 100)) (i32.lt_u (local.get $acc) (local.get $acc)))", kDownToZero)), 100u);
  EXPECT_EQ(trips(fromStart("(select (local.tee $acc " + byte + ") (i32.const 1) (i32.lt_u (i32.const 1) (local.get $acc)))", kDownToZero)), 255u);
  // The byte alone can be zero: down from zero goes all the way round.
  EXPECT_EQ(trips(fromStart(byte, kDownToZero)), 0u);
  // Counting up from a masked, shifted or remaindered value: the smallest start is the longest run.
  EXPECT_EQ(trips(fromStart("(i32.and (local.get $p) (i32.const 15))", kUpTo100)), 100u);
  EXPECT_EQ(trips(fromStart("(i32.add (i32.shr_u (local.get $p) (i32.const 28)) (i32.const 50))", kUpTo100)), 50u);
  EXPECT_EQ(trips(fromStart("(i32.rem_u (local.get $p) (i32.const 7))", kUpTo100)), 100u);
  EXPECT_EQ(trips(fromStart("(i32.load16_u (local.get $p))", "(br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) "
                            "(i32.const 1))) (i32.const 70000)))")), 70000u);
  // min(halfword, 10) counting down past zero (signed, non-negative operands).
  EXPECT_EQ(trips(fromStart("(select (local.tee $acc (i32.load16_u (local.get $p))) (i32.const 10) (i32.lt_s "
                            "(local.get $acc) (i32.const 10)))", "(br_if $l (i32.gt_s (local.tee $i (i32.sub "
                            "(local.get $i) (i32.const 1))) (i32.const 0)))")), 10u);
  // Unknown or unbounded starts keep the poll: a parameter, a signed byte, a full-width load.
  EXPECT_EQ(trips(fromStart("(local.get $p)", kUpTo100)), 0u);
  EXPECT_EQ(trips(fromStart("(i32.load8_s (local.get $p))", kUpTo100)), 0u);
  EXPECT_EQ(trips(fromStart("(i32.load (local.get $p))", kDownToZero)), 0u);
  EXPECT_EQ(trips(fromStart("(f64.lt (f64.load (local.get $p)) (f64.const 1))", kDownToZero)), 0u); // 0 or 1
  // A step other than one with `ne`: whether the counter meets the limit depends on the start.
  EXPECT_EQ(trips(fromStart("(i32.and (local.get $p) (i32.const 15))", "(br_if $l (i32.ne (local.tee $i (i32.add "
                            "(local.get $i) (i32.const 2))) (i32.const 100)))")), 0u);
}

TEST(LoopBounds, BackEdgeInsideTheBody) {
  // do { if (a[i] != b[i]) break-out; } while (--n): the back edge in an `if`, exits elsewhere.
  std::string func = "(memory 1) (func $f (param $p i32) (local $n i32) (local $acc i32)\n"
                     "  (local.set $n (i32.const 40))\n"
                     "  (block $out (loop $l (if (i32.eqz (i32.load8_u (local.get $p))) (then\n"
                     "    (local.set $p (i32.add (local.get $p) (i32.const 1)))\n"
                     "    (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))\n"
                     "    (br $out))))))";
  EXPECT_EQ(smallestBudget(func, "$l"), 40 * loopSize(func, "$l"));
  // Inside a loop nested in this one, it can be evaluated many times per iteration.
  std::string nested = "(func $f (param $p i32) (local $n i32)\n"
                       "  (local.set $n (i32.const 40))\n"
                       "  (loop $l (loop $inner (br_if $inner (local.get $p))\n"
                       "    (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))";
  EXPECT_EQ(smallestBudget(nested, "$l"), 0u);
}

TEST(LoopBounds, LoopWithoutBackEdgeRunsOnce) {
  EXPECT_EQ(trips("(func $f (param $p i32) (loop $l (drop (local.get $p))))"), 1u);
}

TEST(LoopBounds, NestedWorkMultipliesAndPolledInnerLoopsReset) {
  // Inner: 100 trips; outer: 1000 trips of (inner work + its own expressions).
  std::string func = "(func $f (local $i i32) (local $j i32) (local $acc i32)\n"
                     "  (loop $outer\n"
                     "    (local.set $j (i32.const 0))\n"
                     "    (loop $inner\n"
                     "      (local.set $acc (i32.add (local.get $acc) (local.get $j)))\n"
                     "      (br_if $inner (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 100))))\n"
                     "    (br_if $outer (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 1000)))))";
  auto module = parseFunction(func);
  auto* f = module->functions[0].get();
  auto* outer = loopNamed(f, "$outer");
  auto* inner = loopNamed(f, "$inner");
  uint64_t innerWork = 100 * wasm::Measurer::measure(inner);
  uint64_t outerWork = 1000 * (wasm::Measurer::measure(outer) - wasm::Measurer::measure(inner) + innerWork);
  EXPECT_TRUE(loopsNeedingPolls(f, outerWork).empty());
  EXPECT_EQ(loopsNeedingPolls(f, outerWork - 1), std::unordered_set<wasm::Loop*>{outer});
  // The default budget polls the outer loop only.
  EXPECT_EQ(loopsNeedingPolls(f), std::unordered_set<wasm::Loop*>{outer});
  // An inner loop over budget is polled; the outer one then counts it as one expression.
  std::string longInner = func;
  longInner.replace(longInner.find("(i32.const 100)"), 15, "(i32.const 100000)");
  longInner.replace(longInner.find("(i32.const 1000)"), 16, "(i32.const 10)");
  module = parseFunction(longInner);
  f = module->functions[0].get();
  outer = loopNamed(f, "$outer");
  inner = loopNamed(f, "$inner");
  uint64_t outerAlone = 10 * (wasm::Measurer::measure(outer) - wasm::Measurer::measure(inner) + 1);
  EXPECT_EQ(loopsNeedingPolls(f, 100000 * wasm::Measurer::measure(inner) - 1), std::unordered_set<wasm::Loop*>{inner});
  EXPECT_EQ(loopsNeedingPolls(f, outerAlone - 1), (std::unordered_set<wasm::Loop*>{inner, outer}));
}

// A poll counts for the work up to the next poll, in units of kWorkPerPoll expressions: the
// run-time code sizes the interval between slow paths in polls, which must stand for about the
// same time everywhere.
TEST(LoopBounds, PollsWeighTheWorkTheyStandFor) {
  // An outer loop of unknown trip count (not one that can run in chunks) around a short inner
  // loop (5000 trips, no poll), after a short loop at the top level (100 trips).
  std::string func = "(func $f (param $n i32) (local $j i32) (local $k i32) (local $acc i32)\n"
                     "  (loop $top\n"
                     "    (local.set $acc (i32.add (local.get $acc) (local.get $k)))\n"
                     "    (br_if $top (i32.ne (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 100))))\n"
                     "  (loop $outer\n"
                     "    (local.set $j (i32.const 0))\n"
                     "    (loop $inner\n"
                     "      (local.set $acc (i32.add (local.get $acc) (local.get $j)))\n"
                     "      (br_if $inner (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 5000))))\n"
                     "    (br_if $outer (i32.load (local.get $acc)))))";
  auto module = parseFunction("(memory 1) " + func);
  auto* f = module->functions[0].get();
  auto* top = loopNamed(f, "$top");
  auto* outer = loopNamed(f, "$outer");
  auto* inner = loopNamed(f, "$inner");
  uint64_t innerSize = wasm::Measurer::measure(inner), outerSize = wasm::Measurer::measure(outer);
  uint64_t iteration = outerSize - innerSize + 5000 * innerSize;
  auto lean = polledLoops(f, Strategy::Lean, {});
  EXPECT_EQ(lean.polled, std::unordered_set<wasm::Loop*>{outer});
  EXPECT_EQ(lean.weights.at(outer), iteration / kWorkPerPoll);
  EXPECT_GT(lean.weights.at(outer), 1000u);
  // The body around the polled loop: the top-level short loop's 100 trips, the outer loop as one.
  uint64_t body = wasm::Measurer::measure(f->body) - outerSize + 1 - wasm::Measurer::measure(top) + 100 * wasm::Measurer::measure(top);
  EXPECT_EQ(lean.entryWeight, body / kWorkPerPoll);
  // Under full every loop polls, and each counts as one expression around it.
  auto full = polledLoops(f, Strategy::Full, {});
  EXPECT_EQ(full.weights.at(inner), 1u);
  EXPECT_EQ(full.weights.at(outer), 1u);
  EXPECT_EQ(full.entryWeight, 1u);
  // With a counter, the outer loop runs in chunks of a budget's work; its poll between two chunks
  // counts for a chunk.
  std::string counted = func;
  counted.replace(counted.find("(i32.load (local.get $acc))"), 27, "(local.tee $n (i32.sub (local.get $n) (i32.const 1)))");
  module = parseFunction(counted);
  f = module->functions[0].get();
  auto polls = polledLoops(f, Strategy::Lean, {});
  auto* chunkedOuter = loopNamed(f, "$outer");
  auto chunked = polls.chunked.at(chunkedOuter);
  uint64_t chunkedSize = wasm::Measurer::measure(chunkedOuter);
  uint64_t chunkedIteration = chunkedSize - innerSize + 5000 * innerSize;
  EXPECT_EQ(chunked.chunkTrips, kPollFreeWorkBudget / chunkedIteration);
  EXPECT_EQ(chunked.weight, chunked.chunkTrips * chunkedIteration / kWorkPerPoll);
  // Around it, its first chunk counts as kUsualFirstChunkTrips iterations at most, not as the
  // chunk it is bounded by.
  uint64_t topSize = wasm::Measurer::measure(loopNamed(f, "$top"));
  uint64_t firstChunk = std::min(chunked.chunkTrips, kUsualFirstChunkTrips) * chunkedIteration;
  uint64_t around = wasm::Measurer::measure(f->body) - chunkedSize + firstChunk - topSize + 100 * topSize;
  EXPECT_EQ(polls.entryWeight, around / kWorkPerPoll);
  // A weight is at least one and at most kMaxPollWeight.
  EXPECT_EQ(pollWeight(0), 1u);
  EXPECT_EQ(pollWeight(kWorkPerPoll * 3 + 1), 3u);
  EXPECT_EQ(pollWeight(UINT64_MAX), kMaxPollWeight);
}

TEST(LoopBounds, FullPollsEveryLoop) {
  auto module = parseFunction(counted("i32", "0", "add (local.get $i) (i32.const 1)", "ne", "100"));
  auto* f = module->functions[0].get();
  EXPECT_EQ(polledLoops(f, Strategy::Full, {}).polled.size(), 1u);
  EXPECT_EQ(polledLoops(f, Strategy::Lean, {}).polled.size(), 0u);
}

namespace {
// A loop of unknown trip count (it needs a poll of its own) around `body`.
std::unique_ptr<wasm::Module> loopAround(const std::string& body) {
  std::string text = "(module (func $rec (param i32) (result i32) (local.get 0)) (func $other (param i32) (result i32) (local.get 0))\n"
                     "(func $f (param $n i32) (local $acc i32)\n"
                     "  (loop $l\n" + body + "\n"
                     "    (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))";
  return test::parseText(text);
}

size_t leanLoopPolls(const std::string& body) {
  auto module = loopAround(body);
  auto* f = module->getFunction("f");
  EXPECT_EQ(loopsNeedingPolls(f).size(), 1u);
  EXPECT_EQ(polledLoops(f, Strategy::Full, {"rec"}).polled.size(), 1u);
  return polledLoops(f, Strategy::Lean, {"rec"}).polled.size();
}
} // namespace

TEST(LoopBounds, LoopCallingAnEntryPolledFunctionEachIterationNeedsNoPoll) {
  // Like a compiled fib: the recursive call is nested in the arithmetic.
  EXPECT_EQ(leanLoopPolls("(local.set $acc (i32.add (local.get $acc) (call $rec (local.get $n))))"), 0u);
  EXPECT_EQ(leanLoopPolls("(drop (local.get $acc)) (drop (call $rec (local.get $n)))"), 0u);
}

TEST(LoopBounds, LoopThatMaySkipTheCallKeepsItsPoll) {
  // A callee without an entry poll.
  EXPECT_EQ(leanLoopPolls("(drop (call $other (local.get $n)))"), 1u);
  // The call is conditional.
  EXPECT_EQ(leanLoopPolls("(if (local.get $acc) (drop (call $rec (local.get $n))))"), 1u);
  EXPECT_EQ(leanLoopPolls("(drop (select (call $rec (local.get $n)) (i32.const 0) (block (result i32) (br_if $l (local.get $acc)) (i32.const 1))))"), 1u);
  // An earlier statement may branch back to the header, skipping the call.
  EXPECT_EQ(leanLoopPolls("(br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))) (drop (call $rec (local.get $n)))"), 1u);
}

namespace {
// Whether loop $l of a function with params $i, $n and locals $m, $x, $s, around `body`, runs in chunks.
bool chunked(const std::string& body, const std::string& backEdge) {
  auto module = parseFunction("(func $f (param $i i32) (param $n i32) (local $m i32) (local $x i64) (local $s i64) (loop $l " +
                              body + " " + backEdge + "))");
  auto* f = module->functions[0].get();
  auto* loop = loopNamed(f, "$l");
  return polledLoops(f, Strategy::Lean, {}).chunked.count(loop) > 0;
}
} // namespace

TEST(LoopBounds, ChunkedLoopsHaveRunTimeBounds) {
  const std::string store = "(i32.store (local.get $i) (local.get $n))";
  auto tee = [](const char* op, int step) {
    return std::string("(local.tee $i (") + op + " (local.get $i) (i32.const " + std::to_string(step) + ")))";
  };
  // A limit in a local or a constant, a start value unknown until run time.
  EXPECT_TRUE(chunked(store, "(br_if $l (i32.ne " + tee("i32.add", 1) + " (local.get $n)))"));
  EXPECT_TRUE(chunked(store, "(br_if $l (i32.lt_u " + tee("i32.add", 4) + " (i32.const 4000)))"));
  EXPECT_TRUE(chunked(store, "(br_if $l (i32.gt_s " + tee("i32.sub", 2) + " (local.get $n)))"));
  EXPECT_TRUE(chunked(store, "(br_if $l (i32.gt_s (local.get $n) " + tee("i32.add", 1) + "))")); // mirrored: $i < $n
  EXPECT_TRUE(chunked(store, "(br_if $l (local.tee $i (i32.sub (local.get $i) (i32.const 1))))"));  // != 0
  // <= and >=, steps that are not powers of two, 64-bit counters, steps in locals, a poll-free
  // loop inside, a large body.
  EXPECT_TRUE(chunked(store, "(br_if $l (i32.le_u " + tee("i32.add", 3) + " (local.get $n)))"));
  EXPECT_TRUE(chunked(store, "(br_if $l (i32.ge_s " + tee("i32.sub", 7) + " (local.get $n)))"));
  EXPECT_TRUE(chunked(store, "(br_if $l (i64.ge_s (local.get $s) (local.tee $x (i64.add (local.get $x) (local.get $s)))))"));
  EXPECT_TRUE(chunked(store, "(br_if $l (i32.lt_s (local.tee $i (i32.add (local.get $m) (local.get $i))) (local.get $n)))"));
  EXPECT_TRUE(chunked("(local.set $m (i32.const 0)) (loop $inner (br_if $inner (i32.ne (local.tee $m (i32.add (local.get $m) (i32.const 1))) (i32.const 4))))",
                      "(br_if $l (i32.ne " + tee("i32.add", 1) + " (local.get $n)))"));
  std::string big;
  for (int k = 0; k < 20; k++) big += store;
  EXPECT_TRUE(chunked(big, "(br_if $l (i32.ne " + tee("i32.add", 1) + " (local.get $n)))"));
  // Not chunked: != with a step that is not a power of two or in a local; counting away from
  // the limit; a limit or a step the loop writes; a call; a polled loop inside; a limit
  // computed in the back edge (not known at entry); a second write of the counter.
  EXPECT_FALSE(chunked(store, "(br_if $l (i32.ne " + tee("i32.add", 3) + " (local.get $n)))"));
  EXPECT_FALSE(chunked(store, "(br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (local.get $m))) (local.get $n)))"));
  EXPECT_FALSE(chunked(store, "(br_if $l (i32.lt_u " + tee("i32.sub", 1) + " (local.get $n)))"));
  EXPECT_FALSE(chunked("(local.set $n (i32.const 9))", "(br_if $l (i32.ne " + tee("i32.add", 1) + " (local.get $n)))"));
  EXPECT_FALSE(chunked("(local.set $m (i32.const 9))", "(br_if $l (i32.lt_s (local.tee $i (i32.add (local.get $m) (local.get $i))) (local.get $n)))"));
  EXPECT_FALSE(chunked("(call $f (i32.const 0) (i32.const 0))", "(br_if $l (i32.ne " + tee("i32.add", 1) + " (local.get $n)))"));
  EXPECT_FALSE(chunked("(loop $inner (br_if $inner (local.get $m)))", "(br_if $l (i32.ne " + tee("i32.add", 1) + " (local.get $n)))"));
  EXPECT_FALSE(chunked(store, "(br_if $l (i32.ne " + tee("i32.add", 1) + " (i32.load (local.get $n))))"));
  EXPECT_FALSE(chunked("(local.set $i (i32.const 0))", "(br_if $l (i32.ne " + tee("i32.add", 1) + " (local.get $n)))"));
}
