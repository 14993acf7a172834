/* fib: naive doubly recursive Fibonacci (call-heavy, tiny frames), plus a memo-free tribonacci. */
#include "bench.h"
static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static uint32_t trib(uint32_t n) { return n < 3 ? (n == 2) : trib(n - 1) + trib(n - 2) + trib(n - 3); }
int main(void) {
  uint64_t h = FNV_INIT;
  for (uint32_t n = 35; n <= 39; n++) {
    uint32_t f = fib(n);
    printf("fib(%u) = %u\n", n, f);
    h = fnv1a(h, &f, sizeof f);
  }
  uint32_t t = trib(27);
  printf("trib(27) = %u\n", t);
  h = fnv1a(h, &t, sizeof t);
  printf("checksum: %016llx\n", (unsigned long long)h);
  return 0;
}
