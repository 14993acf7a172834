/* lz77: LZ77 compressor with hash chains (32 KiB window, lengths 3..258) and its decompressor,
 * over generated text-like data; checks the round trip. */
#include "bench.h"
#define N (6 << 20)
#define WIN 32768
#define HBITS 15
#define MAXCHAIN 48
static unsigned char in[N], out[N + N / 8 + 16], back[N];
static int head[1 << HBITS], prevpos[N];
static const char *words[] = {"the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog ", "checkpoint ",
                              "resume ", "snapshot ", "memory ", "stack ", "frame ", "and ", "of ", "wasm ", "\n"};
static size_t compress(void) {
  /* token stream: flag byte per 8 tokens; literal = 1 byte, match = 3 bytes (len-3, dist 16 bits) */
  for (int i = 0; i < (1 << HBITS); i++) head[i] = -1;
  size_t o = 0, flagpos = 0;
  int nt = 8;
  for (size_t i = 0; i < N;) {
    if (nt == 8) { flagpos = o++; out[flagpos] = 0; nt = 0; }
    int best = 0, bestd = 0;
    if (i + 3 <= N) {
      uint32_t hv = ((uint32_t)in[i] << 10 ^ (uint32_t)in[i + 1] << 5 ^ in[i + 2]) & ((1 << HBITS) - 1);
      int chain = MAXCHAIN;
      for (int p = head[hv]; p >= 0 && (int)i - p <= WIN - 1 && chain-- > 0; p = prevpos[p]) {
        int l = 0, maxl = (int)(N - i) < 258 ? (int)(N - i) : 258;
        while (l < maxl && in[p + l] == in[i + l]) l++;
        if (l > best) { best = l; bestd = (int)i - p; if (l == maxl) break; }
      }
      prevpos[i] = head[hv];
      head[hv] = (int)i;
    }
    if (best >= 3) {
      out[flagpos] |= (unsigned char)(1 << nt);
      out[o++] = (unsigned char)(best - 3);
      out[o++] = (unsigned char)(bestd & 255);
      out[o++] = (unsigned char)(bestd >> 8);
      for (int k = 1; k < best; k++) { /* insert the skipped positions into the chains */
        size_t j = i + k;
        if (j + 3 <= N) {
          uint32_t hv = ((uint32_t)in[j] << 10 ^ (uint32_t)in[j + 1] << 5 ^ in[j + 2]) & ((1 << HBITS) - 1);
          prevpos[j] = head[hv];
          head[hv] = (int)j;
        }
      }
      i += best;
    } else {
      out[o++] = in[i++];
    }
    nt++;
  }
  return o;
}
static size_t decompress(size_t n) {
  size_t o = 0, i = 0;
  while (i < n) {
    unsigned flags = out[i++];
    for (int t = 0; t < 8 && i < n; t++) {
      if (flags & (1u << t)) {
        int len = out[i] + 3, d = out[i + 1] | out[i + 2] << 8;
        i += 3;
        for (int k = 0; k < len; k++, o++) back[o] = back[o - d];
      } else {
        back[o++] = out[i++];
      }
    }
  }
  return o;
}
int main(void) {
  size_t nw = sizeof words / sizeof *words;
  for (size_t i = 0; i < N;) {
    const char *w = words[rng32() % nw];
    if (rng32() % 16 == 0) { in[i++] = (unsigned char)('A' + rng32() % 26); continue; }
    for (size_t k = 0; w[k] && i < N; k++) in[i++] = (unsigned char)w[k];
  }
  size_t c = compress();
  size_t d = decompress(c);
  int ok = d == N && memcmp(in, back, N) == 0;
  uint64_t h = fnv1a(FNV_INIT, out, c);
  printf("lz77 %d -> %zu bytes (%.3f) round trip %s\nchecksum: %016llx\n", N, c, (double)c / N, ok ? "ok" : "FAILED",
         (unsigned long long)h);
  return ok ? 0 : 1;
}
