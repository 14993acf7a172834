/* nqueens: count all solutions of the N-queens problem by recursive backtracking with arrays. */
#include "bench.h"
static int col[32], d1[64], d2[64], n;
static long long solve(int r) {
  if (r == n) return 1;
  long long c = 0;
  for (int q = 0; q < n; q++)
    if (!col[q] && !d1[r + q] && !d2[r - q + n]) {
      col[q] = d1[r + q] = d2[r - q + n] = 1;
      c += solve(r + 1);
      col[q] = d1[r + q] = d2[r - q + n] = 0;
    }
  return c;
}
int main(void) {
  uint64_t h = FNV_INIT;
  for (n = 8; n <= 13; n++) {
    long long c = solve(0);
    printf("%d-queens: %lld solutions\n", n, c);
    h = fnv1a(h, &c, sizeof c);
  }
  printf("checksum: %016llx\n", (unsigned long long)h);
  return 0;
}
