// The instrumentation pipeline: from an input module to one that can checkpoint and restore.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "wasm_ckpt/options.h"

namespace wasm {
class Module;
}

namespace wasm_ckpt {

struct InstrumentReport {
  uint32_t instrumentedFunctions = 0;
  uint32_t pollPoints = 0;
  uint32_t resumePoints = 0;
  uint64_t moduleHash = 0;
  std::vector<std::string> warnings;
  // Wall-clock seconds per pipeline stage, in order (what `instrument -v` reports): where the
  // time of a large module goes.
  std::vector<std::pair<std::string, double>> stageSeconds;
};

// Rewrites `module` in place. Throws Error for modules or features it cannot handle.
InstrumentReport instrumentModule(wasm::Module& module, const InstrumentOptions& options);

} // namespace wasm_ckpt
