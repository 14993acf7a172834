/* hashtable: open-addressing (linear probing) hash table of 64-bit keys: inserts, lookups, deletes
 * with backward-shift deletion. */
#include "bench.h"
#define CAP (1 << 21)
#define OPS 11000000
static uint64_t keys[CAP];
static uint32_t vals[CAP];
static unsigned char used[CAP];
static size_t count;
static inline uint32_t slot(uint64_t k) { k ^= k >> 33; k *= 0xff51afd7ed558ccdull; k ^= k >> 33; return (uint32_t)k & (CAP - 1); }
static void put(uint64_t k, uint32_t v) {
  uint32_t i = slot(k);
  while (used[i] && keys[i] != k) i = (i + 1) & (CAP - 1);
  if (!used[i]) { used[i] = 1; keys[i] = k; count++; }
  vals[i] = v;
}
static int get(uint64_t k, uint32_t *v) {
  for (uint32_t i = slot(k); used[i]; i = (i + 1) & (CAP - 1))
    if (keys[i] == k) { *v = vals[i]; return 1; }
  return 0;
}
static void del(uint64_t k) {
  uint32_t i = slot(k);
  while (used[i] && keys[i] != k) i = (i + 1) & (CAP - 1);
  if (!used[i]) return;
  used[i] = 0; count--;
  for (uint32_t j = (i + 1) & (CAP - 1); used[j]; j = (j + 1) & (CAP - 1)) {
    uint32_t home = slot(keys[j]);
    if (((j - home) & (CAP - 1)) >= ((j - i) & (CAP - 1))) { /* j's home is not in (i, j]: move it to i */
      keys[i] = keys[j]; vals[i] = vals[j]; used[i] = 1; used[j] = 0; i = j;
    }
  }
}
int main(void) {
  uint64_t h = FNV_INIT, hits = 0, sum = 0;
  for (int op = 0; op < OPS; op++) {
    uint64_t k = rng64() % 1500000;
    uint32_t r = (uint32_t)(k * 2654435761u), v;
    switch (op % 4) {
    case 0: case 1: put(k, r ^ (uint32_t)op); break;
    case 2: if (get(k, &v)) { hits++; sum += v; } break;
    case 3: del(rng64() % 1500000); break;
    }
  }
  h = fnv1a(h, &hits, sizeof hits);
  h = fnv1a(h, &sum, sizeof sum);
  h = fnv1a(h, &count, sizeof count);
  printf("hashtable hits=%llu entries=%zu\nchecksum: %016llx\n", (unsigned long long)hits, count, (unsigned long long)h);
  return 0;
}
