(module
 (type $i32_i32_=>_i32 (func (param i32 i32) (result i32)))
 (type $i64_i64_i64_=>_i64 (func (param i64 i64 i64) (result i64)))
 (type $none_=>_none (func))
 (type $i32_=>_none (func (param i32)))
 (memory $0 1)
 (export "_start" (func $_start))
 (func $up (param $i i32) (param $n i32) (result i32)
  (local $s i32)
  (local $3 i32)
  (local $4 i32)
  (local $5 i64)
  (local $6 i32)
  (loop $wasm_ckpt$chunk
   (local.set $3
    (block (result i32)
     (local.set $5
      (i64.const 74898)
     )
     (local.set $4
      (i32.sub
       (local.get $n)
       (local.get $i)
      )
     )
     (local.set $6
      (i32.sub
       (i32.const -1)
       (local.get $n)
      )
     )
     (select
      (select
       (i32.add
        (local.get $i)
        (i32.wrap_i64
         (local.get $5)
        )
       )
       (select
        (local.get $n)
        (i32.const 0)
        (i32.ge_u
         (local.get $6)
         (i32.sub
          (i32.const 1)
          (i32.const 1)
         )
        )
       )
       (i64.gt_u
        (i64.extend_i32_u
         (local.get $4)
        )
        (local.get $5)
       )
      )
      (i32.const 0)
      (i32.lt_u
       (local.get $i)
       (local.get $n)
      )
     )
    )
   )
   (loop $l
    (local.set $s
     (i32.add
      (local.get $s)
      (i32.load
       (local.get $i)
      )
     )
    )
    (br_if $l
     (i32.lt_u
      (local.tee $i
       (i32.add
        (local.get $i)
        (i32.const 1)
       )
      )
      (local.get $3)
     )
    )
   )
   (if
    (i32.lt_u
     (local.get $i)
     (local.get $n)
    )
    (block
     (call $wasm_ckpt$poll_marker
      (i32.const 16383)
     )
     (br $wasm_ckpt$chunk)
    )
   )
  )
  (local.get $s)
 )
 (func $strided (param $i i64) (param $n i64) (param $d i64) (result i64)
  (local $s i64)
  (local $4 i64)
  (local $5 i64)
  (local $6 i64)
  (local $7 i64)
  (loop $wasm_ckpt$chunk
   (local.set $4
    (block (result i64)
     (local.set $6
      (i64.mul
       (local.get $d)
       (i64.const 80659)
      )
     )
     (local.set $5
      (i64.sub
       (i64.add
        (local.get $n)
        (i64.const 1)
       )
       (local.get $i)
      )
     )
     (local.set $7
      (i64.sub
       (i64.const 9223372036854775807)
       (i64.add
        (local.get $n)
        (i64.const 1)
       )
      )
     )
     (select
      (select
       (i64.add
        (local.get $i)
        (local.get $6)
       )
       (select
        (i64.add
         (local.get $n)
         (i64.const 1)
        )
        (i64.const -9223372036854775808)
        (i64.ge_u
         (local.get $7)
         (i64.sub
          (local.get $d)
          (i64.const 1)
         )
        )
       )
       (i64.gt_u
        (local.get $5)
        (local.get $6)
       )
      )
      (i64.const -9223372036854775808)
      (i32.and
       (i32.and
        (i64.gt_s
         (local.get $d)
         (i64.const 0)
        )
        (i64.le_s
         (local.get $d)
         (i64.const 1099511627776)
        )
       )
       (i64.le_s
        (local.get $i)
        (local.get $n)
       )
      )
     )
    )
   )
   (loop $l
    (local.set $s
     (i64.xor
      (local.get $s)
      (local.get $i)
     )
    )
    (br_if $l
     (i64.lt_s
      (local.tee $i
       (i64.add
        (local.get $i)
        (local.get $d)
       )
      )
      (local.get $4)
     )
    )
   )
   (if
    (i64.ge_s
     (local.get $n)
     (local.get $i)
    )
    (block
     (call $wasm_ckpt$poll_marker
      (i32.const 16383)
     )
     (br $wasm_ckpt$chunk)
    )
   )
  )
  (local.get $s)
 )
 (func $early_exit (param $i i32) (param $n i32) (result i32)
  (local $2 i32)
  (local $3 i64)
  (block $body
   (loop $wasm_ckpt$chunk
    (local.set $2
     (block (result i32)
      (local.set $3
       (i64.extend_i32_u
        (i32.sub
         (local.get $n)
         (local.get $i)
        )
       )
      )
      (select
       (local.get $n)
       (i32.add
        (local.get $i)
        (i32.const 322636)
       )
       (i32.and
        (i64.lt_u
         (i64.sub
          (local.get $3)
          (i64.const 1)
         )
         (i64.const 322636)
        )
        (i64.eqz
         (i64.and
          (local.get $3)
          (i64.const 3)
         )
        )
       )
      )
     )
    )
    (loop $l
     (br_if $body
      (i32.eqz
       (i32.load8_u
        (local.get $i)
       )
      )
     )
     (br_if $l
      (i32.ne
       (local.tee $i
        (i32.add
         (local.get $i)
         (i32.const 4)
        )
       )
       (local.get $2)
      )
     )
    )
    (if
     (i32.ne
      (local.get $i)
      (local.get $n)
     )
     (block
      (call $wasm_ckpt$poll_marker
       (i32.const 16383)
      )
      (br $wasm_ckpt$chunk)
     )
    )
   )
  )
  (local.get $i)
 )
 (func $_start
  (drop
   (call $up
    (i32.const 0)
    (i32.const 9)
   )
  )
  (drop
   (call $strided
    (i64.const 0)
    (i64.const 9)
    (i64.const 2)
   )
  )
  (drop
   (call $early_exit
    (i32.const 0)
    (i32.const 8)
   )
  )
 )
 (func $wasm_ckpt$poll_marker (param $0 i32)
  (nop)
 )
)
