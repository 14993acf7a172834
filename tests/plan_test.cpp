// Function selection and the instrumentation plan (src/plan.cpp), and what the lean strategy
// does to hot loops (src/passes/UnwindRewind.cpp).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "ir/find_all.h"
#include "wasm-traversal.h"
#include "wasm.h"

#include "runtime/runtime_names.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/instrument.h"
#include "wasm_ckpt/module_io.h"
#include "wasm_ckpt/plan.h"

using namespace wasm_ckpt;

namespace {
// leaf: no loop, no call. looper: a call-free loop. caller: calls looper. even/odd: mutual
// recursion, odd through a table. untouched: calls only leaf.
const char* kProgram = R"((module
  (type $pred (func (param i32) (result i32)))
  (memory 1)
  (table 1 1 funcref)
  (elem (i32.const 0) $odd)
  (func $leaf (param $x i32) (result i32) (i32.mul (local.get $x) (i32.const 3)))
  (func $looper (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $i) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  (func $caller (param $n i32) (result i32) (i32.add (call $looper (local.get $n)) (call $leaf (local.get $n))))
  (func $even (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 1))
      (else (call_indirect (type $pred) (i32.sub (local.get $n) (i32.const 1)) (i32.const 0)))))
  (func $odd (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0)) (else (call $even (i32.sub (local.get $n) (i32.const 1))))))
  (func $untouched (result i32) (call $leaf (i32.const 7)))
  (func $_start (drop (call $caller (i32.const 10))) (drop (call $even (i32.const 9))) (drop (call $untouched)))
  (export "memory" (memory 0))
  (export "_start" (func $_start)))
)";

std::unique_ptr<wasm::Module> parse() {
  std::string text = kProgram;
  return readModuleFromBytes(std::vector<char>(text.begin(), text.end()), "test.wat");
}

const FunctionPlan& find(const InstrumentationPlan& plan, const std::string& name) {
  for (auto& f : plan.functions) {
    if (f.name == name) return f;
  }
  throw std::runtime_error("no function " + name);
}

InstrumentOptions lean() {
  InstrumentOptions options;
  options.strategy = Strategy::Lean;
  return options;
}
} // namespace

TEST(Plan, FullInstrumentsEveryFunctionWithEntryPolls) {
  auto module = parse();
  auto plan = planInstrumentation(*module, InstrumentOptions{});
  for (auto& f : plan.functions) {
    EXPECT_TRUE(f.instrumented) << f.name;
    EXPECT_TRUE(f.entryPoll) << f.name;
  }
  EXPECT_EQ(find(plan, "looper").loopPolls, 1u);
}

TEST(Plan, LeanPollsOnlyLoopsAndRecursionAndInstrumentsTheirCallers) {
  auto module = parse();
  auto plan = planInstrumentation(*module, lean());
  EXPECT_FALSE(find(plan, "leaf").instrumented);
  EXPECT_FALSE(find(plan, "untouched").instrumented);
  EXPECT_TRUE(find(plan, "looper").instrumented);
  EXPECT_FALSE(find(plan, "looper").entryPoll);
  EXPECT_TRUE(find(plan, "caller").instrumented);
  EXPECT_EQ(find(plan, "caller").loopPolls + find(plan, "caller").entryPoll, 0u);
  EXPECT_EQ(find(plan, "caller").unwindingCalls, 1u); // looper, not leaf
  // Mutual recursion through a table is recursion.
  EXPECT_TRUE(find(plan, "even").recursive);
  EXPECT_TRUE(find(plan, "odd").recursive);
  EXPECT_TRUE(find(plan, "even").entryPoll);  // the larger: one entry poll per cycle is enough
  EXPECT_FALSE(find(plan, "odd").entryPoll);
  EXPECT_TRUE(find(plan, "odd").instrumented); // it calls even
  EXPECT_EQ(find(plan, "even").unwindingCalls, 1u); // the call_indirect
  EXPECT_TRUE(find(plan, "_start").instrumented);
  EXPECT_FALSE(find(plan, "leaf").reason.empty());
}

