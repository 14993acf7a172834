/* lcs: longest common subsequence of two generated strings, full DP table rows (two-row DP). */
#include "bench.h"
#define LEN 14000
static char a[LEN + 1], b[LEN + 1];
static int prev[LEN + 1], cur[LEN + 1];
int main(void) {
  for (int i = 0; i < LEN; i++) { a[i] = 'a' + rng32() % 4; b[i] = 'a' + rng32() % 4; }
  uint64_t h = FNV_INIT;
  for (int i = 1; i <= LEN; i++) {
    cur[0] = 0;
    for (int j = 1; j <= LEN; j++) {
      if (a[i - 1] == b[j - 1]) cur[j] = prev[j - 1] + 1;
      else cur[j] = prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];
    }
    memcpy(prev, cur, sizeof cur);
    if (i % 1000 == 0) h = fnv1a(h, &cur[LEN], sizeof(int));
  }
  printf("lcs length=%d\nchecksum: %016llx\n", prev[LEN], (unsigned long long)h);
  return 0;
}
