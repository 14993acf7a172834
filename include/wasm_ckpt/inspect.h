// `wasm-ckpt inspect`: a human- or machine-readable account of a snapshot.
#pragma once
#include <string>

namespace wasm_ckpt {
struct Snapshot;
struct ModuleMetadata;
// `metadata` (from the instrumented module, optional) supplies names, types and resume points.
std::string describeSnapshot(const Snapshot& snapshot, const ModuleMetadata* metadata, bool json);
} // namespace wasm_ckpt
