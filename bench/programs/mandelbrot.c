/* mandelbrot: escape-time Mandelbrot set over a W x H grid, bitmap output hashed. */
#include "bench.h"
#define W 1600
#define H 1200
#define ITER 200
static unsigned char img[H][(W + 7) / 8];
int main(void) {
  long long inside = 0;
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) {
      double cr = 2.5 * x / W - 2.0, ci = 2.0 * y / H - 1.0, zr = 0, zi = 0, tr = 0, ti = 0;
      int i = 0;
      while (i < ITER && tr + ti <= 4.0) { zi = 2 * zr * zi + ci; zr = tr - ti + cr; tr = zr * zr; ti = zi * zi; i++; }
      if (i == ITER) { img[y][x >> 3] |= (unsigned char)(0x80 >> (x & 7)); inside++; }
    }
  printf("mandelbrot %dx%d inside=%lld\nchecksum: %016llx\n", W, H, inside, (unsigned long long)fnv1a(FNV_INIT, img, sizeof img));
  return 0;
}
