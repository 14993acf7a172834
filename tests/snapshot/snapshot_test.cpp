// The C++ snapshot reader and writer (src/snapshot/snapshot.cpp) against the layout in
// snapshot_layout.h: round trips, and every kind of damage rejected with a message that says
// what is wrong.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "support/le_codec.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/inspect.h"
#include "wasm_ckpt/snapshot.h"
#include "wasm_ckpt/snapshot_layout.h"

using namespace wasm_ckpt;

namespace {
constexpr uint32_t kPage = 65536;

std::vector<uint8_t> pageOf(uint8_t seed) {
  std::vector<uint8_t> bytes(kPage);
  for (uint32_t i = 0; i < kPage; i++) bytes[i] = uint8_t(seed + i * 7);
  return bytes;
}

// A snapshot with every section populated.
Snapshot sample() {
  Snapshot s;
  s.moduleHash = 0x1122334455667788ull;
  s.pollCount = 123456789012ull;
  s.memoryPages = 3;
  s.frames.push_back({1, 2, {1, 2, 3, 4, 5, 6, 7, 8}});
  s.frames.push_back({0, 1, {}});
  s.frames.push_back({4, 9, {9, 9, 9, 9}});
  s.globals = {0xaa, 0xbb, 0xcc, 0xdd, 1, 2, 3, 4};
  s.pages.push_back({0, pageOf(1)});
  s.pages.push_back({2, pageOf(2)});
  s.stdinRead = 4242;
  SnapshotFile input;
  input.fd = 4;
  input.filetype = WASI_FILETYPE_REGULAR_FILE;
  input.rightsBase = 0x1fffffff;
  input.offset = 1000;
  input.dir = "/data";
  input.path = "in/input.txt"; // 12 bytes: no padding
  SnapshotFile log = input;
  log.fd = 9;
  log.oflags = OFLAG_CREAT;
  log.fdflags = 1;
  log.offset = 5;
  log.path = "log"; // padded
  SnapshotFile out;
  out.fd = 1;
  out.kind = FileKind::Stream;
  out.fdflags = 1;
  s.files = {input, log, out};
  return s;
}

// The size of sample()'s files section.
constexpr uint32_t kSampleFilesSize = FILES_HEADER_SIZE + (FILE_RECORD_HEADER + 20) + (FILE_RECORD_HEADER + 8) + FILE_RECORD_HEADER;

// The same without memory pages: small enough to damage byte by byte.
Snapshot smallSample() {
  Snapshot s = sample();
  s.pages.clear();
  return s;
}

uint32_t load32(const std::vector<uint8_t>& b, size_t at) { return loadLE32(b.data() + at); }
void store32(std::vector<uint8_t>& b, size_t at, uint32_t v) { storeLE32(b.data() + at, v); }
void store64(std::vector<uint8_t>& b, size_t at, uint64_t v) { storeLE64(b.data() + at, v); }
// After an edit, makes the checksum right again, so that the structural checks are what must fire.
void fixChecksum(std::vector<uint8_t>& b) {
  store64(b, HDR_CHECKSUM, snapshotHashWords(SNAPSHOT_HASH_SEED, b.data() + HDR_CHECKED_FROM, b.size() - HDR_CHECKED_FROM));
}

// Expects parseSnapshot to throw wasm_ckpt::Error whose message contains `needle`.
void expectRejected(const std::vector<uint8_t>& bytes, const std::string& needle) {
  try {
    parseSnapshot(bytes);
    ADD_FAILURE() << "accepted; expected an error mentioning '" << needle << "'";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << "message: " << e.what();
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << "multi-line message: " << e.what();
  }
}

void expectSame(const Snapshot& a, const Snapshot& b) {
  EXPECT_EQ(a.moduleHash, b.moduleHash);
  EXPECT_EQ(a.pollCount, b.pollCount);
  EXPECT_EQ(a.memoryPages, b.memoryPages);
  ASSERT_EQ(a.frames.size(), b.frames.size());
  for (size_t i = 0; i < a.frames.size(); i++) {
    EXPECT_EQ(a.frames[i].function, b.frames[i].function) << "frame " << i;
    EXPECT_EQ(a.frames[i].resumeId, b.frames[i].resumeId) << "frame " << i;
    EXPECT_EQ(a.frames[i].payload, b.frames[i].payload) << "frame " << i;
  }
  EXPECT_EQ(a.globals, b.globals);
  EXPECT_EQ(a.stdinRead, b.stdinRead);
  ASSERT_EQ(a.files.size(), b.files.size());
  for (size_t i = 0; i < a.files.size(); i++) {
    auto &x = a.files[i], &y = b.files[i];
    EXPECT_TRUE(x.fd == y.fd && x.kind == y.kind && x.filetype == y.filetype && x.oflags == y.oflags &&
                x.fdflags == y.fdflags && x.lookupflags == y.lookupflags && x.rightsBase == y.rightsBase &&
                x.rightsInheriting == y.rightsInheriting && x.offset == y.offset && x.dir == y.dir && x.path == y.path)
        << "file " << i;
  }
  ASSERT_EQ(a.pages.size(), b.pages.size());
  for (size_t i = 0; i < a.pages.size(); i++) {
    EXPECT_EQ(a.pages[i].index, b.pages[i].index) << "page " << i;
    EXPECT_TRUE(a.pages[i].bytes == b.pages[i].bytes) << "page " << i;
  }
}

std::string tempPath(const std::string& name) {
  return testing::TempDir() + "wasm_ckpt_snapshot_test_" + name;
}
} // namespace

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

