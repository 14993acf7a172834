// What UnwindRewind (src/passes/UnwindRewind.cpp) makes of instrumented functions: hot loops
// with their poll's slow path outside, the form of huge functions, the fast and rewind copies,
// the zeroing of dead locals at unwind sites, and the countdown threaded through direct calls.
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "ir/branch-utils.h"
#include "ir/find_all.h"
#include "wasm-traversal.h"
#include "wasm.h"

#include "common/test_modules.h"
#include "runtime/runtime_names.h"
#include "wasm_ckpt/instrument.h"
#include "wasm_ckpt/module_io.h"

using namespace wasm_ckpt;
using test::leanOptions;
using test::parseCallGraphProgram;
using test::parseText;

namespace {
bool calls(wasm::Function* func, wasm::Name target) {
  for (auto* call : wasm::FindAll<wasm::Call>(func->body).list) {
    if (call->target == target) return true;
  }
  return false;
}
} // namespace

// The hot loop keeps no call inside: its poll leaves the loop through a cold exit.
TEST(Lean, HotLoopHasNoCallInside) {
  auto module = parseCallGraphProgram();
  instrumentModule(*module, leanOptions());
  validateModule(*module, "lean output");
  auto* looper = module->getFunction("looper");
  size_t hotLoops = 0;
  for (auto* loop : wasm::FindAll<wasm::Loop>(looper->body).list) {
    if (loop->name.startsWith("wasm_ckpt$")) continue; // the re-entry loop around the cold path
    hotLoops++;
    EXPECT_TRUE(wasm::FindAll<wasm::Call>(loop->body).list.empty()) << "call inside the hot loop";
    // The countdown is a local there: no global traffic per iteration.
    EXPECT_TRUE(wasm::FindAll<wasm::GlobalSet>(loop->body).list.empty()) << "global write inside the hot loop";
    EXPECT_TRUE(wasm::FindAll<wasm::GlobalGet>(loop->body).list.empty()) << "global read inside the hot loop";
  }
  EXPECT_EQ(hotLoops, 1u);
}

// Huge functions (InstrumentOptions::hugeFunctionSize; 0 makes every one huge): one loop per
// source loop, the poll's slow path inside it, the countdown read and written in the global, and
// no countdown parameter added (looper is otherwise threaded: only caller calls it).
TEST(Lean, HugeFunctionKeepsThePollInItsLoopAndTheCountdownInMemory) {
  auto normal = parseCallGraphProgram();
  instrumentModule(*normal, leanOptions());
  EXPECT_EQ(normal->getFunction("looper")->getNumParams(), 2u) << "the countdown is no longer threaded here";

  auto module = parseCallGraphProgram();
  auto options = leanOptions();
  options.hugeFunctionSize = 0;
  instrumentModule(*module, options);
  validateModule(*module, "lean output, huge form");
  auto* looper = module->getFunction("looper");
  EXPECT_EQ(looper->getNumParams(), 1u);
  auto loops = wasm::FindAll<wasm::Loop>(looper->body).list;
  ASSERT_EQ(loops.size(), 1u);
  EXPECT_FALSE(wasm::FindAll<wasm::Call>(loops[0]->body).list.empty()) << "the slow path left the loop";
  EXPECT_FALSE(wasm::FindAll<wasm::GlobalSet>(loops[0]->body).list.empty()) << "the countdown is not in the global";
}
// The copy that runs normally has no rewind guards and reads no frame: a frame to rewind is
// handed to the rewind copy, which reads it.
TEST(RewindCopies, NormalCopyHandsRewindingOver) {
  auto module = parseCallGraphProgram();
  instrumentModule(*module, leanOptions());
  for (const char* name : {"caller", "looper", "even", "_start"}) {
    auto* fast = module->getFunction(name);
    auto* rewind = module->getFunction(runtime::rewindCopyName(fast->name));
    ASSERT_NE(rewind, nullptr) << name;
    EXPECT_TRUE(calls(fast, rewind->name)) << name;
    EXPECT_FALSE(calls(fast, runtime::frameRead())) << name;
    EXPECT_TRUE(calls(rewind, runtime::frameRead())) << name;
    EXPECT_TRUE(calls(fast, runtime::frameReserve())) << name; // both can unwind
    EXPECT_TRUE(calls(rewind, runtime::frameReserve())) << name;
  }
  EXPECT_EQ(module->getFunctionOrNull(runtime::rewindCopyName("leaf")), nullptr);
}

