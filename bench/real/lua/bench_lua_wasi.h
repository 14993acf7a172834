/* Forced include (-include) for building Lua 5.4 for wasm32-wasi.
 *
 * wasm32-wasi has no setjmp/longjmp without the exception-handling proposal (which wasm-ckpt
 * refuses anyway), and Lua's error handling (ldo.c) is built on them. LUAI_THROW/LUAI_TRY are
 * replaced: a "try" just runs its body and a "throw" prints the error and exits with status 1.
 * So Lua code that raises an error (error(), failed pcall, out of memory, coroutine.yield from a
 * C boundary, ...) terminates the program; the benchmark script raises none. */
#ifndef BENCH_LUA_WASI_H
#define BENCH_LUA_WASI_H
struct lua_State;
_Noreturn void bench_lua_throw(struct lua_State *L, int status);
#define LUAI_THROW(L, c) bench_lua_throw(L, (c)->status)
#define LUAI_TRY(L, c, a) { a }
#define luai_jmpbuf int
/* loslib.c: no temporary names, no shell */
#define LUA_TMPNAMBUFSIZE 32
#define lua_tmpnam(b, e) { (b)[0] = 0; e = 1; }
#define system bench_lua_system /* wasi-libc has no system() */
#define tmpfile bench_lua_tmpfile /* nor tmpfile() */
#endif
