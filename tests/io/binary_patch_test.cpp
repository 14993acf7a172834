// patchModule: the values it is asked to change change, every other byte stays, and a patch that
// does not fit the module is refused with a message.
#include <gtest/gtest.h>

#include <cstring>

#include "common/error_of.h"
#include "common/test_modules.h"
#include "io/binary_patch.h"
#include "io/binary_sections.h"

namespace wasm_ckpt {
namespace {
using test::errorOf;
using test::parseText;

std::vector<char> binaryOf(const std::string& text) { return writeModuleBinary(*parseText(text)); }

const char* const kModule = R"((module
  (import "env" "g" (global $imported (mut i32)))
  (memory 2 10)
  (global $a (mut i32) (i32.const 7))
  (global $b (mut i64) (i64.const 8))
  (global $c (mut f64) (f64.const 1.5))
  (global $v (mut v128) (v128.const i32x4 1 2 3 4))
  (data $active (i32.const 16) "abc")
  (data $passive "old bytes")
  (func $f (result i32) (i32.add (global.get $a) (i32.const 1)))
  (export "f" (func $f))))";

ConstantValue constant(uint8_t type, const void* le, size_t size) {
  ConstantValue value;
  value.type = type;
  std::memcpy(value.bytes.data(), le, size);
  return value;
}

std::vector<char> sectionOf(const std::vector<char>& bytes, uint8_t id) {
  for (auto& s : binarySections(bytes)) {
    if (s.id == id) return std::vector<char>(bytes.begin() + s.start, bytes.begin() + s.end);
  }
  return {};
}

TEST(BinaryPatch, ChangesTheValuesAskedForAndCopiesTheRest) {
  auto bytes = binaryOf(kModule);
  ModulePatch patch;
  int32_t a = -123456;
  int64_t b = int64_t(1) << 40;
  double c = -2.25;
  uint32_t v[4] = {9, 10, 11, 12};
  patch.globals[0] = constant(0x7f, &a, 4); // imported: left to the host
  patch.globals[1] = constant(0x7f, &a, 4);
  patch.globals[2] = constant(0x7e, &b, 8);
  patch.globals[3] = constant(0x7c, &c, 8);
  patch.globals[4] = constant(0x7b, v, 16);
  patch.memoryMinimum = 5;
  patch.segment = 1;
  patch.segmentBytes = {'n', 'e', 'w'};
  auto patched = patchModule(bytes, patch);

  auto module = parseText(std::string(patched.begin(), patched.end()), "patched.wasm");
  validateModule(*module, "patched.wasm");
  EXPECT_EQ(module->globals[1]->init->cast<wasm::Const>()->value.geti32(), a);
  EXPECT_EQ(module->globals[2]->init->cast<wasm::Const>()->value.geti64(), b);
  EXPECT_EQ(module->globals[3]->init->cast<wasm::Const>()->value.getf64(), c);
  EXPECT_EQ(std::memcmp(module->globals[4]->init->cast<wasm::Const>()->value.getv128().data(), v, 16), 0);
  EXPECT_EQ(module->memory.initial, 5u);
  EXPECT_EQ(module->memory.max, 10u);
  EXPECT_EQ(std::string(module->memory.segments[0].data.begin(), module->memory.segments[0].data.end()), "abc");
  EXPECT_EQ(std::string(module->memory.segments[1].data.begin(), module->memory.segments[1].data.end()), "new");
  for (uint8_t id : {1, 2, 3, 7, 10, 12}) EXPECT_EQ(sectionOf(patched, id), sectionOf(bytes, id)) << "section " << int(id);
}

TEST(BinaryPatch, AMinimumBelowTheMemorysLeavesIt) {
  auto bytes = binaryOf(kModule);
  ModulePatch patch;
  patch.memoryMinimum = 1;
  EXPECT_EQ(patchModule(bytes, patch), bytes);
}

TEST(BinaryPatch, RefusesWhatDoesNotFit) {
  auto bytes = binaryOf(kModule);
  int32_t one = 1;
  auto refusal = [&](auto edit) {
    ModulePatch patch;
    edit(patch);
    return errorOf([&] { patchModule(bytes, patch); });
  };
  EXPECT_EQ(refusal([&](ModulePatch& p) { p.globals[2] = constant(0x7f, &one, 4); }),
            "global #2 is of value type 0x7e, its new value of 0x7f");
  EXPECT_EQ(refusal([&](ModulePatch& p) { p.globals[5] = constant(0x7f, &one, 4); }), "the module has no global #5");
  EXPECT_EQ(refusal([&](ModulePatch& p) { p.memoryMinimum = 11; }), "the memory needs 11 pages, more than its maximum of 10");
  EXPECT_EQ(refusal([&](ModulePatch& p) { p.segment = 0; }), "data segment #0 is not passive");
  EXPECT_EQ(refusal([&](ModulePatch& p) { p.segment = 2; }), "the module has no data segment #2");
  auto imported = binaryOf(R"((module (import "env" "memory" (memory 1)) (data "x")))");
  ModulePatch grow;
  grow.memoryMinimum = 2;
  EXPECT_EQ(errorOf([&] { patchModule(imported, grow); }), "the module's memory is imported");
  std::vector<char> cut(bytes.begin(), bytes.end() - 3);
  EXPECT_NE(errorOf([&] { patchModule(cut, grow); }).find("malformed"), std::string::npos);
}

// Damaged modules (a byte changed, or the module cut short, 3000 times, fixed seed): the patch
// is applied or refused with an Error, never a crash or another exception.
TEST(BinaryPatch, DamagedModulesAreRefusedOrPatched) {
  auto bytes = binaryOf(kModule);
  ModulePatch patch;
  int32_t a = 5;
  patch.globals[1] = constant(0x7f, &a, 4);
  patch.memoryMinimum = 3;
  patch.segment = 1;
  patch.segmentBytes = {'x'};
  uint32_t state = 12345;
  auto next = [&] { return state = state * 1103515245u + 12345u, state >> 8; };
  int refused = 0, patched = 0;
  for (int i = 0; i < 3000; i++) {
    auto damaged = bytes;
    if (i % 10 == 0) damaged.resize(8 + next() % (damaged.size() - 8));
    else damaged[8 + next() % (damaged.size() - 8)] = char(next());
    try {
      patchModule(damaged, patch);
      patched++;
    } catch (const Error&) {
      refused++;
    }
  }
  EXPECT_GT(refused, 0);
  EXPECT_GT(patched, 0);
}

} // namespace
} // namespace wasm_ckpt
