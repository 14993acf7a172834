// The "wasm-ckpt" custom section (src/metadata/metadata.cpp): round trips through bytes and
// through a module, and damaged sections rejected with an Error rather than a crash.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "wasm.h"

#include "common/error_of.h"
#include "io/binary_sections.h"
#include "support/le_codec.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/metadata.h"

using namespace wasm_ckpt;
using test::errorOf;

namespace {
ModuleMetadata sample() {
  ModuleMetadata m;
  m.moduleHash = 0xfedcba9876543210ull;
  m.strategy = "full";
  FrameLayout a;
  a.name = "main";
  a.functionIndex = 7;
  a.rewindIndex = 30;
  a.locals = {ValueKind::I32, ValueKind::I64, ValueKind::F32, ValueKind::F64, ValueKind::V128};
  a.resumePoints = {{ResumeKind::Poll, 0, "poll at function entry"},
                    {ResumeKind::Call, 12, "call f"},
                    {ResumeKind::CallIndirect, 0, "call_indirect (func (param i32))"},
                    {ResumeKind::Poll, 0, "poll at loop header"}};
  FrameLayout b;
  b.name = "$12";
  b.functionIndex = 12;
  b.resumePoints = {{ResumeKind::Poll, 0, "poll at function entry"}};
  m.functions = {a, b};
  m.globals = {{"__stack_pointer", 0, ValueKind::I32}, {"counter", 3, ValueKind::I64}, {"v", 4, ValueKind::V128}};
  m.runtime = {10, 11, 12, 13};
  m.memoryLimitPages = 64;
  m.provenance = {"9.8.7", 0x1122334455667788ull, 3, RewindCopies::Stored, 5000, 12345, {"main", "f*"}, {"g?"}, 0x99aabbccddeeff00ull};
  return m;
}

void expectSame(const ModuleMetadata& a, const ModuleMetadata& b) {
  EXPECT_EQ(a.moduleHash, b.moduleHash);
  EXPECT_EQ(a.strategy, b.strategy);
  ASSERT_EQ(a.functions.size(), b.functions.size());
  for (size_t i = 0; i < a.functions.size(); i++) {
    EXPECT_EQ(a.functions[i].name, b.functions[i].name);
    EXPECT_EQ(a.functions[i].functionIndex, b.functions[i].functionIndex);
    EXPECT_EQ(a.functions[i].rewindIndex, b.functions[i].rewindIndex);
    EXPECT_EQ(a.functions[i].locals, b.functions[i].locals);
    EXPECT_EQ(a.functions[i].resumePoints, b.functions[i].resumePoints);
  }
  ASSERT_EQ(a.globals.size(), b.globals.size());
  for (size_t i = 0; i < a.globals.size(); i++) {
    EXPECT_EQ(a.globals[i].name, b.globals[i].name);
    EXPECT_EQ(a.globals[i].index, b.globals[i].index);
    EXPECT_EQ(a.globals[i].kind, b.globals[i].kind);
  }
  EXPECT_EQ(a.runtime.moduleHashGlobal, b.runtime.moduleHashGlobal);
  EXPECT_EQ(a.runtime.bakedSizeGlobal, b.runtime.bakedSizeGlobal);
  EXPECT_EQ(a.runtime.flagsGlobal, b.runtime.flagsGlobal);
  EXPECT_EQ(a.runtime.bakedSegment, b.runtime.bakedSegment);
  EXPECT_EQ(a.memoryLimitPages, b.memoryLimitPages);
  auto &p = a.provenance, &q = b.provenance;
  EXPECT_EQ(p.toolVersion, q.toolVersion);
  EXPECT_EQ(p.sourceHash, q.sourceHash);
  EXPECT_EQ(p.optimizeLevel, q.optimizeLevel);
  EXPECT_EQ(p.rewindCopies, q.rewindCopies);
  EXPECT_EQ(p.hugeFunctionSize, q.hugeFunctionSize);
  EXPECT_EQ(p.pollFreeWork, q.pollFreeWork);
  EXPECT_EQ(p.functions, q.functions);
  EXPECT_EQ(p.exclude, q.exclude);
  EXPECT_EQ(p.contentHash, q.contentHash);
}

void store32(std::vector<char>& b, size_t at, uint32_t v) { storeLE32(reinterpret_cast<uint8_t*>(b.data() + at), v); }

void expectRejected(const std::vector<char>& bytes, const std::string& needle) {
  try {
    ModuleMetadata::deserialize(bytes);
    ADD_FAILURE() << "accepted; expected an error mentioning '" << needle << "'";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << "message: " << e.what();
  }
}
} // namespace

