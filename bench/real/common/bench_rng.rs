// bench_rng.rs — the input generator of the bench's Rust programs (real/rust, real/rustlog; each
// includes it with `#[path]`): xorshift64*, seeded by the program, so that a run reads no host
// randomness and every run computes the same.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545F4914F6CDD1D) >> 32) as u32
    }
}