TEST(RewindCopies, CanBeTurnedOff) {
  auto module = parseCallGraphProgram();
  auto options = leanOptions();
  options.rewindCopies = RewindCopies::None;
  instrumentModule(*module, options);
  EXPECT_EQ(module->getFunctionOrNull(runtime::rewindCopyName("caller")), nullptr);
  EXPECT_TRUE(calls(module->getFunction("caller"), runtime::frameRead()));
}

namespace {
// How many times `func`'s code sets `local` to zero.
int zeroings(wasm::Function* func, wasm::Index local) {
  int count = 0;
  for (auto* set : wasm::FindAll<wasm::LocalSet>(func->body).list) {
    auto* value = set->value->dynCast<wasm::Const>();
    count += set->index == local && value && value->value.isZero();
  }
  return count;
}
bool zeroes(wasm::Function* func, wasm::Index local) { return zeroings(func, local) > 0; }

// The local that `func` sets to `(i32.load offset=offset ...)`: flattening's local coalescing
// renumbers locals and drops their names, and a load cannot move past the calls around it.
wasm::Index loadedLocal(wasm::Function* func, uint64_t offset) {
  for (auto* set : wasm::FindAll<wasm::LocalSet>(func->body).list) {
    auto* load = set->value->dynCast<wasm::Load>();
    if (load && load->offset == offset) return set->index;
  }
  ADD_FAILURE() << "no local set to a load at offset " << offset << " in " << func->name;
  return 0;
}

std::unique_ptr<wasm::Module> parseWithLooper(const std::string& functions) {
  std::string text = R"((module
    (memory 1)
    (func $looper (param $n i32) (result i32) (local $acc i32)
      (loop $next
        (local.set $acc (i32.add (local.get $acc) (local.get $n)))
        (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (local.get $acc))
    )" + functions + R"(
    (func $_start (drop (call $work (i32.const 3))))
    (export "memory" (memory 0))
    (export "_start" (func $_start))))";
  return parseText(text);
}
} // namespace

// $t is in the frame (read after the first call) and dead at the second call: the fast copy
// zeroes it on the way from that call's unwind test to the epilogue, so that the frame record
// does not keep it alive across the call; the rewind copy (which zeroes at loop polls only) does
// not.
TEST(RewindCopies, FastCopyZeroesLocalsDeadAtCallSites) {
  auto module = parseWithLooper(R"(
    (func $work (param $n i32) (result i32) (local $t i32)
      (local.set $t (i32.load offset=28 (local.get $n)))
      (drop (call $looper (local.get $n)))
      (local.set $n (i32.add (local.get $t) (i32.const 1)))
      (drop (call $looper (local.get $n)))
      (local.get $n)))");
  auto options = leanOptions();
  options.optimizeLevel = 0; // keep the code as the transformation left it
  instrumentModule(*module, options);
  validateModule(*module, "lean output");
  auto* fast = module->getFunction("work");
  auto* rewind = module->getFunction(runtime::rewindCopyName(fast->name));
  // The fast copy's locals are one further on: the countdown became its second parameter. (The
  // rewind copy leaves out the load, which runs before its first resume point.)
  ASSERT_EQ(fast->getNumParams(), rewind->getNumParams() + 1);
  auto t = loadedLocal(fast, 28);
  EXPECT_TRUE(zeroes(fast, t));
  EXPECT_FALSE(zeroes(rewind, t - 1));
}

// A rewind copy is entered only to rewind: what runs before its first resume point, outside
// loops, never runs there and is left out, and so are the locals only that code reads. The fast
// copy and the single guarded copy of --no-rewind-copies keep it.
TEST(RewindCopies, LeaveOutWhatRunsBeforeTheFirstResumePoint) {
  const char* work = R"(
    (func $work (param $n i32) (result i32)
      (i32.store (i32.const 64) (i32.const 12345))
      (drop (call $looper (local.get $n)))
      (i32.store (i32.const 68) (i32.const 54321))
      (call $looper (local.get $n))))";
  auto hasConst = [](wasm::Function* func, int32_t value) {
    for (auto* c : wasm::FindAll<wasm::Const>(func->body).list) {
      if (c->type == wasm::Type::i32 && c->value.geti32() == value) return true;
    }
    return false;
  };
  for (auto strategy : {Strategy::Lean, Strategy::Full}) {
    SCOPED_TRACE(strategyName(strategy));
    auto module = parseWithLooper(work);
    InstrumentOptions options;
    options.strategy = strategy;
    options.optimizeLevel = 0;
    instrumentModule(*module, options);
    validateModule(*module, "output");
    auto* rewind = module->getFunction(runtime::rewindCopyName("work"));
    EXPECT_TRUE(hasConst(module->getFunction("work"), 12345));
    // full polls at the entry, before the first store: that is the first resume point there.
    EXPECT_EQ(hasConst(rewind, 12345), strategy == Strategy::Full);
    EXPECT_TRUE(hasConst(rewind, 54321));
  }
  auto module = parseWithLooper(work);
  auto options = leanOptions();
  options.optimizeLevel = 0;
  options.rewindCopies = RewindCopies::None;
  instrumentModule(*module, options);
  EXPECT_TRUE(hasConst(module->getFunction("work"), 12345));
}

