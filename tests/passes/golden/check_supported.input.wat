;; CheckSupported's input (tests/passes/check_supported_test.cpp): one module per case, each after
;; a line ";; case NAME". The expected message of each case is in check_supported.txt.
;; case accepted
(module (memory 1) (global $g (mut i64) (i64.const 0))
  (func $f (param v128) (result f64) (local f32) (f64.const 1)))
;; case shared_memory
(module (memory (shared 1 1)))
;; case memory64
(module (memory i64 1))
;; case mutable_externref_global
(module (global $r (mut externref) (ref.null extern)))
;; case multi_value_results
(module (func $pair (result i32 i32) (i32.const 1) (i32.const 2)))
;; case externref_local
(module (func $holder (local $x externref)))
;; case reference_value
(module (table 1 funcref) (func $rf (drop (ref.null func))))
;; case atomic_rmw
(module (memory 1 1) (func $atom (result i32) (i32.atomic.rmw.add (i32.const 0) (i32.const 1))))
;; case atomic_load
(module (memory 1 1) (func $aload (result i32) (i32.atomic.load (i32.const 0))))
;; case atomic_store
(module (memory 1 1) (func $astore (i32.atomic.store (i32.const 0) (i32.const 1))))
;; case atomic_fence
(module (func $fence (atomic.fence)))
;; case try
(module (tag $e (param i32))
  (func $catcher (result i32) (try (result i32) (do (throw $e (i32.const 1))) (catch $e (pop i32)))))
;; case throw
(module (tag $e) (func $thrower (throw $e)))
;; case return_call
(module (func $g (result i32) (i32.const 1)) (func $tailer (result i32) (return_call $g)))
;; case return_call_indirect
(module (type $t (func)) (table 1 funcref) (func $tail_indirect (return_call_indirect (type $t) (i32.const 0))))
;; case table_grow
(module (table $t 1 funcref) (func $grower (result i32) (table.grow $t (ref.null func) (i32.const 1))))
;; case table_set
(module (table $t 1 funcref) (func $setter (table.set $t (i32.const 0) (ref.null func))))
;; case data_drop
(module (memory 1) (data $d "hi") (func $dropper (data.drop $d)))
;; case first_function_named
(module (memory 1)
  (func $fine (result i32) (i32.const 0))
  (func $first (result i32) (i32.atomic.load (i32.const 0)))
  (func $second (return_call $fine)))
