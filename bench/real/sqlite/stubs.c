/* libc functions the SQLite shell calls that wasi-libc lacks. */
#include <errno.h>
#include <sys/types.h>
int chmod(const char *path, mode_t mode) { (void)path; (void)mode; errno = ENOSYS; return -1; }
