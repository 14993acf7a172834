// Merges the run-time code into the module being instrumented.
//
// ckpt_runtime.c is compiled for bare wasm32 with its state behind "wasm_ckpt" intrinsic imports.
// Here its functions are copied into the module under "wasm_ckpt$" names, its WASI imports are
// shared with the module's own (or added), and each intrinsic call is replaced by what it stands
// for in this module: a runtime global, a constant, memory.init from a passive segment, or a
// function generated here (for this module's globals, and for borrowing the window at address
// 0). Finally _start is wrapped, and the program's calls to proc_exit and to the WASI functions
// that change its descriptors go through the run-time code first, as do its memory.grow and
// memory.size (the instrumented module declares no maximum: a checkpoint grows memory past the
// program's to write the snapshot).
#include "runtime/RuntimeInjector.h"

#include <functional>
#include <map>
#include <set>

#include "ir/manipulation.h"
#include "ir/module-utils.h"
#include "pass.h"
#include "wasm-builder.h"
#include "wasm-traversal.h"

#include "analysis/reachable.h"
#include "runtime/runtime_names.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/module_io.h"
#include "wasm_ckpt/snapshot.h"
#include "wasm_ckpt/snapshot_layout.h"

namespace wasm_ckpt {

const std::vector<char>& runtimeWasm(); // generated from ckpt_runtime.wasm at build time

namespace {
using namespace wasm;

constexpr const char* kWasi = "wasi_snapshot_preview1";
// The window borrowed at address 0 is kept on the wasm stack by a recursive function, one chunk
// of this many i64 locals per level. Larger chunks mean fewer levels (less engine stack on top
// of the window itself) but more code: 32 words give 16 levels for 4 KiB and about 550 bytes of
// code.
constexpr Index kChunkWords = 32;
constexpr Index kChunkBytes = kChunkWords * 8;
static_assert(kChunkBytes == STASH_CHUNK_BYTES, "the run-time code sizes the window in these chunks");
static_assert(STASH_WINDOW_BYTES % kChunkBytes == 0 && STASH_WINDOW_MAX_BYTES % kChunkBytes == 0,
              "the window must be a whole number of chunks");
Name rodataSegmentName() { return Name("wasm_ckpt$rodata"); }
Name bakedSegmentName() { return Name("wasm_ckpt$baked"); }

// The bytes of 'data' in 'ranges' (start -> end), overlapping or adjacent ranges sharing their
// bytes; 'placed' gets each range's offset in the result.
std::vector<char> packRanges(const std::vector<char>& data, const std::map<uint32_t, uint32_t>& ranges,
                             std::map<uint32_t, uint32_t>& placed) {
  std::vector<char> packed;
  uint32_t blockStart = 0, blockEnd = 0, blockOffset = 0; // the run of overlapping ranges so far
  for (auto [start, end] : ranges) {
    if (packed.empty() || start > blockEnd) {
      blockStart = blockEnd = start;
      blockOffset = uint32_t(packed.size());
    }
    if (end > blockEnd) {
      packed.insert(packed.end(), data.begin() + blockEnd, data.begin() + end);
      blockEnd = end;
    }
    placed[start] = blockOffset + (start - blockStart);
  }
  return packed;
}

Index segmentIndex(Module& module, Name name) {
  for (Index i = 0; i < module.memory.segments.size(); i++) {
    if (module.memory.segments[i].name == name) return i;
  }
  throw Error("internal error: missing data segment " + std::string(name.str));
}

class Injector {
public:
  explicit Injector(Module& module) : module(module), builder(module) {}

