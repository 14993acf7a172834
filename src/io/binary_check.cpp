// A walk over a binary module's sections and function bodies, before Binaryen reads it: see
// binary_check.h for what it refuses. It decodes every instruction's immediates to follow the
// nesting: the instruction set Binaryen 108 reads, except typed function references and GC
// (call_ref, let, br_on_null, ref.eq, the 0xfb prefix, ...), which the tool does not support
// and Binaryen reads even where V8 refuses them.
#include "io/binary_check.h"

#include "io/binary_cursor.h"
#include "io/binary_sections.h"

#include <map>
#include <string>

#include <fmt/format.h>

#include "support/printable.h"
#include "wasm_ckpt/error.h"

namespace wasm_ckpt {

namespace {
enum Section : uint8_t { Custom = 0, Import = 2, Function = 3, Table = 4, Memory = 5, Global = 6,
                         Export = 7, Code = 10, Tag = 13 };
enum ExternalKind : uint8_t { FunctionKind = 0, TableKind = 1, MemoryKind = 2, GlobalKind = 3, TagKind = 4 };
const char* kKindNames[] = {"function", "table", "memory", "global", "tag"};

bool isUtf8(const std::string& s) {
  size_t i = 0, n = s.size();
  auto cont = [&](size_t at) { return at < n && (uint8_t(s[at]) & 0xc0) == 0x80; };
  while (i < n) {
    uint8_t c = uint8_t(s[i]);
    if (c < 0x80) {
      i++;
    } else if (c >= 0xc2 && c <= 0xdf) {
      if (!cont(i + 1)) return false;
      i += 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      if (!cont(i + 1) || !cont(i + 2)) return false;
      uint8_t c1 = uint8_t(s[i + 1]);
      if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 >= 0xa0)) return false; // overlong, surrogate
      i += 3;
    } else if (c >= 0xf0 && c <= 0xf4) {
      if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return false;
      uint8_t c1 = uint8_t(s[i + 1]);
      if ((c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 >= 0x90)) return false; // overlong, > U+10FFFF
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}

// Value types as Binaryen 108 encodes them: a negative s33 code; typed references and run-time
// types carry a heap type (and a depth) after it.
bool skipValueType(Cursor& in, int64_t code) {
  if (code >= 0) return false; // a type index: only a block type may be one
  switch (code) {
    case -0x14: // (ref null ht)
    case -0x15: // (ref ht)
    case -0x18: // (rtt ht)
      in.sleb(33);
      return true;
    case -0x17: // (rtt n ht)
      in.u32();
      in.sleb(33);
      return true;
    default: return true; // Binaryen's reader refuses codes it does not know
  }
}

void skipMemarg(Cursor& in) {
  uint32_t align = in.u32();
  if (align & 0x40) in.u32(); // memory index (multi-memory)
  in.uleb(64);
}

} // namespace

void skipLimits(Cursor& in) {
  uint8_t flags = in.byte();
  unsigned bits = (flags & 4) ? 64 : 32;
  in.uleb(bits);
  if (flags & 1) in.uleb(bits);
}

void checkValueType(Cursor& in, const std::string& what) {
  int64_t type = in.sleb(33);
  if (!skipValueType(in, type))
    throw Error(fmt::format("invalid module: {} has type 0x{:02x}, which is not a value type", what, uint64_t(type) & 0x7f));
}

namespace {
struct ModuleCounts {
  ImportCounts imported{};
  uint64_t defined[5] = {0, 0, 0, 0, 0};
  std::map<uint64_t, std::string> functionNames; // from the name section
};

class BodyChecker {
public:
  // `where`: "function 'name' (#index)", or what else holds the expression, for messages.
  BodyChecker(Cursor body, std::string where) : in(body), where(std::move(where)) {}

  void check() {
    uint64_t locals = 0;
    for (uint32_t groups = in.u32(); groups > 0; groups--) {
      locals += in.u32();
      if (locals > kMaxLocalsPerFunction)
        throw Error(fmt::format("{} declares more than {} locals", where, kMaxLocalsPerFunction));
      int64_t type = in.sleb(33);
      if (!skipValueType(in, type))
        throw Error(fmt::format("invalid module: {} declares a local of type 0x{:02x}, which is not a value type", where,
                                uint64_t(type) & 0x7f));
    }
    expression();
    if (!in.atEnd()) in.malformed();
  }

  // Decodes instructions up to the `end` of the expression (a body, or a global's initializer).
  void expression() {
    uint32_t depth = 1;
    while (depth > 0) depth = instruction(depth);
  }
  size_t position() const { return in.pos; }

private:
  Cursor in;
  std::string where;

  uint32_t open(uint32_t depth) {
    int64_t type = in.sleb(33);
    if (type != -0x40) skipValueType(in, type);
    if (depth > kMaxNestingDepth)
      throw Error(fmt::format("{} nests blocks, loops and ifs more than {} deep", where, kMaxNestingDepth));
    return depth + 1;
  }

  [[noreturn]] void unknown(const std::string& opcode) {
    throw Error(fmt::format("invalid module: unknown or unsupported instruction {} in {} (at byte {})", opcode, where,
                            in.pos - 1));
  }

