// What an instrumented module says about itself, in its "wasm-ckpt" custom section: which
// functions carry frames, the layout of their locals, their resume points, and which globals a
// snapshot stores. Written by `instrument`, read by `resume` and `inspect`.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wasm_ckpt/options.h"
#include "wasm_ckpt/snapshot.h"

namespace wasm {
class Module;
class Type;
}

namespace wasm_ckpt {

enum class ValueKind : uint8_t { I32 = 0, I64 = 1, F32 = 2, F64 = 3, V128 = 4 };
uint32_t valueKindSize(ValueKind kind);
// Throws Error for a type a snapshot cannot hold (references, tuples).
ValueKind valueKindOf(const wasm::Type& type);
wasm::Type typeOfValueKind(ValueKind kind);
const char* valueKindName(ValueKind kind);

// Where a frame can stop and continue: at a poll point, or at a call that may unwind (a call to
// an instrumented function, or a call_indirect whose targets may include one).
enum class ResumeKind : uint8_t { Poll = 0, Call = 1, CallIndirect = 2 };

struct ResumePoint {
  ResumeKind kind = ResumeKind::Poll;
  uint32_t callee = 0;     // ResumeKind::Call: the callee's index in the instrumented module
  std::string description; // for people: which poll, or which call
  bool operator==(const ResumePoint& other) const {
    return kind == other.kind && callee == other.callee && description == other.description;
  }
};

struct FrameLayout {
  std::string name;               // from the name section, or "$<index>"
  uint32_t functionIndex = 0;     // index in the instrumented module
  std::vector<ValueKind> locals;  // the frame payload, in order
  std::vector<ResumePoint> resumePoints; // resume id N is resumePoints[N-1]
  // The index of its rewind copy (the function its fast copy hands a frame to rewind over to);
  // kNoRewindCopy for a guarded function, which rewinds itself.
  static constexpr uint32_t kNoRewindCopy = 0xffffffffu;
  uint32_t rewindIndex = kNoRewindCopy;
  uint32_t payloadSize() const;
};

struct SavedGlobal {
  std::string name;
  uint32_t index = 0; // global index in the instrumented module
  ValueKind kind = ValueKind::I32;
};

// Where the run-time pieces that `resume` edits sit in the instrumented module (names do not
// survive a binary round trip without a name section, indices do).
struct RuntimeLocations {
  uint32_t moduleHashGlobal = 0;
  uint32_t bakedSizeGlobal = 0;
  uint32_t flagsGlobal = 0;
  uint32_t bakedSegment = 0;
};

// How a module was made: by which tool, from which original, with which options. What
// `wasm-ckpt check` compares before a module is deployed.
struct Provenance {
  std::string toolVersion;
  uint64_t sourceHash = 0; // fingerprint() of the original module's bytes; 0: not recorded
  uint32_t optimizeLevel = 0;
  RewindCopies rewindCopies = RewindCopies::All;
  uint32_t hugeFunctionSize = 0;
  uint64_t pollFreeWork = 0;
  std::vector<std::string> functions; // the --functions and --exclude patterns, in order
  std::vector<std::string> exclude;
  // fingerprint() of the written module's bytes other than its wasm-ckpt section (sealModuleBytes);
  // 0: not sealed.
  uint64_t contentHash = 0;
};

struct ModuleMetadata {
  static constexpr const char* kSectionName = "wasm-ckpt";
  static constexpr uint32_t kFormatVersion = 4;
  uint64_t moduleHash = 0;
  std::string strategy;
  // The most memory the program may have, in pages (its declared maximum): a restore refuses
  // a snapshot with more.
  uint32_t memoryLimitPages = kMaxMemoryPages;
  Provenance provenance;
  std::vector<FrameLayout> functions; // frame "function" ordinal -> layout
  // The run-time code's functions that only a restore runs (analysis/restore_only.h), by index,
  // increasing; the rewind copies, which only a restore runs too, are FrameLayout::rewindIndex.
  std::vector<uint32_t> restoreOnly;
  std::vector<SavedGlobal> globals;   // the snapshot's globals section, in order
  RuntimeLocations runtime;
  uint32_t globalsSize() const;

  std::vector<char> serialize() const;
  static ModuleMetadata deserialize(const std::vector<char>& bytes);
  // Reads the custom section; nullopt if the module was not instrumented by wasm-ckpt.
  static std::optional<ModuleMetadata> fromModule(const wasm::Module& module);
  // Throws Error unless the snapshot belongs to this module and a restore from it can succeed:
  // the checks of the run-time reader (ckpt_runtime.c) that depend on the module.
  void checkSnapshot(const Snapshot& snapshot) const;
  void storeInto(wasm::Module& module) const;
};

// The bytes of a binary module written with its wasm-ckpt section, with that section's
// provenance.contentHash set to the fingerprint of all its other bytes, so that `check` finds any
// change made after instrumentation (src/metadata/seal.cpp). Throws Error if it has no section.
std::vector<char> sealModuleBytes(std::vector<char> bytes);
// fingerprint() of a binary module's bytes without its wasm-ckpt section.
uint64_t contentHash(const std::vector<char>& bytes);
// Throws Error unless `bytes` are those `wasm-ckpt instrument` (or `resume`) wrote and sealed with
// `metadata`: "not sealed by ..." or "changed since it was instrumented (...)".
void checkSeal(const std::vector<char>& bytes, const ModuleMetadata& metadata);
// The wasm-ckpt section of a binary module, read from its bytes; nullopt if it has none. Throws
// Error if the bytes are not a binary module or have two such sections.
std::optional<ModuleMetadata> metadataOfBinary(const std::vector<char>& bytes);

} // namespace wasm_ckpt
