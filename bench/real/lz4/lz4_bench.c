/* lz4_bench: compresses generated text-like data with Debian's liblz4 (fast mode with
 * accelerations 1 and 8, and LZ4HC levels 4 and 9, frame format for level 4), decompresses it back
 * and checks the round trip; prints sizes and CRC-32s. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lz4.h"
#include "lz4hc.h"
#include "lz4frame.h"
#include "bench_data.h"
#define N (3 << 19)
static size_t report(const char *what, const unsigned char *in, const unsigned char *z, size_t zn, const unsigned char *back, size_t bn, uint32_t *crc) {
  if (bn != N || memcmp(in, back, N)) {
    printf("%s: round trip FAILED\n", what);
    exit(1);
  }
  printf("%s: %zu bytes, crc %08x, round trip ok\n", what, zn, bench_crc32(0, z, zn));
  *crc = bench_crc32(*crc, z, zn);
  return zn;
}
int main(void) {
  unsigned char *in = malloc(N), *back = malloc(N);
  size_t bound = LZ4F_compressFrameBound(N, NULL) + LZ4_compressBound(N);
  unsigned char *z = malloc(bound);
  if (!in || !back || !z) return 1;
  bench_fill_text(in, N);
  uint32_t crc = bench_crc32(0, in, N);
  printf("lz4 %s: input %d bytes crc %08x\n", LZ4_versionString(), N, crc);
  for (int round = 0; round < 2; round++) {
    const int accel[] = {1, 8};
    for (int a = 0; a < 2; a++) {
      int zn = LZ4_compress_fast((const char *)in, (char *)z, N, (int)bound, accel[a]);
      int bn = LZ4_decompress_safe((const char *)z, (char *)back, zn, N);
      char what[32];
      snprintf(what, sizeof what, "fast, acceleration %d", accel[a]);
      report(what, in, z, (size_t)zn, back, (size_t)bn, &crc);
    }
  }
  int zn = LZ4_compress_HC((const char *)in, (char *)z, N, (int)bound, 9);
  int bn = LZ4_decompress_safe((const char *)z, (char *)back, zn, N);
  report("HC level 9", in, z, (size_t)zn, back, (size_t)bn, &crc);
  LZ4F_preferences_t prefs;
  memset(&prefs, 0, sizeof prefs);
  prefs.compressionLevel = 4;
  prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
  size_t fz = LZ4F_compressFrame(z, bound, in, N, &prefs);
  if (LZ4F_isError(fz)) { printf("frame compress failed\n"); return 1; }
  LZ4F_dctx *d;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION))) return 1;
  size_t dstSize = N, srcSize = fz;
  size_t r = LZ4F_decompress(d, back, &dstSize, z, &srcSize, NULL);
  if (LZ4F_isError(r)) { printf("frame decompress failed\n"); return 1; }
  LZ4F_freeDecompressionContext(d);
  report("frame, HC level 4", in, z, fz, back, dstSize, &crc);
  printf("checksum: %08x\n", crc);
  return 0;
}
