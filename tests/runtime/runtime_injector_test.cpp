// The run-time injector (src/runtime/RuntimeInjector.cpp) alone, on
// tests/passes/golden/runtime_injector.input.wat: what it changes in the program's own code (the
// WASI redirection, memory.grow and memory.size, the memory's maximum, the wrapped _start), and
// what it reports. The module is printed without the run-time code (functions, imports, globals
// and data segments under wasm_ckpt$ names, which the calls still name) and compared with
// golden/runtime_injector.wat.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "wasm.h"

#include "common/golden.h"
#include "common/test_modules.h"
#include "runtime/RuntimeInjector.h"
#include "runtime/runtime_names.h"

using namespace wasm_ckpt;

TEST(RuntimeInjector, GoldenProgramSide) {
  auto module = test::parseText(test::goldenText("runtime_injector.input.wat"));
  auto injected = injectRuntime(*module);
  std::string report = ";; saved globals:";
  for (auto& global : injected.savedGlobals) report += " " + global.name + "@" + std::to_string(global.index);
  report += "\n;; has _start: " + std::to_string(injected.hasStart) + ", memory limit: " +
            std::to_string(injected.memoryLimitPages) + " pages, imported maximum: " + std::to_string(injected.importedMemoryMax) + "\n";

  // Runtime functions (the calls and exports name them still) and what only they use.
  ASSERT_TRUE(module->getFunctionOrNull(runtime::functionName("fd_read")));
  module->removeFunctions([](wasm::Function* func) { return runtime::isRuntimeName(func->name); });
  module->removeGlobals([](wasm::Global* global) { return runtime::isRuntimeName(global->name); });
  auto& segments = module->memory.segments;
  segments.erase(std::remove_if(segments.begin(), segments.end(), [](auto& s) { return runtime::isRuntimeName(s.name); }),
                 segments.end());
  auto actual = report + test::printed(*module);
  EXPECT_EQ(actual, test::golden("runtime_injector.wat", actual));
}
