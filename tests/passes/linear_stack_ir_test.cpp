// LinearStackIR (src/passes/LinearStackIR.cpp): after generate-stack-ir, the module's binary is
// byte for byte the one Binaryen's optimize-stack-ir gives at -O2 (unreachable code, nameless
// blocks and named blocks that nothing branches to removed; blocks with branches to them kept,
// in a nest too), and differs from the unoptimized Stack IR's.
#include <gtest/gtest.h>

#include <string>

#include "pass.h"
#include "wasm.h"

#include "common/test_modules.h"
#include "passes/passes.h"
#include "wasm_ckpt/module_io.h"

using namespace wasm_ckpt;

namespace {
std::string nest(int levels) {
  std::string text = "(func $nest (param $x i32) (result i32)\n";
  for (int i = 0; i < levels; i++) text += "(block $l" + std::to_string(i) + "\n";
  text += "(br_if $l0 (local.get $x))";
  for (int i = levels - 1; i > 0; i--) {
    text += ")\n(local.set $x (i32.add (local.get $x) (i32.const " + std::to_string(i) + ")))\n";
    if (i % 3 == 0) text += "(br_if $l" + std::to_string(i - 1) + " (local.get $x))\n";
  }
  return text + ")\n(local.get $x))\n";
}

const std::string kModule = R"((module
 (global $g (mut i32) (i32.const 0))
 (func $f (param $x i32) (result i32)
  (block $out
   (block $unused
    (block $in
     (br_if $out (local.get $x))
     (br_if $in (i32.eqz (local.get $x))))
    (global.set $g (i32.add (block $value (result i32) (global.set $g (i32.const 4)) (local.get $x)) (i32.const 1))))
   (if (local.get $x) (then (return (i32.const 7)) (global.set $g (i32.const 8))))
   (return (i32.const 5))
   (global.set $g (i32.const 6)))
  (i32.const 3))
 )" + nest(40) + ")";

enum class StackIR { Unoptimized, Binaryen, Linear };

std::vector<char> written(bool removeUnusedNames, StackIR optimization) {
  auto module = test::parseText(kModule);
  wasm::PassOptions options;
  options.optimizeLevel = 2;
  wasm::PassRunner runner(module.get(), options);
  if (removeUnusedNames) runner.add("remove-unused-names");
  runner.add("generate-stack-ir");
  if (optimization == StackIR::Binaryen) runner.add("optimize-stack-ir");
  if (optimization == StackIR::Linear) runner.add(createLinearStackIRPass());
  runner.run();
  validateModule(*module, "the module");
  return writeModuleBinary(*module);
}
} // namespace

TEST(LinearStackIR, WritesWhatBinaryensPassWrites) {
  for (bool removeUnusedNames : {false, true}) {
    SCOPED_TRACE(removeUnusedNames ? "unused names removed" : "every block named");
    auto linear = written(removeUnusedNames, StackIR::Linear);
    EXPECT_EQ(linear, written(removeUnusedNames, StackIR::Binaryen));
    EXPECT_LT(linear.size(), written(removeUnusedNames, StackIR::Unoptimized).size());
  }
}
