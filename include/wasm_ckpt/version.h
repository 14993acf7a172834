// Versions a pipeline pins: the tool's (CMake's project version), the snapshot format's
// (snapshot_layout.h), the wasm-ckpt section's (ModuleMetadata) and Binaryen's.
#pragma once
#include <string>

namespace wasm_ckpt {
constexpr const char* kToolVersion = WASM_CKPT_VERSION;
constexpr unsigned kBinaryenVersion = WASM_CKPT_BINARYEN_VERSION;

// "wasm-ckpt 0.1.0 (snapshot format 1, Binaryen 108)", or the same as a JSON object.
std::string describeVersion(bool json);
} // namespace wasm_ckpt
