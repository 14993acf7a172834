// Unrolled polled loops (src/passes/UnrollPolledLoops.cpp): lean runs the body of a small,
// call-free loop whose trip count is unknown twice per poll. Each loop below steps a counter by
// a byte loaded from memory (1), so that no bound is known and the loop polls, and sums what it
// sees along the way. It is run, through Binaryen's interpreter, in the original and the
// lean-instrumented module, for limits around every trip count parity: the results must agree,
// and the header's poll, read off the countdown, must come once per two iterations. The shapes
// cover the ways a body can leave an iteration: falling through its end (loop left), a back edge
// at the end or in the middle, a br_table, an `if` arm, an exit to an enclosing block with the
// loop itself never falling through, and labels of its own, which the copy must rename.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "shell-interface.h"
#include "wasm-interpreter.h"
#include "wasm.h"

#include "countdown_probe.h"
#include "planned_polls.h"

#include "analysis/loop_bounds.h"
#include "wasm_ckpt/instrument.h"
#include "common/test_modules.h"
#include "wasm_ckpt/module_io.h"
#include "wasm_ckpt/plan.h"

using namespace wasm_ckpt;

namespace {
// Each function takes the limit $n and returns $c * 65536 + ($s & 0xffff): $c counts iterations
// (one per pass through the header), $s depends on the path each took.
const std::string kStep = "(local.set $c (i32.add (local.get $c) (i32.load8_u (i32.const 0))))\n";
const std::map<std::string, std::string> kLoops = {
  {"back_edge_at_end",
   "(loop $l " + kStep +
     "  (local.set $s (i32.add (local.get $s) (i32.mul (local.get $c) (local.get $c))))\n"
     "  (br_if $l (i32.lt_u (local.get $c) (local.get $n))))"},
  {"back_edge_in_the_middle",
   "(loop $l " + kStep +
     "  (block $odd (br_if $odd (i32.and (local.get $c) (i32.const 1)))\n"
     "    (local.set $s (i32.add (local.get $s) (local.get $c))))\n"
     "  (br_if $l (i32.eq (i32.and (local.get $c) (i32.const 3)) (i32.const 2)))\n"
     "  (local.set $s (i32.xor (local.get $s) (local.get $c)))\n"
     "  (br_if $l (i32.lt_u (local.get $c) (local.get $n))))"},
  {"br_table",
   "(block $out (loop $l " + kStep +
     "  (block $b (block $a\n"
     "    (br_if $out (i32.ge_u (local.get $c) (local.get $n)))\n"
     "    (br_table $a $l $b $out (i32.rem_u (local.get $c) (i32.const 3))))\n"
     "    (local.set $s (i32.add (local.get $s) (i32.const 7))) (br $l))\n"
     "  (local.set $s (i32.add (local.get $s) (i32.const 100)))\n"
     "  (br_if $l (i32.lt_u (local.get $c) (local.get $n)))))"},
  {"back_edge_in_an_if",
   "(loop $l " + kStep +
     "  (if (i32.lt_u (local.get $c) (local.get $n))\n"
     "    (then (local.set $s (i32.add (local.get $s) (i32.const 3))) (br $l))\n"
     "    (else (local.set $s (i32.sub (local.get $s) (i32.const 1))))))"},
  {"never_falls_through",
   "(block $out (loop $l " + kStep +
     "  (br_if $out (i32.ge_u (local.get $c) (local.get $n)))\n"
     "  (local.set $s (i32.add (local.get $s) (i32.rotl (local.get $c) (i32.const 5))))\n"
     "  (br $l)))"},
};

std::unique_ptr<wasm::Module> makeModule() {
  std::string text = "(module (memory 1) (export \"memory\" (memory 0)) (data (i32.const 0) \"\\01\")\n";
  for (auto& [name, loop] : kLoops) {
    text += "(func $" + name + " (export \"" + name + "\") (param $n i32) (result i32) (local $c i32) (local $s i32)\n" + loop +
            "\n(i32.or (i32.shl (local.get $c) (i32.const 16)) (i32.and (local.get $s) (i32.const 0xffff))))\n";
  }
  // Not unrolled: a loop that calls, and one past kMaxUnrolledBody.
  text += "(func $calls (export \"calls\") (param $n i32) (result i32) (local $c i32)\n"
          "  (loop $l " + kStep + " (drop (call $back_edge_at_end (i32.const 1))) (br_if $l (i32.lt_u (local.get $c) (local.get $n))))\n"
          "  (local.get $c))\n";
  std::string big = "(local.get $c)";
  for (int i = 0; i < 20; i++) big = "(i32.add " + big + " (i32.const " + std::to_string(i) + "))";
  text += "(func $big (export \"big\") (param $n i32) (result i32) (local $c i32) (local $s i32)\n"
          "  (loop $l " + kStep + " (local.set $s (i32.xor (local.get $s) " + big + "))\n"
          "    (br_if $l (i32.lt_u (local.get $c) (local.get $n))))\n"
          "  (local.get $s))\n";
  text += ")";
  return test::parseText(text, "loops.wat");
}
} // namespace

