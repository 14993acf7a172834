// The tool's one hash: FNV-1a-64 with snapshot_layout.h's seed and prime, the constants the
// run-time code's snapshot checksum uses too.
#pragma once
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "wasm_ckpt/snapshot_layout.h"

namespace wasm_ckpt {

// One FNV-1a step per unit (a byte, or a 32-bit word for the snapshot checksum).
struct Fnv1a {
  uint64_t value = SNAPSHOT_HASH_SEED;
  void add(uint64_t unit) { value = (value ^ unit) * SNAPSHOT_HASH_PRIME; }
};

// The snapshot checksum (docs/snapshot-format.md): continues `hash` over the 32-bit
// little-endian words of data[0, size) (a trailing partial word is left out).
uint64_t snapshotHashWords(uint64_t hash, const uint8_t* data, size_t size);
// Byte by byte and never 0: the identity of a module's bytes (the module hash a snapshot names,
// the original's hash in the wasm-ckpt section, the batch report's hashes).
uint64_t fingerprint(const std::vector<char>& bytes);
// fingerprint() of the bytes of these ranges [first, second), one after the other.
uint64_t fingerprintOf(const std::vector<std::pair<const char*, const char*>>& ranges);

} // namespace wasm_ckpt
