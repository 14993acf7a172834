// The C++ reader and writer of the snapshot format (snapshot_layout.h is the single definition
// of the layout; the run-time code in ckpt_runtime.c reads and writes the same bytes).
#include "wasm_ckpt/snapshot.h"

#include "support/le_codec.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/module_io.h"
#include "wasm_ckpt/snapshot_layout.h"

namespace wasm_ckpt {

namespace {
// The files section (snapshot_layout.h: FILES_* and FILE_*).
static_assert(FILE_SIZE == 0 && FILE_FD == 4 && FILE_KIND == 8 && FILE_FILETYPE == 12 && FILE_OFLAGS == 16 && FILE_FDFLAGS == 20 &&
                  FILE_LOOKUPFLAGS == 24 && FILE_RIGHTS_BASE == 32 && FILE_RIGHTS_INHERITING == 40 && FILE_OFFSET == 48 &&
                  FILE_DIR_LEN == 56 && FILE_PATH_LEN == 60 && FILE_RECORD_HEADER == 64 && FILES_STDIN_READ == 0 &&
                  FILES_COUNT == 8 && FILES_HEADER_SIZE == 16,
              "file records are read and written field by field");

std::vector<SnapshotFile> parseFiles(const uint8_t* data, uint32_t size, uint64_t& stdinRead) {
  const char* corrupted = "snapshot is corrupted (file records)";
  LEReader in(data, size, corrupted);
  stdinRead = in.u64();
  uint32_t count = in.u32();
  in.u32();
  std::vector<SnapshotFile> files;
  while (!in.atEnd()) {
    uint32_t recordSize = in.u32();
    SnapshotFile f;
    f.fd = in.u32();
    uint32_t kind = in.u32();
    f.filetype = in.u32();
    f.oflags = in.u32();
    f.fdflags = in.u32();
    f.lookupflags = in.u32();
    in.u32();
    f.rightsBase = in.u64();
    f.rightsInheriting = in.u64();
    f.offset = in.u64();
    uint32_t dirLen = in.u32(), pathLen = in.u32();
    if (recordSize < FILE_RECORD_HEADER || recordSize % 4 || uint64_t(dirLen) + pathLen > recordSize - FILE_RECORD_HEADER ||
        (kind != FILE_KIND_OPENED && kind != FILE_KIND_STREAM) || (kind == FILE_KIND_OPENED && pathLen == 0))
      throw Error(corrupted);
    f.kind = FileKind(kind);
    auto* text = reinterpret_cast<const char*>(in.take(recordSize - FILE_RECORD_HEADER));
    f.dir.assign(text, dirLen);
    f.path.assign(text + dirLen, pathLen);
    for (auto& other : files) {
      if (other.fd == f.fd) throw Error(corrupted);
    }
    files.push_back(std::move(f));
  }
  if (files.size() != count) throw Error(corrupted);
  return files;
}

void writeFiles(LEWriter<uint8_t>& w, const std::vector<SnapshotFile>& files, uint64_t stdinRead) {
  w.u64(stdinRead);
  w.u32(uint32_t(files.size()));
  w.u32(0);
  for (auto& f : files) {
    uint32_t text = uint32_t(f.dir.size() + f.path.size());
    for (uint32_t v : {(FILE_RECORD_HEADER + text + 3) & ~3u, f.fd, uint32_t(f.kind), f.filetype, f.oflags, f.fdflags, f.lookupflags, 0u})
      w.u32(v);
    for (uint64_t v : {f.rightsBase, f.rightsInheriting, f.offset}) w.u64(v);
    w.u32(uint32_t(f.dir.size()));
    w.u32(uint32_t(f.path.size()));
    w.bytes(f.dir);
    w.bytes(f.path);
    while (w.out.size() % 4) w.u8(0);
  }
}
} // namespace

Snapshot parseSnapshot(const uint8_t* data, size_t size) {
  if (size < SNAPSHOT_HEADER_SIZE) throw Error("snapshot is truncated (" + std::to_string(size) + " bytes, the header alone is 64)");
  const uint8_t* h = data;
  if (loadLE64(h + HDR_MAGIC) != SNAPSHOT_MAGIC) throw Error("not a wasm-ckpt snapshot (bad magic)");
  Snapshot s;
  s.version = loadLE32(h + HDR_VERSION);
  if (s.version != SNAPSHOT_VERSION && s.version != SNAPSHOT_VERSION_NO_FILES)
    throw Error("unsupported snapshot format version " + std::to_string(s.version) + " (this tool reads versions " +
                std::to_string(SNAPSHOT_VERSION_NO_FILES) + " and " + std::to_string(SNAPSHOT_VERSION) + ")");
  if (loadLE32(h + HDR_HEADER_SIZE) != SNAPSHOT_HEADER_SIZE) throw Error("snapshot is corrupted (header size)");
  s.moduleHash = loadLE64(h + HDR_MODULE_HASH);
  s.checksum = loadLE64(h + HDR_CHECKSUM);
  s.pollCount = loadLE64(h + HDR_POLL_COUNT);
  s.memoryPages = loadLE32(h + HDR_MEMORY_PAGES);
  uint32_t stored = loadLE32(h + HDR_STORED_PAGES);
  uint32_t globalsSize = loadLE32(h + HDR_GLOBALS_SIZE);
  uint32_t frameCount = loadLE32(h + HDR_FRAME_COUNT);
  uint32_t framesSize = loadLE32(h + HDR_FRAMES_SIZE);
  uint32_t filesSize = loadLE32(h + HDR_FILES_SIZE);
  uint64_t expected = uint64_t(SNAPSHOT_HEADER_SIZE) + filesSize + framesSize + globalsSize + uint64_t(stored) * (4 + kPageBytes);
  if (expected > size) throw Error("snapshot is truncated (" + std::to_string(size) + " of " + std::to_string(expected) + " bytes)");
  bool filesOk = s.version == SNAPSHOT_VERSION_NO_FILES ? filesSize == 0 : filesSize >= FILES_HEADER_SIZE;
  if (expected < size || stored > s.memoryPages || frameCount == 0 || (globalsSize | framesSize | filesSize) % 4 || !filesOk)
    throw Error("snapshot is corrupted (section sizes do not add up)");
  if (s.memoryPages > kMaxMemoryPages)
    throw Error("snapshot is corrupted (" + std::to_string(s.memoryPages) + " memory pages, more than wasm32's " +
                std::to_string(kMaxMemoryPages) + ")");
  if (s.memoryPages == 0) throw Error("snapshot is corrupted (no memory pages; the run-time code needs one)");
  uint64_t hash = snapshotHashWords(SNAPSHOT_HASH_SEED, h + HDR_CHECKED_FROM, size - HDR_CHECKED_FROM);
  if (hash != s.checksum) throw Error("snapshot is corrupted (checksum mismatch)");

  if (filesSize) s.files = parseFiles(h + SNAPSHOT_HEADER_SIZE, filesSize, s.stdinRead);
  static_assert(FRAME_FUNC_INDEX == 0 && FRAME_RESUME_ID == 4 && FRAME_PAYLOAD_SIZE == 8 && FRAME_HEADER_SIZE == 12,
                "frame records are read and written field by field");
  size_t framesAt = SNAPSHOT_HEADER_SIZE + filesSize;
  LEReader frames(h + framesAt, framesSize, "snapshot is corrupted (frame records)");
  for (uint32_t i = 0; i < frameCount; i++) {
    SnapshotFrame f;
    f.function = frames.u32();
    f.resumeId = frames.u32();
    uint32_t payloadSize = frames.u32();
    auto* payload = frames.take(payloadSize);
    f.payload.assign(payload, payload + payloadSize);
    s.frames.push_back(std::move(f));
  }
  if (!frames.atEnd()) throw Error("snapshot is corrupted (frame records)");
  LEReader rest(h + framesAt + framesSize, size - framesAt - framesSize, "snapshot is truncated");
  auto* globals = rest.take(globalsSize);
  s.globals.assign(globals, globals + globalsSize);
  for (uint32_t i = 0; i < stored; i++) {
    SnapshotPage p;
    p.index = rest.u32();
    if (p.index >= s.memoryPages || (!s.pages.empty() && p.index <= s.pages.back().index))
      throw Error("snapshot is corrupted (page table)");
    auto* page = rest.take(kPageBytes);
    p.bytes.assign(page, page + kPageBytes);
    s.pages.push_back(std::move(p));
  }
  return s;
}

std::string fileDisplayPath(const SnapshotFile& file) {
  if (file.kind != FileKind::Opened) return "";
  if (file.dir.empty()) return file.path;
  return file.dir + (file.dir.back() == '/' ? "" : "/") + file.path;
}

std::string fdflagNames(uint32_t fdflags) {
  static const char* const names[] = {"APPEND", "DSYNC", "NONBLOCK", "RSYNC", "SYNC"};
  std::string out;
  for (uint32_t bit = 0; bit < 5; bit++) {
    if (fdflags & (1u << bit)) out += (out.empty() ? "" : ",") + std::string(names[bit]);
  }
  return out;
}

Snapshot readSnapshotFile(const std::string& path) {
  auto bytes = readFileBytes(path);
  try {
    return parseSnapshot(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  } catch (Error& e) {
    throw Error(path + ": " + e.what());
  }
}

std::vector<uint8_t> serializeSnapshot(const Snapshot& s) {
  LEWriter<uint8_t> w;
  size_t size = SNAPSHOT_HEADER_SIZE + s.globals.size() + s.pages.size() * (4 + kPageBytes) + 4096;
  for (auto& f : s.frames) size += FRAME_HEADER_SIZE + f.payload.size();
  w.out.reserve(size); // a snapshot is mostly pages: one allocation, not a doubling series
  w.u64(SNAPSHOT_MAGIC);
  w.u32(s.version ? s.version : SNAPSHOT_VERSION);
  w.u32(SNAPSHOT_HEADER_SIZE);
  w.u64(s.moduleHash);
  w.u64(0); // checksum, patched below
  w.u64(s.pollCount);
  w.u32(s.memoryPages);
  w.u32(uint32_t(s.pages.size()));
  w.u32(uint32_t(s.globals.size()));
  w.u32(uint32_t(s.frames.size()));
  uint32_t framesSize = 0;
  for (auto& f : s.frames) framesSize += FRAME_HEADER_SIZE + uint32_t(f.payload.size());
  w.u32(framesSize);
  bool withFiles = (s.version ? s.version : SNAPSHOT_VERSION) != SNAPSHOT_VERSION_NO_FILES;
  size_t filesSizeAt = w.out.size();
  w.u32(0); // the files section's size, patched below
  if (withFiles) {
    writeFiles(w, s.files, s.stdinRead);
    storeLE32(w.out.data() + filesSizeAt, uint32_t(w.out.size() - filesSizeAt - 4));
  }
  for (auto& f : s.frames) {
    w.u32(f.function);
    w.u32(f.resumeId);
    w.u32(uint32_t(f.payload.size()));
    w.bytes(f.payload);
  }
  w.bytes(s.globals);
  for (auto& p : s.pages) {
    w.u32(p.index);
    w.bytes(p.bytes);
  }
  auto& out = w.out;
  storeLE64(out.data() + HDR_CHECKSUM, snapshotHashWords(SNAPSHOT_HASH_SEED, out.data() + HDR_CHECKED_FROM, out.size() - HDR_CHECKED_FROM));
  return std::move(out);
}

} // namespace wasm_ckpt
