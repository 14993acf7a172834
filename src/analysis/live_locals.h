// Which locals are live (may still be read before being written) at chosen points of a function.
//
// The unwind/rewind pass asks this twice per instrumented function: which reloaded locals any
// code can still read after a rewind (the others need no room in the frame), and which frame
// locals are dead at a loop poll's unwind site (zeroed there, so that the epilogue does not keep
// them alive). It answers from Binaryen's CFG liveness (the walker behind coalesce-locals): one
// backward data flow over basic blocks with sorted sets of locals, linear in practice. Binaryen's
// LocalGraph answered the same questions through every get's reaching sets, which took seconds on
// interpreter loops of ten thousand statements (SQLite's VDBE).
#pragma once
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "wasm.h"

namespace wasm_ckpt {

using LocalIndexSet = std::unordered_set<wasm::Index>;

// For each marker, the locals live right where it sits: read on some path from there with no
// write first. Markers are empty unnamed blocks placed in `func` for the purpose; a marker in
// unreachable code has nothing live. The walk may simplify code that is unreachable (as
// Binaryen's liveness walker does), which changes no behaviour.
std::unordered_map<wasm::Block*, LocalIndexSet> liveLocalsAt(wasm::Module& module, wasm::Function* func,
                                                       const std::vector<wasm::Block*>& markers);

} // namespace wasm_ckpt