TEST(Snapshot, RoundTripEveryField) {
  Snapshot s = sample();
  auto bytes = serializeSnapshot(s);
  Snapshot back = parseSnapshot(bytes);
  EXPECT_EQ(back.version, SNAPSHOT_VERSION);
  expectSame(s, back);
  // Serializing what was parsed gives the same bytes.
  EXPECT_EQ(serializeSnapshot(back), bytes);
}

TEST(Snapshot, HeaderLayout) {
  Snapshot s = sample();
  auto b = serializeSnapshot(s);
  uint32_t framesSize = 0;
  for (auto& f : s.frames) framesSize += FRAME_HEADER_SIZE + uint32_t(f.payload.size());
  ASSERT_EQ(b.size(), SNAPSHOT_HEADER_SIZE + kSampleFilesSize + framesSize + s.globals.size() + 2 * (4 + kPage));
  EXPECT_EQ(uint64_t(load32(b, HDR_MAGIC)) | uint64_t(load32(b, HDR_MAGIC + 4)) << 32, SNAPSHOT_MAGIC);
  EXPECT_EQ(std::string(b.begin(), b.begin() + 8), "WASMCKPT");
  EXPECT_EQ(load32(b, HDR_VERSION), SNAPSHOT_VERSION);
  EXPECT_EQ(load32(b, HDR_HEADER_SIZE), SNAPSHOT_HEADER_SIZE);
  EXPECT_EQ(load32(b, HDR_MODULE_HASH), 0x55667788u);
  EXPECT_EQ(load32(b, HDR_MODULE_HASH + 4), 0x11223344u);
  EXPECT_EQ(load32(b, HDR_MEMORY_PAGES), 3u);
  EXPECT_EQ(load32(b, HDR_STORED_PAGES), 2u);
  EXPECT_EQ(load32(b, HDR_GLOBALS_SIZE), 8u);
  EXPECT_EQ(load32(b, HDR_FRAME_COUNT), 3u);
  EXPECT_EQ(load32(b, HDR_FRAMES_SIZE), framesSize);
  EXPECT_EQ(load32(b, HDR_FILES_SIZE), kSampleFilesSize);
  // The files section right after the header: stdin bytes consumed, the record count, records.
  size_t files = SNAPSHOT_HEADER_SIZE;
  EXPECT_EQ(load32(b, files + FILES_STDIN_READ), 4242u);
  EXPECT_EQ(load32(b, files + FILES_COUNT), 3u);
  size_t second = files + FILES_HEADER_SIZE + FILE_RECORD_HEADER + 20;
  EXPECT_EQ(load32(b, second + FILE_SIZE), FILE_RECORD_HEADER + 8);
  EXPECT_EQ(load32(b, second + FILE_FD), 9u);
  EXPECT_EQ(load32(b, second + FILE_KIND), FILE_KIND_OPENED);
  EXPECT_EQ(load32(b, second + FILE_OFLAGS), OFLAG_CREAT);
  EXPECT_EQ(load32(b, second + FILE_OFFSET), 5u);
  EXPECT_EQ(load32(b, second + FILE_DIR_LEN), 5u);
  EXPECT_EQ(load32(b, second + FILE_PATH_LEN), 3u);
  EXPECT_EQ(std::string(b.begin() + second + FILE_RECORD_HEADER, b.begin() + second + FILE_RECORD_HEADER + 8), "/datalog");
  EXPECT_EQ(load32(b, second + FILE_RECORD_HEADER + 8 + FILE_KIND), FILE_KIND_STREAM);
  // The first frame record right after the files.
  size_t frames = SNAPSHOT_HEADER_SIZE + kSampleFilesSize;
  EXPECT_EQ(load32(b, frames + FRAME_FUNC_INDEX), 1u);
  EXPECT_EQ(load32(b, frames + FRAME_RESUME_ID), 2u);
  EXPECT_EQ(load32(b, frames + FRAME_PAYLOAD_SIZE), 8u);
  // The checksum covers [HDR_CHECKED_FROM, end).
  uint64_t sum = snapshotHashWords(SNAPSHOT_HASH_SEED, b.data() + HDR_CHECKED_FROM, b.size() - HDR_CHECKED_FROM);
  EXPECT_EQ(load32(b, HDR_CHECKSUM), uint32_t(sum));
  EXPECT_EQ(load32(b, HDR_CHECKSUM + 4), uint32_t(sum >> 32));
  EXPECT_EQ(parseSnapshot(b).checksum, sum);
}

