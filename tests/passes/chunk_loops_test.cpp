// Chunked loops (src/passes/ChunkLoops.cpp, analysis/loop_bounds.h): counted loops with run-time
// bounds run in chunks, polled between chunks. Each loop below is run, through Binaryen's
// interpreter, in the original and the lean-instrumented module, from start, limit and step
// values around every edge the chunk end computation has (equal, one apart, a != test the
// counter skips over, a step of the wrong sign, the ends of the signed and unsigned ranges):
// the iteration counts must agree, and a run shorter than a chunk must be one chunk. The work
// budget is lowered so that a chunk is a few iterations: a loop of up to 100 iterations then
// spans many chunks, and the polls, read off the countdown (each charges a chunk's iterations),
// must come between every two chunks. Every loop also stops after 100 iterations,
// so that the ones that would run for 2^32 iterations end.
#include <gtest/gtest.h>

#include <cstdint>
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
struct Shape {
  std::string name;
  std::string type;    // i32 or i64
  std::string compare; // e.g. lt_s; `zero`: the back edge tests the counter itself (!= 0)
  int step;            // the constant step; 0: the step is the third parameter, added
  bool mirrored;       // the limit on the left of the comparison
};

const uint32_t kBudget = 120; // with the body below (~20 expressions), chunks of ~6 iterations
const uint32_t kMaxChunk = 12;

// A loop counting its iterations in $c (at most 100), stepping $i and continuing while the test
// of $i against $n holds.
std::string loopFunction(const Shape& shape) {
  const std::string& t = shape.type;
  std::string update;
  if (shape.step == 0) update = "(" + t + ".add (local.get $i) (local.get $s))";
  else if (shape.step > 0) update = "(" + t + ".add (local.get $i) (" + t + ".const " + std::to_string(shape.step) + "))";
  else update = "(" + t + ".sub (local.get $i) (" + t + ".const " + std::to_string(-shape.step) + "))";
  std::string tee = "(local.tee $i " + update + ")";
  std::string test = shape.compare == "zero" ? tee
                     : shape.mirrored        ? "(" + t + "." + shape.compare + " (local.get $n) " + tee + ")"
                                             : "(" + t + "." + shape.compare + " " + tee + " (local.get $n))";
  return "(func $" + shape.name + " (export \"" + shape.name + "\") (param $i " + t + ") (param $n " + t + ") (param $s " + t +
         ") (result i32) (local $c i32)\n"
         "  (block $out (loop $l\n"
         "    (local.set $c (i32.add (local.get $c) (i32.const 1)))\n"
         "    (br_if $out (i32.ge_u (local.get $c) (i32.const 100)))\n"
         "    (br_if $l " + test + ")))\n"
         "  (local.get $c))\n";
}

const std::vector<Shape> kShapes = {
  {"ne_up1", "i32", "ne", 1, false},       {"ne_up4", "i32", "ne", 4, false},        {"ne_down1", "i32", "ne", -1, false},
  {"ne_down8", "i32", "ne", -8, true},     {"zero_down1", "i32", "zero", -1, false}, {"lt_s_up1", "i32", "lt_s", 1, false},
  {"lt_u_up1", "i32", "lt_u", 1, false},   {"lt_s_up3", "i32", "lt_s", 3, false},    {"lt_u_up8", "i32", "lt_u", 8, false},
  {"le_s_up1", "i32", "le_s", 1, false},   {"le_u_up3", "i32", "le_u", 3, false},    {"gt_s_down2", "i32", "gt_s", -2, false},
  {"gt_u_down1", "i32", "gt_u", -1, false}, {"ge_s_down1", "i32", "ge_s", -1, false}, {"ge_u_down3", "i32", "ge_u", -3, false},
  {"mirrored_lt", "i32", "gt_s", 1, true}, {"mirrored_le", "i32", "ge_u", 2, true},
  {"local_lt_s", "i32", "lt_s", 0, false}, {"local_le_u", "i32", "le_u", 0, false}, {"local_gt_s", "i32", "gt_s", 0, false},
  {"local_ge_u", "i32", "ge_u", 0, false}, {"local_mirrored_le_s", "i32", "ge_s", 0, true},
  {"ne_up1_64", "i64", "ne", 1, false},    {"ne_down2_64", "i64", "ne", -2, false},  {"lt_s_up1_64", "i64", "lt_s", 1, false},
  {"le_u_up5_64", "i64", "le_u", 5, false}, {"gt_u_down2_64", "i64", "gt_u", -2, false},
  {"local_lt_u_64", "i64", "lt_u", 0, false}, {"local_ge_s_64", "i64", "ge_s", 0, false},
  {"sieve_64", "i64", "ge_s", 0, true}, // `limit >= (j += i)`, a sieve's strided inner loop
  {"memcpy_gt_u_down32", "i32", "gt_u", -32, false}, // `n -= 32` while `n > 15`: can wrap, near 0
};

