// How the tool writes JSON (inspect --json, version --json, the batch report): nlohmann-json's
// ordered_json, keys in the order they are set, as text by jsonText.
#pragma once
#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

namespace wasm_ckpt {
using Json = nlohmann::ordered_json;

// Two-space indentation, a final newline; bytes that are not UTF-8 (a name from a module, a file
// name) become U+FFFD, so the text is always valid JSON.
inline std::string jsonText(const Json& value) {
  return value.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

// A measured figure rounded to `decimals` places, so that it is written with at most that many.
inline double roundedTo(double value, int decimals) {
  double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}
} // namespace wasm_ckpt