TEST(Snapshot, NoStoredPages) {
  // All-zero memory: pages are counted but none is stored.
  Snapshot s = smallSample();
  s.memoryPages = 17;
  auto bytes = serializeSnapshot(s);
  EXPECT_EQ(load32(bytes, HDR_STORED_PAGES), 0u);
  Snapshot back = parseSnapshot(bytes);
  EXPECT_EQ(back.memoryPages, 17u);
  EXPECT_TRUE(back.pages.empty());
  expectSame(s, back);
}

TEST(Snapshot, StoredPageOfZeros) {
  // A stored page may be all zero (the writer skips such pages, the reader does not care).
  Snapshot s = smallSample();
  s.pages.push_back({1, std::vector<uint8_t>(kPage, 0)});
  Snapshot back = parseSnapshot(serializeSnapshot(s));
  ASSERT_EQ(back.pages.size(), 1u);
  EXPECT_EQ(back.pages[0].index, 1u);
  EXPECT_EQ(back.pages[0].bytes, std::vector<uint8_t>(kPage, 0));
}

TEST(Snapshot, EmptyPayloadsAndGlobals) {
  Snapshot s;
  s.moduleHash = 7;
  s.memoryPages = 1;
  s.frames.push_back({0, 1, {}});
  auto bytes = serializeSnapshot(s);
  EXPECT_EQ(bytes.size(), SNAPSHOT_HEADER_SIZE + FILES_HEADER_SIZE + FRAME_HEADER_SIZE);
  Snapshot back = parseSnapshot(bytes);
  expectSame(s, back);
  EXPECT_TRUE(back.globals.empty());
  EXPECT_TRUE(back.frames[0].payload.empty());
}

TEST(Snapshot, RejectsEmptyInput) { expectRejected({}, "truncated"); }

TEST(Snapshot, RejectsEveryTruncation) {
  auto bytes = serializeSnapshot(smallSample());
  for (size_t n = 0; n < bytes.size(); n++) {
    SCOPED_TRACE("truncated to " + std::to_string(n) + " bytes");
    expectRejected(std::vector<uint8_t>(bytes.begin(), bytes.begin() + n), "truncated");
  }
}

TEST(Snapshot, RejectsTruncatedPages) {
  auto bytes = serializeSnapshot(sample());
  for (size_t cut : {size_t(1), size_t(4), size_t(kPage), size_t(kPage + 4), size_t(kPage + 5), bytes.size() - 64}) {
    SCOPED_TRACE("cut " + std::to_string(cut) + " bytes");
    expectRejected(std::vector<uint8_t>(bytes.begin(), bytes.end() - cut), "truncated");
  }
}

