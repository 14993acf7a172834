/* utime.h for wasm32-wasi: not supported. */
#ifndef BENCH_WASI_UTIME_H
#define BENCH_WASI_UTIME_H
#include <errno.h>
struct utimbuf { long actime, modtime; };
static inline int utime(const char *p, const struct utimbuf *t) { (void)p; (void)t; errno = ENOSYS; return -1; }
#endif
