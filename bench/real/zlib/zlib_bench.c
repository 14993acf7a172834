/* zlib_bench: compresses generated text-like data with Debian's zlib (deflate, levels 1, 6 and 9),
 * inflates it back and checks the round trip; prints sizes and CRC-32s. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zlib.h"
#define N (3 << 20)
static uint64_t state = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void) { state ^= state >> 12; state ^= state << 25; state ^= state >> 27; return (uint32_t)((state * 0x2545F4914F6CDD1Dull) >> 32); }
static const char *words[] = {"the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog ", "checkpoint ", "resume ",
                              "snapshot ", "memory ", "stack ", "frame ", "and ", "of ", "wasm ", ", ", ". ", "\n"};
int main(void) {
  unsigned char *in = malloc(N), *back = malloc(N);
  uLong bound = compressBound(N);
  unsigned char *z = malloc(bound);
  if (!in || !back || !z) return 1;
  for (size_t i = 0; i < N;) {
    if (rnd() % 12 == 0) { in[i++] = (unsigned char)('0' + rnd() % 10); continue; }
    const char *w = words[rnd() % (sizeof words / sizeof *words)];
    for (size_t k = 0; w[k] && i < N; k++) in[i++] = (unsigned char)w[k];
  }
  uLong crc = crc32(0, in, N);
  printf("zlib %s: input %d bytes crc %08lx\n", zlibVersion(), N, crc);
  int levels[] = {1, 6, 9};
  for (int l = 0; l < 3; l++) {
    uLongf zn = bound, bn = N;
    if (compress2(z, &zn, in, N, levels[l]) != Z_OK) { printf("compress failed\n"); return 1; }
    if (uncompress(back, &bn, z, zn) != Z_OK || bn != N || memcmp(in, back, N)) { printf("round trip FAILED\n"); return 1; }
    printf("level %d: %lu bytes, crc %08lx, round trip ok\n", levels[l], (unsigned long)zn, crc32(0, z, zn));
    crc = crc32(crc, z, zn);
  }
  printf("checksum: %08lx\n", crc);
  return 0;
}
