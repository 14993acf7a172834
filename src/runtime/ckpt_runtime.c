/*
 * The run-time half of wasm-ckpt: the code that every instrumented module carries.
 *
 * This file is compiled by clang for bare wasm32 when wasm-ckpt itself is built, and the
 * instrumenter merges the result into each module it rewrites (see RuntimeInjector.cpp).
 * It implements the run-time contract (docs/runtime-contract.md): reading WASM_CKPT_* from the
 * WASI environment, deciding when to checkpoint, writing the snapshot atomically, and reading
 * it back to rebuild the stack.
 *
 * Rules this code must obey, because it runs inside somebody else's program:
 *  - No C globals and no shadow stack: the program owns linear memory. All state lives in wasm
 *    globals reached through the ckpt_get_* / ckpt_set_* intrinsics, which the injector turns
 *    into global.get / global.set. Only scalars are used, so clang keeps locals in wasm locals
 *    (the injector refuses a build that touches __stack_pointer).
 *  - Memory the program can see is borrowed only in ways the program cannot observe:
 *      * while the program runs (start-up, trigger checks, messages), a window at address 0 is
 *        borrowed through ckpt_with_window(): its contents wait on the wasm value stack while
 *        ckpt_window_action() runs, and are put back afterwards;
 *      * when checkpointing, memory is grown past the program's size, even past the maximum the
 *        program declared (the instrumented module declares none; grow_memory keeps the
 *        program's limit); the process then exits;
 *      * when restoring, every byte of memory is overwritten from the snapshot afterwards.
 *  - String constants live in a passive data segment; RO() gives their address once copied,
 *    MSG() their offset in it.
 */
#include <stdint.h>

#include "snapshot_layout.h"

typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t i32;
typedef int64_t i64;

/* ---- intrinsics: replaced by the injector with inline wasm (global ops, constants, ...) ---- */
#define INTRINSIC(name) __attribute__((import_module("wasm_ckpt"), import_name(#name)))
INTRINSIC(get_i32) u32 ckpt_get_i32(u32 slot);
INTRINSIC(set_i32) void ckpt_set_i32(u32 slot, u32 value);
INTRINSIC(get_i64) u64 ckpt_get_i64(u32 slot);
INTRINSIC(set_i64) void ckpt_set_i64(u32 slot, u64 value);
INTRINSIC(module_hash) u64 ckpt_module_hash(void);
INTRINSIC(globals_size) u32 ckpt_globals_size(void);
INTRINSIC(save_globals) void ckpt_save_globals(u32 dst);
INTRINSIC(restore_globals) void ckpt_restore_globals(u32 src);
INTRINSIC(with_window) u32 ckpt_with_window(u32 action, u32 msg, u64 number);
/* The run-time strings: the injector keeps, in a passive segment, only those that the code left
 * in this module uses; ckpt_ro(string, size) is the offset in that segment of the string at
 * 'string' here, of 'size' bytes (NUL included). rodata_copy copies the segment, of rodata_size
 * bytes, to 'dst'. */
INTRINSIC(rodata_copy) void ckpt_rodata_copy(u32 dst);
INTRINSIC(rodata_size) u32 ckpt_rodata_size(void);
INTRINSIC(ro) u32 ckpt_ro(u32 string, u32 size);
INTRINSIC(baked_size) u32 ckpt_baked_size(void);
INTRINSIC(baked_copy) void ckpt_baked_copy(u32 dst, u32 offset, u32 len);
INTRINSIC(call_original_start) void ckpt_call_original_start(void);
INTRINSIC(memory_limit) u32 ckpt_memory_limit(void);
/* Whether the program imports a WASI function that adds to the descriptor table (path_open,
 * fd_fdstat_set_flags, sock_accept): a constant, so that a program that cannot open files carries
 * none of the table's code. */
INTRINSIC(files_used) u32 ckpt_files_used(void);

/* ---- WASI preview1 ---- */
#define WASI(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
WASI(fd_write) u32 wasi_fd_write(u32 fd, u32 iovs, u32 iovs_len, u32 nwritten);
WASI(fd_read) u32 wasi_fd_read(u32 fd, u32 iovs, u32 iovs_len, u32 nread);
WASI(fd_seek) u32 wasi_fd_seek(u32 fd, i64 offset, u32 whence, u32 newoffset);
WASI(fd_close) u32 wasi_fd_close(u32 fd);
WASI(fd_sync) u32 wasi_fd_sync(u32 fd);
WASI(fd_filestat_get) u32 wasi_fd_filestat_get(u32 fd, u32 buf);
WASI(fd_prestat_get) u32 wasi_fd_prestat_get(u32 fd, u32 buf);
WASI(fd_prestat_dir_name) u32 wasi_fd_prestat_dir_name(u32 fd, u32 path, u32 len);
WASI(path_open) u32 wasi_path_open(u32 dirfd, u32 dirflags, u32 path, u32 path_len, u32 oflags,
                                   u64 rights_base, u64 rights_inheriting, u32 fdflags, u32 fd_out);
WASI(path_rename) u32 wasi_path_rename(u32 fd, u32 old_path, u32 old_len, u32 new_fd,
                                       u32 new_path, u32 new_len);
WASI(path_unlink_file) u32 wasi_path_unlink_file(u32 fd, u32 path, u32 len);
WASI(path_filestat_get) u32 wasi_path_filestat_get(u32 fd, u32 flags, u32 path, u32 len, u32 buf);
WASI(environ_sizes_get) u32 wasi_environ_sizes_get(u32 count_out, u32 size_out);
WASI(environ_get) u32 wasi_environ_get(u32 environ, u32 buf);
WASI(clock_time_get) u32 wasi_clock_time_get(u32 clock, u64 precision, u32 time_out);
WASI(random_get) u32 wasi_random_get(u32 buf, u32 len);
WASI(proc_exit) _Noreturn void wasi_proc_exit(u32 code);
/* The descriptor table's (see "the descriptor table" below): where the program cannot add to the
 * table (ckpt_files_used), the code that calls these is dropped, and so are these imports. */
WASI(fd_tell) u32 wasi_fd_tell(u32 fd, u32 offset_out);
WASI(fd_renumber) u32 wasi_fd_renumber(u32 from, u32 to);
WASI(fd_fdstat_set_flags) u32 wasi_fd_fdstat_set_flags(u32 fd, u32 flags);
WASI(sock_accept) u32 wasi_sock_accept(u32 fd, u32 flags, u32 fd_out);

/* ---- run-time state: wasm globals (slots are defined in snapshot_layout.h) ---- */
#define G32(slot) ckpt_get_i32(slot)
#define S32(slot, v) ckpt_set_i32(slot, v)
#define G64(slot) ckpt_get_i64(slot)
#define S64(slot, v) ckpt_set_i64(slot, v)

#define PAGE 65536u

static inline u32 ld32(u32 a) { return *(volatile u32*)(uintptr_t)a; }
static inline u64 ld64(u32 a) { return *(volatile u64*)(uintptr_t)a; }
static inline uint8_t ld8(u32 a) { return *(volatile uint8_t*)(uintptr_t)a; }
static inline void st32(u32 a, u32 v) { *(volatile u32*)(uintptr_t)a = v; }
static inline void st64(u32 a, u64 v) { *(volatile u64*)(uintptr_t)a = v; }
static inline void st8(u32 a, uint8_t v) { *(volatile uint8_t*)(uintptr_t)a = v; }

/* Memory's size in bytes: 2^32 for 65,536 pages, hence 64 bits. */
static u64 mem_bytes(void) { return (u64)__builtin_wasm_memory_size(0) * PAGE; }
/* The same, as the last address a u32 can hold where memory is 4 GiB. */
static u32 mem_limit32(void) { return mem_bytes() > 0xffffffffull ? 0xffffffffu : (u32)mem_bytes(); }

static void copy_bytes(u32 dst, u32 src, u32 len) {
  __builtin_memmove((void*)(uintptr_t)dst, (const void*)(uintptr_t)src, len);
}
static void fill_zero(u32 dst, u32 len) { __builtin_memset((void*)(uintptr_t)dst, 0, len); }

/* String constants are used through RO(): they are copied to SLOT_RODATA's address first. 's' is
 * a string literal or a char array (a pointer does not compile: its size is not the string's). */
#define RO(s) (G32(SLOT_RODATA) + MSG(s))
/* Its offset among the strings: how messages are passed to say() and die(). */
#define MSG(s)                                                                                   \
  ckpt_ro((u32)(uintptr_t)(s), sizeof(s) / sizeof(char[1 - 2 * __builtin_types_compatible_p(__typeof__(s), __typeof__(&(s)[0]))]))
static u32 str_len(u32 s) {
  u32 n = 0;
  while (ld8(s + n)) n++;
  return n;
}

/* ---- messages (stderr) ---- */
/* A message is assembled at 'out' (a free area) and written with one fd_write. */
static u32 put_bytes(u32 out, u32 src, u32 len) {
  copy_bytes(out, src, len);
  return out + len;
}
static u32 put_str(u32 out, u32 s) { return put_bytes(out, s, str_len(s)); }
static u32 put_u64(u32 out, u64 v) {
  u32 digits = 1;
  for (u64 t = v; t >= 10; t /= 10) digits++;
  for (u32 i = digits; i > 0; i--) {
    st8(out + i - 1, (uint8_t)('0' + v % 10));
    v /= 10;
  }
  return out + digits;
}
static void write_fd(u32 fd, u32 start, u32 end, u32 iov) {
  while (start < end) {
    st32(iov, start);
    st32(iov + 4, end - start);
    if (wasi_fd_write(fd, iov, 1, iov + 8) != 0) return;
    u32 n = ld32(iov + 8);
    if (n == 0) return;
    start += n;
  }
}
/* WASI's errno names without their leading 'E', in errno order, NUL-separated. */
static const char ERRNO_NAMES[] =
  "SUCCESS\0" "2BIG\0ACCES\0ADDRINUSE\0ADDRNOTAVAIL\0AFNOSUPPORT\0AGAIN\0ALREADY\0BADF\0BADMSG\0"
  "BUSY\0CANCELED\0CHILD\0CONNABORTED\0CONNREFUSED\0CONNRESET\0DEADLK\0DESTADDRREQ\0DOM\0"
  "DQUOT\0EXIST\0FAULT\0FBIG\0HOSTUNREACH\0IDRM\0ILSEQ\0INPROGRESS\0INTR\0INVAL\0IO\0ISCONN\0"
  "ISDIR\0LOOP\0MFILE\0MLINK\0MSGSIZE\0MULTIHOP\0NAMETOOLONG\0NETDOWN\0NETRESET\0NETUNREACH\0"
  "NFILE\0NOBUFS\0NODEV\0NOENT\0NOEXEC\0NOLCK\0NOLINK\0NOMEM\0NOMSG\0NOPROTOOPT\0NOSPC\0NOSYS\0"
  "NOTCONN\0NOTDIR\0NOTEMPTY\0NOTRECOVERABLE\0NOTSOCK\0NOTSUP\0NOTTY\0NXIO\0OVERFLOW\0"
  "OWNERDEAD\0PERM\0PIPE\0PROTO\0PROTONOSUPPORT\0PROTOTYPE\0RANGE\0ROFS\0SPIPE\0SRCH\0STALE\0"
  "TIMEDOUT\0TXTBSY\0XDEV\0NOTCAPABLE\0";
