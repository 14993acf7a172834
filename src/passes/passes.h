// The transformations of the instrumentation pipeline, in the order instrument.cpp runs them.
#pragma once
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "pass.h"
#include "wasm-builder.h"
#include "wasm.h"

#include "analysis/loop_bounds.h"
#include "wasm_ckpt/metadata.h"

namespace wasm_ckpt {

struct InstrumentationPlan; // wasm_ckpt/plan.h

// Throws Error naming the first feature (and function) the strategies cannot handle yet.
void checkSupported(wasm::Module& module);

// An Error raised on one of Binaryen's worker threads, where a function-parallel pass runs,
// would end the process: the pass records it here instead, and the pipeline throws it once the
// pass is done. Of several, the least message is kept, so that the same one is reported
// whatever order the threads ran in.
class WorkerErrors {
public:
  void record(const std::string& message) {
    std::lock_guard<std::mutex> lock(mutex);
    if (kept.empty() || message < kept) kept = message;
  }
  void rethrow() const;

private:
  mutable std::mutex mutex;
  std::string kept;
};

// Marks poll points: a poll marker at the entry and/or at the header of the given loops of the
// given functions. Chunked loops get theirs between chunks (ChunkLoops).
struct PollSites {
  bool entry = false;
  uint32_t entryWeight = 1;
  std::unordered_map<wasm::Loop*, uint32_t> loops; // the polled loops, and their poll's weight
  std::unordered_map<wasm::Loop*, ChunkedLoop> chunked; // some of `loops`: their poll comes between chunks
  std::unordered_set<wasm::Loop*> unrolled;              // some of `loops`, none chunked: two iterations per poll
};
// The poll sites of the plan (FunctionPlan::polls), by function, for ChunkLoops,
// UnrollPolledLoops and InsertPolls: the loops are those of the module as planned. Each pass
// checks that it found every loop it was given and records an internal error otherwise, so that
// a loop rebuilt by an earlier change cannot silently lose its poll.
struct PollPlacement {
  std::map<wasm::Name, PollSites> sites;
  WorkerErrors errors;
};
// Fills `placement` with the poll sites of the plan's instrumented functions.
void placePlannedPolls(const InstrumentationPlan& plan, PollPlacement& placement);
std::unique_ptr<wasm::Pass> createInsertPollsPass(PollPlacement* placement);

// A poll marker: a call to runtime::pollMarker() with the poll's weight (loop_bounds.h:
// pollWeight), a constant operand that flattening leaves in place. UnwindRewind expands it.
wasm::Expression* makePollMarker(wasm::Builder& builder, uint32_t weight);
// The weight of a poll marker.
int32_t pollMarkerWeight(wasm::Expression* marker);

// Runs the chunked loops in chunks, with a poll marker between two chunks. Runs before
// InsertPolls, which leaves chunked loops alone.
std::unique_ptr<wasm::Pass> createChunkLoopsPass(PollPlacement* placement);

// Runs the body of each loop in `unrolled` twice per trip around the loop (both iterations then
// share the poll InsertPolls puts at the header). Runs after ChunkLoops and before InsertPolls.
std::unique_ptr<wasm::Pass> createUnrollPolledLoopsPass(PollPlacement* placement);
// Records an internal error unless a pass found all `expected` loops it was given in `func`.
void checkLoopsFound(PollPlacement& placement, const char* pass, const wasm::Function& func, size_t found, size_t expected);

// Binaryen's coalesce-locals is quadratic in the number of locals (its matrices become hash maps
// past 8,192 locals): functions with at least kManyLocals locals get their locals merged first
// by this pass, in linear time, with the same analysis; it leaves smaller functions alone. Run
// it just before coalesce-locals.
constexpr wasm::Index kManyLocals = 8192;
std::unique_ptr<wasm::Pass> createCoalesceManyLocalsPass();
// The same from `manyLocals` locals on (the golden test's small functions).
std::unique_ptr<wasm::Pass> createCoalesceManyLocalsPass(wasm::Index manyLocals);

// Splices nameless blocks into their parent block in linear time (Binaryen's merge-blocks copies
// the parent's list per merged child, quadratic on a huge flat function). Run it before
// merge-blocks.
std::unique_ptr<wasm::Pass> createSpliceBlocksPass();
// Appends `items` to `out`, each nameless block among them that SpliceBlocks splices (one that
// holds something, has no dead code, and has a value only as the last of `items`) replaced by its
// own items, which are spliced the same way.
void appendSpliced(const wasm::ExpressionList& items, std::vector<wasm::Expression*>& out);

// Binaryen's optimize-stack-ir below -O3 (unreachable code and blocks nothing branches to
// removed from the Stack IR that generate-stack-ir made), in linear time.
std::unique_ptr<wasm::Pass> createLinearStackIRPass();

// In Stack IR, replaces each tuple local that is only set and read by tuple.extract by a local per
// value, so that the binary writer needs no scratch locals for it. Run it after optimize-stack-ir.
std::unique_ptr<wasm::Pass> createSplitTupleLocalsPass();

// In Stack IR, passes each unwind exit's resume point id to the epilogue as the value of its
// branch (`i32.const ID; COND; br_if; drop` instead of `COND; if; i32.const ID; local.set $rid;
// br; end`), $rid set once after the landing blocks. Run it after SplitTupleLocals.
std::unique_ptr<wasm::Pass> createCarryResumeIdsPass();

// Where a transformed function keeps the poll countdown (countdown.h).
enum class CountdownMode {
  Global,   // in the run-time code's global only
  Local,    // in a local copy, written back to the global around calls that may poll and returns
  Threaded, // Local, passed in as the last parameter and given back as the last result
};

// What UnwindRewind lays out for one function: its frame, shared by its rewind copy and its fast
// copy, and its resume points.
struct FunctionFrame {
  FrameLayout layout;              // for the metadata; the callee indices of resume points left to the pipeline
  std::vector<wasm::Index> locals; // the locals in the frame record, in record order
  std::vector<wasm::Name> callees; // per resume point, the callee of a direct call (no name otherwise)
};

// Makes the given (flat) functions able to unwind to the caller at every resume point, saving
// their frame, and to rewind from a saved frame, in two function-parallel passes run one after
// the other, each of which changes only the function it is given: UnwindRewind lays out each
// function's frame (`frames`, indexed by the position of the function in `ordered`) and gives
// the guarded code to the rewind copies and to the functions without one; then FastCopies
// instruments the functions with a rewind copy from those frames.
struct UnwindRewindPlan {
  std::vector<wasm::Name> ordered;            // frame ordinal -> function
  std::set<wasm::Name> canUnwind;             // calls to these are resume points
  std::unordered_set<wasm::HeapType> unwindingIndirect; // call_indirect of these types are resume points
  // lean: only the locals that a rewind can read are saved; full: every local is saved.
  bool saveLiveLocalsOnly = false;
  // Function -> its rewind copy (made from the flat function before this pass). Functions that
  // have one run without rewind guards: a frame to rewind is handed over to the copy, which
  // finishes that call with guarded code. Others carry the guards on their normal path.
  std::map<wasm::Name, wasm::Name> rewindCopies;
  // Huge functions (InstrumentOptions::hugeFunctionSize) get the form that adds the fewest
  // virtual registers in V8, which compiles a function past 8192 of them with a register
  // allocator that keeps most values in memory. Their loop polls keep the slow path inline: the
  // re-entry loop that takes it out of a hot loop adds a loop level, whose header needs a phi
  // for every local the loop writes and which makes V8 unroll the loop inside more. Their
  // countdown stays in the global: a local one needs a phi at every join after a call or poll.
  // (bzip2's second largest function: 6,745 registers originally, 11,782 instrumented, 7,902 in
  // this form; SQLite's sqlite3VdbeExec: 6,050, 11,051, 10,438.) Never threaded.
  std::set<wasm::Name> huge;
  // Every transformed function (fast copies, rewind copies and functions without one) -> where
  // it keeps the poll countdown: set by chooseCountdown, read by both passes.
  std::map<wasm::Name, CountdownMode> countdown;
  std::vector<FunctionFrame>* frames = nullptr; // one per function of `ordered`, written by UnwindRewind
  WorkerErrors* errors = nullptr; // required
};

// Chooses, once for the module, where each function of `plan` (flat, its rewind copy made)
// keeps the poll countdown (plan.countdown), and enables multi-value if a function threads it:
//   - Threaded: fast copies that every caller calls directly from a transformed function (no
//     export, table, ref.func or start refers to them), huge ones excepted;
//   - Local: other copies of functions that are not huge and have loop polls, or whose calls
//     touch the countdown in memory less often with a local copy (countdown.cpp);
//   - Global: the rest.
void chooseCountdown(wasm::Module& module, UnwindRewindPlan& plan);
std::unique_ptr<wasm::Pass> createUnwindRewindPass(const UnwindRewindPlan* plan);
std::unique_ptr<wasm::Pass> createFastCopiesPass(const UnwindRewindPlan* plan);

// Routes the program's calls to imports that may call back into the module (all but WASI's)
// through wrappers that count the host frames on the stack, under which no checkpoint is taken.
// Runs on the finished module, after the run-time code is injected.
std::unique_ptr<wasm::Pass> createCountHostCallsPass();

} // namespace wasm_ckpt
