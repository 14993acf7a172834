/* binarytrees: allocate and free many binary trees with malloc/free (Benchmarks Game style). */
#include "bench.h"
typedef struct node { struct node *l, *r; } node;
static node *make(int d) {
  node *n = malloc(sizeof *n);
  if (!n) { printf("out of memory\n"); exit(1); }
  if (d > 0) { n->l = make(d - 1); n->r = make(d - 1); } else n->l = n->r = 0;
  return n;
}
static int check(node *n) { return 1 + (n->l ? check(n->l) + check(n->r) : 0); }
static void release(node *n) { if (n->l) { release(n->l); release(n->r); } free(n); }
int main(void) {
  int maxd = 18;
  node *s = make(maxd + 1);
  printf("stretch tree of depth %d check: %d\n", maxd + 1, check(s));
  release(s);
  node *longlived = make(maxd);
  uint64_t h = FNV_INIT;
  for (int d = 4; d <= maxd; d += 2) {
    int iters = 1 << (maxd - d + 4), c = 0;
    for (int i = 0; i < iters; i++) { node *t = make(d); c += check(t); release(t); }
    printf("%d trees of depth %d check: %d\n", iters, d, c);
    h = fnv1a(h, &c, sizeof c);
  }
  int c = check(longlived);
  printf("long lived tree of depth %d check: %d\n", maxd, c);
  release(longlived);
  h = fnv1a(h, &c, sizeof c);
  printf("checksum: %016llx\n", (unsigned long long)h);
  return 0;
}
