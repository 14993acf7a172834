// src/batch/: one module from file to file (what it records in the module and reports), output
// names and their refusals, how many modules run at once and with how many Binaryen threads.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "common/error_of.h"
#include "common/test_modules.h"
#include "wasm_ckpt/batch.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/hash.h"
#include "wasm_ckpt/metadata.h"

using namespace wasm_ckpt;
namespace fs = std::filesystem;

namespace {
struct TempDir {
  fs::path path = fs::temp_directory_path() / ("wasm_ckpt_batch_test_" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

using test::errorOf;

const char* const kLoop = R"((memory 1)
  (func $f (param $n i32) (result i32) (local $i i32)
    (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i)))";
} // namespace

TEST(Batch, InstrumentFileRecordsProvenanceAndSeal) {
  TempDir dir;
  auto input = dir.write("loop.wat", test::withStart(kLoop));
  auto output = (dir.path / "loop.wasm").string();
  InstrumentOptions options = test::leanOptions();
  options.optimizeLevel = 1;
  options.exclude = {"_st*"};
  auto file = instrumentFile(input, output, options);
  auto inputBytes = readFileBytes(input), outputBytes = readFileBytes(output);
  EXPECT_EQ(file.inputHash, fingerprint(inputBytes));
  EXPECT_EQ(file.outputHash, fingerprint(outputBytes));
  EXPECT_GT(file.inputCodeSize, 0u);
  EXPECT_GT(file.outputCodeSize, file.inputCodeSize);
  EXPECT_EQ(file.report.instrumentedFunctions, 1u); // $f; _start is excluded
  auto metadata = ModuleMetadata::fromModule(*readModule(output));
  ASSERT_TRUE(metadata);
  auto& made = metadata->provenance;
  EXPECT_EQ(metadata->strategy, "lean");
  EXPECT_EQ(made.sourceHash, file.inputHash);
  EXPECT_EQ(made.optimizeLevel, 1u);
  EXPECT_EQ(made.rewindCopies, RewindCopies::All);
  EXPECT_EQ(made.exclude, std::vector<std::string>{"_st*"});
  EXPECT_EQ(made.contentHash, contentHash(outputBytes));
  EXPECT_EQ(made.toolVersion, WASM_CKPT_VERSION);
}

TEST(Batch, InstrumentFileNamesTheInputOfARefusal) {
  TempDir dir;
  auto input = dir.write("bad.wat", "(module (func $f (result i32) (i64.const 1)))");
  auto output = (dir.path / "bad.wasm").string();
  EXPECT_NE(errorOf([&] { instrumentFile(input, output, {}); }).find(input + ": invalid module"), std::string::npos);
  EXPECT_FALSE(fs::exists(output));
}

TEST(Batch, OutputNames) {
  auto jobs = assignOutputs({"a/x.wasm", "b/y.wat", "c/z"}, "out", ".ckpt");
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].output, "out/x.ckpt.wasm");
  EXPECT_EQ(jobs[1].output, "out/y.ckpt.wasm");
  EXPECT_EQ(jobs[2].output, "out/z.ckpt.wasm");
  EXPECT_EQ(assignOutputs({"a/x.wasm"}, "out", "")[0].output, "out/x.wasm");
  EXPECT_NE(errorOf([] { assignOutputs({"a/x.wasm", "b/x.wat"}, "out", ""); }).find("b/x.wat and a/x.wasm would both be written to out/x.wasm"),
            std::string::npos);
  EXPECT_NE(errorOf([] { assignOutputs({"a/x.wasm"}, "a", ""); }).find("a/x.wasm: its output a/x.wasm would replace an input"),
            std::string::npos);
}

TEST(Batch, InputsFromListsDirectoriesAndGlobs) {
  TempDir dir;
  auto a = dir.write("a.wasm", ""), b = dir.write("b.wat", ""), c = dir.write("c.txt", "");
  auto list = dir.write("list.txt", "# comment\n\n  " + b + "  \n");
  EXPECT_EQ(expandInputs({dir.path.string()}), (std::vector<std::string>{a, b}));
  EXPECT_EQ(expandInputs({"@" + list, (dir.path / "*.wasm").string()}), (std::vector<std::string>{b, a}));
  EXPECT_NE(errorOf([&] { expandInputs({a, a}); }).find("named twice"), std::string::npos);
  EXPECT_NE(errorOf([&] { expandInputs({(dir.path / "*.none").string()}); }).find("no file matches"), std::string::npos);
  EXPECT_NE(errorOf([&] { expandInputs({"-"}); }).find("cannot read a module from standard input"), std::string::npos);
  EXPECT_NE(errorOf([&] { expandInputs({"@" + (dir.path / "none").string()}); }).find("cannot read the module list"), std::string::npos);
  fs::create_directories(dir.path / "empty");
  EXPECT_NE(errorOf([&] { expandInputs({(dir.path / "empty").string()}); }).find("holds no .wasm or .wat file"), std::string::npos);
}

TEST(Batch, ParallelismKeepsModulesTimesThreadsWithinTheCores) {
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  EXPECT_EQ(batchParallelism(0, 100).first, cores);
  EXPECT_EQ(batchParallelism(4, 2), std::make_pair(2u, std::max(1u, cores / 2)));
  EXPECT_EQ(batchParallelism(1, 20), std::make_pair(1u, cores));
  auto [jobs, threads] = batchParallelism(3, 20);
  EXPECT_EQ(jobs, 3u);
  EXPECT_LE(jobs * threads, std::max(cores, jobs));
  EXPECT_GE(threads, 1u);
}

TEST(Batch, WorkerArgumentsCarryEveryOption) {
  InstrumentOptions options;
  options.strategy = Strategy::Lean;
  options.optimizeLevel = 3;
  options.rewindCopies = RewindCopies::None;
  options.hugeFunctionSize = 7;
  options.functions = {"main", "f*"};
  options.exclude = {"g"};
  EXPECT_EQ(instrumentArguments(options),
            (std::vector<std::string>{"--strategy=lean", "--optimize=3", "--huge-function-size=7", "--rewind-copies=none",
                                      "--functions=main", "--functions=f*", "--exclude=g"}));
  options.pollFreeWork = 1;
  EXPECT_NE(errorOf([&] { instrumentArguments(options); }).find("poll-free work"), std::string::npos);
}