TEST(Snapshot, TruncationMessageGivesSizes) {
  auto bytes = serializeSnapshot(smallSample());
  try {
    parseSnapshot(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 10));
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("10 bytes"), std::string::npos) << e.what();
  }
}

TEST(Snapshot, RejectsTrailingBytes) {
  auto bytes = serializeSnapshot(smallSample());
  bytes.push_back(0);
  expectRejected(bytes, "do not add up");
  bytes.insert(bytes.end(), {0, 0, 0});
  fixChecksum(bytes);
  expectRejected(bytes, "do not add up");
}

TEST(Snapshot, RejectsBadMagic) {
  auto bytes = serializeSnapshot(smallSample());
  for (size_t i = 0; i < 8; i++) {
    auto b = bytes;
    b[i] ^= 0x20;
    expectRejected(b, "not a wasm-ckpt snapshot");
  }
}

TEST(Snapshot, RejectsOtherVersions) {
  for (uint32_t version : {0u, 3u, 0xffffffffu}) {
    auto b = serializeSnapshot(smallSample());
    store32(b, HDR_VERSION, version);
    expectRejected(b, "version " + std::to_string(version));
  }
}

TEST(Snapshot, RejectsBadHeaderSize) {
  auto b = serializeSnapshot(smallSample());
  store32(b, HDR_HEADER_SIZE, 60);
  expectRejected(b, "header size");
}

TEST(Snapshot, RejectsChecksumMismatch) {
  auto b = serializeSnapshot(smallSample());
  b[HDR_CHECKSUM] ^= 1;
  expectRejected(b, "checksum");
}

TEST(Snapshot, RejectsEveryFlippedByte) {
  // Every byte is checked by something except the module hash, which only a module can judge.
  auto bytes = serializeSnapshot(smallSample());
  for (size_t i = 0; i < bytes.size(); i++) {
    if (i >= HDR_MODULE_HASH && i < HDR_MODULE_HASH + 8) continue;
    for (uint8_t bit : {uint8_t(0x01), uint8_t(0x80)}) {
      SCOPED_TRACE("byte " + std::to_string(i) + " ^ " + std::to_string(bit));
      auto b = bytes;
      b[i] ^= bit;
      expectRejected(b, i < HDR_VERSION         ? "bad magic"
                        : i < HDR_HEADER_SIZE   ? "unsupported snapshot format version"
                        : i < HDR_MODULE_HASH   ? "snapshot is corrupted (header size)"
                        : i < HDR_CHECKED_FROM  ? "snapshot is corrupted (checksum mismatch)"
                                                : "snapshot is ");
    }
  }
}

TEST(Snapshot, ModuleHashIsNotCheckedByTheParser) {
  auto b = serializeSnapshot(smallSample());
  b[HDR_MODULE_HASH] ^= 0xff;
  EXPECT_EQ(parseSnapshot(b).moduleHash, 0x1122334455667788ull ^ 0xff);
}

TEST(Snapshot, RejectsFlippedBytesInEachRegion) {
  auto bytes = serializeSnapshot(sample());
  uint32_t framesSize = load32(bytes, HDR_FRAMES_SIZE);
  size_t frames = SNAPSHOT_HEADER_SIZE + kSampleFilesSize, globals = frames + framesSize, pages = globals + 8;
  for (size_t at : {size_t(HDR_POLL_COUNT), size_t(SNAPSHOT_HEADER_SIZE + 3), size_t(SNAPSHOT_HEADER_SIZE + FILES_HEADER_SIZE + 70),
                    frames + 13, globals + 1, pages + 4 + 100, bytes.size() - 1}) {
    SCOPED_TRACE("byte " + std::to_string(at));
    auto b = bytes;
    b[at] ^= 0x10;
    expectRejected(b, "checksum");
  }
}

TEST(Snapshot, RejectsZeroFrames) {
  Snapshot s = smallSample();
  s.frames.clear();
  expectRejected(serializeSnapshot(s), "do not add up");
}

