// Refuses modules that use features whose state the snapshot cannot capture or whose control
// flow the unwind/rewind transformation cannot rebuild, naming the feature and the function,
// so that users get a clear error instead of a module that resumes with wrong state.
#include "passes/passes.h"

#include "ir/find_all.h"
#include "wasm-traversal.h"

#include "wasm_ckpt/error.h"

namespace wasm_ckpt {

namespace {
// Binaryen 108 reads `externref` as `anyref`; without GC, an anyref can only be an externref.
std::string typeName(wasm::Type type, const wasm::Module& module) {
  if (type == wasm::Type::anyref && !module.features.hasGC()) return "externref";
  return type.toString();
}

bool isSavable(wasm::Type type) {
  return type == wasm::Type::i32 || type == wasm::Type::i64 || type == wasm::Type::f32 ||
         type == wasm::Type::f64 || type == wasm::Type::v128;
}

struct FindUnsupported : public wasm::PostWalker<FindUnsupported, wasm::UnifiedExpressionVisitor<FindUnsupported>> {
  const wasm::Module& module;
  std::string problem;

  explicit FindUnsupported(const wasm::Module& module) : module(module) {}

  void note(const std::string& what) {
    if (problem.empty()) problem = what;
  }
  void visitExpression(wasm::Expression* curr) {
    using namespace wasm;
    if (curr->type.isRef()) note("reference types or GC (a value of type " + typeName(curr->type, module) + ")");
    if (curr->type.isTuple()) note("multi-value (an instruction with results " + curr->type.toString() + ")");
    switch (curr->_id) {
      case Expression::AtomicRMWId:
      case Expression::AtomicCmpxchgId:
      case Expression::AtomicWaitId:
      case Expression::AtomicNotifyId:
      case Expression::AtomicFenceId: note("threads (atomic instructions)"); break;
      case Expression::LoadId:
        if (curr->cast<Load>()->isAtomic) note("threads (atomic instructions)");
        break;
      case Expression::StoreId:
        if (curr->cast<Store>()->isAtomic) note("threads (atomic instructions)");
        break;
      case Expression::TryId:
      case Expression::ThrowId:
      case Expression::RethrowId: note("exception handling"); break;
      case Expression::CallId:
        if (curr->cast<Call>()->isReturn) note("tail calls (return_call)");
        break;
      case Expression::CallIndirectId:
        if (curr->cast<CallIndirect>()->isReturn) note("tail calls (return_call_indirect)");
        break;
      case Expression::CallRefId: note("typed function references (call_ref)"); break;
      case Expression::DataDropId: note("data.drop (its effect is state a snapshot cannot hold)"); break;
      default: break;
    }
  }
};
} // namespace

void checkSupported(wasm::Module& module) {
  if (module.memory.exists && module.memory.shared) throw Error("unsupported feature: shared memory (threads)");
  if (module.memory.exists && module.memory.is64()) throw Error("unsupported feature: memory64");
  for (auto& global : module.globals) {
    if (global->mutable_ && !isSavable(global->type))
      throw Error("unsupported feature: mutable global '" + std::string(global->name.str) + "' of type " + typeName(global->type, module));
  }
  for (auto& func : module.functions) {
    std::string where = " in function '" + std::string(func->name.str) + "'";
    if (func->getResults().isTuple()) throw Error("unsupported feature: multi-value results" + where);
    for (wasm::Index i = 0; i < func->getNumLocals(); i++) {
      if (!isSavable(func->getLocalType(i)))
        throw Error("unsupported feature: local of type " + typeName(func->getLocalType(i), module) + where);
    }
    if (func->imported()) continue;
    // Before the walk, which would first name the reference operand of table.set / table.grow.
    if (!wasm::FindAll<wasm::TableSet>(func->body).list.empty() || !wasm::FindAll<wasm::TableGrow>(func->body).list.empty())
      throw Error("unsupported feature: table mutation (table.set / table.grow)" + where);
    FindUnsupported finder(module);
    finder.walk(func->body);
    if (!finder.problem.empty()) throw Error("unsupported feature: " + finder.problem + where);
  }
}

} // namespace wasm_ckpt
