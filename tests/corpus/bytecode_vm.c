/* bytecode_vm.c - a switch-heavy interpreter: a small stack-based bytecode VM
 * (arithmetic, locals, jumps, calls, print) running a few programs, plus a
 * character-class state machine tokenising a source string. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

enum op {
  OP_HALT, OP_PUSH, OP_POP, OP_DUP, OP_SWAP, OP_ADD, OP_SUB, OP_MUL, OP_DIV,
  OP_MOD, OP_LT, OP_EQ, OP_NOT, OP_JMP, OP_JZ, OP_LOAD, OP_STORE, OP_CALL,
  OP_RET, OP_PRINT, OP_HASH
};

#define STACK 256
#define NLOCALS 16

struct vm {
  int32_t stack[STACK]; int sp;
  int32_t locals[NLOCALS];
  int rstack[64]; int rsp;
  uint32_t hash;
  long steps;
};

static int run(struct vm *m, const int32_t *code, const char *name) {
  int pc = 0;
  m->sp = 0; m->rsp = 0; m->steps = 0;
  memset(m->locals, 0, sizeof m->locals);
  for (;;) {
    m->steps++;
    int32_t a, b;
    switch ((enum op)code[pc++]) {
    case OP_HALT: return 0;
    case OP_PUSH: m->stack[m->sp++] = code[pc++]; break;
    case OP_POP: m->sp--; break;
    case OP_DUP: m->stack[m->sp] = m->stack[m->sp - 1]; m->sp++; break;
    case OP_SWAP: a = m->stack[m->sp - 1]; m->stack[m->sp - 1] = m->stack[m->sp - 2]; m->stack[m->sp - 2] = a; break;
    case OP_ADD: b = m->stack[--m->sp]; a = m->stack[--m->sp]; m->stack[m->sp++] = (int32_t)((uint32_t)a + (uint32_t)b); break;
    case OP_SUB: b = m->stack[--m->sp]; a = m->stack[--m->sp]; m->stack[m->sp++] = (int32_t)((uint32_t)a - (uint32_t)b); break;
    case OP_MUL: b = m->stack[--m->sp]; a = m->stack[--m->sp]; m->stack[m->sp++] = (int32_t)((uint32_t)a * (uint32_t)b); break;
    case OP_DIV: b = m->stack[--m->sp]; a = m->stack[--m->sp]; m->stack[m->sp++] = b ? a / b : 0; break;
    case OP_MOD: b = m->stack[--m->sp]; a = m->stack[--m->sp]; m->stack[m->sp++] = b ? a % b : 0; break;
    case OP_LT: b = m->stack[--m->sp]; a = m->stack[--m->sp]; m->stack[m->sp++] = a < b; break;
    case OP_EQ: b = m->stack[--m->sp]; a = m->stack[--m->sp]; m->stack[m->sp++] = a == b; break;
    case OP_NOT: m->stack[m->sp - 1] = !m->stack[m->sp - 1]; break;
    case OP_JMP: pc = code[pc]; break;
    case OP_JZ: a = m->stack[--m->sp]; pc = a ? pc + 1 : code[pc]; break;
    case OP_LOAD: m->stack[m->sp++] = m->locals[code[pc++]]; break;
    case OP_STORE: m->locals[code[pc++]] = m->stack[--m->sp]; break;
    case OP_CALL: m->rstack[m->rsp++] = pc + 1; pc = code[pc]; break;
    case OP_RET: pc = m->rstack[--m->rsp]; break;
    case OP_PRINT: a = m->stack[--m->sp]; printf("  [%s] out %d\n", name, a); m->hash = (m->hash ^ (uint32_t)a) * 16777619u; break;
    case OP_HASH: a = m->stack[--m->sp]; m->hash = (m->hash ^ (uint32_t)a) * 16777619u; break;
    default: printf("bad opcode at %d\n", pc - 1); return 1;
    }
    if (m->sp < 0 || m->sp >= STACK) { printf("stack fault\n"); return 1; }
  }
}

/* count primes below 12000 by trial division; print every 150th prime */
static const int32_t prog_primes[] = {
    /* 0 */ OP_PUSH, 2, OP_STORE, 0,               /* n = 2 */
    /* 4 */ OP_PUSH, 0, OP_STORE, 2,               /* count = 0 */
    /* 8 */ OP_LOAD, 0, OP_PUSH, 12000, OP_LT, OP_JZ, 68,   /* while n < 3000 */
    /* 15 */ OP_PUSH, 2, OP_STORE, 1,              /* d = 2 */
    /* 19 */ OP_LOAD, 1, OP_LOAD, 1, OP_MUL, OP_LOAD, 0, OP_SWAP, OP_LT, OP_NOT, OP_JZ, 50, /* while d*d <= n */
    /* 31 */ OP_LOAD, 0, OP_LOAD, 1, OP_MOD, OP_JZ, 59,   /* if n % d == 0: not prime */
    /* 38 */ OP_LOAD, 1, OP_PUSH, 1, OP_ADD, OP_STORE, 1, OP_JMP, 19,
    /* 47 */ OP_HALT, OP_HALT, OP_HALT,
    /* 50 */ OP_LOAD, 2, OP_PUSH, 1, OP_ADD, OP_STORE, 2, OP_CALL, 80,  /* prime: count++, report */
    /* 59 */ OP_LOAD, 0, OP_PUSH, 1, OP_ADD, OP_STORE, 0, OP_JMP, 8,
    /* 68 */ OP_LOAD, 2, OP_PRINT, OP_HALT,
    /* 72 */ OP_HALT, OP_HALT, OP_HALT, OP_HALT, OP_HALT, OP_HALT, OP_HALT, OP_HALT,
    /* 80: report(): hash n; print n every 150th prime */
    OP_LOAD, 0, OP_HASH,
    /* 83 */ OP_LOAD, 2, OP_PUSH, 150, OP_MOD, OP_JZ, 91, OP_RET,
    /* 91 */ OP_LOAD, 0, OP_PRINT, OP_RET};

