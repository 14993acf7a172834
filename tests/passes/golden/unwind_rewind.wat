(module
 (type $i32_=>_i32 (func (param i32) (result i32)))
 (type $i32_=>_none (func (param i32)))
 (type $none_=>_none (func))
 (type $i32_i32_i32_=>_i32 (func (param i32 i32 i32) (result i32)))
 (type $i32_i32_i32_=>_none (func (param i32 i32 i32)))
 (global $wasm_ckpt$i32.0 (mut i32) (i32.const 0))
 (global $wasm_ckpt$i32.1 (mut i32) (i32.const 0))
 (global $wasm_ckpt$i32.21 (mut i32) (i32.const 0))
 (memory $0 1)
 (export "main" (func $main))
 (func $wasm_ckpt$poll_marker (param $0 i32)
  (nop)
 )
 (func $wasm_ckpt$poll_slow
  (nop)
 )
 (func $wasm_ckpt$frame_read (param $0 i32) (param $1 i32) (param $2 i32) (result i32)
  (i32.const 0)
 )
 (func $wasm_ckpt$frame_reserve (param $0 i32) (param $1 i32) (param $2 i32)
  (nop)
 )
 (func $count (param $n i32) (result i32)
  (local $i i32)
  (local $2 i32)
  (local $3 i32)
  (local $4 i32)
  (local $5 i32)
  (local $6 i32)
  (local $7 i32)
  (local $8 i32)
  (local $9 i32)
  (block
   (loop $l
    (call $wasm_ckpt$poll_marker
     (i32.const 3)
    )
    (local.set $2
     (local.get $i)
    )
    (local.set $3
     (i32.add
      (local.get $2)
      (i32.const 1)
     )
    )
    (local.set $i
     (local.get $3)
    )
    (local.set $4
     (local.get $i)
    )
    (local.set $5
     (local.get $n)
    )
    (local.set $6
     (i32.lt_u
      (local.get $4)
      (local.get $5)
     )
    )
    (br_if $l
     (local.get $6)
    )
   )
   (local.set $7
    (local.get $i)
   )
   (local.set $8
    (local.get $7)
   )
  )
  (local.set $9
   (local.get $8)
  )
  (return
   (local.get $9)
  )
 )
 (func $main (param $n i32) (result i32)
  (local $1 i32)
  (local $2 i32)
  (local $3 i32)
  (local $4 i32)
  (local $5 i32)
  (block
   (call $wasm_ckpt$poll_marker
    (i32.const 1)
   )
   (local.set $1
    (local.get $n)
   )
   (local.set $2
    (call $count
     (local.get $1)
    )
   )
   (local.set $3
    (i32.add
     (local.get $2)
     (i32.const 1)
    )
   )
   (local.set $4
    (local.get $3)
   )
  )
  (local.set $5
   (local.get $4)
  )
  (return
   (local.get $5)
  )
 )
 (func $wasm_ckpt$rewind$count (param $n i32) (result i32)
  (local $i i32)
  (local $2 i32)
  (local $3 i32)
  (local $4 i32)
  (local $5 i32)
  (local $6 i32)
  (local $7 i32)
  (local $8 i32)
  (local $9 i32)
  (local $wasm_ckpt$rid i32)
  (local $wasm_ckpt$countdown i32)
  (block $wasm_ckpt$unwind
   (if
    (global.get $wasm_ckpt$i32.0)
    (block
     (local.set $wasm_ckpt$rid
      (call $wasm_ckpt$frame_read
       (i32.const 0)
       (i32.const 8)
       (i32.const 1)
      )
     )
     (local.set $n
      (call $wasm_ckpt$frame_load.i32)
     )
     (local.set $i
      (call $wasm_ckpt$frame_load.i32)
     )
    )
   )
   (local.set $wasm_ckpt$countdown
    (global.get $wasm_ckpt$i32.1)
   )
   (block
    (block
     (block $wasm_ckpt$done1
      (loop $wasm_ckpt$reenter1
       (block $wasm_ckpt$cold1
        (loop $l
         (block
          (local.set $wasm_ckpt$countdown
           (i32.sub
            (local.get $wasm_ckpt$countdown)
            (i32.const 3)
           )
          )
          (br_if $wasm_ckpt$cold1
           (i32.le_s
            (local.get $wasm_ckpt$countdown)
            (i32.const 0)
           )
          )
         )
         (local.set $2
          (local.get $i)
         )
         (local.set $3
          (i32.add
           (local.get $2)
           (i32.const 1)
          )
         )
         (local.set $i
          (local.get $3)
         )
         (local.set $4
          (local.get $i)
         )
         (local.set $5
          (local.get $n)
         )
         (local.set $6
          (i32.lt_u
           (local.get $4)
           (local.get $5)
          )
         )
         (br_if $l
          (local.get $6)
         )
        )
        (br $wasm_ckpt$done1)
       )
       (block
        (block
        )
        (global.set $wasm_ckpt$i32.1
         (local.get $wasm_ckpt$countdown)
        )
        (local.set $wasm_ckpt$rid
         (i32.const 0)
        )
        (call $wasm_ckpt$poll_slow)
        (if
         (global.get $wasm_ckpt$i32.0)
         (block
          (local.set $wasm_ckpt$rid
           (i32.const 1)
          )
          (br $wasm_ckpt$unwind)
         )
        )
       )
       (local.set $wasm_ckpt$countdown
        (i32.add
         (global.get $wasm_ckpt$i32.1)
         (i32.const 3)
        )
       )
       (br $wasm_ckpt$reenter1)
      )
     )
     (local.set $7
      (local.get $i)
     )
     (local.set $8
      (local.get $7)
     )
    )
    (local.set $9
     (local.get $8)
    )
    (block
     (global.set $wasm_ckpt$i32.1
      (local.get $wasm_ckpt$countdown)
     )
     (return
      (local.get $9)
     )
    )
   )
  )
  (block
   (call $wasm_ckpt$frame_reserve
    (i32.const 0)
    (local.get $wasm_ckpt$rid)
    (i32.const 8)
   )
   (call $wasm_ckpt$frame_store.i32
    (local.get $n)
   )
   (call $wasm_ckpt$frame_store.i32
    (local.get $i)
   )
   (return
    (i32.const 0)
   )
  )
 )
 (func $wasm_ckpt$rewind$main (param $n i32) (result i32)
  (local $1 i32)
  (local $2 i32)
  (local $3 i32)
  (local $4 i32)
  (local $5 i32)
  (local $wasm_ckpt$rid i32)
  (local $wasm_ckpt$countdown_stored i32)
  (local $8 (i32 i32))
  (block $wasm_ckpt$unwind
   (if
    (global.get $wasm_ckpt$i32.0)
    (block
     (local.set $wasm_ckpt$rid
      (call $wasm_ckpt$frame_read
       (i32.const 1)
       (i32.const 12)
       (i32.const 2)
      )
     )
     (local.set $n
      (call $wasm_ckpt$frame_load.i32)
     )
     (local.set $1
      (call $wasm_ckpt$frame_load.i32)
     )
     (local.set $2
      (call $wasm_ckpt$frame_load.i32)
     )
    )
   )
   (nop)
   (block
    (block
     (if
      (i32.eq
       (local.get $wasm_ckpt$rid)
       (i32.const 1)
      )
      (block
       (global.set $wasm_ckpt$i32.1
        (local.tee $wasm_ckpt$countdown_stored
         (i32.sub
          (global.get $wasm_ckpt$i32.1)
          (i32.const 1)
         )
        )
       )
       (if
        (i32.le_s
         (local.get $wasm_ckpt$countdown_stored)
         (i32.const 0)
        )
        (block
         (block
          (nop)
          (nop)
          (local.set $wasm_ckpt$rid
           (i32.const 0)
          )
          (call $wasm_ckpt$poll_slow)
          (if
           (global.get $wasm_ckpt$i32.0)
           (block
            (local.set $wasm_ckpt$rid
             (i32.const 1)
            )
            (br $wasm_ckpt$unwind)
           )
          )
         )
         (nop)
        )
       )
      )
     )
     (if
      (i32.eqz
       (local.get $wasm_ckpt$rid)
      )
      (local.set $1
       (local.get $n)
      )
     )
     (if
      (i32.or
       (i32.eqz
        (local.get $wasm_ckpt$rid)
       )
       (i32.eq
        (local.get $wasm_ckpt$rid)
        (i32.const 2)
       )
      )
      (block
       (nop)
       (local.set $wasm_ckpt$rid
        (i32.const 0)
       )
       (local.set $8
        (call $count
         (local.get $1)
         (global.get $wasm_ckpt$i32.1)
        )
       )
       (global.set $wasm_ckpt$i32.1
        (local.tee $wasm_ckpt$countdown_stored
         (tuple.extract 1
          (local.get $8)
         )
        )
       )
       (if
        (i32.eqz
         (local.get $wasm_ckpt$countdown_stored)
        )
        (block
         (local.set $wasm_ckpt$rid
          (i32.const 2)
         )
         (br $wasm_ckpt$unwind)
        )
       )
       (local.set $2
        (tuple.extract 0
         (local.get $8)
        )
       )
      )
     )
     (local.set $3
      (i32.add
       (local.get $2)
       (i32.const 1)
      )
     )
     (local.set $4
      (local.get $3)
     )
    )
    (local.set $5
     (local.get $4)
    )
    (return
     (local.get $5)
    )
   )
  )
  (block
   (call $wasm_ckpt$frame_reserve
    (i32.const 1)
    (local.get $wasm_ckpt$rid)
    (i32.const 12)
   )
   (call $wasm_ckpt$frame_store.i32
    (local.get $n)
   )
   (call $wasm_ckpt$frame_store.i32
    (local.get $1)
   )
   (call $wasm_ckpt$frame_store.i32
    (local.get $2)
   )
   (return
    (i32.const 0)
   )
  )
 )
)