#define ERRNO_COUNT 77u

/* How say() and die() show their number: not at all, in decimal, or as a WASI errno's name. */
#define NUM_NONE 0u
#define NUM_DECIMAL 1u
#define NUM_ERRNO 2u

/* "ENOENT (WASI errno 44)" */
static u32 put_errno(u32 out, u64 err) {
  if (err < ERRNO_COUNT) {
    u32 name = RO(ERRNO_NAMES);
    for (u64 i = 0; i < err; i++) name += str_len(name) + 1;
    st8(out++, 'E');
    out = put_str(out, name);
    out = put_str(out, RO(" (WASI errno "));
    out = put_u64(out, err);
    return put_str(out, RO(")"));
  }
  out = put_str(out, RO("WASI errno "));
  return put_u64(out, err);
}

/* "wasm-ckpt: <msg>[ '<detail>'][<suffix>][ <number>]\n" to stderr; 'msg' is a MSG(), the other
 * strings are addresses or 0; 'number_kind' is one of NUM_*. */
static void say(u32 out, u32 msg, u32 detail, u32 suffix, u32 number_kind, u64 number) {
  u32 p = put_str(out, RO("wasm-ckpt: "));
  p = put_str(p, G32(SLOT_RODATA) + msg);
  if (detail) {
    p = put_str(p, RO(" '"));
    p = put_str(p, detail);
    p = put_str(p, RO("'"));
  }
  if (suffix) p = put_str(p, suffix);
  if (number_kind != NUM_NONE) {
    p = put_str(p, RO(" "));
    p = number_kind == NUM_ERRNO ? put_errno(p, number) : put_u64(p, number);
  }
  st8(p, '\n');
  write_fd(2, out, p + 1, (p + 8) & ~7u);
}

/* Fatal run-time error: nothing of the program runs after it, so memory may be clobbered: the
 * string constants are copied again in case a restore overwrote them. */
static _Noreturn void die(u32 code, u32 msg, u32 detail, u32 suffix, u32 number_kind, u64 number) {
  ckpt_rodata_copy(G32(SLOT_RODATA));
  /* Composed at the end of memory, away from the strings and from 'detail'. */
  say(mem_limit32() - 2048, msg, detail, suffix, number_kind, number);
  wasi_proc_exit(code);
}

/* The common forms of die(), one call each at their many sites. */
static __attribute__((noinline)) _Noreturn void reject(u32 msg) { die(EXIT_SNAPSHOT_REJECTED, msg, 0, 0, NUM_NONE, 0); }
static __attribute__((noinline)) _Noreturn void reject_number(u32 msg, u64 number) {
  die(EXIT_SNAPSHOT_REJECTED, msg, 0, 0, NUM_DECIMAL, number);
}
/* "<msg>[ '<detail>']" */
static __attribute__((noinline)) _Noreturn void die_detail(u32 code, u32 msg, u32 detail) { die(code, msg, detail, 0, NUM_NONE, 0); }
/* "<msg> '<detail>': <errno>" */
static __attribute__((noinline)) _Noreturn void die_errno(u32 code, u32 msg, u32 detail, u32 err) {
  die(code, msg, detail, RO(":"), NUM_ERRNO, err);
}

/* ---- borrowing the window at address 0 while the program is live ----
 * ckpt_with_window(action, msg, number) becomes a call of a function the injector generates:
 * it recursively loads the window, a chunk per level, into wasm locals (where the program
 * cannot see them), calls ckpt_window_action(action, msg, number) at the innermost level, and
 * on the way out stores every chunk back, unless the result has WINDOW_KEEP (then memory stays
 * as the action left it). This keeps per-module code small: no 512 globals and no straight-line
 * copy of the window. Only the actions below run with the window borrowed. */
#define ACTION_START 0u   /* read the settings at start-up (see read_settings) */
#define ACTION_TIMED 1u   /* returns whether a checkpoint is due by time (checkpoint_due) */
#define ACTION_SAY 2u     /* 'msg' (a MSG()) and 'number' */

/* A message while the program is live. */
static void say_live(u32 msg, u64 number) { ckpt_with_window(ACTION_SAY, msg, number); }

/* ---- environment ---- */
#define ENV_TOO_LARGE 1u /* never a value's address: 'area' is past the first 16 bytes */

/* Reads the WASI environment into [area, ...) and returns the address of the value of the
 * variable named 'name' (a MSG()), or 0. 'limit' bounds what may be used. */
static u32 env_lookup(u32 area, u32 limit, u32 name) {
  name += G32(SLOT_RODATA);
  if (area + 16 > limit) return 0;
  if (wasi_environ_sizes_get(area, area + 4) != 0) return 0;
  u32 count = ld32(area), size = ld32(area + 4);
  u32 ptrs = (area + 8 + 3) & ~3u;
  u32 buf = ptrs + count * 4;
  if (count > (limit - area) / 4 || size > limit - buf) return ENV_TOO_LARGE;
  if (wasi_environ_get(ptrs, buf) != 0) return 0;
  u32 name_len = str_len(name);
  for (u32 i = 0; i < count; i++) {
    u32 entry = ld32(ptrs + i * 4);
    u32 k = 0;
    while (k < name_len && ld8(entry + k) == ld8(name + k)) k++;
    if (k == name_len && ld8(entry + k) == '=') return entry + k + 1;
  }
  return 0;
}

/* Parses a decimal number; returns NOT_A_NUMBER if it is not one (or absurdly large). */
#define NOT_A_NUMBER UINT64_MAX
static u64 parse_u64(u32 s) {
  u64 v = 0;
  u32 n = 0;
  for (;; n++) {
    uint8_t c = ld8(s + n);
    if (c == 0) break;
    if (c < '0' || c > '9' || v > (UINT64_MAX - 9) / 10 - 1) return NOT_A_NUMBER;
    v = v * 10 + (c - '0');
  }
  return n > 0 ? v : NOT_A_NUMBER;
}

/* Whether a variable is set to something else than "" or "0". */
static u32 env_flag(u32 v) { return v && ld8(v) && !(ld8(v) == '0' && ld8(v + 1) == 0); }

/* "500ms", "30s", "2m", "1h" or a plain number of seconds, at least 1 of its unit, in
 * nanoseconds; NOT_A_NUMBER for anything else. */
static u64 parse_duration(u32 s) {
  u64 v = 0;
  u32 n = 0;
  for (; ld8(s + n) >= '0' && ld8(s + n) <= '9'; n++) {
    if (v > 1000000u) return NOT_A_NUMBER;
    v = v * 10 + (ld8(s + n) - '0');
  }
  u32 u = s + n;
  u64 scale = 0;
  if (ld8(u) == 0 || (ld8(u) == 's' && ld8(u + 1) == 0)) scale = 1000000000ull;
  else if (ld8(u) == 'm' && ld8(u + 1) == 's' && ld8(u + 2) == 0) scale = 1000000ull;
  else if (ld8(u) == 'm' && ld8(u + 1) == 0) scale = 60000000000ull;
  else if (ld8(u) == 'h' && ld8(u + 1) == 0) scale = 3600000000000ull;
  if (n == 0 || v == 0 || scale == 0) return NOT_A_NUMBER;
  return v * scale;
}

/* ---- preopened directories ----
 * Maps 'path' to (directory fd, path relative to it) the way wasi-libc does: the preopen whose
 * name is the longest prefix of the path at a component boundary; "." matches relative paths.
 * Returns (fd << 32 | address of the relative path, NUL-terminated, in place), or 0. */
/* The name of preopened directory 'fd' at 'dst' (at most PREOPEN_NAME_ROOM bytes), without the
 * NUL some runtimes count; returns its length, NOT_PREOPEN if 'fd' is open but no usable
 * preopened directory, PREOPENS_END if it is not open (the preopens are numbered from 3 on,
 * without gaps). */
#define PREOPEN_NAME_ROOM 4096u
#define NOT_PREOPEN (-1)
#define PREOPENS_END (-2)
static i32 preopen_name(u32 fd, u32 dst) {
  if (wasi_fd_prestat_get(fd, dst) != 0) return PREOPENS_END;
  if (ld8(dst) != 0) return NOT_PREOPEN;
  u32 n = ld32(dst + 4);
  if (n > PREOPEN_NAME_ROOM || wasi_fd_prestat_dir_name(fd, dst, n) != 0) return NOT_PREOPEN;
  while (n > 0 && ld8(dst + n - 1) == 0) n--;
  return (i32)n;
}