TEST(Metadata, Sizes) {
  EXPECT_EQ(valueKindSize(ValueKind::I32), 4u);
  EXPECT_EQ(valueKindSize(ValueKind::I64), 8u);
  EXPECT_EQ(valueKindSize(ValueKind::F32), 4u);
  EXPECT_EQ(valueKindSize(ValueKind::F64), 8u);
  EXPECT_EQ(valueKindSize(ValueKind::V128), 16u);
  EXPECT_STREQ(valueKindName(ValueKind::F64), "f64");
  auto m = sample();
  EXPECT_EQ(m.functions[0].payloadSize(), 4u + 8 + 4 + 8 + 16);
  EXPECT_EQ(m.functions[1].payloadSize(), 0u);
  EXPECT_EQ(m.globalsSize(), 4u + 8 + 16);
}

TEST(Metadata, RoundTrip) {
  auto m = sample();
  auto bytes = m.serialize();
  expectSame(m, ModuleMetadata::deserialize(bytes));
  EXPECT_EQ(ModuleMetadata::deserialize(bytes).serialize(), bytes);
}

TEST(Metadata, RoundTripEmpty) {
  ModuleMetadata m;
  expectSame(m, ModuleMetadata::deserialize(m.serialize()));
}

TEST(Metadata, StartsWithFormatVersion) {
  auto bytes = sample().serialize();
  ASSERT_GE(bytes.size(), 4u);
  EXPECT_EQ(uint8_t(bytes[0]), ModuleMetadata::kFormatVersion);
  EXPECT_EQ(bytes[1] | bytes[2] | bytes[3], 0);
}

TEST(Metadata, RejectsEveryTruncation) {
  auto bytes = sample().serialize();
  for (size_t n = 0; n < bytes.size(); n++) {
    SCOPED_TRACE("truncated to " + std::to_string(n) + " bytes");
    expectRejected(std::vector<char>(bytes.begin(), bytes.begin() + n), "the module's wasm-ckpt section is corrupted: ");
  }
}

TEST(Metadata, RejectsOtherFormatVersion) {
  auto bytes = sample().serialize();
  store32(bytes, 0, ModuleMetadata::kFormatVersion + 1);
  expectRejected(bytes, "the module was instrumented by an incompatible wasm-ckpt version");
  // Version 2 described resume points by text only.
  store32(bytes, 0, 2);
  expectRejected(bytes, "the module was instrumented by an incompatible wasm-ckpt version");
}

TEST(Metadata, RejectsBadResumeKind) {
  ModuleMetadata m;
  m.functions.resize(1);
  m.functions[0].resumePoints = {{ResumeKind::Poll, 0, "poll at function entry"}};
  auto bytes = m.serialize();
  // The layout: version, hash, strategy "", 1 function: name "", index, 0 locals, 1 point: kind.
  store32(bytes, 4 + 8 + 4 + 4 + 4 + 4 + 4 + 4, 3);
  expectRejected(bytes, "the module's wasm-ckpt section is corrupted");
}

TEST(Metadata, RejectsBadValueKind) {
  ModuleMetadata m;
  m.globals = {{"g", 0, ValueKind::I32}};
  auto bytes = m.serialize();
  // The global's kind is the last u32 before the four runtime locations (16 bytes), the memory
  // limit (4) and an empty provenance (48 bytes: version string 4, source hash 8, three u32 12,
  // poll-free work 8, two pattern counts 8, content hash 8).
  store32(bytes, bytes.size() - 16 - 4 - 48 - 4, 5);
  expectRejected(bytes, "corrupted");
}

TEST(Metadata, RejectsHugeCounts) {
  ModuleMetadata m;
  m.strategy = "full";
  FrameLayout f;
  f.name = "f";
  m.functions = {f};
  auto base = m.serialize();
  // Offsets: version 0, hash 4, strategy len 12 + 4 chars, function count 20, name 24 + 1, index 29,
  // rewind copy's index 33, locals count 37, resume point count 41.
  for (size_t at : {size_t(12), size_t(20), size_t(24), size_t(37), size_t(41)}) {
    SCOPED_TRACE("count at " + std::to_string(at));
    auto bytes = base;
    store32(bytes, at, 0xffffffffu);
    expectRejected(bytes, "the module's wasm-ckpt section is corrupted: ");
  }
}

