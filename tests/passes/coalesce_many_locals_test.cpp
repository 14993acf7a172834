// CoalesceManyLocals (src/passes/CoalesceManyLocals.cpp): a function with more locals than
// kManyLocals gets them merged, and computes what it computed before (Binaryen's interpreter, a
// few inputs); a function with fewer is left exactly as it was. The big function keeps three
// accumulators live across a chain of temporaries, copies one temporary into another (equal
// values, which may share a local), and branches on its parameter, so that a wrong merge of two
// live locals changes the result.
#include <gtest/gtest.h>

#include <string>

#include "ir/utils.h"
#include "pass.h"
#include "shell-interface.h"
#include "wasm-interpreter.h"
#include "wasm.h"

#include "common/golden.h"
#include "common/test_modules.h"
#include "passes/passes.h"
#include "wasm_ckpt/module_io.h"

using namespace wasm_ckpt;

namespace {
// $name(x) over `temps` temporaries $t0.. (and $a0..$a2, $c).
std::string chainFunction(const std::string& name, unsigned temps) {
  std::string text = "(func $" + name + " (export \"" + name + "\") (param $x i32) (result i32)";
  text += " (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $c i32)";
  for (unsigned i = 0; i < temps; i++) text += " (local $t" + std::to_string(i) + " i32)";
  text += "\n (local.set $a1 (i32.const 7)) (local.set $a2 (local.get $x))\n";
  for (unsigned i = 0; i < temps; i++) {
    auto t = "$t" + std::to_string(i), k = std::to_string(i % 13 + 1), a = "$a" + std::to_string(i % 3);
    text += " (local.set " + t + " (i32.add (i32.mul (local.get " + a + ") (i32.const " + k + ")) (local.get $x)))";
    if (i % 5 == 0) text += " (local.set $c (local.get " + t + "))";
    if (i % 7 == 0)
      text += " (if (i32.and (local.get $x) (i32.const " + k + ")) (then (local.set " + a + " (i32.xor (local.get " + a +
              ") (local.get " + t + ")))) (else (local.set " + a + " (i32.sub (local.get " + a + ") (local.get $c)))))";
    else
      text += " (local.set " + a + " (i32.add (local.get " + a + ") (i32.rotl (local.get " + t + ") (i32.const " + k + "))))";
    text += "\n";
  }
  text += " (i32.add (i32.xor (local.get $a0) (local.get $a1)) (i32.mul (local.get $a2) (local.get $c))))\n";
  return text;
}

TEST(CoalesceManyLocals, MergesTheLocalsOfAFunctionWithVeryManyAndKeepsItsResults) {
  const unsigned many = kManyLocals + 100, few = 200;
  auto text = "(module " + chainFunction("many", many) + chainFunction("few", few) + ")";
  auto original = test::parseText(text);
  auto merged = test::parseText(text);
  {
    wasm::PassRunner runner(merged.get());
    runner.add(createCoalesceManyLocalsPass());
    runner.run();
  }
  validateModule(*merged, "the merged module");

  auto* many_ = merged->getFunction("many");
  EXPECT_LT(many_->getNumLocals(), 20u) << "from " << original->getFunction("many")->getNumLocals();
  auto* few_ = merged->getFunction("few");
  EXPECT_EQ(few_->getNumLocals(), original->getFunction("few")->getNumLocals());
  EXPECT_TRUE(wasm::ExpressionAnalyzer::equal(few_->body, original->getFunction("few")->body));

  wasm::ShellExternalInterface originalHost, mergedHost;
  wasm::ModuleRunner originalRunner(*original, &originalHost);
  wasm::ModuleRunner mergedRunner(*merged, &mergedHost);
  for (int32_t x : {0, 1, 6, 255, -12345, 0x7fffffff}) {
    wasm::Literals args{wasm::Literal(x)};
    EXPECT_EQ(mergedRunner.callExport("many", args)[0].geti32(), originalRunner.callExport("many", args)[0].geti32())
      << "x = " << x;
  }
}

// The pass alone from 8 locals on, on tests/passes/golden/coalesce_many_locals.input.wat: $many's
// locals merged as the comments there say, $few's left alone. The module is compared with
// golden/coalesce_many_locals.wat.
TEST(CoalesceManyLocals, GoldenOutput) {
  auto module = test::parseText(test::goldenText("coalesce_many_locals.input.wat"));
  wasm::PassRunner runner(module.get());
  runner.add(createCoalesceManyLocalsPass(8));
  runner.run();
  validateModule(*module, "coalesce_many_locals golden");
  auto actual = test::printed(*module);
  EXPECT_EQ(actual, test::golden("coalesce_many_locals.wat", actual));
}
} // namespace
