/* jacobi-2d: 5-point Jacobi stencil, two arrays (PolyBench-style). */
#include "bench.h"
#define N 1000
#define TSTEPS 100
static double A[N][N], B[N][N];
int main(void) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) { A[i][j] = ((double)i * (j + 2) + 2) / N; B[i][j] = ((double)i * (j + 3) + 3) / N; }
  for (int t = 0; t < TSTEPS; t++) {
    for (int i = 1; i < N - 1; i++)
      for (int j = 1; j < N - 1; j++) B[i][j] = 0.2 * (A[i][j] + A[i][j - 1] + A[i][1 + j] + A[1 + i][j] + A[i - 1][j]);
    for (int i = 1; i < N - 1; i++)
      for (int j = 1; j < N - 1; j++) A[i][j] = 0.2 * (B[i][j] + B[i][j - 1] + B[i][1 + j] + B[1 + i][j] + B[i - 1][j]);
  }
  double s;
  uint64_t h = dsum_hash(&A[0][0], (size_t)N * N, &s);
  printf("jacobi-2d sum=%.6e\nchecksum: %016llx\n", s, (unsigned long long)h);
  return 0;
}
