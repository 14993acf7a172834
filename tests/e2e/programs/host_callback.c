// A program whose work runs mostly under a host frame: main calls the import env.call_cb, which
// the host (tests/tools/run_wasi.mjs --host-callbacks) answers by calling the export cb. A stop
// requested while cb runs must wait until call_cb has returned (the host's frame cannot be
// captured); tests/e2e/runtime_hardening.mjs stops it at many points.
#include <stdint.h>
#include <stdio.h>

__attribute__((import_module("env"), import_name("call_cb"))) uint32_t call_cb(uint32_t n);

static uint64_t state = 1;

__attribute__((export_name("cb"))) uint32_t cb(uint32_t n) {
  uint64_t h = n;
  uint32_t steps = 2000 + n * 37 % 1000;
  for (uint32_t i = 0; i < steps; i++) {
    h = h * 6364136223846793005ull + i;
    state ^= h >> 29;
  }
  return (uint32_t)(h >> 32);
}

int main(void) {
  uint64_t total = 0;
  for (uint32_t round = 0; round < 400; round++) {
    uint32_t r = call_cb(round);
    for (uint32_t i = 0; i < 700 + round % 5; i++) total = total * 31 + (r ^ i);
    if (round % 25 == 0)
      printf("round %u r %08x total %016llx state %016llx\n", round, r, (unsigned long long)total,
             (unsigned long long)state);
  }
  printf("done %016llx %016llx\n", (unsigned long long)total, (unsigned long long)state);
  return 0;
}
