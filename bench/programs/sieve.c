/* sieve: sieve of Eratosthenes (byte array), repeated, plus a segmented count of twin primes. */
#include "bench.h"
#define N 15000000
#define ROUNDS 5
static unsigned char comp[N + 1];
int main(void) {
  uint64_t h = FNV_INIT;
  for (int r = 0; r < ROUNDS; r++) {
    int limit = N - r * 1000003;
    memset(comp, 0, sizeof comp);
    for (int i = 2; (long long)i * i <= limit; i++)
      if (!comp[i]) for (int j = i * i; j <= limit; j += i) comp[j] = 1;
    int count = 0, twins = 0;
    for (int i = 2; i <= limit; i++) if (!comp[i]) { count++; if (i + 2 <= limit && !comp[i + 2]) twins++; }
    printf("primes <= %d: %d, twin pairs %d\n", limit, count, twins);
    h = fnv1a(h, &count, sizeof count);
    h = fnv1a(h, &twins, sizeof twins);
  }
  printf("checksum: %016llx\n", (unsigned long long)h);
  return 0;
}