#define PREOPEN_FD(r) ((u32)((r) >> 32))
#define PREOPEN_PATH(r) ((u32)(r))
static u64 resolve_preopen(u32 path, u32 scratch) {
  while (ld8(path) == '.' && ld8(path + 1) == '/') path += 2;
  i32 best_fd = -1;
  u32 best_len = 0;
  for (u32 fd = 3; fd < 1024; fd++) {
    u32 name = scratch;
    i32 got = preopen_name(fd, name);
    if (got == PREOPENS_END) break;
    if (got == NOT_PREOPEN) continue;
    u32 n = (u32)got;
    if (n >= 2 && ld8(name) == '.' && ld8(name + 1) == '/') { name += 2; n -= 2; }
    while (n > 1 && ld8(name + n - 1) == '/') n--;
    if (n == 1 && ld8(name) == '.') n = 0;
    u32 match;
    if (n == 0) {
      if (ld8(path) == '/') continue;                        /* "." serves relative paths */
      match = 0;
    } else {
      u32 k = 0;
      while (k < n && ld8(path + k) == ld8(name + k)) k++;
      if (k != n) continue;
      uint8_t next = ld8(path + n);
      if (!(next == '/' || next == 0 || (n == 1 && ld8(name) == '/'))) continue;
      match = n;
    }
    if (best_fd < 0 || match > best_len) {
      best_fd = (i32)fd;
      best_len = match;
    }
  }
  if (best_fd < 0) return 0;
  u32 r = path + best_len;
  while (ld8(r) == '/') r++;
  if (ld8(r) == 0) return 0; /* the path names a preopened directory itself */
  return ((u64)(u32)best_fd << 32) | r;
}

/* ---- snapshot checksum: FNV-1a-64 over 32-bit little-endian words ---- */
static u64 hash_words(u64 h, u32 start, u32 len) {
  for (u32 a = start; a < start + len; a += 4) h = (h ^ ld32(a)) * SNAPSHOT_HASH_PRIME;
  return h;
}

/* Monotonic time in nanoseconds, through the 8 bytes at 'scratch' (0 if there is no clock). */
static u64 now_ns(u32 scratch) {
  if (wasi_clock_time_get(1, 1000, scratch) != 0) return 0;
  return ld64(scratch);
}

/* ---- the run-time flags ---- */
static u32 flag(u32 bit) { return G32(SLOT_FLAGS) & bit; }

/* The program's memory size in pages, what its memory.size instructions see (they call this):
 * the memory's own size until the run-time code first grows memory past the program's (a
 * checkpoint, which uses the space past the program's memory and may continue the run), from
 * then on SLOT_PROGRAM_PAGES. */
__attribute__((export_name("memory_size"))) u32 ckpt_memory_size(void) {
  return flag(FLAG_PAGES_KNOWN) ? G32(SLOT_PROGRAM_PAGES) : (u32)__builtin_wasm_memory_size(0);
}

/* Fixes the program's memory size before the run-time code grows memory past it. */
static void set_program_pages(u32 pages) {
  S32(SLOT_PROGRAM_PAGES, pages);
  S32(SLOT_FLAGS, G32(SLOT_FLAGS) | FLAG_PAGES_KNOWN);
}

/* ---- the descriptor table ----
 * The files the program opens through WASI survive a restore: the program's calls to path_open,
 * fd_close, fd_renumber, fd_fdstat_set_flags and sock_accept come here first (the injector
 * redirects them), and each descriptor they create or change gets a record (its layout is the
 * snapshot's, FILE_* in snapshot_layout.h): where it was opened, how, and its flags. The records
 * live just past the program's memory, in SLOT_FILES_CAP bytes reserved on first use, and move up
 * when the program grows its memory. A checkpoint copies them into the snapshot with each
 * regular file's offset; a restore reopens each file by its path under the same preopened
 * directory (without CREAT, EXCL or TRUNC), seeks to the offset and gives it its descriptor
 * number back, before the program runs again. Reads from descriptor 0 are counted, so that a
 * migration can feed the resumed run the rest of its input. */
#define FILES_SCRATCH 8192u /* kept free after the records, for a preopened directory's name */

static u32 files_base(void) { return G32(SLOT_PROGRAM_PAGES) * PAGE; }

/* Ensures the table's area holds 'bytes' bytes of records plus FILES_SCRATCH; returns its base. */
static u32 files_reserve(u32 bytes) {
  u64 need = ((u64)bytes + FILES_SCRATCH + PAGE - 1) / PAGE * PAGE;
  if (need > G32(SLOT_FILES_CAP)) {
    u32 program = ckpt_memory_size();
    u64 end = (u64)program * PAGE + need, have = mem_bytes();
    if (end > 0xffffffffull) return 0;
    if (end > have && __builtin_wasm_memory_grow(0, (u32)((end - have) / PAGE)) == (unsigned long)-1) return 0;
    if (!G32(SLOT_FILES_CAP)) set_program_pages(program);
    S32(SLOT_FILES_CAP, (u32)need);
  }
  return files_base();
}

/* The record of descriptor 'fd', or 0. */
static u32 file_record(u32 fd) {
  u32 base = files_base(), end = base + G32(SLOT_FILES_BYTES);
  if (!G32(SLOT_FILES_CAP)) return 0;
  for (u32 r = base; r < end; r += ld32(r + FILE_SIZE))
    if (ld32(r + FILE_FD) == fd) return r;
  return 0;
}

static void file_forget(u32 fd) {
  u32 r = file_record(fd);
  if (!r) return;
  u32 size = ld32(r + FILE_SIZE), end = files_base() + G32(SLOT_FILES_BYTES);
  copy_bytes(r, r + size, end - r - size);
  S32(SLOT_FILES_BYTES, G32(SLOT_FILES_BYTES) - size);
}

/* Starts a record for 'fd' at the table's end, with room for 'text' bytes after its header;
 * returns its address (0: no memory for it, which a checkpoint then reports). */
static u32 file_begin(u32 fd, u32 kind, u32 text) {
  file_forget(fd);
  u32 used = G32(SLOT_FILES_BYTES);
  u32 base = files_reserve(used + FILE_RECORD_HEADER + text + 4);
  if (!base) {
    S32(SLOT_FLAGS, G32(SLOT_FLAGS) | FLAG_FILES_LOST);
    return 0;
  }
  u32 r = base + used;
  fill_zero(r, FILE_RECORD_HEADER);
  st32(r + FILE_FD, fd);
  st32(r + FILE_KIND, kind);
  return r;
}

static void file_commit(u32 r) {
  u32 size = (FILE_RECORD_HEADER + ld32(r + FILE_DIR_LEN) + ld32(r + FILE_PATH_LEN) + 3) & ~3u;
  fill_zero(r + FILE_RECORD_HEADER + ld32(r + FILE_DIR_LEN) + ld32(r + FILE_PATH_LEN), 3);
  st32(r + FILE_SIZE, size);
  S32(SLOT_FILES_BYTES, G32(SLOT_FILES_BYTES) + size);
}

__attribute__((export_name("path_open"))) u32 ckpt_path_open(u32 dirfd, u32 lookup, u32 path, u32 path_len, u32 oflags,
                                                               u64 rights_base, u64 rights_inheriting, u32 fdflags, u32 fd_out) {
  u32 err = wasi_path_open(dirfd, lookup, path, path_len, oflags, rights_base, rights_inheriting, fdflags, fd_out);
  if (err != 0) return err;
  u32 fd = ld32(fd_out);
  /* Under a directory the program opened: the same preopen, the paths joined. */
  u32 parent = file_record(dirfd);
  u32 parent_dir = parent ? ld32(parent + FILE_DIR_LEN) : 0, parent_path = parent ? ld32(parent + FILE_PATH_LEN) : 0;
  u32 r = file_begin(fd, FILE_KIND_OPENED, (parent ? parent_dir + parent_path + 1 : PREOPEN_NAME_ROOM) + path_len);
  if (!r) return 0;
  parent = file_record(dirfd); /* file_begin may have dropped a stale record of 'fd', moving those after it */
  u32 text = r + FILE_RECORD_HEADER, dir_len, prefix = 0;
  if (parent && ld32(parent + FILE_KIND) == FILE_KIND_OPENED) {
    dir_len = parent_dir;
    copy_bytes(text, parent + FILE_RECORD_HEADER, parent_dir + parent_path);
    prefix = parent_path;
    st8(text + dir_len + prefix++, '/');
  } else {
    i32 n = preopen_name(dirfd, text);
    if (n < 0) st32(r + FILE_KIND, FILE_KIND_FOREIGN);
    dir_len = n < 0 ? 0 : (u32)n;
  }
  copy_bytes(text + dir_len + prefix, path, path_len);
  st32(r + FILE_DIR_LEN, dir_len);
  st32(r + FILE_PATH_LEN, prefix + path_len);
  st32(r + FILE_OFLAGS, oflags);
  st32(r + FILE_FDFLAGS, fdflags);
  st32(r + FILE_LOOKUPFLAGS, lookup);
  st64(r + FILE_RIGHTS_BASE, rights_base);
  st64(r + FILE_RIGHTS_INHERITING, rights_inheriting);
  /* fd_filestat_get writes 64 bytes; the filetype is at 16. The scratch after the record is
   * free (FILES_SCRATCH). */
  u32 stat = (r + FILE_RECORD_HEADER + dir_len + prefix + path_len + 7 + 8) & ~7u;
  st32(r + FILE_FILETYPE, wasi_fd_filestat_get(fd, stat) == 0 ? ld8(stat + 16) : 0);
  file_commit(r);
  return 0;
}

__attribute__((export_name("fd_close"))) u32 ckpt_fd_close(u32 fd) {
  u32 err = wasi_fd_close(fd);
  if (err == 0 && ckpt_files_used()) file_forget(fd);
  return err;
}

__attribute__((export_name("fd_renumber"))) u32 ckpt_fd_renumber(u32 from, u32 to) {
  u32 err = wasi_fd_renumber(from, to);
  if (err != 0 || from == to || !ckpt_files_used()) return err;
  file_forget(to);
  u32 r = file_record(from);
  if (r) st32(r + FILE_FD, to);
  return 0;
}

__attribute__((export_name("fd_fdstat_set_flags"))) u32 ckpt_fd_fdstat_set_flags(u32 fd, u32 flags) {
  u32 err = wasi_fd_fdstat_set_flags(fd, flags);
  if (err != 0) return err;
  u32 r = file_record(fd);
  if (!r && (r = file_begin(fd, FILE_KIND_STREAM, 0)) != 0) file_commit(r);
  if (r) st32(r + FILE_FDFLAGS, flags);
  return 0;
}

