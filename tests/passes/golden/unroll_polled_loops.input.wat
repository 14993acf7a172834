;; UnrollPolledLoops's input, planned under lean (tests/passes/unroll_polled_loops_test.cpp). Each
;; loop steps its counter by a byte loaded from memory, so that no bound is known and it polls.
(module
  (memory 1)
  ;; The back edge at the end: the first iteration goes on to the second, falling through leaves.
  (func $at_end (param $n i32) (result i32) (local $c i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.load8_u (local.get $c))))
      (br_if $l (i32.lt_u (local.get $c) (local.get $n))))
    (local.get $c))
  ;; A back edge in the middle, and a label of the body's own that the copy renames.
  (func $in_the_middle (param $n i32) (result i32) (local $c i32) (local $s i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.load8_u (local.get $c))))
      (block $odd
        (br_if $odd (i32.and (local.get $c) (i32.const 1)))
        (local.set $s (i32.add (local.get $s) (local.get $c))))
      (br_if $l (i32.eq (i32.and (local.get $c) (i32.const 3)) (i32.const 2)))
      (local.set $s (i32.xor (local.get $s) (local.get $c)))
      (br_if $l (i32.lt_u (local.get $c) (local.get $n))))
    (local.get $s))
  ;; The back edge in an if arm.
  (func $in_an_if (param $n i32) (result i32) (local $c i32) (local $s i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.load8_u (local.get $c))))
      (if (i32.lt_u (local.get $c) (local.get $n))
        (then (local.set $s (i32.add (local.get $s) (i32.const 3))) (br $l))
        (else (local.set $s (i32.sub (local.get $s) (i32.const 1))))))
    (local.get $s))
  ;; A loop that never falls through (it leaves by a branch out): no exit block, its type kept.
  (func $never_falls_through (param $n i32) (result i32) (local $c i32)
    (block $out
      (loop $l
        (local.set $c (i32.add (local.get $c) (i32.load8_u (local.get $c))))
        (br_if $out (i32.ge_u (local.get $c) (local.get $n)))
        (br $l)))
    (local.get $c))
  ;; Not unrolled: a loop that calls.
  (func $calls (param $n i32) (result i32) (local $c i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (call $at_end (local.get $c))))
      (br_if $l (i32.lt_u (local.get $c) (local.get $n))))
    (local.get $c))
  (func $_start
    (drop (call $in_the_middle (i32.const 9)))
    (drop (call $in_an_if (i32.const 9)))
    (drop (call $never_falls_through (i32.const 9)))
    (drop (call $calls (i32.const 9))))
  (export "_start" (func $_start)))
