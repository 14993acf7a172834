// The C++ reader and writer of snapshots (layout in snapshot_layout.h, docs/snapshot-format.md).
// The run-time code inside instrumented modules writes and reads the same bytes.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "wasm_ckpt/hash.h" // the checksum (snapshotHashWords) and the module hash (fingerprint)
#include "wasm_ckpt/snapshot_layout.h"

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

// A descriptor the program opened or changed (the run-time code's descriptor table): reopened by
// path, seeked and renumbered at restore, or, for a stream, given its flags again.
enum class FileKind : uint32_t { Opened = FILE_KIND_OPENED, Stream = FILE_KIND_STREAM };
struct SnapshotFile {
  uint32_t fd = 0;
  FileKind kind = FileKind::Opened;
  uint32_t filetype = 0;  // WASI filetype when opened (4: regular file, 3: directory)
  uint32_t oflags = 0;    // as first opened
  uint32_t fdflags = 0;   // current
  uint32_t lookupflags = 0;
  uint64_t rightsBase = 0;
  uint64_t rightsInheriting = 0;
  uint64_t offset = 0;    // regular files
  std::string dir;        // the preopened directory's name
  std::string path;       // under it
};

struct Snapshot {
  uint32_t version = 0;
  uint64_t moduleHash = 0;
  uint64_t checksum = 0;
  uint64_t pollCount = 0;
  uint32_t memoryPages = 0;
  uint64_t stdinRead = 0;            // bytes the program consumed from descriptor 0
  std::vector<SnapshotFile> files;   // version 2; a version 1 snapshot has none
  std::vector<SnapshotFrame> frames; // outermost first
  std::vector<uint8_t> globals;
  std::vector<SnapshotPage> pages; // ascending; absent pages are all zero
};

// "DIR/PATH": where the program opened the file, as `inspect` shows it.
std::string fileDisplayPath(const SnapshotFile& file);
// WASI fdflags as names ("APPEND,NONBLOCK"; "" for none).
std::string fdflagNames(uint32_t fdflags);

// Parses and fully validates (magic, version, sizes, checksum, at most kMaxMemoryPages pages);
// throws Error naming the problem.
Snapshot parseSnapshot(const uint8_t* data, size_t size);
inline Snapshot parseSnapshot(const std::vector<uint8_t>& bytes) { return parseSnapshot(bytes.data(), bytes.size()); }
Snapshot readSnapshotFile(const std::string& path);
// Serializes with a freshly computed checksum (used by tests and tools that edit snapshots).
std::vector<uint8_t> serializeSnapshot(const Snapshot& snapshot);

} // namespace wasm_ckpt
