// What CheckSupported (src/passes/CheckSupported.cpp) refuses: features a snapshot cannot
// capture or the transformation cannot rebuild, each named with the function that uses it, in
// a one-line message; a refused module gets no metadata.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "wasm.h"

#include "common/golden.h"
#include "common/test_modules.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/instrument.h"
#include "wasm_ckpt/metadata.h"
#include "passes/passes.h"

using namespace wasm_ckpt;
using test::parseText;
using test::withStart;

namespace {
// Expects instrumenting `text` to throw an Error whose message contains each of `needles`.
void expectRefused(const std::string& text, const std::vector<std::string>& needles) {
  auto module = parseText(text);
  try {
    instrumentModule(*module, InstrumentOptions{});
    ADD_FAILURE() << "instrumented; expected an error";
  } catch (const Error& e) {
    std::string msg = e.what();
    for (auto& n : needles) EXPECT_NE(msg.find(n), std::string::npos) << "'" << n << "' not in: " << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "multi-line message: " << msg;
  }
}
} // namespace

TEST(CheckSupported, RefusesSharedMemory) {
  expectRefused(withStart("(memory (shared 1 1))"), {"shared memory"});
}

TEST(CheckSupported, NamesTheReferenceType) {
  expectRefused(withStart("(table 1 funcref) (func $rf (drop (ref.null func)))"),
                {"unsupported feature: reference types or GC (a value of type funcref) in function 'rf'"});
}

TEST(CheckSupported, RefusesMemory64) {
  expectRefused(withStart("(memory i64 1)"), {"memory64"});
}

TEST(CheckSupported, RefusesAtomics) {
  expectRefused(withStart("(memory 1 1) (func $atom (result i32) (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))"),
                {"atomic", "'atom'"});
  expectRefused(withStart("(memory 1 1) (func $aload (result i32) (i32.atomic.load (i32.const 0)))"),
                {"atomic", "'aload'"});
  expectRefused(withStart("(memory 1 1) (func $astore (i32.atomic.store (i32.const 0) (i32.const 1)))"),
                {"atomic", "'astore'"});
}

TEST(CheckSupported, RefusesExceptionHandling) {
  expectRefused(withStart(R"((tag $e (param i32))
      (func $catcher (result i32)
        (try (result i32) (do (throw $e (i32.const 1))) (catch $e (pop i32)))))"),
                {"exception handling", "'catcher'"});
  expectRefused(withStart("(tag $e) (func $thrower (throw $e))"), {"exception handling", "'thrower'"});
}

TEST(CheckSupported, RefusesTailCalls) {
  expectRefused(withStart("(func $g (result i32) (i32.const 1)) (func $tailer (result i32) (return_call $g))"),
                {"tail call", "'tailer'"});
  expectRefused(withStart(R"((type $t (func)) (table 1 funcref)
      (func $tail_indirect (return_call_indirect (type $t) (i32.const 0))))"),
                {"tail call", "'tail_indirect'"});
}

TEST(CheckSupported, RefusesReferenceTypedState) {
  expectRefused(withStart("(global $r (mut externref) (ref.null extern))"), {"mutable global", "'r'"});
  expectRefused(withStart("(func $holder (local $x externref))"), {"local of type", "'holder'"});
}

TEST(CheckSupported, RefusesDataDrop) {
  expectRefused(withStart(R"((memory 1) (data $d "hi") (func $dropper (data.drop $d)))"), {"data.drop", "'dropper'"});
}

TEST(CheckSupported, RefusalLeavesNoMetadata) {
  auto module = parseText(withStart("(func $g (result i32) (i32.const 1)) (func $tailer (result i32) (return_call $g))"));
  try {
    instrumentModule(*module, InstrumentOptions{});
    ADD_FAILURE() << "instrumented; expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unsupported feature: tail calls (return_call) in function 'tailer'"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(ModuleMetadata::fromModule(*module).has_value());
}

// CheckSupported alone on each case of tests/passes/golden/check_supported.input.wat (a module
// after each ";; case NAME" line): "NAME: MESSAGE" per case, or "NAME: accepted", compared with
// golden/check_supported.txt.
TEST(CheckSupported, GoldenRefusals) {
  std::istringstream input(test::goldenText("check_supported.input.wat"));
  std::vector<std::pair<std::string, std::string>> cases; // name, module text
  const std::string marker = ";; case ";
  for (std::string line; std::getline(input, line);) {
    if (line.rfind(marker, 0) == 0) cases.emplace_back(line.substr(marker.size()), "");
    else if (!cases.empty()) cases.back().second += line + "\n";
  }
  ASSERT_GE(cases.size(), 2u);
  std::string actual;
  for (auto& [name, text] : cases) {
    auto module = parseText(text, name.c_str());
    std::string outcome = "accepted";
    try {
      checkSupported(*module);
    } catch (const Error& e) {
      outcome = e.what();
    }
    actual += name + ": " + outcome + "\n";
  }
  EXPECT_EQ(actual, test::golden("check_supported.txt", actual));
}
