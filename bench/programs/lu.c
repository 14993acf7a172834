/* lu: LU decomposition without pivoting of a diagonally dominant matrix (PolyBench-style). */
#include "bench.h"
#define N 1060
static double A[N][N];
int main(void) {
  for (int i = 0; i < N; i++) {
    for (int j = 0; j < N; j++) A[i][j] = (double)((i * j + 7) % 101) / 101.0;
    A[i][i] += N;
  }
  for (int i = 0; i < N; i++) {
    for (int j = 0; j < i; j++) {
      for (int k = 0; k < j; k++) A[i][j] -= A[i][k] * A[k][j];
      A[i][j] /= A[j][j];
    }
    for (int j = i; j < N; j++)
      for (int k = 0; k < i; k++) A[i][j] -= A[i][k] * A[k][j];
  }
  double s;
  uint64_t h = dsum_hash(&A[0][0], (size_t)N * N, &s);
  printf("lu sum=%.6e\nchecksum: %016llx\n", s, (unsigned long long)h);
  return 0;
}
