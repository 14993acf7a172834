// The functions that only a restore runs: the restore entries (each instrumented function's
// rewind copy, entered only to rewind its frame, and the run-time code's restore_begin,
// frame_read and restore_finish) and the functions that nothing but those reaches. Everything
// else is reached from the module's roots (exports, the start function, table entries) without
// passing through an entry. --rewind-copies=stored keeps these functions out of the Code section
// until `wasm-ckpt resume` puts them back (io/rewind_store.h): a module that cannot restore by
// itself needs none of them until it is baked.
#pragma once
#include <set>

#include "wasm.h"

namespace wasm_ckpt {

std::set<wasm::Name> restoreOnlyFunctions(wasm::Module& module, const std::set<wasm::Name>& rewindCopies);

} // namespace wasm_ckpt
