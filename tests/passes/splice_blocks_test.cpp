// SpliceBlocks (src/passes/SpliceBlocks.cpp): nameless child blocks, nested ones included, are
// spliced into their parent; named blocks, blocks with dead code and blocks holding nothing are
// kept; the result equals the expected function and validates.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "ir/utils.h"
#include "pass.h"
#include "wasm.h"

#include "common/test_modules.h"
#include "passes/passes.h"
#include "wasm_ckpt/module_io.h"

using namespace wasm_ckpt;

namespace {
std::string printed(wasm::Expression* expression) {
  std::ostringstream out;
  out << *expression;
  return out.str();
}
} // namespace

TEST(SpliceBlocks, SplicesNamelessBlocksAndKeepsNamedAndDeadCodeOnes) {
  auto module = test::parseText(R"((module
 (global $g (mut i32) (i32.const 0))
 (func $f (param $x i32) (result i32)
  (global.set $g (i32.const 1))
  (block
   (global.set $g (i32.const 2))
   (block (global.set $g (i32.const 3)) (block (global.set $g (i32.const 4)))))
  (block $named (br_if $named (local.get $x)) (global.set $g (i32.const 5)))
  (block)
  (if (local.get $x) (then (block (return (i32.const 6)) (global.set $g (i32.const 7)))))
  (block (result i32) (global.set $g (i32.const 8)) (i32.const 9)))
))");
  auto expected = test::parseText(R"((module
 (global $g (mut i32) (i32.const 0))
 (func $f (param $x i32) (result i32)
  (global.set $g (i32.const 1))
  (global.set $g (i32.const 2))
  (global.set $g (i32.const 3))
  (global.set $g (i32.const 4))
  (block $named (br_if $named (local.get $x)) (global.set $g (i32.const 5)))
  (block)
  (if (local.get $x) (then (block (return (i32.const 6)) (global.set $g (i32.const 7)))))
  (global.set $g (i32.const 8))
  (i32.const 9))
))");
  // The text parser names every block: drop the names nothing branches to, in both.
  for (auto* m : {module.get(), expected.get()}) {
    wasm::PassRunner runner(m);
    runner.add("remove-unused-names");
    runner.run();
  }
  wasm::PassRunner runner(module.get());
  runner.add(createSpliceBlocksPass());
  runner.run();
  validateModule(*module, "the spliced module");
  auto* body = module->getFunction("f")->body;
  EXPECT_TRUE(wasm::ExpressionAnalyzer::equal(body, expected->getFunction("f")->body)) << printed(body);
  ASSERT_TRUE(body->is<wasm::Block>());
  EXPECT_EQ(body->cast<wasm::Block>()->list.size(), 9u);
}
