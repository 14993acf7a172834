/* exit_code.c - a few lines of output, then a nonzero exit status (3)
 * returned from main. */
#include <stdio.h>
#include <stdint.h>

static uint32_t triangle(uint32_t n) { return n * (n + 1) / 2; }

int main(void) {
  uint32_t check = 0;
  for (uint32_t round = 1; round <= 5; round++) {
    uint32_t acc = 0;
    for (uint32_t i = 0; i < 60000 * round; i++) acc = acc * 2654435761u + triangle(i % 977);
    check ^= acc + round;
    printf("round %u: acc=%08x\n", round, acc);
  }
  printf("about to return 3 from main\n");
  printf("checksum: %08x\n", check);
  return 3;
}