// As the run-time reader does: wasm32 memory has at most 65536 pages, and the run-time code
// needs at least one.
TEST(Snapshot, RejectsMemoryBeyondWasm32) {
  Snapshot s = smallSample();
  s.memoryPages = kMaxMemoryPages;
  EXPECT_EQ(parseSnapshot(serializeSnapshot(s)).memoryPages, kMaxMemoryPages);
  s.memoryPages = kMaxMemoryPages + 1;
  expectRejected(serializeSnapshot(s), "65537 memory pages, more than wasm32's 65536");
  s.memoryPages = 0;
  expectRejected(serializeSnapshot(s), "no memory pages");
}

TEST(Snapshot, RejectsUnalignedSections) {
  Snapshot s = smallSample();
  s.globals.push_back(1); // 9 bytes
  expectRejected(serializeSnapshot(s), "do not add up");
  s = smallSample();
  s.frames[0].payload.push_back(1);
  expectRejected(serializeSnapshot(s), "do not add up");
}

TEST(Snapshot, RejectsMoreStoredPagesThanMemory) {
  Snapshot s = sample();
  s.memoryPages = 1;
  expectRejected(serializeSnapshot(s), "do not add up");
}

TEST(Snapshot, RejectsBadPageTables) {
  {
    Snapshot s = sample();
    s.pages[1].index = 3; // == memoryPages
    expectRejected(serializeSnapshot(s), "page table");
  }
  {
    Snapshot s = sample();
    std::swap(s.pages[0], s.pages[1]); // descending
    expectRejected(serializeSnapshot(s), "page table");
  }
  {
    Snapshot s = sample();
    s.pages[1].index = s.pages[0].index; // duplicate
    expectRejected(serializeSnapshot(s), "page table");
  }
}

TEST(Snapshot, RejectsInconsistentFrameRecords) {
  auto bytes = serializeSnapshot(smallSample());
  uint32_t framesSize = load32(bytes, HDR_FRAMES_SIZE);
  {
    auto b = bytes; // one frame more than recorded
    store32(b, HDR_FRAME_COUNT, 4);
    fixChecksum(b);
    expectRejected(b, "frame records");
  }
  {
    auto b = bytes; // one frame fewer
    store32(b, HDR_FRAME_COUNT, 2);
    fixChecksum(b);
    expectRejected(b, "frame records");
  }
  {
    auto b = bytes; // a payload that runs past the frames section
    store32(b, SNAPSHOT_HEADER_SIZE + kSampleFilesSize + FRAME_PAYLOAD_SIZE, framesSize);
    fixChecksum(b);
    expectRejected(b, "frame records");
  }
  {
    auto b = bytes; // a huge payload size
    store32(b, SNAPSHOT_HEADER_SIZE + kSampleFilesSize + FRAME_PAYLOAD_SIZE, 0xfffffff0u);
    fixChecksum(b);
    expectRejected(b, "frame records");
  }
}

TEST(Snapshot, RejectsHugeSizesWithoutAllocating) {
  auto bytes = serializeSnapshot(smallSample());
  for (size_t field : {size_t(HDR_STORED_PAGES), size_t(HDR_GLOBALS_SIZE), size_t(HDR_FRAMES_SIZE), size_t(HDR_FRAME_COUNT)}) {
    SCOPED_TRACE("field at " + std::to_string(field));
    auto b = bytes;
    store32(b, field, 0xffffffffu);
    fixChecksum(b);
    expectRejected(b, field == HDR_FRAME_COUNT ? "snapshot is corrupted (frame records): 4 bytes needed" : "snapshot is truncated");
  }
}

TEST(Snapshot, ReadSnapshotFile) {
  std::string path = tempPath("ok.snap");
  auto bytes = serializeSnapshot(sample());
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  }
  expectSame(sample(), readSnapshotFile(path));
  std::remove(path.c_str());
}

