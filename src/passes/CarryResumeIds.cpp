// Carries each unwind exit's resume point id to the epilogue as a branch value, in Stack IR (after
// SplitTupleLocals, just before the binary writer emits it). An unwind site leaves the body with
//
//   COND; if; i32.const ID; local.set $rid; br $landing; end            (12-13 bytes)
//
// and thousands of sites each set $rid on their own path (Lua's lean module: 9,400). Here the
// landing blocks become blocks of type i32 whose value is the id, and $rid is set once, where the
// value comes out of them:
//
//   i32.const ID; COND; br_if $landing; drop                           (8-9 bytes)
//   ... (block $landing (result i32) ...) local.set $rid; epilogue
//
// A site that zeroes dead locals on its own path (unwind_sites.h) keeps its `if` and drops only the
// set: `COND; if; ZEROING; i32.const ID; br $landing; end`. The zeroing blocks are nested, each
// one's end followed by its zeroing and the next one's end (or a branch to it): the value stays on
// the stack through the zeroing (`X.const 0; local.set`, which reads nothing) up to the outermost
// landing, after whose end $rid is set.
//
// The pass finds, in each function whose epilogue calls the run-time's frame_reserve with
// `local.get $rid`, the named blocks of no value all of whose branches are exits of this form (or a
// value carried on from an inner landing), and whose own end is reached only by branches or from
// an inner landing; others, and functions with try, are left as they are. Binaryen IR is not
// changed: the typed blocks and the new instructions exist only in the Stack IR.
#include "passes/passes.h"
#include "passes/stack_ir.h"

#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ir/branch-utils.h"
#include "ir/iteration.h"
#include "wasm-builder.h"
#include "wasm-stack.h"
#include "wasm-traversal.h"
#include "wasm.h"

#include "runtime/runtime_names.h"

namespace wasm_ckpt {

namespace {
using namespace wasm;

struct CarryResumeIds : public Pass {
  bool isFunctionParallel() override { return true; }
  bool modifiesBinaryenIR() override { return false; }
  Pass* create() override { return new CarryResumeIds; }

  StackIR* ir = nullptr;
  Function* func = nullptr;
  Index rid = 0;
  std::unordered_set<long> touched; // positions rewritten so far, or with an insertion before them

  long previous(long i) const { return previousInst(*ir, i); }
  long next(long i) const { return nextInst(*ir, i); }
  template<typename T> T* basic(long i) const {
    if (i < 0 || i >= long(ir->size()) || !(*ir)[i] || (*ir)[i]->op != StackInst::Basic) return nullptr;
    return (*ir)[i]->origin->dynCast<T>();
  }
  // `X.const; local.set $x` ending at `i` (the set), $x not $rid: zeroing, which reads nothing.
  bool isZeroingPair(long i) const {
    auto* set = basic<LocalSet>(i);
    if (!set || set->isTee() || set->index == rid) return false;
    auto* value = basic<Const>(previous(i));
    return value && value == set->value;
  }
  // Skips, backwards from `i`, the zeroing pairs that end at or before it; returns where they start
  // (the instruction before them).
  long skipZeroingBack(long i) const {
    while (isZeroingPair(i)) i = previous(previous(i));
    return i;
  }
  long skipZeroingForward(long i) const {
    while (true) {
      long first = i, second = next(i);
      if (second >= long(ir->size()) || !basic<Const>(first) || !isZeroingPair(second)) return i;
      i = next(second);
    }
  }
  // The block whose end is at `i`, if any.
  Block* blockEndAt(long i) const {
    if (i < 0 || i >= long(ir->size()) || !(*ir)[i] || (*ir)[i]->op != StackInst::BlockEnd) return nullptr;
    return (*ir)[i]->origin->cast<Block>();
  }

  // An exit: `i32.const ID; local.set $rid; ZEROING; br` (positions of its parts).
  struct Exit {
    long constant, set, branch;
    bool zeroes;
  };

