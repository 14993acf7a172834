// Batch instrumentation: many modules, each in a child process of the tool (Binaryen's thread
// pool and its fatal errors are per process), several at a time, with a per-module result that
// does not depend on how many run at once.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "wasm_ckpt/instrument.h"

namespace wasm_ckpt {

// ---- one module (src/batch/instrument_file.cpp): what both `instrument` forms run ----------
struct InstrumentedFile {
  InstrumentReport report;  // stageSeconds include reading and writing
  uint64_t inputHash = 0;   // fingerprint() of the input's bytes (recorded in the module)
  uint64_t outputHash = 0;  // fingerprint() of the output's bytes
  uint64_t inputCodeSize = 0;  // bytes of the Code section (of the binary form, for a .wat input)
  uint64_t outputCodeSize = 0;
};
// Reads `input`, instruments it with options.sourceHash set to the input's hash, writes
// `output` atomically. Throws Error naming the input.
InstrumentedFile instrumentFile(const std::string& input, const std::string& output, InstrumentOptions options);

// ---- the module list (src/batch/inputs.cpp) --------------------------------------------------
// Each argument is a module, a directory (its *.wasm and *.wat files, sorted), a glob (* ? [...],
// matches sorted) or @FILE: FILE's lines are more arguments (blank lines and lines starting with
// # skipped; paths relative to the current directory). Throws Error for a missing file, a glob
// that matches nothing, an empty list, or a module named twice.
std::vector<std::string> expandInputs(const std::vector<std::string>& arguments);

struct BatchJob {
  std::string input;
  std::string output; // outDir/<name of the input without .wasm/.wat><suffix>.wasm
};
// Throws Error if two inputs would write the same output or an output would replace its input.
std::vector<BatchJob> assignOutputs(const std::vector<std::string>& inputs, const std::string& outDir,
                                    const std::string& suffix);

// ---- running the batch (src/batch/batch.cpp) --------------------------------------------------
struct ModuleResult {
  std::string input, output;
  bool attempted = false; // false: not started because an earlier module failed (--fail-fast)
  std::string error;      // empty: instrumented
  InstrumentedFile file;  // stageSeconds not filled
  double seconds = 0;     // wall-clock time of its child process
  bool ok() const { return attempted && error.empty(); }
};

struct BatchOptions {
  InstrumentOptions instrument;
  unsigned jobs = 0; // modules at once; 0: the number of cores
  bool failFast = false;
};

// Called from the threads that run modules, one call at a time.
struct BatchObserver {
  std::function<void(size_t index, const BatchJob&)> started;
  std::function<void(size_t index, const ModuleResult&)> finished;
};

// Instruments each job in a child process running this executable (`instrument --batch-worker`)
// with BINARYEN_CORES set so that jobs x threads stays within the cores. Results in job order.
std::vector<ModuleResult> runBatch(const std::vector<BatchJob>& jobs, const BatchOptions& options,
                                   const BatchObserver& observer);
// How many modules run at once and how many Binaryen threads each gets.
std::pair<unsigned, unsigned> batchParallelism(unsigned requestedJobs, size_t modules);

// The child's side: instruments one module and prints its record on `out` (what runBatch reads).
void runBatchWorker(const std::string& input, const std::string& output, const InstrumentOptions& options,
                    std::ostream& out);
// The options as the arguments `instrument` parses back into the same InstrumentOptions.
std::vector<std::string> instrumentArguments(const InstrumentOptions& options);

// ---- the report (src/batch/report.cpp) ---------------------------------------------------------
// JSON: per module its input, output, hashes, strategy and options, functions instrumented, poll
// points, Code-section sizes and ratio, seconds and error. Only the "seconds" fields depend on the
// run (and the order modules ran in does not show).
std::string batchReportJson(const std::vector<ModuleResult>& results, const InstrumentOptions& options);

} // namespace wasm_ckpt
