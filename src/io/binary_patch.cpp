#include "io/binary_patch.h"

#include <fmt/format.h>

#include "io/binary_check.h"
#include "io/binary_cursor.h"
#include "io/binary_sections.h"
#include "wasm_ckpt/error.h"

namespace wasm_ckpt {

namespace {
enum Section : uint8_t { Custom = 0, Import = 2, Memory = 5, Global = 6, Code = 10, Data = 11 };
enum ExternalKind : uint8_t { FunctionKind = 0, MemoryKind = 2, GlobalKind = 3 };

void appendBytes(std::vector<char>& out, const Cursor& in, size_t from) {
  out.insert(out.end(), reinterpret_cast<const char*>(in.data + from), reinterpret_cast<const char*>(in.data + in.pos));
}

// `end`-terminated constant expression of the value.
void appendConstant(std::vector<char>& out, const ConstantValue& value) {
  auto le = [&](unsigned n) {
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) v |= uint64_t(value.bytes[i]) << (8 * i);
    return v;
  };
  auto raw = [&](unsigned n) { out.insert(out.end(), value.bytes.begin(), value.bytes.begin() + n); };
  switch (value.type) {
    case 0x7f: out.push_back(char(0x41)); appendSleb(out, int32_t(uint32_t(le(4)))); break;
    case 0x7e: out.push_back(char(0x42)); appendSleb(out, int64_t(le(8))); break;
    case 0x7d: out.push_back(char(0x43)); raw(4); break;
    case 0x7c: out.push_back(char(0x44)); raw(8); break;
    case 0x7b: out.push_back(char(0xfd)); appendUleb(out, 0x0c); raw(16); break;
    default: throw Error(fmt::format("internal error: a constant of value type 0x{:02x}", value.type));
  }
  out.push_back(char(0x0b));
}

std::vector<char> patchGlobals(Cursor in, uint32_t imported, const ModulePatch& patch, size_t& found) {
  std::vector<char> out;
  uint32_t count = in.u32();
  appendUleb(out, count);
  for (uint32_t i = 0; i < count; i++) {
    uint32_t index = imported + i;
    size_t start = in.pos;
    uint8_t type = in.byte();
    in.pos = start;
    checkValueType(in, fmt::format("global #{}", index));
    in.byte(); // mutability
    auto replaced = patch.globals.find(index);
    if (replaced == patch.globals.end()) {
      skipExpression(in, fmt::format("the initializer of global #{}", index));
      appendBytes(out, in, start);
      continue;
    }
    if (type != replaced->second.type)
      throw Error(fmt::format("global #{} is of value type 0x{:02x}, its new value of 0x{:02x}", index, type,
                              replaced->second.type));
    appendBytes(out, in, start);
    skipExpression(in, fmt::format("the initializer of global #{}", index));
    appendConstant(out, replaced->second);
    found++;
  }
  if (!in.atEnd()) in.malformed();
  return out;
}

std::vector<char> patchMemory(Cursor in, uint64_t minimum) {
  std::vector<char> out;
  uint32_t count = in.u32();
  if (count == 0) throw Error("the module defines no memory");
  appendUleb(out, count);
  uint8_t flags = in.byte();
  unsigned bits = (flags & 4) ? 64 : 32;
  uint64_t initial = std::max(in.uleb(bits), minimum);
  out.push_back(char(flags));
  appendUleb(out, initial);
  if (flags & 1) {
    uint64_t maximum = in.uleb(bits);
    if (initial > maximum)
      throw Error(fmt::format("the memory needs {} pages, more than its maximum of {}", initial, maximum));
    appendUleb(out, maximum);
  }
  size_t rest = in.pos;
  in.pos = in.end;
  appendBytes(out, in, rest);
  return out;
}

// Calls `each(function index, entry cursor)` for each entry of a Code section, whose first
// function has index `imported`; `each` reads the whole entry.
template <typename Each> void forEachBody(Cursor in, uint64_t imported, Each each) {
  uint32_t count = in.u32();
  for (uint32_t i = 0; i < count; i++) {
    uint32_t size = in.u32();
    each(uint32_t(imported + i), in.sub(size, "function body"));
  }
  if (!in.atEnd()) in.malformed();
}

std::vector<char> patchCode(Cursor in, uint64_t imported, const ModulePatch& patch, size_t& found) {
  std::vector<char> out;
  appendUleb(out, Cursor(in).u32()); // the count, read again by forEachBody
  forEachBody(in, imported, [&](uint32_t index, Cursor body) {
    auto replaced = patch.bodies.find(index);
    if (replaced == patch.bodies.end()) {
      appendUleb(out, body.end - body.pos);
      out.insert(out.end(), reinterpret_cast<const char*>(body.data + body.pos), reinterpret_cast<const char*>(body.data + body.end));
      return;
    }
    appendUleb(out, replaced->second.size());
    out.insert(out.end(), replaced->second.begin(), replaced->second.end());
    found++;
  });
  return out;
}

std::vector<char> patchData(Cursor in, uint32_t segment, const std::vector<uint8_t>& bytes) {
  std::vector<char> out;
  uint32_t count = in.u32();
  if (segment >= count) throw Error(fmt::format("the module has no data segment #{}", segment));
  appendUleb(out, count);
  for (uint32_t i = 0; i < count; i++) {
    size_t start = in.pos;
    uint32_t flags = in.u32();
    if (flags == 2) in.u32(); // memory index
    if (flags == 0 || flags == 2) skipExpression(in, fmt::format("the offset of data segment #{}", i));
    if (flags > 2) in.malformed();
    in.skip(in.u32());
    if (i != segment) {
      appendBytes(out, in, start);
      continue;
    }
    if (flags != 1) throw Error(fmt::format("data segment #{} is not passive", segment));
    appendUleb(out, 1);
    appendUleb(out, bytes.size());
    out.insert(out.end(), bytes.begin(), bytes.end());
  }
  if (!in.atEnd()) in.malformed();
  return out;
}

Cursor payloadOf(const std::vector<char>& bytes, const SectionSpan& span, const char* what) {
  return Cursor{reinterpret_cast<const uint8_t*>(bytes.data()), span.payload, span.end, what};
}

ImportCounts importsOf(const std::vector<char>& bytes, const std::vector<SectionSpan>& sections) {
  ImportCounts imports{};
  for (auto& span : sections) {
    if (span.id == Import) imports = countImports(payloadOf(bytes, span, "import section"));
  }
  return imports;
}
} // namespace

