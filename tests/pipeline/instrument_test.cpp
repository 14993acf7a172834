// The instrumentation pipeline (src/pipeline/instrument.cpp) on small text modules: valid and
// deterministic output, the metadata it records, unusual but legal modules, and what it leaves
// alone.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "wasm-traversal.h"
#include "wasm.h"

#include "common/error_of.h"
#include "common/test_modules.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/instrument.h"
#include "wasm_ckpt/metadata.h"
#include "wasm_ckpt/module_io.h"
#include "wasm_ckpt/plan.h"
#include "runtime/runtime_names.h"

using namespace wasm_ckpt;
using test::errorOf;
using test::parseText;
using test::withStart;

namespace {
// A WASI-shaped program: memory, a mutable global, recursion, a loop, a call through a table.
const char* kProgram = R"((module
  (type $unary (func (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory 1)
  (table 1 1 funcref)
  (elem (i32.const 0) $double)
  (global $counter (mut i32) (i32.const 0))
  (global $total (mut i64) (i64.const 0))
  (global $limit i32 (i32.const 10))
  (func $double (param $x i32) (result i32)
    (i32.add (local.get $x) (local.get $x)))
  (func $fib (param $n i32) (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func $sum (param $n i32) (result i64) (local $i i32) (local $acc i64) (local $f f64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i64.add (local.get $acc)
          (i64.extend_i32_u (call_indirect (type $unary) (local.get $i) (i32.const 0)))))
        (local.set $f (f64.add (local.get $f) (f64.const 0.5)))
        (i32.store (i32.const 1024) (local.get $i))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  (func $_start
    (global.set $total (call $sum (call $fib (global.get $limit))))
    (call $proc_exit (i32.const 0)))
  (export "memory" (memory 0))
  (export "_start" (func $_start)))
)";
const std::vector<std::string> kDefinedFunctions = {"double", "fib", "sum", "_start"};

struct Instrumented {
  std::unique_ptr<wasm::Module> module;
  InstrumentReport report;
  std::vector<char> binary;
};

Instrumented instrument(const std::string& text, unsigned optimizeLevel = 2) {
  Instrumented out;
  out.module = parseText(text);
  validateModule(*out.module, "input");
  InstrumentOptions options;
  options.optimizeLevel = optimizeLevel;
  out.report = instrumentModule(*out.module, options);
  out.binary = writeModuleBinary(*out.module);
  return out;
}

} // namespace

TEST(Instrument, OutputValidates) {
  for (unsigned level : {0u, 1u, 2u, 3u}) {
    SCOPED_TRACE("-O" + std::to_string(level));
    auto result = instrument(kProgram, level);
    EXPECT_NO_THROW(validateModule(*result.module, "instrumented"));
    // And the binary reads back and validates.
    auto back = readModuleFromBytes(result.binary, "instrumented.wasm");
    EXPECT_NO_THROW(validateModule(*back, "instrumented.wasm"));
    ASSERT_NE(back->getExportOrNull("_start"), nullptr);
    EXPECT_EQ(back->getExportOrNull("_start")->kind, wasm::ExternalKind::Function);
  }
}

TEST(Instrument, Deterministic) {
  auto a = instrument(kProgram);
  auto b = instrument(kProgram);
  EXPECT_EQ(a.report.moduleHash, b.report.moduleHash);
  EXPECT_TRUE(a.binary == b.binary) << "instrumenting the same input twice gave different bytes";
  auto c = instrument(kProgram, 0);
  auto d = instrument(kProgram, 0);
  EXPECT_TRUE(c.binary == d.binary) << "at -O0";
}

TEST(Instrument, ModuleHashDependsOnTheInput) {
  auto a = instrument(kProgram);
  std::string other = kProgram;
  other.replace(other.find("(i32.const 10)"), 14, "(i32.const 11)");
  auto b = instrument(other);
  EXPECT_NE(a.report.moduleHash, 0u);
  EXPECT_NE(a.report.moduleHash, b.report.moduleHash);
}

TEST(Instrument, Report) {
  auto result = instrument(kProgram);
  EXPECT_EQ(result.report.instrumentedFunctions, kDefinedFunctions.size());
  // One poll per function entry and one per loop header, at least.
  EXPECT_GE(result.report.pollPoints, kDefinedFunctions.size() + 1);
  EXPECT_GT(result.report.resumePoints, result.report.pollPoints); // the calls are resume points too
  EXPECT_TRUE(result.report.warnings.empty());
}

TEST(Instrument, ReportsTimeByStage) {
  std::vector<std::string> expected = {"plan", "polls", "flatten", "unwind-rewind", "optimize", "stack-ir", "validate+describe"};
  std::vector<std::string> stages;
  double sum = 0;
  auto started = std::chrono::steady_clock::now();
  auto report = instrument(kProgram).report;
  double whole = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (auto& [stage, seconds] : report.stageSeconds) {
    stages.push_back(stage);
    sum += seconds;
  }
  EXPECT_EQ(stages, expected);
  // The stages are timed, and follow one another: together they take no longer than the whole call.
  EXPECT_GT(sum, 0.0);
  EXPECT_LE(sum, whole);
  for (auto* optimizing : {"optimize", "stack-ir"}) expected.erase(std::find(expected.begin(), expected.end(), optimizing));
  stages.clear();
  for (auto& [stage, _] : instrument(kProgram, 0).report.stageSeconds) stages.push_back(stage);
  EXPECT_EQ(stages, expected) << "-O0 runs no optimization stage";
}

// Flattening shrinks its locals at every level: -O only changes the code optimized after the
// transformation, so every level saves the same frames.
TEST(Instrument, FramesDoNotDependOnTheOptimizationLevel) {
  auto frames = [](unsigned level) {
    auto metadata = ModuleMetadata::fromModule(*instrument(kProgram, level).module);
    std::vector<std::vector<ValueKind>> locals;
    for (auto& layout : metadata->functions) locals.push_back(layout.locals);
    return locals;
  };
  auto optimized = frames(2);
  for (unsigned level : {0u, 1u, 3u}) EXPECT_EQ(frames(level), optimized) << "-O" << level;
  // $sum's frame: its parameter and a few of the locals flattening made, not one per value.
  EXPECT_LE(optimized[2].size(), 8u);
}

TEST(Instrument, MetadataSection) {
  auto result = instrument(kProgram);
  auto metadata = ModuleMetadata::fromModule(*result.module);
  ASSERT_TRUE(metadata.has_value());
  EXPECT_EQ(metadata->moduleHash, result.report.moduleHash);
  EXPECT_EQ(metadata->strategy, "full");

  // One FrameLayout per defined function of the input, in order, each with resume points.
  ASSERT_EQ(metadata->functions.size(), kDefinedFunctions.size());
  uint32_t resumePoints = 0;
  for (size_t i = 0; i < kDefinedFunctions.size(); i++) {
    auto& layout = metadata->functions[i];
    EXPECT_EQ(layout.name, kDefinedFunctions[i]);
    EXPECT_GT(layout.resumePoints.size(), 0u) << layout.name;
    resumePoints += uint32_t(layout.resumePoints.size());
  }
  EXPECT_EQ(resumePoints, result.report.resumePoints);
  // $sum keeps its parameter and its i32, i64 and f64 locals in its frame.
  std::multiset<ValueKind> sumKinds(metadata->functions[2].locals.begin(), metadata->functions[2].locals.end());
  EXPECT_GE(sumKinds.count(ValueKind::I64), 1u);
  EXPECT_GE(sumKinds.count(ValueKind::F64), 1u);

  // The program's mutable globals are saved (the immutable one is not).
  std::set<std::string> saved;
  for (auto& g : metadata->globals) saved.insert(g.name);
  EXPECT_TRUE(saved.count("counter"));
  EXPECT_TRUE(saved.count("total"));
  EXPECT_FALSE(saved.count("limit"));
  for (auto& g : metadata->globals) {
    ASSERT_LT(g.index, result.module->globals.size()) << g.name;
    EXPECT_EQ(std::string(result.module->globals[g.index]->name.str), g.name);
    if (g.name == "total") EXPECT_EQ(g.kind, ValueKind::I64);
  }

  // The section survives the binary, and its function indices name the right functions there.
  auto back = readModuleFromBytes(result.binary, "instrumented.wasm");
  auto reread = ModuleMetadata::fromModule(*back);
  ASSERT_TRUE(reread.has_value());
  EXPECT_EQ(reread->serialize(), metadata->serialize());
  for (auto& layout : reread->functions) {
    ASSERT_LT(layout.functionIndex, back->functions.size()) << layout.name;
    EXPECT_EQ(std::string(back->functions[layout.functionIndex]->name.str), layout.name);
  }
}

TEST(Instrument, WarnsWithoutStart) {
  auto result = instrument(R"((module (memory 1)
    (func $f (param i32) (result i32) (local.get 0))
    (export "f" (func $f))))");
  ASSERT_EQ(result.report.warnings.size(), 1u);
  EXPECT_NE(result.report.warnings[0].find("_start"), std::string::npos) << result.report.warnings[0];
  EXPECT_NO_THROW(validateModule(*result.module, "instrumented"));
}