// Both strategies pass the countdown to functions that only direct calls reach as an extra
// last parameter and get it back as an extra last result; an export or a table entry keeps its
// type, and so do the rewind copies, which work with the global.
TEST(Threading, CountdownIsThreadedThroughDirectCallsOnly) {
  for (auto strategy : {Strategy::Lean, Strategy::Full}) {
    SCOPED_TRACE(strategyName(strategy));
    auto module = parseWithLooper(R"(
      (type $unary (func (param i32) (result i32)))
      (table 1 funcref)
      (elem (i32.const 0) $indirect)
      (func $indirect (param $n i32) (result i32) (call $looper (local.get $n)))
      (func $work (param $n i32) (result i32)
        (i32.add (call $looper (local.get $n)) (call_indirect (type $unary) (local.get $n) (i32.const 0)))))");
    InstrumentOptions options;
    options.strategy = strategy;
    instrumentModule(*module, options);
    validateModule(*module, "instrumented output");
    auto threaded = [&](const char* name) {
      auto* func = module->getFunction(name);
      return func->getParams() == wasm::Type({wasm::Type::i32, wasm::Type::i32}) &&
             func->getResults() == wasm::Type({wasm::Type::i32, wasm::Type::i32});
    };
    EXPECT_TRUE(threaded("looper"));
    EXPECT_TRUE(threaded("work"));
    EXPECT_FALSE(threaded("indirect"));
    EXPECT_EQ(module->getFunction("_start")->getParams(), wasm::Type::none);
    EXPECT_EQ(module->getFunction("_start")->getResults(), wasm::Type::none);
    auto* rewind = module->getFunction(runtime::rewindCopyName("work"));
    EXPECT_EQ(rewind->getParams(), wasm::Type::i32);
    EXPECT_EQ(rewind->getResults(), wasm::Type::i32);
  }
}

namespace {
// How often `func` reads and writes the countdown global.
std::pair<int, int> countdownAccesses(wasm::Function* func) {
  struct Counter : wasm::PostWalker<Counter> {
    int gets = 0, sets = 0;
    void visitGlobalGet(wasm::GlobalGet* curr) { gets += curr->name == runtime::countdownGlobal(); }
    void visitGlobalSet(wasm::GlobalSet* curr) { sets += curr->name == runtime::countdownGlobal(); }
  } counter;
  counter.walk(func->body);
  return {counter.gets, counter.sets};
}
} // namespace

// $work, loop-free and in the table, so not threaded, makes three threaded calls: it keeps the
// countdown in a local, loaded once at entry and stored once on return, instead of reading the
// global for each call and storing each result. $mostlyIndirect's calls through the table, which
// need the global up to date before and after, outnumber its threaded call: it works on the
// global, read for that call and stored after it.
TEST(Threading, LoopFreeCallersKeepALocalCountdownWhereThatSavesAccesses) {
  for (unsigned level : {0u, 2u}) {
    SCOPED_TRACE("-O" + std::to_string(level));
    auto module = parseWithLooper(R"(
      (type $unary (func (param i32) (result i32)))
      (table 2 funcref)
      (elem (i32.const 0) $work $indirect)
      (func $indirect (param $n i32) (result i32) (call $looper (local.get $n)))
      (func $work (param $n i32) (result i32)
        (i32.add (call $looper (local.get $n))
          (i32.add (call $looper (i32.const 7)) (call $looper (i32.const 9)))))
      (func $mostlyIndirect (export "mostlyIndirect") (param $n i32) (result i32)
        (drop (call $looper (local.get $n)))
        (drop (call_indirect (type $unary) (i32.const 5) (i32.const 1)))
        (drop (call_indirect (type $unary) (i32.const 6) (i32.const 1)))
        (call_indirect (type $unary) (i32.const 7) (i32.const 1))))");
    auto options = leanOptions();
    options.optimizeLevel = level;
    instrumentModule(*module, options);
    validateModule(*module, "lean output");
    ASSERT_EQ(module->getFunction("looper")->getParams(), wasm::Type({wasm::Type::i32, wasm::Type::i32}));
    ASSERT_EQ(module->getFunction("work")->getParams(), wasm::Type::i32);
    EXPECT_EQ(countdownAccesses(module->getFunction("work")), std::make_pair(1, 1));
    EXPECT_EQ(countdownAccesses(module->getFunction("mostlyIndirect")), std::make_pair(1, 1));
  }
}

