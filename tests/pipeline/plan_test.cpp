// Function selection and the instrumentation plan (src/pipeline/plan.cpp).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <set>
#include <string>
#include <vector>

#include "ir/find_all.h"
#include "wasm.h"

#include "common/test_modules.h"
#include "runtime/runtime_names.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/instrument.h"
#include "wasm_ckpt/plan.h"

using namespace wasm_ckpt;
using test::leanOptions;
using test::parseCallGraphProgram;
using test::parseText;

namespace {
const FunctionPlan& find(const InstrumentationPlan& plan, const std::string& name) {
  for (auto& f : plan.functions) {
    if (f.name == name) return f;
  }
  throw std::runtime_error("no function " + name);
}
} // namespace

TEST(Plan, FullInstrumentsEveryFunctionWithEntryPolls) {
  auto module = parseCallGraphProgram();
  auto plan = planInstrumentation(*module, InstrumentOptions{});
  for (auto& f : plan.functions) {
    EXPECT_TRUE(f.instrumented) << f.name;
    EXPECT_TRUE(f.entryPoll) << f.name;
  }
  EXPECT_EQ(find(plan, "looper").loopPolls, 1u);
}

TEST(Plan, LeanPollsOnlyLoopsAndRecursionAndInstrumentsTheirCallers) {
  auto module = parseCallGraphProgram();
  auto plan = planInstrumentation(*module, leanOptions());
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
  auto module = parseText(text);
  auto plan = planInstrumentation(*module, leanOptions());
  std::set<std::string> polled;
  for (auto& f : plan.functions) {
    if (f.entryPoll) polled.insert(f.name);
  }
  EXPECT_EQ(polled, (std::set<std::string>{"big", "small3", "self"}));
  EXPECT_NE(find(plan, "small1").reason.find("poll at another function's entry"), std::string::npos);
  auto options = leanOptions();
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
  auto module = parseText(text);
  auto options = leanOptions();
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
  auto instrumented = parseText(text);
  instrumentModule(*instrumented, options);
  unsigned polls = 0;
  for (auto* call : wasm::FindAll<wasm::Call>(instrumented->getFunction("rows")->body).list) polls += call->target == runtime::pollSlow();
  EXPECT_EQ(polls, 1u);
}

TEST(Plan, SelectionByNameExportIndexAndGlob) {
  auto module = parseCallGraphProgram();
  auto options = leanOptions();
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
  auto module = parseCallGraphProgram();
  auto options = leanOptions();
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
  try {
    planInstrumentation(*module, options);
    FAIL() << "expected an error for an --exclude pattern that matches nothing";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'nothing_like_this' matches no function"), std::string::npos) << e.what();
  }
}

TEST(Plan, ClosestMatchesAreDistinctAndPrintable) {
  // $f is also exported as "f" (one name, shown once); "bel\x07" is an export name with a
  // control character.
  auto module = parseText(R"((module (memory 1)
    (func $f) (func $g)
    (export "f" (func $f)) (export "bel\07" (func $g))
    (func $_start (call $f) (call $g)) (export "_start" (func $_start))))");
  auto options = leanOptions();
  options.functions = {"b\x01"};
  try {
    planInstrumentation(*module, options);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("--functions 'b\\01' matches no function; closest: "), std::string::npos) << message;
    EXPECT_NE(message.find("bel\\07"), std::string::npos) << message;
    EXPECT_EQ(message.find("f, f"), std::string::npos) << message;
    for (char c : message) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << message;
  }
}

TEST(Plan, HugeFunctionsAreTheInstrumentedOnesFromTheSizeUp) {
  auto module = parseCallGraphProgram();
  auto options = leanOptions();
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
  auto module = parseCallGraphProgram();
  auto plan = planInstrumentation(*module, leanOptions());
  auto text = describePlan(plan, false);
  EXPECT_NE(text.find("strategy lean"), std::string::npos);
  EXPECT_NE(text.find("looper"), std::string::npos);
  auto json = describePlan(plan, true);
  EXPECT_EQ(json.front(), '{');
  EXPECT_NE(json.find("\"instrumented\": false"), std::string::npos);
}


// A rewind copy where guards would run often: in a loop that holds a resume point besides its
// own poll (a call, a polled loop), or in a body small for its resume points. Elsewhere the
// guards run once per call next to much more work: one guarded copy.
TEST(Plan, RewindCopiesWhereGuardsWouldRunOften) {
  auto module = parseText(test::copiesProgram());
  auto options = leanOptions();
  options.rewindCopies = RewindCopies::Auto;
  auto plan = planInstrumentation(*module, options);
  auto& work = find(plan, "work");
  EXPECT_EQ(work.guardedLoops, 0u); // its loop's only resume point is its own poll
  EXPECT_EQ(work.copies, Copies::FastAndRewind);
  EXPECT_NE(work.copiesReason.find("expressions for 1 resume point, whose guards would weigh on every call"), std::string::npos)
    << work.copiesReason;
  for (auto* name : {"inLoop", "nested"}) {
    auto& f = find(plan, name);
    EXPECT_EQ(f.guardedLoops, 1u) << name;
    EXPECT_EQ(f.copies, Copies::FastAndRewind) << name;
    EXPECT_EQ(f.copiesReason, "rewind copy: 1 loop holds resume points, whose guards would run in every iteration") << name;
  }
  auto& small = find(plan, "small");
  EXPECT_EQ(small.guardedLoops, 0u);
  EXPECT_EQ(small.copies, Copies::FastAndRewind);
  EXPECT_NE(small.copiesReason.find("expressions for 1 resume point, whose guards would weigh on every call"), std::string::npos);
  auto& large = find(plan, "large");
  EXPECT_GE(large.expressions, 32u);
  EXPECT_EQ(large.copies, Copies::Guarded);
  EXPECT_EQ(large.copiesReason, fmt::format("guarded: no loop holds a resume point, and {} expressions for 1 resume point", large.expressions));
  auto& start = find(plan, "_start");
  EXPECT_EQ(start.copies, Copies::FastAndRewind); // 4 calls in 8 expressions

  auto text = describePlan(plan, false);
  EXPECT_NE(text.find("(5 with a rewind copy)"), std::string::npos) << text;
  EXPECT_NE(text.find("guarded      large"), std::string::npos) << text;
  auto json = describePlan(plan, true);
  EXPECT_NE(json.find("\"rewind_copies\": 5"), std::string::npos);
  EXPECT_NE(json.find("\"copies\": \"guarded\""), std::string::npos);
  EXPECT_NE(json.find("\"copies_reason\": \"guarded: no loop holds"), std::string::npos);
}

TEST(Plan, RewindCopiesForAllOrNone) {
  auto module = parseText(test::copiesProgram());
  for (auto option : {RewindCopies::All, RewindCopies::None}) {
    auto options = leanOptions();
    options.rewindCopies = option;
    for (auto& f : planInstrumentation(*module, options).functions) {
      EXPECT_EQ(f.copies, option == RewindCopies::All ? Copies::FastAndRewind : Copies::Guarded) << f.name;
      EXPECT_EQ(f.copiesReason, f.instrumented ? std::string("--rewind-copies=") + rewindCopiesName(option) : "") << f.name;
    }
  }
}
