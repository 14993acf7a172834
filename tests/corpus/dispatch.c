/* dispatch.c - function pointers and static state: a dispatch table of
 * operations called through pointers, a "vtable" struct of function pointers,
 * static globals and function-local statics mutated across calls, a global
 * call counter and static arrays. */
#include <stdio.h>
#include <stdint.h>

unsigned long g_calls;                   /* global counter (external linkage) */
static int32_t s_regs[8];                /* static array of "registers" */
static int32_t s_history[64];            /* ring buffer of results */
static unsigned s_hist_pos;
static uint32_t s_mix = 0x9e3779b9u;

static int32_t op_add(int32_t a, int32_t b) { g_calls++; return a + b; }
static int32_t op_sub(int32_t a, int32_t b) { g_calls++; return a - b; }
static int32_t op_mul(int32_t a, int32_t b) { g_calls++; return (int32_t)((uint32_t)a * (uint32_t)b); }
static int32_t op_xor(int32_t a, int32_t b) { g_calls++; return a ^ b; }
static int32_t op_shl(int32_t a, int32_t b) { g_calls++; return (int32_t)((uint32_t)a << (b & 15)); }
static int32_t op_min(int32_t a, int32_t b) { g_calls++; return a < b ? a : b; }
static int32_t op_mod(int32_t a, int32_t b) { g_calls++; return b == 0 ? a : a % b; }
/* keeps a running total in a function-local static */
static int32_t op_acc(int32_t a, int32_t b) {
  static int32_t total;
  g_calls++;
  total = (int32_t)((uint32_t)total + (uint32_t)(a - b)); /* wraps, no UB */
  return total;
}

typedef int32_t (*binop)(int32_t, int32_t);
static const binop table[8] = {op_add, op_sub, op_mul, op_xor,
                               op_shl, op_min, op_mod, op_acc};
static const char *const names[8] = {"add", "sub", "mul", "xor",
                                     "shl", "min", "mod", "acc"};
static unsigned long s_op_count[8];      /* static per-op counters */

static void record(int32_t v) {
  s_history[s_hist_pos++ % 64] = v;
  s_mix = (s_mix ^ (uint32_t)v) * 0x01000193u;
}

/* each call advances a static counter and returns the next id */
static unsigned next_id(void) {
  static unsigned id = 100;
  return id++;
}

/* a tiny "object" with a vtable */
struct shape;
struct shape_ops {
  int32_t (*area)(const struct shape *);
  int32_t (*perimeter)(const struct shape *);
  const char *kind;
};
struct shape { const struct shape_ops *ops; int32_t w, h; unsigned id; };

static int32_t rect_area(const struct shape *s) { g_calls++; return s->w * s->h; }
static int32_t rect_perim(const struct shape *s) { g_calls++; return 2 * (s->w + s->h); }
static int32_t tri_area(const struct shape *s) { g_calls++; return s->w * s->h / 2; }
static int32_t tri_perim(const struct shape *s) { g_calls++; return s->w + s->h + (s->w > s->h ? s->w : s->h); }
static const struct shape_ops rect_ops = {rect_area, rect_perim, "rect"};
static const struct shape_ops tri_ops = {tri_area, tri_perim, "tri"};

int main(void) {
  for (int i = 0; i < 8; i++) s_regs[i] = i * 3 + 1;
  uint32_t lcg = 7u;
  for (int phase = 0; phase < 10; phase++) {
    for (int step = 0; step < 40000; step++) {
      lcg = lcg * 1103515245u + 12345u;
      unsigned op = (lcg >> 16) & 7, d = (lcg >> 19) & 7, s = (lcg >> 22) & 7;
      int32_t r = table[op](s_regs[d], s_regs[s]);
      s_op_count[op]++;
      s_regs[d] = r % 100003 + (int32_t)((lcg >> 4) & 255); /* never collapses to 0 */
      record(r);
    }
    printf("phase %d: regs", phase);
    for (int i = 0; i < 8; i++) printf(" %d", s_regs[i]);
    printf(" mix=%08x calls=%lu\n", s_mix, g_calls);
  }
  for (int i = 0; i < 8; i++) printf("op %-3s called %lu times\n", names[i], s_op_count[i]);

  struct shape shapes[6];
  int32_t total_area = 0, total_perim = 0;
  for (int i = 0; i < 6; i++) {
    shapes[i].ops = (i % 2) ? &tri_ops : &rect_ops;
    shapes[i].w = 3 + i * 2;
    shapes[i].h = 4 + i;
    shapes[i].id = next_id();
  }
  for (int i = 0; i < 6; i++) {
    const struct shape *sp = &shapes[i];
    int32_t a = sp->ops->area(sp), p = sp->ops->perimeter(sp);
    total_area += a;
    total_perim += p;
    printf("shape %u %s %dx%d area=%d perimeter=%d\n", sp->id, sp->ops->kind,
           sp->w, sp->h, a, p);
  }
  uint32_t hist = 0;
  for (int i = 0; i < 64; i++) hist = hist * 31u + (uint32_t)s_history[i];
  printf("totals area=%d perimeter=%d next_id=%u calls=%lu\n", total_area,
         total_perim, next_id(), g_calls);
  printf("checksum: %08x\n", s_mix ^ hist ^ (uint32_t)g_calls);
  return 0;
}
