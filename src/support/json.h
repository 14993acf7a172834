// The one JSON string quoter of the tool's --json outputs (plan, inspect).
#pragma once
#include <cstdio>
#include <string>

namespace wasm_ckpt {
inline std::string jsonQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}
} // namespace wasm_ckpt
