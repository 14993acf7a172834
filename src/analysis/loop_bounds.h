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
#include <optional>
#include <unordered_map>
#include <set>
#include <unordered_set>

#include "wasm_ckpt/instrument.h"

#include "wasm.h"

namespace wasm_ckpt {

// Work, in Binaryen expressions evaluated, that a loop nest may do without a poll. 2^20
// expressions take about a millisecond on a current core, well under the stop latency budget.
constexpr uint64_t kPollFreeWorkBudget = uint64_t(1) << 20;

// Loops of `func` that keep a poll point. A loop goes without one only when it is a counted loop
// and its total work, `trips * (body expressions + work of poll-free inner loops)`, is at most
// `budget`. A counted loop's single back edge is its last statement,
//   br_if $loop (CMP (local.tee $i (ADD|SUB (local.get $i) STEP)) LIMIT)
// (or `br_if $loop (local.tee ...)`, a test against zero)
// with CMP one of ne, lt, le, gt, ge (signed or unsigned, either operand order), STEP and LIMIT
// constants, $i set to a constant before the loop (or a never-written var) and written nowhere
// else in it; a loop that nothing branches back to runs once. Calls count as one expression: a
// callee with loops or recursion polls on its own, and a callee without them does bounded work.
std::unordered_set<wasm::Loop*> loopsNeedingPolls(wasm::Function* func, uint64_t budget = kPollFreeWorkBudget);

// The loops that get a poll point under `strategy`: every loop for full; for lean, those of
// loopsNeedingPolls except the loops whose every iteration directly calls a function of
// `entryPolled` (the functions that poll at their entry): that call's poll bounds the time
// between polls just as well, without a countdown in the loop (a recursive function's loop
// around its recursive call, like a compiled fib's); and, for lean, which polled loops can be
// prepaid. The plan counts them and the passes place them, so both agree by construction.
// A polled loop whose trip count can be computed when control reaches it, so that it can be
// "prepaid": a counted loop (the shape loopsNeedingPolls looks for) whose start value is
// whatever the counter holds at entry and whose limit is a constant or a local the loop does not
// write, with a step of plus or minus a power of two, an i32 counter, a small body and no call or
// nested loop. PrepayLoops gives it a poll-free twin, taken when the trip count is at most
// `tripLimit` (so that the twin does at most the poll-free work budget, like a short counted
// loop), which charges the countdown of polls with the trip count up front. This is for tight
// inner loops with run-time bounds, such as a match loop `while (l < maxl && a[l] == b[l]) l++`,
// where the poll was a fifth of the iteration.
struct TripCountAtEntry {
  wasm::Index counter = 0;
  wasm::Expression* limit = nullptr; // a Const or a LocalGet, in the loop's back edge
  int32_t step = 0;                  // +-2^k
  enum class Test { Ne, Below, Above } test = Test::Ne; // Below: counter < limit; Above: counter > limit
  bool isSigned = false;
  uint32_t tripLimit = 0; // kPollFreeWorkBudget / body size
};
// Loops of at most this many expressions are worth a poll-free twin: in longer bodies the poll
// is a small part of an iteration, and the twin is code.
constexpr uint32_t kPrepaidBodyLimit = 64;
std::optional<TripCountAtEntry> tripCountAtEntry(wasm::Loop* loop);

struct LoopPolls {
  std::unordered_set<wasm::Loop*> polled;
  std::unordered_map<wasm::Loop*, TripCountAtEntry> prepaid; // lean: polled loops that can be prepaid
  uint32_t shortCounted = 0; // loops without a poll: short counted loops
  uint32_t callPolled = 0;   // loops without a poll: polled by a call in every iteration
};
LoopPolls polledLoops(wasm::Function* func, Strategy strategy, const std::set<wasm::Name>& entryPolled);

} // namespace wasm_ckpt
