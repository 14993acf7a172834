// Names as the tool shows them in messages: a byte outside printable ASCII becomes \xx (two
// lowercase hex digits), the form Binaryen gives function names from a name section.
#pragma once
#include <string>

namespace wasm_ckpt {
inline std::string printableName(const std::string& name) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (char c : name) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else {
      out += '\\';
      out += hex[byte >> 4];
      out += hex[byte & 15];
    }
  }
  return out;
}
} // namespace wasm_ckpt
