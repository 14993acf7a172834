// The little-endian reader and writer (src/support/le_codec.h) against bytes written out by hand,
// and the reader's refusal to run past its end.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/le_codec.h"
#include "wasm_ckpt/error.h"

using namespace wasm_ckpt;

TEST(LECodec, WritesLeastSignificantByteFirst) {
  LEWriter<uint8_t> w;
  w.u8(0xab);
  w.u32(0x11223344u);
  w.u64(0x0102030405060708ull);
  w.bytes(std::string("xy"));
  std::vector<uint8_t> expected = {0xab, 0x44, 0x33, 0x22, 0x11, 8, 7, 6, 5, 4, 3, 2, 1, 'x', 'y'};
  EXPECT_EQ(w.out, expected);
}

TEST(LECodec, LoadsAndStoresInPlace) {
  uint8_t b[8] = {0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0xf1};
  EXPECT_EQ(loadLE32(b), 0x55667788u);
  EXPECT_EQ(loadLE64(b), 0xf122334455667788ull);
  storeLE64(b, 0x0102030405060708ull);
  EXPECT_EQ(b[0], 8);
  EXPECT_EQ(b[7], 1);
  storeLE32(b + 4, 0xdeadbeefu);
  EXPECT_EQ(loadLE64(b), 0xdeadbeef05060708ull);
}

TEST(LECodec, ReadsWhatWasWritten) {
  LEWriter<char> w;
  w.u32(7);
  w.u64(~0ull - 1);
  w.u8(200);
  w.bytes(std::string("abc"));
  LEReader r(w.out.data(), w.out.size(), "the record is damaged");
  EXPECT_EQ(r.u32(), 7u);
  EXPECT_EQ(r.u64(), ~0ull - 1);
  EXPECT_EQ(r.u8(), 200);
  EXPECT_EQ(r.offset(), 13u);
  EXPECT_EQ(r.remaining(), 3u);
  auto* p = r.take(3);
  EXPECT_EQ(std::string(p, p + 3), "abc");
  EXPECT_TRUE(r.atEnd());
}

TEST(LECodec, RefusesToReadPastTheEnd) {
  const uint8_t b[6] = {1, 0, 0, 0, 2, 0};
  LEReader r(b, sizeof b, "the record is damaged");
  EXPECT_EQ(r.u32(), 1u);
  try {
    r.u32();
    ADD_FAILURE() << "read 4 bytes where 2 remain";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "the record is damaged: 4 bytes needed at offset 4, 2 left");
  }
  EXPECT_EQ(r.offset(), 4u) << "a refused read consumes nothing";
  EXPECT_THROW(r.take(uint64_t(1) << 40), Error);
  EXPECT_EQ(r.u8(), 2);
}
