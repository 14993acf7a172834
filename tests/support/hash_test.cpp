// The tool's hash (wasm_ckpt/hash.h, src/support/hash.cpp) against values computed outside it:
// FNV-1a-64's published test vectors for bytes, and the same steps over little-endian words.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "wasm_ckpt/hash.h"

using namespace wasm_ckpt;

namespace {
std::vector<char> bytesOf(const std::string& s) { return std::vector<char>(s.begin(), s.end()); }
} // namespace

TEST(Hash, FingerprintIsFnv1a64OverBytes) {
  EXPECT_EQ(fingerprint({}), 0xcbf29ce484222325ull);
  EXPECT_EQ(fingerprint(bytesOf("a")), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(fingerprint(bytesOf("foobar")), 0x85944171f73967e8ull);
  EXPECT_EQ(fingerprint(bytesOf("\xff\x80")), fingerprint(std::vector<char>{char(0xff), char(0x80)}));
}

TEST(Hash, SnapshotChecksumIsFnv1a64OverLittleEndianWords) {
  const uint8_t data[10] = {1, 0, 0, 0, 0x78, 0x56, 0x34, 0x12, 0xee, 0xee};
  EXPECT_EQ(snapshotHashWords(SNAPSHOT_HASH_SEED, data, 8), 0x3c594a1fd78c2ebcull);
  // A trailing partial word is left out; an empty range leaves the hash as it was.
  EXPECT_EQ(snapshotHashWords(SNAPSHOT_HASH_SEED, data, 10), 0x3c594a1fd78c2ebcull);
  EXPECT_EQ(snapshotHashWords(SNAPSHOT_HASH_SEED, data, 0), SNAPSHOT_HASH_SEED);
  // Chained over two ranges it is the hash of both (the run-time code hashes section by section).
  EXPECT_EQ(snapshotHashWords(snapshotHashWords(SNAPSHOT_HASH_SEED, data, 4), data + 4, 4), 0x3c594a1fd78c2ebcull);
}
