/* 2mm: D = alpha*A*B*C + beta*D (PolyBench-style, two matrix multiplications). */
#include "bench.h"
#define NI 600
#define NJ 660
#define NK 720
#define NL 640
static double A[NI][NK], B[NK][NJ], C[NJ][NL], D[NI][NL], tmp[NI][NJ];
int main(void) {
  double alpha = 1.5, beta = 1.2;
  for (int i = 0; i < NI; i++) for (int j = 0; j < NK; j++) A[i][j] = (double)((i * j + 1) % NI) / NI;
  for (int i = 0; i < NK; i++) for (int j = 0; j < NJ; j++) B[i][j] = (double)(i * (j + 1) % NJ) / NJ;
  for (int i = 0; i < NJ; i++) for (int j = 0; j < NL; j++) C[i][j] = (double)((i * (j + 3) + 1) % NL) / NL;
  for (int i = 0; i < NI; i++) for (int j = 0; j < NL; j++) D[i][j] = (double)(i * (j + 2) % NK) / NK;
  for (int i = 0; i < NI; i++)
    for (int j = 0; j < NJ; j++) {
      tmp[i][j] = 0.0;
      for (int k = 0; k < NK; ++k) tmp[i][j] += alpha * A[i][k] * B[k][j];
    }
  for (int i = 0; i < NI; i++)
    for (int j = 0; j < NL; j++) {
      D[i][j] *= beta;
      for (int k = 0; k < NJ; ++k) D[i][j] += tmp[i][k] * C[k][j];
    }
  double s;
  uint64_t h = dsum_hash(&D[0][0], (size_t)NI * NL, &s);
  printf("2mm sum=%.6e\nchecksum: %016llx\n", s, (unsigned long long)h);
  return 0;
}
