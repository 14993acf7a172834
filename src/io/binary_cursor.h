// Reading a binary module's bytes: LEB128 numbers, names and nested spans, each read bounded by
// the span it belongs to. The one reader of raw module bytes, for the section walk
// (binary_sections.cpp) and the checks made before Binaryen reads a module (binary_check.cpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "wasm_ckpt/error.h"

namespace wasm_ckpt {

// Reads the bytes [pos, end); anything that runs past `end` is a malformed module.
struct Cursor {
  const uint8_t* data;
  size_t pos, end;
  const char* what; // what is being read, for messages

  [[noreturn]] void malformed() const { throw Error(fmt::format("invalid module: malformed {} (at byte {})", what, pos)); }
  bool atEnd() const { return pos >= end; }
  uint8_t byte() {
    if (pos >= end) malformed();
    return data[pos++];
  }
  void skip(uint64_t n) {
    if (n > end - pos) malformed();
    pos += size_t(n);
  }
  uint64_t uleb(unsigned bits) {
    uint64_t value = 0;
    for (unsigned shift = 0;; shift += 7) {
      if (shift >= bits) malformed();
      uint8_t b = byte();
      if (shift < 64) value |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    if (bits < 64 && value >> bits) malformed();
    return value;
  }
  uint32_t u32() { return uint32_t(uleb(32)); }
  int64_t sleb(unsigned bits) {
    int64_t value = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
      if (shift >= bits) malformed();
      b = byte();
      if (shift < 64) value |= int64_t(uint64_t(b & 0x7f) << shift);
      shift += 7;
    } while (b & 0x80);
    if (shift < 64 && (b & 0x40)) value |= int64_t(~uint64_t(0) << shift);
    return value;
  }
  std::string name() {
    uint32_t size = u32();
    size_t at = pos;
    skip(size);
    return std::string(reinterpret_cast<const char*>(data + at), size);
  }
  Cursor sub(uint64_t size, const char* subWhat) {
    size_t at = pos;
    skip(size);
    return Cursor{data, at, pos, subWhat};
  }
};

} // namespace wasm_ckpt
