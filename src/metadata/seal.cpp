// Sealing a written module: its wasm-ckpt section records the fingerprint of every other byte of
// the file. The module hash cannot serve: it is taken from Binaryen's IR before the section is
// added, and reading a module back and writing it again does not give the same bytes.
#include <algorithm>

#include <fmt/format.h>

#include "io/binary_sections.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/hash.h"
#include "wasm_ckpt/metadata.h"

namespace wasm_ckpt {

namespace {
const SectionSpan* findSection(const std::vector<SectionSpan>& sections) {
  const SectionSpan* found = nullptr;
  for (auto& s : sections) {
    if (s.id != 0 || s.name != ModuleMetadata::kSectionName) continue;
    if (found) throw Error("the module has two wasm-ckpt sections");
    found = &s;
  }
  return found;
}

// fingerprint() of the bytes other than `section`'s (all of them without one).
uint64_t hashWithout(const std::vector<char>& bytes, const SectionSpan* section) {
  const char *begin = bytes.data(), *end = begin + bytes.size();
  if (!section) return fingerprintOf({{begin, end}});
  return fingerprintOf({{begin, begin + section->start}, {begin + section->end, end}});
}
} // namespace

std::optional<ModuleMetadata> metadataOfBinary(const std::vector<char>& bytes) {
  auto sections = binarySections(bytes);
  auto* section = findSection(sections);
  if (!section) return std::nullopt;
  return ModuleMetadata::deserialize(std::vector<char>(bytes.begin() + section->payload, bytes.begin() + section->end));
}

uint64_t contentHash(const std::vector<char>& bytes) {
  auto sections = binarySections(bytes);
  return hashWithout(bytes, findSection(sections));
}

void checkSeal(const std::vector<char>& bytes, const ModuleMetadata& metadata) {
  uint64_t sealed = metadata.provenance.contentHash;
  if (!sealed) throw Error("not sealed by `wasm-ckpt instrument` (its wasm-ckpt section records no content hash)");
  if (uint64_t hash = contentHash(bytes); hash != sealed)
    throw Error(fmt::format("changed since it was instrumented (its content hash is {:016x}, instrumentation recorded {:016x})",
                            hash, sealed));
}

std::vector<char> sealModuleBytes(std::vector<char> bytes) {
  auto sections = binarySections(bytes);
  auto* section = findSection(sections);
  if (!section) throw Error("internal error: sealing a module without a wasm-ckpt section");
  auto metadata = ModuleMetadata::deserialize(std::vector<char>(bytes.begin() + section->payload, bytes.begin() + section->end));
  metadata.provenance.contentHash = hashWithout(bytes, section);
  auto replacement = customSectionBytes(ModuleMetadata::kSectionName, metadata.serialize());
  // The hash has a fixed size, so the section keeps its size and is rewritten in place (a baked
  // module is mostly its snapshot: no copy of it).
  if (replacement.size() == section->end - section->start) {
    std::copy(replacement.begin(), replacement.end(), bytes.begin() + section->start);
    return bytes;
  }
  std::vector<char> sealed(bytes.begin(), bytes.begin() + section->start);
  sealed.insert(sealed.end(), replacement.begin(), replacement.end());
  sealed.insert(sealed.end(), bytes.begin() + section->end, bytes.end());
  return sealed;
}

} // namespace wasm_ckpt
