/* deep_recursion.c - deep call stacks.
 *  - recursive sum over a heap linked list (pointer argument: at -O0 every
 *    frame also lives on the C shadow stack, whose default size is 64 KiB,
 *    so this depth is kept at 2500),
 *  - a 6000-deep recursion with no arguments/locals working on globals
 *    (engine stack only), printing on the way down and up,
 *  - mutual recursion (is_even / is_odd) 2000 deep. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

struct node { int32_t value; struct node *next; };

static int64_t list_sum(const struct node *n) {
  if (!n) return 0;
  return n->value + list_sum(n->next);
}

static int32_t list_count_neg(const struct node *n) {
  if (!n) return 0;
  return (n->value < 0) + list_count_neg(n->next);
}

/* globals-only recursion.  dive() has no arguments or locals and does all
 * its work in helpers, so at -O0 it needs no shadow-stack frame and only a
 * small engine frame (a fat -O0 body would cap the depth near 3000 under
 * node's default ~1 MiB stack). */
static int g_depth, g_target;
static uint64_t g_acc = 1469598103934665603ull;
__attribute__((noinline)) static int going_down(void) {
  if (g_depth == g_target) {
    printf("  bottom reached at depth %d\n", g_depth);
    return 0;
  }
  g_depth++;
  g_acc = (g_acc ^ (uint64_t)g_depth) * 1099511628211ull;
  if (g_depth % 1000 == 0) printf("  down: depth %d\n", g_depth);
  return 1;
}
__attribute__((noinline)) static void coming_up(void) {
  if (g_depth % 1000 == 0) printf("  up: depth %d\n", g_depth);
  g_acc += (uint64_t)g_depth;
  g_depth--;
}
static void dive(void) {
  if (going_down()) {
    dive();
    coming_up();
  }
}

static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

int main(void) {
  const int LEN = 2500;
  struct node *head = NULL;
  for (int i = 0; i < LEN; i++) {
    struct node *n = malloc(sizeof *n);
    n->value = (i * 7919) % 1000 - 500;
    n->next = head;
    head = n;
  }
  uint64_t check = 0;
  for (int round = 0; round < 24; round++) {
    int64_t s = list_sum(head);
    int32_t neg = list_count_neg(head);
    check = check * 1000003u + (uint64_t)s + (uint64_t)neg;
    printf("round %d: list_sum=%lld negatives=%d\n", round, (long long)s, neg);
    head->value -= 100 * round; /* change something between rounds */
  }
  for (int round = 0; round < 3; round++) {
    g_depth = 0;
    g_target = 6000 - round * 500;
    printf("dive %d to %d\n", round, g_target);
    dive();
    printf("dive %d done acc=%016llx\n", round, (unsigned long long)g_acc);
  }
  check ^= g_acc;
  for (unsigned n = 1995; n <= 2000; n++) {
    int e = is_even(n);
    check = check * 3u + (uint64_t)e;
    printf("is_even(%u) = %d\n", n, e);
  }
  while (head) {
    struct node *n = head->next;
    free(head);
    head = n;
  }
  printf("checksum: %016llx\n", (unsigned long long)check);
  return 0;
}