TEST(Instrument, AlreadyInstrumented) {
  auto result = instrument(kProgram);
  try {
    instrumentModule(*result.module, InstrumentOptions{});
    FAIL() << "instrumented twice";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("already instrumented"), std::string::npos) << e.what();
  }
  // Also when read back from its binary.
  auto back = readModuleFromBytes(result.binary, "instrumented.wasm");
  EXPECT_EQ(errorOf([&] { instrumentModule(*back, InstrumentOptions{}); }), "the module is already instrumented by wasm-ckpt");
}

TEST(Instrument, AlreadyInstrumentedWithoutMetadataSection) {
  // Custom sections get stripped by tools; the run-time code is still in the module. Run in a
  // child process: Binaryen's Fatal() (a name clash while injecting the run-time code a second
  // time) exits the process instead of throwing.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto result = instrument(kProgram);
  EXPECT_EXIT(
      {
        auto back = readModuleFromBytes(result.binary, "instrumented.wasm");
        back->userSections.clear();
        try {
          instrumentModule(*back, InstrumentOptions{});
        } catch (const Error& e) {
          std::_Exit(std::string(e.what()).find("already instrumented") != std::string::npos ? 42 : 43);
        }
        std::_Exit(0);
      },
      testing::ExitedWithCode(42), "")
      << "expected Error(\"...already instrumented...\")";
}

