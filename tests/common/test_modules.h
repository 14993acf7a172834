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

} // namespace wasm_ckpt::test
