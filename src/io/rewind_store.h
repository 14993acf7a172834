// Restore code kept out of the Code section (--rewind-copies=stored). A rewind copy runs only to
// restore a frame of its function, and the run-time code's restore functions only at a restore
// (analysis/restore_only.h), yet every engine compiles them with the module: about half of an
// instrumented module's code. With `stored`, `instrument` moves their bodies into the
// "wasm-ckpt.rewind" custom section, which engines skip, and leaves in the Code section a stub
// that traps (`unreachable`: 4 bytes per function, so no index, type or call changes).
// `wasm-ckpt resume` puts back the run-time restore functions and the rewind copies of the
// functions that have frames in the snapshot it bakes, and only those: the resumed module
// compiles about what the instrumented one does.
//
// The section's payload: the number of entries, then per entry the function's index (imported
// functions counted), its body's size and the body (a Code section entry after its size), by
// increasing index; all LEB128. A module made this way carries FLAG_REWIND_STORED in its flags
// global, so that its run-time code refuses the restores that would need what is missing
// (WASM_CKPT_RESTORE, WASM_CKPT_CONTINUE).
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "io/binary_patch.h"

namespace wasm_ckpt {

struct ModuleMetadata;

constexpr const char* kRewindSectionName = "wasm-ckpt.rewind";
using FunctionBodies = std::map<uint32_t, std::vector<char>>; // function index -> body

// The bodies a module stores in its "wasm-ckpt.rewind" section; empty if it has none. Throws
// Error if the section is malformed or the bytes are not a binary module.
FunctionBodies storedRestoreCode(const std::vector<char>& bytes);

// Adds to `patch` the Code section entries and the section of a module that stores `stored`:
// the bodies of the functions in `installed` (a subset of stored's) put back, stubs for the
// others. Throws Error if `installed` names a function that `stored` does not hold.
void placeRestoreCode(ModulePatch& patch, const FunctionBodies& stored, const std::set<uint32_t>& installed);

// What a restore from a snapshot whose frames are of these functions (ordinals, as in
// SnapshotFrame::function) runs of the code a module stores: their rewind copies and the
// run-time code's restore functions.
std::set<uint32_t> restoreCodeFor(const ModuleMetadata& metadata, const std::set<uint32_t>& frameFunctions);

// An instrumented module (with its wasm-ckpt section, not yet sealed) with the bodies of its
// restore code moved into the "wasm-ckpt.rewind" section and FLAG_REWIND_STORED set.
std::vector<char> stowRestoreCode(const std::vector<char>& bytes);

} // namespace wasm_ckpt
