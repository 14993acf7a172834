/* bench.h - shared helpers for the benchmark programs (deterministic inputs, checksums).
 * Every program is single-file C11 + libc, deterministic, and ends by printing
 * "checksum: <hex>". Sizes are chosen so that each runs ~0.5-2 s under Node 20 at -O2. */
#ifndef BENCH_H
#define BENCH_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t bench_rng_state = 0x9E3779B97F4A7C15ull;
static inline uint64_t rng64(void) { /* xorshift64* */
  uint64_t x = bench_rng_state;
  x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
  bench_rng_state = x;
  return x * 0x2545F4914F6CDD1Dull;
}
static inline uint32_t rng32(void) { return (uint32_t)(rng64() >> 32); }
static inline double rngd(void) { return (double)(rng64() >> 11) * (1.0 / 9007199254740992.0); }

static inline uint64_t fnv1a(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = (const unsigned char *)p;
  for (size_t i = 0; i < n; i++) { h ^= b[i]; h *= 0x100000001b3ull; }
  return h;
}
#define FNV_INIT 0xcbf29ce484222325ull

/* Checksum of a double array: sum and an FNV of the values rounded to 1e-6 relative. */
static inline uint64_t dsum_hash(const double *a, size_t n, double *sum_out) {
  double s = 0;
  uint64_t h = FNV_INIT;
  for (size_t i = 0; i < n; i++) {
    s += a[i];
    int64_t q = (int64_t)(a[i] * 1e6);
    h = fnv1a(h, &q, sizeof q);
  }
  if (sum_out) *sum_out = s;
  return h;
}
#endif
