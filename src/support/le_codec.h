// Little-endian integers in byte buffers: the one encoder and decoder of the tool's own binary
// records (snapshots, snapshot_layout.h; the wasm-ckpt custom section, metadata.cpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "wasm_ckpt/error.h"

namespace wasm_ckpt {

inline uint32_t loadLE32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
inline uint64_t loadLE64(const uint8_t* p) { return uint64_t(loadLE32(p)) | uint64_t(loadLE32(p + 4)) << 32; }
inline void storeLE32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = uint8_t(v >> (8 * i));
}
inline void storeLE64(uint8_t* p, uint64_t v) {
  storeLE32(p, uint32_t(v));
  storeLE32(p + 4, uint32_t(v >> 32));
}

// Appends to `out` (bytes as char or uint8_t).
template <typename Byte> struct LEWriter {
  static_assert(sizeof(Byte) == 1, "a byte buffer");
  std::vector<Byte> out;

  void u8(uint8_t v) { out.push_back(Byte(v)); }
  void u32(uint32_t v) {
    for (int i = 0; i < 4; i++) u8(uint8_t(v >> (8 * i)));
  }
  void u64(uint64_t v) {
    u32(uint32_t(v));
    u32(uint32_t(v >> 32));
  }
  template <typename Bytes> void bytes(const Bytes& bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); }
};

// Reads [data, data + size) front to back. Reading past the end throws Error: `truncated` (the
// caller's words for what is wrong), then where the bytes ran out.
class LEReader {
public:
  LEReader(const void* data, size_t size, std::string truncated)
      : data_(static_cast<const uint8_t*>(data)), size_(size), truncated_(std::move(truncated)) {}

  size_t offset() const { return at_; }
  size_t remaining() const { return size_ - at_; }
  bool atEnd() const { return at_ == size_; }
  // Throws unless `n` more bytes remain.
  void need(uint64_t n) const {
    if (n > remaining())
      throw Error(truncated_ + ": " + std::to_string(n) + " bytes needed at offset " + std::to_string(at_) + ", " +
                  std::to_string(remaining()) + " left");
  }
  uint8_t u8() { return *take(1); }
  uint32_t u32() { return loadLE32(take(4)); }
  uint64_t u64() { return loadLE64(take(8)); }
  // The next `n` bytes, in place.
  const uint8_t* take(uint64_t n) {
    need(n);
    const uint8_t* p = data_ + at_;
    at_ += size_t(n);
    return p;
  }

private:
  const uint8_t* data_;
  size_t size_, at_ = 0;
  std::string truncated_;
};

} // namespace wasm_ckpt
