// UnwindRewind and FastCopies (src/passes/UnwindRewind.cpp) run alone, one after the other as the
// pipeline runs them, on a small flattened module with poll markers and its rewind copies: $count
// (a loop poll, its countdown threaded through its calls) and $main (an entry poll, a call to
// $count). The module after each pass is compared with tests/passes/golden/unwind_rewind.wat
// (the rewind copies transformed and the frames laid out; the fast copies untouched) and
// golden/fast_copies.wat (the fast copies instrumented from those frames, and the frame codec's
// functions).
#include <gtest/gtest.h>

#include "ir/module-utils.h"
#include "pass.h"
#include "wasm-builder.h"
#include "wasm.h"

#include "common/golden.h"
#include "common/test_modules.h"
#include "passes/passes.h"
#include "runtime/RuntimeInjector.h"
#include "runtime/runtime_names.h"
#include "wasm_ckpt/module_io.h"

using namespace wasm_ckpt;
using test::golden;
using test::printed;

namespace {
// The run-time functions and globals the passes call and read, as stubs (the injector merges the
// real ones in the pipeline).
const char* const kModule = R"((module
  (memory 1)
  (func $wasm_ckpt$poll_marker (param i32))
  (func $wasm_ckpt$poll_slow)
  (func $wasm_ckpt$frame_read (param i32 i32 i32) (result i32) (i32.const 0))
  (func $wasm_ckpt$frame_reserve (param i32 i32 i32))
  (func $count (param $n i32) (result i32) (local $i i32)
    (loop $l
      (call $wasm_ckpt$poll_marker (i32.const 3))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i))
  (func $main (param $n i32) (result i32)
    (call $wasm_ckpt$poll_marker (i32.const 1))
    (i32.add (call $count (local.get $n)) (i32.const 1)))
  (export "main" (func $main)))
)";
} // namespace

TEST(UnwindRewindGolden, RewindCopiesThenFastCopies) {
  auto module = test::parseText(kModule);
  wasm::Builder builder(*module);
  for (auto slot : {SLOT_STATE, SLOT_COUNTDOWN, SLOT_FRAME_CURSOR}) {
    module->addGlobal(wasm::Builder::makeGlobal(runtime::i32Slot(slot), wasm::Type::i32, builder.makeConst(int32_t(0)),
                                                wasm::Builder::Mutable));
  }
  module->features.enable(FeatureSet::Multivalue);
  UnwindRewindPlan plan;
  plan.ordered = {"count", "main"};
  plan.canUnwind = {"count", "main"};
  plan.saveLiveLocalsOnly = true;
  {
    wasm::PassRunner runner(module.get());
    runner.add("flatten");
    for (auto name : plan.ordered) runner.runOnFunction(module->getFunction(name));
  }
  for (auto name : plan.ordered) {
    wasm::Name copy = runtime::rewindCopyName(name);
    wasm::ModuleUtils::copyFunction(module->getFunction(name), *module, copy);
    plan.rewindCopies[name] = copy;
  }
  chooseCountdown(*module, plan);
  // Only $main calls $count, which threads the countdown; $main, exported, keeps it in the global.
  EXPECT_EQ(plan.countdown.at("count"), CountdownMode::Threaded);
  EXPECT_EQ(plan.countdown.at("main"), CountdownMode::Global);
  EXPECT_EQ(plan.countdown.at(runtime::rewindCopyName("count")), CountdownMode::Local); // its loop poll
  std::vector<FunctionFrame> frames(plan.ordered.size());
  WorkerErrors errors;
  plan.frames = &frames;
  plan.errors = &errors;

  auto run = [&](std::unique_ptr<wasm::Pass> pass) {
    wasm::PassRunner runner(module.get());
    runner.add(std::move(pass));
    runner.run();
    errors.rethrow();
  };
  run(createUnwindRewindPass(&plan));
  auto afterRewind = printed(*module);
  EXPECT_EQ(afterRewind, golden("unwind_rewind.wat", afterRewind));
  // $count's frame: $n is read after a rewind to its loop poll, $i too; $main's: $n, for the call.
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].layout.resumePoints.size(), 1u);
  EXPECT_EQ(frames[0].layout.resumePoints[0].kind, ResumeKind::Poll);
  ASSERT_EQ(frames[1].layout.resumePoints.size(), 2u);
  EXPECT_EQ(frames[1].layout.resumePoints[1].kind, ResumeKind::Call);
  EXPECT_EQ(frames[1].callees[1], wasm::Name("count"));

  run(createFastCopiesPass(&plan));
  // The frame codec the frames' prologues and epilogues call, as the pipeline adds it next.
  addFrameCodec(*module, {ValueKind::I32});
  validateModule(*module, "unwind_rewind golden");
  auto afterFast = printed(*module);
  EXPECT_EQ(afterFast, golden("fast_copies.wat", afterFast));
}
