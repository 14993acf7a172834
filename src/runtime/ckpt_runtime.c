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
 *  - String constants live in a passive data segment; RO() gives their address once copied.
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
INTRINSIC(rodata_copy) void ckpt_rodata_copy(u32 dst);
INTRINSIC(rodata_origin) u32 ckpt_rodata_origin(void);
INTRINSIC(rodata_size) u32 ckpt_rodata_size(void);
INTRINSIC(baked_size) u32 ckpt_baked_size(void);
INTRINSIC(baked_copy) void ckpt_baked_copy(u32 dst, u32 offset, u32 len);
INTRINSIC(call_original_start) void ckpt_call_original_start(void);
INTRINSIC(memory_limit) u32 ckpt_memory_limit(void);

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
WASI(proc_exit) _Noreturn void wasi_proc_exit(u32 code);

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

static u32 mem_bytes(void) { return (u32)__builtin_wasm_memory_size(0) * PAGE; }

static void copy_bytes(u32 dst, u32 src, u32 len) {
  __builtin_memmove((void*)(uintptr_t)dst, (const void*)(uintptr_t)src, len);
}
static void fill_zero(u32 dst, u32 len) { __builtin_memset((void*)(uintptr_t)dst, 0, len); }

/* String constants are used through RO(): they are copied to SLOT_RODATA's address first. */
#define RO(s) (G32(SLOT_RODATA) + ((u32)(uintptr_t)(s) - ckpt_rodata_origin()))
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
/* "wasm-ckpt: <msg>[ '<detail>'][<suffix>][ <number>]\n" to stderr; strings are addresses or 0. */
static void say(u32 out, u32 msg, u32 detail, u32 suffix, u32 with_number, u64 number) {
  u32 p = put_str(out, RO("wasm-ckpt: "));
  p = put_str(p, msg);
  if (detail) {
    p = put_str(p, RO(" '"));
    p = put_str(p, detail);
    p = put_str(p, RO("'"));
  }
  if (suffix) p = put_str(p, suffix);
  if (with_number) {
    p = put_str(p, RO(" "));
    p = put_u64(p, number);
  }
  st8(p, '\n');
  write_fd(2, out, p + 1, (p + 8) & ~7u);
}

/* Fatal run-time error: nothing of the program runs after it, so memory may be clobbered: the
 * string constants are copied again in case a restore overwrote them. */
static _Noreturn void die(u32 code, u32 msg, u32 detail, u32 suffix, u32 with_number, u64 number) {
  ckpt_rodata_copy(G32(SLOT_RODATA));
  /* Composed at the end of memory, away from the strings and from 'detail'. */
  say(mem_bytes() - 2048, msg, detail, suffix, with_number, number);
  wasi_proc_exit(code);
}

/* ---- borrowing the window at address 0 while the program is live ----
 * ckpt_with_window(action, msg, number) becomes a call of a function the injector generates:
 * it recursively loads the window, a chunk per level, into wasm locals (where the program
 * cannot see them), calls ckpt_window_action(action, msg, number) at the innermost level, and
 * on the way out stores every chunk back, unless the result has WINDOW_KEEP (then memory stays
 * as the action left it). This keeps per-module code small: no 512 globals and no straight-line
 * copy of the window. Only the actions below run with the window borrowed. */
#define ACTION_START 0u   /* read the settings at start-up (see read_settings) */
#define ACTION_TRIGGER 1u /* returns whether the trigger file exists */
#define ACTION_SAY 2u     /* 'msg' (an RO() address, valid once borrowed) and 'number' */

/* A message while the program is live. */
static void say_live(u32 msg, u64 number) { ckpt_with_window(ACTION_SAY, msg, number); }

/* ---- environment ---- */
#define ENV_TOO_LARGE 1u /* never a value's address: 'area' is past the first 16 bytes */

/* Reads the WASI environment into [area, ...) and returns the address of the value of the
 * variable whose name is at 'name' (NUL-terminated), or 0. 'limit' bounds what may be used. */