  void runOnFunction(PassRunner*, Module* module, Function* func) override {
    if (!func->stackIR) return;
    this->func = func;
    ir = func->stackIR.get();
    touched.clear();
    if (!findRid()) return;
    auto& insts = *ir;

    // Blocks, their ends, and every use of a label.
    std::unordered_map<Name, Block*> blocks;
    std::unordered_map<Block*, long> beginOf, endOf;
    std::unordered_map<Name, std::vector<long>> branchesTo;
    std::unordered_set<Name> excluded;
    for (long i = 0; i < long(insts.size()); i++) {
      auto* inst = insts[i];
      if (!inst) continue;
      switch (inst->op) {
        case StackInst::BlockBegin: {
          auto* block = inst->origin->cast<Block>();
          if (block->name.is()) blocks[block->name] = block;
          beginOf[block] = i;
          break;
        }
        case StackInst::BlockEnd: endOf[inst->origin->cast<Block>()] = i; break;
        case StackInst::TryBegin: return; // delegate and rethrow name labels too: keep it simple
        case StackInst::Basic: {
          auto* br = inst->origin->dynCast<Break>();
          BranchUtils::operateOnScopeNameUses(inst->origin, [&](Name& name) {
            if (br && !br->condition && !br->value) branchesTo[name].push_back(i);
            else excluded.insert(name);
          });
          break;
        }
        default: break;
      }
    }

    // Candidates: named blocks of no value whose branches are all plain `br`s.
    std::set<Block*> landing;
    for (auto& [name, targets] : branchesTo) {
      auto found = blocks.find(name);
      if (found == blocks.end() || excluded.count(name) || found->second->type != Type::none) continue;
      landing.insert(found->second);
    }
    // Remove, until none is left to remove, the candidates that some branch or their own end
    // would reach without an id on the stack.
    std::map<long, Exit> exits; // by the branch's position
    auto carriesId = [&](long at) { // the code ending at `at` leaves an id on the stack
      if (at >= 0 && insts[at]->type == Type::unreachable) return true;
      auto* inner = blockEndAt(skipZeroingBack(at));
      return inner && landing.count(inner);
    };
    for (bool changed = true; changed;) {
      changed = false;
      exits.clear();
      for (auto it = landing.begin(); it != landing.end();) {
        Block* block = *it;
        bool ok = carriesId(previous(endOf.at(block)));
        for (long branch : branchesTo[block->name]) {
          if (!ok) break;
          if (auto exit = exitAt(branch)) exits[branch] = *exit;
          else ok = carriesId(previous(branch));
        }
        if (ok) {
          ++it;
        } else {
          it = landing.erase(it);
          changed = true;
        }
      }
    }
    if (landing.empty()) return;

    Builder builder(*module);
    auto instOf = [&](Expression* origin, StackInst::Op op = StackInst::Basic) { return makeStackInst(*module, origin, op); };
    std::unordered_map<long, std::vector<StackInst*>> before, after; // insertions
    // Where the id is not carried on (to an outer landing's end, or by a branch to one), it goes
    // into $rid after the landing's end. (Decided before the landings' instructions change.)
    for (auto* block : landing) {
      long end = endOf.at(block), onward = skipZeroingForward(next(end));
      bool carried = false;
      if (auto* outer = blockEndAt(onward)) carried = landing.count(outer);
      if (auto* br = basic<Break>(onward); br && !br->condition && !br->value) {
        auto target = blocks.find(br->name);
        carried = target != blocks.end() && landing.count(target->second);
      }
      if (!carried) after[end].push_back(instOf(builder.makeLocalSet(rid, builder.makeNop())));
    }
    for (auto* block : landing) {
      auto* typed = module->allocator.alloc<Block>();
      typed->name = block->name;
      typed->type = Type::i32;
      insts[beginOf.at(block)] = instOf(typed, StackInst::BlockBegin);
      insts[endOf.at(block)] = instOf(typed, StackInst::BlockEnd);
    }
    for (auto& [branch, exit] : exits) {
      auto* constant = insts[exit.constant];
      insts[exit.constant] = nullptr;
      insts[exit.set] = nullptr;
      long ifBegin = previous(exit.constant), ifEnd = next(branch);
      If* iff = exit.zeroes ? nullptr : ifAround(ifBegin, ifEnd);
      long condition = iff ? conditionStart(ifBegin) : -1;
      touched.insert(branch);
      if (condition < 0) {
        before[branch].push_back(constant);
        continue;
      }
      touched.insert(condition);
      touched.insert(ifEnd);
      // COND; if; br; end  =>  i32.const ID; COND; br_if; drop
      auto* br = basic<Break>(branch);
      before[condition].push_back(constant);
      insts[ifBegin] = nullptr;
      insts[branch] = instOf(builder.makeBreak(br->name, nullptr, iff->condition));
      insts[ifEnd] = instOf(builder.makeDrop(constant->origin));
    }
    StackIR rewritten;
    rewritten.reserve(insts.size() + before.size() + after.size());
    for (long i = 0; i < long(insts.size()); i++) {
      if (auto found = before.find(i); found != before.end()) rewritten.insert(rewritten.end(), found->second.begin(), found->second.end());
      rewritten.push_back(insts[i]);
      if (auto found = after.find(i); found != after.end()) rewritten.insert(rewritten.end(), found->second.begin(), found->second.end());
    }
    insts.swap(rewritten);
  }

