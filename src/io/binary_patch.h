// Changing a few values of a binary module without re-encoding it: the sections that hold them
// (global, memory, data, code, one custom section) are decoded and written anew, and every other
// byte is copied as it is.
// `wasm-ckpt resume` uses it: reading a module into Binaryen IR and writing it back would not
// give back its code (Binaryen's reader spills multi-value results through scratch locals, 13%
// more code on Lua's instrumented module).
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace wasm_ckpt {

// A constant: its value type's code (0x7f i32, 0x7e i64, 0x7d f32, 0x7c f64, 0x7b v128) and its
// little-endian bytes (4, 8 or 16 of them used).
struct ConstantValue {
  uint8_t type = 0x7f;
  std::array<uint8_t, 16> bytes{};
  static ConstantValue i32(uint32_t value) {
    ConstantValue constant;
    for (unsigned i = 0; i < 4; i++) constant.bytes[i] = uint8_t(value >> (8 * i));
    return constant;
  }
};

struct ModulePatch {
  // Global index (imported globals counted) -> its new initial value, a constant of the global's
  // type. An imported global's entry is left alone: the host gives its value.
  std::map<uint32_t, ConstantValue> globals;
  // Memory 0's initial size in pages becomes at least this; the memory must be defined here.
  uint64_t memoryMinimum = 0;
  // A passive data segment's index and its new bytes.
  std::optional<uint32_t> segment;
  std::vector<uint8_t> segmentBytes;
  // Function index (imported functions counted) -> its new body: the bytes of a Code section
  // entry after its size (local declarations, instructions, `end`).
  std::map<uint32_t, std::vector<char>> bodies;
  // A custom section's name -> its new payload: the section of that name is replaced, or added
  // at the end of the module.
  std::map<std::string, std::vector<char>> customSections;
};

// The module with the patch applied. Throws Error if the bytes are not a binary module whose
// sections parse, or if the patch does not fit the module (no such global, segment or memory, a
// constant of another type, an imported memory, a minimum above the maximum).
std::vector<char> patchModule(const std::vector<char>& bytes, const ModulePatch& patch);

// The bodies (as in ModulePatch::bodies) of these defined functions. Throws Error if the bytes
// are not a binary module whose Code section parses, or if it has no such function.
std::map<uint32_t, std::vector<char>> functionBodies(const std::vector<char>& bytes, const std::set<uint32_t>& indices);

} // namespace wasm_ckpt
