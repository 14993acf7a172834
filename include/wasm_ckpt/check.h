// `wasm-ckpt check`: is a module, as it is about to be deployed, an unaltered output of this
// tool's `instrument`, with the expected strategy and options, made from the expected original?
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wasm_ckpt/instrument.h"

namespace wasm_ckpt {

// What the caller expects; what is not set is not compared.
struct CheckExpectations {
  std::optional<Strategy> strategy;
  std::optional<unsigned> optimizeLevel;
  std::optional<RewindCopies> rewindCopies;
  std::optional<uint32_t> hugeFunctionSize;
  std::optional<std::vector<std::string>> functions;
  std::optional<std::vector<std::string>> exclude;
  std::optional<uint64_t> sourceHash; // fingerprint() of the original's bytes
  std::string sourceName;             // for the message
};

// Throws Error("PATH: reason") at the first expectation not met; returns a one-line description
// of what the module is.
std::string checkModule(const std::string& path, const CheckExpectations& expected);

} // namespace wasm_ckpt
