// CountHostCalls (src/passes/CountHostCalls.cpp) alone, on a small module: the import that may
// call back (env.call_cb) gets a wrapper that counts the host frame around the call; direct calls
// and the table entry name the wrapper; WASI's import is called directly. The printed module of
// tests/passes/golden/count_host_calls.input.wat is compared with golden/count_host_calls.wat.
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
TEST(CountHostCalls, WrapsImportsThatMayCallBack) {
  auto module = test::parseText(test::goldenText("count_host_calls.input.wat"));
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
