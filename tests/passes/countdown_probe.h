// For tests that run an instrumented module through Binaryen's interpreter and count its polls:
// the countdown starts far from running out (so no slow path runs) and is exported as
// "countdown", from which a test reads what the polls took off it.
#pragma once

#include <cstdint>

#include "wasm-builder.h"
#include "wasm.h"

#include "runtime/runtime_names.h"

namespace wasm_ckpt {

// Returns the countdown's initial value.
inline int32_t exportCountdown(wasm::Module& instrumented) {
  auto* countdown = instrumented.getGlobal(runtime::countdownGlobal());
  const int32_t full = 1 << 30;
  countdown->init = wasm::Builder(instrumented).makeConst(full);
  instrumented.addExport(wasm::Builder::makeExport("countdown", countdown->name, wasm::ExternalKind::Global));
  return full;
}

} // namespace wasm_ckpt
