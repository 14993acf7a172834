/*
 * The one definition of the wasm-ckpt snapshot format and run-time contract constants.
 *
 * Plain C preprocessor definitions, because two compilers read this file: clang, building the
 * run-time code that instrumented modules carry (src/runtime/ckpt_runtime.c), and the C++
 * compiler, building the tool's snapshot reader/writer (src/snapshot/) and code generator.
 * docs/snapshot-format.md describes the same layout in prose; keep them together.
 */
#ifndef WASM_CKPT_SNAPSHOT_LAYOUT_H
#define WASM_CKPT_SNAPSHOT_LAYOUT_H

/* ---- file layout: [header][files][frames][globals][stored pages] , all little-endian ----
 * Version 1 had no files section (HDR_FILES_SIZE was a reserved 0); the tool reads it as a
 * snapshot with no open files, the run-time code refuses it. */
#define SNAPSHOT_MAGIC 0x54504B434D534157ull /* "WASMCKPT" read as a little-endian u64 */
#define SNAPSHOT_VERSION 2u
#define SNAPSHOT_VERSION_NO_FILES 1u
#define SNAPSHOT_HEADER_SIZE 64u

/* header field offsets */
#define HDR_MAGIC 0u         /* u64 */
#define HDR_VERSION 8u       /* u32 */
#define HDR_HEADER_SIZE 12u  /* u32: 64 */
#define HDR_MODULE_HASH 16u  /* u64: identity of the instrumented module */
#define HDR_CHECKSUM 24u     /* u64: over bytes [HDR_CHECKED_FROM, end of file) */
#define HDR_CHECKED_FROM 32u
#define HDR_POLL_COUNT 32u   /* u64: poll points passed since the first run started */
#define HDR_MEMORY_PAGES 40u /* u32: memory size in 64 KiB pages */
#define HDR_STORED_PAGES 44u /* u32: pages stored (the others are all zero) */
#define HDR_GLOBALS_SIZE 48u /* u32: bytes of the globals section */
#define HDR_FRAME_COUNT 52u  /* u32 */
#define HDR_FRAMES_SIZE 56u  /* u32: bytes of the frames section */
#define HDR_FILES_SIZE 60u   /* u32: bytes of the files section (version 1: 0, no section) */

/* frame record: [func index u32][resume id u32][payload size u32][payload] */
#define FRAME_FUNC_INDEX 0u
#define FRAME_RESUME_ID 4u
#define FRAME_PAYLOAD_SIZE 8u
#define FRAME_HEADER_SIZE 12u

/* files section: [stdin bytes consumed u64][record count u32][0 u32][file records]
 * The descriptors the program opened or changed, as the run-time code keeps them while the
 * program runs (past the program's memory), each record a multiple of 4 bytes:
 * [size u32][fd u32][kind u32][filetype u32][oflags u32][fdflags u32][lookupflags u32][0 u32]
 * [rights base u64][rights inheriting u64][offset u64][dir length u32][path length u32]
 * [dir bytes][path bytes][zero padding] */
#define FILES_STDIN_READ 0u
#define FILES_COUNT 8u
#define FILES_HEADER_SIZE 16u
#define FILE_SIZE 0u
#define FILE_FD 4u
#define FILE_KIND 8u
#define FILE_FILETYPE 12u   /* WASI filetype when opened (4: regular file, 3: directory) */
#define FILE_OFLAGS 16u     /* as the program opened it (CREAT, EXCL, TRUNC apply only then) */
#define FILE_FDFLAGS 20u    /* current: as opened, or as fd_fdstat_set_flags last set them */
#define FILE_LOOKUPFLAGS 24u
#define FILE_RIGHTS_BASE 32u
#define FILE_RIGHTS_INHERITING 40u
#define FILE_OFFSET 48u     /* regular files: fd_tell at the checkpoint */
#define FILE_DIR_LEN 56u    /* the preopened directory's name, as the runtime reports it */
#define FILE_PATH_LEN 60u   /* the path under it */
#define FILE_RECORD_HEADER 64u
/* kinds */
#define FILE_KIND_OPENED 1u   /* opened by path under a preopened directory: reopened at restore */
#define FILE_KIND_STREAM 2u   /* not opened by the program (stdin, stdout, ...) whose fdflags it
                                 changed: the flags are set again at restore */
