// A program whose memory grows while it runs, and which prints what it sees of its memory: the
// checkpoint-and-continue test (tests/e2e/continue.mjs) checkpoints it many times while it keeps
// running; a checkpoint uses memory past the program's, which the program must never see (its
// memory.size and the contents of the pages it grows into stay those of an uninterrupted run).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t x) {
  x ^= x >> 31;
  x *= 0x9e3779b97f4a7c15ull;
  x ^= x >> 29;
  return x;
}

int main(void) {
  uint64_t state = 7;
  uint32_t* blocks[24];
  for (int phase = 0; phase < 24; phase++) {
    size_t words = (size_t)(phase + 1) * 24576;
    blocks[phase] = malloc(words * 4);
    uint64_t fresh = 0;
    for (size_t i = 0; i < words; i++) fresh |= blocks[phase][i]; // malloc'd from fresh pages: zero
    for (size_t i = 0; i < words; i++) blocks[phase][i] = (uint32_t)(state = mix(state + i));
    for (int round = 0; round < 12; round++)
      for (int b = 0; b <= phase; b++)
        for (size_t i = 0; i < (size_t)(b + 1) * 24576; i += 3) state = mix(state ^ blocks[b][i]);
    printf("phase %2d pages %4u fresh %llu state %016llx\n", phase, (unsigned)__builtin_wasm_memory_size(0),
           (unsigned long long)fresh, (unsigned long long)state);
  }
  for (int phase = 0; phase < 24; phase++) free(blocks[phase]);
  printf("done %016llx\n", (unsigned long long)state);
  return 0;
}