__attribute__((export_name("sock_accept"))) u32 ckpt_sock_accept(u32 fd, u32 flags, u32 fd_out) {
  u32 err = wasi_sock_accept(fd, flags, fd_out);
  if (err != 0) return err;
  u32 r = file_begin(ld32(fd_out), FILE_KIND_SOCKET, 0);
  if (r) file_commit(r);
  return 0;
}

/* Counts what the program reads from descriptor 0 (unless a file took that number). */
__attribute__((export_name("fd_read"))) u32 ckpt_fd_read(u32 fd, u32 iovs, u32 iovs_len, u32 nread) {
  u32 err = wasi_fd_read(fd, iovs, iovs_len, nread);
  if (err == 0 && fd == 0 && !(ckpt_files_used() && file_record(0))) S64(SLOT_STDIN_READ, G64(SLOT_STDIN_READ) + ld32(nread));
  return err;
}

/* Sets the countdown to the next slow poll from the settings of this run. */
static void arm_countdown(void) {
  u64 next = 0x40000000u;
  if (flag(FLAG_TRIGGER | FLAG_EVERY)) {
    u32 interval = G32(SLOT_TRIGGER_INTERVAL);
    if (interval && next > interval) next = interval;
  }
  u64 at = G64(SLOT_AT);
  if (at) {
    u64 polls = G64(SLOT_POLLS);
    if (at <= polls) next = 1;
    else if (at - polls < next) next = at - polls;
  }
  S32(SLOT_COUNTDOWN, (u32)next);
  S32(SLOT_RELOAD, (u32)next);
}

/* ---- reading a snapshot (from a file or from the segment baked in by `wasm-ckpt resume`) ----
 * Reads exactly 'len' bytes of the stream to 'dst'. Reading from a file needs a 16-byte iovec
 * in memory; it is placed where it cannot overlap 'dst' and its old contents are put back,
 * because during the final phase of a restore the bytes around 'dst' are already restored. */
static void read_exact(u32 dst, u32 len) {
  if (len == 0) return;
  u32 pos = G32(SLOT_READ_POS);
  if (len > G32(SLOT_READ_END) - pos)
    reject(MSG("snapshot is truncated"));
  S32(SLOT_READ_POS, pos + len);
  if (flag(FLAG_BAKED)) {
    ckpt_baked_copy(dst, pos, len);
    return;
  }
  u32 iov = dst >= 16 ? 0 : dst + len;
  if (iov + 16 > mem_bytes()) reject(MSG("memory too small to restore"));
  u64 keep0 = ld64(iov), keep1 = ld64(iov + 8);
  u32 fd = G32(SLOT_READ_FD);
  while (len > 0) {
    st32(iov, dst);
    st32(iov + 4, len);
    u32 err = wasi_fd_read(fd, iov, 1, iov + 8);
    u32 n = ld32(iov + 8);
    if (err != 0) die(EXIT_SNAPSHOT_REJECTED, MSG("cannot read snapshot:"), 0, 0, NUM_ERRNO, err);
    if (n == 0 || n > len) reject(MSG("snapshot is truncated"));
    dst += n;
    len -= n;
  }
  st64(iov, keep0);
  st64(iov + 8, keep1);
}

/* Reads one little-endian u32 through the 8 bytes at 'tmp', keeping their contents. */
static u32 read_u32_at(u32 tmp) {
  u64 keep = ld64(tmp);
  read_exact(tmp, 4);
  u32 v = ld32(tmp);
  st64(tmp, keep);
  return v;
}

static void seek_stream(u32 pos) {
  S32(SLOT_READ_POS, pos);
  if (!flag(FLAG_BAKED) && wasi_fd_seek(G32(SLOT_READ_FD), pos, 0, 0) != 0)
    reject(MSG("cannot seek in snapshot"));
}

/* ---- the descriptor table at a checkpoint and at a restore ---- */

/* "DIR/PATH", NUL-terminated, at 'dst'; returns 'dst'. */
static u32 file_name(u32 r, u32 dst) {
  u32 dir = ld32(r + FILE_DIR_LEN), path = ld32(r + FILE_PATH_LEN), p = dst;
  p = put_bytes(p, r + FILE_RECORD_HEADER, dir);
  if (dir && ld8(p - 1) != '/') st8(p++, '/');
  p = put_bytes(p, r + FILE_RECORD_HEADER + dir, path);
  st8(p, 0);
  return dst;
}

/* Copies the table to 'dst' as the snapshot's files section, each regular file's offset taken
 * now; a descriptor that cannot be restored stops the checkpoint. */
static void save_files(u32 dst, u32 scratch) {
  u32 bytes = G32(SLOT_FILES_BYTES), count = 0;
  fill_zero(dst, FILES_HEADER_SIZE);
  st64(dst + FILES_STDIN_READ, G64(SLOT_STDIN_READ));
  if (!ckpt_files_used()) return;
  if (flag(FLAG_FILES_LOST))
    die_detail(EXIT_IO_ERROR, MSG("cannot checkpoint: a descriptor the program opened could not be recorded (out of memory)"), 0);
  if (bytes) copy_bytes(dst + FILES_HEADER_SIZE, files_base(), bytes);
  for (u32 r = dst + FILES_HEADER_SIZE; r < dst + FILES_HEADER_SIZE + bytes; r += ld32(r + FILE_SIZE), count++) {
    u32 kind = ld32(r + FILE_KIND), fd = ld32(r + FILE_FD);
    if (kind == FILE_KIND_SOCKET)
      die(EXIT_IO_ERROR, MSG("cannot checkpoint: a socket from sock_accept cannot be restored, descriptor"), 0, 0, NUM_DECIMAL, fd);
    if (kind == FILE_KIND_FOREIGN)
      die_detail(EXIT_IO_ERROR, MSG("cannot checkpoint: this file was opened under a descriptor that is no preopened directory:"), file_name(r, scratch));
    if (kind == FILE_KIND_OPENED && ld32(r + FILE_FILETYPE) == WASI_FILETYPE_REGULAR_FILE) {
      u32 err = wasi_fd_tell(fd, r + FILE_OFFSET);
      if (err != 0) die_errno(EXIT_IO_ERROR, MSG("cannot checkpoint: cannot tell the offset of"), file_name(r, scratch), err);
    }
  }
  st32(dst + FILES_COUNT, count);
}

/* Checks the records read to the table (a snapshot from elsewhere is not trusted). */
static void check_files(u32 count) {
  u32 base = files_base(), end = base + G32(SLOT_FILES_BYTES), n = 0;
  for (u32 r = base; r < end; n++) {
    u32 size = ld32(r + FILE_SIZE), kind = ld32(r + FILE_KIND);
    u64 text = (u64)ld32(r + FILE_DIR_LEN) + ld32(r + FILE_PATH_LEN);
    if (size < FILE_RECORD_HEADER || size % 4 || size > end - r || text > size - FILE_RECORD_HEADER ||
        (kind != FILE_KIND_OPENED && kind != FILE_KIND_STREAM) || (kind == FILE_KIND_OPENED && ld32(r + FILE_PATH_LEN) == 0))
      reject(MSG("snapshot is corrupted (file records)"));
    for (u32 q = base; q < r; q += ld32(q + FILE_SIZE))
      if (ld32(q + FILE_FD) == ld32(r + FILE_FD)) reject(MSG("snapshot is corrupted (file records)"));
    r += size;
  }
  if (n != count) reject(MSG("snapshot is corrupted (file records)"));
}

/* The preopened directory named like record 'r''s, or -1. */
static i32 find_preopen(u32 r, u32 scratch) {
  u32 dir = ld32(r + FILE_DIR_LEN), want = r + FILE_RECORD_HEADER;
  for (u32 fd = 3; fd < 1024; fd++) {
    i32 n = preopen_name(fd, scratch);
    if (n == PREOPENS_END) return -1;
    if ((u32)n != dir) continue;
    u32 k = 0;
    while (k < dir && ld8(scratch + k) == ld8(want + k)) k++;
    if (k == dir) return (i32)fd;
  }
  return -1;
}

/* "APPEND,NONBLOCK": the names of WASI fdflags 'flags' at 'dst'. */
static u32 fdflag_names(u32 dst, u32 flags) {
  u32 names = RO("APPEND\0DSYNC\0NONBLOCK\0RSYNC\0SYNC\0"), p = dst;
  for (u32 bit = 0; bit < 5; bit++, names += str_len(names) + 1) {
    if (!(flags & (1u << bit))) continue;
    if (p != dst) st8(p++, ',');
    p = put_str(p, names);
  }
  st8(p, 0);
  return dst;
}

/* Makes 'fd' the number of 'target' (the record 'r', for messages): WASI's fd_renumber needs
 * the target number open in some runtimes (Node's), so free numbers below it are filled with
 * placeholders (the same file opened again, without rights; their numbers kept at 'held') until
 * one lands on it. 'scratch' is for messages. */
static void give_number(u32 fd, u32 target, u32 dirfd, u32 r, u32 scratch, u32 held) {
  if (fd == target || wasi_fd_renumber(fd, target) == 0) return;
  u32 count = 0, out = held - 8;
  for (;;) {
    u32 err = wasi_path_open(dirfd, ld32(r + FILE_LOOKUPFLAGS), r + FILE_RECORD_HEADER + ld32(r + FILE_DIR_LEN),
                             ld32(r + FILE_PATH_LEN), ld32(r + FILE_OFLAGS) & OFLAG_DIRECTORY, 0, 0, 0, out);
    if (err != 0 || count >= 1024)
      die_errno(EXIT_SNAPSHOT_REJECTED, MSG("cannot give back the descriptor number of"), file_name(r, scratch), err);
    u32 p = ld32(out);
    if (p == target) break;
    if (p > target) die(EXIT_SNAPSHOT_REJECTED, MSG("cannot give back the descriptor number of"), file_name(r, scratch),
                        RO(", number"), NUM_DECIMAL, target);
    st32(held + 4 * count++, p);
  }
  u32 err = wasi_fd_renumber(fd, target);
  if (err != 0) die_errno(EXIT_SNAPSHOT_REJECTED, MSG("cannot give back the descriptor number of"), file_name(r, scratch), err);
  for (u32 i = 0; i < count; i++) wasi_fd_close(ld32(held + 4 * i));
}

