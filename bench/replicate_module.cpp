// replicate-module: a large module for the benchmark's instrumentation-time figure.
//
//   replicate-module IN.wasm -o OUT.wasm --copies N
//
// Adds N-1 copies of every function the module defines, so that OUT's Code section is about N
// times IN's, with IN's distribution of function sizes, loops and calls: the copies call the
// functions the originals call, so they are on the same call paths to poll points, and the
// functions that are in IN's table stay the only ones reachable through it. The Asyncify
// baseline's -O2 would shrink the result back to IN's size, as dead code (unreferenced
// functions) and as duplicates of other functions: so each copy is exported (as its name,
// `copyK$original`) and starts by storing K into an exported global. The data and memory are
// IN's. Nothing runs the result: it is an input to `wasm-ckpt instrument` and to the Asyncify
// baseline, timed at the size the targets name (10 MB) rather than extrapolated from a smaller
// module. Reads and writes modules with wasm-ckpt's own module I/O.
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "ir/module-utils.h"
#include "wasm-builder.h"
#include "wasm.h"

#include "wasm_ckpt/error.h"
#include "wasm_ckpt/module_io.h"

using namespace wasm;

namespace {
int usage() {
  std::cerr << "usage: replicate-module IN.wasm -o OUT.wasm --copies N (N >= 1)\n";
  return 2;
}

void replicate(Module& module, long copies) {
  Builder builder(module);
  Name marker("replicate_module$copy");
  module.addGlobal(builder.makeGlobal(marker, Type::i32, builder.makeConst(int32_t(0)), Builder::Mutable));
  module.addExport(builder.makeExport(marker, marker, ExternalKind::Global));
  module.features.enable(FeatureSet::MutableGlobals);
  std::vector<Function*> defined;
  for (auto& func : module.functions) {
    if (!func->imported()) defined.push_back(func.get());
  }
  for (long copy = 1; copy < copies; copy++) {
    for (auto* func : defined) {
      Name name("copy" + std::to_string(copy) + "$" + func->name.str);
      auto* replica = ModuleUtils::copyFunction(func, module, name);
      replica->body = builder.makeSequence(builder.makeGlobalSet(marker, builder.makeConst(int32_t(copy))), replica->body);
      module.addExport(Builder::makeExport(name, name, ExternalKind::Function));
    }
  }
}
} // namespace

int main(int argc, char** argv) {
  std::string input, output;
  long copies = 0;
  for (int i = 1; i < argc; i++) {
    if (!std::strcmp(argv[i], "-o") && i + 1 < argc) output = argv[++i];
    else if (!std::strcmp(argv[i], "--copies") && i + 1 < argc) copies = std::strtol(argv[++i], nullptr, 10);
    else if (input.empty()) input = argv[i];
    else return usage();
  }
  if (input.empty() || output.empty() || copies < 1 || copies > 1000) return usage();
  try {
    auto module = wasm_ckpt::readModule(input);
    replicate(*module, copies);
    wasm_ckpt::validateModule(*module, "the replicated module");
    wasm_ckpt::writeFileAtomically(output, wasm_ckpt::writeModuleBinary(*module));
  } catch (const wasm_ckpt::Error& e) {
    std::cerr << "replicate-module: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
