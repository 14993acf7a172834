/* spectralnorm: spectral norm of the infinite matrix A (Benchmarks Game style), power iteration. */
#include <math.h>
#include "bench.h"
#define N 2800
static double u[N], v[N], t[N];
static inline double A(int i, int j) { return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1); }
static void mulAv(const double *x, double *y) { for (int i = 0; i < N; i++) { double s = 0; for (int j = 0; j < N; j++) s += A(i, j) * x[j]; y[i] = s; } }
static void mulAtv(const double *x, double *y) { for (int i = 0; i < N; i++) { double s = 0; for (int j = 0; j < N; j++) s += A(j, i) * x[j]; y[i] = s; } }
static void mulAtAv(const double *x, double *y) { mulAv(x, t); mulAtv(t, y); }
int main(void) {
  for (int i = 0; i < N; i++) u[i] = 1;
  for (int i = 0; i < 10; i++) { mulAtAv(u, v); mulAtAv(v, u); }
  double vBv = 0, vv = 0;
  for (int i = 0; i < N; i++) { vBv += u[i] * v[i]; vv += v[i] * v[i]; }
  double r = sqrt(vBv / vv);
  printf("%.9f\n", r);
  printf("checksum: %016llx\n", (unsigned long long)dsum_hash(u, N, 0));
  return 0;
}
