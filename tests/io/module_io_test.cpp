// Reading modules (src/io/module_io.cpp): what is not a module, or not a valid one, is an Error
// with a one-line message naming the input.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "wasm.h"

#include "common/test_modules.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/module_io.h"

using namespace wasm_ckpt;

TEST(ModuleIo, RejectsBadInput) {
  auto bytes = [](const std::string& s) { return std::vector<char>(s.begin(), s.end()); };
  EXPECT_THROW(readModuleFromBytes({}, "empty"), Error);
  EXPECT_THROW(readModuleFromBytes(bytes("garbage"), "garbage"), Error);
  EXPECT_THROW(readModuleFromBytes(bytes(std::string("\0asm", 4)), "magic"), Error);
  EXPECT_THROW(readModuleFromBytes(bytes(std::string("\0asm\1\0\0\0\1", 9)), "trunc"), Error);
  EXPECT_THROW(readModuleFromBytes(bytes("(module (func $f (i32.const"), "unclosed"), Error);
  // Parses, but does not validate.
  auto module = test::parseText("(module (func $bad (result i32) (i64.const 1)))");
  try {
    validateModule(*module, "bad.wat");
    FAIL() << "validated";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.rfind("bad.wat: invalid module", 0), 0u) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
}