/* iterative fibonacci mod 1000003, printing every 6000 iterations */
static const int32_t prog_fib[] = {
    /* 0 */ OP_PUSH, 0, OP_STORE, 0, OP_PUSH, 1, OP_STORE, 1, OP_PUSH, 0, OP_STORE, 2,
    /* 12 */ OP_LOAD, 2, OP_PUSH, 60000, OP_LT, OP_JZ, 60,
    /* 19 */ OP_LOAD, 0, OP_LOAD, 1, OP_ADD, OP_PUSH, 1000003, OP_MOD,
    /* 27 */ OP_LOAD, 1, OP_STORE, 0, OP_STORE, 1,
    /* 33 */ OP_LOAD, 2, OP_PUSH, 1, OP_ADD, OP_DUP, OP_STORE, 2,
    /* 41 */ OP_PUSH, 6000, OP_MOD, OP_JZ, 48, OP_JMP, 12,
    /* 48 */ OP_LOAD, 1, OP_PRINT, OP_JMP, 12,
    /* 53 */ OP_HALT, OP_HALT, OP_HALT, OP_HALT, OP_HALT, OP_HALT, OP_HALT,
    /* 60 */ OP_LOAD, 0, OP_PRINT, OP_HALT};

/* tokenizer state machine */
enum st { S_START, S_NUM, S_IDENT, S_OP, S_STR };
static void tokenize(const char *src, uint32_t *hash) {
  enum st s = S_START;
  int counts[5] = {0};
  const char *tok = src;
  for (const char *p = src;; p++) {
    char c = *p;
    int cls = (c >= '0' && c <= '9') ? 1 : ((c >= 'a' && c <= 'z') || c == '_') ? 2
              : c == '"' ? 4 : (c && strchr("+-*/=<>(){};,", c)) ? 3 : 0;
    enum st next;
    switch (s) {
    case S_STR: next = (c == '"' || !c) ? S_START : S_STR; if (next == S_START) { counts[S_STR]++; tok = p + 1; } goto advance;
    case S_NUM: if (cls == 1) continue; break;
    case S_IDENT: if (cls == 2 || cls == 1) continue; break;
    case S_OP: break;
    case S_START: break;
    }
    if (s != S_START) {
      counts[s]++;
      *hash = (*hash ^ (uint32_t)(p - tok)) * 16777619u + (uint32_t)s;
    }
    switch (cls) {
    case 1: next = S_NUM; break;
    case 2: next = S_IDENT; break;
    case 3: next = S_OP; break;
    case 4: next = S_STR; break;
    default: next = S_START; break;
    }
    tok = p;
  advance:
    s = next;
    if (!c) break;
  }
  printf("  tokens: num=%d ident=%d op=%d str=%d\n", counts[S_NUM], counts[S_IDENT],
         counts[S_OP], counts[S_STR]);
}

int main(void) {
  static struct vm m;
  m.hash = 2166136261u;
  printf("vm: primes program\n");
  int rc = run(&m, prog_primes, "primes");
  printf("vm: primes rc=%d steps=%ld hash=%08x\n", rc, m.steps, m.hash);
  printf("vm: fib program\n");
  rc |= run(&m, prog_fib, "fib");
  printf("vm: fib rc=%d steps=%ld hash=%08x\n", rc, m.steps, m.hash);

  const char *src =
      "let x1 = 42 + foo(7, \"bar baz\"); while (x1 < 1000) { x1 = x1 * 3 - 1; } "
      "print(\"done\", x1);";
  uint32_t th = 2166136261u;
  for (int i = 0; i < 5; i++) {
    printf("tokenize pass %d\n", i);
    tokenize(src + i, &th);
  }
  printf("checksum: %08x\n", m.hash ^ th ^ (uint32_t)rc);
  return rc;
}
