// SplitTupleLocals (src/passes/SplitTupleLocals.cpp): a tuple local that is only set (or teed into
// a tuple.extract) and read by tuple.extract is written as a local per value, with no scratch
// local; a tuple local read whole is left as it is. The written modules validate, and read back
// compute the same.
#include <gtest/gtest.h>

#include <string>

#include "pass.h"
#include "shell-interface.h"
#include "wasm-interpreter.h"
#include "wasm.h"

#include "common/test_modules.h"
#include "passes/stack_ir_written.h"
#include "passes/passes.h"
#include "wasm_ckpt/module_io.h"

using namespace wasm_ckpt;

namespace {
std::vector<char> written(const std::string& text, bool split) {
  return test::writtenThroughStackIR(text, split ? createSplitTupleLocalsPass : nullptr);
}

int32_t run(const std::vector<char>& bytes, int32_t argument) {
  auto module = readModuleFromBytes(bytes, "split.wasm");
  validateModule(*module, "split.wasm");
  wasm::ShellExternalInterface interface;
  wasm::ModuleRunner instance(*module, &interface);
  return instance.callExport("main", {wasm::Literal(argument)})[0].geti32();
}

// Counts `local.set X; drop; local.get X` in the bytes (the writer's scratch-local extraction).
int scratchExtractions(const std::vector<char>& bytes) {
  int found = 0;
  for (size_t i = 0; i + 4 < bytes.size(); i++) {
    if (uint8_t(bytes[i]) == 0x21 && uint8_t(bytes[i + 2]) == 0x1a && uint8_t(bytes[i + 3]) == 0x20 && bytes[i + 1] == bytes[i + 4]) found++;
  }
  return found;
}

const char* const kPair = R"(
 (func $pair (param $x i32) (result i32 i32) (tuple.make (i32.mul (local.get $x) (i32.const 3)) (i32.add (local.get $x) (i32.const 1))))
)";
} // namespace

TEST(SplitTupleLocals, SplitsTuplesReadOnlyByExtract) {
  std::string text = std::string("(module") + kPair + R"(
 (func $main (export "main") (param $x i32) (result i32)
  (local $t (i32 i32)) (local $u (i32 i32)) (local $a i32)
  (local.set $a (tuple.extract 1 (local.tee $t (call $pair (local.get $x)))))
  (local.set $u (call $pair (local.get $a)))
  (i32.add (i32.add (tuple.extract 0 (local.get $t)) (tuple.extract 1 (local.get $u)))
           (i32.add (local.get $a) (tuple.extract 0 (local.get $u))))))
)";
  auto before = written(text, false), after = written(text, true);
  EXPECT_GT(scratchExtractions(before), 0);
  EXPECT_EQ(scratchExtractions(after), 0);
  EXPECT_LT(after.size(), before.size());
  for (int32_t x : {0, 5, -7}) EXPECT_EQ(run(after, x), run(before, x)) << "x = " << x;
}

TEST(SplitTupleLocals, LeavesATupleReadWhole) {
  std::string text = std::string("(module") + kPair + R"(
 (func $inner (param $x i32) (result i32 i32)
  (local $t (i32 i32))
  (local.set $t (call $pair (local.get $x)))
  (if (i32.eqz (tuple.extract 1 (local.get $t))) (then (unreachable)))
  (local.get $t))
 (func $main (export "main") (param $x i32) (result i32)
  (local $r (i32 i32))
  (local.set $r (call $inner (local.get $x)))
  (i32.sub (tuple.extract 0 (local.get $r)) (tuple.extract 1 (local.get $r)))))
)";
  // $inner's $t is also read whole (its result): only $main's $r is split.
  auto before = written(text, false), after = written(text, true);
  EXPECT_EQ(scratchExtractions(before), 2);
  EXPECT_EQ(scratchExtractions(after), 1);
  EXPECT_EQ(run(after, 4), 4 * 3 - 5);
  EXPECT_EQ(run(before, 4), run(after, 4));
}