// lean polls at the entry of one function per call cycle, the largest first: $big breaks the
// cycles big -> small1 -> big and big -> small2 -> small3 -> big, but small2 <-> small3 is a
// cycle of its own, and $self calls itself. With $big excluded, the cycles through it poll at
// the next largest function on them.
TEST(Plan, LeanPollsAtTheEntryOfOneFunctionPerCallCycle) {
  std::string text = R"((module
    (memory 1)
    (func $big (param $n i32) (result i32)
      (i32.add (i32.mul (local.get $n) (i32.const 3))
               (i32.add (call $small1 (i32.sub (local.get $n) (i32.const 1))) (call $small2 (local.get $n)))))
    (func $small1 (param $n i32) (result i32) (call $big (local.get $n)))
    (func $small2 (param $n i32) (result i32) (call $small3 (i32.add (local.get $n) (i32.const 1))))
    (func $small3 (param $n i32) (result i32)
      (if (result i32) (local.get $n) (then (call $small2 (local.get $n))) (else (call $big (local.get $n)))))
    (func $self (param $n i32) (result i32) (call $self (local.get $n)))
    (func $_start (drop (call $big (i32.const 5))) (drop (call $self (i32.const 1))))
    (export "memory" (memory 0))
    (export "_start" (func $_start))))";
  auto module = readModuleFromBytes(std::vector<char>(text.begin(), text.end()), "test.wat");
  auto plan = planInstrumentation(*module, lean());
  std::set<std::string> polled;
  for (auto& f : plan.functions) {
    if (f.entryPoll) polled.insert(f.name);
  }
  EXPECT_EQ(polled, (std::set<std::string>{"big", "small3", "self"}));
  EXPECT_NE(find(plan, "small1").reason.find("poll at another function's entry"), std::string::npos);
  auto options = lean();
  options.exclude = {"big"};
  plan = planInstrumentation(*module, options);
  polled.clear();
  for (auto& f : plan.functions) {
    if (f.entryPoll) polled.insert(f.name);
  }
  EXPECT_EQ(polled, (std::set<std::string>{"small1", "small3", "self"}));
}

// A short loop counts what its calls do without a poll: 50 rows, each a call to a 100-iteration
// fill loop, are about 60,000 expressions, not 50 times the row loop's own few.
TEST(Plan, ShortLoopsCountTheWorkOfTheirCalls) {
  std::string text = R"((module
    (type $fillType (func (param i32)))
    (memory 1)
    (table 1 1 funcref)
    (elem (i32.const 0) $fill)
    (func $fill (param $p i32) (local $i i32)
      (loop $l
        (i32.store8 (i32.add (local.get $p) (local.get $i)) (i32.const 0))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 100)))))
    (func $rows (local $r i32)
      (loop $row
        (call $fill (i32.mul (local.get $r) (i32.const 100)))
        (br_if $row (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const 50)))))
    (func $indirectRows (local $r i32)
      (loop $row
        (call_indirect (type $fillType) (i32.mul (local.get $r) (i32.const 100)) (i32.const 0))
        (br_if $row (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const 50)))))
    (func $_start (call $rows) (call $indirectRows))
    (export "memory" (memory 0))
    (export "_start" (func $_start))))";
  auto module = readModuleFromBytes(std::vector<char>(text.begin(), text.end()), "test.wat");
  auto options = lean();
  options.pollFreeWork = 100000;
  auto plan = planInstrumentation(*module, options);
  for (auto name : {"fill", "rows", "indirectRows"}) {
    EXPECT_EQ(find(plan, name).loopPolls, 0u) << name;
    EXPECT_EQ(find(plan, name).pollFreeLoops, 1u) << name;
  }
  options.pollFreeWork = 10000;
  plan = planInstrumentation(*module, options);
  EXPECT_EQ(find(plan, "fill").loopPolls, 0u);
  EXPECT_EQ(find(plan, "rows").loopPolls, 1u);
  EXPECT_EQ(find(plan, "indirectRows").loopPolls, 1u);
  // What the plan counts is what gets placed.
  auto instrumented = readModuleFromBytes(std::vector<char>(text.begin(), text.end()), "test.wat");
  instrumentModule(*instrumented, options);
  unsigned polls = 0;
  for (auto* call : wasm::FindAll<wasm::Call>(instrumented->getFunction("rows")->body).list) polls += call->target == runtime::pollSlow();
  EXPECT_EQ(polls, 1u);
}

TEST(Plan, SelectionByNameExportIndexAndGlob) {
  auto module = parse();
  auto options = lean();
  options.functions = {"loop*"};
  auto plan = planInstrumentation(*module, options);
  EXPECT_TRUE(find(plan, "looper").selected);
  EXPECT_FALSE(find(plan, "even").selected);
  EXPECT_FALSE(find(plan, "even").instrumented); // recursive but not selected: no poll point
  EXPECT_TRUE(find(plan, "caller").instrumented);  // on the path to a selected function

  options.functions = {"_start"}; // an export name
  EXPECT_TRUE(find(planInstrumentation(*module, options), "_start").selected);
  options.functions = {std::to_string(find(plan, "odd").index)};
  EXPECT_TRUE(find(planInstrumentation(*module, options), "odd").selected);

  options.functions = {};
  options.exclude = {"looper"};
  plan = planInstrumentation(*module, options);
  EXPECT_FALSE(find(plan, "looper").selected);
  EXPECT_FALSE(find(plan, "caller").instrumented);
}

TEST(Plan, UnknownFunctionNamesTheClosestMatches) {
  auto module = parse();
  auto options = lean();
  options.functions = {"loopr"};
  try {
    planInstrumentation(*module, options);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("'loopr' matches no function"), std::string::npos) << message;
    EXPECT_NE(message.find("looper"), std::string::npos) << message;
  }
  options.functions = {};
  options.exclude = {"nothing_like_this"};
  EXPECT_THROW(planInstrumentation(*module, options), Error);
}