static u32 env_lookup(u32 area, u32 limit, u32 name) {
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

/* ---- preopened directories ----
 * Maps 'path' to (directory fd, path relative to it) the way wasi-libc does: the preopen whose
 * name is the longest prefix of the path at a component boundary; "." matches relative paths.
 * Returns (fd << 32 | address of the relative path, NUL-terminated, in place), or 0. */
#define PREOPEN_FD(r) ((u32)((r) >> 32))
#define PREOPEN_PATH(r) ((u32)(r))
static u64 resolve_preopen(u32 path, u32 scratch) {
  while (ld8(path) == '.' && ld8(path + 1) == '/') path += 2;
  i32 best_fd = -1;
  u32 best_len = 0;
  for (u32 fd = 3; fd < 1024; fd++) {
    if (wasi_fd_prestat_get(fd, scratch) != 0) break;
    if (ld8(scratch) != 0) continue;
    u32 name_len = ld32(scratch + 4);
    if (name_len > 4096) continue;
    u32 name = scratch + 8;
    if (wasi_fd_prestat_dir_name(fd, name, name_len) != 0) continue;
    u32 n = name_len;
    while (n > 0 && ld8(name + n - 1) == 0) n--;             /* some runtimes count a NUL */
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

/* ---- the run-time flags ---- */
static u32 flag(u32 bit) { return G32(SLOT_FLAGS) & bit; }

/* Sets the countdown to the next slow poll from the settings of this run. */
static void arm_countdown(void) {
  u64 next = 0x40000000u;
  if (flag(FLAG_TRIGGER)) {
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
    die(EXIT_SNAPSHOT_REJECTED, RO("snapshot is truncated"), 0, 0, 0, 0);
  S32(SLOT_READ_POS, pos + len);
  if (flag(FLAG_BAKED)) {
    ckpt_baked_copy(dst, pos, len);
    return;
  }
  u32 iov = dst >= 16 ? 0 : dst + len;
  if (iov + 16 > mem_bytes()) die(EXIT_SNAPSHOT_REJECTED, RO("memory too small to restore"), 0, 0, 0, 0);
  u64 keep0 = ld64(iov), keep1 = ld64(iov + 8);
  u32 fd = G32(SLOT_READ_FD);
  while (len > 0) {
    st32(iov, dst);
    st32(iov + 4, len);
    u32 err = wasi_fd_read(fd, iov, 1, iov + 8);
    u32 n = ld32(iov + 8);
    if (err != 0 || n == 0 || n > len) die(EXIT_SNAPSHOT_REJECTED, RO("cannot read snapshot: WASI errno"), 0, 0, 1, err);
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
    die(EXIT_SNAPSHOT_REJECTED, RO("cannot seek in snapshot"), 0, 0, 0, 0);
}

/* Validates the header at address 0 and the whole stream's checksum, then positions the stream
 * at the first frame. On any mismatch the process exits before the program runs again. */
static void open_snapshot_stream(u32 path) {
  u32 total;
  if (flag(FLAG_BAKED)) {
    total = ckpt_baked_size();
  } else {
    u32 work = G32(SLOT_RODATA) + ((ckpt_rodata_size() + 15) & ~15u);
    u64 where = resolve_preopen(path, work);
    u32 dirfd = PREOPEN_FD(where), rel = PREOPEN_PATH(where);
    if (!where) die(EXIT_SNAPSHOT_REJECTED, RO("snapshot path is not inside a preopened directory:"), path, 0, 0, 0);
    u32 fd_out = work;
    u32 err = wasi_path_open(dirfd, 1, rel, str_len(rel), 0,
                             RIGHT_FD_READ | RIGHT_FD_SEEK | RIGHT_FD_TELL | RIGHT_FD_FILESTAT_GET, 0, 0, fd_out);
    if (err != 0) die(EXIT_SNAPSHOT_REJECTED, RO("cannot open snapshot"), path, RO(": WASI errno"), 1, err);
    u32 fd = ld32(fd_out);
    S32(SLOT_READ_FD, fd);
    if (wasi_fd_filestat_get(fd, work) != 0) die(EXIT_SNAPSHOT_REJECTED, RO("cannot stat snapshot"), path, 0, 0, 0);
    u64 size = ld64(work + 32);
    total = size > 0xffffffffu ? 0xffffffffu : (u32)size;
  }
  S32(SLOT_READ_POS, 0);
  S32(SLOT_READ_END, total);
  if (total < SNAPSHOT_HEADER_SIZE) die(EXIT_SNAPSHOT_REJECTED, RO("snapshot is truncated"), 0, 0, 0, 0);
  u32 h = 16; /* the header is read to [16, 80): clear of the iovec at 0 and of the strings */
  read_exact(h, SNAPSHOT_HEADER_SIZE);
  if (ld64(h + HDR_MAGIC) != SNAPSHOT_MAGIC) die(EXIT_SNAPSHOT_REJECTED, RO("not a wasm-ckpt snapshot"), 0, 0, 0, 0);
  if (ld32(h + HDR_VERSION) != SNAPSHOT_VERSION)
    die(EXIT_SNAPSHOT_REJECTED, RO("unsupported snapshot format version"), 0, 0, 1, ld32(h + HDR_VERSION));
  if (ld64(h + HDR_MODULE_HASH) != ckpt_module_hash())
    die(EXIT_SNAPSHOT_REJECTED, RO("snapshot was taken from another module"), 0, 0, 0, 0);
  u32 pages = ld32(h + HDR_MEMORY_PAGES), stored = ld32(h + HDR_STORED_PAGES);
  u32 frames_size = ld32(h + HDR_FRAMES_SIZE), globals_size = ld32(h + HDR_GLOBALS_SIZE);
  u64 expect = (u64)SNAPSHOT_HEADER_SIZE + frames_size + globals_size + (u64)stored * (4 + PAGE);
  if (expect != total || stored > pages || globals_size != ckpt_globals_size() ||
      ld32(h + HDR_FRAME_COUNT) == 0 || ld32(h + HDR_HEADER_SIZE) != SNAPSHOT_HEADER_SIZE)
    die(EXIT_SNAPSHOT_REJECTED, RO("snapshot is corrupted (sizes do not add up)"), 0, 0, 0, 0);
  if (pages == 0) die(EXIT_SNAPSHOT_REJECTED, RO("snapshot has no memory to restore into"), 0, 0, 0, 0);
  if (pages > ckpt_memory_limit())
    die(EXIT_SNAPSHOT_REJECTED, RO("snapshot holds more memory than the program may have, pages"), 0, 0, 1, pages);
  u64 checksum = ld64(h + HDR_CHECKSUM);
  S32(SLOT_MEM_PAGES, pages);
  S32(SLOT_STORED_PAGES, stored);
  S32(SLOT_FRAMES_LEFT, ld32(h + HDR_FRAME_COUNT));
  S64(SLOT_POLLS_BEFORE, ld64(h + HDR_POLL_COUNT));
  /* Grow to the checkpointed size so that frames can be read into memory. */
  u32 have = (u32)__builtin_wasm_memory_size(0);
  if (pages > have && __builtin_wasm_memory_grow(0, pages - have) == (unsigned long)-1)
    die(EXIT_SNAPSHOT_REJECTED, RO("cannot grow memory to pages"), 0, 0, 1, pages);
  /* Verify the checksum over everything after its field before anything is used. */
  u64 hash = hash_words(SNAPSHOT_HASH_SEED, h + HDR_CHECKED_FROM, SNAPSHOT_HEADER_SIZE - HDR_CHECKED_FROM);
  u32 chunk = mem_bytes() - FRAME_READ_AT - 16;
  if (chunk > 4 * PAGE) chunk = 4 * PAGE;
  u32 left = total - SNAPSHOT_HEADER_SIZE;
  while (left > 0) {
    u32 n = left < chunk ? left : chunk;
    read_exact(FRAME_READ_AT, n);
    hash = hash_words(hash, FRAME_READ_AT, n);
    left -= n;
  }
  if (hash != checksum) die(EXIT_SNAPSHOT_REJECTED, RO("snapshot is corrupted (checksum mismatch)"), 0, 0, 0, 0);
  seek_stream(SNAPSHOT_HEADER_SIZE);
}

/* Called by each instrumented function's prologue while rewinding: reads that function's frame
 * record into address FRAME_READ_AT and returns the address of its payload. */
__attribute__((export_name("frame_read"))) u32 ckpt_frame_read(u32 func_index, u32 payload_size, u32 max_resume) {
  u32 left = G32(SLOT_FRAMES_LEFT);
  if (left == 0) die(EXIT_SNAPSHOT_REJECTED, RO("snapshot has too few frames"), 0, 0, 0, 0);
  S32(SLOT_FRAMES_LEFT, left - 1);
  u32 at = FRAME_READ_AT;
  read_exact(at, FRAME_HEADER_SIZE);
  u32 resume = ld32(at + FRAME_RESUME_ID);
  if (ld32(at + FRAME_FUNC_INDEX) != func_index || ld32(at + FRAME_PAYLOAD_SIZE) != payload_size ||
      resume == 0 || resume > max_resume)
    die(EXIT_SNAPSHOT_REJECTED, RO("snapshot frames do not match the module's functions"), 0, 0, 0, 0);
  if (at + FRAME_HEADER_SIZE + payload_size + 16 > mem_bytes())
    die(EXIT_SNAPSHOT_REJECTED, RO("memory too small to restore a frame of size"), 0, 0, 1, payload_size);
  read_exact(at + FRAME_HEADER_SIZE, payload_size);
  return at;
}

/* The last step of a restore, at the poll point where the checkpoint was taken: reload the
 * globals and every memory page, then let the program continue. */
static void finish_restore(void) {
  if (G32(SLOT_FRAMES_LEFT) != 0) die(EXIT_SNAPSHOT_REJECTED, RO("snapshot has too many frames"), 0, 0, 0, 0);
  u32 gsize = ckpt_globals_size();
  if (FRAME_READ_AT + gsize + 16 > mem_bytes()) die(EXIT_SNAPSHOT_REJECTED, RO("memory too small to restore"), 0, 0, 0, 0);
  read_exact(FRAME_READ_AT, gsize);
  ckpt_restore_globals(FRAME_READ_AT);
  u32 pages = G32(SLOT_MEM_PAGES), stored = G32(SLOT_STORED_PAGES);
  u32 next = 0;
  for (u32 i = 0; i < stored; i++) {
    u32 index = read_u32_at(16);
    if (index < next || index >= pages) die(EXIT_SNAPSHOT_REJECTED, RO("snapshot page table is corrupted"), 0, 0, 0, 0);
    if (index > next) fill_zero(next * PAGE, (index - next) * PAGE);
    read_exact(index * PAGE, PAGE / 2);
    read_exact(index * PAGE + PAGE / 2, PAGE / 2);
    next = index + 1;
  }
  /* Memory beyond 'pages' cannot exist: start-up grew memory to exactly 'pages'. */
  if (next < pages) fill_zero(next * PAGE, (pages - next) * PAGE);
  if (!flag(FLAG_BAKED)) wasi_fd_close(G32(SLOT_READ_FD));
  S32(SLOT_STATE, STATE_NORMAL);
  S64(SLOT_POLLS, 0);
  if (flag(FLAG_VERBOSE)) say_live(RO("restored; resuming at poll"), G64(SLOT_POLLS_BEFORE));
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
  u32 have = mem_bytes();
  if (end <= have) return;
  u32 pages = (end - have + PAGE - 1) / PAGE;
  if (__builtin_wasm_memory_grow(0, pages) == (unsigned long)-1)
    die(EXIT_IO_ERROR, RO("cannot grow memory to write the snapshot"), 0, 0, 0, 0);
}

/* The program's memory.grow, in a module that declared a maximum size: the instrumented module
 * declares none, so that a checkpoint can always grow memory to write the snapshot, and the
 * program's growth fails here exactly where the declared maximum made it fail. Checkpoints
 * happen only at poll points and end the run, so the program never sees memory past its limit. */
__attribute__((export_name("grow_memory"))) u32 ckpt_grow_memory(u32 pages) {
  u32 have = (u32)__builtin_wasm_memory_size(0);
  if (pages > ckpt_memory_limit() - have) return (u32)-1;
  return (u32)__builtin_wasm_memory_grow(0, pages);
}

/* Called by instrumented functions while unwinding: reserves a frame record of 'payload_size'
 * bytes (header included) and returns its address. Records are appended past the program's
 * memory, each followed by its total size so that they can be reversed afterwards. */
__attribute__((export_name("frame_reserve"))) u32 ckpt_frame_reserve(u32 func_index, u32 resume_id, u32 payload_size) {
  u32 at = G32(SLOT_FRAMES_END);
  u32 total = FRAME_HEADER_SIZE + payload_size;
  ensure_memory(at + total + 4);
  st32(at + FRAME_FUNC_INDEX, func_index);
  st32(at + FRAME_RESUME_ID, resume_id);
  st32(at + FRAME_PAYLOAD_SIZE, payload_size);
  st32(at + total, total);
  S32(SLOT_FRAMES_END, at + total + 4);
  S32(SLOT_FRAMES_LEFT, G32(SLOT_FRAMES_LEFT) + 1);
  return at;
}

static void begin_checkpoint(void) {
  u32 pages = (u32)__builtin_wasm_memory_size(0);
  S32(SLOT_MEM_PAGES, pages);
  S32(SLOT_FRAMES_LEFT, 0);
  u32 base = pages * PAGE;
  ensure_memory(base + PAGE);
  S32(SLOT_FRAMES_BASE, base);
  S32(SLOT_FRAMES_END, base);
  S32(SLOT_STATE, STATE_UNWINDING);
  S32(SLOT_COUNTDOWN, COUNTDOWN_UNWINDING);
}

/* After the stack has unwound into the _start wrapper: lay out and write the snapshot, then
 * exit. Layout in memory past the program's pages: [frames as unwound][header][frames
 * outermost-first][globals][page indices][work area]. */
static _Noreturn void write_checkpoint(void) {
  u32 pages = G32(SLOT_MEM_PAGES);
  u32 src_begin = G32(SLOT_FRAMES_BASE), src_end = G32(SLOT_FRAMES_END);
  u32 frame_count = G32(SLOT_FRAMES_LEFT);
  u32 header = (src_end + 15) & ~15u;
  u32 frames = header + SNAPSHOT_HEADER_SIZE;
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
  ensure_memory(work + 4 * PAGE);

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
  u64 hash = hash_words(SNAPSHOT_HASH_SEED, header + HDR_CHECKED_FROM, SNAPSHOT_HEADER_SIZE - HDR_CHECKED_FROM);
  hash = hash_words(hash, frames, frames_size + globals_size);
  for (u32 i = 0; i < stored; i++) {
    hash = hash_words(hash, table + 4 * i, 4);
    hash = hash_words(hash, ld32(table + 4 * i) * PAGE, PAGE);
  }
  st64(header + HDR_CHECKSUM, hash);

  /* Where to: WASM_CKPT_FILE, resolved against the preopened directories. */
  u32 path = env_lookup(work, mem_bytes(), RO(ENV_FILE));
  if (!path) path = RO(DEFAULT_SNAPSHOT_FILE);
  u32 path_len = str_len(path);
  u32 tmp = path + path_len + 1;
  copy_bytes(tmp, path, path_len);
  copy_bytes(tmp + path_len, RO(".tmp"), 5);
  u32 scratch = (tmp + path_len + 5 + 15) & ~15u;
  u64 where = resolve_preopen(path, scratch), tmp_where = resolve_preopen(tmp, scratch);
  u32 dirfd = PREOPEN_FD(where), rel = PREOPEN_PATH(where), tmp_rel = PREOPEN_PATH(tmp_where);
  if (!where || !tmp_where || PREOPEN_FD(tmp_where) != dirfd)
    die(EXIT_IO_ERROR, RO("snapshot path is not inside a preopened directory:"), path, 0, 0, 0);
  u32 fd_out = scratch;
  u32 err = wasi_path_open(dirfd, 1, tmp_rel, str_len(tmp_rel), OFLAG_CREAT | OFLAG_TRUNC,
                           RIGHT_FD_WRITE | RIGHT_FD_SYNC | RIGHT_FD_SEEK | RIGHT_FD_TELL, 0, 0, fd_out);
  if (err != 0) die(EXIT_IO_ERROR, RO("cannot create snapshot file"), tmp, RO(": WASI errno"), 1, err);
  u32 fd = ld32(fd_out);
  u32 iov = scratch;
  err = write_all(fd, header, SNAPSHOT_HEADER_SIZE + frames_size + globals_size, iov);
  for (u32 i = 0; err == 0 && i < stored; i++) {
    err = write_all(fd, table + 4 * i, 4, iov);
    if (err == 0) err = write_all(fd, ld32(table + 4 * i) * PAGE, PAGE, iov);
  }
  if (err == 0) err = wasi_fd_sync(fd);
  wasi_fd_close(fd);
  if (err == 0) err = wasi_path_rename(dirfd, tmp_rel, str_len(tmp_rel), dirfd, rel, str_len(rel));
  if (err != 0) {
    wasi_path_unlink_file(dirfd, tmp_rel, str_len(tmp_rel));
    die(EXIT_IO_ERROR, RO("cannot write snapshot"), path, RO(": WASI errno"), 1, err);
  }
  if (flag(FLAG_VERBOSE)) {
    u64 polls = G64(SLOT_POLLS_BEFORE) + G64(SLOT_POLLS);
    say(scratch, RO("checkpoint written to"), path, RO(" at poll"), 1, polls);
  }
  wasi_proc_exit(EXIT_CHECKPOINTED);
}

/* ---- poll points ---- */
static u64 now_ns(u32 scratch) {
  if (wasi_clock_time_get(1, 1000, scratch) != 0) return 0;
  return ld64(scratch);
}

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

/* Whether the trigger file exists, after 'polls' polls since the last look; runs with the
 * window borrowed ('area': free space in it). */
static u32 trigger_file_present(u32 area, u64 polls) {
  u32 window = STASH_WINDOW_BYTES;
  u32 present = 0;
  u64 t = now_ns(area);
  adapt_trigger_interval(t, polls);
  if (t - G64(SLOT_LAST_TRIGGER_NS) >= TRIGGER_MIN_INTERVAL_NS) {
    S64(SLOT_LAST_TRIGGER_NS, t);
    u32 path = env_lookup(area, window - 256, RO(ENV_TRIGGER));
    if (path) {
      u32 scratch = (path + str_len(path) + 1 + 15) & ~15u;
      if (scratch + 128 <= window) {
        u64 where = resolve_preopen(path, scratch);
        u32 rel = PREOPEN_PATH(where);
        if (where && wasi_path_filestat_get(PREOPEN_FD(where), 1, rel, str_len(rel), scratch) == 0) present = 1;
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
  int stop = at != 0 && polls >= at;
  if (!stop && flag(FLAG_TRIGGER)) stop = ckpt_with_window(ACTION_TRIGGER, 0, passed);
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
  if (flag(FLAG_VERBOSE) && G32(SLOT_STATE) == STATE_NORMAL) say_live(RO("exiting after polls:"), polls_so_far());
  wasi_proc_exit(code);
}

/* ---- entry: the module's _start export calls this instead of the original _start ---- */

/* Results of ACTION_START: */
#define SETTINGS_READ 0u                     /* the window is put back */
#define SETTINGS_IGNORED 1u                  /* likewise, but the environment did not fit */
#define SETTINGS_RESTORE (WINDOW_KEEP | 2u)  /* memory will be rewritten from a snapshot */
/* Where a WASM_CKPT_RESTORE path is kept: the end of the window, clear of what reading the
 * snapshot uses. */
#define RESTORE_PATH_AT (STASH_WINDOW_BYTES - 480)

/* Reads the WASM_CKPT_* settings into the run-time globals, with the window borrowed. */
static u32 read_settings(void) {
  u32 flags = G32(SLOT_FLAGS) | FLAG_INITIALIZED;
  /* Strings at 128 (clear of the header read to [16, 80)), the environment after them. */
  ckpt_rodata_copy(128);
  S32(SLOT_RODATA, 128);
  u32 area = (128 + ckpt_rodata_size() + 15) & ~15u;
  u32 limit = STASH_WINDOW_BYTES - 512;
  u64 at = 0;
  u32 v = env_lookup(area, limit, RO(ENV_AT));
  if (v == ENV_TOO_LARGE) {
    /* The settings cannot be read without memory the program could observe: run as the
     * original would, and say why checkpointing is off. */
    say(area, RO("environment too large for the run-time code; WASM_CKPT_* settings ignored"), 0, 0, 0, 0);
    S32(SLOT_FLAGS, flags);
    return SETTINGS_IGNORED;
  }
  if (v) at = parse_u64(v);
  if (at == NOT_A_NUMBER || (v && at == 0)) die(EXIT_BAD_SETTING, RO("WASM_CKPT_AT is not a number of at least 1:"), v, 0, 0, 0);
  S64(SLOT_AT, at);
  if (env_lookup(area, limit, RO(ENV_TRIGGER))) {
    flags |= FLAG_TRIGGER;
    S32(SLOT_TRIGGER_INTERVAL, TRIGGER_FIRST_POLL_INTERVAL);
  }
  v = env_lookup(area, limit, RO(ENV_VERBOSE));
  if (v && ld8(v) && !(ld8(v) == '0' && ld8(v + 1) == 0)) flags |= FLAG_VERBOSE;
  S32(SLOT_FLAGS, flags);
  u32 path = (flags & FLAG_BAKED) ? 0 : env_lookup(area, limit, RO(ENV_RESTORE));
  if (path && ld8(path)) {
    u32 len = str_len(path);
    if (len > 400) die(EXIT_BAD_SETTING, RO("WASM_CKPT_RESTORE path too long"), 0, 0, 0, 0);
    copy_bytes(RESTORE_PATH_AT, path, len + 1);
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
  if (action == ACTION_TRIGGER) return trigger_file_present(free, number);
  say(free, msg, 0, 0, 1, number);
  return 0;
}

__attribute__((export_name("start"))) void ckpt_start(void) {
  u32 restore_path = 0;
  S32(SLOT_FLAGS, G32(SLOT_FLAGS) | FLAG_INITIALIZED);
  if ((u32)__builtin_wasm_memory_size(0) > 0) {
    u32 settings = ckpt_with_window(ACTION_START, 0, 0);
    if (settings == SETTINGS_IGNORED) {
      arm_countdown();
      ckpt_call_original_start();
      return;
    }
    if (settings == SETTINGS_RESTORE && !flag(FLAG_BAKED)) restore_path = RESTORE_PATH_AT;
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
  ckpt_call_original_start();
  if (G32(SLOT_STATE) == STATE_UNWINDING) write_checkpoint();
  if (flag(FLAG_VERBOSE)) say_live(RO("exiting after polls:"), polls_so_far());
}