  InjectedRuntime run() {
    runtime = readModuleFromBytes(runtimeWasm(), "<wasm-ckpt runtime>");
    InjectedRuntime result;
    // The run-time globals are appended after these, so their indices stay valid.
    for (uint32_t i = 0; i < module.globals.size(); i++) {
      auto* global = module.globals[i].get();
      if (global->mutable_) {
        result.savedGlobals.push_back({global->name.str, i, valueKindOf(global->type)});
        savedGlobals.push_back(global);
      }
    }
    module.features.enable(FeatureSet::BulkMemory);
    ensureExportedMemory();
    addGlobals();
    addSegments();
    redirectWasiCalls();
    virtualizeMemorySize();
    result.memoryLimitPages = uint32_t(memoryLimit.addr);
    result.importedMemoryMax = module.memory.imported() && module.memory.hasMax();
    mapImports();
    findStart();
    copyFunctions();
    addGeneratedFunctions();
    result.hasStart = wrapStart();
    removeUnreachedRuntimeFunctions();
    layOutStrings();
    optimizeCopies();
    return result;
  }

private:
  Module& module;
  Builder builder;
  std::unique_ptr<Module> runtime;
  std::vector<Global*> savedGlobals;
  std::map<Name, Name> renamed;     // runtime function -> name in the module
  std::map<Name, Name> intrinsics;  // runtime import -> intrinsic name
  Address rodataOrigin = 0;
  std::vector<char> rodata;          // the run-time code's data, at rodataOrigin there
  std::vector<Name> copies;          // the run-time functions copied in
  std::vector<Name> generated;       // the run-time functions generated here
  Name originalStart;
  Address memoryLimit = Address(kMaxMemoryPages); // in pages: what the program may grow its memory to
  std::set<Name> programWasi;       // the WASI functions the program imports

  void ensureExportedMemory() {
    if (!module.memory.exists) {
      module.memory.exists = true;
      module.memory.initial = 1;
      module.memory.max = Memory::kUnlimitedSize;
    }
    for (auto& exp : module.exports) {
      if (exp->kind == ExternalKind::Memory) {
        if (exp->name != "memory" && module.getExportOrNull("memory"))
          throw Error("the module exports its memory as '" + std::string(exp->name.str) +
                      "' and something else as 'memory': WASI needs the memory exported as 'memory'");
        if (exp->name == "memory") return;
      }
    }
    if (module.getExportOrNull("memory")) throw Error("the module exports something other than its memory as 'memory'");
    module.addExport(Builder::makeExport("memory", module.memory.name, ExternalKind::Memory));
  }

  void addGlobal(Name name, Type type, Literal init, bool mutable_) {
    module.addGlobal(Builder::makeGlobal(name, type, builder.makeConst(init),
                                         mutable_ ? Builder::Mutable : Builder::Immutable));
  }

  void addGlobals() {
    auto initial = [](unsigned slot) -> uint32_t {
      switch (slot) {
        case SLOT_COUNTDOWN: return 0x40000000u;
        case SLOT_WINDOW_BYTES: return STASH_WINDOW_BYTES;
        case SLOT_HOST_DEPTH: return 1; // the host's call into the module, until _start runs
        default: return 0;
      }
    };
    for (unsigned i = 0; i < RUNTIME_I32_SLOTS; i++) addGlobal(runtime::i32Slot(i), Type::i32, Literal(int32_t(initial(i))), true);
    for (unsigned i = 0; i < RUNTIME_I64_SLOTS; i++) addGlobal(runtime::i64Slot(i), Type::i64, Literal(int64_t(0)), true);
    // Written by the tool once the module's bytes are known (the hash, a baked snapshot's size):
    // mutable, although nothing sets them, so that no optimization folds the 0 they hold now.
    addGlobal(runtime::moduleHashGlobal(), Type::i64, Literal(int64_t(0)), true);
    addGlobal(runtime::bakedSizeGlobal(), Type::i32, Literal(int32_t(0)), true);
  }

  // The strings' segment is filled by layOutStrings, once the code that uses them is known.
  void addSegments() {
    for (auto& segment : runtime->memory.segments) {
      auto* offset = segment.offset ? segment.offset->dynCast<Const>() : nullptr;
      if (segment.isPassive || !offset || !rodata.empty())
        throw Error("internal error: the run-time code must have one active data segment");
      rodataOrigin = offset->value.getUnsigned();
      rodata = segment.data;
    }
    for (Name name : {rodataSegmentName(), bakedSegmentName()}) {
      Memory::Segment segment;
      segment.name = name;
      segment.isPassive = true;
      module.memory.segments.push_back(std::move(segment));
    }
  }

  // The program's calls to these WASI functions go through the run-time code's function of the
  // same export name first: proc_exit for WASM_CKPT_VERBOSE's statistics, the others to keep the
  // descriptor table (ckpt_runtime.c) and count what the program reads from descriptor 0. Calls,
  // table entries and re-exports alike. Call before the run-time functions are copied in: only
  // the program's own code is redirected.
  static constexpr const char* kRedirected[] = {"proc_exit", "path_open", "fd_close", "fd_renumber",
                                                "fd_fdstat_set_flags", "sock_accept", "fd_read"};