  // Decodes one instruction; returns the nesting depth after it.
  uint32_t instruction(uint32_t depth) {
    uint8_t op = in.byte();
    switch (op) {
      case 0x02: case 0x03: case 0x04: case 0x06: return open(depth); // block loop if try
      case 0x0b: return depth - 1;                                     // end
      case 0x18: in.u32(); return depth - 1;                           // delegate: ends a try
      case 0x00: case 0x01: case 0x05: case 0x0f: case 0x19: case 0x1a: case 0x1b: case 0xd1: return depth;
      case 0x07: case 0x08: case 0x09: case 0x0c: case 0x0d: case 0x10: case 0x12: case 0xd2: case 0x3f: case 0x40:
        in.u32();
        return depth;
      case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26: in.u32(); return depth;
      case 0x11: case 0x13: in.u32(); in.u32(); return depth;
      case 0x0e: // br_table
        for (uint64_t n = uint64_t(in.u32()) + 1; n > 0; n--) in.u32();
        return depth;
      case 0x1c: // select with types
        for (uint32_t n = in.u32(); n > 0; n--) skipValueType(in, in.sleb(33));
        return depth;
      case 0x41: in.sleb(32); return depth;
      case 0x42: in.sleb(64); return depth;
      case 0x43: in.skip(4); return depth;
      case 0x44: in.skip(8); return depth;
      case 0xd0: in.sleb(33); return depth; // ref.null heap type
      case 0xfc: misc(); return depth;
      case 0xfd: simd(); return depth;
      case 0xfe: atomic(); return depth;
      default:
        if (op >= 0x28 && op <= 0x3e) {
          skipMemarg(in);
          return depth;
        }
        if (op >= 0x45 && op <= 0xc4) return depth; // numeric, no immediates
        unknown(fmt::format("0x{:02x}", op));
    }
  }

  void misc() {
    uint32_t op = in.u32();
    if (op <= 7) return; // saturating truncations
    switch (op) {
      case 8: in.u32(); in.u32(); return;   // memory.init
      case 9: in.u32(); return;             // data.drop
      case 10: in.u32(); in.u32(); return;  // memory.copy
      case 11: in.u32(); return;            // memory.fill
      case 12: in.u32(); in.u32(); return;  // table.init
      case 13: in.u32(); return;            // elem.drop
      case 14: in.u32(); in.u32(); return;  // table.copy
      case 15: case 16: case 17: in.u32(); return; // table.grow, size, fill
      default: unknown(fmt::format("0xfc {}", op));
    }
  }

  void simd() {
    uint32_t op = in.u32();
    if (op <= 0x0b || op == 0x5c || op == 0x5d) {
      skipMemarg(in);
    } else if (op == 0x0c || op == 0x0d) {
      in.skip(16); // v128.const, i8x16.shuffle
    } else if (op >= 0x15 && op <= 0x22) {
      in.byte(); // lane
    } else if (op >= 0x54 && op <= 0x5b) {
      skipMemarg(in);
      in.byte(); // lane
    }
  }