TEST(Snapshot, ReadSnapshotFileErrorsNameTheFile) {
  std::string missing = tempPath("missing.snap");
  std::remove(missing.c_str());
  try {
    readSnapshotFile(missing);
    FAIL() << "accepted a missing file";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }
  std::string bad = tempPath("bad.snap");
  {
    std::ofstream out(bad, std::ios::binary);
    out << "not a snapshot at all, but long enough to hold a header of sixty-four bytes....";
  }
  try {
    readSnapshotFile(bad);
    FAIL() << "accepted a bad file";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find(bad), std::string::npos) << msg;
    EXPECT_NE(msg.find("not a wasm-ckpt snapshot"), std::string::npos) << msg;
  }
  std::string empty = tempPath("empty.snap");
  { std::ofstream out(empty, std::ios::binary); }
  try {
    readSnapshotFile(empty);
    FAIL() << "accepted an empty file";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
  std::remove(bad.c_str());
  std::remove(empty.c_str());
}

TEST(Snapshot, ReadsVersionOneAsNoFiles) {
  Snapshot s = sample();
  s.version = SNAPSHOT_VERSION_NO_FILES;
  auto bytes = serializeSnapshot(s);
  EXPECT_EQ(load32(bytes, HDR_FILES_SIZE), 0u);
  Snapshot back = parseSnapshot(bytes);
  EXPECT_EQ(back.version, SNAPSHOT_VERSION_NO_FILES);
  EXPECT_TRUE(back.files.empty());
  EXPECT_EQ(back.stdinRead, 0u);
  EXPECT_EQ(back.frames.size(), 3u);
}

TEST(Snapshot, RejectsDamagedFileRecords) {
  auto bytes = serializeSnapshot(smallSample());
  size_t first = SNAPSHOT_HEADER_SIZE + FILES_HEADER_SIZE;
  struct Damage {
    const char* what;
    size_t at;
    uint32_t value;
  };
  for (auto d : {Damage{"record size past the section", first + FILE_SIZE, 4096}, Damage{"record size not a multiple of 4", first + FILE_SIZE, 83},
                 Damage{"path longer than the record", first + FILE_PATH_LEN, 200}, Damage{"unknown kind", first + FILE_KIND, 3},
                 Damage{"record count", SNAPSHOT_HEADER_SIZE + FILES_COUNT, 2}, Damage{"two records for one descriptor", first + FILE_FD, 9}}) {
    SCOPED_TRACE(d.what);
    auto b = bytes;
    store32(b, d.at, d.value);
    fixChecksum(b);
    expectRejected(b, "snapshot is corrupted (file records)");
  }
  // Version 1 has no files section: a size there does not add up.
  auto b = bytes;
  store32(b, HDR_VERSION, SNAPSHOT_VERSION_NO_FILES);
  fixChecksum(b);
  expectRejected(b, "snapshot is corrupted (section sizes do not add up)");
  store32(b, HDR_VERSION, 3);
  fixChecksum(b);
  expectRejected(b, "unsupported snapshot format version 3 (this tool reads versions 1 and 2)");
}

TEST(Snapshot, FileDisplay) {
  Snapshot s = sample();
  EXPECT_EQ(fileDisplayPath(s.files[0]), "/data/in/input.txt");
  EXPECT_EQ(fileDisplayPath(s.files[2]), "");
  EXPECT_EQ(fdflagNames(0), "");
  EXPECT_EQ(fdflagNames(1 | 4 | 16), "APPEND,NONBLOCK,SYNC");
}

TEST(Snapshot, InspectListsFilesAndStdin) {
  Snapshot s = sample();
  s.files[1].path = "log\xff"; // not UTF-8: JSON gets U+FFFD, never an exception
  std::string text = describeSnapshot(s, nullptr, false);
  EXPECT_NE(text.find("stdin            4242 bytes consumed (a resumed run reads on from byte 4243)"), std::string::npos) << text;
  EXPECT_NE(text.find("fd   4  /data/in/input.txt  offset 1000  read"), std::string::npos) << text;
  EXPECT_NE(text.find("fd   1  (not opened by the program)  flags APPEND set again at restore"), std::string::npos) << text;
  std::string json = describeSnapshot(s, nullptr, true);
  EXPECT_NE(json.find("\"stdin_bytes_consumed\": 4242"), std::string::npos) << json;
  EXPECT_NE(json.find("\"path\": \"log\xef\xbf\xbd\""), std::string::npos) << json;
}
