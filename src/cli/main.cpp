// The wasm-ckpt command line: parses options, calls the library, reports. Nothing else.
#include <chrono>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "wasm.h"

#include "cli/batch_command.h"
#include "wasm_ckpt/bake.h"
#include "wasm_ckpt/batch.h"
#include "wasm_ckpt/check.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/inspect.h"
#include "wasm_ckpt/instrument.h"
#include "wasm_ckpt/metadata.h"
#include "wasm_ckpt/module_io.h"
#include "wasm_ckpt/plan.h"
#include "wasm_ckpt/snapshot.h"
#include "wasm_ckpt/version.h"

using namespace wasm_ckpt;

namespace {
constexpr int kExitUsage = 2;
constexpr int kExitFailure = 1;

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
  app.set_version_flag("--version", describeVersion(false));
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "Report what was done");

  std::string input, output, snapshotPath, modulePath, strategy = "full";
  std::vector<std::string> functions, exclude;
  unsigned optimizeLevel = 2;
  uint32_t hugeFunctionSize = kDefaultHugeFunctionSize;
  bool json = false, dryRun = false, noRewindCopies = false;
  std::string rewindCopies = "all";

  // instrument, plan and check share the options that decide what gets instrumented.
  auto addSelectionOptions = [&](CLI::App* command) {
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
    command->add_option("--rewind-copies", rewindCopies,
                        "Which instrumented functions get a rewind copy, so that their normal path carries no "
                        "rewind guards: all (fastest), auto (those whose guards would run often), none (least code) or "
                        "stored (all, kept outside the Code section until `wasm-ckpt resume` puts back those a "
                        "snapshot needs: the least code to compile; restores only through `resume`)")
      ->check(CLI::IsMember({"all", "auto", "none", "stored"}))
      ->default_val("all");
    command->add_flag("--no-rewind-copies", noRewindCopies, "The same as --rewind-copies=none");
    command->add_option("--huge-function-size", hugeFunctionSize,
                        "Instrument functions of at least N expressions in the form that adds fewer registers "
                        "(loop polls inline, countdown in memory; 0: every function)")
      ->default_val(kDefaultHugeFunctionSize);
  };
  auto* instrument = app.add_subcommand("instrument", "Add checkpoint and restore support to a module");
  BatchCommand batch;
  bool batchWorker = false;
  instrument->add_option("input", batch.inputs,
                         "Module(s) to instrument (.wasm or .wat; - for standard input); with --out-dir also "
                         "directories, globs and @FILE (a list of these, one per line)")
    ->required();
  addSelectionOptions(instrument);
  instrument->add_option("-o,--output", output, "Where to write the instrumented module (- for standard output)");
  instrument->add_option("-O,--optimize", optimizeLevel, "Optimization level for instrumented code (0-3)")
    ->check(CLI::Range(0, 3))
    ->default_val(2);
  instrument->add_flag("--dry-run", dryRun, "Only report the plan (as `wasm-ckpt plan` does); write nothing");
  instrument->add_flag("--json", json, "With --dry-run: machine-readable plan");
  // Batch instrumentation (src/batch/): several modules into a directory.
  instrument->add_option("--out-dir", batch.outDir, "Instrument each input into DIR/<name>.wasm, several at a time");
  std::vector<std::string> inputLists;
  instrument->add_option("--inputs-from", inputLists, "With --out-dir: more inputs, listed in FILE (as @FILE); repeatable")
    ->expected(1)
    ->allow_extra_args(false)
    ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  instrument->add_option("--suffix", batch.suffix, "With --out-dir: write DIR/<name><SUFFIX>.wasm");
  instrument->add_option("-j,--jobs", batch.jobs, "With --out-dir: modules instrumented at once (default: the number of cores)")
    ->check(CLI::Range(1u, 1024u));
  instrument->add_option("--report", batch.reportPath, "With --out-dir: write a JSON report of every module to FILE");
  instrument->add_flag("--fail-fast", batch.failFast, "With --out-dir: start no module after one failed");
  instrument->add_flag("-q,--quiet", batch.quiet, "With --out-dir: no progress and no summary unless a module failed");
  instrument->add_flag("--batch-worker", batchWorker, "")->group(""); // a batch's child process (src/batch/batch.cpp)
  instrument->footer("Examples:\n"
                     "  wasm-ckpt instrument app.wasm -o app.ckpt.wasm\n"
                     "  wasm-ckpt instrument --strategy lean -O3 app.wasm -o app.ckpt.wasm\n"
                     "  wasm-ckpt instrument bench/*.wasm @more.txt --out-dir out -j 4 --report report.json");

  auto* planCommand = app.add_subcommand("plan", "Report which functions would be instrumented, and why");
  planCommand->add_option("input", input, "Module to plan for (.wasm or .wat; - for standard input)")->required();
  addSelectionOptions(planCommand);
  planCommand->add_flag("--json", json, "Machine-readable output");
  planCommand->footer("Examples:\n"
                      "  wasm-ckpt plan app.wasm\n"
                      "  wasm-ckpt plan --strategy lean --functions 'compute_*' app.wasm\n"
                      "  wasm-ckpt plan --json app.wasm > plan.json");

  auto* resume = app.add_subcommand("resume", "Bake a snapshot into a module that continues from it");
  resume->add_option("module", input, "The instrumented module the snapshot was taken from (- for standard input)")->required();
  resume->add_option("snapshot", snapshotPath, "The snapshot (- for standard input)")->required();
  resume->add_option("-o,--output", output, "Where to write the resumable module (- for standard output)")->required();
  resume->footer("Examples:\n"
                 "  wasm-ckpt resume app.ckpt.wasm wasm-ckpt.snapshot -o app.resumed.wasm\n"
                 "  wasm-ckpt resume app.ckpt.wasm - -o app.resumed.wasm < wasm-ckpt.snapshot");

  auto* inspect = app.add_subcommand("inspect", "Show what a snapshot holds");
  inspect->add_option("snapshot", snapshotPath, "The snapshot (- for standard input)")->required();
  inspect->add_option("-m,--module", modulePath, "The instrumented module, for names and types");
  inspect->add_flag("--json", json, "Machine-readable output");
  inspect->footer("Examples:\n"
                  "  wasm-ckpt inspect wasm-ckpt.snapshot\n"
                  "  wasm-ckpt inspect wasm-ckpt.snapshot -m app.ckpt.wasm\n"
                  "  wasm-ckpt inspect --json wasm-ckpt.snapshot -m app.ckpt.wasm");

  // check: the pre-deployment gate (src/check.cpp). Options given are compared, others not.
  auto* checkCommand = app.add_subcommand("check", "Exit 0 if a module is an unaltered wasm-ckpt output made as expected (the options given are compared)");
  std::string sourcePath;
  checkCommand->add_option("module", input, "The instrumented module (- for standard input)")->required();
  addSelectionOptions(checkCommand);
  checkCommand->add_option("-O,--optimize", optimizeLevel, "Expect this optimization level")->check(CLI::Range(0, 3));
  checkCommand->add_option("--source", sourcePath, "Expect the module to be made from exactly this original module");
  checkCommand->footer("Examples:\n"
                       "  wasm-ckpt check app.ckpt.wasm\n"
                       "  wasm-ckpt check app.ckpt.wasm --strategy lean -O2\n"
                       "  wasm-ckpt check app.ckpt.wasm --strategy lean --source app.wasm");

  auto* versionCommand = app.add_subcommand("version", "Print the tool, snapshot format and Binaryen versions");
  versionCommand->add_flag("--json", json, "Machine-readable output, for pipelines to pin");
  versionCommand->footer("Examples:\n"
                         "  wasm-ckpt version\n"
                         "  wasm-ckpt version --json");

  auto isCommand = [&](const std::string& word) {
    for (auto* sub : app.get_subcommands({})) {
      if (sub->get_name() == word) return true;
    }
    return false;
  };
  if (argc > 1 && argv[1][0] != '-' && !isCommand(argv[1])) {
    std::cerr << "wasm-ckpt: error: unknown command '" << argv[1] << "' (expected instrument, plan, resume, inspect, check or version)\n";
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
    auto* command = instrument->parsed() ? instrument : planCommand->parsed() ? planCommand : checkCommand;
    if (noRewindCopies && command->count("--rewind-copies") && rewindCopies != "none")
      throw UsageError("--no-rewind-copies contradicts --rewind-copies=" + rewindCopies);
    if (noRewindCopies) rewindCopies = "none";
    for (auto copies : {RewindCopies::All, RewindCopies::Auto, RewindCopies::None, RewindCopies::Stored}) {
      if (rewindCopies == rewindCopiesName(copies)) options.rewindCopies = copies;
    }
    options.hugeFunctionSize = hugeFunctionSize;
    if (instrument->parsed()) {
      for (auto& list : inputLists) batch.inputs.push_back("@" + list);
      if (batch.outDir.empty()) {
        for (auto* batchOnly : {"--suffix", "--jobs", "--report", "--fail-fast", "--quiet", "--inputs-from"}) {
          if (instrument->count(batchOnly)) throw UsageError(std::string(batchOnly) + " goes with --out-dir");
        }
        if (batch.inputs.size() > 1) throw UsageError("several inputs need --out-dir (-o names one output)");
        input = batch.inputs[0];
        if (input.size() > 1 && input[0] == '@') throw UsageError("@FILE goes with --out-dir");
      }
    }
    if (versionCommand->parsed()) {
      std::cout << describeVersion(json) << (json ? "" : "\n");
    } else if (checkCommand->parsed()) {
      CheckExpectations expected;
      if (checkCommand->count("--strategy")) expected.strategy = options.strategy;
      if (checkCommand->count("--optimize")) expected.optimizeLevel = optimizeLevel;
      if (noRewindCopies || checkCommand->count("--rewind-copies")) expected.rewindCopies = options.rewindCopies;
      if (checkCommand->count("--huge-function-size")) expected.hugeFunctionSize = hugeFunctionSize;
      if (checkCommand->count("--functions")) expected.functions = functions;
      if (checkCommand->count("--exclude")) expected.exclude = exclude;
      if (!sourcePath.empty()) {
        if (input == "-" && sourcePath == "-") throw UsageError("the module and the original cannot both come from standard input");
        expected.sourceHash = fingerprint(readFileBytes(sourcePath));
        expected.sourceName = sourcePath;
      }
      std::cout << checkModule(input, expected) << "\n";
    } else if (instrument->parsed() && batchWorker) {
      runBatchWorker(input, output, options, std::cout);
    } else if (instrument->parsed() && !batch.outDir.empty()) {
      if (!output.empty()) throw UsageError("--output names one output; a batch writes into --out-dir");
      if (dryRun || json) throw UsageError("--dry-run and --json take one input, without --out-dir");
      batch.options = options;
      return runBatchCommand(batch);
    } else if (planCommand->parsed() || (instrument->parsed() && dryRun)) {
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
      auto report = instrumentFile(input, output, options).report;
      for (auto& warning : report.warnings) log->warn("warning: {}", warning);
      log->info("{}: {} functions instrumented, {} poll points, {} resume points, module hash {:016x}, {:.2f} s",
                output, report.instrumentedFunctions, report.pollPoints, report.resumePoints, report.moduleHash,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      std::string stages;
      for (auto& [stage, seconds] : report.stageSeconds) stages += fmt::format("{}{} {:.2f} s", stages.empty() ? "" : ", ", stage, seconds);
      log->info("time by stage: {}", stages);
    } else if (resume->parsed()) {
      if (input == "-" && snapshotPath == "-") throw UsageError("the module and the snapshot cannot both come from standard input");
      auto module = readFileBytes(input);
      auto snapshot = readSnapshotFile(snapshotPath);
      writeFileAtomically(output, bakeSnapshot(module, snapshot));
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