namespace {
// $a and $b are dead at the second and third calls (one shared zeroing block), and $a, $b and
// $c at the fourth. ($spin takes no operand, which flattening would put in a temporary local live
// at one call only.)
const char* const kSharedZeroing = R"(
    (global $rounds (mut i32) (i32.const 3))
    (func $spin (result i32) (call $looper (global.get $rounds)))
    (func $work (param $n i32) (result i32) (local $a i32) (local $b i32) (local $c i32)
      (local.set $a (i32.load offset=12 (local.get $n)))
      (local.set $b (i32.load offset=20 (local.get $n)))
      (local.set $c (i32.load offset=28 (local.get $n)))
      (drop (call $spin))
      (local.set $n (i32.add (local.get $a) (local.get $b)))
      (drop (call $spin))
      (drop (call $spin))
      (local.set $n (i32.add (local.get $n) (local.get $c)))
      (drop (call $spin))
      (local.get $n)))";

std::string nameOf(wasm::Block* block) { return block->name.str ? block->name.str : ""; }
} // namespace

// kSharedZeroing: the fourth site zeroes $c and then branches to the shared block, so $a is
// zeroed once in the code, not twice. The shape of the nest keeps Binaryen's passes from walking
// the body once per level of it (quadratic on a huge function, with hundreds of levels).
TEST(RewindCopies, SitesShareTheZeroingOfCommonDeadLocals) {
  auto module = parseWithLooper(kSharedZeroing);
  auto options = leanOptions();
  options.optimizeLevel = 0;
  instrumentModule(*module, options);
  validateModule(*module, "lean output");
  auto* fast = module->getFunction("work");
  EXPECT_EQ(zeroings(fast, loadedLocal(fast, 12)), 1);
  EXPECT_EQ(zeroings(fast, loadedLocal(fast, 20)), 1);
  EXPECT_EQ(zeroings(fast, loadedLocal(fast, 28)), 1);
  // Each shared zeroing block (and $zeroed around them) holds the next one inward directly: a
  // named block whose first item is a nameless block would become, once dead code is gone, a
  // named block with one child, which Binaryen's vacuum and merge-blocks search for branches to
  // it. Each shared block starts at a statement that branches to it: merge-blocks would move the
  // statements before that out, one level at a time. The unwind block is gone: the sites that
  // zero nothing branch to $zeroed.
  int zeroingBlocks = 0;
  for (auto* block : wasm::FindAll<wasm::Block>(fast->body).list) {
    EXPECT_NE(nameOf(block), "wasm_ckpt$unwind");
    if (nameOf(block).rfind("wasm_ckpt$zero", 0) != 0) continue;
    zeroingBlocks++;
    ASSERT_FALSE(block->list.empty()) << block->name;
    auto* first = block->list[0]->dynCast<wasm::Block>();
    EXPECT_FALSE(first && !first->name.is()) << block->name << " holds a nameless block first";
    if (nameOf(block) == "wasm_ckpt$zeroed") continue;
    EXPECT_TRUE(wasm::BranchUtils::BranchSeeker::has(block->list[0], block->name))
      << block->name << " starts with a statement that does not branch to it";
  }
  EXPECT_EQ(zeroingBlocks, 2); // $zero0 and $zeroed
  // The loads before the first call precede the whole nest.
  auto* body = fast->body->dynCast<wasm::Block>();
  ASSERT_TRUE(body);
  auto loaded = loadedLocal(fast, 12);
  bool beforeNest = false;
  for (auto* item : body->list) {
    auto* block = item->dynCast<wasm::Block>();
    if (block && nameOf(block) == "wasm_ckpt$zeroed") break;
    for (auto* set : wasm::FindAll<wasm::LocalSet>(item).list) beforeNest |= set->index == loaded;
  }
  EXPECT_TRUE(beforeNest) << "the first load is inside the zeroing nest";
}
