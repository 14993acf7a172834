// `wasm-ckpt check`: the pre-deployment gate. A module passes if it reads and validates, carries
// a wasm-ckpt section of this tool's format, has no snapshot baked in, still has the fingerprint
// instrumentation gave it and its bytes are those instrumentation wrote (nothing rewrote it since:
// a snapshot names its functions and locals by position), and was made with the expected strategy and options from the expected original.
#include "wasm_ckpt/check.h"

#include <fmt/format.h>

#include "wasm.h"

#include "runtime/RuntimeInjector.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/metadata.h"
#include "wasm_ckpt/module_io.h"
#include "wasm_ckpt/snapshot.h"
#include "wasm_ckpt/snapshot_layout.h"

namespace wasm_ckpt {

namespace {
std::string patterns(const std::vector<std::string>& list) {
  if (list.empty()) return "none";
  std::string out;
  for (auto& p : list) out += (out.empty() ? "" : " ") + p;
  return out;
}

std::string rewindCopies(RewindCopies copies) { return fmt::format("with --rewind-copies={}", rewindCopiesName(copies)); }
} // namespace

std::string checkModule(const std::string& path, const CheckExpectations& expected) {
  auto fail = [&](const std::string& reason) { return Error(path + ": " + reason); };
  auto bytes = readFileBytes(path);
  auto module = readModuleFromBytes(bytes, path);
  validateModule(*module, path);
  std::optional<ModuleMetadata> metadata;
  try {
    metadata = ModuleMetadata::fromModule(*module);
  } catch (const Error& e) {
    throw fail(e.what());
  }
  if (!metadata) throw fail("not instrumented by wasm-ckpt (it has no wasm-ckpt section)");
  auto& made = metadata->provenance;
  try {
    if (getBakedSize(*module, metadata->runtime) != 0)
      throw Error("a snapshot is baked into it (an output of `wasm-ckpt resume`, not of `instrument`)");
    if (getModuleHash(*module, metadata->runtime) != metadata->moduleHash)
      throw Error("the module's wasm-ckpt section does not match the module");
  } catch (const Error& e) {
    throw fail(e.what());
  }
  try {
    checkSeal(bytes, *metadata);
  } catch (const Error& e) {
    throw fail(e.what());
  }
  if (expected.strategy && metadata->strategy != strategyName(*expected.strategy))
    throw fail(fmt::format("instrumented with strategy {}, not {}", metadata->strategy, strategyName(*expected.strategy)));
  if (expected.optimizeLevel && made.optimizeLevel != *expected.optimizeLevel)
    throw fail(fmt::format("instrumented with -O{}, not -O{}", made.optimizeLevel, *expected.optimizeLevel));
  if (expected.rewindCopies && made.rewindCopies != *expected.rewindCopies)
    throw fail(fmt::format("instrumented {}, not {}", rewindCopies(made.rewindCopies), rewindCopies(*expected.rewindCopies)));
  if (expected.hugeFunctionSize && made.hugeFunctionSize != *expected.hugeFunctionSize)
    throw fail(fmt::format("instrumented with --huge-function-size {}, not {}", made.hugeFunctionSize, *expected.hugeFunctionSize));
  if (expected.functions && made.functions != *expected.functions)
    throw fail(fmt::format("instrumented with --functions {}, not {}", patterns(made.functions), patterns(*expected.functions)));
  if (expected.exclude && made.exclude != *expected.exclude)
    throw fail(fmt::format("instrumented with --exclude {}, not {}", patterns(made.exclude), patterns(*expected.exclude)));
  if (expected.sourceHash && made.sourceHash != *expected.sourceHash) {
    throw fail(made.sourceHash ? fmt::format("made from another module than {} (whose hash is {:016x}; the module records {:016x})",
                                             expected.sourceName, *expected.sourceHash, made.sourceHash)
                               : "records no hash of its original");
  }
  return fmt::format("{}: instrumented by wasm-ckpt {} (snapshot format {}), strategy {}, -O{}, {}, from an original "
                     "of hash {:016x}, module hash {:016x}",
                     path, made.toolVersion, SNAPSHOT_VERSION, metadata->strategy, made.optimizeLevel,
                     rewindCopies(made.rewindCopies), made.sourceHash, metadata->moduleHash);
}

} // namespace wasm_ckpt
