// A deterministic computation that runs for a few seconds and prints as it goes: the trigger
// test stops it from outside (WASM_CKPT_TRIGGER) at a moment nobody can predict.
#include <stdint.h>
#include <stdio.h>

static uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  return x;
}

int main(void) {
  uint64_t rounds = 0;
  uint64_t state = 1;
  for (int phase = 0; phase < 40; phase++) {
    for (uint64_t i = 0; i < 25000000; i++) state = mix(state + i);
    rounds++;
    printf("phase %d state %016llx\n", phase, (unsigned long long)state);
    fflush(stdout);
  }
  printf("done after %llu rounds\n", (unsigned long long)rounds);
  return 0;
}
