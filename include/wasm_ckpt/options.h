// What the instrumentation is asked to do: the strategy and the options of `instrument` and
// `plan`. Below the plan (plan.h) and the analyses, which read them, and the pipeline
// (instrument.h), which runs them.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace wasm_ckpt {

// full: poll points at every function entry and loop header, every local saved: robust.
// lean: poll points at loop headers and recursive functions' entries, polls that leave hot loops
// only through a cold exit, only live locals saved: low overhead while no checkpoint is taken.
enum class Strategy { Full, Lean };

// Which instrumented functions get a rewind copy (design.md: "Two copies of each instrumented
// function"). all: every one, so the code that runs normally carries no rewind guard; auto: those
// whose guards would run often (the plan's choice, FunctionPlan::copies); none: one guarded
// copy of each, the least code; stored: every one, as with all, but kept out of the Code section
// (in the "wasm-ckpt.rewind" custom section, which engines do not compile) until `wasm-ckpt
// resume` puts back those a snapshot's frames need (src/io/rewind_store.h). The module then
// restores only through `resume`: neither WASM_CKPT_RESTORE nor WASM_CKPT_CONTINUE.
enum class RewindCopies { All, Auto, None, Stored };
inline const char* rewindCopiesName(RewindCopies copies) {
  switch (copies) {
    case RewindCopies::All: return "all";
    case RewindCopies::Auto: return "auto";
    case RewindCopies::None: return "none";
    case RewindCopies::Stored: return "stored";
  }
  return "?";
}

// 2^20 Binaryen expressions take about a millisecond on a current core, well under the stop
// latency budget.
constexpr uint64_t kDefaultPollFreeWork = uint64_t(1) << 20;
inline const char* strategyName(Strategy strategy) {
  switch (strategy) {
    case Strategy::Full: return "full";
    case Strategy::Lean: return "lean";
  }
  return "?";
}

// V8 compiles a function with more than 8192 virtual registers with a simpler register
// allocator that keeps most values in memory, and instrumentation can nearly double a
// function's count: three of SQLite's functions (13,600-17,100 expressions) and one of bzip2's
// (11,400) fell to that allocator only once instrumented, while none below 10,000 did. Functions
// from this many expressions up are instrumented in a form that adds fewer registers (see
// UnwindRewindPlan::huge).
constexpr uint32_t kDefaultHugeFunctionSize = 10000;

struct InstrumentOptions {
  Strategy strategy = Strategy::Full;
  // Where poll points go: patterns matching function names (name section), export names or
  // function indices, with * and ? globs. Empty means every function. Functions on call paths
  // to a selected function are instrumented too, so that the stack can be captured.
  std::vector<std::string> functions;
  std::vector<std::string> exclude;
  // Binaryen optimization level applied to instrumented functions after the transformation.
  unsigned optimizeLevel = 2;
  // Which instrumented functions get a second copy that rewinds their frames, so that the copy
  // that runs normally carries no rewind guards: faster, but more code. auto is not the default:
  // its guarded functions lose the threaded countdown, and Lua ran slower (limits.md).
  RewindCopies rewindCopies = RewindCopies::All;
  // lean: the work, in Binaryen expressions evaluated, that a loop nest may do between two
  // polls: short counted loops within it go without a poll, and chunked loops poll once per
  // chunk of that much work. Less means a shorter stop latency and more polls.
  uint64_t pollFreeWork = kDefaultPollFreeWork;
  // Instrumented functions of at least this many Binaryen expressions (before any change) are
  // huge: their polls' slow paths stay in their loops and the countdown stays in memory. 0: all.
  uint32_t hugeFunctionSize = kDefaultHugeFunctionSize;
  // Recorded in the wasm-ckpt section with the options above (Provenance): fingerprint() of the
  // original module's bytes, which `wasm-ckpt check --source` compares. 0: not recorded.
  uint64_t sourceHash = 0;
};

} // namespace wasm_ckpt