// Unusual but legal modules, refused with exactly this one-line Error. Run in a child process
// because Binaryen's Fatal() exits instead of throwing: the child exits 0 only if the refusal
// came with `message`, and prints what happened otherwise.
void expectRefused(const std::string& text, const std::string& message) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        try {
          auto module = parseText(text);
          instrumentModule(*module, InstrumentOptions{});
          std::fprintf(stderr, "instrumented, not refused\n");
          std::_Exit(1);
        } catch (const Error& e) {
          std::fprintf(stderr, "%s\n", e.what());
          std::_Exit(e.what() == message ? 0 : 1);
        }
      },
      [](int status) { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }, "")
      << text;
}

TEST(Instrument, ZeroPageMemory) {
  expectRefused("(module (memory 0 10) (func $_start) (export \"_start\" (func $_start)))",
                "unsupported: memory with an initial size of 0 pages (the run-time code needs one page at start-up)");
}

TEST(Instrument, StartWithOtherSignature) {
  expectRefused("(module (memory 1) (func $_start (result i32) (i32.const 3)) (export \"_start\" (func $_start)))",
                "_start has type (func (result i32)); a WASI command's _start takes and returns nothing");
  expectRefused("(module (memory 1) (func $_start (param i32)) (export \"_start\" (func $_start)))",
                "_start has type (func (param i32)); a WASI command's _start takes and returns nothing");
}

TEST(Instrument, NamesOfTheRuntimeInTheInput) {
  expectRefused("(module (memory 1) (func $wasm_ckpt$frame_read) (func $_start (call $wasm_ckpt$frame_read))"
                " (export \"_start\" (func $_start)))",
                "function name 'wasm_ckpt$frame_read' is reserved for wasm-ckpt's run-time code");
}

TEST(Instrument, NoMemory) {
  auto result = instrument("(module (func $_start) (export \"_start\" (func $_start)))");
  EXPECT_NO_THROW(validateModule(*result.module, "instrumented"));
}

namespace {

// Whether `func` contains memory.grow and memory.size instructions, and whether it calls `target`.
struct MemoryUse {
  bool grows = false, sizes = false, calls = false;
};
MemoryUse memoryUse(wasm::Function* func, const char* target) {
  struct Finder : wasm::PostWalker<Finder> {
    wasm::Name target;
    MemoryUse use;
    void visitMemoryGrow(wasm::MemoryGrow*) { use.grows = true; }
    void visitMemorySize(wasm::MemorySize*) { use.sizes = true; }
    void visitCall(wasm::Call* curr) { use.calls = use.calls || curr->target == target; }
  } finder;
  finder.target = wasm::Name(target);
  finder.walk(func->body);
  return finder.use;
}
} // namespace

