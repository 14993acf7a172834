#include <gtest/gtest.h>

#include "wasm_ckpt/error.h"
#include "wasm_ckpt/snapshot.h"

using namespace wasm_ckpt;

TEST(Snapshot, RoundTrip) {
  Snapshot s;
  s.moduleHash = 42;
  s.memoryPages = 3;
  s.frames.push_back({1, 2, {1, 2, 3, 4}});
  s.globals = {9, 9, 9, 9};
  s.pages.push_back({2, std::vector<uint8_t>(65536, 7)});
  auto bytes = serializeSnapshot(s);
  auto back = parseSnapshot(bytes);
  EXPECT_EQ(back.moduleHash, 42u);
  EXPECT_EQ(back.frames.size(), 1u);
  EXPECT_EQ(back.pages[0].index, 2u);
}
