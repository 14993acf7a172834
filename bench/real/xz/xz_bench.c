/* xz_bench: compresses generated text-like data with Debian's liblzma (xz format, presets 1 and 6,
 * CRC-64 check, one-shot buffer API), decompresses it back and checks the round trip; prints sizes
 * and CRC-32s. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lzma.h"
#include "bench_data.h"
#define N (448 << 10)
int main(void) {
  unsigned char *in = malloc(N), *back = malloc(N);
  size_t bound = lzma_stream_buffer_bound(N);
  unsigned char *z = malloc(bound);
  if (!in || !back || !z) return 1;
  bench_fill_text(in, N);
  uint32_t crc = bench_crc32(0, in, N);
  printf("liblzma %s: input %d bytes crc %08x\n", lzma_version_string(), N, crc);
  const uint32_t presets[] = {1, 6};
  for (int l = 0; l < 2; l++) {
    size_t zn = 0, inPos = 0, bn = 0;
    if (lzma_easy_buffer_encode(presets[l], LZMA_CHECK_CRC64, NULL, in, N, z, &zn, bound) != LZMA_OK) { printf("compress failed\n"); return 1; }
    uint64_t memlimit = UINT64_MAX;
    if (lzma_stream_buffer_decode(&memlimit, 0, NULL, z, &inPos, zn, back, &bn, N) != LZMA_OK || bn != N || memcmp(in, back, N)) {
      printf("round trip FAILED\n");
      return 1;
    }
    printf("preset %u: %zu bytes, crc %08x, round trip ok\n", (unsigned)presets[l], zn, bench_crc32(0, z, zn));
    crc = bench_crc32(crc, z, zn);
  }
  printf("checksum: %08x\n", crc);
  return 0;
}
