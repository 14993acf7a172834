#include "io/binary_sections.h"

#include <cstring>

#include "wasm_ckpt/error.h"

namespace wasm_ckpt {

namespace {
void appendLeb(std::vector<char>& out, uint64_t value) {
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    out.push_back(char(byte | (value ? 0x80 : 0)));
  } while (value);
}
} // namespace

std::vector<SectionSpan> binarySections(const std::vector<char>& bytes) {
  if (bytes.size() < 8 || std::memcmp(bytes.data(), "\0asm", 4) != 0) throw Error("not a binary module");
  size_t at = 8;
  auto leb = [&]() {
    uint64_t value = 0;
    for (int shift = 0;; shift += 7) {
      if (at >= bytes.size() || shift > 28) throw Error("a section header of the module is damaged");
      uint8_t byte = uint8_t(bytes[at++]);
      value |= uint64_t(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return value;
    }
  };
  std::vector<SectionSpan> sections;
  while (at < bytes.size()) {
    SectionSpan span;
    span.start = at;
    span.id = uint8_t(bytes[at++]);
    uint64_t size = leb();
    if (size > bytes.size() - at) throw Error("a section of the module runs past its end");
    span.end = at + size;
    if (span.id == 0) {
      uint64_t length = leb();
      if (length > span.end - at) throw Error("a custom section's name runs past the section");
      span.name.assign(bytes.begin() + at, bytes.begin() + at + length);
      at += length;
    }
    span.payload = at;
    at = span.end;
    sections.push_back(std::move(span));
  }
  return sections;
}

std::vector<char> customSectionBytes(const std::string& name, const std::vector<char>& payload) {
  std::vector<char> content;
  appendLeb(content, name.size());
  content.insert(content.end(), name.begin(), name.end());
  content.insert(content.end(), payload.begin(), payload.end());
  std::vector<char> out = {0};
  appendLeb(out, content.size());
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

} // namespace wasm_ckpt
