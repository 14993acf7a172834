// CountHostCalls (src/passes/CountHostCalls.cpp) alone, on a small module: the import that may
// call back (env.call_cb) gets a wrapper that counts the host frame around the call; direct calls
// and the table entry name the wrapper; WASI's import is called directly. The printed module is
// compared with tests/passes/golden/count_host_calls.wat.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "pass.h"
#include "wasm-builder.h"
#include "wasm.h"

#include "common/test_modules.h"
#include "passes/passes.h"
#include "runtime/runtime_names.h"

using namespace wasm_ckpt;

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

std::string printed(wasm::Module& module) {
  std::stringstream out;
  out << module;
  return out.str();
}

// The expected text of golden/NAME; WASM_CKPT_UPDATE_GOLDEN=1 writes `actual` there instead (then
// review the difference before committing it).
std::string golden(const char* name, const std::string& actual) {
  std::string path = std::string(WASM_CKPT_TEST_DIR) + "/passes/golden/" + name;
  if (std::getenv("WASM_CKPT_UPDATE_GOLDEN")) std::ofstream(path) << actual;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

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
