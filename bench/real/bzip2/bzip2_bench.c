/* bzip2_bench: compresses generated text-like data with Debian's libbz2 (block sizes 1 and 9),
 * decompresses it back and checks the round trip. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bzlib.h"
#define N (3 << 20)
static uint64_t state = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void) { state ^= state >> 12; state ^= state << 25; state ^= state >> 27; return (uint32_t)((state * 0x2545F4914F6CDD1Dull) >> 32); }
static const char *words[] = {"the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog ", "checkpoint ", "resume ",
                              "snapshot ", "memory ", "stack ", "frame ", "and ", "of ", "wasm ", ", ", ". ", "\n"};
static uint32_t fnv(const unsigned char *p, size_t n) { uint32_t h = 2166136261u; for (size_t i = 0; i < n; i++) { h ^= p[i]; h *= 16777619u; } return h; }
int main(void) {
  unsigned int bound = N + N / 100 + 600;
  char *in = malloc(N), *back = malloc(N), *z = malloc(bound);
  if (!in || !back || !z) return 1;
  for (size_t i = 0; i < N;) {
    if (rnd() % 12 == 0) { in[i++] = (char)('0' + rnd() % 10); continue; }
    const char *w = words[rnd() % (sizeof words / sizeof *words)];
    for (size_t k = 0; w[k] && i < N; k++) in[i++] = w[k];
  }
  uint32_t h = fnv((unsigned char *)in, N);
  printf("bzip2 %s: input %d bytes fnv %08x\n", BZ2_bzlibVersion(), N, h);
  int blocks[] = {1, 9};
  for (int b = 0; b < 2; b++) {
    unsigned int zn = bound, bn = N;
    int r = BZ2_bzBuffToBuffCompress(z, &zn, in, N, blocks[b], 0, 30);
    if (r != BZ_OK) { printf("compress failed %d\n", r); return 1; }
    r = BZ2_bzBuffToBuffDecompress(back, &bn, z, zn, 0, 0);
    if (r != BZ_OK || bn != N || memcmp(in, back, N)) { printf("round trip FAILED %d\n", r); return 1; }
    uint32_t zh = fnv((unsigned char *)z, zn);
    printf("block size %d00k: %u bytes, fnv %08x, round trip ok\n", blocks[b], zn, zh);
    h ^= zh + (uint32_t)b;
  }
  printf("checksum: %08x\n", h);
  return 0;
}