std::unique_ptr<wasm::Module> makeModule() {
  std::string text = "(module (memory 1) (export \"memory\" (memory 0))\n";
  for (auto& shape : kShapes) text += loopFunction(shape);
  text += ")";
  return test::parseText(text, "loops.wat");
}

const std::vector<uint64_t> kEdges32 = {0, 1, 2, 3, 5, 9, 40, 99, 100, 0x7ffffff8u, 0x7ffffffeu, 0x7fffffffu, 0x80000000u,
                                        0x80000001u, 0x80000007u, 0xfffffff0u, 0xfffffffcu, 0xffffffffu};
const std::vector<uint64_t> kEdges64 = {0, 1, 2, 5, 99, 100, 0x7fffffffu, 0x80000000u, 0xffffffffu, uint64_t(1) << 32,
                                        0x7ffffffffffffff8u, 0x7fffffffffffffffu, 0x8000000000000000u, 0x8000000000000003u,
                                        0xfffffffffffffff0u, 0xffffffffffffffffu};
const std::vector<int64_t> kSteps = {1, 2, 3, 7, -1, -2, -5, 0, 0x7fffffff, -0x7fffffff - 1, (int64_t(1) << 40) + 1, -(int64_t(1) << 41)};

wasm::Literal value(const std::string& type, uint64_t bits) {
  return type == "i32" ? wasm::Literal(int32_t(uint32_t(bits))) : wasm::Literal(int64_t(bits));
}
} // namespace

TEST(ChunkLoops, ChunksRunTheLoopsIterationsAndPollBetweenThem) {
  auto original = makeModule();
  auto instrumented = makeModule();
  auto options = test::leanOptions();
  options.pollFreeWork = kBudget;
  for (auto& f : planInstrumentation(*instrumented, options).functions)
    EXPECT_EQ(f.chunkedLoops, 1u) << f.name << ": " << f.reason;
  // A chunk's poll takes its weight off the countdown.
  std::map<std::string, int32_t> weight;
  for (auto& shape : kShapes) {
    auto chunked = polledLoops(original->getFunction(shape.name), Strategy::Lean, {}, kBudget).chunked;
    ASSERT_EQ(chunked.size(), 1u);
    ASSERT_LE(chunked.begin()->second.chunkTrips, kMaxChunk);
    weight[shape.name] = int32_t(chunked.begin()->second.weight);
  }
  instrumentModule(*instrumented, options);
  int32_t before = exportCountdown(*instrumented);

  wasm::ShellExternalInterface originalHost, instrumentedHost;
  wasm::ModuleRunner originalRunner(*original, &originalHost);
  wasm::ModuleRunner instrumentedRunner(*instrumented, &instrumentedHost);
  int split = 0;
  for (auto& shape : kShapes) {
    auto& edges = shape.type == "i32" ? kEdges32 : kEdges64;
    std::vector<int64_t> steps = shape.step ? std::vector<int64_t>{0} : kSteps;
    for (int64_t step : steps) {
      for (uint64_t start : edges) {
        for (uint64_t limit : edges) {
          wasm::Literals args = {value(shape.type, start), value(shape.type, limit), value(shape.type, uint64_t(step))};
          int32_t iterations = originalRunner.callExport(shape.name, args)[0].geti32();
          std::string where = shape.name + " start " + std::to_string(start) + " limit " + std::to_string(limit) +
                              " step " + std::to_string(step);
          ASSERT_EQ(instrumentedRunner.callExport(shape.name, args)[0].geti32(), iterations) << where;
          int32_t now = instrumentedRunner.getExport("countdown")[0].geti32();
          ASSERT_EQ((before - now) % weight[shape.name], 0) << where;
          int32_t polls = (before - now) / weight[shape.name];
          before = now;
          // One poll between two chunks, none before the first.
          ASSERT_LT(polls, iterations) << where;
          ASSERT_GE((polls + 1) * kMaxChunk, uint32_t(iterations)) << where;
          split += polls >= 2 && polls * 2 < iterations;
          // A short run toward the limit, far from the ends of the range, is one chunk.
          int64_t direction = shape.step ? shape.step : step;
          bool small = start >= 16 && limit >= 16 && start < 0x10000 && limit < 0x10000 && direction > -16 && direction < 16;
          bool toward = direction > 0 ? start <= limit : start >= limit;
          if (shape.compare != "zero" && small && toward && iterations <= 3) ASSERT_EQ(polls, 0) << where;
        }
      }
    }
  }
  // Many runs spanned several chunks of several iterations.
  EXPECT_GT(split, 300);
  // Whether the last step of `n -= 32` while `n > 15` wraps depends on n mod 32: one that does
  // not is still one chunk (memcpy's loop, which otherwise polled every iteration).
  wasm::Literals args = {wasm::Literal(int32_t(99)), wasm::Literal(int32_t(15)), wasm::Literal(int32_t(0))};
  EXPECT_EQ(instrumentedRunner.callExport("memcpy_gt_u_down32", args)[0].geti32(), 3);
  EXPECT_EQ(instrumentedRunner.getExport("countdown")[0].geti32(), before);
}