TEST(UnrollPolledLoops, TwoIterationsPerPollComputeWhatTheLoopDid) {
  auto original = makeModule();
  auto instrumented = makeModule();
  auto options = test::leanOptions();
  for (auto& f : planInstrumentation(*instrumented, options).functions) {
    bool expected = kLoops.count(f.name);
    EXPECT_EQ(f.unrolledLoops, expected ? 1u : 0u) << f.name << ": " << f.reason;
    EXPECT_EQ(f.loopPolls, 1u) << f.name << ": " << f.reason;
    if (expected) EXPECT_NE(f.reason.find("1 every two iterations"), std::string::npos) << f.reason;
  }
  std::map<std::string, int32_t> weight;
  for (auto& [name, _] : kLoops) {
    auto loops = polledLoops(original->getFunction(name), Strategy::Lean, {});
    ASSERT_EQ(loops.weights.size(), 1u);
    weight[name] = int32_t(loops.weights.begin()->second);
  }
  instrumentModule(*instrumented, options);
  int32_t before = exportCountdown(*instrumented);

  wasm::ShellExternalInterface originalHost, instrumentedHost;
  wasm::ModuleRunner originalRunner(*original, &originalHost);
  wasm::ModuleRunner instrumentedRunner(*instrumented, &instrumentedHost);
  for (auto& [name, _] : kLoops) {
    for (int32_t n = 0; n <= 21; n++) {
      wasm::Literals args = {wasm::Literal(n)};
      int32_t result = originalRunner.callExport(name, args)[0].geti32();
      std::string where = name + " n " + std::to_string(n);
      ASSERT_EQ(instrumentedRunner.callExport(name, args)[0].geti32(), result) << where;
      int32_t iterations = result >> 16;
      ASSERT_GE(iterations, std::max(n, 1)) << where;
      int32_t now = instrumentedRunner.getExport("countdown")[0].geti32();
      ASSERT_EQ((before - now) % weight[name], 0) << where;
      EXPECT_EQ((before - now) / weight[name], (iterations + 1) / 2) << where;
      before = now;
    }
  }
  for (auto* name : {"calls", "big"}) {
    for (int32_t n = 0; n <= 5; n++) {
      wasm::Literals args = {wasm::Literal(n)};
      EXPECT_EQ(instrumentedRunner.callExport(name, args)[0].geti32(), originalRunner.callExport(name, args)[0].geti32());
    }
  }
}

// UnrollPolledLoops alone, on the loops lean's planner unrolls in
// tests/passes/golden/unroll_polled_loops.input.wat: a back edge at the end, in the middle (with a
// label of the body's own), in an if arm, a loop that never falls through; the loop that calls
// is left alone. The module is compared with golden/unroll_polled_loops.wat.
TEST(UnrollPolledLoops, GoldenOutput) {
  auto actual = test::runPlannedPass("unroll_polled_loops.input.wat", test::leanOptions(), createUnrollPolledLoopsPass);
  EXPECT_EQ(actual, test::golden("unroll_polled_loops.wat", actual));
}
