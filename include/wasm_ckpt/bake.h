// `wasm-ckpt resume`: a module that continues from a snapshot with no file access.
#pragma once
#include <vector>

namespace wasm_ckpt {
struct Snapshot;
// The bytes of the module that continues from `snapshot` when started. `module` must be the
// binary instrumented module the snapshot was taken from, as `instrument` wrote it (or as
// `resume` did); throws Error otherwise.
std::vector<char> bakeSnapshot(const std::vector<char>& module, const Snapshot& snapshot);
} // namespace wasm_ckpt
