/* cholesky: in-place Cholesky decomposition of a symmetric positive definite matrix (PolyBench-style). */
#include <math.h>
#include "bench.h"
#define N 1300
static double A[N][N];
int main(void) {
  /* symmetric, strictly diagonally dominant with a positive diagonal: positive definite */
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) A[i][j] = i == j ? (double)N : (double)((i + j) % 7) / 7.0;
  for (int i = 0; i < N; i++) {
    for (int j = 0; j < i; j++) {
      for (int k = 0; k < j; k++) A[i][j] -= A[i][k] * A[j][k];
      A[i][j] /= A[j][j];
    }
    for (int k = 0; k < i; k++) A[i][i] -= A[i][k] * A[i][k];
    A[i][i] = sqrt(A[i][i]);
  }
  double s;
  uint64_t h = dsum_hash(&A[0][0], (size_t)N * N, &s);
  printf("cholesky sum=%.6e\nchecksum: %016llx\n", s, (unsigned long long)h);
  return 0;
}
