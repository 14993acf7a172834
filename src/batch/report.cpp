// The batch report (--report): one JSON object, modules in the order given. Everything in it but
// the "seconds" fields is the same for the same inputs and options, whatever -j.
#include <sstream>

#include <fmt/format.h>

#include "support/json.h"
#include "wasm_ckpt/batch.h"
#include "wasm_ckpt/version.h"

namespace wasm_ckpt {

namespace {
std::string hex(uint64_t value) { return value ? fmt::format("\"{:016x}\"", value) : "null"; }

std::string list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); i++) out += (i ? ", " : "") + jsonQuote(items[i]);
  return out + "]";
}

std::string optionsJson(const InstrumentOptions& options) {
  return fmt::format("{{\"optimize\": {}, \"rewind_copies\": {}, \"huge_function_size\": {}, \"functions\": {}, "
                     "\"exclude\": {}}}",
                     options.optimizeLevel, options.separateRewindCopies, options.hugeFunctionSize,
                     list(options.functions), list(options.exclude));
}
} // namespace

std::string batchReportJson(const std::vector<ModuleResult>& results, const InstrumentOptions& options) {
  size_t failed = 0;
  for (auto& r : results) failed += !r.ok();
  std::ostringstream out;
  out << fmt::format("{{\n  \"tool\": \"wasm-ckpt\",\n  \"version\": {},\n  \"modules\": {},\n  \"instrumented\": {},\n"
                     "  \"failed\": {},\n  \"results\": [",
                     jsonQuote(kToolVersion), results.size(), results.size() - failed, failed);
  std::string strategy = jsonQuote(strategyName(options.strategy)), opts = optionsJson(options);
  for (size_t i = 0; i < results.size(); i++) {
    auto& r = results[i];
    auto& f = r.file;
    out << (i ? ",\n" : "\n") << "    {\n";
    out << fmt::format("      \"input\": {},\n      \"input_hash\": {},\n", jsonQuote(r.input), hex(f.inputHash));
    out << fmt::format("      \"strategy\": {},\n      \"options\": {},\n", strategy, opts);
    if (r.ok()) {
      double ratio = f.inputCodeSize ? double(f.outputCodeSize) / double(f.inputCodeSize) : 0;
      out << fmt::format("      \"output\": {},\n      \"output_hash\": {},\n      \"module_hash\": {},\n",
                         jsonQuote(r.output), hex(f.outputHash), hex(f.report.moduleHash))
          << fmt::format("      \"functions_instrumented\": {},\n      \"poll_points\": {},\n      \"resume_points\": {},\n",
                         f.report.instrumentedFunctions, f.report.pollPoints, f.report.resumePoints)
          << fmt::format("      \"input_code_size\": {},\n      \"output_code_size\": {},\n      \"code_size_ratio\": {:.4f},\n",
                         f.inputCodeSize, f.outputCodeSize, ratio)
          << fmt::format("      \"warnings\": {},\n", list(f.report.warnings));
    }
    out << fmt::format("      \"seconds\": {:.3f},\n", r.seconds);
    std::string error = r.attempted ? r.error : "not attempted: an earlier module failed (--fail-fast)";
    out << fmt::format("      \"error\": {}\n    }}", error.empty() ? "null" : jsonQuote(error));
  }
  out << "\n  ]\n}\n";
  return out.str();
}

} // namespace wasm_ckpt
