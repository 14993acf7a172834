/* bst_heap.c - heap-heavy structures: a binary search tree with insert/delete,
 * singly linked lists, and a chained hash map that grows with realloc; many
 * malloc/free/realloc calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static uint32_t seed = 99u;
static uint32_t lcg(void) {
  seed = seed * 1103515245u + 12345u;
  return (seed >> 16) & 0x7fff;
}

static long live_allocs;
static void *xmalloc(size_t n) {
  void *p = malloc(n);
  if (!p) { printf("out of memory\n"); exit(1); }
  live_allocs++;
  return p;
}
static void xfree(void *p) { if (p) { live_allocs--; free(p); } }

/* ---- binary search tree ---- */
struct tnode { int key; int count; struct tnode *l, *r; };

static struct tnode *t_insert(struct tnode *t, int key) {
  if (!t) {
    t = xmalloc(sizeof *t);
    t->key = key; t->count = 1; t->l = t->r = NULL;
    return t;
  }
  if (key < t->key) t->l = t_insert(t->l, key);
  else if (key > t->key) t->r = t_insert(t->r, key);
  else t->count++;
  return t;
}
static struct tnode *t_delete(struct tnode *t, int key) {
  if (!t) return NULL;
  if (key < t->key) { t->l = t_delete(t->l, key); return t; }
  if (key > t->key) { t->r = t_delete(t->r, key); return t; }
  if (!t->l || !t->r) {
    struct tnode *c = t->l ? t->l : t->r;
    xfree(t);
    return c;
  }
  struct tnode *m = t->r;                 /* in-order successor */
  while (m->l) m = m->l;
  t->key = m->key; t->count = m->count;
  t->r = t_delete(t->r, m->key);
  return t;
}
static int t_size(const struct tnode *t) { return t ? 1 + t_size(t->l) + t_size(t->r) : 0; }
static int t_height(const struct tnode *t) {
  if (!t) return 0;
  int a = t_height(t->l), b = t_height(t->r);
  return 1 + (a > b ? a : b);
}
static uint32_t t_hash(const struct tnode *t, uint32_t h) {   /* in-order */
  if (!t) return h;
  h = t_hash(t->l, h);
  h = (h ^ (uint32_t)t->key) * 16777619u + (uint32_t)t->count;
  return t_hash(t->r, h);
}
static void t_free(struct tnode *t) {
  if (!t) return;
  t_free(t->l); t_free(t->r); xfree(t);
}

/* ---- linked list ---- */
struct lnode { int v; struct lnode *next; };
static struct lnode *l_push(struct lnode *h, int v) {
  struct lnode *n = xmalloc(sizeof *n);
  n->v = v; n->next = h;
  return n;
}
static struct lnode *l_reverse(struct lnode *h) {
  struct lnode *p = NULL;
  while (h) { struct lnode *n = h->next; h->next = p; p = h; h = n; }
  return p;
}
static struct lnode *l_remove_if_div(struct lnode *h, int d, int *removed) {
  struct lnode **pp = &h;
  while (*pp) {
    if ((*pp)->v % d == 0) {
      struct lnode *dead = *pp;
      *pp = dead->next;
      xfree(dead);
      (*removed)++;
    } else pp = &(*pp)->next;
  }
  return h;
}

