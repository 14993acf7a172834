// Reading modules (src/io/module_io.cpp): what is not a module, or not a valid one, is an Error
// with a one-line message naming the input.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "wasm.h"

#include "common/error_of.h"
#include "common/test_modules.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/module_io.h"

using namespace wasm_ckpt;

TEST(ModuleIo, RejectsBadInput) {
  auto bytes = [](const std::string& s) { return std::vector<char>(s.begin(), s.end()); };
  auto error = [&](const std::string& data, const char* name) { return test::errorOf([&] { readModuleFromBytes(bytes(data), name); }); };
  EXPECT_EQ(error("", "empty"), "empty: not a WebAssembly module (neither binary nor text format)");
  EXPECT_EQ(error("garbage", "garbage"), "garbage: not a WebAssembly module (neither binary nor text format)");
  EXPECT_EQ(error(std::string("\0asm", 4), "magic"), "magic: truncated module (no version field)");
  EXPECT_EQ(error(std::string("\0asm\1\0\0\0\1", 9), "trunc"), "trunc: invalid module: malformed section header (at byte 9)");
  // The text parser's own words follow the prefix.
  EXPECT_EQ(error("(module (func $f (i32.const", "unclosed").rfind("unclosed: invalid module: ", 0), 0u);
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

namespace {
std::string tempPath(const std::string& name) { return testing::TempDir() + "wasm_ckpt_module_io_test_" + name; }
std::string contents(const std::string& path) {
  auto bytes = readFileBytes(path);
  return std::string(bytes.begin(), bytes.end());
}
using test::errorOf;
} // namespace

TEST(ModuleIo, ADirectoryIsRefusedAsInputAndOutput) {
  std::string dir = testing::TempDir();
  EXPECT_NE(errorOf([&] { readFileBytes(dir); }).find("Is a directory"), std::string::npos);
  EXPECT_NE(errorOf([&] { writeFileAtomically(dir, {'x'}); }).find("Is a directory"), std::string::npos);
}

TEST(ModuleIo, WritingFollowsSymlinksAndKeepsTheMode) {
  std::string real = tempPath("real"), link = tempPath("link");
  ::unlink(link.c_str());
  writeFileAtomically(real, {'o', 'l', 'd'});
  ASSERT_EQ(::chmod(real.c_str(), 0640), 0);
  ASSERT_EQ(::symlink(real.c_str(), link.c_str()), 0);
  writeFileAtomically(link, {'n', 'e', 'w'});
  struct stat st;
  ASSERT_EQ(::lstat(link.c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  EXPECT_EQ(contents(real), "new");
  ASSERT_EQ(::stat(real.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  ::unlink(link.c_str());
  ::unlink(real.c_str());
}

TEST(ModuleIo, WritingIntoAFifoDoesNotReplaceIt) {
  std::string fifo = tempPath("fifo");
  ::unlink(fifo.c_str());
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string got;
  std::thread reader([&] { got = contents(fifo); });
  writeFileAtomically(fifo, {'a', 'b', 'c'});
  reader.join();
  EXPECT_EQ(got, "abc");
  struct stat st;
  ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  ::unlink(fifo.c_str());
}

TEST(ModuleIo, ValidatorMessagesNameTheFunctionAndTheFeature) {
  auto module = test::parseText("(module (func $bad (result i32) (i64.const 1)))");
  std::string msg = errorOf([&] { validateModule(*module, "bad.wat"); });
  EXPECT_NE(msg.find("in function 'bad': "), std::string::npos) << msg;
  EXPECT_EQ(msg.find(", on"), std::string::npos) << msg;
  module = test::parseText("(module (func $holder (local funcref)))");
  module->features = FeatureSet::MVP;
  msg = errorOf([&] { validateModule(*module, "types.wat"); });
  EXPECT_NE(msg.find("in function 'holder': type funcref needs a feature the module does not enable (reference-types)"),
            std::string::npos)
    << msg;
}

TEST(ModuleIo, NonAsciiFunctionNamesAreEscapedAsHexBytes) {
  // (func $0) named "fé" in a name section.
  std::string bytes("\0asm\1\0\0\0"
                    "\1\4\1\x60\0\0" "\3\2\1\0" "\12\4\1\2\0\x0b"
                    "\0\x0d\4name\1\6\1\0\3f\xc3\xa9",
                    8 + 6 + 4 + 6 + 15);
  auto module = readModuleFromBytes(std::vector<char>(bytes.begin(), bytes.end()), "names.wasm");
  ASSERT_EQ(module->functions.size(), 1u);
  EXPECT_EQ(std::string(module->functions[0]->name.str), "f\\c3\\a9");
  auto written = writeModuleBinary(*module);
  EXPECT_NE(std::string(written.begin(), written.end()).find("f\xc3\xa9"), std::string::npos);
}
