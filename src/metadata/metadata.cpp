// The "wasm-ckpt" custom section: a small versioned binary record (little-endian integers,
// support/le_codec.h, and length-prefixed strings) describing frames and globals for `resume` and `inspect`.
#include "wasm_ckpt/metadata.h"

#include <cstring>
#include <iterator>

#include "wasm.h"

#include "support/le_codec.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/snapshot.h"
#include "wasm_ckpt/snapshot_layout.h"

namespace wasm_ckpt {

uint32_t valueKindSize(ValueKind kind) {
  switch (kind) {
    case ValueKind::I32:
    case ValueKind::F32: return 4;
    case ValueKind::I64:
    case ValueKind::F64: return 8;
    case ValueKind::V128: return 16;
  }
  return 0;
}

ValueKind valueKindOf(const wasm::Type& type) {
  if (type == wasm::Type::i32) return ValueKind::I32;
  if (type == wasm::Type::i64) return ValueKind::I64;
  if (type == wasm::Type::f32) return ValueKind::F32;
  if (type == wasm::Type::f64) return ValueKind::F64;
  if (type == wasm::Type::v128) return ValueKind::V128;
  throw Error("internal error: a snapshot cannot hold a value of type " + type.toString());
}

wasm::Type typeOfValueKind(ValueKind kind) {
  switch (kind) {
    case ValueKind::I32: return wasm::Type::i32;
    case ValueKind::I64: return wasm::Type::i64;
    case ValueKind::F32: return wasm::Type::f32;
    case ValueKind::F64: return wasm::Type::f64;
    case ValueKind::V128: return wasm::Type::v128;
  }
  throw Error("internal error: unknown value kind");
}

const char* valueKindName(ValueKind kind) {
  static const char* names[] = {"i32", "i64", "f32", "f64", "v128"};
  return names[static_cast<int>(kind)];
}

uint32_t FrameLayout::payloadSize() const {
  uint32_t size = 0;
  for (auto kind : locals) size += valueKindSize(kind);
  return size;
}

uint32_t ModuleMetadata::globalsSize() const {
  uint32_t size = 0;
  for (auto& g : globals) size += valueKindSize(g.kind);
  return size;
}

namespace {
const char* const kCorrupted = "the module's wasm-ckpt section is corrupted";

// Provenance::rewindCopies in the section: 0 none, 1 all, 2 auto, 3 stored.
uint32_t rewindCopiesCode(RewindCopies copies) {
  switch (copies) {
    case RewindCopies::None: return 0;
    case RewindCopies::All: return 1;
    case RewindCopies::Auto: return 2;
    case RewindCopies::Stored: return 3;
  }
  return 1;
}
RewindCopies rewindCopiesFromCode(uint32_t code) {
  static const RewindCopies kByCode[] = {RewindCopies::None, RewindCopies::All, RewindCopies::Auto, RewindCopies::Stored};
  if (code >= std::size(kByCode)) throw Error(kCorrupted);
  return kByCode[code];
}

// The section's records: le_codec's integers, and strings prefixed with their u32 length.
struct Writer : LEWriter<char> {
  void str(const std::string& s) {
    u32(uint32_t(s.size()));
    bytes(s);
  }
};

struct Reader : LEReader {
  explicit Reader(const std::vector<char>& in) : LEReader(in.data(), in.size(), kCorrupted) {}
  std::string str() {
    uint32_t n = u32();
    auto* p = take(n);
    return std::string(p, p + n);
  }
  ValueKind kind() {
    uint32_t k = u32();
    if (k > uint32_t(ValueKind::V128)) throw Error(kCorrupted);
    return ValueKind(k);
  }
};
} // namespace

std::vector<char> ModuleMetadata::serialize() const {
  Writer w;
  w.u32(kFormatVersion);
  w.u64(moduleHash);
  w.str(strategy);
  w.u32(uint32_t(functions.size()));
  for (auto& f : functions) {
    w.str(f.name);
    w.u32(f.functionIndex);
    w.u32(f.rewindIndex);
    w.u32(uint32_t(f.locals.size()));
    for (auto k : f.locals) w.u32(uint32_t(k));
    w.u32(uint32_t(f.resumePoints.size()));
    for (auto& r : f.resumePoints) {
      w.u32(uint32_t(r.kind));
      w.u32(r.callee);
      w.str(r.description);
    }
  }
  w.u32(uint32_t(restoreOnly.size()));
  for (auto index : restoreOnly) w.u32(index);
  w.u32(uint32_t(globals.size()));
  for (auto& g : globals) {
    w.str(g.name);
    w.u32(g.index);
    w.u32(uint32_t(g.kind));
  }
  w.u32(runtime.moduleHashGlobal);
  w.u32(runtime.bakedSizeGlobal);
  w.u32(runtime.flagsGlobal);
  w.u32(runtime.bakedSegment);
  w.u32(memoryLimitPages);
  auto& made = provenance;
  w.str(made.toolVersion);
  w.u64(made.sourceHash);
  w.u32(made.optimizeLevel);
  w.u32(rewindCopiesCode(made.rewindCopies));
  w.u32(made.hugeFunctionSize);
  w.u64(made.pollFreeWork);
  for (auto* patterns : {&made.functions, &made.exclude}) {
    w.u32(uint32_t(patterns->size()));
    for (auto& pattern : *patterns) w.str(pattern);
  }
  w.u64(made.contentHash);
  return w.out;
}

ModuleMetadata ModuleMetadata::deserialize(const std::vector<char>& bytes) {
  Reader r{bytes};
  if (r.u32() != kFormatVersion) throw Error("the module was instrumented by an incompatible wasm-ckpt version");
  ModuleMetadata m;
  m.moduleHash = r.u64();
  m.strategy = r.str();
  uint32_t count = r.u32();
  for (uint32_t i = 0; i < count; i++) {
    FrameLayout f;
    f.name = r.str();
    f.functionIndex = r.u32();
    f.rewindIndex = r.u32();
    uint32_t locals = r.u32();
    r.need(size_t(locals) * 4);
    for (uint32_t j = 0; j < locals; j++) f.locals.push_back(r.kind());
    uint32_t points = r.u32();
    r.need(size_t(points) * 12); // kind, callee and the description's length, at least
    for (uint32_t j = 0; j < points; j++) {
      ResumePoint point;
      uint32_t kind = r.u32();
      if (kind > uint32_t(ResumeKind::CallIndirect)) throw Error("the module's wasm-ckpt section is corrupted");
      point.kind = ResumeKind(kind);
      point.callee = r.u32();
      point.description = r.str();
      f.resumePoints.push_back(std::move(point));
    }
    m.functions.push_back(std::move(f));
  }
  count = r.u32();
  r.need(size_t(count) * 4);
  for (uint32_t i = 0; i < count; i++) m.restoreOnly.push_back(r.u32());
  count = r.u32();
  for (uint32_t i = 0; i < count; i++) {
    SavedGlobal g;
    g.name = r.str();
    g.index = r.u32();
    g.kind = r.kind();
    m.globals.push_back(std::move(g));
  }
  m.runtime.moduleHashGlobal = r.u32();
  m.runtime.bakedSizeGlobal = r.u32();
  m.runtime.flagsGlobal = r.u32();
  m.runtime.bakedSegment = r.u32();
  m.memoryLimitPages = r.u32();
  if (m.memoryLimitPages == 0 || m.memoryLimitPages > kMaxMemoryPages) throw Error(kCorrupted);
  auto& made = m.provenance;
  made.toolVersion = r.str();
  made.sourceHash = r.u64();
  made.optimizeLevel = r.u32();
  made.rewindCopies = rewindCopiesFromCode(r.u32());
  made.hugeFunctionSize = r.u32();
  made.pollFreeWork = r.u64();
  for (auto* patterns : {&made.functions, &made.exclude}) {
    uint32_t n = r.u32();
    for (uint32_t i = 0; i < n; i++) patterns->push_back(r.str());
  }
  made.contentHash = r.u64();
  if (!r.atEnd()) throw Error(kCorrupted);
  return m;
}

void ModuleMetadata::checkSnapshot(const Snapshot& snapshot) const {
  if (snapshot.moduleHash != moduleHash) throw Error("the snapshot was taken from another module");
  if (snapshot.memoryPages > memoryLimitPages)
    throw Error("the snapshot holds more memory than the program may have (" + std::to_string(snapshot.memoryPages) +
                " pages, the module's maximum is " + std::to_string(memoryLimitPages) + ")");
  if (snapshot.globals.size() != globalsSize()) throw Error("the snapshot's globals do not match the module");
  // A restore reads each frame record, and the globals, to address FRAME_READ_AT of the
  // checkpointed memory (with 16 bytes to spare) before it rewrites all of memory.
  uint64_t memoryBytes = uint64_t(snapshot.memoryPages) * kPageBytes;
  if (uint64_t(FRAME_READ_AT) + globalsSize() + 16 > memoryBytes)
    throw Error("the snapshot's memory is too small to restore the globals");
  for (size_t i = 0; i < snapshot.frames.size(); i++) {
    auto& frame = snapshot.frames[i];
    std::string which = "snapshot frame #" + std::to_string(i);
    if (frame.function >= functions.size()) throw Error(which + " names no instrumented function");
    auto& layout = functions[frame.function];
    std::string function = " (function '" + layout.name + "')";
    if (frame.payload.size() != layout.payloadSize())
      throw Error(which + " holds " + std::to_string(frame.payload.size()) + " bytes of locals, the function " +
                  std::to_string(layout.payloadSize()) + function);
    if (frame.resumeId == 0 || frame.resumeId > layout.resumePoints.size())
      throw Error(which + " resumes at point " + std::to_string(frame.resumeId) + ", the function has " +
                  std::to_string(layout.resumePoints.size()) + function);
    // The innermost frame stopped at a poll point; each other frame at a call into the next.
    bool innermost = i + 1 == snapshot.frames.size();
    auto& point = layout.resumePoints[frame.resumeId - 1];
    bool atPoll = point.kind == ResumeKind::Poll;
    if (innermost != atPoll)
      throw Error(which + " resumes at '" + point.description + "', but the " +
                  (innermost ? "innermost frame must resume at a poll point" : "frames outside the innermost must resume at a call") +
                  function);
    if (!innermost && point.kind == ResumeKind::Call) {
      auto next = snapshot.frames[i + 1].function;
      if (next < functions.size() && functions[next].functionIndex != point.callee)
        throw Error(which + " resumes at '" + point.description + "', a call to function " + std::to_string(point.callee) +
                    ", but the next frame is of function " + std::to_string(functions[next].functionIndex) + " ('" +
                    functions[next].name + "')" + function);
    }
    if (uint64_t(FRAME_READ_AT) + FRAME_HEADER_SIZE + frame.payload.size() + 16 > memoryBytes)
      throw Error("the snapshot's memory is too small to restore " + which + function);
  }
}

std::optional<ModuleMetadata> ModuleMetadata::fromModule(const wasm::Module& module) {
  for (auto& section : module.userSections) {
    if (section.name == kSectionName) return deserialize(section.data);
  }
  return std::nullopt;
}

void ModuleMetadata::storeInto(wasm::Module& module) const {
  for (auto& section : module.userSections) {
    if (section.name == kSectionName) {
      section.data = serialize();
      return;
    }
  }
  wasm::UserSection section;
  section.name = kSectionName;
  section.data = serialize();
  module.userSections.push_back(std::move(section));
}

} // namespace wasm_ckpt
