// Which functions code can reach: through direct calls and `ref.func` (which covers what a
// `call_indirect` can reach once table entries are counted as roots). For the run-time injector,
// which drops the run-time functions nothing reaches, and for the functions only a restore runs
// (restore_only.h).
#pragma once
#include <set>
#include <vector>

#include "wasm.h"

namespace wasm_ckpt {

// What a host or a table can call: function exports, the start function, and the functions that
// element segments and global initializers name.
std::vector<wasm::Name> moduleRoots(wasm::Module& module);

// `roots` and the functions they reach, without entering (or counting) those in `barriers`.
std::set<wasm::Name> reachableFunctions(wasm::Module& module, const std::vector<wasm::Name>& roots,
                                        const std::set<wasm::Name>& barriers = {});

} // namespace wasm_ckpt
