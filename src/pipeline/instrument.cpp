// The instrumentation pipeline. Order matters:
//   1. refuse what cannot be captured (CheckSupported);
//   2. merge the run-time code, whose functions and globals the later passes call and read;
//   3. run counted loops with run-time bounds in chunks, polled between chunks (ChunkLoops),
//      mark the other poll points (InsertPolls), flatten so that calls are statements
//      (Binaryen's Flatten) and shrink the locals that flattening created (Binaryen's local
//      optimizations);
//   4. add unwind/rewind code (UnwindRewind), then optimize the result;
//   5. route calls to imports that may call back through the host-frame count (CountHostCalls);
//   6. fingerprint the module and describe it in the "wasm-ckpt" custom section.
#include "wasm_ckpt/instrument.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "ir/module-utils.h"
#include "ir/utils.h"
#include "pass.h"
#include "wasm-builder.h"
#include "wasm.h"

#include "analysis/loop_bounds.h"
#include "analysis/restore_only.h"
#include "passes/passes.h"
#include "runtime/RuntimeInjector.h"
#include "runtime/runtime_names.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/metadata.h"
#include "wasm_ckpt/plan.h"
#include "wasm_ckpt/module_io.h"
#include "wasm_ckpt/snapshot.h"
#include "wasm_ckpt/snapshot_layout.h"
#include "wasm_ckpt/version.h"

namespace wasm_ckpt {

namespace {
using namespace wasm;

// Instrumented functions of at least this many expressions (in the input) get the fast copies'
// optimizations without ssa-nomerge (see the optimize stage).
constexpr uint32_t kNoSsaExpressions = 32768;
// Functions of at least this many expressions (once instrumented) get LinearStackIR at -O3 too
// (see the stack-ir stage).
constexpr uint32_t kLocalGraphExpressions = 32768;

// One pass of a Pipeline: a Binaryen pass by name, or one of ours.
struct Step {
  Step(const char* name) : name(name) {}
  Step(std::unique_ptr<Pass> (*make)()) : make(make) {}
  std::string name;
  std::unique_ptr<Pass> (*make)() = nullptr;
};

// Which function passes a function gets: `passes`, then optionally the default function
// optimizations of the optimization level. A pipeline of Stack IR passes only (stackIROnly) leaves
// Binaryen IR as it is, so that the Stack IR it makes is kept for the binary writer.
// maxOptimizeLevel caps the optimization level the pipeline's passes see.
struct Pipeline {
  std::vector<Step> passes;
  bool defaultOptimizations = false;
  bool stackIROnly = false;
  int maxOptimizeLevel = 3;
};

// Runs a pipeline per function on some functions only, in parallel: a function-parallel pass
// that gives each chosen function a nested runner with its passes.
struct OnFunctions : public Pass {
  const std::map<Name, const Pipeline*>* pipelines;
  PassOptions options;

  OnFunctions(const std::map<Name, const Pipeline*>* pipelines, PassOptions options)
    : pipelines(pipelines), options(options) {}
  bool isFunctionParallel() override { return true; }
  Pass* create() override { return new OnFunctions(pipelines, options); }
  bool modifiesBinaryenIR() override {
    for (auto& [_, pipeline] : *pipelines) {
      if (!pipeline->stackIROnly) return true;
    }
    return false;
  }

