// The C++ reader and writer of the snapshot format (snapshot_layout.h is the single definition
// of the layout; the run-time code in ckpt_runtime.c reads and writes the same bytes).
#include "wasm_ckpt/snapshot.h"

#include "support/le_codec.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/module_io.h"
#include "wasm_ckpt/snapshot_layout.h"

namespace wasm_ckpt {

Snapshot parseSnapshot(const std::vector<uint8_t>& bytes) {
  if (bytes.size() < SNAPSHOT_HEADER_SIZE) throw Error("snapshot is truncated (" + std::to_string(bytes.size()) + " bytes, the header alone is 64)");
  const uint8_t* h = bytes.data();
  if (loadLE64(h + HDR_MAGIC) != SNAPSHOT_MAGIC) throw Error("not a wasm-ckpt snapshot (bad magic)");
  Snapshot s;
  s.version = loadLE32(h + HDR_VERSION);
  if (s.version != SNAPSHOT_VERSION)
    throw Error("unsupported snapshot format version " + std::to_string(s.version) + " (this tool reads version " + std::to_string(SNAPSHOT_VERSION) + ")");
  if (loadLE32(h + HDR_HEADER_SIZE) != SNAPSHOT_HEADER_SIZE) throw Error("snapshot is corrupted (header size)");
  s.moduleHash = loadLE64(h + HDR_MODULE_HASH);
  s.checksum = loadLE64(h + HDR_CHECKSUM);
  s.pollCount = loadLE64(h + HDR_POLL_COUNT);
  s.memoryPages = loadLE32(h + HDR_MEMORY_PAGES);
  uint32_t stored = loadLE32(h + HDR_STORED_PAGES);
  uint32_t globalsSize = loadLE32(h + HDR_GLOBALS_SIZE);
  uint32_t frameCount = loadLE32(h + HDR_FRAME_COUNT);
  uint32_t framesSize = loadLE32(h + HDR_FRAMES_SIZE);
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

  static_assert(FRAME_FUNC_INDEX == 0 && FRAME_RESUME_ID == 4 && FRAME_PAYLOAD_SIZE == 8 && FRAME_HEADER_SIZE == 12,
                "frame records are read and written field by field");
  LEReader frames(h + SNAPSHOT_HEADER_SIZE, framesSize, "snapshot is corrupted (frame records)");
  for (uint32_t i = 0; i < frameCount; i++) {
    SnapshotFrame f;
    f.function = frames.u32();
    f.resumeId = frames.u32();
    uint32_t size = frames.u32();
    auto* payload = frames.take(size);
    f.payload.assign(payload, payload + size);
    s.frames.push_back(std::move(f));
  }
  if (!frames.atEnd()) throw Error("snapshot is corrupted (frame records)");
  LEReader rest(h + SNAPSHOT_HEADER_SIZE + framesSize, bytes.size() - SNAPSHOT_HEADER_SIZE - framesSize, "snapshot is truncated");
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

Snapshot readSnapshotFile(const std::string& path) {
  auto bytes = readFileBytes(path);
  try {
    return parseSnapshot(std::vector<uint8_t>(bytes.begin(), bytes.end()));
  } catch (Error& e) {
    throw Error(path + ": " + e.what());
  }
}

std::vector<uint8_t> serializeSnapshot(const Snapshot& s) {
  LEWriter<uint8_t> w;
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
  w.u32(0);
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