/* Reopens the table's files (in ascending descriptor order, so that placeholders never take a
 * number still to be given back) and sets again the flags the program set on other descriptors.
 * 'scratch' is the free space after the records (read_files reserved it): a file's name there
 * (at most the records' size), then a preopened directory's name, then the placeholders. */
static void reopen_files(u32 scratch) {
  u32 base = files_base(), end = base + G32(SLOT_FILES_BYTES), last = 0, started = 0;
  u32 names = scratch + G32(SLOT_FILES_BYTES) + 16, held = names + PREOPEN_NAME_ROOM + 16;
  for (;;) {
    u32 r = 0;
    for (u32 q = base; q < end; q += ld32(q + FILE_SIZE)) {
      u32 fd = ld32(q + FILE_FD);
      if ((!started || fd > last) && (!r || fd < ld32(r + FILE_FD))) r = q;
    }
    if (!r) return;
    u32 target = ld32(r + FILE_FD), flags = ld32(r + FILE_FDFLAGS);
    started = 1;
    last = target;
    if (ld32(r + FILE_KIND) == FILE_KIND_STREAM) {
      if (wasi_fd_fdstat_set_flags(target, flags) != 0)
        say(names, MSG("warning: the destination refuses the descriptor flags"), fdflag_names(scratch, flags),
            RO(" the program set on descriptor"), NUM_DECIMAL, target);
      continue;
    }
    i32 dirfd = find_preopen(r, names);
    if (dirfd < 0) die_detail(EXIT_SNAPSHOT_REJECTED, MSG("cannot reopen a file: its preopened directory is missing:"), file_name(r, scratch));
    if (preopen_name(target, names) >= 0)
      die(EXIT_SNAPSHOT_REJECTED, MSG("cannot reopen a file under its number: a preopened directory has it:"), file_name(r, scratch),
          RO(", number"), NUM_DECIMAL, target);
    u32 dir = ld32(r + FILE_DIR_LEN), out = names;
    u32 oflags = ld32(r + FILE_OFLAGS) & ~(OFLAG_CREAT | OFLAG_EXCL | OFLAG_TRUNC);
    u32 err = wasi_path_open((u32)dirfd, ld32(r + FILE_LOOKUPFLAGS), r + FILE_RECORD_HEADER + dir, ld32(r + FILE_PATH_LEN), oflags,
                             ld64(r + FILE_RIGHTS_BASE), ld64(r + FILE_RIGHTS_INHERITING), flags, out);
    if (err != 0) die_errno(EXIT_SNAPSHOT_REJECTED, MSG("cannot reopen file"), file_name(r, scratch), err);
    u32 fd = ld32(out);
    if (ld32(r + FILE_FILETYPE) == WASI_FILETYPE_REGULAR_FILE) {
      err = wasi_fd_seek(fd, (i64)ld64(r + FILE_OFFSET), 0, out);
      if (err != 0) die_errno(EXIT_SNAPSHOT_REJECTED, MSG("cannot seek in reopened file"), file_name(r, scratch), err);
    }
    give_number(fd, target, (u32)dirfd, r, scratch, held);
  }
}

/* Reads the snapshot's files section ('size' bytes, at the stream's position) into the table,
 * with room after the records for what reopen_files needs. The files are reopened at the end of
 * the restore, once the snapshot's own descriptor is closed and its number free. */
static void read_files(u32 size) {
  u32 at = FRAME_READ_AT;
  read_exact(at, FILES_HEADER_SIZE);
  S64(SLOT_STDIN_READ, ld64(at + FILES_STDIN_READ));
  u32 count = ld32(at + FILES_COUNT), bytes = size - FILES_HEADER_SIZE;
  S32(SLOT_FILES_BYTES, 0);
  if (!bytes || !ckpt_files_used()) { /* this module's snapshots have no records */
    if (count || bytes) reject(MSG("snapshot is corrupted (file records)"));
    return;
  }
  u32 base = bytes <= 0x10000000u ? files_reserve(2 * bytes + FILES_SCRATCH) : 0;
  if (!base) reject_number(MSG("cannot grow memory for the descriptor table, bytes"), bytes);
  read_exact(base, bytes);
  S32(SLOT_FILES_BYTES, bytes);
  check_files(count);
}

/* Validates the header at address 0 and the whole stream's checksum, then positions the stream
 * at the first frame. On any mismatch the process exits before the program runs again.
 * restore_begin, frame_read and restore_finish are the run-time code's restore entries: only a
 * restore runs them and what they alone call, which a module that keeps its rewind copies aside
 * keeps aside too (analysis/restore_only.h); not inlined, so that their code stays apart. */
__attribute__((export_name("restore_begin"), noinline)) void open_snapshot_stream(u32 path) {
  u32 total;
  if (flag(FLAG_BAKED)) {
    total = ckpt_baked_size();
  } else {
    u32 work = G32(SLOT_RODATA) + ((ckpt_rodata_size() + 15) & ~15u);
    u64 where = resolve_preopen(path, work);
    u32 dirfd = PREOPEN_FD(where), rel = PREOPEN_PATH(where);
    if (!where) die_detail(EXIT_SNAPSHOT_REJECTED, MSG("snapshot path is not inside a preopened directory:"), path);
    u32 fd_out = work;
    u32 err = wasi_path_open(dirfd, 1, rel, str_len(rel), 0,
                             RIGHT_FD_READ | RIGHT_FD_SEEK | RIGHT_FD_TELL | RIGHT_FD_FILESTAT_GET, 0, 0, fd_out);
    if (err != 0) die_errno(EXIT_SNAPSHOT_REJECTED, MSG("cannot open snapshot"), path, err);
    u32 fd = ld32(fd_out);
    S32(SLOT_READ_FD, fd);
    if (wasi_fd_filestat_get(fd, work) != 0) die_detail(EXIT_SNAPSHOT_REJECTED, MSG("cannot stat snapshot"), path);
    u64 size = ld64(work + 32);
    total = size > 0xffffffffu ? 0xffffffffu : (u32)size;
  }
  S32(SLOT_READ_POS, 0);
  S32(SLOT_READ_END, total);
  if (total < SNAPSHOT_HEADER_SIZE) reject(MSG("snapshot is truncated"));
  u32 h = 16; /* the header is read to [16, 80): clear of the iovec at 0 and of the strings */
  read_exact(h, SNAPSHOT_HEADER_SIZE);
  if (ld64(h + HDR_MAGIC) != SNAPSHOT_MAGIC) reject(MSG("not a wasm-ckpt snapshot"));
  if (ld32(h + HDR_VERSION) != SNAPSHOT_VERSION)
    reject_number(MSG("unsupported snapshot format version"), ld32(h + HDR_VERSION));
  if (ld64(h + HDR_MODULE_HASH) != ckpt_module_hash())
    reject(MSG("snapshot was taken from another module"));
  u32 pages = ld32(h + HDR_MEMORY_PAGES), stored = ld32(h + HDR_STORED_PAGES);
  u32 frames_size = ld32(h + HDR_FRAMES_SIZE), globals_size = ld32(h + HDR_GLOBALS_SIZE);
  u32 files_size = ld32(h + HDR_FILES_SIZE);
  u64 expect = (u64)SNAPSHOT_HEADER_SIZE + files_size + frames_size + globals_size + (u64)stored * (4 + PAGE);
  if (expect != total || stored > pages || globals_size != ckpt_globals_size() || files_size < FILES_HEADER_SIZE ||
      files_size % 4 ||
      ld32(h + HDR_FRAME_COUNT) == 0 || ld32(h + HDR_HEADER_SIZE) != SNAPSHOT_HEADER_SIZE)
    reject(MSG("snapshot is corrupted (sizes do not add up)"));
  if (pages == 0) reject(MSG("snapshot has no memory to restore into"));
  if (pages > ckpt_memory_limit())
    reject_number(MSG("snapshot holds more memory than the program may have, pages"), pages);
  u64 checksum = ld64(h + HDR_CHECKSUM);
  S32(SLOT_MEM_PAGES, pages);
  S32(SLOT_STORED_PAGES, stored);
  S32(SLOT_FRAMES_LEFT, ld32(h + HDR_FRAME_COUNT));
  S64(SLOT_POLLS_BEFORE, ld64(h + HDR_POLL_COUNT));
  /* Grow to the checkpointed size so that frames can be read into memory. */
  u32 have = (u32)__builtin_wasm_memory_size(0);
  if (pages > have && __builtin_wasm_memory_grow(0, pages - have) == (unsigned long)-1)
    reject_number(MSG("cannot grow memory to pages"), pages);
  set_program_pages(pages); /* memory past it (grown by a start function) is handed over zeroed */
  /* Verify the checksum over everything after its field before anything is used. */
  u64 hash = hash_words(SNAPSHOT_HASH_SEED, h + HDR_CHECKED_FROM, SNAPSHOT_HEADER_SIZE - HDR_CHECKED_FROM);
  u32 chunk = mem_limit32() - FRAME_READ_AT - 16;
  if (chunk > 4 * PAGE) chunk = 4 * PAGE;
  u32 left = total - SNAPSHOT_HEADER_SIZE;
  while (left > 0) {
    u32 n = left < chunk ? left : chunk;
    read_exact(FRAME_READ_AT, n);
    hash = hash_words(hash, FRAME_READ_AT, n);
    left -= n;
  }
  if (hash != checksum) reject(MSG("snapshot is corrupted (checksum mismatch)"));
  seek_stream(SNAPSHOT_HEADER_SIZE);
  read_files(files_size);
}

/* Called by each instrumented function's prologue while rewinding: reads that function's frame
 * record into address FRAME_READ_AT, points the frame_load cursor at its payload and returns the
 * frame's resume point. */
