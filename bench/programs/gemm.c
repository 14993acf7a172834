/* gemm: C = alpha*A*B + beta*C (PolyBench-style). */
#include "bench.h"
#define NI 780
#define NJ 830
#define NK 900
static double A[NI][NK], B[NK][NJ], C[NI][NJ];
int main(void) {
  double alpha = 1.5, beta = 1.2;
  for (int i = 0; i < NI; i++) for (int k = 0; k < NK; k++) A[i][k] = (double)((i * (k + 1)) % NK) / NK;
  for (int k = 0; k < NK; k++) for (int j = 0; j < NJ; j++) B[k][j] = (double)((k * (j + 2)) % NJ) / NJ;
  for (int i = 0; i < NI; i++) for (int j = 0; j < NJ; j++) C[i][j] = (double)((i * j + 1) % NI) / NI;
  for (int i = 0; i < NI; i++) {
    for (int j = 0; j < NJ; j++) C[i][j] *= beta;
    for (int k = 0; k < NK; k++)
      for (int j = 0; j < NJ; j++) C[i][j] += alpha * A[i][k] * B[k][j];
  }
  double s;
  uint64_t h = dsum_hash(&C[0][0], (size_t)NI * NJ, &s);
  printf("gemm %dx%dx%d sum=%.6e\nchecksum: %016llx\n", NI, NJ, NK, s, (unsigned long long)h);
  return 0;
}