  void redirectWasiCalls() {
    std::map<Name, Name> redirect; // the module's WASI import -> the run-time function
    for (auto& func : module.functions) {
      if (!func->imported() || func->module != kWasi) continue;
      for (const char* base : kRedirected) {
        if (func->base == base) redirect[func->name] = runtime::functionName(base);
      }
      programWasi.insert(func->base);
    }
    if (redirect.empty()) return;
    struct Redirect : PostWalker<Redirect> {
      const std::map<Name, Name>* redirect;
      void visitCall(Call* call) {
        if (auto found = redirect->find(call->target); found != redirect->end()) call->target = found->second;
      }
      void visitRefFunc(RefFunc* ref) {
        if (auto found = redirect->find(ref->func); found != redirect->end()) ref->func = found->second;
      }
    } walker;
    walker.redirect = &redirect;
    for (auto& func : module.functions) {
      if (!func->imported()) walker.walkFunction(func.get());
    }
    for (auto& elem : module.elementSegments) {
      for (auto*& item : elem->data) walker.walk(item);
    }
    for (auto& exp : module.exports) {
      if (exp->kind != ExternalKind::Function) continue;
      if (auto found = redirect.find(exp->value); found != redirect.end()) exp->value = found->second;
    }
  }

  // A checkpoint appends the frame records to memory, past the program's pages (ckpt_runtime.c),
  // which a memory at its declared maximum would refuse, and which a run that continues after
  // the checkpoint must not see: the maximum is lifted, and the program's memory.grow and
  // memory.size call grow_memory and memory_size instead, which keep the program's own size
  // and fail where the maximum made growth fail. An imported memory keeps the maximum its host
  // gives it. Call before the run-time functions are copied in: only the program's own code is
  // redirected.
  void virtualizeMemorySize() {
    if (module.memory.hasMax()) memoryLimit = std::min(module.memory.max, Address(kMaxMemoryPages));
    if (!module.memory.imported()) module.memory.max = Memory::kUnlimitedSize;
    struct Redirect : PostWalker<Redirect> {
      Builder* builder;
      void visitMemoryGrow(MemoryGrow* curr) { replaceCurrent(builder->makeCall(runtime::growMemory(), {curr->delta}, Type::i32)); }
      void visitMemorySize(MemorySize*) { replaceCurrent(builder->makeCall(runtime::memorySize(), {}, Type::i32)); }
    } redirect;
    redirect.builder = &builder;
    for (auto& func : module.functions) {
      if (!func->imported()) redirect.walkFunction(func.get());
    }
  }

  void mapImports() {
    for (auto& func : runtime->functions) {
      if (!func->imported()) continue;
      if (func->module == "wasm_ckpt") {
        intrinsics[func->name] = func->base;
        continue;
      }
      if (func->module != kWasi) throw Error("internal error: unexpected run-time import " + std::string(func->module.str));
      Name existing;
      for (auto& mine : module.functions) {
        if (mine->imported() && mine->module == kWasi && mine->base == func->base) existing = mine->name;
      }
      if (existing.is()) {
        if (module.getFunction(existing)->type != func->type)
          throw Error("the module imports WASI's " + std::string(func->base.str) + " with an unexpected signature");
        renamed[func->name] = existing;
      } else {
        Name name("wasm_ckpt$wasi." + std::string(func->base.str));
        auto* copy = ModuleUtils::copyFunction(func.get(), module, name);
        renamed[func->name] = copy->name;
      }
    }
  }

  void copyFunctions() {
    std::map<Name, Name> exportNames;
    for (auto& exp : runtime->exports) {
      if (exp->kind == ExternalKind::Function) exportNames[exp->value] = exp->name;
    }
    for (auto& func : runtime->functions) {
      if (func->imported()) continue;
      auto found = exportNames.find(func->name);
      Name name = found != exportNames.end() ? runtime::functionName(found->second.str)
                                             : Name("wasm_ckpt$internal." + std::string(func->name.str));
      renamed[func->name] = name;
    }
    std::set<Name> unneededWrappers; // of WASI functions the program does not import
    for (const char* base : kRedirected) {
      if (!programWasi.count(Name(base))) unneededWrappers.insert(runtime::functionName(base));
    }
    for (auto& func : runtime->functions) {
      if (func->imported() || unneededWrappers.count(renamed[func->name])) continue;
      copies.push_back(ModuleUtils::copyFunction(func.get(), module, renamed[func->name])->name);
    }
    addLateValues();
    for (auto name : copies) {
      Rewriter rewriter(*this);
      rewriter.walkFunctionInModule(module.getFunction(name), &module);
    }
    // The intrinsics are constants now (this module's memory limit, whether it can open files,
    // ...): folding them drops the run-time code this program cannot reach.
    PassRunner runner(&module);
    runner.setIsNested(true);
    for (const char* pass : {"precompute", "remove-unused-brs", "vacuum", "dce", "vacuum"}) runner.add(pass);
    for (auto name : copies) runner.runOnFunction(module.getFunction(name));
  }

