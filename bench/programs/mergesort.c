/* mergesort: top-down recursive merge sort of generated 64-bit keys with a scratch buffer. */
#include "bench.h"
#define N 2000000
#define ROUNDS 3
static uint64_t a[N], tmp[N];
static void ms(uint64_t *x, uint64_t *t, int n) {
  if (n < 2) return;
  int m = n / 2;
  ms(x, t, m);
  ms(x + m, t, n - m);
  int i = 0, j = m, k = 0;
  while (i < m && j < n) t[k++] = x[i] <= x[j] ? x[i++] : x[j++];
  while (i < m) t[k++] = x[i++];
  while (j < n) t[k++] = x[j++];
  memcpy(x, t, n * sizeof *x);
}
int main(void) {
  uint64_t h = FNV_INIT;
  for (int r = 0; r < ROUNDS; r++) {
    for (int i = 0; i < N; i++) a[i] = rng64() >> (r * 20);
    ms(a, tmp, N);
    for (int i = 1; i < N; i++) if (a[i - 1] > a[i]) { printf("not sorted\n"); return 1; }
    h = fnv1a(h, a, sizeof a);
    printf("round %d median %llu\n", r, (unsigned long long)a[N / 2]);
  }
  printf("checksum: %016llx\n", (unsigned long long)h);
  return 0;
}
