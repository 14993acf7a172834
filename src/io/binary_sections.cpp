#include "io/binary_sections.h"

#include <cstring>

#include "io/binary_cursor.h"
#include "wasm_ckpt/error.h"

namespace wasm_ckpt {

void appendUleb(std::vector<char>& out, uint64_t value) {
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    out.push_back(char(byte | (value ? 0x80 : 0)));
  } while (value);
}

void appendSleb(std::vector<char>& out, int64_t value) {
  for (;;) {
    uint8_t byte = value & 0x7f;
    value >>= 7; // arithmetic: the sign is kept
    bool done = (value == 0 && !(byte & 0x40)) || (value == -1 && (byte & 0x40));
    out.push_back(char(byte | (done ? 0 : 0x80)));
    if (done) return;
  }
}

std::vector<char> sectionBytes(uint8_t id, const std::vector<char>& payload) {
  std::vector<char> out = {char(id)};
  appendUleb(out, payload.size());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

std::vector<SectionSpan> binarySections(const std::vector<char>& bytes) {
  if (bytes.size() < 8 || std::memcmp(bytes.data(), "\0asm", 4) != 0) throw Error("not a binary module");
  Cursor module{reinterpret_cast<const uint8_t*>(bytes.data()), 8, bytes.size(), "section header"};
  std::vector<SectionSpan> sections;
  while (!module.atEnd()) {
    SectionSpan span;
    span.start = module.pos;
    span.id = module.byte();
    Cursor section = module.sub(module.u32(), "section");
    span.end = section.end;
    if (span.id == 0) {
      section.what = "custom section name";
      span.name = section.name();
    }
    span.payload = section.pos;
    sections.push_back(std::move(span));
  }
  return sections;
}

std::vector<char> customSectionBytes(const std::string& name, const std::vector<char>& payload) {
  std::vector<char> content;
  appendUleb(content, name.size());
  content.insert(content.end(), name.begin(), name.end());
  content.insert(content.end(), payload.begin(), payload.end());
  return sectionBytes(0, content);
}

} // namespace wasm_ckpt