  // The strings' offsets and size are known only once the code that this module cannot reach
  // is gone: until then, the run-time code calls these placeholders (layOutStrings).
  static Name lateString() { return runtime::functionName("late.ro"); }
  static Name lateStringsSize() { return runtime::functionName("late.rodata_size"); }
  void addLateValues() {
    for (auto [name, params] : {std::pair{lateString(), Type({Type::i32, Type::i32})}, std::pair{lateStringsSize(), Type(Type::none)}}) {
      auto func = Builder::makeFunction(name, Signature(params, Type::i32), {});
      func->module = "wasm_ckpt";
      func->base = name;
      module.addFunction(std::move(func));
    }
  }

  // Fills the strings' segment with the strings that the remaining run-time code uses (ckpt_ro's
  // operands: their address in the run-time code's data and their size), overlapping ones (a
  // string that is the end of another) kept once, and replaces the placeholders by the offsets
  // and the size.
  void layOutStrings() {
    std::vector<Call*> uses, sizes;
    struct Find : PostWalker<Find> {
      std::vector<Call*>*uses, *sizes;
      void visitCall(Call* call) {
        if (call->target == lateString()) uses->push_back(call);
        if (call->target == lateStringsSize()) sizes->push_back(call);
      }
    } find;
    find.uses = &uses;
    find.sizes = &sizes;
    for (auto name : copies) {
      if (auto* func = module.getFunctionOrNull(name)) find.walkFunction(func);
    }
    auto operand = [](Call* call, Index i) { return constOperand(call, i, "a run-time string"); };
    std::map<uint32_t, uint32_t> ranges; // start -> end, in the run-time code's data
    for (auto* call : uses) {
      uint32_t start = operand(call, 0) - uint32_t(rodataOrigin), size = operand(call, 1);
      if (operand(call, 0) < rodataOrigin || size == 0 || start > rodata.size() || size > rodata.size() - start ||
          rodata[start + size - 1] != 0)
        throw Error("internal error: a run-time string is not a string of the run-time code's data");
      auto& end = ranges[start];
      end = std::max(end, start + size);
    }
    std::map<uint32_t, uint32_t> placed; // a range's start -> its offset in the segment
    std::vector<char> kept = packRanges(rodata, ranges, placed);
    for (auto* call : uses) {
      uint32_t offset = placed.at(operand(call, 0) - uint32_t(rodataOrigin));
      ExpressionManipulator::convert<Call, Const>(call)->set(Literal(int32_t(offset)));
    }
    for (auto* call : sizes) ExpressionManipulator::convert<Call, Const>(call)->set(Literal(int32_t(kept.size())));
    module.memory.segments[segmentIndex(module, rodataSegmentName())].data = std::move(kept);
    module.removeFunction(lateString());
    module.removeFunction(lateStringsSize());
  }

  // Binaryen's size optimizations on the run-time functions, now that their intrinsics are
  // globals and constants of this module (clang saw calls of imports).
  void optimizeCopies() {
    PassOptions options;
    options.optimizeLevel = 2;
    options.shrinkLevel = 2;
    PassRunner runner(&module, options);
    runner.setIsNested(true);
    runner.addDefaultFunctionOptimizationPasses();
    for (auto name : copies) {
      if (auto* func = module.getFunctionOrNull(name)) runner.runOnFunction(func);
    }
  }

