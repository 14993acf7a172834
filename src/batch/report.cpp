// The batch report (--report): one JSON object, modules in the order given. Everything in it but
// the "seconds" fields is the same for the same inputs and options, whatever -j.
#include <fmt/format.h>

#include "support/json_text.h"
#include "wasm_ckpt/batch.h"
#include "wasm_ckpt/version.h"

namespace wasm_ckpt {

namespace {
Json hex(uint64_t value) { return value ? Json(fmt::format("{:016x}", value)) : Json(nullptr); }

Json optionsJson(const InstrumentOptions& options) {
  return {{"optimize", options.optimizeLevel},
          {"rewind_copies", rewindCopiesName(options.rewindCopies)},
          {"huge_function_size", options.hugeFunctionSize},
          {"functions", options.functions},
          {"exclude", options.exclude}};
}
} // namespace

std::string batchReportJson(const std::vector<ModuleResult>& results, const InstrumentOptions& options) {
  size_t failed = 0;
  for (auto& r : results) failed += !r.ok();
  Json report;
  report["tool"] = "wasm-ckpt";
  report["version"] = kToolVersion;
  report["modules"] = results.size();
  report["instrumented"] = results.size() - failed;
  report["failed"] = failed;
  auto& entries = report["results"] = Json::array();
  for (auto& r : results) {
    auto& f = r.file;
    Json entry;
    entry["input"] = r.input;
    entry["input_hash"] = hex(f.inputHash);
    entry["strategy"] = strategyName(options.strategy);
    entry["options"] = optionsJson(options);
    if (r.ok()) {
      double ratio = f.inputCodeSize ? double(f.outputCodeSize) / double(f.inputCodeSize) : 0;
      entry["output"] = r.output;
      entry["output_hash"] = hex(f.outputHash);
      entry["module_hash"] = hex(f.report.moduleHash);
      entry["functions_instrumented"] = f.report.instrumentedFunctions;
      entry["poll_points"] = f.report.pollPoints;
      entry["resume_points"] = f.report.resumePoints;
      entry["input_code_size"] = f.inputCodeSize;
      entry["output_code_size"] = f.outputCodeSize;
      entry["code_size_ratio"] = roundedTo(ratio, 4);
      entry["warnings"] = f.report.warnings;
    }
    entry["seconds"] = roundedTo(r.seconds, 3);
    std::string error = r.attempted ? r.error : "not attempted: an earlier module failed (--fail-fast)";
    entry["error"] = error.empty() ? Json(nullptr) : Json(error);
    entries.push_back(std::move(entry));
  }
  return jsonText(report);
}

} // namespace wasm_ckpt
