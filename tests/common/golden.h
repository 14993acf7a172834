// Golden outputs of passes run alone: a module's text compared with tests/passes/golden/NAME.
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

// The expected text of golden/NAME; WASM_CKPT_UPDATE_GOLDEN=1 writes `actual` there instead (then
// review the difference before committing it).
inline std::string golden(const char* name, const std::string& actual) {
  std::string path = std::string(WASM_CKPT_TEST_DIR) + "/passes/golden/" + name;
  if (std::getenv("WASM_CKPT_UPDATE_GOLDEN")) std::ofstream(path) << actual;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace wasm_ckpt::test