  // Drops the run-time functions (copied or generated here) and the WASI imports added for them
  // that nothing reaches from the program's code, its exports or the entry points that the
  // passes coming later call (poll_slow, frame_read, frame_reserve) or that _start becomes.
  // Call once everything the injector adds is in place.
  void removeUnreachedRuntimeFunctions() {
    std::set<Name> internal(copies.begin(), copies.end()); // the run-time code's, kept where reached
    for (auto name : generated) internal.insert(name);
    for (auto name : {runtime::pollSlow(), runtime::frameRead(), runtime::frameReserve(), runtime::start()}) internal.erase(name);
    std::vector<Name> roots = moduleRoots(module);
    for (auto& func : module.functions) {
      if (func->name.startsWith("wasm_ckpt$wasi.")) internal.insert(func->name);
      else if (!internal.count(func->name)) roots.push_back(func->name);
    }
    auto reached = reachableFunctions(module, roots);
    module.removeFunctions([&](Function* func) { return internal.count(func->name) && !reached.count(func->name); });
  }


  // Replaces intrinsic calls and renames calls inside the copied run-time functions.
  struct Rewriter : PostWalker<Rewriter> {
    Injector& injector;
    explicit Rewriter(Injector& injector) : injector(injector) {}

    void visitGlobalGet(GlobalGet*) { fail("uses a C global (shadow stack?)"); }
    void visitGlobalSet(GlobalSet*) { fail("uses a C global (shadow stack?)"); }
    void fail(const char* what) { throw Error(std::string("internal error: the run-time code ") + what); }

    void visitCall(Call* call) {
      auto intrinsic = injector.intrinsics.find(call->target);
      if (intrinsic != injector.intrinsics.end()) {
        replaceCurrent(injector.expandIntrinsic(intrinsic->second, call));
        return;
      }
      auto target = injector.renamed.find(call->target);
      if (target == injector.renamed.end()) fail("calls an unknown function");
      call->target = target->second;
    }
  };

  // Operand 'i' of an intrinsic call, which must be a constant ('what' names it in the error).
  static uint32_t constOperand(Call* call, Index i, const char* what) {
    auto* c = call->operands[i]->dynCast<Const>();
    if (!c) throw Error(std::string("internal error: ") + what + " is not a constant");
    return c->value.geti32();
  }
  static uint32_t slotOf(Call* call) { return constOperand(call, 0, "a run-time slot"); }

  Expression* expandIntrinsic(Name which, Call* call) {
    auto& ops = call->operands;
    if (which == "get_i32") return builder.makeGlobalGet(runtime::i32Slot(slotOf(call)), Type::i32);
    if (which == "set_i32") return builder.makeGlobalSet(runtime::i32Slot(slotOf(call)), ops[1]);
    if (which == "get_i64") return builder.makeGlobalGet(runtime::i64Slot(slotOf(call)), Type::i64);
    if (which == "set_i64") return builder.makeGlobalSet(runtime::i64Slot(slotOf(call)), ops[1]);
    if (which == "module_hash") return builder.makeGlobalGet(runtime::moduleHashGlobal(), Type::i64);
    if (which == "baked_size") return builder.makeGlobalGet(runtime::bakedSizeGlobal(), Type::i32);
    if (which == "globals_size") {
      uint32_t size = 0;
      for (auto* g : savedGlobals) size += g->type.getByteSize();
      return builder.makeConst(int32_t(size));
    }
    if (which == "ro") return builder.makeCall(lateString(), {ops[0], ops[1]}, Type::i32);
    if (which == "rodata_size") return builder.makeCall(lateStringsSize(), {}, Type::i32);
    if (which == "rodata_copy")
      return builder.makeMemoryInit(segmentIndex(module, rodataSegmentName()), ops[0], builder.makeConst(int32_t(0)),
                                    builder.makeCall(lateStringsSize(), {}, Type::i32));
    if (which == "baked_copy") return builder.makeMemoryInit(segmentIndex(module, bakedSegmentName()), ops[0], ops[1], ops[2]);
    if (which == "save_globals" || which == "restore_globals")
      return builder.makeCall(runtime::functionName(which.str), {ops.begin(), ops.end()}, Type::none);
    if (which == "with_window") {
      std::vector<Expression*> args{builder.makeConst(int32_t(0))};
      args.insert(args.end(), ops.begin(), ops.end());
      return builder.makeCall(stashRunName(), args, Type::i32);
    }
    if (which == "memory_limit") return builder.makeConst(int32_t(uint32_t(memoryLimit.addr)));
    if (which == "files_used") { // the program can add to the descriptor table
      bool used = programWasi.count(Name("path_open")) || programWasi.count(Name("fd_fdstat_set_flags")) ||
                  programWasi.count(Name("sock_accept"));
      return builder.makeConst(int32_t(used));
    }
    if (which == "call_original_start") {
      return originalStart.is() ? (Expression*)builder.makeCall(originalStart, {}, Type::none) : builder.makeNop();
    }
    throw Error("internal error: unknown run-time intrinsic " + std::string(which.str));
  }

