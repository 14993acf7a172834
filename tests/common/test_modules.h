// What the unit tests share: modules from WebAssembly text, lean's options, and the small
// program with every kind of call (direct, through a table, recursive, none) that the plan and
// UnwindRewind tests look at.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "wasm.h"

#include "wasm_ckpt/instrument.h"
#include "wasm_ckpt/module_io.h"

namespace wasm_ckpt::test {

inline std::unique_ptr<wasm::Module> parseText(const std::string& text, const char* name = "test.wat") {
  return readModuleFromBytes(std::vector<char>(text.begin(), text.end()), name);
}

// A module of `body` with an empty exported _start, as the run-time contract wants.
inline std::string withStart(const std::string& body) {
  return "(module " + body + " (func $_start) (export \"_start\" (func $_start)))";
}

inline InstrumentOptions leanOptions() {
  InstrumentOptions options;
  options.strategy = Strategy::Lean;
  return options;
}

// leaf: no loop, no call. looper: a call-free loop. caller: calls looper. even/odd: mutual
// recursion, odd through a table. untouched: calls only leaf.
inline const char* const kCallGraphProgram = R"((module
  (type $pred (func (param i32) (result i32)))
  (memory 1)
  (table 1 1 funcref)
  (elem (i32.const 0) $odd)
  (func $leaf (param $x i32) (result i32) (i32.mul (local.get $x) (i32.const 3)))
  (func $looper (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $i) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  (func $caller (param $n i32) (result i32) (i32.add (call $looper (local.get $n)) (call $leaf (local.get $n))))
  (func $even (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 1))
      (else (call_indirect (type $pred) (i32.sub (local.get $n) (i32.const 1)) (i32.const 0)))))
  (func $odd (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0)) (else (call $even (i32.sub (local.get $n) (i32.const 1))))))
  (func $untouched (result i32) (call $leaf (i32.const 7)))
  (func $_start (drop (call $caller (i32.const 10))) (drop (call $even (i32.const 9))) (drop (call $untouched)))
  (export "memory" (memory 0))
  (export "_start" (func $_start)))
)";

inline std::unique_ptr<wasm::Module> parseCallGraphProgram() { return parseText(kCallGraphProgram); }

// $work polls in its loop. $inLoop calls it in a loop, $nested runs a polled loop inside a loop,
// $small calls it once in a few expressions, $large once after 60 expressions of work.
inline std::string copiesProgram() {
  std::string sum = "(local.get $n)";
  for (int i = 0; i < 20; i++) sum = "(i32.add " + sum + " (i32.const 1))";
  return R"((module
    (memory 1)
    (func $work (param $n i32) (loop $l (br_if $l (i32.load (local.get $n)))))
    (func $inLoop (param $n i32) (loop $l (call $work (local.get $n)) (br_if $l (i32.load (local.get $n)))))
    (func $nested (param $n i32)
      (loop $outer
        (loop $inner (br_if $inner (i32.load (local.get $n))))
        (br_if $outer (i32.load offset=4 (local.get $n)))))
    (func $small (param $n i32) (call $work (local.get $n)))
    (func $large (param $n i32) (i32.store (local.get $n) )" + sum + R"() (call $work (local.get $n)))
    (func $_start (call $inLoop (i32.const 0)) (call $nested (i32.const 0)) (call $small (i32.const 0)) (call $large (i32.const 0)))
    (export "memory" (memory 0))
    (export "_start" (func $_start))))";
}

} // namespace wasm_ckpt::test
