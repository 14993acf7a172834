;; ChunkLoops's input, planned under lean (tests/passes/chunk_loops_test.cpp).
(module
  (memory 1)
  ;; $up: counter $i, constant step 1, below a limit from a local (i < n).
  (func $up (param $i i32) (param $n i32) (result i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $i))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $s))
  ;; $strided: an i64 counter stepping by a local, the limit on the left (n >= (i += d), a
  ;; sieve's strided inner loop), signed.
  (func $strided (param $i i64) (param $n i64) (param $d i64) (result i64) (local $s i64)
    (loop $l
      (local.set $s (i64.xor (local.get $s) (local.get $i)))
      (br_if $l (i64.ge_s (local.get $n) (local.tee $i (i64.add (local.get $i) (local.get $d))))))
    (local.get $s))
  ;; $early_exit: the body's block is the target of an early exit, which must leave the chunks.
  (func $early_exit (param $i i32) (param $n i32) (result i32)
    (loop $l
      (block $body
        (br_if $body (i32.eqz (i32.load8_u (local.get $i))))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get $n)))))
    (local.get $i))
  (func $_start
    (drop (call $up (i32.const 0) (i32.const 9)))
    (drop (call $strided (i64.const 0) (i64.const 9) (i64.const 2)))
    (drop (call $early_exit (i32.const 0) (i32.const 8))))
  (export "_start" (func $_start)))
