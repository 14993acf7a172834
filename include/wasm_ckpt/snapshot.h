// The C++ reader and writer of snapshots (layout in snapshot_layout.h, docs/snapshot-format.md).
// The run-time code inside instrumented modules writes and reads the same bytes.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "wasm_ckpt/hash.h" // the checksum (snapshotHashWords) and the module hash (fingerprint)

namespace wasm_ckpt {

constexpr uint32_t kPageBytes = 65536;
// wasm32's largest memory, in pages: no snapshot holds more.
constexpr uint32_t kMaxMemoryPages = 65536;

struct SnapshotFrame {
  uint32_t function = 0; // ordinal among the instrumented functions (see ModuleMetadata)
  uint32_t resumeId = 0; // resume point inside that function, from 1
  std::vector<uint8_t> payload; // the function's locals, in the layout of its FrameLayout
};

struct SnapshotPage {
  uint32_t index = 0;
  std::vector<uint8_t> bytes; // 65536 bytes
};

struct Snapshot {
  uint32_t version = 0;
  uint64_t moduleHash = 0;
  uint64_t checksum = 0;
  uint64_t pollCount = 0;
  uint32_t memoryPages = 0;
  std::vector<SnapshotFrame> frames; // outermost first
  std::vector<uint8_t> globals;
  std::vector<SnapshotPage> pages; // ascending; absent pages are all zero
};

// Parses and fully validates (magic, version, sizes, checksum, at most kMaxMemoryPages pages);
// throws Error naming the problem.
Snapshot parseSnapshot(const std::vector<uint8_t>& bytes);
Snapshot readSnapshotFile(const std::string& path);
// Serializes with a freshly computed checksum (used by tests and tools that edit snapshots).
std::vector<uint8_t> serializeSnapshot(const Snapshot& snapshot);

} // namespace wasm_ckpt
