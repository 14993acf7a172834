/* syrk: symmetric rank-k update C = alpha*A*A^T + beta*C, lower triangle (PolyBench-style). */
#include "bench.h"
#define N 1000
#define M 880
static double A[N][M], C[N][N];
int main(void) {
  double alpha = 1.5, beta = 1.2;
  for (int i = 0; i < N; i++) for (int j = 0; j < M; j++) A[i][j] = (double)((i * j + 1) % N) / N;
  for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) C[i][j] = (double)((i * j + 2) % M) / M;
  for (int i = 0; i < N; i++) {
    for (int j = 0; j <= i; j++) C[i][j] *= beta;
    for (int k = 0; k < M; k++)
      for (int j = 0; j <= i; j++) C[i][j] += alpha * A[i][k] * A[j][k];
  }
  double s;
  uint64_t h = dsum_hash(&C[0][0], (size_t)N * N, &s);
  printf("syrk sum=%.6e\nchecksum: %016llx\n", s, (unsigned long long)h);
  return 0;
}
