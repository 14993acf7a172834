// Which functions code can reach (reachable.h).
#include "analysis/reachable.h"

#include <functional>

#include "wasm-traversal.h"

namespace wasm_ckpt {
using namespace wasm;

namespace {
struct FunctionReferences : PostWalker<FunctionReferences> {
  std::function<void(Name)> found;
  void visitCall(Call* call) { found(call->target); }
  void visitRefFunc(RefFunc* ref) { found(ref->func); }
};
} // namespace

std::vector<Name> moduleRoots(Module& module) {
  std::vector<Name> roots;
  FunctionReferences refs;
  refs.found = [&](Name name) { roots.push_back(name); };
  for (auto& exp : module.exports) {
    if (exp->kind == ExternalKind::Function) roots.push_back(exp->value);
  }
  if (module.start.is()) roots.push_back(module.start);
  for (auto& elem : module.elementSegments) {
    for (auto* item : elem->data) refs.walk(item);
  }
  for (auto& global : module.globals) {
    if (!global->imported()) refs.walk(global->init);
  }
  return roots;
}

std::set<Name> reachableFunctions(Module& module, const std::vector<Name>& roots, const std::set<Name>& barriers) {
  std::set<Name> reached;
  std::vector<Function*> work;
  FunctionReferences refs;
  refs.found = [&](Name name) {
    if (!barriers.count(name) && reached.insert(name).second) work.push_back(module.getFunction(name));
  };
  for (auto name : roots) refs.found(name);
  while (!work.empty()) {
    auto* func = work.back();
    work.pop_back();
    if (!func->imported()) refs.walkFunction(func);
  }
  return reached;
}

} // namespace wasm_ckpt
