/* dijkstra: single-source shortest paths with a binary heap over a generated weighted graph. */
#include "bench.h"
#define V 100000
#define DEG 6
#define SOURCES 16
typedef struct { long long d; int v; } item;
static int adj[V * DEG], wt[V * DEG];
static long long dist[V];
static item heap[V * DEG + 1];
static int hn;
static void push(long long d, int v) {
  int i = hn++;
  while (i > 0) {
    int p = (i - 1) / 2;
    if (heap[p].d <= d) break;
    heap[i] = heap[p];
    i = p;
  }
  heap[i].d = d; heap[i].v = v;
}
static item pop(void) {
  item top = heap[0], last = heap[--hn];
  int i = 0;
  for (;;) {
    int c = 2 * i + 1;
    if (c >= hn) break;
    if (c + 1 < hn && heap[c + 1].d < heap[c].d) c++;
    if (heap[c].d >= last.d) break;
    heap[i] = heap[c];
    i = c;
  }
  heap[i] = last;
  return top;
}
int main(void) {
  for (int u = 0; u < V; u++)
    for (int k = 0; k < DEG; k++) {
      adj[u * DEG + k] = (k < DEG - 1) ? (int)((u + 1 + rng32() % 100) % V) : (int)(rng32() % V);
      wt[u * DEG + k] = 1 + rng32() % 1000;
    }
  uint64_t h = FNV_INIT;
  for (int s = 0; s < SOURCES; s++) {
    for (int i = 0; i < V; i++) dist[i] = -1;
    int src = (int)(rng32() % V);
    hn = 0;
    dist[src] = 0;
    push(0, src);
    long long total = 0;
    while (hn > 0) {
      item it = pop();
      if (it.d > dist[it.v]) continue;
      total += it.d;
      for (int e = it.v * DEG; e < it.v * DEG + DEG; e++) {
        int x = adj[e];
        long long nd = it.d + wt[e];
        if (dist[x] < 0 || nd < dist[x]) { dist[x] = nd; push(nd, x); }
      }
    }
    h = fnv1a(h, &total, sizeof total);
    if (s % 4 == 0) printf("dijkstra src %d total %lld\n", src, total);
  }
  printf("checksum: %016llx\n", (unsigned long long)h);
  return 0;
}
