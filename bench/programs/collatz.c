/* collatz: total stopping times of all n below a bound (64-bit integer arithmetic), longest chain. */
#include "bench.h"
#define LIMIT 1200000
int main(void) {
  uint64_t total = 0, best = 0, bestn = 0;
  for (uint64_t n = 1; n < LIMIT; n++) {
    uint64_t x = n, steps = 0;
    while (x != 1) { x = (x & 1) ? 3 * x + 1 : x >> 1; steps++; }
    total += steps;
    if (steps > best) { best = steps; bestn = n; }
  }
  printf("collatz below %d: total steps %llu, longest %llu at %llu\n", LIMIT, (unsigned long long)total,
         (unsigned long long)best, (unsigned long long)bestn);
  uint64_t h = fnv1a(fnv1a(FNV_INIT, &total, 8), &bestn, 8);
  printf("checksum: %016llx\n", (unsigned long long)h);
  return 0;
}
