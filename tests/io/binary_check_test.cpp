// The check of a binary module before Binaryen reads it (src/io/binary_check.cpp): what engines
// refuse and Binaryen's reader lets through, and what its reader cannot survive, refused with a
// message naming the problem and the function; valid modules at the limits accepted.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "io/binary_check.h"
#include "wasm_ckpt/error.h"

using namespace wasm_ckpt;

namespace {
using Bytes = std::vector<uint8_t>;

Bytes uleb(uint64_t n) {
  Bytes out;
  do {
    uint8_t b = n & 0x7f;
    n >>= 7;
    out.push_back(n ? b | 0x80 : b);
  } while (n);
  return out;
}
Bytes str(const std::string& s) {
  Bytes out = uleb(s.size());
  out.insert(out.end(), s.begin(), s.end());
  return out;
}
void append(Bytes& to, const Bytes& more) { to.insert(to.end(), more.begin(), more.end()); }

struct Parts {
  Bytes locals = {0};      // the local declarations of the one function
  Bytes body;              // its instructions, without the final end
  std::string exportName = "_start";
  uint32_t exportKind = 0, exportIndex = 0;
  std::string importModule; // a function import of type 0 when not empty
  std::string customName;   // a custom section when not empty
  std::string functionName; // a name section entry for the function when not empty
};

// One function of type [] -> [], one memory, one export.
std::vector<char> moduleOf(const Parts& p) {
  Bytes b = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  auto section = [&](uint8_t id, const Bytes& body) {
    b.push_back(id);
    append(b, uleb(body.size()));
    append(b, body);
  };
  section(1, {1, 0x60, 0, 0});
  if (!p.importModule.empty()) {
    Bytes imports = {1};
    append(imports, str(p.importModule));
    append(imports, str("f"));
    append(imports, {0, 0});
    section(2, imports);
  }
  section(3, {1, 0});
  section(5, {1, 0, 1});
  Bytes exports = {1};
  append(exports, str(p.exportName));
  exports.push_back(uint8_t(p.exportKind));
  append(exports, uleb(p.exportIndex));
  section(7, exports);
  Bytes code = p.locals;
  append(code, p.body);
  code.push_back(0x0b);
  Bytes bodies = {1};
  append(bodies, uleb(code.size()));
  append(bodies, code);
  section(10, bodies);
  if (!p.customName.empty()) {
    Bytes custom = str(p.customName);
    section(0, custom);
  }
  if (!p.functionName.empty()) {
    Bytes names = {1};
    append(names, uleb(p.importModule.empty() ? 0 : 1));
    append(names, str(p.functionName));
    Bytes section0 = str("name");
    section0.push_back(1);
    append(section0, uleb(names.size()));
    append(section0, names);
    section(0, section0);
  }
  return std::vector<char>(b.begin(), b.end());
}

Bytes nested(uint8_t opcode, uint32_t n) {
  Bytes body;
  for (uint32_t i = 0; i < n; i++) {
    if (opcode == 0x04) append(body, {0x41, 0x00});
    append(body, {opcode, 0x40});
  }
  body.insert(body.end(), n, 0x0b);
  return body;
}

void expectRefused(const Parts& parts, const std::vector<std::string>& needles) {
  try {
    checkBinaryModule(moduleOf(parts));
    ADD_FAILURE() << "accepted; expected an error";
  } catch (const Error& e) {
    std::string msg = e.what();
    for (auto& n : needles) EXPECT_NE(msg.find(n), std::string::npos) << "'" << n << "' not in: " << msg;
  }
}
} // namespace

TEST(BinaryCheck, AcceptsAValidModuleAndReturnsItsFunctionNames) {
  Parts p;
  p.body = {0x41, 0x01, 0x1a, 0xfd, 0x0c};
  p.body.insert(p.body.end(), 16, 0); // v128.const
  append(p.body, {0x1a, 0xfc, 0x0a, 0x00, 0x00}); // drop, memory.copy (no operands: bytes only)
  p.functionName = "f\xc3\xa9";
  auto names = checkBinaryModule(moduleOf(p));
  ASSERT_EQ(names.size(), 1u);
  EXPECT_EQ(names[0], "f\xc3\xa9");
}

TEST(BinaryCheck, RefusesNamesThatAreNotUtf8) {
  Parts p;
  p.exportName = "_\xff";
  expectRefused(p, {"export name '_\\ff' is not UTF-8"});
  p.exportName = "\xed\xa0\x80"; // a UTF-16 surrogate
  expectRefused(p, {"not UTF-8"});
  p.exportName = "\xc0\xaf"; // overlong
  expectRefused(p, {"not UTF-8"});
  p = Parts{};
  p.importModule = "en\xc3";
  p.exportIndex = 1;
  expectRefused(p, {"import 'en\\c3' 'f' is not UTF-8"});
  p = Parts{};
  p.customName = "dbg\x80";
  expectRefused(p, {"custom section name 'dbg\\80' is not UTF-8"});
  p.customName = "caf\xc3\xa9 \xf0\x9f\x98\x80"; // valid: 2- and 4-byte sequences
  checkBinaryModule(moduleOf(p));
}