  static Name stashRunName() { return runtime::functionName("stash_run"); }

  // save_globals(dst) / restore_globals(src): the program's mutable globals, packed in order.
  // stash_run: see addStashRun.
  void addGeneratedFunctions() {
    auto makeFunc = [&](const char* name, std::vector<Type> params, Expression* body) {
      module.addFunction(Builder::makeFunction(runtime::functionName(name), Signature(Type(params), Type::none), {}, body));
      generated.push_back(runtime::functionName(name));
    };
    auto* save = builder.makeBlock();
    auto* restore = builder.makeBlock();
    uint32_t offset = 0;
    for (auto* g : savedGlobals) {
      unsigned bytes = g->type.getByteSize();
      save->list.push_back(builder.makeStore(bytes, offset, 1, builder.makeLocalGet(0, Type::i32),
                                             builder.makeGlobalGet(g->name, g->type), g->type));
      restore->list.push_back(builder.makeGlobalSet(
        g->name, builder.makeLoad(bytes, false, offset, 1, builder.makeLocalGet(0, Type::i32), g->type)));
      offset += bytes;
    }
    save->finalize();
    restore->finalize();
    makeFunc("save_globals", {Type::i32}, save);
    makeFunc("restore_globals", {Type::i32}, restore);
    addStashRun();
  }

  // with_window(action, msg, number) calls stash_run(0, action, msg, number):
  //
  //   stash_run(base, action, msg, number) -> i32:
  //     w0..w31 = the chunk at [base, base + 256)
  //     result = base + 256 >= window ? window_action(action, msg, number)
  //                                   : stash_run(base + 256, action, msg, number)
  //     unless result & WINDOW_KEEP: the chunk at base = w0..w31
  //     return result
  //
  // where window is the run-time global SLOT_WINDOW_BYTES (4 KiB, or what the environment needs).
  // The window's contents live in the locals of the active calls (16 for 4 KiB), where the
  // program cannot see them, and the code is one chunk's loads and stores instead of the whole
  // window's.
  void addStashRun() {
    const Index base = 0, action = 1, msg = 2, number = 3, result = 4, words = 5;
    std::vector<Type> vars{Type::i32};
    for (Index i = 0; i < kChunkWords; i++) vars.push_back(Type::i64);
    auto* body = builder.makeBlock();
    auto get = [&](Index local, Type type) { return builder.makeLocalGet(local, type); };
    for (Index i = 0; i < kChunkWords; i++)
      body->list.push_back(builder.makeLocalSet(words + i, builder.makeLoad(8, false, i * 8, 8, get(base, Type::i32), Type::i64)));
    auto args = [&](Expression* first) {
      return std::vector<Expression*>{first, get(action, Type::i32), get(msg, Type::i32), get(number, Type::i64)};
    };
    auto* last = builder.makeBinary(GeUInt32, builder.makeBinary(AddInt32, get(base, Type::i32), builder.makeConst(int32_t(kChunkBytes))),
                                    builder.makeGlobalGet(runtime::i32Slot(SLOT_WINDOW_BYTES), Type::i32));
    auto* inner = builder.makeCall(runtime::functionName("window_action"),
                                   {get(action, Type::i32), get(msg, Type::i32), get(number, Type::i64)}, Type::i32);
    auto* deeper = builder.makeCall(
      stashRunName(), args(builder.makeBinary(AddInt32, get(base, Type::i32), builder.makeConst(int32_t(kChunkBytes)))), Type::i32);
    body->list.push_back(builder.makeLocalSet(result, builder.makeIf(last, inner, deeper)));
    auto* putBack = builder.makeBlock();
    for (Index i = 0; i < kChunkWords; i++)
      putBack->list.push_back(builder.makeStore(8, i * 8, 8, get(base, Type::i32), get(words + i, Type::i64), Type::i64));
    putBack->finalize();
    auto* keep = builder.makeBinary(AndInt32, get(result, Type::i32), builder.makeConst(int32_t(WINDOW_KEEP)));
    body->list.push_back(builder.makeIf(builder.makeUnary(EqZInt32, keep), putBack));
    body->list.push_back(get(result, Type::i32));
    body->finalize(Type::i32);
    module.addFunction(Builder::makeFunction(stashRunName(), Signature(Type({Type::i32, Type::i32, Type::i32, Type::i64}), Type::i32),
                                             std::move(vars), body));
    generated.push_back(stashRunName());
  }

