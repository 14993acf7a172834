// Counts the host frames on the stack, so that no checkpoint is taken under one.
//
// A function the module imports from anywhere but WASI may call back into one of the module's
// exports (a host callback). A poll reached in that export would unwind the program's frames
// above the host's frame and end the run with a snapshot that lacks everything below it: the
// engine's own frame cannot be captured. Each such import therefore gets a wrapper,
//
//   (func $wasm_ckpt$host$IMPORT (params…) (result…)
//     (global.set $host_depth (i32.add (global.get $host_depth) (i32.const 1)))
//     (local.set $result (call $IMPORT (local.get 0) …))
//     (global.set $host_depth (i32.sub (global.get $host_depth) (i32.const 1)))
//     (local.get $result))
//
// and every call and table entry that named the import names the wrapper instead. The run-time
// code's slow poll path defers a stop while the depth is above zero (ckpt_runtime.c): the stop
// happens at the first poll after the callback has returned. WASI's functions never call back.
// The run-time code holds the depth at 1 outside _start, where the host itself is below.
#include "passes/passes.h"

#include <map>

#include "wasm-builder.h"
#include "wasm-traversal.h"

#include "runtime/runtime_names.h"

namespace wasm_ckpt {
namespace {
using namespace wasm;

bool mayCallBack(const Function& func) {
  return func.imported() && func.module != "wasi_snapshot_preview1" && func.module != "wasi_unstable";
}

Function* makeWrapper(Module& module, Function* import) {
  Builder builder(module);
  Name depth = runtime::i32Slot(SLOT_HOST_DEPTH);
  auto step = [&](BinaryOp op) {
    return builder.makeGlobalSet(depth, builder.makeBinary(op, builder.makeGlobalGet(depth, Type::i32), builder.makeConst(int32_t(1))));
  };
  auto params = import->getParams();
  auto results = import->getResults();
  std::vector<Expression*> args;
  for (Index i = 0; i < params.size(); i++) args.push_back(builder.makeLocalGet(i, params[i]));
  auto* call = builder.makeCall(import->name, args, results);
  std::vector<Type> vars;
  Expression* body;
  if (results == Type::none) {
    body = builder.makeBlock({step(AddInt32), call, step(SubInt32)});
  } else {
    vars.push_back(results);
    Index result = params.size();
    body = builder.makeBlock({step(AddInt32), builder.makeLocalSet(result, call), step(SubInt32), builder.makeLocalGet(result, results)});
  }
  return module.addFunction(
    Builder::makeFunction(runtime::hostCallWrapperName(import->name), import->type, std::move(vars), body));
}

struct CountHostCalls : public Pass {
  void run(PassRunner*, Module* module) override {
    std::map<Name, Name> wrappers; // import -> its wrapper
    std::vector<Function*> imports;
    for (auto& func : module->functions) {
      if (mayCallBack(*func)) imports.push_back(func.get());
    }
    for (auto* import : imports) wrappers[import->name] = makeWrapper(*module, import)->name;
    if (wrappers.empty()) return;

    struct Redirect : PostWalker<Redirect> {
      const std::map<Name, Name>* wrappers;
      void visitCall(Call* curr) {
        if (auto found = wrappers->find(curr->target); found != wrappers->end()) curr->target = found->second;
      }
      void visitRefFunc(RefFunc* curr) {
        if (auto found = wrappers->find(curr->func); found != wrappers->end()) curr->func = found->second;
      }
    } redirect;
    redirect.wrappers = &wrappers;
    for (auto& func : module->functions) {
      if (func->imported() || runtime::isHostCallWrapper(func->name)) continue;
      redirect.walkFunction(func.get());
    }
    for (auto& segment : module->elementSegments) {
      for (auto*& item : segment->data) redirect.walk(item);
    }
  }
};
} // namespace

std::unique_ptr<Pass> createCountHostCallsPass() { return std::make_unique<CountHostCalls>(); }

} // namespace wasm_ckpt
