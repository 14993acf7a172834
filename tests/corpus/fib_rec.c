/* fib_rec.c - recursion: naive Fibonacci, Ackermann (small), 8-queens. */
#include <stdio.h>
#include <stdint.h>

static uint32_t fib(int n) { return n < 2 ? (uint32_t)n : fib(n - 1) + fib(n - 2); }

static long ack_calls;
static int ack(int m, int n) {
  ack_calls++;
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}

#define QN 8
static int cols[QN];
static int solutions;
static uint32_t qhash = 2166136261u;

static int safe(int row, int col) {
  for (int r = 0; r < row; r++) {
    int c = cols[r];
    if (c == col || c - col == r - row || c - col == row - r) return 0;
  }
  return 1;
}

static void queens(int row) {
  if (row == QN) {
    solutions++;
    for (int i = 0; i < QN; i++) qhash = (qhash ^ (uint32_t)cols[i]) * 16777619u;
    if (solutions % 23 == 1) {
      printf("queens solution %d:", solutions);
      for (int i = 0; i < QN; i++) printf(" %d", cols[i]);
      printf("\n");
    }
    return;
  }
  for (int c = 0; c < QN; c++)
    if (safe(row, c)) {
      cols[row] = c;
      queens(row + 1);
    }
}

int main(void) {
  uint32_t check = 0;
  for (int n = 0; n <= 26; n += 2) {
    uint32_t f = fib(n);
    check = check * 33u + f;
    printf("fib(%d) = %u\n", n, f);
  }
  for (int m = 0; m <= 3; m++)
    for (int n = 0; n <= (m < 3 ? 4 : 5); n++) {
      ack_calls = 0;
      int a = ack(m, n);
      check = check * 33u + (uint32_t)a + (uint32_t)ack_calls;
      printf("ack(%d,%d) = %d (%ld calls)\n", m, n, a, ack_calls);
    }
  queens(0);
  printf("queens(%d): %d solutions, hash %08x\n", QN, solutions, qhash);
  check ^= qhash + (uint32_t)solutions;
  printf("checksum: %08x\n", check);
  return 0;
}
