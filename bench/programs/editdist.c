/* editdist: Levenshtein distance between generated strings (two-row DP), several pairs. */
#include "bench.h"
#define LEN 5000
#define PAIRS 6
static char a[LEN], b[LEN];
static int prev[LEN + 1], cur[LEN + 1];
static int min3(int x, int y, int z) { int m = x < y ? x : y; return m < z ? m : z; }
static int lev(const char *s, int n, const char *t, int m) {
  for (int j = 0; j <= m; j++) prev[j] = j;
  for (int i = 1; i <= n; i++) {
    cur[0] = i;
    for (int j = 1; j <= m; j++) cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] != t[j - 1]));
    memcpy(prev, cur, (m + 1) * sizeof(int));
  }
  return prev[m];
}
int main(void) {
  uint64_t h = FNV_INIT;
  for (int p = 0; p < PAIRS; p++) {
    for (int i = 0; i < LEN; i++) a[i] = 'a' + rng32() % 8;
    for (int i = 0; i < LEN; i++) b[i] = (rng32() % 4) ? a[i] : (char)('a' + rng32() % 8); /* ~75% similar */
    int d = lev(a, LEN, b, LEN);
    printf("pair %d distance %d\n", p, d);
    h = fnv1a(h, &d, sizeof d);
  }
  printf("checksum: %016llx\n", (unsigned long long)h);
  return 0;
}
