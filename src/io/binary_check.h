// Checks of a module's bytes made before Binaryen reads them: what Binaryen 108's reader lets
// through although engines refuse it, and what it cannot survive (its binary reader allocates
// every declared local up front and recurses once per nested block, loop, if or try; its text
// parser recurses once per parenthesis).
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace wasm_ckpt {
struct Cursor;

// Locals a function may declare (its parameters not included): V8's limit.
constexpr uint64_t kMaxLocalsPerFunction = 50000;
// Blocks, loops, ifs and trys nested inside one another in one function. Binaryen's reader and
// passes recurse per level; the tool's stack holds well over this (docs/limits.md).
constexpr uint32_t kMaxNestingDepth = 5000;
// Parentheses nested inside one another in a text module (folded expressions nest too).
constexpr uint32_t kMaxTextNestingDepth = 10000;

// Throws Error, naming the problem and the function (by name-section name, escaped, and index),
// for: names of imports, exports and custom sections that are not UTF-8; export indices out of
// range; local types that are not value types; more than kMaxLocalsPerFunction locals; nesting
// deeper than kMaxNestingDepth; malformed sections and function bodies. Returns the function
// names of the name section, as they are there (bytes), by function index.
std::map<uint64_t, std::string> checkBinaryModule(const std::vector<char>& bytes);
// Pieces of that walk for the other readers of module bytes (binary_patch.cpp). Each skips what
// it names at the cursor, throwing Error if it is malformed: a value type (`what` names its holder
// in the message), a memory's or a table's limits, and an expression up to its `end` (a global's
// initializer, an active segment's offset).
void checkValueType(Cursor& in, const std::string& what);
void skipLimits(Cursor& in);
void skipExpression(Cursor& in, const std::string& what);
// The imports of an import section by kind (function, table, memory, global, tag), their names
// and types checked as checkBinaryModule checks them.
using ImportCounts = std::array<uint64_t, 5>;
ImportCounts countImports(Cursor in);

// Throws Error if the text nests parentheses deeper than kMaxTextNestingDepth.
void checkTextModule(const std::string& text);

} // namespace wasm_ckpt
