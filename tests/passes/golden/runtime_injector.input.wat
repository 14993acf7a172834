;; The program's side of injectRuntime (tests/runtime/runtime_injector_test.cpp): its calls, table
;; entry and re-export of the WASI functions the run-time code wraps (proc_exit, fd_read) go to
;; the wrappers, fd_write stays as it is; memory.grow and memory.size go through the run-time
;; code; the memory's maximum is lifted; _start is wrapped.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory 1 4)
  (table 1 1 funcref)
  (elem (i32.const 0) $exit)
  (global $counter (mut i32) (i32.const 0))
  (global $fixed i32 (i32.const 7))
  (func $main (result i32)
    (drop (call $read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 32)))
    (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 32)))
    (global.set $counter (memory.grow (i32.const 1)))
    (memory.size))
  (func $_start
    (call $exit (call $main)))
  (export "exit" (func $exit))
  (export "_start" (func $_start)))
