/* chunked_loops.c - counted loops whose bounds are known only at run time (argc makes them
 * opaque to the compiler), which lean runs in chunks with a poll between chunks: most poll
 * points of this program are such polls, so stops land in them. An int loop, a strided
 * 64-bit loop with a step in a variable (a sieve's inner loop), and an unsigned countdown by 16
 * whose last step could wrap (memcpy's shape). */
#include <stdint.h>
#include <stdio.h>

static uint32_t data[1 << 18];

int main(int argc, char **argv) {
  (void)argv;
  int n = (int)(sizeof data / sizeof data[0]) - (argc > 5 ? 1 : 0);
  uint64_t h = 1469598103934665603ull;
  for (int r = 0; r < 12; r++) {
    for (int i = 0; i < n; i++) data[i] = (uint32_t)i * 2654435761u ^ (uint32_t)r;
    for (long long j = r + 1; j <= n - 1; j += r + 2) data[j] += (uint32_t)j;
    uint32_t s = 0;
    for (unsigned k = (unsigned)n; k > 15; k -= 16) s += data[k - 1];
    h = (h ^ s) * 1099511628211ull;
    printf("round %d: %u\n", r, s);
  }
  printf("checksum: %016llx\n", (unsigned long long)h);
  return 0;
}
