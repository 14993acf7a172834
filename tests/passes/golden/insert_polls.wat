(module
 (type $i32_=>_i32 (func (param i32) (result i32)))
 (type $none_=>_none (func))
 (type $i32_=>_none (func (param i32)))
 (memory $0 1)
 (export "_start" (func $_start))
 (func $scan (param $p i32) (result i32)
  (loop $l
   (call $wasm_ckpt$poll_marker
    (i32.const 1)
   )
   (br_if $l
    (i32.load8_u
     (local.tee $p
      (i32.add
       (local.get $p)
       (i32.const 1)
      )
     )
    )
   )
  )
  (local.get $p)
 )
 (func $walk (param $p i32) (result i32)
  (local $j i32)
  (loop $l
   (call $wasm_ckpt$poll_marker
    (i32.const 4)
   )
   (block
    (local.set $j
     (i32.const 0)
    )
    (loop $clear
     (i32.store
      (i32.add
       (local.get $p)
       (i32.shl
        (local.get $j)
        (i32.const 2)
       )
      )
      (local.get $j)
     )
     (br_if $clear
      (i32.lt_u
       (local.tee $j
        (i32.add
         (local.get $j)
         (i32.const 1)
        )
       )
       (i32.const 16)
      )
     )
    )
    (local.set $p
     (call $scan
      (i32.load
       (local.get $p)
      )
     )
    )
    (br_if $l
     (local.get $p)
    )
   )
  )
  (local.get $p)
 )
 (func $fact (param $n i32) (result i32)
  (call $wasm_ckpt$poll_marker
   (i32.const 1)
  )
  (if (result i32)
   (i32.eqz
    (local.get $n)
   )
   (i32.const 1)
   (i32.mul
    (local.get $n)
    (call $fact
     (i32.sub
      (local.get $n)
      (i32.const 1)
     )
    )
   )
  )
 )
 (func $sum (param $n i32) (result i32)
  (local $i i32)
  (local $j i32)
  (local $s i32)
  (loop $outer
   (local.set $s
    (i32.add
     (local.get $s)
     (i32.load
      (local.get $i)
     )
    )
   )
   (br_if $outer
    (i32.lt_u
     (local.tee $i
      (i32.add
       (local.get $i)
       (i32.const 1)
      )
     )
     (local.get $n)
    )
   )
  )
  (loop $short
   (local.set $s
    (i32.rotl
     (local.get $s)
     (local.get $j)
    )
   )
   (br_if $short
    (i32.lt_u
     (local.tee $j
      (i32.add
       (local.get $j)
       (i32.const 1)
      )
     )
     (i32.const 4)
    )
   )
  )
  (local.get $s)
 )
 (func $_start
  (drop
   (call $walk
    (i32.const 0)
   )
  )
  (drop
   (call $fact
    (i32.const 5)
   )
  )
  (drop
   (call $sum
    (i32.const 9)
   )
  )
 )
 (func $wasm_ckpt$poll_marker (param $0 i32)
  (nop)
 )
)
