;; CountHostCalls's input (tests/passes/count_host_calls_test.cpp).
(module
  (type $i_i (func (param i32) (result i32)))
  (import "env" "call_cb" (func $call_cb (param i32) (result i32)))
  (import "env" "notify" (func $notify))
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (table 1 1 funcref)
  (elem (i32.const 0) $call_cb)
  (func $main (param $x i32) (result i32)
    (call $notify)
    (drop (call $yield))
    (i32.add (call $call_cb (local.get $x)) (call_indirect (type $i_i) (local.get $x) (i32.const 0))))
  (export "main" (func $main)))
