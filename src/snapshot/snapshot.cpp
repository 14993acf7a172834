// The C++ reader and writer of the snapshot format (snapshot_layout.h is the single definition
// of the layout; the run-time code in ckpt_runtime.c reads and writes the same bytes).
#include "wasm_ckpt/snapshot.h"

#include <cstring>

#include "wasm_ckpt/error.h"
#include "wasm_ckpt/module_io.h"
#include "wasm_ckpt/snapshot_layout.h"

namespace wasm_ckpt {

namespace {
uint32_t load32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
uint64_t load64(const uint8_t* p) { return uint64_t(load32(p)) | uint64_t(load32(p + 4)) << 32; }
void store32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; i++) out.push_back(uint8_t(v >> (8 * i)));
}
void store64(std::vector<uint8_t>& out, uint64_t v) {
  store32(out, uint32_t(v));
  store32(out, uint32_t(v >> 32));
}
void patch64(std::vector<uint8_t>& out, size_t at, uint64_t v) {
  for (int i = 0; i < 8; i++) out[at + i] = uint8_t(v >> (8 * i));
}
} // namespace

uint64_t snapshotHashWords(uint64_t hash, const uint8_t* data, size_t size) {
  for (size_t i = 0; i + 4 <= size; i += 4) hash = (hash ^ load32(data + i)) * SNAPSHOT_HASH_PRIME;
  return hash;
}

uint64_t fingerprint(const std::vector<char>& bytes) {
  uint64_t hash = SNAPSHOT_HASH_SEED;
  for (char c : bytes) hash = (hash ^ uint8_t(c)) * SNAPSHOT_HASH_PRIME;
  return hash ? hash : 1;
}

Snapshot parseSnapshot(const std::vector<uint8_t>& bytes) {
  if (bytes.size() < SNAPSHOT_HEADER_SIZE) throw Error("snapshot is truncated (" + std::to_string(bytes.size()) + " bytes, the header alone is 64)");
  const uint8_t* h = bytes.data();
  if (load64(h + HDR_MAGIC) != SNAPSHOT_MAGIC) throw Error("not a wasm-ckpt snapshot (bad magic)");
  Snapshot s;
  s.version = load32(h + HDR_VERSION);
  if (s.version != SNAPSHOT_VERSION && s.version != SNAPSHOT_VERSION_NO_FILES)
    throw Error("unsupported snapshot format version " + std::to_string(s.version) + " (this tool reads versions " +
                std::to_string(SNAPSHOT_VERSION_NO_FILES) + " and " + std::to_string(SNAPSHOT_VERSION) + ")");
  if (load32(h + HDR_HEADER_SIZE) != SNAPSHOT_HEADER_SIZE) throw Error("snapshot is corrupted (header size)");
  s.moduleHash = load64(h + HDR_MODULE_HASH);
  s.checksum = load64(h + HDR_CHECKSUM);
  s.pollCount = load64(h + HDR_POLL_COUNT);
  s.memoryPages = load32(h + HDR_MEMORY_PAGES);
  uint32_t stored = load32(h + HDR_STORED_PAGES);
  uint32_t globalsSize = load32(h + HDR_GLOBALS_SIZE);
  uint32_t frameCount = load32(h + HDR_FRAME_COUNT);
  uint32_t framesSize = load32(h + HDR_FRAMES_SIZE);
  uint32_t filesSize = load32(h + HDR_FILES_SIZE);
  uint64_t expected = uint64_t(SNAPSHOT_HEADER_SIZE) + filesSize + framesSize + globalsSize + uint64_t(stored) * (4 + kPageBytes);
  if (expected > bytes.size()) throw Error("snapshot is truncated (" + std::to_string(bytes.size()) + " of " + std::to_string(expected) + " bytes)");
  bool filesOk = s.version == SNAPSHOT_VERSION_NO_FILES ? filesSize == 0 : filesSize >= FILES_HEADER_SIZE;
  if (expected < bytes.size() || stored > s.memoryPages || frameCount == 0 || (globalsSize | framesSize | filesSize) % 4 || !filesOk)
    throw Error("snapshot is corrupted (section sizes do not add up)");
  if (s.memoryPages > kMaxMemoryPages)
    throw Error("snapshot is corrupted (" + std::to_string(s.memoryPages) + " memory pages, more than wasm32's " +
                std::to_string(kMaxMemoryPages) + ")");
  if (s.memoryPages == 0) throw Error("snapshot is corrupted (no memory pages; the run-time code needs one)");
  uint64_t hash = snapshotHashWords(SNAPSHOT_HASH_SEED, h + HDR_CHECKED_FROM, bytes.size() - HDR_CHECKED_FROM);
  if (hash != s.checksum) throw Error("snapshot is corrupted (checksum mismatch)");

  size_t at = SNAPSHOT_HEADER_SIZE;
  if (filesSize) {
    s.stdinRead = load64(h + at + FILES_STDIN_READ);
    uint32_t count = load32(h + at + FILES_COUNT);
    size_t end = at + filesSize;
    at += FILES_HEADER_SIZE;
    auto corrupted = [] { return Error("snapshot is corrupted (file records)"); };
    for (; at < end; ) {
      const uint8_t* r = h + at;
      if (end - at < FILE_RECORD_HEADER) throw corrupted();
      uint32_t size = load32(r + FILE_SIZE), kind = load32(r + FILE_KIND);
      uint64_t text = uint64_t(load32(r + FILE_DIR_LEN)) + load32(r + FILE_PATH_LEN);
      if (size < FILE_RECORD_HEADER || size % 4 || size > end - at || text > size - FILE_RECORD_HEADER ||
          (kind != FILE_KIND_OPENED && kind != FILE_KIND_STREAM) || (kind == FILE_KIND_OPENED && load32(r + FILE_PATH_LEN) == 0))
        throw corrupted();
      SnapshotFile f;
      f.fd = load32(r + FILE_FD);
      f.kind = FileKind(kind);
      f.filetype = load32(r + FILE_FILETYPE);
      f.oflags = load32(r + FILE_OFLAGS);
      f.fdflags = load32(r + FILE_FDFLAGS);
      f.lookupflags = load32(r + FILE_LOOKUPFLAGS);
      f.rightsBase = load64(r + FILE_RIGHTS_BASE);
      f.rightsInheriting = load64(r + FILE_RIGHTS_INHERITING);
      f.offset = load64(r + FILE_OFFSET);
      const char* text0 = reinterpret_cast<const char*>(r + FILE_RECORD_HEADER);
      f.dir.assign(text0, load32(r + FILE_DIR_LEN));
      f.path.assign(text0 + f.dir.size(), load32(r + FILE_PATH_LEN));
      for (auto& other : s.files) {
        if (other.fd == f.fd) throw corrupted();
      }
      s.files.push_back(std::move(f));
      at += size;
    }
    if (s.files.size() != count) throw corrupted();
  }
  size_t framesEnd = at + framesSize;
  for (uint32_t i = 0; i < frameCount; i++) {
    if (framesEnd - at < FRAME_HEADER_SIZE) throw Error("snapshot is corrupted (frame records)");
    SnapshotFrame f;
    f.function = load32(h + at + FRAME_FUNC_INDEX);
    f.resumeId = load32(h + at + FRAME_RESUME_ID);
    uint32_t size = load32(h + at + FRAME_PAYLOAD_SIZE);
    at += FRAME_HEADER_SIZE;
    if (size > framesEnd - at) throw Error("snapshot is corrupted (frame records)");
    f.payload.assign(h + at, h + at + size);
    at += size;
    s.frames.push_back(std::move(f));
  }
  if (at != framesEnd) throw Error("snapshot is corrupted (frame records)");
  s.globals.assign(h + at, h + at + globalsSize);
  at += globalsSize;
  for (uint32_t i = 0; i < stored; i++) {
    SnapshotPage p;
    p.index = load32(h + at);
    if (p.index >= s.memoryPages || (!s.pages.empty() && p.index <= s.pages.back().index))
      throw Error("snapshot is corrupted (page table)");
    p.bytes.assign(h + at + 4, h + at + 4 + kPageBytes);
    at += 4 + kPageBytes;
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
    return parseSnapshot(std::vector<uint8_t>(bytes.begin(), bytes.end()));
  } catch (Error& e) {
    throw Error(path + ": " + e.what());
  }
}

