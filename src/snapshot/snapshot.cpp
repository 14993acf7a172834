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
  if (s.version != SNAPSHOT_VERSION)
    throw Error("unsupported snapshot format version " + std::to_string(s.version) + " (this tool reads version " + std::to_string(SNAPSHOT_VERSION) + ")");
  if (load32(h + HDR_HEADER_SIZE) != SNAPSHOT_HEADER_SIZE) throw Error("snapshot is corrupted (header size)");
  s.moduleHash = load64(h + HDR_MODULE_HASH);
  s.checksum = load64(h + HDR_CHECKSUM);
  s.pollCount = load64(h + HDR_POLL_COUNT);
  s.memoryPages = load32(h + HDR_MEMORY_PAGES);
  uint32_t stored = load32(h + HDR_STORED_PAGES);
  uint32_t globalsSize = load32(h + HDR_GLOBALS_SIZE);
  uint32_t frameCount = load32(h + HDR_FRAME_COUNT);
  uint32_t framesSize = load32(h + HDR_FRAMES_SIZE);
  uint64_t expected = uint64_t(SNAPSHOT_HEADER_SIZE) + framesSize + globalsSize + uint64_t(stored) * (4 + kPageBytes);
  if (expected > bytes.size()) throw Error("snapshot is truncated (" + std::to_string(bytes.size()) + " of " + std::to_string(expected) + " bytes)");
  if (expected < bytes.size() || stored > s.memoryPages || frameCount == 0 || (globalsSize | framesSize) % 4)
    throw Error("snapshot is corrupted (section sizes do not add up)");
  if (s.memoryPages > kMaxMemoryPages)
    throw Error("snapshot is corrupted (" + std::to_string(s.memoryPages) + " memory pages, more than wasm32's " +
                std::to_string(kMaxMemoryPages) + ")");
  if (s.memoryPages == 0) throw Error("snapshot is corrupted (no memory pages; the run-time code needs one)");
  uint64_t hash = snapshotHashWords(SNAPSHOT_HASH_SEED, h + HDR_CHECKED_FROM, bytes.size() - HDR_CHECKED_FROM);
  if (hash != s.checksum) throw Error("snapshot is corrupted (checksum mismatch)");

  size_t at = SNAPSHOT_HEADER_SIZE, framesEnd = at + framesSize;
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
  store32(out, 0);
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
