// Works through files kept open across many poll points, the way a stream processor does, so
// that a checkpoint falls while they are open (tests/e2e/files.mjs):
//  - input.txt read line by line with stdio (buffered: the program is ahead of the descriptor)
//    and, through a second descriptor, in raw read() + lseek() blocks;
//  - output.txt written with stdio (opened "w": truncated at the first open only) and a raw
//    descriptor written with write() at lseek()ed offsets;
//  - log.txt opened for append ("a"); table.bin opened read-only and renumbered onto another
//    descriptor (fd_renumber), then read with pread();
//  - scratch.tmp created, written, closed and unlinked before the work starts: a restore must not
//    reopen a closed file;
//  - standard input, 5 raw bytes per line until its end, mixed into the result: a resumed run
//    must be given the rest of it (wasm-ckpt inspect tells how much the program consumed).
//  - standard output with O_APPEND set by fcntl (fd_fdstat_set_flags), which a restore sets again;
//  - a directory, sub/, opened and kept open: sub/data.bin is opened under it (openat) and kept
//    open, and sub/part.txt is opened under it now and then, after a restore too.
// stdout gets a digest per line and a final checksum.
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdull;
}

static void fail(const char* what) {
  perror(what);
  exit(3);
}

int main(void) {
  const int rounds = 300;
  fcntl(1, F_SETFL, O_APPEND); // the host may refuse: the output is the same either way

  int scratch = open("scratch.tmp", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  if (scratch < 0 || write(scratch, "temporary\n", 10) != 10 || close(scratch) != 0 || unlink("scratch.tmp") != 0)
    fail("scratch.tmp");

  FILE* in = fopen("input.txt", "r");
  FILE* out = fopen("output.txt", "w");
  FILE* log = fopen("log.txt", "a");
  int raw_in = open("input.txt", O_RDONLY);
  int raw_out = open("blocks.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
  int table = open("table.bin", O_RDONLY);
  int spare = open("input.txt", O_RDONLY);
  int sub = open("sub", O_RDONLY | O_DIRECTORY);
  int data = sub < 0 ? -1 : openat(sub, "data.bin", O_RDONLY);
  if (!in || !out || !log || raw_in < 0 || raw_out < 0 || table < 0 || spare < 0 || sub < 0 || data < 0) fail("open");
  // table.bin takes over the spare descriptor's number; its own number is free afterwards.
  if (__wasi_fd_renumber((__wasi_fd_t)table, (__wasi_fd_t)spare) != 0) fail("fd_renumber");
  table = spare;

  uint64_t stdin_hash = 0;
  char line[256];
  unsigned char block[64];
  uint64_t total = 0;
  long n = 0;
  while (fgets(line, sizeof line, in)) {
    unsigned char piece[5];
    ssize_t stdin_got = read(0, piece, sizeof piece);
    for (ssize_t i = 0; i < stdin_got; i++) stdin_hash = mix(stdin_hash, piece[i]);
    uint64_t h = mix(total ^ stdin_hash, (uint64_t)n);
    for (int r = 0; r < rounds; r++)
      for (const char* p = line; *p; p++) h = mix(h, (uint64_t)(unsigned char)*p + (uint64_t)r);
    // Raw reads walk the same file in 64-byte blocks, seeking back every third one.
    ssize_t got = read(raw_in, block, sizeof block);
    if (got < 0) fail("read");
    if (got == 0 && lseek(raw_in, 0, SEEK_SET) != 0) fail("lseek");
    if (n % 3 == 2 && lseek(raw_in, -(off_t)got / 2, SEEK_CUR) < 0) fail("lseek");
    for (ssize_t i = 0; i < got; i++) h = mix(h, block[i]);
    unsigned char entry[8];
    if (pread(table, entry, sizeof entry, (off_t)(n % 32) * 8) != (ssize_t)sizeof entry) fail("pread");
    for (int i = 0; i < 8; i++) h = mix(h, entry[i]);
    if (pread(data, entry, 4, (off_t)(n % 16)) != 4) fail("pread sub/data.bin");
    for (int i = 0; i < 4; i++) h = mix(h, entry[i]);
    if (n % 16 == 15) {
      int part = openat(sub, "part.txt", O_RDONLY);
      ssize_t got_part = part < 0 ? -1 : read(part, entry, 8);
      if (got_part < 0 || close(part) != 0) fail("sub/part.txt");
      for (ssize_t i = 0; i < got_part; i++) h = mix(h, entry[i]);
    }
    uint64_t le = h;
    if (lseek(raw_out, (off_t)(n % 50) * 8, SEEK_SET) < 0 || write(raw_out, &le, sizeof le) != (ssize_t)sizeof le)
      fail("write blocks.bin");
    fprintf(out, "%ld %016llx\n", n, (unsigned long long)h);
    if (n % 10 == 0) fprintf(log, "line %ld\n", n);
    printf("%ld %08llx\n", n, (unsigned long long)(h >> 32));
    total = mix(total, h);
    n++;
  }
  if (fclose(in) || fclose(out) || fclose(log) || close(raw_in) || close(raw_out) || close(table) || close(data) || close(sub))
    fail("close");
  printf("lines %ld stdin %016llx checksum %016llx\n", n, (unsigned long long)stdin_hash, (unsigned long long)total);
  return 0;
}
