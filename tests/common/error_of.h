// The message of the wasm_ckpt::Error that `f` throws, or "(no error)": for tests that assert a
// refusal and its message.
#pragma once
#include <functional>
#include <string>

#include "wasm_ckpt/error.h"

namespace wasm_ckpt::test {
inline std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}
} // namespace wasm_ckpt::test
