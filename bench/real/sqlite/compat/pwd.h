/* pwd.h for wasm32-wasi (wasi-libc has none): no user database. */
#ifndef BENCH_WASI_PWD_H
#define BENCH_WASI_PWD_H
#include <sys/types.h>
struct passwd { char *pw_name; char *pw_dir; };
static inline struct passwd *getpwuid(uid_t uid) { (void)uid; return 0; }
static inline uid_t getuid(void) { return 0; }
#endif
