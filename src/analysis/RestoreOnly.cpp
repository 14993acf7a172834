// The functions that only a restore runs (restore_only.h).
#include "analysis/restore_only.h"

#include <vector>

#include "analysis/reachable.h"
#include "runtime/runtime_names.h"

namespace wasm_ckpt {
using namespace wasm;

std::set<Name> restoreOnlyFunctions(Module& module, const std::set<Name>& rewindCopies) {
  std::set<Name> entries = rewindCopies;
  for (auto name : {runtime::restoreBegin(), runtime::frameRead(), runtime::restoreFinish()}) {
    if (module.getFunctionOrNull(name)) entries.insert(name);
  }
  auto normal = reachableFunctions(module, moduleRoots(module), entries);
  std::set<Name> only;
  for (auto name : reachableFunctions(module, std::vector<Name>(entries.begin(), entries.end()))) {
    if (!normal.count(name) && !module.getFunction(name)->imported()) only.insert(name);
  }
  return only;
}

} // namespace wasm_ckpt
