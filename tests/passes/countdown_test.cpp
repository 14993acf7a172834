// Where chooseCountdown (src/passes/countdown.cpp) puts each transformed function's poll
// countdown: threaded through fast copies that only transformed functions call directly, a local
// copy where loop polls or threaded calls make it pay, the global elsewhere and in huge functions.
#include <gtest/gtest.h>

#include "ir/module-utils.h"
#include "wasm.h"

#include "common/test_modules.h"
#include "passes/passes.h"
#include "runtime/runtime_names.h"

using namespace wasm_ckpt;

namespace {
// $hot: a polled loop, called by $dispatch only; $dispatch: exported, loop-free, three calls to
// $hot; $leaf: exported, loop-free, no call.
const char* const kModule = R"((module
  (func $wasm_ckpt$poll_marker (param i32))
  (func $hot (param $n i32) (local $i i32)
    (loop $l
      (call $wasm_ckpt$poll_marker (i32.const 1))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
  (func $dispatch (param $n i32)
    (call $hot (local.get $n))
    (call $hot (local.get $n))
    (call $hot (local.get $n)))
  (func $leaf (param $x i32) (result i32) (local.get $x))
  (export "dispatch" (func $dispatch))
  (export "leaf" (func $leaf)))
)";

struct Chosen {
  std::unique_ptr<wasm::Module> module;
  UnwindRewindPlan plan;
  CountdownMode of(const char* name) const { return plan.countdown.at(name); }
  CountdownMode ofCopy(const char* name) const { return plan.countdown.at(runtime::rewindCopyName(name)); }
};

Chosen choose(bool rewindCopies, std::set<wasm::Name> huge = {}) {
  Chosen chosen{test::parseText(kModule), {}};
  chosen.module->features = FeatureSet::MVP; // to see whether the choice enables multi-value
  auto& plan = chosen.plan;
  plan.ordered = {"hot", "dispatch", "leaf"};
  plan.canUnwind = {"hot", "dispatch", "leaf"};
  plan.huge = std::move(huge);
  if (rewindCopies) {
    for (auto name : plan.ordered) {
      wasm::Name copy = runtime::rewindCopyName(name);
      wasm::ModuleUtils::copyFunction(chosen.module->getFunction(name), *chosen.module, copy);
      plan.rewindCopies[name] = copy;
    }
  }
  chooseCountdown(*chosen.module, plan);
  return chosen;
}
} // namespace

TEST(ChooseCountdown, ThreadedLocalAndGlobal) {
  auto chosen = choose(true);
  EXPECT_EQ(chosen.of("hot"), CountdownMode::Threaded);      // only $dispatch calls it
  EXPECT_EQ(chosen.ofCopy("hot"), CountdownMode::Local);     // rewind copies never thread; its loop poll
  EXPECT_EQ(chosen.of("dispatch"), CountdownMode::Local);    // three threaded calls: 2 * 3 > 2 + 0
  EXPECT_EQ(chosen.ofCopy("dispatch"), CountdownMode::Local);
  EXPECT_EQ(chosen.of("leaf"), CountdownMode::Global);       // exported, no loop, no call
  EXPECT_EQ(chosen.ofCopy("leaf"), CountdownMode::Global);
  EXPECT_EQ(chosen.plan.countdown.size(), 6u);
  EXPECT_TRUE(chosen.module->features.hasMultivalue());
}

// A huge function keeps the countdown in the global and is never threaded, so that its callers'
// calls to it no longer make a local copy pay.
TEST(ChooseCountdown, HugeFunctionsKeepTheGlobal) {
  auto chosen = choose(true, {"hot"});
  EXPECT_EQ(chosen.of("hot"), CountdownMode::Global);
  EXPECT_EQ(chosen.ofCopy("hot"), CountdownMode::Global);
  EXPECT_EQ(chosen.of("dispatch"), CountdownMode::Global); // three other calls: 0 threaded
  EXPECT_FALSE(chosen.module->features.hasMultivalue());
}

// Without rewind copies nothing is threaded: the functions themselves carry the guarded code.
TEST(ChooseCountdown, NoThreadingWithoutRewindCopies) {
  auto chosen = choose(false);
  EXPECT_EQ(chosen.of("hot"), CountdownMode::Local);
  EXPECT_EQ(chosen.of("dispatch"), CountdownMode::Global);
  EXPECT_EQ(chosen.of("leaf"), CountdownMode::Global);
  EXPECT_EQ(chosen.plan.countdown.size(), 3u);
  EXPECT_FALSE(chosen.module->features.hasMultivalue());
}
