# Turns the binary file INPUT into a C++ source OUTPUT defining wasm_ckpt::runtimeWasm().
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUTPUT}" "// Generated from ckpt_runtime.wasm by cmake/embed.cmake. Do not edit.\n"
  "#include <cstddef>\n#include <cstdint>\n#include <vector>\n"
  "namespace wasm_ckpt {\nstatic const unsigned char kRuntime[${size}] = {${bytes}};\n"
  "const std::vector<char>& runtimeWasm() {\n"
  "  static const std::vector<char> bytes(kRuntime, kRuntime + sizeof(kRuntime));\n  return bytes;\n}\n}\n")
