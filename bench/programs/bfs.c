/* bfs: breadth-first search from many sources over a generated sparse graph (CSR). */
#include "bench.h"
#define V 200000
#define DEG 8
#define SOURCES 40
static int off[V + 1], adj[V * DEG], dist[V], queue[V];
int main(void) {
  for (int u = 0; u < V; u++) {
    off[u] = u * DEG;
    for (int k = 0; k < DEG; k++) /* mostly local edges plus a few long ones: a small-world graph */
      adj[u * DEG + k] = (k < DEG - 2) ? (int)((u + 1 + rng32() % 64) % V) : (int)(rng32() % V);
  }
  off[V] = V * DEG;
  uint64_t h = FNV_INIT;
  for (int s = 0; s < SOURCES; s++) {
    for (int i = 0; i < V; i++) dist[i] = -1;
    int src = (int)(rng32() % V), head = 0, tail = 0;
    dist[src] = 0;
    queue[tail++] = src;
    long long total = 0;
    int maxd = 0;
    while (head < tail) {
      int u = queue[head++];
      for (int e = off[u]; e < off[u + 1]; e++) {
        int x = adj[e];
        if (dist[x] < 0) { dist[x] = dist[u] + 1; queue[tail++] = x; total += dist[x]; if (dist[x] > maxd) maxd = dist[x]; }
      }
    }
    h = fnv1a(h, &total, sizeof total);
    h = fnv1a(h, &tail, sizeof tail);
    if (s % 10 == 0) printf("bfs src %d reached %d max depth %d\n", src, tail, maxd);
  }
  printf("checksum: %016llx\n", (unsigned long long)h);
  return 0;
}
