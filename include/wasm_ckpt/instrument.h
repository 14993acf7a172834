// The instrumentation pipeline: from an input module to one that can checkpoint and restore.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace wasm {
class Module;
}

namespace wasm_ckpt {

// full: poll points at every function entry and loop header, every local saved: robust.
// lean: poll points at loop headers and recursive functions' entries, polls that leave hot loops
// only through a cold exit, only live locals saved: low overhead while no checkpoint is taken.
enum class Strategy { Full, Lean };

// 2^20 Binaryen expressions take about a millisecond on a current core, well under the stop
// latency budget.
constexpr uint64_t kDefaultPollFreeWork = uint64_t(1) << 20;
const char* strategyName(Strategy strategy);

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
  // Each instrumented function gets a second copy that rewinds its frames, so that the copy that
  // runs normally carries no rewind guards: faster, but more code. Off: one guarded copy.
  bool separateRewindCopies = true;
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

struct InstrumentReport {
  uint32_t instrumentedFunctions = 0;
  uint32_t pollPoints = 0;
  uint32_t resumePoints = 0;
  uint64_t moduleHash = 0;
  std::vector<std::string> warnings;
  // Wall-clock seconds per pipeline stage, in order (what `instrument -v` reports): where the
  // time of a large module goes.
  std::vector<std::pair<std::string, double>> stageSeconds;
};

// Rewrites `module` in place. Throws Error for modules or features it cannot handle.
InstrumentReport instrumentModule(wasm::Module& module, const InstrumentOptions& options);

} // namespace wasm_ckpt
