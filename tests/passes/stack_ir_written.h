// The Stack IR passes' tests (SplitTupleLocals, CarryResumeIds) compare a module written with and
// without the pass.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pass.h"

#include "common/test_modules.h"
#include "wasm_ckpt/module_io.h"

namespace wasm_ckpt::test {

// The bytes of the module of `text` after Binaryen's Stack IR generation and -O2 optimization, then
// the Stack IR pass `make` makes, if any.
inline std::vector<char> writtenThroughStackIR(const std::string& text, std::unique_ptr<wasm::Pass> (*make)() = nullptr) {
  auto module = parseText(text);
  wasm::PassOptions options;
  options.optimizeLevel = 2;
  wasm::PassRunner runner(module.get(), options);
  runner.add("generate-stack-ir");
  runner.add("optimize-stack-ir");
  if (make) runner.add(make());
  runner.run();
  return writeModuleBinary(*module);
}

} // namespace wasm_ckpt::test
