// The instrumentation pipeline: from an input module to one that can checkpoint and restore.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace wasm {
class Module;
}

namespace wasm_ckpt {

enum class Strategy { Full };
const char* strategyName(Strategy strategy);

struct InstrumentOptions {
  Strategy strategy = Strategy::Full;
  // Binaryen optimization level applied to instrumented functions after the transformation.
  unsigned optimizeLevel = 2;
};

struct InstrumentReport {
  uint32_t instrumentedFunctions = 0;
  uint32_t pollPoints = 0;
  uint32_t resumePoints = 0;
  uint64_t moduleHash = 0;
  std::vector<std::string> warnings;
};

// Rewrites `module` in place. Throws Error for modules or features it cannot handle.
InstrumentReport instrumentModule(wasm::Module& module, const InstrumentOptions& options);

} // namespace wasm_ckpt
