// Which functions get poll points and unwind/rewind code, and why: computed before any change
// to the module, used by the instrumentation pipeline and shown by `wasm-ckpt plan`.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "wasm-type.h"

#include "wasm_ckpt/options.h"

namespace wasm {
class Function;
class Module;
}

namespace wasm_ckpt {

struct CallWork;  // analysis/loop_bounds.h
struct LoopPolls; // analysis/loop_bounds.h

// How an instrumented function is instrumented (InstrumentOptions::rewindCopies).
enum class Copies {
  FastAndRewind, // a fast copy without rewind guards, and a rewind copy entered only to rewind
  Guarded,       // one copy, the rewind guards on its normal path: about half the code
};
inline const char* copiesName(Copies copies) { return copies == Copies::Guarded ? "guarded" : "fast+rewind"; }

struct FunctionPlan {
  std::string name;            // as shown to users (displayName)
  std::string irName;          // Binaryen's name for it
  std::vector<std::string> exports;
  uint32_t index = 0;          // function index in the input module
  bool selected = false;       // chosen by --functions / --exclude
  bool recursive = false;      // in a call-graph cycle (indirect calls included)
  bool instrumented = false;   // carries unwind/rewind code
  bool entryPoll = false;
  uint32_t loopPolls = 0;
  uint32_t pollFreeLoops = 0;  // lean: short counted loops left without a poll (loop_bounds.h)
  uint32_t callPolledLoops = 0; // lean: loops without a poll whose every iteration calls a function polling at entry
  uint32_t chunkedLoops = 0;   // lean: polled loops that poll once per chunk of iterations (loop_bounds.h)
  uint32_t unrolledLoops = 0;  // lean: polled loops that poll once every two iterations (loop_bounds.h)
  uint32_t unwindingCalls = 0; // calls that may unwind (resume points besides polls)
  uint32_t expressions = 0;    // instrumented functions: Binaryen expressions in the input
  bool huge = false;           // instrumented in the form that adds fewer registers (InstrumentOptions)
  // Instrumented functions: loops holding a resume point besides their own header poll (a call
  // that may unwind, a polled loop inside): a guarded copy would test guards in every iteration.
  uint32_t guardedLoops = 0;
  Copies copies = Copies::FastAndRewind; // instrumented functions
  std::string copiesReason;              // why `copies`
  std::string reason;
  // Selected functions: where their polls go and what each counts for (analysis/loop_bounds.h),
  // the loops being those of the planned module. The instrumentation places exactly these.
  std::shared_ptr<const LoopPolls> polls;
};

struct InstrumentationPlan {
  Strategy strategy = Strategy::Full;
  std::vector<FunctionPlan> functions; // defined functions, in module order
  // call_indirect signatures whose possible targets include an instrumented function: such calls
  // are resume points.
  std::unordered_set<wasm::HeapType> unwindingSignatures;
  // lean: what calls count for in the work between two polls (analysis/loop_bounds.h), which the
  // instrumentation needs to place the same polls.
  std::shared_ptr<const CallWork> callWork;
};

// The function's name from the name section, or "func[INDEX]" when it has none (Binaryen then
// numbers functions by itself, which would mislead).
std::string displayName(const wasm::Function& func, uint32_t index);

// Throws Error for a pattern that matches no function, naming the closest names.
InstrumentationPlan planInstrumentation(wasm::Module& module, const InstrumentOptions& options);
std::string describePlan(const InstrumentationPlan& plan, bool json);

} // namespace wasm_ckpt
