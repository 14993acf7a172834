// Rewind copies kept out of the Code section (--rewind-copies=stored): `instrument` moves their
// bodies into the wasm-ckpt.rewind section and leaves stubs, and putting every body back gives
// exactly the Code section of --rewind-copies=all; what does not fit is refused with a message.
#include <gtest/gtest.h>

#include <set>

#include "common/error_of.h"
#include "common/test_modules.h"
#include "io/binary_patch.h"
#include "io/binary_sections.h"
#include "io/rewind_store.h"
#include "wasm_ckpt/metadata.h"
#include "wasm_ckpt/snapshot_layout.h"

namespace wasm_ckpt {
namespace {
using test::errorOf;

std::vector<char> instrumented(RewindCopies copies) {
  auto module = test::parseCallGraphProgram();
  auto options = test::leanOptions();
  options.rewindCopies = copies;
  instrumentModule(*module, options);
  return writeModuleBinary(*module);
}

std::vector<char> sectionOf(const std::vector<char>& bytes, uint8_t id) {
  for (auto& s : binarySections(bytes)) {
    if (s.id == id) return std::vector<char>(bytes.begin() + s.start, bytes.begin() + s.end);
  }
  return {};
}

std::set<uint32_t> rewindCopiesOf(const std::vector<char>& bytes) {
  std::set<uint32_t> copies;
  for (auto& f : metadataOfBinary(bytes)->functions) {
    if (f.rewindIndex != FrameLayout::kNoRewindCopy) copies.insert(f.rewindIndex);
  }
  return copies;
}

TEST(RewindStore, StowsTheRewindCopiesAndPutsThemBackAsTheyWere) {
  auto all = instrumented(RewindCopies::All);
  auto stowed = stowRewindCopies(instrumented(RewindCopies::Stored));
  auto copies = rewindCopiesOf(stowed);
  ASSERT_EQ(copies.size(), 5u); // looper, caller, even, odd, _start
  EXPECT_EQ(rewindCopiesOf(all), copies);

  // The Code section holds stubs that trap; the section holds the bodies of --rewind-copies=all.
  for (auto& [index, body] : functionBodies(stowed, copies)) EXPECT_EQ(body, std::vector<char>({0x00, 0x00, 0x0b})) << index;
  auto stored = storedRewindCopies(stowed);
  EXPECT_EQ(stored, functionBodies(all, copies));
  size_t bodyBytes = 0;
  for (auto& [index, body] : stored) bodyBytes += body.size();
  EXPECT_GE(sectionOf(all, 10).size(), sectionOf(stowed, 10).size() + bodyBytes - 4 * copies.size());
  auto module = test::parseText(std::string(stowed.begin(), stowed.end()), "stowed.wasm");
  validateModule(*module, "stowed.wasm");
  auto flags = metadataOfBinary(stowed)->runtime.flagsGlobal;
  EXPECT_EQ(module->globals[flags]->init->cast<wasm::Const>()->value.geti32(), int32_t(FLAG_REWIND_STORED));

  // Every body put back: the Code section of --rewind-copies=all, byte for byte.
  ModulePatch everything;
  placeRewindCopies(everything, stored, copies);
  auto restored = patchModule(stowed, everything);
  EXPECT_EQ(sectionOf(restored, 10), sectionOf(all, 10));
  EXPECT_EQ(storedRewindCopies(restored), stored);

  // One put back, the others stubs; the section is unchanged.
  ModulePatch one;
  placeRewindCopies(one, stored, {*copies.begin()});
  auto partial = patchModule(stowed, one);
  auto bodies = functionBodies(partial, copies);
  EXPECT_EQ(bodies.at(*copies.begin()), stored.at(*copies.begin()));
  EXPECT_EQ(bodies.at(*copies.rbegin()), std::vector<char>({0x00, 0x00, 0x0b}));
  EXPECT_EQ(storedRewindCopies(partial), stored);
  EXPECT_TRUE(storedRewindCopies(all).empty());
}

TEST(RewindStore, RefusesWhatDoesNotFit) {
  auto stowed = stowRewindCopies(instrumented(RewindCopies::Stored));
  auto stored = storedRewindCopies(stowed);
  ModulePatch patch;
  EXPECT_EQ(errorOf([&] { placeRewindCopies(patch, stored, {1000}); }), "the module stores no rewind copy #1000");
  EXPECT_EQ(errorOf([&] { functionBodies(stowed, {1000}); }), "the module defines no function #1000");
  ModulePatch body;
  body.bodies[1000] = {0x00, 0x0b};
  EXPECT_EQ(errorOf([&] { patchModule(stowed, body); }), "the module defines no function #1000");

  // A section cut short, entries out of order, and a second section.
  auto withSection = [&](const std::vector<char>& payload, int copiesOfIt = 1) {
    auto bytes = writeModuleBinary(*test::parseText("(module)"));
    for (int i = 0; i < copiesOfIt; i++) {
      auto section = customSectionBytes(kRewindSectionName, payload);
      bytes.insert(bytes.end(), section.begin(), section.end());
    }
    return bytes;
  };
  EXPECT_EQ(errorOf([&] { storedRewindCopies(withSection({1, 5, 3, 0x00})); }),
            "invalid module: malformed wasm-ckpt.rewind section (at byte 40)");
  EXPECT_NE(errorOf([&] { storedRewindCopies(withSection({2, 5, 1, 0x0b, 4, 1, 0x0b})); }).find("malformed wasm-ckpt.rewind section"),
            std::string::npos);
  EXPECT_EQ(errorOf([&] { storedRewindCopies(withSection({0}, 2)); }), "the module has two wasm-ckpt.rewind sections");
  EXPECT_EQ(storedRewindCopies(withSection({1, 5, 1, 0x0b})).at(5), std::vector<char>({0x0b}));
}

} // namespace
} // namespace wasm_ckpt
