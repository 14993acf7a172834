/* floyd: Floyd-Warshall all-pairs shortest paths (PolyBench floyd-warshall style, integer weights). */
#include "bench.h"
#define N 820
static int path[N][N];
int main(void) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      path[i][j] = i * j % 7 + 1;
      if ((i + j) % 13 == 0 || (i + j) % 7 == 0 || (i + j) % 11 == 0) path[i][j] = 999;
    }
  for (int k = 0; k < N; k++)
    for (int i = 0; i < N; i++)
      for (int j = 0; j < N; j++)
        path[i][j] = path[i][j] < path[i][k] + path[k][j] ? path[i][j] : path[i][k] + path[k][j];
  uint64_t h = fnv1a(FNV_INIT, path, sizeof path);
  long long s = 0;
  for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) s += path[i][j];
  printf("floyd-warshall sum=%lld\nchecksum: %016llx\n", s, (unsigned long long)h);
  return 0;
}