// A loop whose body is a block that its early exit branches to (`while (i < n && a[i] == X) i++`
// as clang compiles it when both exits reach the same code, zstd's HUF_setMaxHeight): the branch
// falls off the loop's end with the loop's own test still holding. It must leave the chunks
// too; starting the next chunk there ran the iteration again, forever when it exits the same
// way (zstd under lean never finished). Here the early exit comes at the $e-th iteration, so a
// run that starts another chunk from it counts on instead.
TEST(ChunkLoops, AnEarlyExitToTheEndOfTheBodyLeavesTheChunks) {
  const std::string text = R"wat((module
    (func $early_exit (export "early_exit") (param $i i32) (param $n i32) (param $e i32) (result i32) (local $c i32)
      (loop $l
        (block $body
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (if (i32.eq (local.get $c) (local.get $e)) (br $body))
          (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
      (local.get $c))))wat";
  auto original = test::parseText(text, "early_exit.wat");
  auto instrumented = test::parseText(text, "early_exit.wat");
  auto options = test::leanOptions();
  options.pollFreeWork = kBudget;
  auto chunked = polledLoops(original->getFunction("early_exit"), Strategy::Lean, {}, kBudget).chunked;
  ASSERT_EQ(chunked.size(), 1u);
  ASSERT_LE(chunked.begin()->second.chunkTrips, kMaxChunk);
  instrumentModule(*instrumented, options);
  exportCountdown(*instrumented);

  wasm::ShellExternalInterface originalHost, instrumentedHost;
  wasm::ModuleRunner originalRunner(*original, &originalHost);
  wasm::ModuleRunner instrumentedRunner(*instrumented, &instrumentedHost);
  for (int32_t start : {0, 5, 60}) {
    for (int32_t exitAt : {1, 2, 7, 30, 49, 50, 51, 100}) {
      wasm::Literals args = {wasm::Literal(start), wasm::Literal(int32_t(50)), wasm::Literal(exitAt)};
      int32_t iterations = originalRunner.callExport("early_exit", args)[0].geti32();
      EXPECT_EQ(instrumentedRunner.callExport("early_exit", args)[0].geti32(), iterations)
        << "start " << start << " early exit at iteration " << exitAt;
    }
  }
}

// ChunkLoops alone, on the loops lean's planner chunks in tests/passes/golden/chunk_loops.input.wat:
// constant and local steps, i32 and i64, the limit on either side, an early exit to the body's
// block. The module is compared with golden/chunk_loops.wat.
TEST(ChunkLoops, GoldenOutput) {
  auto actual = test::runPlannedPass("chunk_loops.input.wat", test::leanOptions(), createChunkLoopsPass);
  EXPECT_EQ(actual, test::golden("chunk_loops.wat", actual));
}
