/* seidel-2d: 9-point Gauss-Seidel stencil, in place (PolyBench-style). */
#include "bench.h"
#define N 800
#define TSTEPS 100
static double A[N][N];
int main(void) {
  for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) A[i][j] = ((double)i * (j + 2) + 2) / N;
  for (int t = 0; t <= TSTEPS - 1; t++)
    for (int i = 1; i <= N - 2; i++)
      for (int j = 1; j <= N - 2; j++)
        A[i][j] = (A[i - 1][j - 1] + A[i - 1][j] + A[i - 1][j + 1] + A[i][j - 1] + A[i][j] + A[i][j + 1] +
                   A[i + 1][j - 1] + A[i + 1][j] + A[i + 1][j + 1]) / 9.0;
  double s;
  uint64_t h = dsum_hash(&A[0][0], (size_t)N * N, &s);
  printf("seidel-2d sum=%.6e\nchecksum: %016llx\n", s, (unsigned long long)h);
  return 0;
}
