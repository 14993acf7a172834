// The sections of a binary module, found by walking their headers (no decoding of contents):
// for sizes (the Code section) and for the bytes around the wasm-ckpt section; and the writing
// of sections and LEB128 numbers, the counterpart of binary_cursor.h's reading.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace wasm_ckpt {
struct SectionSpan {
  uint8_t id = 0;
  std::string name;   // custom sections (id 0) only
  size_t start = 0;   // the id byte
  size_t payload = 0; // after the size (and for custom sections, the name)
  size_t end = 0;
};
// Throws Error if the bytes are not a binary module whose section headers fit it.
std::vector<SectionSpan> binarySections(const std::vector<char>& bytes);
void appendUleb(std::vector<char>& out, uint64_t value);
void appendSleb(std::vector<char>& out, int64_t value);
// The bytes of a section: its id, its size and the payload.
std::vector<char> sectionBytes(uint8_t id, const std::vector<char>& payload);
// The bytes of a custom section with this name and payload.
std::vector<char> customSectionBytes(const std::string& name, const std::vector<char>& payload);
} // namespace wasm_ckpt
