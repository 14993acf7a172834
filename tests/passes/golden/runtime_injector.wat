;; saved globals: counter@0
;; has _start: 1, memory limit: 4 pages, imported maximum: 0
(module
 (type $i32_i32_i32_i32_=>_i32 (func (param i32 i32 i32 i32) (result i32)))
 (type $i32_=>_none (func (param i32)))
 (type $none_=>_i32 (func (result i32)))
 (type $none_=>_none (func))
 (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
 (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
 (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
 (global $counter (mut i32) (i32.const 0))
 (global $fixed i32 (i32.const 7))
 (memory $0 1)
 (table $0 1 1 funcref)
 (elem (i32.const 0) $wasm_ckpt$proc_exit)
 (export "exit" (func $wasm_ckpt$proc_exit))
 (export "_start" (func $wasm_ckpt$start))
 (export "memory" (memory $0))
 (func $main (result i32)
  (drop
   (call $wasm_ckpt$fd_read
    (i32.const 0)
    (i32.const 16)
    (i32.const 1)
    (i32.const 32)
   )
  )
  (drop
   (call $write
    (i32.const 1)
    (i32.const 16)
    (i32.const 1)
    (i32.const 32)
   )
  )
  (global.set $counter
   (call $wasm_ckpt$grow_memory
    (i32.const 1)
   )
  )
  (call $wasm_ckpt$memory_size)
 )
 (func $_start
  (call $wasm_ckpt$proc_exit
   (call $main)
  )
 )
)