std::vector<uint8_t> serializeSnapshot(const Snapshot& s) {
  std::vector<uint8_t> out;
  store64(out, SNAPSHOT_MAGIC);
  store32(out, s.version ? s.version : SNAPSHOT_VERSION);
  store32(out, SNAPSHOT_HEADER_SIZE);
  store64(out, s.moduleHash);
  store64(out, 0); // checksum, patched below
  store64(out, s.pollCount);
  store32(out, s.memoryPages);
  store32(out, uint32_t(s.pages.size()));
  store32(out, uint32_t(s.globals.size()));
  store32(out, uint32_t(s.frames.size()));
  uint32_t framesSize = 0;
  for (auto& f : s.frames) framesSize += FRAME_HEADER_SIZE + uint32_t(f.payload.size());
  store32(out, framesSize);
  size_t filesSizeAt = out.size();
  store32(out, 0); // the files section's size, patched below
  if ((s.version ? s.version : SNAPSHOT_VERSION) != SNAPSHOT_VERSION_NO_FILES) {
    size_t begin = out.size();
    store64(out, s.stdinRead);
    store32(out, uint32_t(s.files.size()));
    store32(out, 0);
    for (auto& f : s.files) {
      uint32_t size = (FILE_RECORD_HEADER + uint32_t(f.dir.size() + f.path.size()) + 3) & ~3u;
      for (uint32_t v : {size, f.fd, uint32_t(f.kind), f.filetype, f.oflags, f.fdflags, f.lookupflags, 0u}) store32(out, v);
      for (uint64_t v : {f.rightsBase, f.rightsInheriting, f.offset}) store64(out, v);
      store32(out, uint32_t(f.dir.size()));
      store32(out, uint32_t(f.path.size()));
      out.insert(out.end(), f.dir.begin(), f.dir.end());
      out.insert(out.end(), f.path.begin(), f.path.end());
      out.resize((out.size() + 3) & ~size_t(3), 0);
    }
    uint32_t filesSize = uint32_t(out.size() - begin);
    for (int i = 0; i < 4; i++) out[filesSizeAt + i] = uint8_t(filesSize >> (8 * i));
  }
  for (auto& f : s.frames) {
    store32(out, f.function);
    store32(out, f.resumeId);
    store32(out, uint32_t(f.payload.size()));
    out.insert(out.end(), f.payload.begin(), f.payload.end());
  }
  out.insert(out.end(), s.globals.begin(), s.globals.end());
  for (auto& p : s.pages) {
    store32(out, p.index);
    out.insert(out.end(), p.bytes.begin(), p.bytes.end());
  }
  patch64(out, HDR_CHECKSUM, snapshotHashWords(SNAPSHOT_HASH_SEED, out.data() + HDR_CHECKED_FROM, out.size() - HDR_CHECKED_FROM));
  return out;
}

} // namespace wasm_ckpt