std::vector<char> patchModule(const std::vector<char>& bytes, const ModulePatch& patch) {
  auto sections = binarySections(bytes);
  auto payload = [&](const SectionSpan& span, const char* what) { return payloadOf(bytes, span, what); };
  ImportCounts imports = importsOf(bytes, sections);
  uint64_t importedGlobals = imports[GlobalKind];
  if (patch.memoryMinimum && imports[MemoryKind]) throw Error("the module's memory is imported");
  size_t globalsImported = 0, globalsFound = 0, bodiesFound = 0;
  for (auto& [index, value] : patch.globals) {
    if (index < importedGlobals) globalsImported++;
  }
  bool memoryFound = false, segmentFound = false;
  std::set<std::string> customFound;
  std::vector<char> out(bytes.begin(), bytes.begin() + 8);
  out.reserve(bytes.size() + patch.segmentBytes.size() + 64);
  for (auto& span : sections) {
    std::vector<char> replaced;
    if (span.id == Global && !patch.globals.empty()) {
      replaced = sectionBytes(Global, patchGlobals(payload(span, "global section"), uint32_t(importedGlobals), patch, globalsFound));
    } else if (span.id == Memory && patch.memoryMinimum) {
      replaced = sectionBytes(Memory, patchMemory(payload(span, "memory section"), patch.memoryMinimum));
      memoryFound = true;
    } else if (span.id == Data && patch.segment) {
      replaced = sectionBytes(Data, patchData(payload(span, "data section"), *patch.segment, patch.segmentBytes));
      segmentFound = true;
    } else if (span.id == Code && !patch.bodies.empty()) {
      replaced = sectionBytes(Code, patchCode(payload(span, "code section"), imports[FunctionKind], patch, bodiesFound));
    } else if (span.id == Custom && patch.customSections.count(span.name)) {
      if (!customFound.insert(span.name).second) throw Error("the module has two custom sections named " + span.name);
      replaced = customSectionBytes(span.name, patch.customSections.at(span.name));
    } else {
      out.insert(out.end(), bytes.begin() + span.start, bytes.begin() + span.end);
      continue;
    }
    out.insert(out.end(), replaced.begin(), replaced.end());
  }
  for (auto& [name, payload] : patch.customSections) {
    if (customFound.count(name)) continue;
    auto added = customSectionBytes(name, payload);
    out.insert(out.end(), added.begin(), added.end());
  }
  if (globalsImported + globalsFound != patch.globals.size())
    throw Error(fmt::format("the module has no global #{}", patch.globals.rbegin()->first));
  if (patch.memoryMinimum && !memoryFound) throw Error("the module defines no memory");
  if (patch.segment && !segmentFound) throw Error(fmt::format("the module has no data segment #{}", *patch.segment));
  if (bodiesFound != patch.bodies.size())
    throw Error(fmt::format("the module defines no function #{}", patch.bodies.rbegin()->first));
  return out;
}

std::map<uint32_t, std::vector<char>> functionBodies(const std::vector<char>& bytes, const std::set<uint32_t>& indices) {
  auto sections = binarySections(bytes);
  ImportCounts imports = importsOf(bytes, sections);
  std::map<uint32_t, std::vector<char>> bodies;
  for (auto& span : sections) {
    if (span.id != Code) continue;
    forEachBody(payloadOf(bytes, span, "code section"), imports[FunctionKind], [&](uint32_t index, Cursor body) {
      if (indices.count(index))
        bodies[index].assign(reinterpret_cast<const char*>(body.data + body.pos), reinterpret_cast<const char*>(body.data + body.end));
    });
  }
  for (uint32_t index : indices) {
    if (!bodies.count(index)) throw Error(fmt::format("the module defines no function #{}", index));
  }
  return bodies;
}

} // namespace wasm_ckpt
