/* progress_print.c - printing while running: a long loop that prints a
 * progress line every N iterations (many lines through buffered stdout),
 * and one final line written to stderr. */
#include <stdio.h>
#include <stdint.h>

#define ITERS 2000000
#define EVERY 12500

int main(void) {
  uint64_t x = 88172645463325252ull, sum = 0;
  uint32_t minv = UINT32_MAX, maxv = 0;
  int lines = 0;
  for (long i = 1; i <= ITERS; i++) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    uint32_t v = (uint32_t)(x >> 40);
    sum += v;
    if (v < minv) minv = v;
    if (v > maxv) maxv = v;
    if (i % EVERY == 0) {
      printf("progress %6ld/%d: sum=%llu min=%u max=%u x=%016llx\n", i, ITERS,
             (unsigned long long)sum, minv, maxv, (unsigned long long)x);
      lines++;
    }
  }
  printf("%d progress lines\n", lines);
  printf("checksum: %016llx\n", (unsigned long long)(sum ^ x));
  fflush(stdout);
  fprintf(stderr, "progress_print: finished %d iterations\n", ITERS);
  return 0;
}
