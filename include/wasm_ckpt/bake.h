// `wasm-ckpt resume`: a module that continues from a snapshot with no file access.
#pragma once

namespace wasm {
class Module;
}

namespace wasm_ckpt {
struct Snapshot;
// `module` must be the instrumented module the snapshot was taken from; throws Error otherwise.
void bakeSnapshot(wasm::Module& module, const Snapshot& snapshot);
} // namespace wasm_ckpt
