// Prepaid loops (src/passes/PrepayLoops.cpp, analysis/loop_bounds.h): counted loops with
// run-time bounds get a poll-free twin taken when the trip count is known and small, which
// charges the countdown with it. Each loop below is run, through Binaryen's interpreter, in the
// original and the lean-instrumented module from start and limit values around every edge the
// trip count computation has (equal, one apart, a != test the counter skips over, the ends of
// the signed and unsigned ranges): the results must agree, and the countdown must go down by
// exactly the iterations run (a twin charges its trip count up front; the polled loop counts
// each iteration). Every loop also stops after 100 iterations, so that the ones that would run
// for 2^32 iterations end; those are checked for results only.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "ir/find_all.h"
#include "shell-interface.h"
#include "wasm-builder.h"
#include "wasm-interpreter.h"
#include "wasm.h"

#include "runtime/runtime_names.h"
#include "wasm_ckpt/instrument.h"
#include "wasm_ckpt/module_io.h"

using namespace wasm_ckpt;

namespace {
// A loop `$name` counting iterations in $c (at most 100), stepping $i by STEP and continuing
// while `$i TEST $n`.
std::string loopFunction(const std::string& name, const std::string& test, int step) {
  std::string update = step > 0 ? "(i32.add (local.get $i) (i32.const " + std::to_string(step) + "))"
                                : "(i32.sub (local.get $i) (i32.const " + std::to_string(-step) + "))";
  return "(func $" + name + " (export \"" + name + "\") (param $i i32) (param $n i32) (result i32) (local $c i32)\n"
         "  (block $out (loop $l\n"
         "    (local.set $c (i32.add (local.get $c) (i32.const 1)))\n"
         "    (br_if $out (i32.ge_u (local.get $c) (i32.const 100)))\n"
         "    (br_if $l (" + test + " (local.tee $i " + update + ") (local.get $n)))))\n"
         "  (local.get $c))\n";
}

struct Shape {
  const char* name;
  const char* test;
  int step;
};
const std::vector<Shape> kShapes = {
  {"ne_up1", "i32.ne", 1},     {"ne_up4", "i32.ne", 4},     {"ne_down1", "i32.ne", -1}, {"ne_down8", "i32.ne", -8},
  {"lt_s_up1", "i32.lt_s", 1}, {"lt_u_up1", "i32.lt_u", 1}, {"lt_s_up8", "i32.lt_s", 8}, {"lt_u_up8", "i32.lt_u", 8},
  {"gt_s_down2", "i32.gt_s", -2}, {"gt_u_down1", "i32.gt_u", -1}, {"gt_u_down4", "i32.gt_u", -4},
};

std::unique_ptr<wasm::Module> makeModule() {
  std::string text = "(module (memory 1) (export \"memory\" (memory 0))\n";
  for (auto& shape : kShapes) text += loopFunction(shape.name, shape.test, shape.step);
  text += ")";
  return readModuleFromBytes(std::vector<char>(text.begin(), text.end()), "loops.wat");
}

const std::vector<uint32_t> kEdges = {0, 1, 2, 3, 4, 5, 8, 9, 40, 99, 100, 0x7ffffff8u, 0x7ffffffeu, 0x7fffffffu, 0x80000000u,
                                      0x80000001u, 0x80000007u, 0xfffffff0u, 0xfffffff8u, 0xfffffffcu, 0xffffffffu};

int32_t call(wasm::ModuleRunner& runner, const char* name, uint32_t start, uint32_t limit) {
  return runner.callExport(name, {wasm::Literal(int32_t(start)), wasm::Literal(int32_t(limit))})[0].geti32();
}
} // namespace

TEST(PrepayLoops, TwinsAgreeWithTheLoopAndChargeTheirIterations) {
  auto original = makeModule();
  auto instrumented = makeModule();
  InstrumentOptions options;
  options.strategy = Strategy::Lean;
  instrumentModule(*instrumented, options);
  // Every shape got a twin: a loop with no poll next to the polled one.
  EXPECT_EQ(wasm::FindAll<wasm::Loop>(instrumented->getFunction("ne_up1")->body).list.size(), 3u); // twin, loop, its cold re-entry
  // Start with a countdown far from running out and read it back through an export.
  auto* countdown = instrumented->getGlobal(runtime::countdownGlobal());
  const int32_t full = 1 << 20;
  countdown->init = wasm::Builder(*instrumented).makeConst(full);
  instrumented->addExport(wasm::Builder::makeExport("countdown", countdown->name, wasm::ExternalKind::Global));

  wasm::ShellExternalInterface originalHost, instrumentedHost;
  wasm::ModuleRunner originalRunner(*original, &originalHost);
  wasm::ModuleRunner instrumentedRunner(*instrumented, &instrumentedHost);
  int32_t expected = full;
  int checked = 0;
  for (auto& shape : kShapes) {
    for (uint32_t start : kEdges) {
      for (uint32_t limit : kEdges) {
        int32_t iterations = call(originalRunner, shape.name, start, limit);
        ASSERT_EQ(call(instrumentedRunner, shape.name, start, limit), iterations) << shape.name << " " << start << " " << limit;
        int32_t now = instrumentedRunner.getExport("countdown")[0].geti32();
        if (iterations < 100) {
          ASSERT_EQ(expected - now, iterations) << shape.name << " " << start << " " << limit;
          checked++;
        } else {
          ASSERT_GE(expected - now, iterations) << shape.name << " " << start << " " << limit;
        }
        expected = now;
      }
    }
  }
  EXPECT_GT(checked, 1000);
}