  // _start runs the run-time entry, which calls the original _start (call_original_start).
  void findStart() {
    auto* exp = module.getExportOrNull("_start");
    if (exp && exp->kind == ExternalKind::Function) originalStart = exp->value;
  }
  bool wrapStart() {
    if (!originalStart.is()) return false;
    module.getExport("_start")->value = runtime::start();
    return true;
  }
};
} // namespace

InjectedRuntime injectRuntime(wasm::Module& module) { return Injector(module).run(); }

void addFrameCodec(wasm::Module& module, const std::set<ValueKind>& kinds) {
  using namespace wasm;
  Builder builder(module);
  Name cursor = runtime::i32Slot(SLOT_FRAME_CURSOR);
  for (auto kind : kinds) {
    Type type = typeOfValueKind(kind);
    uint32_t bytes = valueKindSize(kind);
    // The cursor's value, in local `at`, after moving the cursor past a value of this kind.
    auto advance = [&](Index at) {
      return builder.makeGlobalSet(cursor, builder.makeBinary(AddInt32, builder.makeLocalTee(at, builder.makeGlobalGet(cursor, Type::i32), Type::i32),
                                                              builder.makeConst(int32_t(bytes))));
    };
    // frame_store.KIND(value): stores the value at the cursor, unaligned.
    auto* store = builder.makeSequence(advance(1), builder.makeStore(bytes, 0, 1, builder.makeLocalGet(1, Type::i32),
                                                                     builder.makeLocalGet(0, type), type));
    module.addFunction(Builder::makeFunction(runtime::frameStore(kind), Signature(type, Type::none), {Type::i32}, store));
    // frame_load.KIND() -> the value at the cursor.
    auto* load = builder.makeSequence(advance(0), builder.makeLoad(bytes, false, 0, 1, builder.makeLocalGet(0, Type::i32), type));
    module.addFunction(Builder::makeFunction(runtime::frameLoad(kind), Signature(Type::none, type), {Type::i32}, load));
  }
}

void setModuleHash(wasm::Module& module, uint64_t hash) {
  module.getGlobal(runtime::moduleHashGlobal())->init->cast<wasm::Const>()->value = wasm::Literal(int64_t(hash));
}

namespace {
uint32_t globalIndex(wasm::Module& module, wasm::Name name) {
  for (uint32_t i = 0; i < module.globals.size(); i++) {
    if (module.globals[i]->name == name) return i;
  }
  throw Error("internal error: missing run-time global " + std::string(name.str));
}

wasm::Const* definedConstGlobal(wasm::Module& module, uint32_t index) {
  if (index >= module.globals.size() || module.globals[index]->imported())
    throw Error("the module's wasm-ckpt section does not match the module");
  auto* init = module.globals[index]->init->dynCast<wasm::Const>();
  if (!init) throw Error("the module's wasm-ckpt section does not match the module");
  return init;
}
} // namespace

RuntimeLocations locateRuntime(wasm::Module& module) {
  RuntimeLocations where;
  where.moduleHashGlobal = globalIndex(module, runtime::moduleHashGlobal());
  where.bakedSizeGlobal = globalIndex(module, runtime::bakedSizeGlobal());
  where.flagsGlobal = globalIndex(module, runtime::i32Slot(SLOT_FLAGS));
  where.bakedSegment = segmentIndex(module, bakedSegmentName());
  return where;
}

uint64_t getModuleHash(wasm::Module& module, const RuntimeLocations& where) {
  return definedConstGlobal(module, where.moduleHashGlobal)->value.geti64();
}

uint32_t getBakedSize(wasm::Module& module, const RuntimeLocations& where) {
  return uint32_t(definedConstGlobal(module, where.bakedSizeGlobal)->value.geti32());
}

} // namespace wasm_ckpt
