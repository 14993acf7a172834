(module
 (type $i_i (func (param i32) (result i32)))
 (type $none_=>_none (func))
 (type $none_=>_i32 (func (result i32)))
 (import "env" "call_cb" (func $call_cb (param i32) (result i32)))
 (import "env" "notify" (func $notify))
 (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
 (global $wasm_ckpt$i32.15 (mut i32) (i32.const 1))
 (table $0 1 1 funcref)
 (elem (i32.const 0) $wasm_ckpt$host$call_cb)
 (export "main" (func $main))
 (func $main (param $x i32) (result i32)
  (call $wasm_ckpt$host$notify)
  (drop
   (call $yield)
  )
  (i32.add
   (call $wasm_ckpt$host$call_cb
    (local.get $x)
   )
   (call_indirect (type $i_i)
    (local.get $x)
    (i32.const 0)
   )
  )
 )
 (func $wasm_ckpt$host$call_cb (param $0 i32) (result i32)
  (local $1 i32)
  (global.set $wasm_ckpt$i32.15
   (i32.add
    (global.get $wasm_ckpt$i32.15)
    (i32.const 1)
   )
  )
  (local.set $1
   (call $call_cb
    (local.get $0)
   )
  )
  (global.set $wasm_ckpt$i32.15
   (i32.sub
    (global.get $wasm_ckpt$i32.15)
    (i32.const 1)
   )
  )
  (local.get $1)
 )
 (func $wasm_ckpt$host$notify
  (global.set $wasm_ckpt$i32.15
   (i32.add
    (global.get $wasm_ckpt$i32.15)
    (i32.const 1)
   )
  )
  (call $notify)
  (global.set $wasm_ckpt$i32.15
   (i32.sub
    (global.get $wasm_ckpt$i32.15)
    (i32.const 1)
   )
  )
 )
)
