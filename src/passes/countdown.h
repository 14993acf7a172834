// The poll countdown in the code UnwindRewind and FastCopies emit: where each transformed
// function keeps it (CountdownMode, chosen once per module by chooseCountdown, passes.h), and
// the code that reads, writes, writes back and threads it in one function (CountdownCode).
//
// The run-time code reads the countdown in a global (runtime::countdownGlobal). Every poll takes
// its weight off it and takes the slow path at or below zero. A function with loop polls works on
// a local copy (a register in hot loops), loaded at entry and after calls that may poll, written
// back before such calls, before the slow path and before returning. A threaded function also
// takes the copy as its last parameter and gives it back as its last result, so that calls
// between threaded functions keep it in registers.
#pragma once
#include <optional>
#include <utility>

#include "wasm-builder.h"
#include "wasm.h"

#include "passes/passes.h"

namespace wasm_ckpt {

// The mode of a transformed function, as the plan gives it (Global if it has none: a function
// that is not transformed is called with the countdown in the global).
CountdownMode countdownModeOf(const UnwindRewindPlan& plan, wasm::Name function);

// Emits the countdown code of one function in its mode. Constructing it adds the local copy
// (Local and Threaded) to the function's locals.
class CountdownCode {
public:
  CountdownCode(wasm::Function* func, wasm::Builder& builder, CountdownMode mode);

  CountdownMode mode() const { return mode_; }
  bool inLocal() const { return mode_ != CountdownMode::Global; }
  bool threaded() const { return mode_ == CountdownMode::Threaded; }

  wasm::Expression* get();
  wasm::Expression* set(wasm::Expression* value);
  // Writes the local copy back to the global (nothing with the countdown in the global).
  wasm::Expression* flush();
  // After the global changed: reload the local copy, plus `extra`.
  wasm::Expression* reload(int32_t extra);
  // Sets the countdown to `value` and returns the store and a read of the value stored.
  std::pair<wasm::Expression*, wasm::Expression*> store(wasm::Expression* value);
  // A poll's decrement by `weight` and its test that the countdown ran out.
  std::pair<wasm::Expression*, wasm::Expression*> decrement(int32_t weight);
  // Whether a countdown just read back after a call says "unwinding".
  wasm::Expression* saysUnwinding(wasm::Expression* countdown);

  // The returns the transformation adds, each in its final form (the function's own returns
  // get theirs from finishOwnReturns):
  // the return at the end of the body, after writing the local copy back;
  wasm::Expression* makeFinalReturn();
  // the epilogue's return of `value` (zeros), which gives a caller COUNTDOWN_UNWINDING;
  wasm::Return* makeUnwindingReturn(wasm::Expression* value);
  // the fast copy's hand-over of a rewind to the rewind copy (`call`), whose result it
  // returns: no write-back, as the rewind copy kept the global up to date and the local copy
  // is stale (in a function without results the write would come after the rewind copy's
  // call, undoing what the restore set).
  wasm::Expression* makeHandOverReturn(wasm::Call* call);
  // Gives every return now in `root` (the function's own, before the transformation adds any)
  // the countdown: written back first (Local) or returned (Threaded).
  void finishOwnReturns(wasm::Expression*& root);

  // A direct call to a threaded function: passes the countdown as the last operand and types
  // the call with the extra result.
  static wasm::Type withCountdown(wasm::Type results);
  void passTo(wasm::Call* call);

  // For a threaded function, once its body is final: the local copy becomes the last
  // parameter, and the countdown the last result.
  void threadThroughSignature();

private:
  wasm::Function* func;
  wasm::Builder& builder;
  CountdownMode mode_;
  wasm::Index local = 0;                   // the local copy (Local, Threaded)
  std::optional<wasm::Index> storedScratch; // store()'s scratch local, with the countdown in the global
};

} // namespace wasm_ckpt
