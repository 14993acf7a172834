// Which loops of a function need a poll point, for the lean strategy.
//
// A poll at every loop header bounds the time between polls, but in a short counted inner loop
// (a row of a matrix) the countdown costs a register and a loop-carried decrement per
// iteration: 10-30% of the run time of a dense kernel. A loop whose iteration count is known
// statically and whose whole execution (iterations times body size, nested poll-free loops
// included) stays within a work budget can go without a poll: an enclosing loop's poll, or the
// next poll after the function returns, comes after at most that much work.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>
#include <set>
#include <unordered_set>

#include "wasm_ckpt/options.h"

#include "wasm.h"

namespace wasm_ckpt {

// Work, in Binaryen expressions evaluated, that a loop nest may do without a poll
// (InstrumentOptions::pollFreeWork).
constexpr uint64_t kPollFreeWorkBudget = kDefaultPollFreeWork;

// What a poll point counts for, in polls passed: the work it usually stands for (the code that
// runs from it to the next poll: an iteration of its loop, with the poll-free loops inside; a
// chunk; a function body around its loops; a first chunk counting as kUsualFirstChunkTrips
// iterations) in units of this many expressions, at least 1. The run-time code sizes the
// number of polls between two slow paths from how long the last ones took (runtime-contract.md);
// counted as one each, a stretch of cheap polls (a loop filling an array) followed by costly
// ones (a row loop whose 5,000-cell inner loop needs no poll of its own: weight about 3,700)
// made that interval thousands of times too long, and editdist's stop up to 77 ms late.
constexpr uint64_t kWorkPerPoll = 64;
// A poll's weight is subtracted from the countdown, an i32.
constexpr uint64_t kMaxPollWeight = uint64_t(1) << 24;
// In a weight, a chunked loop's first chunk (which has no poll) counts as this many iterations
// (or its chunk, if smaller): its trip count is only known at run time. Counted as its chunk,
// the bound, a recursive merge sort's entry poll weighed 16,000 for calls that mostly return at
// once; as one iteration, bfs's loop over a vertex's 8 edges weighed an eighth of its work, and
// cholesky's loops over a row far less. The longest gap between two slow paths over the 31 C
// programs under lean (bench/slow_path_gaps.mjs), geomean and worst: 2.77 and 25 ms (bfs) with
// one iteration, 2.45 and 20 ms (sieve, memory-bound) with 16, 2.56 and 21 ms (merge sort)
// with 128.
constexpr uint64_t kUsualFirstChunkTrips = 16;
uint32_t pollWeight(uint64_t work);

// Loops of `func` that keep a poll point. A loop goes without one only when it is a counted loop
// and its total work, `trips * (body expressions + work of poll-free inner loops)`, is at most
// `budget`. A counted loop has a single back edge,
//   br_if $loop (CMP (local.tee $i (ADD|SUB (local.get $i) STEP)) LIMIT)
// (or `br_if $loop (local.tee ...)`, a test against zero), anywhere in its body outside nested
// loops (other paths leave the loop), with CMP one of ne, lt, le, gt, ge (signed or unsigned,
// either operand order), STEP and LIMIT constants, $i written nowhere else in the loop and, before
// it, set to a value of known range (a constant, a never-written var's zero, a loaded byte or
// halfword, a value masked, shifted or taken modulo a constant, the larger or smaller of such
// values: the trip count is the largest over the range); a loop that nothing branches back to
// runs once. A call counts as one expression, or, given a CallWork (polledLoops under lean), as
// the work its callee can do without a poll.
std::unordered_set<wasm::Loop*> loopsNeedingPolls(wasm::Function* func, uint64_t budget = kPollFreeWorkBudget);

// A loop that needs a poll but can run in chunks instead (ChunkLoops; polledLoops finds them): a counted loop, of the
// shape loopsNeedingPolls looks for, whose counter starts from whatever it holds at entry and
// whose limit and step are constants or locals the loop does not write, with no call and no
// polled loop inside. Its back edge is bounded by a chunk end that it reaches after at most
// `chunkTrips` iterations (the work budget over the work of an iteration), computed before each
// chunk from the counter, the limit and the step; an enclosing loop starts the next chunk, after
// a poll, while the loop's own test still holds. The first chunk needs no poll, for the same
// reason as a short counted loop: it is at most the work budget, which is what it counts for in
// enclosing loops. So a loop polls once per chunk instead of once per iteration, and the hot
// loop carries no countdown: in a sieve's strided inner loop the poll was a sixth of the run
// time.
//   counter CMP limit, CMP one of
//     !=       a constant step of plus or minus a power of two (how far the limit is, in steps,
//              is then known from a mask: a counter that skips over the limit wraps around);
//     < and <= counting up, > and >= counting down, a constant step or a local one (`add` only;
//              its sign is checked at run time).
struct ChunkedLoop {
  wasm::Index counter = 0;
  wasm::Type type = wasm::Type::i32;      // the counter's: i32 or i64
  wasm::Expression* limit = nullptr;      // a Const or a LocalGet in the back edge; null: 0 (`br_if $l (local.tee ...)`)
  std::optional<wasm::Index> stepLocal;   // the step, when it is a local
  int64_t step = 0;                       // the constant step, added each iteration
  enum class Test { Ne, Below, Above } test = Test::Ne; // Below: counter < limit (or <=); Above: > (or >=)
  bool inclusive = false;                 // <= or >=
  bool isSigned = false;
  uint64_t chunkTrips = 0;                // at most this many iterations per chunk (work budget / iteration work)
  uint32_t weight = 1;                    // what the poll between two chunks counts for: pollWeight(a chunk's work)
};

// What calls add to the work between two polls, for lean's short loops. A call to `f` does at
// most `work[f]` expressions before it passes one of f's polls or returns, and at most as many
// after its last poll (LoopPolls::callWork); a short loop counts that instead of one expression
// per call, so that a counted loop of calls to, say, a memcpy whose first chunk has no poll
// stays within the budget. A call_indirect counts the most of the functions the table holds of
// its type. Imports count one, and so do calls within a call-graph cycle (same `component`),
// whose work is not known yet when the cycle's functions are measured: there, returns out of a
// recursion run each frame's remaining work without a poll.
struct CallWork {
  std::map<wasm::Name, uint64_t> work;
  std::map<wasm::Name, int> component; // strongly connected component in the call graph
  std::unordered_map<wasm::HeapType, std::set<wasm::Name>> tableTargets;
};

// The largest loop body, in expressions, that lean runs twice per poll (LoopPolls::unrolled).
// The poll's decrement and branch matter in a loop of a few instructions (a sixth of a scan
// loop's); past a few dozen expressions they are a small part, and the copy would only add code.
constexpr uint64_t kMaxUnrolledBody = 32;

// The loops that get a poll point under `strategy`: every loop for full; for lean, those of
// loopsNeedingPolls except the loops whose every iteration directly calls a function of
// `entryPolled` (the functions that poll at their entry): that call's poll bounds the time
// between polls just as well, without a countdown in the loop (a recursive function's loop
// around its recursive call, like a compiled fib's); and, for lean, which of them run in chunks
// (their poll comes between chunks) or run their body twice per poll (unrolled). The plan
// counts them and the passes place them, so both agree by construction.
struct LoopPolls {
  std::unordered_set<wasm::Loop*> polled;
  std::unordered_map<wasm::Loop*, uint32_t> weights; // of `polled` loops' header polls: pollWeight(an iteration's usual work)
  uint32_t entryWeight = 1; // of an entry poll: pollWeight(the body's usual work, a polled loop counting as one expression)
  std::unordered_map<wasm::Loop*, ChunkedLoop> chunked; // lean: some of `polled`, which run in chunks
  // lean: some of `polled`, none chunked, whose body runs twice per poll (UnrollPolledLoops): at
  // most kMaxUnrolledBody expressions, no call and no loop inside; their weight counts two
  // iterations.
  std::unordered_set<wasm::Loop*> unrolled;
  uint32_t shortCounted = 0; // loops without a poll: short counted loops
  uint32_t callPolled = 0;   // loops without a poll: polled by a call in every iteration
  // lean: the most work a call to the function does from its entry or from one of its polls to
  // its next poll or its return: its code, a polled loop counting one iteration, a short loop or
  // a first chunk all its iterations, calls what CallWork says (CallWork::work).
  uint64_t callWork = 1;
};
LoopPolls polledLoops(wasm::Function* func, Strategy strategy, const std::set<wasm::Name>& entryPolled,
                      uint64_t budget = kPollFreeWorkBudget, const CallWork* calls = nullptr);

} // namespace wasm_ckpt