#define FILE_KIND_SOCKET 3u   /* from sock_accept: cannot be restored, a checkpoint refuses */
#define FILE_KIND_FOREIGN 4u  /* opened under a descriptor that is no preopened directory: cannot
                                 be restored, a checkpoint refuses */
#define FILE_KIND_MAX 4u
#define WASI_FILETYPE_DIRECTORY 3u
#define WASI_FILETYPE_REGULAR_FILE 4u

/* checksum: FNV-1a-64 over 32-bit little-endian words */
#define SNAPSHOT_HASH_SEED 0xcbf29ce484222325ull
#define SNAPSHOT_HASH_PRIME 0x100000001b3ull

/* ---- run-time contract ---- */
#define ENV_AT "WASM_CKPT_AT"
#define ENV_TRIGGER "WASM_CKPT_TRIGGER"
#define ENV_FILE "WASM_CKPT_FILE"
#define ENV_RESTORE "WASM_CKPT_RESTORE"
#define ENV_VERBOSE "WASM_CKPT_VERBOSE"
#define ENV_CONTINUE "WASM_CKPT_CONTINUE"
#define ENV_EVERY "WASM_CKPT_EVERY"
#define ENV_KEEP "WASM_CKPT_KEEP"
#define KEEP_MAX 100u /* WASM_CKPT_KEEP: generations kept at most */
#define DEFAULT_SNAPSHOT_FILE "wasm-ckpt.snapshot"

#define EXIT_CHECKPOINTED 75u       /* the snapshot is durable; the run stopped on purpose */
#define EXIT_SNAPSHOT_REJECTED 65u  /* a snapshot could not be used; nothing was resumed */
#define EXIT_IO_ERROR 74u           /* the snapshot could not be written */
#define EXIT_BAD_SETTING 64u        /* a WASM_CKPT_* variable is malformed */

/* With a trigger file, the slow path runs every TRIGGER_SLOW_POLL_NS or so, whether a poll
 * stands for a nanosecond of work or a millisecond: the countdown between two slow paths starts
 * at TRIGGER_FIRST_POLL_INTERVAL polls, shrinks at once (down to 1) when polls come slower, and
 * at most doubles per slow path (up to TRIGGER_MAX_POLL_INTERVAL) when they come faster. The
 * slow path looks at the file if TRIGGER_MIN_INTERVAL_NS went by since the last look. */
#define TRIGGER_FIRST_POLL_INTERVAL 1u
#define TRIGGER_SLOW_POLL_NS 1000000ull
#define TRIGGER_MAX_POLL_INTERVAL 0x1000000u
#define TRIGGER_MIN_INTERVAL_NS 5000000ull

/* ---- run-time state, in wasm globals that the injector creates ---- */
#define STATE_NORMAL 0u
#define STATE_UNWINDING 1u
#define STATE_REWINDING 2u
/* The countdown while unwinding: a function that takes the countdown as a parameter and
 * returns it (a threaded countdown) returns this instead when it unwinds, so its callers test
 * what the call returned rather than load the state. Zero, so that the test is one i32.eqz
 * (a 32-bit constant took 6 bytes at each of SQLite's 25,000 tests): in a normal run the
 * countdown goes to zero or below only inside a poll, whose slow path sets it above zero again
 * before any code can read it; while rewinding it stays at or below zero, but no call returns
 * before the restore completes. */
#define COUNTDOWN_UNWINDING 0u

#define FLAG_INITIALIZED 1u
#define FLAG_VERBOSE 2u
#define FLAG_TRIGGER 4u
#define FLAG_BAKED 8u
#define FLAG_STOP_PENDING 16u /* a trigger asked for a stop that host frames on the stack defer */
#define FLAG_CONTINUE 32u      /* WASM_CKPT_CONTINUE: go on running after a checkpoint */
#define FLAG_EVERY 64u         /* WASM_CKPT_EVERY: checkpoint periodically by run time */
#define FLAG_PAGES_KNOWN 128u  /* SLOT_PROGRAM_PAGES holds the program's memory size (before the
                                  run-time code first grows memory past the program's, the program's
                                  size is the memory's) */
#define FLAG_FILES_LOST 512u   /* a descriptor could not be recorded (no memory for the table): a
                                  checkpoint refuses */
#define FLAG_IN_MEMORY 256u    /* the snapshot being restored is the one just written, in memory
                                  past the program's (checkpoint-and-continue) */
