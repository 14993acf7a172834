// Sealing a written module: its wasm-ckpt section records the fingerprint of every other byte of
// the file. The module hash cannot serve: it is taken from Binaryen's IR before the section is
// added, and reading a module back and writing it again does not give the same bytes.
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

std::vector<char> without(const std::vector<char>& bytes, const SectionSpan* section) {
  if (!section) return bytes;
  std::vector<char> rest(bytes.begin(), bytes.begin() + section->start);
  rest.insert(rest.end(), bytes.begin() + section->end, bytes.end());
  return rest;
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
  return fingerprint(without(bytes, findSection(sections)));
}

void checkSeal(const std::vector<char>& bytes, const ModuleMetadata& metadata) {
  uint64_t sealed = metadata.provenance.contentHash;
  if (!sealed) throw Error("not sealed by `wasm-ckpt instrument` (its wasm-ckpt section records no content hash)");
  if (uint64_t hash = contentHash(bytes); hash != sealed)
    throw Error(fmt::format("changed since it was instrumented (its content hash is {:016x}, instrumentation recorded {:016x})",
                            hash, sealed));
}

std::vector<char> sealModuleBytes(const std::vector<char>& bytes) {
  auto sections = binarySections(bytes);
  auto* section = findSection(sections);
  if (!section) throw Error("internal error: sealing a module without a wasm-ckpt section");
  auto metadata = ModuleMetadata::deserialize(std::vector<char>(bytes.begin() + section->payload, bytes.begin() + section->end));
  metadata.provenance.contentHash = fingerprint(without(bytes, section));
  std::vector<char> sealed(bytes.begin(), bytes.begin() + section->start);
  auto replacement = customSectionBytes(ModuleMetadata::kSectionName, metadata.serialize());
  sealed.insert(sealed.end(), replacement.begin(), replacement.end());
  sealed.insert(sealed.end(), bytes.begin() + section->end, bytes.end());
  return sealed;
}

} // namespace wasm_ckpt
