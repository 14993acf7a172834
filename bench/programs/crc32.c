/* crc32: bitwise and table-driven (slicing-by-4) CRC-32 over a generated buffer; they must agree. */
#include "bench.h"
#define BUF (8 << 20)
#define ROUNDS 60
static unsigned char buf[BUF];
static uint32_t T[4][256];
static uint32_t crc_bitwise(const unsigned char *p, size_t n) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & -(c & 1));
  }
  return ~c;
}
static uint32_t crc_slice4(const unsigned char *p, size_t n) {
  uint32_t c = 0xffffffffu;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    c ^= (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 | (uint32_t)p[i + 3] << 24;
    c = T[3][c & 255] ^ T[2][(c >> 8) & 255] ^ T[1][(c >> 16) & 255] ^ T[0][c >> 24];
  }
  for (; i < n; i++) c = (c >> 8) ^ T[0][(c ^ p[i]) & 255];
  return ~c;
}
int main(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & -(c & 1));
    T[0][i] = c;
  }
  for (int t = 1; t < 4; t++) for (int i = 0; i < 256; i++) T[t][i] = (T[t - 1][i] >> 8) ^ T[0][T[t - 1][i] & 255];
  printf("crc32(123456789) = %08x\n", crc_slice4((const unsigned char *)"123456789", 9));
  for (size_t i = 0; i < BUF; i++) buf[i] = (unsigned char)rng32();
  uint32_t c = 0;
  for (int r = 0; r < ROUNDS; r++) {
    c = crc_slice4(buf, BUF);
    buf[r] ^= (unsigned char)c;
  }
  uint32_t b = crc_bitwise(buf, BUF / 2), s = crc_slice4(buf, BUF / 2);
  printf("bitwise %08x slice4 %08x %s\nchecksum: %08x\n", b, s, b == s ? "agree" : "DIFFER", c ^ b);
  return 0;
}
