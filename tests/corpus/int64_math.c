/* int64_math.c - 64-bit integer arithmetic: Collatz chains, modular
 * exponentiation and a Miller-Rabin primality test, FNV-1a / xorshift64*
 * hashing; printed with PRId64 / PRIu64 / PRIx64. */
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>

static uint64_t collatz_len(uint64_t n, uint64_t *peak) {
  uint64_t steps = 0;
  *peak = n;
  while (n != 1) {
    n = (n & 1) ? 3 * n + 1 : n >> 1;
    if (n > *peak) *peak = n;
    steps++;
  }
  return steps;
}

/* (a*b) mod m without 128-bit integers: double-and-add */
static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m) {
  uint64_t r = 0;
  a %= m;
  while (b) {
    if (b & 1) r = (r >= m - a) ? r - (m - a) : r + a;
    a = (a >= m - a) ? a - (m - a) : a + a;
    b >>= 1;
  }
  return r;
}
static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m) {
  uint64_t r = 1 % m;
  b %= m;
  while (e) {
    if (e & 1) r = mulmod(r, b, m);
    b = mulmod(b, b, m);
    e >>= 1;
  }
  return r;
}
static int is_prime(uint64_t n) {
  static const uint64_t bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
  if (n < 2) return 0;
  for (int i = 0; i < 12; i++) {
    if (n == bases[i]) return 1;
    if (n % bases[i] == 0) return 0;
  }
  uint64_t d = n - 1; int s = 0;
  while (!(d & 1)) { d >>= 1; s++; }
  for (int i = 0; i < 12; i++) {
    uint64_t x = powmod(bases[i], d, n);
    if (x == 1 || x == n - 1) continue;
    int composite = 1;
    for (int r = 1; r < s; r++) {
      x = mulmod(x, x, n);
      if (x == n - 1) { composite = 0; break; }
    }
    if (composite) return 0;
  }
  return 1;
}

static uint64_t fnv1a64(const void *data, size_t n, uint64_t h) {
  const uint8_t *p = data;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}
static uint64_t xs_state = 0x9e3779b97f4a7c15ull;
static uint64_t xorshift64star(void) {
  xs_state ^= xs_state >> 12;
  xs_state ^= xs_state << 25;
  xs_state ^= xs_state >> 27;
  return xs_state * 0x2545f4914f6cdd1dull;
}

int main(void) {
  uint64_t check = 0xcbf29ce484222325ull;

  /* Collatz: best chain below a few limits */
  uint64_t best = 0, best_n = 0, best_peak = 0, n = 1;
  for (uint64_t limit = 5000; limit <= 120000; limit += 20000) {
    for (; n < limit; n++) {
      uint64_t peak, len = collatz_len(n, &peak);
      if (len > best) { best = len; best_n = n; best_peak = peak; }
    }
    check = fnv1a64(&best, sizeof best, check);
    printf("collatz below %" PRIu64 ": n=%" PRIu64 " steps=%" PRIu64 " peak=%" PRIu64 "\n",
           limit, best_n, best, best_peak);
  }

  /* modular exponentiation / primes near 2^61 and 2^40 */
  uint64_t bases[3] = {(1ull << 61) - 200, (1ull << 40) + 1, 1000000007ull * 3};
  for (int b = 0; b < 3; b++) {
    int found = 0;
    for (uint64_t c = bases[b]; found < 3; c++)
      if (is_prime(c)) {
        found++;
        uint64_t f = powmod(3, c - 1, c);    /* Fermat: must be 1 */
        check = fnv1a64(&c, sizeof c, check);
        printf("prime %" PRIu64 " (0x%" PRIx64 ") 3^(p-1) mod p = %" PRIu64 "\n", c, c, f);
      }
  }
  printf("powmod(2, 10^18, 10^9+7) = %" PRIu64 "\n", powmod(2, 1000000000000000000ull, 1000000007ull));

  /* signed 64-bit arithmetic */
  int64_t s = INT64_C(-9000000000000000000), acc = 0;
  for (int i = 0; i < 20; i++) {
    s = s / 3 + INT64_C(123456789012345) * (i % 2 ? 1 : -1);
    acc ^= s;
    if (i % 5 == 4) printf("signed step %d: s=%" PRId64 " acc=%" PRId64 "\n", i, s, acc);
  }
  check = fnv1a64(&acc, sizeof acc, check);

  /* xorshift64* stream hashed with FNV-1a */
  uint64_t h = 0xcbf29ce484222325ull, mx = 0, mn = UINT64_MAX;
  for (int i = 1; i <= 200000; i++) {
    uint64_t r = xorshift64star();
    h = fnv1a64(&r, sizeof r, h);
    if (r > mx) mx = r;
    if (r < mn) mn = r;
    if (i % 40000 == 0)
      printf("xorshift %5d: last=%016" PRIx64 " fnv=%016" PRIx64 "\n", i, r, h);
  }
  printf("xorshift min=%" PRIu64 " max=%" PRIu64 "\n", mn, mx);
  check ^= h;
  printf("checksum: %016" PRIx64 "\n", check);
  return 0;
}
