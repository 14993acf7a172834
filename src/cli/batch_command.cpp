// The batch's reporting: a progress line on a terminal (modules done / total, the module being
// instrumented, elapsed time), a summary naming each failure and why, the JSON report file.
#include "cli/batch_command.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <set>

#include <fmt/format.h>

#include "wasm_ckpt/batch.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/module_io.h"

namespace wasm_ckpt {

int runBatchCommand(const BatchCommand& command) {
  auto jobs = assignOutputs(expandInputs(command.inputs), command.outDir, command.suffix);
  std::error_code error;
  std::filesystem::create_directories(command.outDir, error);
  if (error) throw Error(command.outDir + ": cannot create the output directory (" + error.message() + ")");

  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&]() { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  bool progress = !command.quiet && isatty(STDERR_FILENO);
  size_t done = 0;
  std::set<size_t> running;
  auto show = [&]() {
    std::string current = running.empty() ? "" : jobs[*running.begin()].input;
    std::cerr << fmt::format("\r\033[K[{}/{}] {:.1f} s  {}", done, jobs.size(), elapsed(), current) << std::flush;
  };
  BatchObserver observer;
  if (progress) {
    observer.started = [&](size_t i, const BatchJob&) {
      running.insert(i);
      show();
    };
    observer.finished = [&](size_t i, const ModuleResult&) {
      running.erase(i);
      done++;
      show();
    };
  }
  BatchOptions options{command.options, command.jobs, command.failFast};
  auto results = runBatch(jobs, options, observer);
  if (progress) std::cerr << "\r\033[K" << std::flush;

  if (!command.reportPath.empty()) {
    std::string json = batchReportJson(results, command.options);
    writeFileAtomically(command.reportPath, std::vector<char>(json.begin(), json.end()));
  }
  size_t failed = 0;
  for (auto& r : results) failed += !r.ok();
  if (!command.quiet || failed) {
    std::cerr << fmt::format("wasm-ckpt: {} of {} modules instrumented into {} ({:.1f} s){}\n", results.size() - failed,
                             results.size(), command.outDir, elapsed(), failed ? fmt::format("; {} failed:", failed) : "");
  }
  for (auto& r : results) {
    if (!command.quiet) {
      for (auto& warning : r.file.report.warnings) std::cerr << "wasm-ckpt: warning: " << r.input << ": " << warning << "\n";
    }
    if (r.ok()) continue;
    std::string why = r.attempted ? r.error : "not attempted (--fail-fast)";
    std::cerr << "  " << (why.rfind(r.input + ":", 0) == 0 ? why : r.input + ": " + why) << "\n";
  }
  return failed ? 1 : 0;
}

} // namespace wasm_ckpt
