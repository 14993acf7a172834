/* Minimal SQLite OS layer for wasm32-wasi, compiled with -DSQLITE_OS_OTHER=1: the unix VFS of
 * SQLite 3.40 needs POSIX calls wasi-libc lacks (fchown, mmap, fcntl locks, ...), so this VFS
 * serves in-memory databases only (files cannot be opened). Randomness and time are fixed so
 * that runs are deterministic. */
#include <string.h>
#include <time.h>
#include "sqlite3.h"
static int xOpen(sqlite3_vfs *v, const char *n, sqlite3_file *f, int fl, int *o) { (void)v; (void)n; (void)fl; (void)o; f->pMethods = 0; return SQLITE_CANTOPEN; }
static int xDelete(sqlite3_vfs *v, const char *n, int s) { (void)v; (void)n; (void)s; return SQLITE_IOERR_DELETE; }
static int xAccess(sqlite3_vfs *v, const char *n, int fl, int *r) { (void)v; (void)n; (void)fl; *r = 0; return SQLITE_OK; }
static int xFullPathname(sqlite3_vfs *v, const char *n, int nOut, char *out) { (void)v; sqlite3_snprintf(nOut, out, "%s", n); return SQLITE_OK; }
static int xRandomness(sqlite3_vfs *v, int n, char *out) { (void)v; for (int i = 0; i < n; i++) out[i] = (char)(i * 131 + 7); return n; }
static int xSleep(sqlite3_vfs *v, int us) { (void)v; return us; }
static int xCurrentTime(sqlite3_vfs *v, double *t) { (void)v; *t = 2460000.5; return SQLITE_OK; } /* fixed: deterministic */
static int xCurrentTimeInt64(sqlite3_vfs *v, sqlite3_int64 *t) { (void)v; *t = (sqlite3_int64)2460000 * 86400000 + 43200000; return SQLITE_OK; }
static int xGetLastError(sqlite3_vfs *v, int n, char *b) { (void)v; (void)n; (void)b; return 0; }
static sqlite3_vfs vfs = {2, 0, 512, 0, "wasi-memory", 0, xOpen, xDelete, xAccess, xFullPathname, 0, 0, 0, 0,
                          xRandomness, xSleep, xCurrentTime, xGetLastError, xCurrentTimeInt64, 0, 0, 0};
int sqlite3_os_init(void) { return sqlite3_vfs_register(&vfs, 1); }
int sqlite3_os_end(void) { return SQLITE_OK; }
