// cflags: -Wl,--max-memory=4194304
/* memory_limit.c - a program whose memory declares a maximum (4 MiB, 64 pages) and reaches it:
 * malloc grows memory until memory.grow fails, then the program computes over everything it
 * got, at its limit, frees every other block and allocates them again. Checks that an
 * instrumented module fails memory.grow exactly where the original does, and can be
 * checkpointed at its maximum. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK (48 * 1024)
#define MAX_BLOCKS 256

static uint32_t* blocks[MAX_BLOCKS];

static uint32_t mix(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352du;
  x ^= x >> 15;
  return x;
}

static uint32_t fill(uint32_t* block, uint32_t seed) {
  uint32_t sum = 0;
  for (uint32_t i = 0; i < BLOCK / 4; i++) {
    block[i] = mix(seed + i);
    sum += block[i];
  }
  return sum;
}

int main(void) {
  uint32_t check = 0;
  int count = 0;
  while (count < MAX_BLOCKS) {
    uint32_t* block = malloc(BLOCK);
    if (!block) break;
    blocks[count] = block;
    check ^= fill(block, (uint32_t)count * 7919u);
    count++;
    if (count % 8 == 0) printf("allocated %d blocks, check %08x\n", count, check);
  }
  printf("malloc failed after %d blocks (memory.grow refused)\n", count);
  for (int round = 0; round < 6; round++) {
    uint32_t acc = (uint32_t)round;
    for (int b = 0; b < count; b++) {
      for (uint32_t i = 0; i < BLOCK / 4; i += 3) acc = mix(acc + blocks[b][i]);
    }
    check = check * 31u + acc;
    printf("round %d at the limit: %08x\n", round, acc);
  }
  for (int b = 0; b < count; b += 2) {
    free(blocks[b]);
    blocks[b] = 0;
  }
  int again = 0;
  for (int b = 0; b < count; b += 2) {
    blocks[b] = malloc(BLOCK);
    if (!blocks[b]) break;
    check ^= fill(blocks[b], (uint32_t)b * 104729u);
    again++;
  }
  printf("after freeing half: %d blocks allocated again\n", again);
  printf("checksum: %08x\n", check);
  return 0;
}
