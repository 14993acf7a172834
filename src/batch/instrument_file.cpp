// One module from file to file, as `instrument` does it (alone or as a batch worker): the input's
// hash goes into the module's provenance; the sizes and hashes are what a batch report shows.
#include <chrono>
#include <cstring>
#include <utility>

#include "wasm.h"

#include "io/binary_sections.h"
#include "io/rewind_store.h"
#include "wasm_ckpt/batch.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/hash.h"
#include "wasm_ckpt/metadata.h"
#include "wasm_ckpt/module_io.h"

namespace wasm_ckpt {

namespace {
bool isBinary(const std::vector<char>& bytes) { return bytes.size() >= 4 && std::memcmp(bytes.data(), "\0asm", 4) == 0; }

// The size of the Code section (id 10); 0 if there is none.
uint64_t codeSectionSize(const std::vector<char>& bytes) {
  for (auto& section : binarySections(bytes)) {
    if (section.id == 10) return section.end - section.payload;
  }
  return 0;
}

double secondsSince(std::chrono::steady_clock::time_point from) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
}
} // namespace

InstrumentedFile instrumentFile(const std::string& input, const std::string& output, InstrumentOptions options) {
  InstrumentedFile file;
  auto start = std::chrono::steady_clock::now();
  auto inputBytes = readFileBytes(input);
  auto module = readModuleFromBytes(inputBytes, input);
  validateModule(*module, input);
  file.inputHash = fingerprint(inputBytes);
  file.inputCodeSize = codeSectionSize(isBinary(inputBytes) ? inputBytes : writeModuleBinary(*module));
  double readSeconds = secondsSince(start);
  options.sourceHash = file.inputHash;
  try {
    file.report = instrumentModule(*module, options);
  } catch (const Error& e) {
    throw Error(input + ": " + e.what());
  }
  auto writeStart = std::chrono::steady_clock::now();
  auto written = writeModuleBinary(*module);
  if (options.rewindCopies == RewindCopies::Stored) written = stowRestoreCode(written);
  auto outputBytes = sealModuleBytes(std::move(written));
  file.outputHash = fingerprint(outputBytes);
  file.outputCodeSize = codeSectionSize(outputBytes);
  writeFileAtomically(output, outputBytes);
  file.report.stageSeconds.insert(file.report.stageSeconds.begin(), {"read", readSeconds});
  file.report.stageSeconds.emplace_back("write", secondsSince(writeStart));
  return file;
}

} // namespace wasm_ckpt