  void runOnFunction(PassRunner*, Module* module, Function* func) override {
    auto found = pipelines->find(func->name);
    if (found == pipelines->end()) return;
    PassOptions levelled = options;
    levelled.optimizeLevel = std::min(options.optimizeLevel, found->second->maxOptimizeLevel);
    PassRunner nested(module, levelled);
    nested.setIsNested(true);
    for (auto& step : found->second->passes) {
      if (step.make) nested.add(step.make());
      else nested.add(step.name);
    }
    if (found->second->defaultOptimizations) nested.addDefaultFunctionOptimizationPasses();
    nested.runOnFunction(func);
  }
};

void runOnFunctions(Module& module, const std::map<Name, const Pipeline*>& pipelines, unsigned optimizeLevel) {
  PassOptions options;
  options.optimizeLevel = optimizeLevel;
  options.shrinkLevel = 0;
  PassRunner runner(&module);
  runner.setIsNested(true);
  runner.add(std::make_unique<OnFunctions>(&pipelines, options));
  runner.run();
}

// Records how long each stage of the pipeline took, into the report.
class StageClock {
public:
  explicit StageClock(InstrumentReport& report) : report(report) {}
  void finished(const char* stage) {
    auto now = std::chrono::steady_clock::now();
    report.stageSeconds.emplace_back(stage, std::chrono::duration<double>(now - last).count());
    last = now;
  }

private:
  InstrumentReport& report;
  std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
};
} // namespace

namespace {
// The custom section may have been stripped; the run-time code's strings (a data segment) stay.
bool carriesRuntime(const Module& module) {
  for (auto& segment : module.memory.segments) {
    std::string bytes(segment.data.begin(), segment.data.end());
    if (segment.isPassive && bytes.find(DEFAULT_SNAPSHOT_FILE) != std::string::npos &&
        bytes.find("wasm-ckpt: ") != std::string::npos)
      return true;
  }
  return false;
}

void checkInstrumentable(Module& module) {
  if (ModuleMetadata::fromModule(module) || carriesRuntime(module))
    throw Error("the module is already instrumented by wasm-ckpt");
  auto reserved = [](Name name) { return runtime::isRuntimeName(name); };
  for (auto& func : module.functions) {
    if (reserved(func->name)) throw Error("function name '" + std::string(func->name.str) + "' is reserved for wasm-ckpt's run-time code");
  }
  for (auto& global : module.globals) {
    if (reserved(global->name)) throw Error("global name '" + std::string(global->name.str) + "' is reserved for wasm-ckpt's run-time code");
  }
  if (module.memory.exists && module.memory.initial == 0 && !module.memory.imported())
    throw Error("unsupported: memory with an initial size of 0 pages (the run-time code needs one page at start-up)");
  if (auto* start = module.getExportOrNull("_start"); start && start->kind == ExternalKind::Function) {
    auto* func = module.getFunction(start->value);
    if (func->getParams() != Type::none || func->getResults() != Type::none)
      throw Error("_start has type " + func->type.toString() + "; a WASI command's _start takes and returns nothing");
  }
  checkSupported(module);
}
} // namespace

InstrumentReport instrumentModule(Module& module, const InstrumentOptions& options) {
  InstrumentReport report;
  StageClock clock(report);
  checkInstrumentable(module);
  auto selection = planInstrumentation(module, options);

  UnwindRewindPlan plan;
  std::set<Name> withRewindCopy;
  PollPlacement polls;
  for (auto& f : selection.functions) {
    if (!f.instrumented) continue;
    plan.ordered.push_back(Name(f.irName));
    plan.canUnwind.insert(Name(f.irName));
    if (f.huge) plan.huge.insert(Name(f.irName));
    if (f.copies == Copies::FastAndRewind) withRewindCopy.insert(Name(f.irName));
  }
  placePlannedPolls(selection, polls);
  plan.unwindingIndirect = selection.unwindingSignatures;
  plan.saveLiveLocalsOnly = options.strategy == Strategy::Lean;
  clock.finished("plan");

  auto injected = injectRuntime(module);
  if (!injected.hasStart)
    report.warnings.push_back("the module exports no _start function: the run-time contract (WASM_CKPT_*) is inactive");
  if (polls.sites.empty()) report.warnings.push_back("no poll point was placed: the program can never be checkpointed");
  if (injected.importedMemoryMax)
    report.warnings.push_back("the module imports its memory with a maximum size: a checkpoint fails once the program has grown memory to it");

  Builder builder(module);
  module.addFunction(Builder::makeFunction(runtime::pollMarker(), Signature(Type::i32, Type::none), {}, builder.makeNop()));
  {
    PassRunner runner(&module);
    runner.setIsNested(true);
    runner.add(createChunkLoopsPass(&polls));
    runner.add(createUnrollPolledLoopsPass(&polls));
    runner.add(createInsertPollsPass(&polls));
    runner.run();
  }
  polls.errors.rethrow();
  clock.finished("polls");
  {
    // The local optimizations belong to flattening at every -O level: without them a flat
    // function keeps a local per value, every frame and liveness set grows with them, and
    // SQLite's shell at -O0 took 14 s and 1 GB to become a 49 MB module that V8 refused (one
    // function past its 7.65 MB limit); with them, 4.4 s, 0.2 GB and 6.2 MB.
    // A huge function's flat form has a local per value: tens of thousands, which
    // coalesce-locals alone takes minutes to merge (createCoalesceManyLocalsPass).
    Pipeline flattening{{"flatten", "dce", "remove-unused-names", "simplify-locals-nonesting", "reorder-locals",
                         createCoalesceManyLocalsPass, "coalesce-locals", "simplify-locals-nonesting",
                         "reorder-locals", createSpliceBlocksPass, "merge-blocks"},
                        false};
    std::map<Name, const Pipeline*> pipelines;
    for (auto name : plan.canUnwind) pipelines[name] = &flattening;
    runOnFunctions(module, pipelines, options.optimizeLevel);
  }
  clock.finished("flatten");

  // Rewind copies, made from the flat functions so that both copies number locals alike, for the
  // functions the plan gives one (FunctionPlan::copies); the others carry the guards.
  for (auto name : plan.ordered) {
    if (!withRewindCopy.count(name)) continue;
    Name copy(runtime::rewindCopyName(name));
    ModuleUtils::copyFunction(module.getFunction(name), module, copy);
    plan.rewindCopies[name] = copy;
  }

  chooseCountdown(module, plan);

  std::vector<FunctionFrame> frames(plan.ordered.size());
  plan.frames = &frames;
  WorkerErrors errors;
  plan.errors = &errors;
  // Two runs: the fast copies need the frames that the first pass lays out.
  for (auto* make : {createUnwindRewindPass, createFastCopiesPass}) {
    PassRunner runner(&module);
    runner.setIsNested(true);
    runner.add(make(&plan));
    runner.run();
    errors.rethrow();
  }
  { // the frame codec that the prologues and epilogues call, for the kinds of locals saved
    std::set<ValueKind> kinds;
    for (auto& frame : frames) kinds.insert(frame.layout.locals.begin(), frame.layout.locals.end());
    addFrameCodec(module, kinds);
  }
  module.removeFunction(runtime::pollMarker()); // UnwindRewind expanded every call to it
  clock.finished("unwind-rewind");
  if (options.optimizeLevel > 0) {
    // The rewind copies run once per restore: a short pipeline that still removes most of what
    // flattening and the guards leave (SQLite's shell: 25% less instrumentation time than the
    // default optimizations, 2% more code). The last vacuum drops the guard tests whose results
    // coalescing found unused (SQLite's and Lua's Code sections: 0.6-0.8% smaller, time within
    // noise).
    // ssa-nomerge first undoes, in the fast copies, the merging of locals that flattening's
    // coalescing did for the frames' sake (UnwindRewind has laid the frames out by now): where
    // locals are merged, the default passes cannot sink a value into its one use. crc32's
    // slicing loop kept one of its table loads in a local of its own and ran at 1.08-1.13x
    // under lean, 1.01-1.04x with the split (interleaved A/B runs; over the suite, run time
    // unchanged within noise, code 0.3% smaller, instrumentation 12-25% slower).
    // In a huge function, ssa-nomerge may make tens of thousands of locals again, which the
    // default optimizations' coalesce-locals would take minutes to merge: there, they are
    // merged at once (createCoalesceManyLocalsPass, a no-op on functions of fewer locals).
    // Functions of kNoSsaExpressions or more skip it: ssa-nomerge builds Binaryen's LocalGraph,
    // whose time grows about 5x per doubling of such a function (a generated function of 41,000
    // expressions: 5.7 s of CPU, most of its instrumentation), while the bench programs' largest
    // function (SQLite's) has 25,910 expressions and keeps it. They also get -O2's default
    // optimizations at most: -O3's start with ssa-nomerge and add precompute-propagate,
    // merge-locals and local-cse, which build LocalGraphs too (a generated function of 10,000
    // blocks: 9.5 s in this stage at -O3, 2.4 s at -O2).
    // SpliceBlocks first: the transformation wraps each resume point's code in a nameless block,
    // which the default passes' merge-blocks would merge into the body one at a time, copying the
    // body's whole list into the arena each time (a generated function of 10,000 blocks: 970 MB
    // of memory, 140 MB with SpliceBlocks).
    Pipeline fast{{createSpliceBlocksPass, "ssa-nomerge", createCoalesceManyLocalsPass}, true}, fastNoSsa{{createSpliceBlocksPass}, true, false, 2},
        rewind{{"simplify-locals-nostructure", "vacuum", createCoalesceManyLocalsPass, "coalesce-locals", "reorder-locals", "vacuum"},
               false};
    std::map<Name, const Pipeline*> pipelines;
    for (auto& f : selection.functions) {
      if (f.instrumented) pipelines[Name(f.irName)] = f.expressions >= kNoSsaExpressions ? &fastNoSsa : &fast;
    }
    for (auto& [_, copy] : plan.rewindCopies) pipelines[copy] = &rewind;
    runOnFunctions(module, pipelines, options.optimizeLevel);
    clock.finished("optimize");
  }

  {
    PassRunner runner(&module);
    runner.setIsNested(true);
    runner.add(createCountHostCallsPass());
    runner.run();
  }
  if (options.optimizeLevel >= 2) {
    // After the last change to a function (its time includes CountHostCalls', one walk): Lua's
    // and SQLite's lean Code sections 0.9-1.1% smaller; with LinearStackIR, 0.9 s of SQLite's
    // 31 s on a loaded machine (load 6 on 2 cores), where Binaryen's own pass took 5.2 s.
    // Binaryen's own pass only at -O3, where it also keeps values on the stack instead of locals,
    // and only on functions of fewer than kLocalGraphExpressions: it builds a LocalGraph (a
    // generated function of 10,000 blocks, about 160,000 expressions before instrumentation: 103 s
    // and 5 GB).
    // Then the threaded calls' tuple locals are split (SplitTupleLocals), and the unwind exits
    // pass their resume point ids as branch values (CarryResumeIds).
    Pipeline linear{{"generate-stack-ir", createLinearStackIRPass, createSplitTupleLocalsPass, createCarryResumeIdsPass}, false, true},
        binaryen{{"generate-stack-ir", "optimize-stack-ir", createSplitTupleLocalsPass, createCarryResumeIdsPass}, false, true};
    std::map<Name, const Pipeline*> pipelines;
    for (auto& func : module.functions) {
      if (func->imported()) continue;
      bool small = options.optimizeLevel >= 3 && Measurer::measure(func->body) < kLocalGraphExpressions;
      pipelines[func->name] = small ? &binaryen : &linear;
    }
    runOnFunctions(module, pipelines, options.optimizeLevel);
    clock.finished("stack-ir");
  }

  // Frame records name functions by ordinal; the metadata maps ordinals to final indices.
  std::map<Name, uint32_t> indices;
  uint32_t next = 0;
  for (auto& func : module.functions) {
    if (func->imported()) indices[func->name] = next++;
  }
  for (auto& func : module.functions) {
    if (!func->imported()) indices[func->name] = next++;
  }
  std::map<Name, std::string> shownNames;
  for (auto& f : selection.functions) shownNames[Name(f.irName)] = f.name;
  std::vector<FrameLayout> layouts;
  for (size_t i = 0; i < frames.size(); i++) {
    layouts.push_back(std::move(frames[i].layout));
    layouts[i].name = shownNames[plan.ordered[i]];
    layouts[i].functionIndex = indices[plan.ordered[i]];
    auto copy = plan.rewindCopies.find(plan.ordered[i]);
    if (copy != plan.rewindCopies.end()) layouts[i].rewindIndex = indices.at(copy->second);
    auto& points = layouts[i].resumePoints;
    report.resumePoints += uint32_t(points.size());
    for (size_t j = 0; j < points.size(); j++) {
      if (points[j].kind == ResumeKind::Call) points[j].callee = indices.at(frames[i].callees[j]);
      report.pollPoints += points[j].kind == ResumeKind::Poll;
    }
  }
  report.instrumentedFunctions = uint32_t(layouts.size());
  std::set<Name> rewindCopies;
  for (auto& [_, copy] : plan.rewindCopies) rewindCopies.insert(copy);
  std::vector<uint32_t> restoreOnly;
  for (auto name : restoreOnlyFunctions(module, rewindCopies)) {
    if (!rewindCopies.count(name)) restoreOnly.push_back(indices.at(name));
  }
  std::sort(restoreOnly.begin(), restoreOnly.end());

  // Debug information no longer describes the rewritten code (and Binaryen writes no
  // multi-value code while it is there).
  auto& sections = module.userSections;
  auto debug = std::remove_if(sections.begin(), sections.end(),
                              [](const wasm::UserSection& s) { return s.name.rfind(".debug_", 0) == 0; });
  if (debug != sections.end())
    report.warnings.push_back("the module's DWARF debug information (" + std::to_string(sections.end() - debug) +
                              " .debug_* sections) is dropped: it would no longer describe the rewritten code");
  sections.erase(debug, sections.end());
  validateModule(module, "internal error: the instrumented module");
  setModuleHash(module, 0);
  report.moduleHash = fingerprint(writeModuleBinary(module));
  setModuleHash(module, report.moduleHash);

  ModuleMetadata metadata;
  metadata.moduleHash = report.moduleHash;
  metadata.strategy = strategyName(options.strategy);
  metadata.functions = std::move(layouts);
  metadata.restoreOnly = std::move(restoreOnly);
  metadata.globals = injected.savedGlobals;
  metadata.runtime = locateRuntime(module);
  metadata.memoryLimitPages = injected.memoryLimitPages;
  metadata.provenance = {kToolVersion,          options.sourceHash,       options.optimizeLevel,
                         options.rewindCopies, options.hugeFunctionSize, options.pollFreeWork,
                         options.functions,    options.exclude};
  metadata.storeInto(module);
  clock.finished("validate+describe");
  return report;
}

} // namespace wasm_ckpt
