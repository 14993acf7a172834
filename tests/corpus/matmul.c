/* matmul.c - nested loops: integer and double matrix multiplication.
 * Deterministic: inputs come from a fixed-seed LCG. */
#include <stdio.h>
#include <stdint.h>

#define N 64
#define ROUNDS 8

static uint32_t lcg_state = 12345u;
static uint32_t lcg(void) {
  lcg_state = lcg_state * 1103515245u + 12345u;
  return (lcg_state >> 16) & 0x7fff;
}

static int32_t ia[N][N], ib[N][N], ic[N][N];
static double da[N][N], db[N][N], dc[N][N];

static void imatmul(int32_t c[N][N], int32_t a[N][N], int32_t b[N][N]) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      int32_t s = 0;
      for (int k = 0; k < N; k++) s += a[i][k] * b[k][j];
      c[i][j] = s;
    }
}

static void dmatmul(double c[N][N], double a[N][N], double b[N][N]) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      double s = 0.0;
      for (int k = 0; k < N; k++) s += a[i][k] * b[k][j];
      c[i][j] = s;
    }
}

int main(void) {
  uint32_t check = 0;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      ia[i][j] = (int32_t)(lcg() % 19) - 9;
      ib[i][j] = (int32_t)(lcg() % 19) - 9;
      da[i][j] = (double)(lcg() % 2001) / 1000.0 - 1.0;
      db[i][j] = (double)(lcg() % 2001) / 1000.0 - 1.0;
    }
  printf("matmul: N=%d rounds=%d\n", N, ROUNDS);

  for (int r = 0; r < ROUNDS; r++) {
    imatmul(ic, ia, ib);
    int64_t trace = 0;
    for (int i = 0; i < N; i++) {
      trace += ic[i][i];
      for (int j = 0; j < N; j++) {
        check = check * 31u + (uint32_t)ic[i][j];
        /* feed back, kept small so nothing overflows */
        ia[i][j] = (ic[i][j] % 19 + 19) % 19 - 9;
      }
    }
    printf("int round %d: trace=%lld c[0][0]=%d c[%d][%d]=%d\n", r,
           (long long)trace, ic[0][0], N - 1, N - 1, ic[N - 1][N - 1]);
  }

  for (int r = 0; r < ROUNDS; r++) {
    dmatmul(dc, da, db);
    double trace = 0.0, norm = 0.0;
    for (int i = 0; i < N; i++) {
      trace += dc[i][i];
      for (int j = 0; j < N; j++) norm += dc[i][j] * dc[i][j];
    }
    /* renormalise into da for the next round */
    double scale = 1.0 / (1.0 + norm / (N * N));
    for (int i = 0; i < N; i++)
      for (int j = 0; j < N; j++) da[i][j] = dc[i][j] * scale;
    union { double d; uint64_t u; } t = {trace};
    check ^= (uint32_t)t.u ^ (uint32_t)(t.u >> 32);
    printf("double round %d: trace=%.6f norm=%.6f c00=%a\n", r, trace, norm,
           dc[0][0]);
  }
  printf("checksum: %08x\n", check);
  return 0;
}
