// The one exception type of wasm-ckpt: its message is the one-line error the CLI prints.
#pragma once
#include <stdexcept>
#include <string>

namespace wasm_ckpt {
struct Error : std::runtime_error {
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};
} // namespace wasm_ckpt