// A checkpoint grows memory past the program's pages to write the snapshot, and a run that
// continues after it must not see those pages: a declared maximum is lifted, and the program's
// memory.grow and memory.size go through the run-time code, which keeps the limit and the
// program's own size.
TEST(Instrument, VirtualizesTheProgramsMemorySizeAndKeepsItsLimit) {
  const char* grow = "(func $grow (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))"
                     "(func $size (export \"size\") (result i32) (memory.size))";
  auto bounded = instrument(withStart(std::string("(memory 1 4) ") + grow));
  EXPECT_FALSE(bounded.module->memory.hasMax());
  auto use = memoryUse(bounded.module->getFunction("grow"), "wasm_ckpt$grow_memory");
  EXPECT_FALSE(use.grows);
  EXPECT_TRUE(use.calls);
  use = memoryUse(bounded.module->getFunction("size"), "wasm_ckpt$memory_size");
  EXPECT_FALSE(use.sizes);
  EXPECT_TRUE(use.calls);
  EXPECT_TRUE(memoryUse(bounded.module->getFunction("wasm_ckpt$grow_memory"), "").grows); // its own grow stays

  auto unbounded = instrument(withStart(std::string("(memory 1) ") + grow));
  EXPECT_TRUE(memoryUse(unbounded.module->getFunction("grow"), "wasm_ckpt$grow_memory").calls);
  EXPECT_FALSE(memoryUse(unbounded.module->getFunction("grow"), "").grows);

  // An imported memory's maximum is its host's to give; its size is the program's all the same.
  auto imported = instrument(withStart(std::string("(import \"env\" \"memory\" (memory 1 4)) ") + grow));
  EXPECT_TRUE(imported.module->memory.hasMax());
  EXPECT_EQ(imported.module->memory.max, 4u);
  EXPECT_TRUE(memoryUse(imported.module->getFunction("size"), "wasm_ckpt$memory_size").calls);
  ASSERT_EQ(imported.report.warnings.size(), 1u);
  EXPECT_NE(imported.report.warnings[0].find("imports its memory with a maximum"), std::string::npos);
  EXPECT_TRUE(bounded.report.warnings.empty());
}

namespace {
size_t countExpressions(wasm::Expression* root) {
  struct Counter : wasm::PostWalker<Counter, wasm::UnifiedExpressionVisitor<Counter>> {
    size_t count = 0;
    void visitExpression(wasm::Expression*) { count++; }
  } counter;
  counter.walk(root);
  return counter.count;
}
} // namespace

TEST(Instrument, LeanLeavesUninstrumentedFunctionsAlone) {
  auto module = test::parseCallGraphProgram();
  auto before = countExpressions(module->getFunction("leaf")->body);
  instrumentModule(*module, test::leanOptions());
  EXPECT_EQ(countExpressions(module->getFunction("leaf")->body), before);
}

// The pipeline makes a rewind copy for exactly the functions the plan gives one; only those
// (fast copies) may take the countdown as a parameter.
TEST(Instrument, RewindCopiesWhereThePlanSays) {
  auto module = test::parseText(test::copiesProgram());
  auto options = test::leanOptions();
  options.rewindCopies = RewindCopies::Auto;
  auto plan = planInstrumentation(*module, options);
  instrumentModule(*module, options);
  size_t guarded = 0;
  for (auto& f : plan.functions) {
    if (!f.instrumented) continue;
    bool copied = module->getFunctionOrNull(runtime::rewindCopyName(wasm::Name(f.irName))) != nullptr;
    EXPECT_EQ(copied, f.copies == Copies::FastAndRewind) << f.name;
    guarded += f.copies == Copies::Guarded;
    // $large, guarded, is only called directly, but keeps its signature: a guarded copy rewinds too.
    if (f.copies == Copies::Guarded) EXPECT_EQ(module->getFunction(f.irName)->getParams().size(), 1u) << f.name;
  }
  EXPECT_EQ(guarded, 1u);
  // $work is threaded: its fast copy takes the countdown as a last parameter.
  EXPECT_EQ(module->getFunction("work")->getParams().size(), 2u);
}

TEST(Instrument, LeanDeterministic) {
  auto a = test::parseCallGraphProgram(), b = test::parseCallGraphProgram();
  instrumentModule(*a, test::leanOptions());
  instrumentModule(*b, test::leanOptions());
  EXPECT_EQ(writeModuleBinary(*a), writeModuleBinary(*b));
}
