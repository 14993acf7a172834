// cflags: -msimd128
// SIMD: v128 values live in locals across loop iterations and calls (i32x4, f32x4, f64x2,
// i64x2), so frames must save and restore 128-bit locals exactly.
#include <stdint.h>
#include <stdio.h>
#include <wasm_simd128.h>

static v128_t step(v128_t acc, v128_t x) {
  return wasm_i32x4_add(wasm_i32x4_mul(acc, wasm_i32x4_splat(1103515245)), x);
}

static __attribute__((noinline)) v128_t mix(v128_t a, v128_t b, int round) {
  v128_t r = wasm_v128_xor(a, wasm_i32x4_shl(b, round & 7));
  if (round % 97 == 0) printf("  round %d lane0 %08x\n", round, (unsigned)wasm_i32x4_extract_lane(r, 0));
  return r;
}

int main(void) {
  v128_t acc = wasm_i32x4_make(1, 2, 3, 4);
  v128_t fa = wasm_f32x4_make(0.5f, 1.5f, 2.5f, 3.5f);
  v128_t da = wasm_f64x2_make(1.0, -2.0);
  v128_t la = wasm_i64x2_make(0x0123456789abcdefll, -5);
  for (int round = 0; round < 3000; round++) {
    for (int i = 0; i < 200; i++) {
      acc = step(acc, wasm_i32x4_make(i, round, i ^ round, 7));
      fa = wasm_f32x4_add(wasm_f32x4_mul(fa, wasm_f32x4_splat(0.999f)), wasm_f32x4_splat((float)(i & 3)));
      da = wasm_f64x2_add(wasm_f64x2_mul(da, wasm_f64x2_splat(0.9999)), wasm_f64x2_make(i, -i));
      la = wasm_i64x2_add(wasm_i64x2_shl(la, 1), wasm_i64x2_make(i, round));
    }
    acc = mix(acc, la, round);
    if (round % 500 == 0)
      printf("round %d: %08x %08x %.6f %.6f %.3f %016llx\n", round, (unsigned)wasm_i32x4_extract_lane(acc, 0),
             (unsigned)wasm_i32x4_extract_lane(acc, 3), wasm_f32x4_extract_lane(fa, 1), wasm_f64x2_extract_lane(da, 0),
             wasm_f64x2_extract_lane(da, 1), (unsigned long long)wasm_i64x2_extract_lane(la, 0));
  }
  printf("checksum: %08x\n", (unsigned)(wasm_i32x4_extract_lane(acc, 1) ^ wasm_i32x4_extract_lane(acc, 2)));
  return 0;
}