  void atomic() {
    uint32_t op = in.u32();
    if (op == 0x03) {
      in.byte(); // atomic.fence
    } else {
      skipMemarg(in);
    }
  }
};

} // namespace

void skipExpression(Cursor& in, const std::string& what) {
  BodyChecker expression(in, what);
  expression.expression();
  in.pos = expression.position();
}

namespace {
std::string describeFunction(const ModuleCounts& counts, uint64_t index) {
  auto named = counts.functionNames.find(index);
  if (named == counts.functionNames.end()) return fmt::format("function #{}", index);
  return fmt::format("function '{}' (#{})", printableName(named->second), index);
}

} // namespace

ImportCounts countImports(Cursor in) {
  ImportCounts counts{};
  for (uint32_t n = in.u32(); n > 0; n--) {
    std::string module = in.name(), field = in.name();
    if (!isUtf8(module) || !isUtf8(field))
      throw Error("invalid module: the name of import '" + printableName(module) + "' '" + printableName(field) +
                  "' is not UTF-8");
    uint8_t kind = in.byte();
    switch (kind) {
      case FunctionKind: in.u32(); break;
      case TableKind: skipValueType(in, in.sleb(33)); skipLimits(in); break;
      case MemoryKind: skipLimits(in); break;
      case GlobalKind: checkValueType(in, "imported global '" + printableName(field) + "'"); in.byte(); break;
      case TagKind: in.byte(); in.u32(); break;
      default: throw Error(fmt::format("invalid module: import '{}' '{}' of unknown kind {}", printableName(module),
                                       printableName(field), kind));
    }
    counts[kind]++;
  }
  return counts;
}

namespace {

void readGlobals(Cursor in, ModuleCounts& counts) {
  uint32_t n = in.u32();
  for (uint32_t i = 0; i < n; i++) {
    std::string which = fmt::format("global #{}", counts.imported[GlobalKind] + i);
    checkValueType(in, which);
    in.byte(); // mutability
    skipExpression(in, "the initializer of " + which);
  }
  counts.defined[GlobalKind] = n;
}

void readExports(Cursor in, const ModuleCounts& counts) {
  for (uint32_t n = in.u32(); n > 0; n--) {
    std::string name = in.name();
    if (!isUtf8(name)) throw Error("invalid module: export name '" + printableName(name) + "' is not UTF-8");
    uint8_t kind = in.byte();
    uint32_t index = in.u32();
    if (kind > TagKind) throw Error(fmt::format("invalid module: export '{}' of unknown kind {}", printableName(name), kind));
    uint64_t total = counts.imported[kind] + counts.defined[kind];
    if (index >= total)
      throw Error(fmt::format("invalid module: export '{}' names {} {}, but the module has {} {}{}", printableName(name),
                              kKindNames[kind], index, total, kKindNames[kind], total == 1 ? "" : "s"));
  }
}

// Function names, for messages only: a damaged name section is Binaryen's to report.
void readFunctionNames(Cursor in, ModuleCounts& counts) {
  try {
    while (!in.atEnd()) {
      uint8_t id = in.byte();
      Cursor sub = in.sub(in.u32(), "name section");
      if (id != 1) continue;
      for (uint32_t n = sub.u32(); n > 0; n--) {
        uint32_t index = sub.u32();
        counts.functionNames[index] = sub.name();
      }
    }
  } catch (const Error&) {
  }
}

void readCode(Cursor in, const ModuleCounts& counts) {
  uint64_t first = counts.imported[FunctionKind];
  uint32_t bodies = in.u32();
  for (uint32_t i = 0; i < bodies; i++) {
    Cursor body = in.sub(in.u32(), "function body");
    BodyChecker(body, describeFunction(counts, first + i)).check();
  }
}
} // namespace

std::map<uint64_t, std::string> checkBinaryModule(const std::vector<char>& bytes) {
  auto sections = binarySections(bytes);
  auto payload = [&](const SectionSpan& span, const char* what) {
    return Cursor{reinterpret_cast<const uint8_t*>(bytes.data()), span.payload, span.end, what};
  };
  ModuleCounts counts;
  // The name section follows the code section: find it first, for the messages.
  for (auto& span : sections) {
    if (span.id == Custom && span.name == "name") readFunctionNames(payload(span, "name section"), counts);
  }
  // Where each known section may stand: type, import, function, table, memory, tag, global,
  // export, start, element, data count, code, data; each at most once.
  static const int kRank[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
  int lastRank = 0;
  for (auto& span : sections) {
    uint8_t id = span.id;
    Cursor section = payload(span, "section");
    if (id > Tag) throw Error(fmt::format("invalid module: unknown section id {} (at byte {})", id, section.pos));
    if (id != Custom) {
      if (kRank[id] <= lastRank)
        throw Error(fmt::format("invalid module: section id {} out of order or repeated (at byte {})", id, section.pos));
      lastRank = kRank[id];
    }
    switch (id) {
      case Custom:
        if (!isUtf8(span.name)) throw Error("invalid module: custom section name '" + printableName(span.name) + "' is not UTF-8");
        break;
      case Import: section.what = "import section"; counts.imported = countImports(section); break;
      case Function: section.what = "function section"; counts.defined[FunctionKind] = section.u32(); break;
      case Table: section.what = "table section"; counts.defined[TableKind] = section.u32(); break;
      case Memory: section.what = "memory section"; counts.defined[MemoryKind] = section.u32(); break;
      case Global: section.what = "global section"; readGlobals(section, counts); break;
      case Tag: section.what = "tag section"; counts.defined[TagKind] = section.u32(); break;
      case Export: section.what = "export section"; readExports(section, counts); break;
      case Code: section.what = "code section"; readCode(section, counts); break;
      default: break; // Binaryen checks the other sections (and refuses unknown ids)
    }
  }
  return counts.functionNames;
}

void checkTextModule(const std::string& text) {
  uint32_t depth = 0;
  for (size_t i = 0, n = text.size(); i < n; i++) {
    char c = text[i];
    if (c == '"') { // a string, with backslash escapes
      for (i++; i < n && text[i] != '"'; i++) i += text[i] == '\\';
    } else if (c == ';' && i + 1 < n && text[i + 1] == ';') { // a line comment
      while (i < n && text[i] != '\n') i++;
    } else if (c == '(' && i + 1 < n && text[i + 1] == ';') { // a block comment, nestable
      uint32_t comments = 1;
      for (i += 2; i < n && comments > 0; i++) {
        if (text[i] == '(' && i + 1 < n && text[i + 1] == ';') comments++, i++;
        else if (text[i] == ';' && i + 1 < n && text[i + 1] == ')') comments--, i++;
      }
      i--;
    } else if (c == '(') {
      if (++depth > kMaxTextNestingDepth)
        throw Error(fmt::format("the text module nests parentheses more than {} deep", kMaxTextNestingDepth));
    } else if (c == ')' && depth > 0) {
      depth--;
    }
  }
}

} // namespace wasm_ckpt