/* ---- hash map string -> int, grows with realloc ---- */
struct entry { char *key; int value; struct entry *next; };
struct map { struct entry **buckets; size_t nb, n; };
static uint32_t str_hash(const char *s) {
  uint32_t h = 2166136261u;
  while (*s) h = (h ^ (uint8_t)*s++) * 16777619u;
  return h;
}
static void m_grow(struct map *m) {
  size_t old = m->nb, nb = old ? old * 2 : 8;
  struct entry **b = realloc(m->buckets, nb * sizeof *b);
  if (!b) { printf("out of memory\n"); exit(1); }
  if (!m->buckets) live_allocs++;
  memset(b + old, 0, (nb - old) * sizeof *b);
  /* rehash: entries of bucket i move to i or i+old */
  for (size_t i = 0; i < old; i++) {
    struct entry *e = b[i], *stay = NULL, *move = NULL;
    while (e) {
      struct entry *n = e->next;
      if ((str_hash(e->key) & (nb - 1)) == i) { e->next = stay; stay = e; }
      else { e->next = move; move = e; }
      e = n;
    }
    b[i] = stay; b[i + old] = move;
  }
  m->buckets = b; m->nb = nb;
}
static void m_put(struct map *m, const char *k, int v) {
  if (m->n + 1 > m->nb * 3 / 4) m_grow(m);
  size_t i = str_hash(k) & (m->nb - 1);
  for (struct entry *e = m->buckets[i]; e; e = e->next)
    if (strcmp(e->key, k) == 0) { e->value += v; return; }
  struct entry *e = xmalloc(sizeof *e);
  e->key = xmalloc(strlen(k) + 1);
  strcpy(e->key, k);
  e->value = v; e->next = m->buckets[i]; m->buckets[i] = e;
  m->n++;
}
static int m_get(const struct map *m, const char *k, int *out) {
  if (!m->nb) return 0;
  for (struct entry *e = m->buckets[str_hash(k) & (m->nb - 1)]; e; e = e->next)
    if (strcmp(e->key, k) == 0) { *out = e->value; return 1; }
  return 0;
}
static void m_free(struct map *m) {
  for (size_t i = 0; i < m->nb; i++)
    for (struct entry *e = m->buckets[i], *n; e; e = n) {
      n = e->next; xfree(e->key); xfree(e);
    }
  xfree(m->buckets);
  m->buckets = NULL; m->nb = m->n = 0;
}

int main(void) {
  uint32_t check = 0;
  /* BST: insert many, delete half, repeat */
  struct tnode *root = NULL;
  for (int round = 0; round < 12; round++) {
    for (int i = 0; i < 1500; i++) root = t_insert(root, (int)(lcg() % 4000));
    int before = t_size(root);
    for (int i = 0; i < 1200; i++) root = t_delete(root, (int)(lcg() % 4000));
    uint32_t h = t_hash(root, 0);
    check = check * 31u + h;
    printf("bst round %d: size %d -> %d height %d hash %08x live %ld\n", round,
           before, t_size(root), t_height(root), h, live_allocs);
  }
  t_free(root);
  printf("bst freed, live allocations %ld\n", live_allocs);

  /* linked lists */
  for (int round = 0; round < 8; round++) {
    struct lnode *list = NULL;
    for (int i = 0; i < 3000; i++) list = l_push(list, (int)lcg());
    list = l_reverse(list);
    int removed = 0;
    list = l_remove_if_div(list, 3 + round, &removed);
    uint32_t h = 0; int len = 0;
    for (struct lnode *p = list; p; p = p->next) { h = h * 33u + (uint32_t)p->v; len++; }
    check = check * 31u + h;
    printf("list round %d: len %d removed %d hash %08x\n", round, len, removed, h);
    while (list) { struct lnode *n = list->next; xfree(list); list = n; }
  }

  /* hash map with a realloc'd bucket array and a realloc'd string buffer */
  struct map m = {0};
  size_t cap = 16, len = 0;
  char *buf = xmalloc(cap);
  for (int i = 0; i < 4000; i++) {
    char key[24];
    int klen = snprintf(key, sizeof key, "k%u", lcg() % 1500);
    m_put(&m, key, i);
    if (len + (size_t)klen + 2 > cap) {       /* append key to a growing buffer */
      while (len + (size_t)klen + 2 > cap) cap *= 2;
      char *nb = realloc(buf, cap);
      if (!nb) { printf("out of memory\n"); exit(1); }
      buf = nb;
    }
    memcpy(buf + len, key, (size_t)klen);
    len += (size_t)klen;
    buf[len++] = ',';
    buf[len] = 0;
    if (i % 1000 == 999)
      printf("map after %d puts: %zu keys, %zu buckets, buffer %zu/%zu\n", i + 1,
             m.n, m.nb, len, cap);
  }
  int hits = 0; long sum = 0;
  for (int k = 0; k < 1500; k += 3) {
    char key[24]; int v;
    snprintf(key, sizeof key, "k%d", k);
    if (m_get(&m, key, &v)) { hits++; sum += v; }
  }
  check = check * 31u + (uint32_t)hits + (uint32_t)sum + str_hash(buf);
  printf("map lookups: %d hits, value sum %ld, buffer hash %08x\n", hits, sum,
         str_hash(buf));
  m_free(&m);
  xfree(buf);
  printf("all freed, live allocations %ld\n", live_allocs);
  printf("checksum: %08x\n", check);
  return live_allocs == 0 ? 0 : 1;
}
