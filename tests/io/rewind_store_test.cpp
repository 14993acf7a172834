// Restore code kept out of the Code section (--rewind-copies=stored): `instrument` moves the
// bodies of the rewind copies and of the run-time code's restore functions into the
// wasm-ckpt.rewind section and leaves stubs, and putting every body back gives exactly the Code
// section of --rewind-copies=all; what does not fit is refused with a message.
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

// What a restore from frames of every instrumented function runs.
std::set<uint32_t> restoreCodeOf(const std::vector<char>& bytes) {
  auto metadata = metadataOfBinary(bytes);
  std::set<uint32_t> every;
  for (uint32_t i = 0; i < metadata->functions.size(); i++) every.insert(i);
  return restoreCodeFor(*metadata, every);
}

const std::vector<char> kStub = {0x00, 0x00, 0x0b};

TEST(RewindStore, StowsTheRestoreCodeAndPutsItBackAsItWas) {
  auto all = instrumented(RewindCopies::All);
  auto stowed = stowRestoreCode(instrumented(RewindCopies::Stored));
  EXPECT_EQ(stowRestoreCode(instrumented(RewindCopies::Stored)), stowed); // deterministic
  auto code = restoreCodeOf(stowed);
  EXPECT_EQ(restoreCodeOf(all), code);
  auto module = test::parseText(std::string(stowed.begin(), stowed.end()), "stowed.wasm");
  validateModule(*module, "stowed.wasm");
  // The rewind copies of looper, caller, even, odd and _start, and the run-time code's restore
  // functions, among them its three entries; not what a run without a restore calls.
  std::set<std::string> names;
  for (uint32_t index : code) names.insert(module->functions[index]->name.str);
  for (auto* name : {"wasm_ckpt$rewind$looper", "wasm_ckpt$rewind$caller", "wasm_ckpt$rewind$even", "wasm_ckpt$rewind$odd",
                     "wasm_ckpt$rewind$_start", "wasm_ckpt$restore_begin", "wasm_ckpt$frame_read", "wasm_ckpt$restore_finish"})
    EXPECT_TRUE(names.count(name)) << name;
  for (auto* name : {"wasm_ckpt$start", "wasm_ckpt$poll_slow", "wasm_ckpt$frame_reserve", "looper", "_start"})
    EXPECT_FALSE(names.count(name)) << name;
  EXPECT_GT(names.size(), 8u); // what only the restore entries call

  // The Code section holds stubs that trap; the section holds the bodies of --rewind-copies=all.
  for (auto& [index, body] : functionBodies(stowed, code)) EXPECT_EQ(body, kStub) << index;
  auto stored = storedRestoreCode(stowed);
  EXPECT_EQ(stored, functionBodies(all, code));
  size_t bodyBytes = 0;
  for (auto& [index, body] : stored) bodyBytes += body.size();
  EXPECT_GE(sectionOf(all, 10).size(), sectionOf(stowed, 10).size() + bodyBytes - 4 * code.size());
  auto flags = metadataOfBinary(stowed)->runtime.flagsGlobal;
  EXPECT_EQ(module->globals[flags]->init->cast<wasm::Const>()->value.geti32(), int32_t(FLAG_REWIND_STORED));

  // Every body put back: the Code section of --rewind-copies=all, byte for byte.
  ModulePatch everything;
  placeRestoreCode(everything, stored, code);
  auto restored = patchModule(stowed, everything);
  EXPECT_EQ(sectionOf(restored, 10), sectionOf(all, 10));
  EXPECT_EQ(storedRestoreCode(restored), stored);

  // A restore from frames of `looper` only: its rewind copy and the run-time restore functions.
  auto metadata = metadataOfBinary(stowed);
  uint32_t looper = 0;
  while (metadata->functions[looper].name != "looper") looper++;
  auto needed = restoreCodeFor(*metadata, {looper});
  EXPECT_EQ(needed.size(), metadata->restoreOnly.size() + 1);
  EXPECT_TRUE(needed.count(metadata->functions[looper].rewindIndex));
  ModulePatch some;
  placeRestoreCode(some, stored, needed);
  auto bodies = functionBodies(patchModule(stowed, some), code);
  for (uint32_t index : code) EXPECT_EQ(bodies.at(index), needed.count(index) ? stored.at(index) : kStub) << index;
  EXPECT_TRUE(storedRestoreCode(all).empty());
}

TEST(RewindStore, RefusesWhatDoesNotFit) {
  auto stowed = stowRestoreCode(instrumented(RewindCopies::Stored));
  auto stored = storedRestoreCode(stowed);
  ModulePatch patch;
  EXPECT_EQ(errorOf([&] { placeRestoreCode(patch, stored, {1000}); }), "the module stores no code for function #1000");
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
  EXPECT_EQ(errorOf([&] { storedRestoreCode(withSection({1, 5, 3, 0x00})); }),
            "invalid module: malformed wasm-ckpt.rewind section (at byte 40)");
  EXPECT_NE(errorOf([&] { storedRestoreCode(withSection({2, 5, 1, 0x0b, 4, 1, 0x0b})); }).find("malformed wasm-ckpt.rewind section"),
            std::string::npos);
  EXPECT_EQ(errorOf([&] { storedRestoreCode(withSection({0}, 2)); }), "the module has two wasm-ckpt.rewind sections");
  EXPECT_EQ(storedRestoreCode(withSection({1, 5, 1, 0x0b})).at(5), std::vector<char>({0x0b}));
}

} // namespace
} // namespace wasm_ckpt
