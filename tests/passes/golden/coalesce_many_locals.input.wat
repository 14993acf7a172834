;; CoalesceManyLocals's input, run from 8 locals (parameters included) on (tests/passes/coalesce_many_locals_test.cpp).
(module
  ;; $many (9 locals with its parameter): $t0..$t3 are each live for a short stretch and may share a
  ;; local; $copy holds $t1's value (a copy, which prefers its source's local); $a and $b stay
  ;; live across them; $x is live to the end; $zero is read before it is written (its initial
  ;; 0 is live at entry, so it interferes with the parameter).
  (func $many (param $x i32) (result i32)
    (local $a i32) (local $b i32) (local $t0 i32) (local $t1 i32) (local $t2 i32) (local $t3 i32)
    (local $copy i32) (local $zero i32)
    (local.set $a (i32.add (local.get $x) (local.get $zero)))
    (local.set $t0 (i32.mul (local.get $a) (i32.const 3)))
    (local.set $b (i32.add (local.get $t0) (local.get $x)))
    (local.set $t1 (i32.xor (local.get $b) (local.get $a)))
    (local.set $copy (local.get $t1))
    (if (i32.and (local.get $x) (i32.const 1))
      (then (local.set $t2 (i32.add (local.get $copy) (local.get $t1)))
            (local.set $a (local.get $t2)))
      (else (local.set $t3 (i32.sub (local.get $copy) (local.get $b)))
            (local.set $b (local.get $t3))))
    (i32.add (i32.mul (local.get $a) (local.get $b)) (local.get $x)))
  ;; $few (7 locals with its parameter): left alone.
  (func $few (param $x i32) (result i32) (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $e i32) (local $f i32)
    (local.set $a (i32.add (local.get $x) (i32.const 1)))
    (local.set $b (local.get $a))
    (local.set $c (i32.mul (local.get $b) (local.get $b)))
    (local.get $c)))