TEST(Plan, HugeFunctionsAreTheInstrumentedOnesFromTheSizeUp) {
  auto module = parse();
  auto options = lean();
  for (auto& f : planInstrumentation(*module, options).functions) EXPECT_FALSE(f.huge) << f.name;
  options.hugeFunctionSize = find(planInstrumentation(*module, options), "caller").expressions;
  auto plan = planInstrumentation(*module, options);
  for (auto& f : plan.functions) {
    EXPECT_EQ(f.huge, f.instrumented && f.expressions >= options.hugeFunctionSize) << f.name;
    EXPECT_EQ(f.reason.find("huge (") != std::string::npos, f.huge) << f.name;
  }
  EXPECT_TRUE(find(plan, "caller").huge);
  EXPECT_FALSE(find(plan, "leaf").huge);
  EXPECT_NE(describePlan(plan, true).find("\"huge\": true"), std::string::npos);
}

TEST(Plan, DescribeAsTextAndJson) {
  auto module = parse();
  auto plan = planInstrumentation(*module, lean());
  auto text = describePlan(plan, false);
  EXPECT_NE(text.find("strategy lean"), std::string::npos);
  EXPECT_NE(text.find("looper"), std::string::npos);
  auto json = describePlan(plan, true);
  EXPECT_EQ(json.front(), '{');
  EXPECT_NE(json.find("\"instrumented\": false"), std::string::npos);
}

// The hot loop keeps no call inside: its poll leaves the loop through a cold exit.
TEST(Lean, HotLoopHasNoCallInside) {
  auto module = parse();
  instrumentModule(*module, lean());
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
  auto normal = parse();
  instrumentModule(*normal, lean());
  EXPECT_EQ(normal->getFunction("looper")->getNumParams(), 2u) << "the countdown is no longer threaded here";

  auto module = parse();
  auto options = lean();
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

size_t countExpressions(wasm::Expression* root) {
  struct Counter : wasm::PostWalker<Counter, wasm::UnifiedExpressionVisitor<Counter>> {
    size_t count = 0;
    void visitExpression(wasm::Expression*) { count++; }
  } counter;
  counter.walk(root);
  return counter.count;
}

TEST(Lean, UninstrumentedFunctionsAreLeftAlone) {
  auto module = parse();
  auto before = countExpressions(module->getFunction("leaf")->body);
  instrumentModule(*module, lean());
  EXPECT_EQ(countExpressions(module->getFunction("leaf")->body), before);
}

TEST(Lean, Deterministic) {
  auto a = parse(), b = parse();
  instrumentModule(*a, lean());
  instrumentModule(*b, lean());
  EXPECT_EQ(writeModuleBinary(*a), writeModuleBinary(*b));
}

bool calls(wasm::Function* func, wasm::Name target) {
  for (auto* call : wasm::FindAll<wasm::Call>(func->body).list) {
    if (call->target == target) return true;
  }
  return false;
}

// The copy that runs normally has no rewind guards and reads no frame: a frame to rewind is
// handed to the rewind copy, which reads it.
TEST(RewindCopies, NormalCopyHandsRewindingOver) {
  auto module = parse();
  instrumentModule(*module, lean());
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
  auto module = parse();
  auto options = lean();
  options.separateRewindCopies = false;
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
  return readModuleFromBytes(std::vector<char>(text.begin(), text.end()), "test.wat");
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
  auto options = lean();
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
  auto options = lean();
  options.optimizeLevel = 0;
  options.separateRewindCopies = false;
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
    auto options = lean();
    options.optimizeLevel = level;
    instrumentModule(*module, options);
    validateModule(*module, "lean output");
    ASSERT_EQ(module->getFunction("looper")->getParams(), wasm::Type({wasm::Type::i32, wasm::Type::i32}));
    ASSERT_EQ(module->getFunction("work")->getParams(), wasm::Type::i32);
    EXPECT_EQ(countdownAccesses(module->getFunction("work")), std::make_pair(1, 1));
    EXPECT_EQ(countdownAccesses(module->getFunction("mostlyIndirect")), std::make_pair(1, 1));
  }
}

// $a and $b are dead at the second and third calls (one shared zeroing block), and $a, $b and
// $c at the fourth: that site zeroes $c and then branches to the shared block, so $a is zeroed
// once in the code, not twice. ($spin takes no operand, which flattening would put in a
// temporary local live at one call only.)
TEST(RewindCopies, SitesShareTheZeroingOfCommonDeadLocals) {
  auto module = parseWithLooper(R"(
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
      (local.get $n)))");
  auto options = lean();
  options.optimizeLevel = 0;
  instrumentModule(*module, options);
  validateModule(*module, "lean output");
  auto* fast = module->getFunction("work");
  EXPECT_EQ(zeroings(fast, loadedLocal(fast, 12)), 1);
  EXPECT_EQ(zeroings(fast, loadedLocal(fast, 20)), 1);
  EXPECT_EQ(zeroings(fast, loadedLocal(fast, 28)), 1);
}