TEST(Metadata, RejectsBadMemoryLimit) {
  auto m = sample();
  m.provenance = Provenance{};
  auto bytes = m.serialize();
  for (uint32_t limit : {0u, kMaxMemoryPages + 1}) {
    store32(bytes, bytes.size() - 48 - 4, limit); // before the empty provenance (48 bytes)
    expectRejected(bytes, "corrupted");
  }
  auto longer = sample().serialize();
  longer.push_back(0);
  expectRejected(longer, "corrupted");
}

namespace {
// Function 0 calls function 1, which stops at a poll point; one i32 global; 2 pages at most.
ModuleMetadata callerAndCallee() {
  ModuleMetadata m;
  m.moduleHash = 42;
  m.functions.resize(3);
  m.functions[0].name = "caller";
  m.functions[0].functionIndex = 5;
  m.functions[0].locals = {ValueKind::I32};
  m.functions[0].resumePoints = {{ResumeKind::Poll, 0, "poll at function entry"}, {ResumeKind::Call, 6, "call callee"}};
  m.functions[1].name = "callee";
  m.functions[1].functionIndex = 6;
  m.functions[1].locals = {ValueKind::I64};
  m.functions[1].resumePoints = {{ResumeKind::Poll, 0, "poll at loop header"}};
  m.functions[2].name = "big"; // a frame of 64,000 bytes
  m.functions[2].functionIndex = 7;
  m.functions[2].locals.assign(4000, ValueKind::V128);
  m.functions[2].resumePoints = {{ResumeKind::Poll, 0, "poll at function entry"}};
  m.globals = {{"g", 0, ValueKind::I32}};
  m.memoryLimitPages = 2;
  return m;
}

Snapshot stoppedInCallee() {
  Snapshot s;
  s.moduleHash = 42;
  s.memoryPages = 1;
  s.frames = {{0, 2, std::vector<uint8_t>(4)}, {1, 1, std::vector<uint8_t>(8)}};
  s.globals.resize(4);
  return s;
}

void expectSnapshotRejected(const ModuleMetadata& m, const Snapshot& s, const std::string& needle) {
  try {
    m.checkSnapshot(s);
    ADD_FAILURE() << "accepted; expected an error mentioning '" << needle << "'";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << "message: " << e.what();
  }
}
} // namespace

// checkSnapshot applies the run-time reader's checks that depend on the module (ckpt_runtime.c:
// open_snapshot_stream, ckpt_frame_read, finish_restore).
TEST(Metadata, CheckSnapshotAcceptsAMatchingSnapshot) {
  auto m = callerAndCallee();
  m.checkSnapshot(stoppedInCallee());
  auto s = stoppedInCallee();
  s.memoryPages = 2;
  m.checkSnapshot(s);
}

TEST(Metadata, CheckSnapshotRefusesWhatTheRestoreRefuses) {
  auto m = callerAndCallee();
  auto edited = [](auto edit) {
    auto s = stoppedInCallee();
    edit(s);
    return s;
  };
  expectSnapshotRejected(m, edited([](Snapshot& s) { s.moduleHash = 7; }), "taken from another module");
  expectSnapshotRejected(m, edited([](Snapshot& s) { s.memoryPages = 3; }),
                         "more memory than the program may have (3 pages, the module's maximum is 2)");
  expectSnapshotRejected(m, edited([](Snapshot& s) { s.globals.resize(8); }), "globals do not match");
  expectSnapshotRejected(m, edited([](Snapshot& s) { s.frames[1].function = 3; }), "frame #1 names no instrumented function");
  expectSnapshotRejected(m, edited([](Snapshot& s) { s.frames[1].payload.resize(4); }),
                         "frame #1 holds 4 bytes of locals, the function 8 (function 'callee')");
  expectSnapshotRejected(m, edited([](Snapshot& s) { s.frames[0].resumeId = 3; }),
                         "frame #0 resumes at point 3, the function has 2 (function 'caller')");
  expectSnapshotRejected(m, edited([](Snapshot& s) { s.frames[0].resumeId = 0; }), "resumes at point 0");
  expectSnapshotRejected(m, edited([](Snapshot& s) { s.frames.pop_back(); }),
                         "frame #0 resumes at 'call callee', but the innermost frame must resume at a poll point");
  expectSnapshotRejected(m, edited([](Snapshot& s) { s.frames[0].resumeId = 1; }),
                         "frame #0 resumes at 'poll at function entry', but the frames outside the innermost must resume at a call");
  // The outer frame stopped at a call to `callee`, but the next frame is another function's.
  auto withOther = m;
  withOther.functions.push_back({"other", 8, {ValueKind::I64}, {{ResumeKind::Poll, 0, "poll at loop header"}}});
  expectSnapshotRejected(withOther, edited([](Snapshot& s) { s.frames[1].function = 3; }),
                         "snapshot frame #0 resumes at 'call callee', a call to function 6, but the next frame is of "
                         "function 8 ('other') (function 'caller')");
  expectSnapshotRejected(m, edited([](Snapshot& s) { s.frames = {{2, 1, std::vector<uint8_t>(64000)}}; }),
                         "memory is too small to restore snapshot frame #0 (function 'big')");
  auto manyGlobals = m;
  manyGlobals.globals.assign(16000, {"g", 0, ValueKind::I32});
  expectSnapshotRejected(manyGlobals, edited([](Snapshot& s) { s.globals.resize(64000); }),
                         "memory is too small to restore the globals");
}

