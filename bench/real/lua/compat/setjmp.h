/* setjmp.h for wasm32-wasi builds that do not use setjmp (wasi-libc has none). */
