// The wasm-ckpt command line: parses options, calls the library, reports. Nothing else.
#include <chrono>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "wasm.h"

#include "wasm_ckpt/bake.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/inspect.h"
#include "wasm_ckpt/instrument.h"
#include "wasm_ckpt/metadata.h"
#include "wasm_ckpt/module_io.h"
#include "wasm_ckpt/plan.h"
#include "wasm_ckpt/snapshot.h"

using namespace wasm_ckpt;

namespace {
constexpr int kExitUsage = 2;
constexpr int kExitFailure = 1;

void writeModule(wasm::Module& module, const std::string& path) { writeFileAtomically(path, writeModuleBinary(module)); }

// Option combinations CLI11 cannot express; reported like its own parse errors.
struct UsageError : Error {
  using Error::Error;
};
} // namespace

int main(int argc, char** argv) {
  auto log = spdlog::stderr_color_mt("wasm-ckpt");
  log->set_pattern("wasm-ckpt: %v");
  log->set_level(spdlog::level::warn);

  CLI::App app{"wasm-ckpt: make WebAssembly programs checkpointable and resumable anywhere"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "wasm-ckpt 0.1.0 (snapshot format 1, Binaryen 108)");
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "Report what was done");

  std::string input, output, snapshotPath, modulePath, strategy = "full";
  std::vector<std::string> functions, exclude;
  unsigned optimizeLevel = 2;
  uint32_t hugeFunctionSize = kDefaultHugeFunctionSize;
  bool json = false, dryRun = false, noRewindCopies = false;

  // instrument and plan share the options that decide what gets instrumented.
  auto addSelectionOptions = [&](CLI::App* command) {
    command->add_option("input", input, "Module to instrument (.wasm or .wat; - for standard input)")->required();
    command->add_option("--strategy", strategy, "full (robust, everywhere) or lean (low overhead)")
      ->check(CLI::IsMember({"full", "lean"}))
      ->default_val("full");
    // One pattern per flag, repeatable: a flag taking several values would also take the input
    // file that follows it (`--exclude main in.wasm`).
    auto addPatternOption = [&](const char* name, std::vector<std::string>& patterns, const char* help) {
      command->add_option(name, patterns, help)
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    };
    addPatternOption("--functions", functions,
                     "Put poll points only in these functions: a name, export name, index or glob (* ?); repeatable");
    addPatternOption("--exclude", exclude, "Put no poll points in this function (same patterns); repeatable");
    command->add_option("--huge-function-size", hugeFunctionSize,
                        "Instrument functions of at least N expressions in the form that adds fewer registers "
                        "(loop polls inline, countdown in memory; 0: every function)")
      ->default_val(kDefaultHugeFunctionSize);
  };
  auto* instrument = app.add_subcommand("instrument", "Add checkpoint and restore support to a module");
  addSelectionOptions(instrument);
  instrument->add_option("-o,--output", output, "Where to write the instrumented module (- for standard output)");
  instrument->add_option("-O,--optimize", optimizeLevel, "Optimization level for instrumented code (0-3)")
    ->check(CLI::Range(0, 3))
    ->default_val(2);
  instrument->add_flag("--no-rewind-copies", noRewindCopies,
                       "Smaller, slower code: no separate rewind copy of each instrumented function");
  instrument->add_flag("--dry-run", dryRun, "Only report the plan (as `wasm-ckpt plan` does); write nothing");
  instrument->add_flag("--json", json, "With --dry-run: machine-readable plan");

  auto* planCommand = app.add_subcommand("plan", "Report which functions would be instrumented, and why");
  addSelectionOptions(planCommand);
  planCommand->add_flag("--json", json, "Machine-readable output");

  auto* resume = app.add_subcommand("resume", "Bake a snapshot into a module that continues from it");
  resume->add_option("module", input, "The instrumented module the snapshot was taken from (- for standard input)")->required();
  resume->add_option("snapshot", snapshotPath, "The snapshot (- for standard input)")->required();
  resume->add_option("-o,--output", output, "Where to write the resumable module (- for standard output)")->required();

  auto* inspect = app.add_subcommand("inspect", "Show what a snapshot holds");
  inspect->add_option("snapshot", snapshotPath, "The snapshot (- for standard input)")->required();
  inspect->add_option("-m,--module", modulePath, "The instrumented module, for names and types");
  inspect->add_flag("--json", json, "Machine-readable output");

  auto isCommand = [&](const std::string& word) {
    for (auto* sub : app.get_subcommands({})) {
      if (sub->get_name() == word) return true;
    }
    return false;
  };
  if (argc > 1 && argv[1][0] != '-' && !isCommand(argv[1])) {
    std::cerr << "wasm-ckpt: error: unknown command '" << argv[1] << "' (expected instrument, plan, resume or inspect)\n";
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "wasm-ckpt: error: " << e.what() << " (see wasm-ckpt --help)\n";
    return kExitUsage;
  }
  if (verbose) log->set_level(spdlog::level::info);

  try {
    InstrumentOptions options;
    options.strategy = strategy == "lean" ? Strategy::Lean : Strategy::Full;
    options.functions = functions;
    options.exclude = exclude;
    options.optimizeLevel = optimizeLevel;
    options.separateRewindCopies = !noRewindCopies;
    options.hugeFunctionSize = hugeFunctionSize;
    if (planCommand->parsed() || (instrument->parsed() && dryRun)) {
      auto module = readModule(input);
      try {
        std::cout << describePlan(planInstrumentation(*module, options), json);
      } catch (const Error& e) {
        throw Error(input + ": " + e.what());
      }
    } else if (instrument->parsed()) {
      if (output.empty()) throw UsageError("--output is required (or --dry-run)");
      if (json) throw UsageError("--json goes with --dry-run");
      auto start = std::chrono::steady_clock::now();
      auto since = [](std::chrono::steady_clock::time_point from) {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
      };
      auto module = readModule(input);
      double readSeconds = since(start);
      InstrumentReport report;
      try {
        report = instrumentModule(*module, options);
      } catch (const Error& e) {
        throw Error(input + ": " + e.what());
      }
      auto writeStart = std::chrono::steady_clock::now();
      writeModule(*module, output);
      report.stageSeconds.insert(report.stageSeconds.begin(), {"read", readSeconds});
      report.stageSeconds.emplace_back("write", since(writeStart));
      for (auto& warning : report.warnings) log->warn("warning: {}", warning);
      log->info("{}: {} functions instrumented, {} poll points, {} resume points, module hash {:016x}, {:.2f} s",
                output, report.instrumentedFunctions, report.pollPoints, report.resumePoints, report.moduleHash,
                since(start));
      std::string stages;
      for (auto& [stage, seconds] : report.stageSeconds) stages += fmt::format("{}{} {:.2f} s", stages.empty() ? "" : ", ", stage, seconds);
      log->info("time by stage: {}", stages);
    } else if (resume->parsed()) {
      if (input == "-" && snapshotPath == "-") throw UsageError("the module and the snapshot cannot both come from standard input");
      auto module = readModule(input);
      auto snapshot = readSnapshotFile(snapshotPath);
      bakeSnapshot(*module, snapshot);
      writeModule(*module, output);
      log->info("{}: resumes at poll {} with {} frames", output, snapshot.pollCount, snapshot.frames.size());
    } else if (inspect->parsed()) {
      if (snapshotPath == "-" && modulePath == "-") throw UsageError("the snapshot and the module cannot both come from standard input");
      auto snapshot = readSnapshotFile(snapshotPath);
      std::optional<ModuleMetadata> metadata;
      if (!modulePath.empty()) {
        auto module = readModule(modulePath);
        metadata = ModuleMetadata::fromModule(*module);
        if (!metadata) throw Error(modulePath + ": not instrumented by wasm-ckpt");
        metadata->checkSnapshot(snapshot);
      }
      std::cout << describeSnapshot(snapshot, metadata ? &*metadata : nullptr, json);
    }
  } catch (const UsageError& e) {
    std::cerr << "wasm-ckpt: error: " << e.what() << " (see wasm-ckpt --help)\n";
    return kExitUsage;
  } catch (const Error& e) {
    std::cerr << "wasm-ckpt: error: " << e.what() << "\n";
    return kExitFailure;
  } catch (const std::bad_alloc&) {
    std::cerr << "wasm-ckpt: error: out of memory\n";
    return kExitFailure;
  }
  return 0;
}
