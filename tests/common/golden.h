// Golden outputs of passes run alone: a module's text compared with tests/passes/golden/NAME,
// the inputs they start from read from there too (NAME.input.wat, say).
#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "wasm.h"

namespace wasm_ckpt::test {

inline std::string printed(wasm::Module& module) {
  std::stringstream out;
  out << module;
  return out.str();
}

inline std::string goldenPath(const char* name) { return std::string(WASM_CKPT_TEST_DIR) + "/passes/golden/" + name; }

// The text of golden/NAME (empty when there is no such file).
inline std::string goldenText(const char* name) {
  std::ifstream in(goldenPath(name));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The expected text of golden/NAME; WASM_CKPT_UPDATE_GOLDEN=1 writes `actual` there instead (then
// review the difference before committing it).
inline std::string golden(const char* name, const std::string& actual) {
  if (std::getenv("WASM_CKPT_UPDATE_GOLDEN")) std::ofstream(goldenPath(name)) << actual;
  return goldenText(name);
}

} // namespace wasm_ckpt::test