__attribute__((export_name("frame_read"))) u32 ckpt_frame_read(u32 func_index, u32 payload_size, u32 max_resume) {
  u32 left = G32(SLOT_FRAMES_LEFT);
  if (left == 0) reject(MSG("snapshot has too few frames"));
  S32(SLOT_FRAMES_LEFT, left - 1);
  /* The snapshot just written (checkpoint-and-continue) is read in place, past the program's
   * memory, which must stay untouched; a snapshot from a file or baked in is read to
   * FRAME_READ_AT, since all of memory is rewritten afterwards. */
  u32 in_memory = flag(FLAG_IN_MEMORY);
  u32 at = in_memory ? G32(SLOT_READ_BASE) + G32(SLOT_READ_POS) : FRAME_READ_AT;
  if (!in_memory) read_exact(at, FRAME_HEADER_SIZE);
  u32 resume = ld32(at + FRAME_RESUME_ID);
  if (ld32(at + FRAME_FUNC_INDEX) != func_index || ld32(at + FRAME_PAYLOAD_SIZE) != payload_size ||
      resume == 0 || resume > max_resume)
    reject(MSG("snapshot frames do not match the module's functions"));
  S32(SLOT_FRAME_CURSOR, at + FRAME_HEADER_SIZE);
  if (in_memory) {
    S32(SLOT_READ_POS, G32(SLOT_READ_POS) + FRAME_HEADER_SIZE + payload_size);
    return resume;
  }
  if ((u64)at + FRAME_HEADER_SIZE + payload_size + 16 > (u64)G32(SLOT_MEM_PAGES) * PAGE)
    reject_number(MSG("memory too small to restore a frame of size"), payload_size);
  read_exact(at + FRAME_HEADER_SIZE, payload_size);
  return resume;
}

/* The last step of a restore, at the poll point where the checkpoint was taken: reload the
 * globals and every memory page, then let the program continue. */
__attribute__((export_name("restore_finish"), noinline)) void finish_restore(void) {
  if (G32(SLOT_FRAMES_LEFT) != 0) reject(MSG("snapshot has too many frames"));
  if (flag(FLAG_IN_MEMORY)) {
    /* Checkpoint-and-continue: the program's memory was never left; its globals are put back as
     * the snapshot holds them, as a restore from a file would. */
    u32 at = G32(SLOT_READ_BASE) + G32(SLOT_READ_POS);
    ckpt_restore_globals(at);
    u64 pause_ns = now_ns(at) - G64(SLOT_PAUSE_FROM_NS);
    S32(SLOT_FLAGS, G32(SLOT_FLAGS) & ~FLAG_IN_MEMORY);
    S32(SLOT_STATE, STATE_NORMAL);
    S64(SLOT_POLLS, 0);
    if (flag(FLAG_VERBOSE)) say_live(MSG("running again after a checkpoint pause of microseconds:"), pause_ns / 1000);
    arm_countdown();
    return;
  }
  u32 gsize = ckpt_globals_size();
  if ((u64)FRAME_READ_AT + gsize + 16 > (u64)G32(SLOT_MEM_PAGES) * PAGE) reject(MSG("memory too small to restore"));
  read_exact(FRAME_READ_AT, gsize);
  ckpt_restore_globals(FRAME_READ_AT);
  u32 pages = G32(SLOT_MEM_PAGES), stored = G32(SLOT_STORED_PAGES);
  u32 next = 0;
  for (u32 i = 0; i < stored; i++) {
    u32 index = read_u32_at(16);
    if (index < next || index >= pages) reject(MSG("snapshot page table is corrupted"));
    if (index > next) fill_zero(next * PAGE, (index - next) * PAGE);
    read_exact(index * PAGE, PAGE / 2);
    read_exact(index * PAGE + PAGE / 2, PAGE / 2);
    next = index + 1;
  }
  if (next < pages) fill_zero(next * PAGE, (pages - next) * PAGE);
  if (!flag(FLAG_BAKED)) wasi_fd_close(G32(SLOT_READ_FD));
  /* Before the program runs again: a file that cannot be reopened stops the restore here. */
  if (ckpt_files_used()) reopen_files(files_base() + G32(SLOT_FILES_BYTES));
  S32(SLOT_STATE, STATE_NORMAL);
  S64(SLOT_POLLS, 0);
  if (flag(FLAG_VERBOSE)) say_live(MSG("restored; resuming at poll"), G64(SLOT_POLLS_BEFORE));
  arm_countdown();
}

/* ---- writing a snapshot ---- */
static u32 write_all(u32 fd, u32 start, u32 len, u32 iov) {
  while (len > 0) {
    st32(iov, start);
    st32(iov + 4, len);
    u32 err = wasi_fd_write(fd, iov, 1, iov + 8);
    if (err != 0) return err;
    u32 n = ld32(iov + 8);
    if (n == 0 || n > len) return 29; /* EIO */
    start += n;
    len -= n;
  }
  return 0;
}

static int page_is_zero(u32 base) {
  for (u32 a = base; a < base + PAGE; a += 8)
    if (ld64(a)) return 0;
  return 1;
}

/* Ensures memory reaches 'end' (only while checkpointing: the process exits afterwards). */
static void ensure_memory(u32 end) {
  u64 have = mem_bytes();
  if (end <= have) return;
  u32 pages = (end - have + PAGE - 1) / PAGE;
  if (__builtin_wasm_memory_grow(0, pages) == (unsigned long)-1)
    die_detail(EXIT_IO_ERROR, MSG("cannot grow memory to write the snapshot"), 0);
}

/* The program's memory.grow. The instrumented module declares no maximum size, so that a
 * checkpoint can always grow memory to write the snapshot: the program's growth fails here
 * exactly where the declared maximum made it fail. Past a checkpoint that continued, memory may
 * be larger than the program's: growth first hands over those pages, zeroed as fresh pages
 * are, so the program sees the same sizes and contents as in an uninterrupted run. */
__attribute__((export_name("grow_memory"))) u32 ckpt_grow_memory(u32 pages) {
  u32 have = ckpt_memory_size();
  if (pages > ckpt_memory_limit() - have) return (u32)-1;
  if (!flag(FLAG_PAGES_KNOWN)) return (u32)__builtin_wasm_memory_grow(0, pages);
  /* The descriptor table, if any, moves up to stay just past the program's memory. */
  u32 table_pages = ckpt_files_used() ? G32(SLOT_FILES_CAP) / PAGE : 0;
  u32 real = (u32)__builtin_wasm_memory_size(0), want = have + pages;
  if ((u64)want + table_pages > 65536u) return (u32)-1;
  if (want + table_pages > real && __builtin_wasm_memory_grow(0, want + table_pages - real) == (unsigned long)-1)
    return (u32)-1;
  if (table_pages && pages) copy_bytes(want * PAGE, have * PAGE, G32(SLOT_FILES_BYTES));
  u32 used_end = want < real ? want : real;
  if (used_end > have) fill_zero(have * PAGE, (used_end - have) * PAGE);
  S32(SLOT_PROGRAM_PAGES, want);
  return have;
}

/* Called by instrumented functions while unwinding: reserves a frame record for a payload of
 * 'payload_size' bytes and points the frame_store cursor at the payload. Records are appended
 * past the program's memory, each followed by its total size so that they can be reversed
 * afterwards. */
__attribute__((export_name("frame_reserve"))) void ckpt_frame_reserve(u32 func_index, u32 resume_id, u32 payload_size) {
  u32 at = G32(SLOT_FRAMES_END);
  u32 total = FRAME_HEADER_SIZE + payload_size;
  ensure_memory(at + total + 4);
  st32(at + FRAME_FUNC_INDEX, func_index);
  st32(at + FRAME_RESUME_ID, resume_id);
  st32(at + FRAME_PAYLOAD_SIZE, payload_size);
  st32(at + total, total);
  S32(SLOT_FRAMES_END, at + total + 4);
  S32(SLOT_FRAMES_LEFT, G32(SLOT_FRAMES_LEFT) + 1);
  S32(SLOT_FRAME_CURSOR, at + FRAME_HEADER_SIZE);
}

static void begin_checkpoint(void) {
  u32 pages = ckpt_memory_size();
  set_program_pages(pages);
  S32(SLOT_MEM_PAGES, pages);
  S32(SLOT_FRAMES_LEFT, 0);
  u32 base = pages * PAGE + (ckpt_files_used() ? G32(SLOT_FILES_CAP) : 0); /* past the descriptor table */
  ensure_memory(base + PAGE);
  S64(SLOT_PAUSE_FROM_NS, now_ns(base));
  S32(SLOT_FRAMES_BASE, base);
  S32(SLOT_FRAMES_END, base);
  S32(SLOT_STATE, STATE_UNWINDING);
  S32(SLOT_COUNTDOWN, COUNTDOWN_UNWINDING);
}

/* "NAME.N" at 'dst' for the relative path 'rel' of length 'len'. */
static u32 numbered_name(u32 dst, u32 rel, u32 len, u32 n) {
  copy_bytes(dst, rel, len);
  st8(dst + len, '.');
  st8(put_u64(dst + len + 1, n), 0);
  return dst;
}

/* WASM_CKPT_KEEP=N: before a new snapshot replaces PATH, the older generations move one place
 * down, PATH.1 (the previous snapshot) to PATH.N-1, and the oldest is dropped. Each step is an
 * atomic rename; between the last two steps PATH is briefly absent, PATH.1 then being the
 * newest. Errors (a generation that does not exist yet) are ignored. */
static void rotate_generations(u32 dirfd, u32 rel, u32 keep, u32 scratch) {
  u32 len = str_len(rel);
  u32 older = scratch, newer = scratch + len + 32;
  numbered_name(older, rel, len, keep - 1);
  wasi_path_unlink_file(dirfd, older, str_len(older));
  for (u32 i = keep - 1; i > 1; i--) {
    numbered_name(older, rel, len, i - 1);
    numbered_name(newer, rel, len, i);
    wasi_path_rename(dirfd, older, str_len(older), dirfd, newer, str_len(newer));
  }
  numbered_name(newer, rel, len, 1);
  wasi_path_rename(dirfd, rel, len, dirfd, newer, str_len(newer));
}

/* After the stack has unwound into the _start wrapper: lay out and write the snapshot, then
 * exit, or, with WASM_CKPT_CONTINUE, set up the rewind from the snapshot just laid out and
 * return. Layout in memory past the program's pages and the descriptor table: [frames as unwound][header][files][frames
 * outermost-first][globals][page indices][work area]. */
