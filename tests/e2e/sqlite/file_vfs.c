/* A SQLite OS layer for wasm32-wasi that keeps databases in files (compiled with
 * -DSQLITE_OS_OTHER=1, like bench/real/sqlite/wasi_vfs.c, which serves in-memory databases
 * only): SQLite 3.40's unix VFS needs POSIX calls wasi-libc lacks (fchown, mmap, fcntl locks),
 * so this one uses only open/pread/pwrite/ftruncate/fsync/fstat/unlink/access, which WASI
 * preview1 provides. One process uses a database at a time: locking is a no-op. Randomness and
 * time are fixed, so that two runs of the same SQL write the same bytes (tests/e2e/sqlite_files.mjs
 * compares database files byte for byte). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sqlite3.h"

typedef struct {
  sqlite3_file base;
  int fd;
  char *delete_on_close; /* the path to unlink when closed, or 0 */
} File;

static int file_close(sqlite3_file *f) {
  File *p = (File *)f;
  int rc = close(p->fd) == 0 ? SQLITE_OK : SQLITE_IOERR_CLOSE;
  if (p->delete_on_close) {
    unlink(p->delete_on_close);
    sqlite3_free(p->delete_on_close);
  }
  return rc;
}

static int file_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 offset) {
  File *p = (File *)f;
  int done = 0;
  while (done < n) {
    ssize_t got = pread(p->fd, (char *)buf + done, (size_t)(n - done), (off_t)(offset + done));
    if (got < 0) return SQLITE_IOERR_READ;
    if (got == 0) {
      memset((char *)buf + done, 0, (size_t)(n - done));
      return SQLITE_IOERR_SHORT_READ;
    }
    done += (int)got;
  }
  return SQLITE_OK;
}

static int file_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 offset) {
  File *p = (File *)f;
  int done = 0;
  while (done < n) {
    ssize_t put = pwrite(p->fd, (const char *)buf + done, (size_t)(n - done), (off_t)(offset + done));
    if (put <= 0) return SQLITE_IOERR_WRITE;
    done += (int)put;
  }
  return SQLITE_OK;
}

static int file_truncate(sqlite3_file *f, sqlite3_int64 size) {
  return ftruncate(((File *)f)->fd, (off_t)size) == 0 ? SQLITE_OK : SQLITE_IOERR_TRUNCATE;
}
static int file_sync(sqlite3_file *f, int flags) {
  (void)flags;
  return fsync(((File *)f)->fd) == 0 ? SQLITE_OK : SQLITE_IOERR_FSYNC;
}
static int file_size(sqlite3_file *f, sqlite3_int64 *size) {
  struct stat st;
  if (fstat(((File *)f)->fd, &st) != 0) return SQLITE_IOERR_FSTAT;
  *size = st.st_size;
  return SQLITE_OK;
}
static int file_lock(sqlite3_file *f, int level) { (void)f; (void)level; return SQLITE_OK; }
static int file_check_reserved(sqlite3_file *f, int *out) { (void)f; *out = 0; return SQLITE_OK; }
static int file_control(sqlite3_file *f, int op, void *arg) { (void)f; (void)op; (void)arg; return SQLITE_NOTFOUND; }
static int file_sector_size(sqlite3_file *f) { (void)f; return 512; }
static int file_device_characteristics(sqlite3_file *f) { (void)f; return 0; }

static const sqlite3_io_methods file_methods = {
    1, file_close, file_read, file_write, file_truncate, file_sync, file_size, file_lock, file_lock,
    file_check_reserved, file_control, file_sector_size, file_device_characteristics};

static int temp_files = 0;

static int vfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags) {
  (void)vfs;
  File *p = (File *)f;
  char temp[32];
  memset(p, 0, sizeof *p);
  if (!name) { /* a temporary file: a fresh name, deleted when closed */
    sqlite3_snprintf(sizeof temp, temp, "sqlite-temp-%d", ++temp_files);
    name = temp;
    flags |= SQLITE_OPEN_DELETEONCLOSE | SQLITE_OPEN_CREATE;
  }
  int oflags = (flags & SQLITE_OPEN_READWRITE) ? O_RDWR : O_RDONLY;
  if (flags & SQLITE_OPEN_CREATE) oflags |= O_CREAT;
  if (flags & SQLITE_OPEN_EXCLUSIVE) oflags |= O_EXCL;
  p->fd = open(name, oflags, 0644);
  if (p->fd < 0) return SQLITE_CANTOPEN;
  if (flags & SQLITE_OPEN_DELETEONCLOSE) p->delete_on_close = sqlite3_mprintf("%s", name);
  if (out_flags) *out_flags = flags;
  p->base.pMethods = &file_methods;
  return SQLITE_OK;
}

static int vfs_delete(sqlite3_vfs *vfs, const char *name, int sync_dir) {
  (void)vfs;
  (void)sync_dir;
  if (unlink(name) == 0) return SQLITE_OK;
  return errno == ENOENT ? SQLITE_IOERR_DELETE_NOENT : SQLITE_IOERR_DELETE;
}

static int vfs_access(sqlite3_vfs *vfs, const char *name, int flags, int *out) {
  (void)vfs;
  *out = access(name, flags == SQLITE_ACCESS_EXISTS ? F_OK : R_OK | (flags == SQLITE_ACCESS_READWRITE ? W_OK : 0)) == 0;
  return SQLITE_OK;
}

static int vfs_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out) {
  (void)vfs;
  sqlite3_snprintf(n, out, "%s", name);
  return SQLITE_OK;
}
static int vfs_randomness(sqlite3_vfs *vfs, int n, char *out) {
  (void)vfs;
  for (int i = 0; i < n; i++) out[i] = (char)(i * 131 + 7);
  return n;
}
static int vfs_sleep(sqlite3_vfs *vfs, int us) { (void)vfs; return us; }
static int vfs_current_time(sqlite3_vfs *vfs, double *t) { (void)vfs; *t = 2460000.5; return SQLITE_OK; }
static int vfs_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *t) {
  (void)vfs;
  *t = (sqlite3_int64)2460000 * 86400000 + 43200000;
  return SQLITE_OK;
}
static int vfs_last_error(sqlite3_vfs *vfs, int n, char *b) { (void)vfs; (void)n; (void)b; return 0; }

static sqlite3_vfs vfs = {2, sizeof(File), 512, 0, "wasi-files", 0, vfs_open, vfs_delete, vfs_access, vfs_full_pathname,
                          0, 0, 0, 0, vfs_randomness, vfs_sleep, vfs_current_time, vfs_last_error, vfs_current_time_int64,
                          0, 0, 0};
int sqlite3_os_init(void) { return sqlite3_vfs_register(&vfs, 1); }
int sqlite3_os_end(void) { return SQLITE_OK; }
