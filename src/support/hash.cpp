// FNV-1a-64 over bytes and over little-endian words (wasm_ckpt/hash.h).
#include "wasm_ckpt/hash.h"

#include "support/le_codec.h"

namespace wasm_ckpt {

uint64_t snapshotHashWords(uint64_t hash, const uint8_t* data, size_t size) {
  Fnv1a h{hash};
  for (size_t i = 0; i + 4 <= size; i += 4) h.add(loadLE32(data + i));
  return h.value;
}

uint64_t fingerprint(const std::vector<char>& bytes) {
  Fnv1a h;
  for (char c : bytes) h.add(uint8_t(c));
  return h.value ? h.value : 1;
}

} // namespace wasm_ckpt