static void write_checkpoint(void) {
  u32 pages = G32(SLOT_MEM_PAGES);
  u32 src_begin = G32(SLOT_FRAMES_BASE), src_end = G32(SLOT_FRAMES_END);
  u32 frame_count = G32(SLOT_FRAMES_LEFT);
  u32 header = (src_end + 15) & ~15u;
  u32 files = header + SNAPSHOT_HEADER_SIZE, files_size = FILES_HEADER_SIZE + (ckpt_files_used() ? G32(SLOT_FILES_BYTES) : 0);
  u32 frames = files + files_size;
  ensure_memory(frames + (src_end - src_begin) + ckpt_globals_size() + pages * 4 + 4 * PAGE);
  /* Reverse the records: innermost was written first, the restore wants outermost first. */
  u32 out = frames;
  for (u32 end = src_end; end > src_begin;) {
    u32 total = ld32(end - 4);
    copy_bytes(out, end - 4 - total, total);
    out += total;
    end -= total + 4;
  }
  u32 frames_size = out - frames;
  u32 globals = out;
  ckpt_save_globals(globals);
  u32 globals_size = ckpt_globals_size();
  u32 table = globals + globals_size;
  u32 stored = 0;
  for (u32 p = 0; p < pages; p++)
    if (!page_is_zero(p * PAGE)) st32(table + 4 * stored++, p);
  u32 work = (table + 4 * stored + 15) & ~15u;
  ckpt_rodata_copy(work);
  S32(SLOT_RODATA, work);
  work += (ckpt_rodata_size() + 15) & ~15u;
  ensure_memory(work + G32(SLOT_WINDOW_BYTES) + 4 * PAGE); /* the environment fits the window */
  save_files(files, work);

  fill_zero(header, SNAPSHOT_HEADER_SIZE);
  st64(header + HDR_MAGIC, SNAPSHOT_MAGIC);
  st32(header + HDR_VERSION, SNAPSHOT_VERSION);
  st32(header + HDR_HEADER_SIZE, SNAPSHOT_HEADER_SIZE);
  st64(header + HDR_MODULE_HASH, ckpt_module_hash());
  st64(header + HDR_POLL_COUNT, G64(SLOT_POLLS_BEFORE) + G64(SLOT_POLLS));
  st32(header + HDR_MEMORY_PAGES, pages);
  st32(header + HDR_STORED_PAGES, stored);
  st32(header + HDR_GLOBALS_SIZE, globals_size);
  st32(header + HDR_FRAME_COUNT, frame_count);
  st32(header + HDR_FRAMES_SIZE, frames_size);
  st32(header + HDR_FILES_SIZE, files_size);
  u64 hash = hash_words(SNAPSHOT_HASH_SEED, header + HDR_CHECKED_FROM, SNAPSHOT_HEADER_SIZE - HDR_CHECKED_FROM);
  hash = hash_words(hash, files, files_size + frames_size + globals_size);
  for (u32 i = 0; i < stored; i++) {
    hash = hash_words(hash, table + 4 * i, 4);
    hash = hash_words(hash, ld32(table + 4 * i) * PAGE, PAGE);
  }
  st64(header + HDR_CHECKSUM, hash);

  /* Where to: WASM_CKPT_FILE, resolved against the preopened directories. The snapshot is
   * written to a temporary file of this process's own, PATH.<16 random hex digits>.tmp, created
   * exclusively, and renamed over PATH once complete: processes checkpointing to the same path
   * at the same time never write into one file, and PATH always holds one whole snapshot. */
  u32 path = env_lookup(work, mem_limit32(), MSG(ENV_FILE));
  if (!path || path == ENV_TOO_LARGE) path = RO(DEFAULT_SNAPSHOT_FILE);
  u32 path_len = str_len(path);
  u32 tmp = path + path_len + 1;
  copy_bytes(tmp, path, path_len);
  u32 suffix = tmp + path_len;
  st8(suffix, '.');
  u32 random = (suffix + 32 + 7) & ~7u;
  if (wasi_random_get(random, 8) != 0) st64(random, now_ns(random) ^ G64(SLOT_POLLS));
  u64 bits = ld64(random);
  for (u32 i = 0; i < 16; i++) st8(suffix + 1 + i, ld8(RO("0123456789abcdef") + ((bits >> (4 * i)) & 15)));
  copy_bytes(suffix + 17, RO(".tmp"), 5);
  u32 scratch = (suffix + 22 + 15) & ~15u;
  u64 where = resolve_preopen(path, scratch), tmp_where = resolve_preopen(tmp, scratch);
  u32 dirfd = PREOPEN_FD(where), rel = PREOPEN_PATH(where), tmp_rel = PREOPEN_PATH(tmp_where);
  if (!where || !tmp_where || PREOPEN_FD(tmp_where) != dirfd)
    die_detail(EXIT_IO_ERROR, MSG("snapshot path is not inside a preopened directory:"), path);
  u32 fd_out = scratch;
  u32 err = wasi_path_open(dirfd, 1, tmp_rel, str_len(tmp_rel), OFLAG_CREAT | OFLAG_EXCL,
                           RIGHT_FD_WRITE | RIGHT_FD_SYNC | RIGHT_FD_SEEK | RIGHT_FD_TELL, 0, 0, fd_out);
  if (err != 0) die_errno(EXIT_IO_ERROR, MSG("cannot create snapshot file"), tmp, err);
  u32 fd = ld32(fd_out);
  u32 iov = scratch;
  err = write_all(fd, header, SNAPSHOT_HEADER_SIZE + files_size + frames_size + globals_size, iov);
  for (u32 i = 0; err == 0 && i < stored; i++) {
    err = write_all(fd, table + 4 * i, 4, iov);
    if (err == 0) err = write_all(fd, ld32(table + 4 * i) * PAGE, PAGE, iov);
  }
  if (err == 0) err = wasi_fd_sync(fd);
  wasi_fd_close(fd);
  if (err == 0 && G32(SLOT_KEEP) > 1) rotate_generations(dirfd, rel, G32(SLOT_KEEP), scratch);
  if (err == 0) err = wasi_path_rename(dirfd, tmp_rel, str_len(tmp_rel), dirfd, rel, str_len(rel));
  if (err != 0) {
    wasi_path_unlink_file(dirfd, tmp_rel, str_len(tmp_rel));
    die_errno(EXIT_IO_ERROR, MSG("cannot write snapshot"), path, err);
  }
  u64 polls = G64(SLOT_POLLS_BEFORE) + G64(SLOT_POLLS);
  if (flag(FLAG_VERBOSE)) say(scratch, MSG("checkpoint written to"), path, RO(" at poll"), NUM_DECIMAL, polls);
  if (!flag(FLAG_CONTINUE)) wasi_proc_exit(EXIT_CHECKPOINTED);

  /* Checkpoint-and-continue: rewind from the snapshot just laid out, in place (ckpt_frame_read,
   * finish_restore); the run-time code's strings go back to the window, their place while the
   * program is live. */
  S64(SLOT_LAST_CKPT_NS, now_ns(scratch));
  S32(SLOT_RODATA, 128);
  S32(SLOT_FLAGS, (G32(SLOT_FLAGS) | FLAG_IN_MEMORY) & ~FLAG_STOP_PENDING);
  S32(SLOT_READ_BASE, header);
  S32(SLOT_READ_POS, SNAPSHOT_HEADER_SIZE + files_size);
  S32(SLOT_READ_END, SNAPSHOT_HEADER_SIZE + files_size + frames_size + globals_size);
  S32(SLOT_FRAMES_LEFT, frame_count);
  S64(SLOT_POLLS_BEFORE, polls);
  S32(SLOT_STATE, STATE_REWINDING);
  S32(SLOT_COUNTDOWN, 0);
  S32(SLOT_RELOAD, 0);
}

/* ---- poll points ---- */

/* Sizes the interval between slow paths from how long the last 'polls' polls took (at time
 * 't'), so that a stop request is seen within about TRIGGER_SLOW_POLL_NS plus the minimum
 * interval between looks at the file, however much work a poll stands for. */
static void adapt_trigger_interval(u64 t, u64 polls) {
  u64 last = G64(SLOT_LAST_SLOW_NS), interval = G32(SLOT_TRIGGER_INTERVAL);
  S64(SLOT_LAST_SLOW_NS, t);
  if (!last || t <= last || !polls) return;
  u64 fitting = polls * TRIGGER_SLOW_POLL_NS / (t - last);
  if (fitting > 2 * interval) fitting = 2 * interval;
  if (fitting > TRIGGER_MAX_POLL_INTERVAL) fitting = TRIGGER_MAX_POLL_INTERVAL;
  S32(SLOT_TRIGGER_INTERVAL, fitting ? (u32)fitting : 1u);
}

/* Whether a checkpoint is due by time, 'polls' polls after the last timed slow path: the
 * WASM_CKPT_EVERY period has passed since the run started or last checkpointed, or the trigger
 * file exists (with WASM_CKPT_CONTINUE it is removed, so that the next request is a new file).
 * Runs with the window borrowed ('area': free space in it). */
static u32 checkpoint_due(u32 area, u64 polls) {
  u32 window = G32(SLOT_WINDOW_BYTES);
  u32 present = 0;
  u64 t = now_ns(area);
  adapt_trigger_interval(t, polls);
  if (flag(FLAG_EVERY) && t - G64(SLOT_LAST_CKPT_NS) >= G64(SLOT_EVERY_NS)) return 1;
  if (flag(FLAG_TRIGGER) && t - G64(SLOT_LAST_TRIGGER_NS) >= TRIGGER_MIN_INTERVAL_NS) {
    S64(SLOT_LAST_TRIGGER_NS, t);
    u32 path = env_lookup(area, window - 256, MSG(ENV_TRIGGER));
    if (path && path != ENV_TOO_LARGE) {
      u32 scratch = (path + str_len(path) + 1 + 15) & ~15u;
      if (scratch + 128 <= window) {
        u64 where = resolve_preopen(path, scratch);
        u32 rel = PREOPEN_PATH(where);
        if (where && wasi_path_filestat_get(PREOPEN_FD(where), 1, rel, str_len(rel), scratch) == 0) {
          present = 1;
          if (flag(FLAG_CONTINUE)) wasi_path_unlink_file(PREOPEN_FD(where), rel, str_len(rel));
        }
      }
    }
  }
  return present;
}

/* Reached when the countdown of polls runs out. Decides whether this poll point checkpoints;
 * also completes a restore when the rewound stack arrives at its poll point. */
