// Gives each value of a tuple local its own local, in Stack IR (after optimize-stack-ir, just
// before the binary writer emits it). A lean fast copy receives each threaded call's results as a
// tuple (the call's own result and the countdown), which Binaryen IR can only hold in a tuple
// local and read with tuple.extract; the binary writer expands the tuple local into one local per
// value, writes back the whole tuple for every read (`local.get` of each value), and extracts a
// value other than the first through a scratch local:
//
//   call $f; local.set $t1; local.tee $t0; local.get $t1; local.set $scratch; drop; local.get $scratch
//   ...; local.get $t0; local.get $t1; drop
//
// Where a tuple local is only written (`local.set`, or `local.tee` read at once by tuple.extract)
// and read by tuple.extract, this pass replaces it by a scalar local per value:
//
//   call $f; local.set $v1; local.set $v0; local.get $v1
//   ...; local.get $v0
//
// A tuple local used any other way (a whole tuple read: `return`, `tuple.make` of it, ...) is
// left as it is. Binaryen IR is not changed, apart from the new locals: Stack IR stays valid.
#include "passes/passes.h"
#include "passes/stack_ir.h"

#include <map>
#include <vector>

#include "ir/utils.h"
#include "wasm-builder.h"
#include "wasm-stack.h"
#include "wasm.h"

namespace wasm_ckpt {

namespace {
using namespace wasm;

struct SplitTupleLocals : public Pass {
  bool isFunctionParallel() override { return true; }
  bool modifiesBinaryenIR() override { return false; }
  Pass* create() override { return new SplitTupleLocals; }

  // The tuple.extract that reads `tuple` right after it, or nullptr.
  static TupleExtract* extractOf(const StackIR& ir, long next, Expression* tuple) {
    if (next >= long(ir.size()) || ir[next]->op != StackInst::Basic) return nullptr;
    auto* extract = ir[next]->origin->dynCast<TupleExtract>();
    return extract && extract->tuple == tuple ? extract : nullptr;
  }

  void runOnFunction(PassRunner*, Module* module, Function* func) override {
    if (!func->stackIR) return;
    auto& ir = *func->stackIR;
    // Which tuple locals can be split: every use is one of the forms above.
    std::map<Index, bool> splittable;
    for (size_t i = 0; i < ir.size(); i++) {
      if (!ir[i] || ir[i]->op != StackInst::Basic) continue;
      Expression* origin = ir[i]->origin;
      Index index;
      bool ok;
      if (auto* get = origin->dynCast<LocalGet>()) {
        index = get->index;
        ok = extractOf(ir, nextInst(ir, i), get);
      } else if (auto* set = origin->dynCast<LocalSet>()) {
        index = set->index;
        ok = !set->isTee() || extractOf(ir, nextInst(ir, i), set);
      } else {
        continue;
      }
      if (!func->getLocalType(index).isTuple()) continue;
      auto [entry, added] = splittable.try_emplace(index, ok);
      if (!added) entry->second = entry->second && ok;
    }
    Builder builder(*module);
    std::map<Index, std::vector<Index>> parts; // tuple local -> a local per value
    for (auto& [index, ok] : splittable) {
      if (!ok) continue;
      for (auto type : func->getLocalType(index)) parts[index].push_back(builder.addVar(func, type));
    }
    if (parts.empty()) return;

    auto inst = [&](Expression* origin) { return makeStackInst(*module, origin); };
    StackIR rewritten;
    rewritten.reserve(ir.size());
    for (size_t i = 0; i < ir.size(); i++) {
      auto* current = ir[i];
      if (!current || current->op != StackInst::Basic) {
        rewritten.push_back(current);
        continue;
      }
      Expression* origin = current->origin;
      auto* get = origin->dynCast<LocalGet>();
      auto* set = origin->dynCast<LocalSet>();
      auto found = parts.find(get ? get->index : set ? set->index : Index(-1));
      if (found == parts.end()) {
        rewritten.push_back(current);
        continue;
      }
      auto& locals = found->second;
      auto types = func->getLocalType(found->first);
      if (set) {
        // The values are on the stack, the last on top.
        for (Index k = Index(locals.size()); k-- > 0;) rewritten.push_back(inst(builder.makeLocalSet(locals[k], builder.makeNop())));
        if (!set->isTee()) continue;
      }
      long next = nextInst(ir, long(i));
      auto* extract = extractOf(ir, next, origin);
      rewritten.push_back(inst(builder.makeLocalGet(locals[extract->index], types[extract->index])));
      i = next; // the tuple.extract is done
    }
    ir.swap(rewritten);
  }
};
} // namespace

std::unique_ptr<Pass> createSplitTupleLocalsPass() { return std::make_unique<SplitTupleLocals>(); }

} // namespace wasm_ckpt
