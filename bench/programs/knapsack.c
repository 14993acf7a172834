/* knapsack: 0/1 knapsack by dynamic programming over capacities. */
#include "bench.h"
#define ITEMS 2000
#define CAP 200000
static int w[ITEMS], v[ITEMS];
static int best[CAP + 1];
int main(void) {
  for (int i = 0; i < ITEMS; i++) { w[i] = 1 + rng32() % 1000; v[i] = 1 + rng32() % 1000; }
  uint64_t h = FNV_INIT;
  for (int i = 0; i < ITEMS; i++) {
    int wi = w[i], vi = v[i];
    for (int c = CAP; c >= wi; c--) {
      int t = best[c - wi] + vi;
      if (t > best[c]) best[c] = t;
    }
    if (i % 100 == 0) h = fnv1a(h, &best[CAP], sizeof(int));
  }
  h = fnv1a(h, best, sizeof best);
  printf("knapsack best=%d\nchecksum: %016llx\n", best[CAP], (unsigned long long)h);
  return 0;
}
