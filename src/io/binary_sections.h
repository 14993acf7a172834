// The sections of a binary module, found by walking their headers (no decoding of contents):
// for sizes (the Code section) and for the bytes around the wasm-ckpt section.
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
// The bytes of a custom section with this name and payload.
std::vector<char> customSectionBytes(const std::string& name, const std::vector<char>& payload);
} // namespace wasm_ckpt