__attribute__((export_name("poll_slow"))) void ckpt_poll_slow(void) {
  u32 state = G32(SLOT_STATE);
  if (state == STATE_REWINDING) {
    finish_restore();
    return;
  }
  if (!flag(FLAG_INITIALIZED)) { /* polls before _start (a start function) never checkpoint */
    S32(SLOT_COUNTDOWN, 0x40000000u);
    return;
  }
  /* The countdown is 0, or below when a chunked loop's poll charged a chunk's iterations past it. */
  u32 passed = G32(SLOT_RELOAD) - G32(SLOT_COUNTDOWN);
  u64 polls = G64(SLOT_POLLS) + passed;
  S64(SLOT_POLLS, polls);
  u64 at = G64(SLOT_AT);
  int stop = (at != 0 && polls >= at) || flag(FLAG_STOP_PENDING);
  if (!stop && flag(FLAG_TRIGGER | FLAG_EVERY)) stop = ckpt_with_window(ACTION_TIMED, 0, passed);
  if (stop && G32(SLOT_HOST_DEPTH) != 0) {
    /* A host frame is on the stack (the program called an import that called one of its
     * exports): it cannot be captured, so the stop waits for the next poll outside it. */
    S32(SLOT_FLAGS, G32(SLOT_FLAGS) | FLAG_STOP_PENDING);
    S32(SLOT_COUNTDOWN, 1);
    S32(SLOT_RELOAD, 1);
    return;
  }
  if (stop) {
    S32(SLOT_RELOAD, 0);
    begin_checkpoint();
    return;
  }
  arm_countdown();
}

/* Poll points passed in this run so far. */
static u64 polls_so_far(void) { return G64(SLOT_POLLS) + (G32(SLOT_RELOAD) - G32(SLOT_COUNTDOWN)); }

/* The program's calls to proc_exit come here first, for WASM_CKPT_VERBOSE's statistics. */
__attribute__((export_name("proc_exit"))) _Noreturn void ckpt_proc_exit(u32 code) {
  if (flag(FLAG_VERBOSE) && G32(SLOT_STATE) == STATE_NORMAL) say_live(MSG("exiting after polls:"), polls_so_far());
  wasi_proc_exit(code);
}

/* ---- entry: the module's _start export calls this instead of the original _start ---- */

/* Results of ACTION_START: */
#define SETTINGS_READ 0u                     /* the window is put back */
#define SETTINGS_WIDENED 1u                  /* likewise; the window was too small for the
                                                environment and has been widened: read again */
#define SETTINGS_RESTORE (WINDOW_KEEP | 2u)  /* memory will be rewritten from a snapshot */
/* Where a WASM_CKPT_RESTORE path is kept: the end of the window, clear of what reading the
 * snapshot uses. */
#define RESTORE_PATH_AT() (G32(SLOT_WINDOW_BYTES) - 480)

/* The window that holds the strings at 'area', the whole environment after them, and the
 * margin that read_settings and trigger_file_present keep at the window's end. */
static u32 window_for_environment(u32 area) {
  if (wasi_environ_sizes_get(area, area + 4) != 0) return STASH_WINDOW_BYTES;
  u64 need = (u64)area + 16 + (u64)ld32(area) * 4 + ld32(area + 4) + 512;
  need = (need + STASH_CHUNK_BYTES - 1) & ~(u64)(STASH_CHUNK_BYTES - 1);
  if (need > STASH_WINDOW_MAX_BYTES || need > mem_bytes())
    die(EXIT_BAD_SETTING, MSG("environment too large for the run-time code to read its WASM_CKPT_* settings, bytes:"), 0, 0,
        NUM_DECIMAL, need);
  return need < STASH_WINDOW_BYTES ? STASH_WINDOW_BYTES : (u32)need;
}

#define STORED_REFUSAL "this module keeps its rewind copies aside (--rewind-copies=stored) and restores only through `wasm-ckpt resume`, not with"

/* Reads the WASM_CKPT_* settings into the run-time globals, with the window borrowed. */
static u32 read_settings(void) {
  u32 flags = G32(SLOT_FLAGS) | FLAG_INITIALIZED;
  /* Strings at 128 (clear of the header read to [16, 80)), the environment after them. */
  ckpt_rodata_copy(128);
  S32(SLOT_RODATA, 128);
  u32 area = (128 + ckpt_rodata_size() + 15) & ~15u;
  u32 window = window_for_environment(area);
  if (window > G32(SLOT_WINDOW_BYTES)) {
    S32(SLOT_WINDOW_BYTES, window);
    return SETTINGS_WIDENED;
  }
  u32 limit = window - 512;
  u64 at = 0;
  u32 v = env_lookup(area, limit, MSG(ENV_AT));
  if (v == ENV_TOO_LARGE) die_detail(EXIT_BAD_SETTING, MSG("internal error: the environment does not fit the window"), 0);
  if (v) at = parse_u64(v);
  if (at == NOT_A_NUMBER || (v && at == 0)) die_detail(EXIT_BAD_SETTING, MSG("WASM_CKPT_AT is not a number of at least 1:"), v);
  S64(SLOT_AT, at);
  if (env_lookup(area, limit, MSG(ENV_TRIGGER))) flags |= FLAG_TRIGGER;
  v = env_lookup(area, limit, MSG(ENV_EVERY));
  if (v) {
    u64 every = parse_duration(v);
    if (every == NOT_A_NUMBER)
      die_detail(EXIT_BAD_SETTING, MSG("WASM_CKPT_EVERY is not a duration such as 500ms, 30s, 5m or 1h:"), v);
    S64(SLOT_EVERY_NS, every);
    flags |= FLAG_EVERY;
  }
  if (flags & (FLAG_TRIGGER | FLAG_EVERY)) S32(SLOT_TRIGGER_INTERVAL, TRIGGER_FIRST_POLL_INTERVAL);
  S64(SLOT_LAST_CKPT_NS, now_ns(area));
  v = env_lookup(area, limit, MSG(ENV_KEEP));
  if (v) {
    u64 keep = parse_u64(v);
    if (keep == NOT_A_NUMBER || keep == 0 || keep > KEEP_MAX)
      die_detail(EXIT_BAD_SETTING, MSG("WASM_CKPT_KEEP is not a number from 1 to 100:"), v);
    S32(SLOT_KEEP, (u32)keep);
  }
  if (env_flag(env_lookup(area, limit, MSG(ENV_VERBOSE)))) flags |= FLAG_VERBOSE;
  if (env_flag(env_lookup(area, limit, MSG(ENV_CONTINUE)))) flags |= FLAG_CONTINUE;
  /* Rewinding needs the rewind copies of the frames' functions; a module that stores them gets
   * back only those of the snapshot `wasm-ckpt resume` bakes into it. */
  if ((flags & (FLAG_REWIND_STORED | FLAG_CONTINUE)) == (FLAG_REWIND_STORED | FLAG_CONTINUE))
    die_detail(EXIT_BAD_SETTING, MSG(STORED_REFUSAL), RO(ENV_CONTINUE));
  S32(SLOT_FLAGS, flags);
  u32 path = (flags & FLAG_BAKED) ? 0 : env_lookup(area, limit, MSG(ENV_RESTORE));
  if (path && ld8(path)) {
    if (flags & FLAG_REWIND_STORED) die_detail(EXIT_SNAPSHOT_REJECTED, MSG(STORED_REFUSAL), RO(ENV_RESTORE));
    u32 len = str_len(path);
    if (len > 400) die_detail(EXIT_BAD_SETTING, MSG("WASM_CKPT_RESTORE path too long"), 0);
    copy_bytes(RESTORE_PATH_AT(), path, len + 1);
    return SETTINGS_RESTORE;
  }
  /* A baked snapshot is restored too: the window need not be put back. */
  return (flags & FLAG_BAKED) ? SETTINGS_RESTORE : SETTINGS_READ;
}

/* Everything that runs with the window borrowed (see ckpt_with_window). */
__attribute__((export_name("window_action"))) u32 ckpt_window_action(u32 action, u32 msg, u64 number) {
  if (action == ACTION_START) return read_settings();
  /* Since start-up the strings' place is in the window; free space follows them. */
  ckpt_rodata_copy(G32(SLOT_RODATA));
  u32 free = (G32(SLOT_RODATA) + ckpt_rodata_size() + 15) & ~15u;
  if (action == ACTION_TIMED) return checkpoint_due(free, number);
  say(free, msg, 0, 0, NUM_DECIMAL, number);
  return 0;
}

__attribute__((export_name("start"))) void ckpt_start(void) {
  u32 restore_path = 0;
  S32(SLOT_FLAGS, G32(SLOT_FLAGS) | FLAG_INITIALIZED);
  if ((u32)__builtin_wasm_memory_size(0) > 0) {
    u32 settings = ckpt_with_window(ACTION_START, 0, 0);
    /* The second time the window holds the whole environment. */
    if (settings == SETTINGS_WIDENED) settings = ckpt_with_window(ACTION_START, 0, 0);
    if (settings == SETTINGS_RESTORE && !flag(FLAG_BAKED)) restore_path = RESTORE_PATH_AT();
  }
  if (restore_path || flag(FLAG_BAKED)) {
    open_snapshot_stream(restore_path);
    S32(SLOT_STATE, STATE_REWINDING);
    /* At or below zero until finish_restore: a function with an entry poll looks for a frame to
     * rewind only in that poll's slow path. Rewinding only ever lowers it. */
    S32(SLOT_COUNTDOWN, 0);
    S32(SLOT_RELOAD, 0);
  } else {
    S64(SLOT_POLLS, 0);
    arm_countdown();
  }
  /* While the original _start runs, no host frame is under the program's own (see
   * SLOT_HOST_DEPTH); an export the host calls afterwards runs under one again. After a
   * checkpoint that continues, _start is entered again to rewind. */
  for (;;) {
    S32(SLOT_HOST_DEPTH, G32(SLOT_HOST_DEPTH) - 1);
    ckpt_call_original_start();
    S32(SLOT_HOST_DEPTH, G32(SLOT_HOST_DEPTH) + 1);
    if (G32(SLOT_STATE) != STATE_UNWINDING) break;
    write_checkpoint();
  }
  if (flag(FLAG_VERBOSE)) say_live(MSG("exiting after polls:"), polls_so_far());
}