#define FLAG_REWIND_STORED 1024u /* the rewind copies are kept out of the Code section until `wasm-ckpt
                                    resume` puts back those its snapshot needs (--rewind-copies=stored):
                                    no restore from WASM_CKPT_RESTORE, no WASM_CKPT_CONTINUE */

/* i32 slots */
#define SLOT_STATE 0u
#define SLOT_COUNTDOWN 1u
#define SLOT_RELOAD 2u
#define SLOT_FLAGS 3u
#define SLOT_MEM_PAGES 4u
#define SLOT_STORED_PAGES 5u
#define SLOT_FRAMES_BASE 6u
#define SLOT_FRAMES_END 7u
#define SLOT_FRAMES_LEFT 8u
#define SLOT_READ_FD 9u
#define SLOT_READ_POS 10u
#define SLOT_READ_END 11u
#define SLOT_RODATA 12u
#define SLOT_TRIGGER_INTERVAL 13u /* polls between two slow paths with a trigger file; 0: not yet set */
#define SLOT_WINDOW_BYTES 14u     /* the window borrowed at address 0: STASH_WINDOW_BYTES, or more for a
                                     larger environment (set at start-up) */
#define SLOT_HOST_DEPTH 15u       /* host frames on the stack: calls into non-WASI imports in progress,
                                     plus 1 outside _start (see CountHostCalls.cpp); polls under one never
                                     checkpoint */
#define SLOT_PROGRAM_PAGES 16u    /* the program's memory size in pages, where FLAG_PAGES_KNOWN */
#define SLOT_READ_BASE 17u        /* with FLAG_IN_MEMORY: the address of the snapshot's header */
#define SLOT_KEEP 18u             /* WASM_CKPT_KEEP: snapshot generations to keep (0 or 1: one) */
#define SLOT_FILES_BYTES 19u      /* bytes of file records in the descriptor table */
#define SLOT_FILES_CAP 20u        /* bytes reserved for the descriptor table just past the program's
                                     memory (0: none yet); a multiple of the page size */
#define SLOT_FRAME_CURSOR 21u     /* where the next frame_store or frame_load goes: frame_reserve and
                                     frame_read set it to the payload of the frame record */
#define RUNTIME_I32_SLOTS 22u
/* i64 slots */
#define SLOT_POLLS 0u
#define SLOT_POLLS_BEFORE 1u
#define SLOT_AT 2u
#define SLOT_LAST_TRIGGER_NS 3u
#define SLOT_LAST_SLOW_NS 4u /* when the last timed slow path (trigger file, WASM_CKPT_EVERY) ran */
#define SLOT_EVERY_NS 5u      /* WASM_CKPT_EVERY in nanoseconds */
#define SLOT_LAST_CKPT_NS 6u  /* when this run started or last checkpointed */
#define SLOT_PAUSE_FROM_NS 7u /* when the checkpoint being taken began (its poll) */
#define SLOT_STDIN_READ 8u    /* bytes the program has read from descriptor 0 since the first run */
#define RUNTIME_I64_SLOTS 9u

/* Memory the run-time code borrows at address 0 while the program is live: its contents are
 * kept in wasm locals of a generated recursive function and put back (RuntimeInjector.cpp).
 * STASH_WINDOW_BYTES at first; at start-up the run-time code widens it (in whole chunks of
 * STASH_CHUNK_BYTES) to hold the whole WASI environment, up to STASH_WINDOW_MAX_BYTES. */
#define STASH_WINDOW_BYTES 4096u
#define STASH_CHUNK_BYTES 256u
#define STASH_WINDOW_MAX_BYTES 262144u
/* In the result of the run-time code's window action: leave memory as the action left it (the
 * window's old contents are not needed because a restore rewrites all of memory). */
#define WINDOW_KEEP 0x80000000u
/* While restoring, frame records are read here (memory is overwritten at the end anyway). */
#define FRAME_READ_AT 4096u

/* WASI rights and flags used by the run-time code */
#define RIGHT_FD_READ (1ull << 1)
#define RIGHT_FD_SEEK (1ull << 2)
#define RIGHT_FD_SYNC (1ull << 4)
#define RIGHT_FD_TELL (1ull << 5)
#define RIGHT_FD_WRITE (1ull << 6)
#define RIGHT_FD_FILESTAT_GET (1ull << 21)
#define OFLAG_CREAT 1u
#define OFLAG_DIRECTORY 2u
#define OFLAG_EXCL 4u
#define OFLAG_TRUNC 8u

#endif
