/* bench_data.h — the deterministic input of the compressor drivers (zstd, xz, lz4): text-like
 * bytes (words from a small vocabulary, digits now and then) from a fixed-seed xorshift generator,
 * and a CRC-32 to print checksums. Header-only: each driver is one translation unit. */
#ifndef BENCH_DATA_H
#define BENCH_DATA_H
#include <stddef.h>
#include <stdint.h>

static uint64_t bench_state = 0x9E3779B97F4A7C15ull;
static uint32_t bench_rnd(void) {
  bench_state ^= bench_state >> 12;
  bench_state ^= bench_state << 25;
  bench_state ^= bench_state >> 27;
  return (uint32_t)((bench_state * 0x2545F4914F6CDD1Dull) >> 32);
}
static void bench_fill_text(unsigned char *buf, size_t n) {
  static const char *words[] = {"the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog ", "checkpoint ",
                                "resume ", "snapshot ", "memory ", "stack ", "frame ", "and ", "of ", "wasm ", ", ", ". ", "\n"};
  for (size_t i = 0; i < n;) {
    if (bench_rnd() % 12 == 0) {
      buf[i++] = (unsigned char)('0' + bench_rnd() % 10);
      continue;
    }
    const char *w = words[bench_rnd() % (sizeof words / sizeof *words)];
    for (size_t k = 0; w[k] && i < n; k++) buf[i++] = (unsigned char)w[k];
  }
}
static uint32_t bench_crc32(uint32_t crc, const unsigned char *p, size_t n) {
  static uint32_t table[256];
  if (!table[1])
    for (uint32_t i = 0; i < 256; i++) {
      uint32_t c = i;
      for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
  crc = ~crc;
  while (n--) crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
  return ~crc;
}
#endif