  // $rid: the local the epilogue's frame_reserve call reads its second operand from (the call's
  // operands are emitted right before it).
  bool findRid() {
    bool found = false;
    for (long i = 0; i < long(ir->size()); i++) {
      auto* call = basic<Call>(i);
      if (!call || call->target != runtime::frameReserve()) continue;
      auto* get = call->operands.size() == 3 ? call->operands[1]->dynCast<LocalGet>() : nullptr;
      if (found || !get || basic<LocalGet>(previous(previous(i))) != get) return false;
      rid = get->index;
      found = true;
    }
    return found;
  }

  // The exit whose branch is at `branch`, if it is one.
  std::optional<Exit> exitAt(long branch) const {
    long at = previous(branch);
    long zeroingStart = skipZeroingBack(at);
    auto* set = basic<LocalSet>(zeroingStart);
    if (!set || set->isTee() || set->index != rid) return std::nullopt;
    long constant = previous(zeroingStart);
    auto* value = basic<Const>(constant);
    if (!value || value != set->value || value->type != Type::i32) return std::nullopt;
    return Exit{constant, zeroingStart, branch, zeroingStart != at};
  }

  // The `if` (no else) whose begin and end are at these positions, if any.
  If* ifAround(long begin, long end) const {
    if (begin < 0 || end >= long(ir->size())) return nullptr;
    auto* first = (*ir)[begin];
    auto* last = (*ir)[end];
    if (first->op != StackInst::IfBegin || last->op != StackInst::IfEnd || first->origin != last->origin) return nullptr;
    auto* iff = first->origin->cast<If>();
    return iff->ifFalse ? nullptr : iff;
  }

  // Where the instructions that compute the value `ifBegin` tests start: the shortest run of
  // plain instructions before it that pushes one value and takes none from below (walked back,
  // counting what each pushes and takes), or -1. Not across a call (the unwind test of a call
  // that is not threaded tests its result): the id would be on the stack during the call, and
  // nbody ran 4-5% slower under TurboFan that way in four sets of interleaved pairs (with the id
  // after the call, as fast as without the pass).
  long conditionStart(long ifBegin) const {
    long needed = 1;
    long i = ifBegin;
    for (int steps = 0; steps < 64 && needed > 0; steps++) {
      i = previous(i);
      if (i < 0 || (*ir)[i]->op != StackInst::Basic || touched.count(i)) return -1;
      auto* origin = (*ir)[i]->origin;
      if (origin->is<Call>() || origin->is<CallIndirect>()) return -1;
      if (!(*ir)[i]->type.isConcrete() && (*ir)[i]->type != Type::none) return -1;
      long pushes = (*ir)[i]->type.isConcrete() ? long((*ir)[i]->type.size()) : 0, takes = 0;
      if (auto* set = origin->dynCast<LocalSet>()) {
        takes = long(func->getLocalType(set->index).size()); // SplitTupleLocals' sets have a nop
      } else {
        for (auto* child : ChildIterator(origin)) {
          if (!child->type.isConcrete()) return -1;
          takes += long(child->type.size());
        }
      }
      needed -= pushes;
      if (needed < 0) return -1;
      needed += takes;
    }
    return needed == 0 ? i : -1;
  }
};
} // namespace

std::unique_ptr<Pass> createCarryResumeIdsPass() { return std::make_unique<CarryResumeIds>(); }

} // namespace wasm_ckpt
