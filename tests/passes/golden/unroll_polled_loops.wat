(module
 (type $i32_=>_i32 (func (param i32) (result i32)))
 (type $none_=>_none (func))
 (type $i32_=>_none (func (param i32)))
 (memory $0 1)
 (export "_start" (func $_start))
 (func $at_end (param $n i32) (result i32)
  (local $c i32)
  (block $wasm_ckpt$loop_exit1
   (loop $l
    (block $wasm_ckpt$next_iteration0
     (block
      (local.set $c
       (i32.add
        (local.get $c)
        (i32.load8_u
         (local.get $c)
        )
       )
      )
      (br_if $wasm_ckpt$next_iteration0
       (i32.lt_u
        (local.get $c)
        (local.get $n)
       )
      )
     )
     (br $wasm_ckpt$loop_exit1)
    )
    (block
     (local.set $c
      (i32.add
       (local.get $c)
       (i32.load8_u
        (local.get $c)
       )
      )
     )
     (br_if $l
      (i32.lt_u
       (local.get $c)
       (local.get $n)
      )
     )
    )
   )
  )
  (local.get $c)
 )
 (func $in_the_middle (param $n i32) (result i32)
  (local $c i32)
  (local $s i32)
  (block $wasm_ckpt$loop_exit1
   (loop $l
    (block $wasm_ckpt$next_iteration0
     (block
      (local.set $c
       (i32.add
        (local.get $c)
        (i32.load8_u
         (local.get $c)
        )
       )
      )
      (block $odd
       (br_if $odd
        (i32.and
         (local.get $c)
         (i32.const 1)
        )
       )
       (local.set $s
        (i32.add
         (local.get $s)
         (local.get $c)
        )
       )
      )
      (br_if $wasm_ckpt$next_iteration0
       (i32.eq
        (i32.and
         (local.get $c)
         (i32.const 3)
        )
        (i32.const 2)
       )
      )
      (local.set $s
       (i32.xor
        (local.get $s)
        (local.get $c)
       )
      )
      (br_if $wasm_ckpt$next_iteration0
       (i32.lt_u
        (local.get $c)
        (local.get $n)
       )
      )
     )
     (br $wasm_ckpt$loop_exit1)
    )
    (block
     (local.set $c
      (i32.add
       (local.get $c)
       (i32.load8_u
        (local.get $c)
       )
      )
     )
     (block $odd0
      (br_if $odd0
       (i32.and
        (local.get $c)
        (i32.const 1)
       )
      )
      (local.set $s
       (i32.add
        (local.get $s)
        (local.get $c)
       )
      )
     )
     (br_if $l
      (i32.eq
       (i32.and
        (local.get $c)
        (i32.const 3)
       )
       (i32.const 2)
      )
     )
     (local.set $s
      (i32.xor
       (local.get $s)
       (local.get $c)
      )
     )
     (br_if $l
      (i32.lt_u
       (local.get $c)
       (local.get $n)
      )
     )
    )
   )
  )
  (local.get $s)
 )
 (func $in_an_if (param $n i32) (result i32)
  (local $c i32)
  (local $s i32)
  (block $wasm_ckpt$loop_exit1
   (loop $l
    (block $wasm_ckpt$next_iteration0
     (block
      (local.set $c
       (i32.add
        (local.get $c)
        (i32.load8_u
         (local.get $c)
        )
       )
      )
      (if
       (i32.lt_u
        (local.get $c)
        (local.get $n)
       )
       (block
        (local.set $s
         (i32.add
          (local.get $s)
          (i32.const 3)
         )
        )
        (br $wasm_ckpt$next_iteration0)
       )
       (local.set $s
        (i32.sub
         (local.get $s)
         (i32.const 1)
        )
       )
      )
     )
     (br $wasm_ckpt$loop_exit1)
    )
    (block
     (local.set $c
      (i32.add
       (local.get $c)
       (i32.load8_u
        (local.get $c)
       )
      )
     )
     (if
      (i32.lt_u
       (local.get $c)
       (local.get $n)
      )
      (block
       (local.set $s
        (i32.add
         (local.get $s)
         (i32.const 3)
        )
       )
       (br $l)
      )
      (local.set $s
       (i32.sub
        (local.get $s)
        (i32.const 1)
       )
      )
     )
    )
   )
  )
  (local.get $s)
 )
 (func $never_falls_through (param $n i32) (result i32)
  (local $c i32)
  (block $out
   (loop $l
    (block $wasm_ckpt$next_iteration0
     (block
      (local.set $c
       (i32.add
        (local.get $c)
        (i32.load8_u
         (local.get $c)
        )
       )
      )
      (br_if $out
       (i32.ge_u
        (local.get $c)
        (local.get $n)
       )
      )
      (br $wasm_ckpt$next_iteration0)
     )
    )
    (block
     (local.set $c
      (i32.add
       (local.get $c)
       (i32.load8_u
        (local.get $c)
       )
      )
     )
     (br_if $out
      (i32.ge_u
       (local.get $c)
       (local.get $n)
      )
     )
     (br $l)
    )
   )
  )
  (local.get $c)
 )
 (func $calls (param $n i32) (result i32)
  (local $c i32)
  (loop $l
   (local.set $c
    (i32.add
     (local.get $c)
     (call $at_end
      (local.get $c)
     )
    )
   )
   (br_if $l
    (i32.lt_u
     (local.get $c)
     (local.get $n)
    )
   )
  )
  (local.get $c)
 )
 (func $_start
  (drop
   (call $in_the_middle
    (i32.const 9)
   )
  )
  (drop
   (call $in_an_if
    (i32.const 9)
   )
  )
  (drop
   (call $never_falls_through
    (i32.const 9)
   )
  )
  (drop
   (call $calls
    (i32.const 9)
   )
  )
 )
 (func $wasm_ckpt$poll_marker (param $0 i32)
  (nop)
 )
)
