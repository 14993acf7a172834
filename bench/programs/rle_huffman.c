/* rle_huffman: run-length encoding followed by canonical Huffman coding (code lengths from
 * repeated merging of the two lightest nodes), then decoding both stages; checks the round trip. */
#include "bench.h"
#define N (6 << 20)
#define ROUNDS 4
static unsigned char in[N], rle[2 * N], dec[2 * N], back[N];
static unsigned char bits[2 * N];
static int freq[256], len[256], code[256];
static size_t rle_encode(const unsigned char *s, size_t n, unsigned char *o) { /* byte, run-1 (runs <= 256) */
  size_t k = 0;
  for (size_t i = 0; i < n;) {
    size_t r = 1;
    while (i + r < n && s[i + r] == s[i] && r < 256) r++;
    o[k++] = s[i]; o[k++] = (unsigned char)(r - 1);
    i += r;
  }
  return k;
}
static size_t rle_decode(const unsigned char *s, size_t n, unsigned char *o) {
  size_t k = 0;
  for (size_t i = 0; i < n; i += 2) for (int r = 0; r <= s[i + 1]; r++) o[k++] = s[i];
  return k;
}
/* Huffman code lengths from frequencies: repeatedly merge the two lightest nodes (O(n^2), n <= 256). */
static void build_lengths(void) {
  int w[512], parent[512], alive[512], n = 0, sym[256];
  for (int s = 0; s < 256; s++) if (freq[s]) { sym[n] = s; w[n] = freq[s]; alive[n] = 1; n++; }
  int nodes = n;
  if (n == 1) { len[sym[0]] = 1; return; }
  for (int m = 0; m < n - 1; m++) {
    int a = -1, b = -1;
    for (int i = 0; i < nodes; i++) if (alive[i]) {
      if (a < 0 || w[i] < w[a]) { b = a; a = i; } else if (b < 0 || w[i] < w[b]) b = i;
    }
    alive[a] = alive[b] = 0;
    w[nodes] = w[a] + w[b]; alive[nodes] = 1; parent[a] = parent[b] = nodes; nodes++;
  }
  for (int i = 0; i < n; i++) { int d = 0; for (int x = i; x != nodes - 1; x = parent[x]) d++; len[sym[i]] = d; }
}
static void canonical(void) { /* codes increase within a length and shift left between lengths */
  int c = 0, prevlen = 0;
  for (int l = 1; l <= 32; l++)
    for (int s = 0; s < 256; s++) if (len[s] == l) { c <<= (l - prevlen); prevlen = l; code[s] = c++; }
}
int main(void) {
  uint64_t h = FNV_INIT;
  for (int round = 0; round < ROUNDS; round++) {
    for (size_t i = 0; i < N;) { /* skewed symbols with runs */
      unsigned char s = (unsigned char)(rng32() % 7 == 0 ? rng32() % 256 : 'a' + (rng32() % 6) * (rng32() % 3));
      size_t r = 1 + (rng32() % 4 == 0 ? rng32() % 40 : 0);
      for (size_t k = 0; k < r && i < N; k++) in[i++] = s;
    }
    size_t nr = rle_encode(in, N, rle);
    memset(freq, 0, sizeof freq); memset(len, 0, sizeof len);
    for (size_t i = 0; i < nr; i++) freq[rle[i]]++;
    build_lengths();
    canonical();
    memset(bits, 0, sizeof bits);
    size_t nb = 0;
    for (size_t i = 0; i < nr; i++) {
      int s = rle[i];
      for (int k = len[s] - 1; k >= 0; k--, nb++) if ((code[s] >> k) & 1) bits[nb >> 3] |= (unsigned char)(1 << (nb & 7));
    }
    /* decode by canonical first-code tables */
    int first[33] = {0}, count[33] = {0}, index[33] = {0}, symbols[256], ns = 0;
    for (int l = 1; l <= 32; l++) for (int s = 0; s < 256; s++) if (len[s] == l) { if (!count[l]) index[l] = ns; count[l]++; symbols[ns++] = s; }
    for (int l = 1, c = 0; l <= 32; l++) { first[l] = c; c = (c + count[l]) << 1; }
    size_t nd = 0, p = 0;
    while (nd < nr) {
      int c = 0;
      for (int l = 1; l <= 32; l++) {
        c = c << 1 | ((bits[p >> 3] >> (p & 7)) & 1);
        p++;
        if (count[l] && c - first[l] < count[l] && c >= first[l]) { dec[nd++] = (unsigned char)symbols[index[l] + c - first[l]]; break; }
      }
    }
    size_t n = rle_decode(dec, nd, back);
    int ok = n == N && memcmp(back, in, N) == 0;
    printf("round %d: %d bytes -> rle %zu -> huffman %zu bytes, round trip %s\n", round, N, nr, (nb + 7) / 8, ok ? "ok" : "FAILED");
    if (!ok) return 1;
    h = fnv1a(h, bits, (nb + 7) / 8);
  }
  printf("checksum: %016llx\n", (unsigned long long)h);
  return 0;
}
