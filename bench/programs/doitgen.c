/* doitgen: multi-resolution analysis kernel, A[r][q][*] = A[r][q][*] x C4 (PolyBench-style). */
#include "bench.h"
#define NR 150
#define NQ 140
#define NP 160
static double A[NR][NQ][NP], C4[NP][NP], sum[NP];
int main(void) {
  for (int i = 0; i < NR; i++) for (int j = 0; j < NQ; j++) for (int k = 0; k < NP; k++)
    A[i][j][k] = (double)((i * j + k) % NP) / NP;
  for (int i = 0; i < NP; i++) for (int j = 0; j < NP; j++) C4[i][j] = (double)(i * j % NP) / NP;
  for (int r = 0; r < NR; r++)
    for (int q = 0; q < NQ; q++) {
      for (int p = 0; p < NP; p++) {
        sum[p] = 0.0;
        for (int s = 0; s < NP; s++) sum[p] += A[r][q][s] * C4[s][p];
      }
      for (int p = 0; p < NP; p++) A[r][q][p] = sum[p];
    }
  double s;
  uint64_t h = dsum_hash(&A[0][0][0], (size_t)NR * NQ * NP, &s);
  printf("doitgen sum=%.6e\nchecksum: %016llx\n", s, (unsigned long long)h);
  return 0;
}