TEST(Metadata, StoreIntoAndFromModule) {
  wasm::Module module;
  EXPECT_FALSE(ModuleMetadata::fromModule(module).has_value());
  auto m = sample();
  m.storeInto(module);
  auto back = ModuleMetadata::fromModule(module);
  ASSERT_TRUE(back.has_value());
  expectSame(m, *back);

  // Storing again replaces the section rather than adding a second one.
  m.moduleHash = 99;
  m.storeInto(module);
  size_t sections = 0;
  for (auto& s : module.userSections) sections += s.name == ModuleMetadata::kSectionName;
  EXPECT_EQ(sections, 1u);
  EXPECT_EQ(ModuleMetadata::fromModule(module)->moduleHash, 99u);
}

TEST(Metadata, TruncatedSectionInModuleRejected) {
  wasm::Module module;
  sample().storeInto(module);
  for (auto& s : module.userSections) {
    if (s.name == ModuleMetadata::kSectionName) s.data.resize(s.data.size() / 2);
  }
  EXPECT_EQ(errorOf([&] { ModuleMetadata::fromModule(module); }).rfind("the module's wasm-ckpt section is corrupted: ", 0), 0u);
}

namespace {
// A binary module of custom sections only: "a", the wasm-ckpt section, "b".
std::vector<char> moduleWithSection(const ModuleMetadata& m) {
  std::vector<char> bytes = {0, 'a', 's', 'm', 1, 0, 0, 0};
  auto add = [&](const std::string& name, const std::vector<char>& payload) {
    std::vector<char> content = {char(name.size())};
    content.insert(content.end(), name.begin(), name.end());
    content.insert(content.end(), payload.begin(), payload.end());
    bytes.push_back(0);
    for (size_t n = content.size();; n >>= 7) { // LEB128
      bytes.push_back(char((n & 0x7f) | (n >> 7 ? 0x80 : 0)));
      if (!(n >> 7)) break;
    }
    bytes.insert(bytes.end(), content.begin(), content.end());
  };
  add("a", {1, 2, 3});
  add(ModuleMetadata::kSectionName, m.serialize());
  add("b", {4, 5});
  return bytes;
}
} // namespace

TEST(Metadata, SealRecordsTheHashOfEveryOtherByte) {
  auto m = sample();
  m.provenance.contentHash = 0;
  auto sealed = sealModuleBytes(moduleWithSection(m));
  uint64_t recorded = 0;
  for (auto& section : binarySections(sealed)) {
    if (section.name != ModuleMetadata::kSectionName) continue;
    auto payload = std::vector<char>(sealed.begin() + section.payload, sealed.begin() + section.end);
    recorded = ModuleMetadata::deserialize(payload).provenance.contentHash;
  }
  EXPECT_NE(recorded, 0u);
  EXPECT_EQ(recorded, contentHash(sealed));
  // The hash covers the other sections, not the wasm-ckpt section's contents.
  auto changed = sealed;
  changed[changed.size() - 1] ^= 1;
  EXPECT_NE(contentHash(changed), recorded);
  EXPECT_EQ(contentHash(moduleWithSection(sample())), recorded);
}

TEST(Metadata, SealRefusesAModuleWithoutSection) {
  std::vector<char> bytes = {0, 'a', 's', 'm', 1, 0, 0, 0};
  try {
    sealModuleBytes(bytes);
    ADD_FAILURE() << "sealed a module without a wasm-ckpt section";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("without a wasm-ckpt section"), std::string::npos) << e.what();
  }
  bytes.push_back(0);
  bytes.push_back(100); // a section longer than the module
  try {
    contentHash(bytes);
    ADD_FAILURE() << "hashed a damaged module";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("malformed section"), std::string::npos) << e.what();
  }
}
