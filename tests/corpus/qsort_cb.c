/* qsort_cb.c - function pointers as callbacks: libc qsort/bsearch with int and
 * struct comparators, plus a hand-written merge sort taking a comparator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static uint32_t seed = 2024u;
static uint32_t lcg(void) {
  seed = seed * 1664525u + 1013904223u;
  return seed >> 8;
}

static long compare_calls;

static int cmp_int_asc(const void *a, const void *b) {
  compare_calls++;
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}
static int cmp_int_desc(const void *a, const void *b) { return cmp_int_asc(b, a); }
static int cmp_int_mod10(const void *a, const void *b) {
  compare_calls++;
  int x = *(const int *)a, y = *(const int *)b;
  int mx = ((x % 10) + 10) % 10, my = ((y % 10) + 10) % 10;
  if (mx != my) return mx - my;
  return (x > y) - (x < y);
}

struct person {
  char name[12];
  int age;
  double score;
};

static int cmp_person_age_name(const void *a, const void *b) {
  compare_calls++;
  const struct person *p = a, *q = b;
  if (p->age != q->age) return p->age - q->age;
  return strcmp(p->name, q->name);
}
static int cmp_person_score(const void *a, const void *b) {
  compare_calls++;
  const struct person *p = a, *q = b;
  if (p->score != q->score) return p->score < q->score ? 1 : -1;
  return strcmp(p->name, q->name);
}

typedef int (*cmp_fn)(const void *, const void *);

/* merge sort on ints through a comparator pointer */
static void msort(int *v, int *tmp, size_t n, cmp_fn cmp) {
  if (n < 2) return;
  size_t h = n / 2;
  msort(v, tmp, h, cmp);
  msort(v + h, tmp, n - h, cmp);
  size_t i = 0, j = h, k = 0;
  while (i < h && j < n) tmp[k++] = cmp(&v[i], &v[j]) <= 0 ? v[i++] : v[j++];
  while (i < h) tmp[k++] = v[i++];
  while (j < n) tmp[k++] = v[j++];
  memcpy(v, tmp, n * sizeof *v);
}

static uint32_t hash_ints(const int *v, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (uint32_t)v[i]) * 16777619u;
  return h;
}

#define NI 3000
#define NP 400

int main(void) {
  static int a[NI], b[NI], tmp[NI];
  static struct person people[NP];
  uint32_t check = 0;
  struct { const char *name; cmp_fn fn; } sorts[] = {
      {"asc", cmp_int_asc}, {"desc", cmp_int_desc}, {"mod10", cmp_int_mod10}};

  for (int round = 0; round < 6; round++) {
    for (int i = 0; i < NI; i++) a[i] = (int)(lcg() % 20001) - 10000;
    for (size_t s = 0; s < sizeof sorts / sizeof sorts[0]; s++) {
      memcpy(b, a, sizeof a);
      compare_calls = 0;
      qsort(b, NI, sizeof b[0], sorts[s].fn);
      uint32_t h1 = hash_ints(b, NI);
      memcpy(b, a, sizeof a);
      msort(b, tmp, NI, sorts[s].fn);
      uint32_t h2 = hash_ints(b, NI);
      check = check * 31u + h1 + h2;
      printf("round %d %-5s: first=%d last=%d qsort==msort:%s\n", round,
             sorts[s].name, b[0], b[NI - 1], h1 == h2 ? "yes" : "NO");
    }
    /* bsearch in the ascending order */
    memcpy(b, a, sizeof a);
    qsort(b, NI, sizeof b[0], cmp_int_asc);
    int found = 0;
    for (int k = -10000; k <= 10000; k += 7)
      if (bsearch(&k, b, NI, sizeof b[0], cmp_int_asc)) found++;
    check = check * 31u + (uint32_t)found;
    printf("round %d bsearch hits: %d\n", round, found);
  }

  for (int i = 0; i < NP; i++) {
    snprintf(people[i].name, sizeof people[i].name, "p%c%c%03d",
             'a' + (int)(lcg() % 26), 'a' + (int)(lcg() % 26), i);
    people[i].age = 18 + (int)(lcg() % 60);
    people[i].score = (double)(lcg() % 100000) / 100.0;
  }
  cmp_fn pcmps[2] = {cmp_person_age_name, cmp_person_score};
  for (int s = 0; s < 2; s++) {
    compare_calls = 0;
    qsort(people, NP, sizeof people[0], pcmps[s]);
    for (int i = 0; i < NP; i++)
      check = check * 31u + (uint32_t)people[i].age + (uint32_t)people[i].name[2];
    printf("people sort %d: first %s age %d score %.2f, last %s age %d score %.2f\n",
           s, people[0].name, people[0].age, people[0].score, people[NP - 1].name,
           people[NP - 1].age, people[NP - 1].score);
  }
  printf("checksum: %08x\n", check);
  return 0;
}
