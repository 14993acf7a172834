/* Support code for Lua 5.4 on wasm32-wasi (see bench_lua_wasi.h): what a Lua error does without
 * setjmp/longjmp, and the two libc functions wasi-libc lacks. */
#include <stdio.h>
#include <stdlib.h>
#include "lua.h"
_Noreturn void bench_lua_throw(lua_State *L, int status) {
  const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(no message)";
  fprintf(stderr, "lua: error %d with no way to recover (no setjmp/longjmp on wasm32-wasi): %s\n", status, msg);
  fflush(stdout);
  exit(1);
}
int bench_lua_system(const char *cmd) { return cmd ? -1 : 0; } /* no shell */
FILE *bench_lua_tmpfile(void) { return NULL; } /* no temporary files */