TEST(BinaryCheck, RefusesExportIndicesOutOfRange) {
  Parts p;
  p.exportName = "memory";
  p.exportKind = 2;
  p.exportIndex = 5;
  expectRefused(p, {"export 'memory' names memory 5, but the module has 1 memory"});
  p.exportKind = 0;
  p.exportIndex = 1;
  expectRefused(p, {"names function 1, but the module has 1 function"});
}

TEST(BinaryCheck, RefusesLocalTypesThatAreNotValueTypes) {
  Parts p;
  p.locals = {1, 1, 0x00};
  p.functionName = "holder";
  expectRefused(p, {"function 'holder' (#0) declares a local of type 0x00, which is not a value type"});
}

TEST(BinaryCheck, RefusesTooManyLocalsBeforeAllocating) {
  Parts p;
  p.locals = {1};
  append(p.locals, uleb(kMaxLocalsPerFunction));
  p.locals.push_back(0x7f);
  checkBinaryModule(moduleOf(p));
  p.locals = {2};
  append(p.locals, uleb(kMaxLocalsPerFunction));
  p.locals.push_back(0x7f);
  append(p.locals, {1, 0x7e});
  expectRefused(p, {"function #0 declares more than 50000 locals"});
  p.locals = {1};
  append(p.locals, uleb(0xffffffffu));
  p.locals.push_back(0x7f);
  expectRefused(p, {"more than 50000 locals"});
}

TEST(BinaryCheck, RefusesNestingDeeperThanTheLimit) {
  for (uint8_t opcode : {0x02, 0x03, 0x04}) {
    SCOPED_TRACE("opcode " + std::to_string(opcode));
    Parts p;
    p.body = nested(opcode, kMaxNestingDepth);
    checkBinaryModule(moduleOf(p));
    p.body = nested(opcode, kMaxNestingDepth + 1);
    expectRefused(p, {"function #0 nests blocks, loops and ifs more than 5000 deep"});
  }
}

TEST(BinaryCheck, RefusesMalformedBodies) {
  Parts p;
  p.body = {0x02, 0x40}; // a block without its end
  expectRefused(p, {"malformed function body"});
  p.body = {0x0b, 0x01}; // code after the function's end
  expectRefused(p, {"malformed function body"});
  p.body = {0x41}; // i32.const without its immediate
  expectRefused(p, {"malformed function body"});
  p.body = {0xfb, 0x01}; // GC
  expectRefused(p, {"unknown or unsupported instruction 0xfb in function #0"});
  p.body = {0x14}; // call_ref (typed function references)
  expectRefused(p, {"unknown or unsupported instruction 0x14 in function #0"});
}

TEST(BinaryCheck, RefusesUnknownAndMisplacedSections) {
  auto bytes = moduleOf(Parts{});
  auto withTail = [&](std::vector<char> tail) {
    auto b = bytes;
    b.insert(b.end(), tail.begin(), tail.end());
    return b;
  };
  auto errorOf = [](const std::vector<char>& b) {
    try {
      checkBinaryModule(b);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  EXPECT_NE(errorOf(withTail({char(0x80), 0})).find("unknown section id 128"), std::string::npos);
  EXPECT_NE(errorOf(withTail({1, 1, 0})).find("section id 1 out of order or repeated"), std::string::npos);
  EXPECT_EQ(errorOf(withTail({11, 1, 0})), "(accepted)"); // a data section may follow the code
  EXPECT_EQ(errorOf(withTail({0, 2, 1, 'x'})), "(accepted)"); // a custom section anywhere
}

TEST(BinaryCheck, RefusesGlobalTypesThatAreNotValueTypes) {
  // (global (mut i32) (i32.const 0)) with its type byte replaced by 0x00, placed before the export section.
  auto bytes = moduleOf(Parts{});
  std::vector<char> global = {6, 6, 1, 0x00, 1, 0x41, 0, 0x0b};
  auto exportSection = std::find(bytes.begin() + 8, bytes.end(), char(7)); // ids before it are 1, 3, 5
  bytes.insert(exportSection, global.begin(), global.end());
  try {
    checkBinaryModule(bytes);
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("global #0 has type 0x00, which is not a value type"), std::string::npos) << e.what();
  }
}

TEST(BinaryCheck, TextNesting) {
  std::string deep = "(module (func";
  for (uint32_t i = 0; i < kMaxTextNestingDepth; i++) deep += " (";
  try {
    checkTextModule(deep);
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("nests parentheses more than 10000 deep"), std::string::npos) << e.what();
  }
  // Parentheses in strings and comments do not count.
  std::string quoted = "(module (; (((( ;) ;; ((((\n (func (export \"((((\\\"((\")))";
  checkTextModule(quoted);
}
