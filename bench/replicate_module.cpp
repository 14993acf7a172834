// replicate-module: a large module for the benchmark's instrumentation-time figure.
//
//   replicate-module IN.wasm -o OUT.wasm --copies N
//
// Adds N-1 copies of every function the module defines, so that OUT's Code section is about N
// times IN's, with IN's distribution of function sizes, loops and calls: the copies call the
// functions the originals call, so they are on the same call paths to poll points, and the
// functions that are in IN's table stay the only ones reachable through it. The Asyncify
// baseline's -O2 would shrink the result back to IN's size, as dead code (unreferenced functions)
// and as duplicates of other functions: so each copy is exported (as its name, `copyK$original`)
// and starts by storing K into an exported global. The data and memory are IN's. Nothing runs the result: it is an input to `wasm-ckpt instrument` and to the Asyncify
// baseline, timed on a module of the size the targets name (10 MB) rather than extrapolated from
// a smaller one.
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "ir/module-utils.h"
#include "wasm-binary.h"
#include "wasm-builder.h"
#include "wasm-validator.h"
#include "wasm.h"

using namespace wasm;

namespace {
int usage() {
  std::cerr << "usage: replicate-module IN.wasm -o OUT.wasm --copies N (N >= 1)\n";
  return 2;
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

  std::ifstream in(input, std::ios::binary);
  if (!in) {
    std::cerr << "replicate-module: cannot read " << input << "\n";
    return 1;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Module module;
  try {
    WasmBinaryBuilder parser(module, FeatureSet::MVP, bytes);
    parser.read();
  } catch (ParseException& e) {
    std::cerr << "replicate-module: " << input << ": invalid module: " << e.text << "\n";
    return 1;
  }
  if (!module.hasFeaturesSection) module.features = FeatureSet::All;

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

  if (!WasmValidator().validate(module)) {
    std::cerr << "replicate-module: " << input << ": result does not validate\n";
    return 1;
  }
  BufferWithRandomAccess buffer;
  WasmBinaryWriter writer(&module, buffer);
  writer.write();
  std::ofstream out(output, std::ios::binary);
  out.write(reinterpret_cast<const char*>(buffer.data()), buffer.size());
  out.close();
  if (!out) {
    std::cerr << "replicate-module: cannot write " << output << "\n";
    return 1;
  }
  return 0;
}
