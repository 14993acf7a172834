// CountHostCalls (src/passes/CountHostCalls.cpp) alone, on a small module: the import that may
// call back (env.call_cb) gets a wrapper that counts the host frame around the call; direct calls
// and the table entry name the wrapper; WASI's import is called directly. The printed module is
// compared with tests/passes/golden/count_host_calls.wat.
#include <gtest/gtest.h>

#include "pass.h"
#include "wasm-builder.h"
#include "wasm.h"

#include "common/golden.h"
#include "common/test_modules.h"
#include "passes/passes.h"
#include "runtime/runtime_names.h"

using namespace wasm_ckpt;
using test::golden;
using test::printed;

namespace {
const char* const kModule = R"((module
  (type $i_i (func (param i32) (result i32)))
  (import "env" "call_cb" (func $call_cb (param i32) (result i32)))
  (import "env" "notify" (func $notify))
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (table 1 1 funcref)
  (elem (i32.const 0) $call_cb)
  (func $main (param $x i32) (result i32)
    (call $notify)
    (drop (call $yield))
    (i32.add (call $call_cb (local.get $x)) (call_indirect (type $i_i) (local.get $x) (i32.const 0))))
  (export "main" (func $main)))
)";


TEST(CountHostCalls, WrapsImportsThatMayCallBack) {
  auto module = test::parseText(kModule);
  // The run-time global the wrappers count in (the injector creates it in a real pipeline).
  wasm::Builder builder(*module);
  module->addGlobal(wasm::Builder::makeGlobal(runtime::i32Slot(SLOT_HOST_DEPTH), wasm::Type::i32,
                                              builder.makeConst(int32_t(1)), wasm::Builder::Mutable));
  wasm::PassRunner runner(module.get());
  runner.add(createCountHostCallsPass());
  runner.run();
  validateModule(*module, "count_host_calls");
  auto actual = printed(*module);
  EXPECT_EQ(actual, golden("count_host_calls.wat", actual));
}

TEST(CountHostCalls, LeavesModulesWithOnlyWasiImportsAlone) {
  auto module = test::parseText(R"((module
    (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
    (func $main (result i32) (call $yield))))");
  auto before = printed(*module);
  wasm::PassRunner runner(module.get());
  runner.add(createCountHostCallsPass());
  runner.run();
  EXPECT_EQ(printed(*module), before);
}
} // namespace
