// CarryResumeIds (src/passes/CarryResumeIds.cpp): unwind exits of the form `if (COND) { $rid = ID;
// br $landing }` become `br_if $landing ID COND` with the landing blocks typed i32 and $rid set once
// after them; an exit that zeroes locals on its own path keeps its `if` and passes the id on its
// branch. The written modules validate, are smaller, and compute the same on every path; a landing
// whose end is also reached by falling through, or that a br_table names, is left as it is.
#include <gtest/gtest.h>

#include <string>

#include "ir/find_all.h"
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
std::vector<char> written(const std::string& text, bool carry) {
  return test::writtenThroughStackIR(text, carry ? createCarryResumeIdsPass : nullptr);
}

std::unique_ptr<wasm::Module> readBack(const std::vector<char>& bytes) {
  auto module = readModuleFromBytes(bytes, "carry.wasm");
  validateModule(*module, "carry.wasm");
  return module;
}

int32_t run(const std::vector<char>& bytes, int32_t argument) {
  auto module = readBack(bytes);
  wasm::ShellExternalInterface interface;
  wasm::ModuleRunner instance(*module, &interface);
  return instance.callExport("main", {wasm::Literal(argument)})[0].geti32();
}

// Branches that carry a value, in the function `name` of the written module.
size_t valueBranches(const std::vector<char>& bytes, const char* name) {
  auto module = readBack(bytes);
  size_t found = 0;
  for (auto* br : wasm::FindAll<wasm::Break>(module->getFunction(name)->body).list) found += br->value != nullptr;
  return found;
}

// An epilogue as UnwindRewind lays it out: frame_reserve(ordinal, $rid, size), here recording the
// id in a global that main returns with the frame's locals.
const char* const kRuntime = R"(
 (global $seen (mut i32) (i32.const -1))
 (func $wasm_ckpt$frame_reserve (param $ordinal i32) (param $rid i32) (param $size i32)
  (global.set $seen (local.get $rid)))
)";

// Two nested landings: $zero0 (zeroes $a, then falls into $landing's end) and $landing. Exits 1
// and 3 go to $zero0, exit 2 zeroes $b on its own path and goes to $landing.
const char* const kExits = R"(
 (func $main (export "main") (param $x i32) (result i32)
  (local $rid i32) (local $a i32) (local $b i32)
  (block $landing
   (block $zero0
    (if (i32.eq (local.get $x) (i32.const 1)) (then (local.set $rid (i32.const 1)) (br $zero0)))
    (local.set $a (i32.add (local.get $x) (i32.const 10)))
    (if (i32.eq (local.get $x) (i32.const 2)) (then (local.set $rid (i32.const 2)) (local.set $b (i32.const 0)) (br $landing)))
    (local.set $b (i32.mul (local.get $a) (i32.const 3)))
    (if (i32.eq (local.get $x) (i32.const 3)) (then (local.set $rid (i32.const 3)) (br $zero0)))
    (return (i32.add (local.get $a) (local.get $b))))
   (local.set $a (i32.const 0)))
  (call $wasm_ckpt$frame_reserve (i32.const 7) (local.get $rid) (i32.const 8))
  (i32.add (i32.mul (global.get $seen) (i32.const 1000)) (i32.add (local.get $a) (local.get $b))))
)";
} // namespace

TEST(CarryResumeIds, PassesIdsAsBranchValues) {
  std::string text = std::string("(module") + kRuntime + kExits + ")";
  auto before = written(text, false), after = written(text, true);
  EXPECT_EQ(valueBranches(before, "main"), 0u);
  EXPECT_EQ(valueBranches(after, "main"), 3u); // two br_ifs, and the zeroing exit's br
  EXPECT_LT(after.size(), before.size());
  for (int32_t x : {0, 1, 2, 3, 4}) EXPECT_EQ(run(after, x), run(before, x)) << "x = " << x;
  EXPECT_EQ(run(after, 1), 1000);      // exit 1: $a zeroed by $zero0, $b never set
  EXPECT_EQ(run(after, 2), 2000 + 12); // exit 2: $b zeroed on its own path, $a kept
  EXPECT_EQ(run(after, 3), 3000 + 39); // exit 3: $a zeroed by $zero0
  EXPECT_EQ(run(after, 4), 14 + 42);   // no exit: main returns before the epilogue
}

TEST(CarryResumeIds, LeavesLandingsReachedOtherwise) {
  // $landing's end is also reached by falling through; $table's is named by a br_table.
  std::string text = std::string("(module") + kRuntime + R"(
 (func $main (export "main") (param $x i32) (result i32)
  (local $rid i32)
  (block $landing
   (if (i32.eq (local.get $x) (i32.const 1)) (then (local.set $rid (i32.const 1)) (br $landing)))
   (local.set $rid (i32.const 5)))
  (block $table
   (block $other
    (if (i32.eq (local.get $x) (i32.const 2)) (then (local.set $rid (i32.const 2)) (br $table)))
    (br_table $table $other (local.get $x)))
   (local.set $rid (i32.add (local.get $rid) (i32.const 100))))
  (call $wasm_ckpt$frame_reserve (i32.const 7) (local.get $rid) (i32.const 8))
  (global.get $seen))
)" + ")";
  auto before = written(text, false), after = written(text, true);
  EXPECT_EQ(after, before);
  for (int32_t x : {0, 1, 2, 3}) EXPECT_EQ(run(after, x), run(before, x)) << "x = " << x;
}
