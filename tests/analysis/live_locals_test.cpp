// Liveness of locals at marker blocks (src/analysis/LiveLocals.cpp): what the unwind/rewind pass
// relies on to size frames and to zero dead locals at unwind sites.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "ir/find_all.h"
#include "wasm-builder.h"
#include "wasm.h"

#include "analysis/live_locals.h"
#include "common/test_modules.h"
#include "wasm_ckpt/module_io.h"

using namespace wasm_ckpt;

namespace {
// The calls to $mark in `func` become the markers (empty blocks), in order; the result is, for
// each, the names of the live locals.
std::vector<std::set<std::string>> liveAtMarkers(const std::string& func) {
  std::string text = "(module (func $callee) (func $mark) " + func + ")";
  auto module = test::parseText(text);
  auto* f = module->getFunction("f");
  std::vector<wasm::Block*> markers;
  wasm::Builder builder(*module);
  for (auto** call : wasm::FindAllPointers<wasm::Call>(f->body).list) {
    if ((*call)->cast<wasm::Call>()->target != "mark") continue;
    markers.push_back(builder.makeBlock());
    *call = markers.back();
  }
  auto live = liveLocalsAt(*module, f, markers);
  std::vector<std::set<std::string>> names;
  for (auto* marker : markers) {
    names.emplace_back();
    for (auto index : live.at(marker)) names.back().insert(f->getLocalNameOrGeneric(index).str);
  }
  return names;
}

using Names = std::set<std::string>;
} // namespace

TEST(LiveLocals, ReadLaterIsLiveAndOverwrittenFirstIsNot) {
  auto live = liveAtMarkers(R"((func $f (param $p i32) (local $x i32) (local $y i32)
    (local.set $x (local.get $p))
    (call $mark)
    (local.set $y (local.get $x))
    (call $mark)
    (local.set $x (i32.const 2))
    (drop (local.get $x))
    (drop (local.get $y))))");
  ASSERT_EQ(live.size(), 2u);
  EXPECT_EQ(live[0], (Names{"x"}));
  EXPECT_EQ(live[1], (Names{"y"}));
}

TEST(LiveLocals, ReadOnOnePathOnlyIsLive) {
  auto live = liveAtMarkers(R"((func $f (param $p i32) (local $x i32) (local $y i32)
    (call $mark)
    (if (local.get $p)
      (drop (local.get $x))
      (drop (local.get $y)))))");
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0], (Names{"p", "x", "y"}));
}

TEST(LiveLocals, LoopCarriedValueIsLiveAroundTheBackEdge) {
  auto live = liveAtMarkers(R"((func $f (param $n i32) (local $sum i32) (local $tmp i32)
    (loop $l
      (local.set $tmp (local.get $n))
      (local.set $sum (i32.add (local.get $sum) (local.get $tmp)))
      (call $mark)
      (call $callee)
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (drop (local.get $sum))))");
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0], (Names{"n", "sum"}));
}

TEST(LiveLocals, BranchOutSkipsTheReadsAfterIt) {
  auto live = liveAtMarkers(R"((func $f (param $p i32) (local $x i32) (local $y i32)
    (block $out
      (call $mark)
      (br_if $out (local.get $p))
      (drop (local.get $x)))
    (call $mark)
    (drop (local.get $y))))");
  ASSERT_EQ(live.size(), 2u);
  EXPECT_EQ(live[0], (Names{"p", "x", "y"}));
  EXPECT_EQ(live[1], (Names{"y"}));
}

TEST(LiveLocals, NothingIsLiveInUnreachableCode) {
  auto live = liveAtMarkers(R"((func $f (local $x i32)
    (return)
    (call $mark)
    (drop (local.get $x))))");
  ASSERT_EQ(live.size(), 1u);
  EXPECT_TRUE(live[0].empty());
}
