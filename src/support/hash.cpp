// FNV-1a-64 over bytes and over little-endian words (wasm_ckpt/hash.h).
#include "wasm_ckpt/hash.h"

#include "support/le_codec.h"

namespace wasm_ckpt {

uint64_t snapshotHashWords(uint64_t hash, const uint8_t* data, size_t size) {
  Fnv1a h{hash};
  for (size_t i = 0; i + 4 <= size; i += 4) h.add(loadLE32(data + i));
  return h.value;
}

uint64_t fingerprint(const std::vector<char>& bytes) { return fingerprintOf({{bytes.data(), bytes.data() + bytes.size()}}); }

uint64_t fingerprintOf(const std::vector<std::pair<const char*, const char*>>& ranges) {
  Fnv1a h;
  for (auto [p, end] : ranges) {
    for (; p < end; p++) h.add(uint8_t(*p));
  }
  return h.value ? h.value : 1;
}

} // namespace wasm_ckpt
