/* radixsort: LSD radix sort (8-bit digits) of generated 32-bit keys, several rounds. */
#include "bench.h"
#define N 4000000
#define ROUNDS 4
static uint32_t a[N], b[N];
int main(void) {
  uint64_t h = FNV_INIT;
  for (int r = 0; r < ROUNDS; r++) {
    for (int i = 0; i < N; i++) a[i] = rng32() >> (r * 3);
    uint32_t *src = a, *dst = b;
    for (int shift = 0; shift < 32; shift += 8) {
      unsigned count[257] = {0};
      for (int i = 0; i < N; i++) count[((src[i] >> shift) & 255) + 1]++;
      for (int d = 0; d < 256; d++) count[d + 1] += count[d];
      for (int i = 0; i < N; i++) dst[count[(src[i] >> shift) & 255]++] = src[i];
      uint32_t *t = src; src = dst; dst = t;
    }
    for (int i = 1; i < N; i++) if (src[i - 1] > src[i]) { printf("not sorted\n"); return 1; }
    h = fnv1a(h, src, N * sizeof *src);
    printf("round %d median %u\n", r, src[N / 2]);
  }
  printf("checksum: %016llx\n", (unsigned long long)h);
  return 0;
}
