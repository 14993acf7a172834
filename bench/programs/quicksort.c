/* quicksort: recursive median-of-three quicksort (insertion sort below 16) of generated integers. */
#include "bench.h"
#define N 3000000
#define ROUNDS 2
static uint32_t a[N];
static void isort(uint32_t *x, int n) {
  for (int i = 1; i < n; i++) { uint32_t v = x[i]; int j = i - 1; while (j >= 0 && x[j] > v) { x[j + 1] = x[j]; j--; } x[j + 1] = v; }
}
static void qs(uint32_t *x, int n) {
  while (n > 16) {
    uint32_t p0 = x[0], p1 = x[n / 2], p2 = x[n - 1];
    uint32_t p = p0 < p1 ? (p1 < p2 ? p1 : (p0 < p2 ? p2 : p0)) : (p0 < p2 ? p0 : (p1 < p2 ? p2 : p1));
    int i = 0, j = n - 1;
    while (i <= j) {
      while (x[i] < p) i++;
      while (x[j] > p) j--;
      if (i <= j) { uint32_t t = x[i]; x[i] = x[j]; x[j] = t; i++; j--; }
    }
    if (j + 1 < n - i) { qs(x, j + 1); x += i; n -= i; }
    else { qs(x + i, n - i); n = j + 1; }
  }
  isort(x, n);
}
int main(void) {
  uint64_t h = FNV_INIT;
  for (int r = 0; r < ROUNDS; r++) {
    for (int i = 0; i < N; i++) a[i] = rng32();
    qs(a, N);
    for (int i = 1; i < N; i++) if (a[i - 1] > a[i]) { printf("not sorted\n"); return 1; }
    h = fnv1a(h, a, sizeof a);
    printf("round %d min %u median %u max %u\n", r, a[0], a[N / 2], a[N - 1]);
  }
  printf("checksum: %016llx\n", (unsigned long long)h);
  return 0;
}
