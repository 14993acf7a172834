/* zstd_bench: compresses generated text-like data with Debian's libzstd (levels 1, 3, 9 and 19,
 * one-shot API), decompresses it back and checks the round trip; prints sizes and CRC-32s. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zstd.h"
#include "bench_data.h"
#define N (3 << 19)
int main(void) {
  unsigned char *in = malloc(N), *back = malloc(N);
  size_t bound = ZSTD_compressBound(N);
  unsigned char *z = malloc(bound);
  if (!in || !back || !z) return 1;
  bench_fill_text(in, N);
  uint32_t crc = bench_crc32(0, in, N);
  printf("zstd %s: input %d bytes crc %08x\n", ZSTD_versionString(), N, crc);
  const int levels[] = {1, 3, 9, 19};
  const size_t lens[] = {N, N, N, N / 8};   /* level 19 is slow: an eighth of the input */
  for (int l = 0; l < 4; l++) {
    size_t zn = ZSTD_compress(z, bound, in, lens[l], levels[l]);
    if (ZSTD_isError(zn)) { printf("compress failed: %s\n", ZSTD_getErrorName(zn)); return 1; }
    size_t bn = ZSTD_decompress(back, N, z, zn);
    if (ZSTD_isError(bn) || bn != lens[l] || memcmp(in, back, bn)) { printf("round trip FAILED\n"); return 1; }
    printf("level %d: %zu -> %zu bytes, crc %08x, round trip ok\n", levels[l], lens[l], zn, bench_crc32(0, z, zn));
    crc = bench_crc32(crc, z, zn);
  }
  printf("checksum: %08x\n", crc);
  return 0;
}
