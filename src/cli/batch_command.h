// `wasm-ckpt instrument` with --out-dir: the command-line side of a batch (progress, summary,
// report file); the batch itself is src/batch/.
#pragma once
#include <string>
#include <vector>

#include "wasm_ckpt/instrument.h"

namespace wasm_ckpt {
struct BatchCommand {
  std::vector<std::string> inputs; // as given: modules, directories, globs, @lists
  std::string outDir, suffix, reportPath;
  unsigned jobs = 0;
  bool quiet = false, failFast = false;
  InstrumentOptions options;
};
// Returns the exit status: 0 if every module was instrumented, 1 otherwise. Throws Error when
// the batch cannot start (a missing input, two inputs for one output).
int runBatchCommand(const BatchCommand& command);
} // namespace wasm_ckpt
