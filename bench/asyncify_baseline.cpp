// asyncify-baseline: the comparison point of the benchmark harness (bench/run.sh).
//
//   asyncify-baseline [--safepoints-only] IN.wasm -o OUT.wasm
//
// Puts a safepoint at the same places wasm-ckpt puts its poll points (every function entry and
// every loop header):
//
//   (if (global.get $safepoint_flag) (call $env.safepoint))
//
// where $safepoint_flag is a new mutable i32 global (initial 0, exported as "safepoint_flag" so
// that no optimization can fold it to a constant) and $env.safepoint an imported () -> ()
// function. Then runs Binaryen's Asyncify with asyncify-imports=env.safepoint followed by the
// default -O2 pipeline, exactly as `wasm-opt --asyncify --pass-arg=asyncify-imports@env.safepoint
// -O2` would. The harness runs the result with the flag left at 0 and a no-op env.safepoint, so
// it measures what Asyncify costs a program that is never actually unwound.
//
// --safepoints-only writes the module right after the safepoints are added (to check the result
// against `wasm-opt --asyncify --pass-arg=asyncify-imports@env.safepoint -O2` on it).
// Prints "instrument-seconds <s>" (read + transform + write) on stdout.
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "pass.h"
#include "wasm-binary.h"
#include "wasm-builder.h"
#include "wasm-validator.h"
#include "wasm.h"

using namespace wasm;

namespace {

// Same default as wasm-ckpt's reader for modules without a target_features section.
FeatureSet defaultFeatures() {
  return FeatureSet::MVP | FeatureSet::MutableGlobals | FeatureSet::SignExt | FeatureSet::TruncSat |
         FeatureSet::BulkMemory | FeatureSet::SIMD | FeatureSet::Multivalue;
}

Name freshName(Module& module, const std::string& base) {
  std::string name = base;
  for (int i = 0; module.getFunctionOrNull(name) || module.getGlobalOrNull(name) || module.getExportOrNull(name); i++)
    name = base + "_" + std::to_string(i);
  return name;
}

// Adds the safepoint check at the start of every loop body and of every function body.
struct InsertSafepoints : public PostWalker<InsertSafepoints> {
  Module& module;
  Name flag, safepoint;
  size_t count = 0;
  InsertSafepoints(Module& module, Name flag, Name safepoint) : module(module), flag(flag), safepoint(safepoint) {}

  Expression* check() {
    Builder builder(module);
    count++;
    return builder.makeIf(builder.makeGlobalGet(flag, Type::i32), builder.makeCall(safepoint, {}, Type::none));
  }
  void visitLoop(Loop* loop) {
    Builder builder(module);
    loop->body = builder.makeSequence(check(), loop->body);
  }
  void visitFunction(Function* func) {
    Builder builder(module);
    func->body = builder.makeSequence(check(), func->body);
  }
};

} // namespace

int main(int argc, char** argv) {
  std::string input, output;
  bool safepointsOnly = false;
  for (int i = 1; i < argc; i++) {
    if (!std::strcmp(argv[i], "-o") && i + 1 < argc) output = argv[++i];
    else if (!std::strcmp(argv[i], "--safepoints-only")) safepointsOnly = true;
    else if (input.empty()) input = argv[i];
    else {
      std::cerr << "usage: asyncify-baseline [--safepoints-only] IN.wasm -o OUT.wasm\n";
      return 2;
    }
  }
  if (input.empty() || output.empty()) {
    std::cerr << "usage: asyncify-baseline [--safepoints-only] IN.wasm -o OUT.wasm\n";
    return 2;
  }
  auto started = std::chrono::steady_clock::now();

  std::ifstream in(input, std::ios::binary);
  if (!in) {
    std::cerr << "asyncify-baseline: cannot read " << input << "\n";
    return 1;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Module module;
  try {
    WasmBinaryBuilder parser(module, FeatureSet::MVP, bytes);
    parser.read();
  } catch (ParseException& e) {
    std::cerr << "asyncify-baseline: " << input << ": invalid module: " << e.text << "\n";
    return 1;
  }
  if (!module.hasFeaturesSection) module.features = defaultFeatures();
  module.features.enable(FeatureSet::MutableGlobals); // the exported flag global

  Builder builder(module);
  Name safepoint = freshName(module, "safepoint");
  auto import = builder.makeFunction(safepoint, Signature(Type::none, Type::none), {});
  import->module = "env";
  import->base = "safepoint";
  module.addFunction(std::move(import));
  Name flag = freshName(module, "safepoint_flag");
  module.addGlobal(builder.makeGlobal(flag, Type::i32, builder.makeConst(int32_t(0)), Builder::Mutable));
  Name flagExport = "safepoint_flag";
  for (int i = 0; module.getExportOrNull(flagExport); i++) flagExport = "safepoint_flag_" + std::to_string(i);
  module.addExport(builder.makeExport(flagExport, flag, ExternalKind::Global));

  InsertSafepoints inserter(module, flag, safepoint);
  for (auto& func : module.functions) {
    if (func->imported()) continue;
    inserter.walkFunctionInModule(func.get(), &module);
  }

  if (!safepointsOnly) {
    PassRunner runner(&module);
    runner.options.optimizeLevel = 2;
    runner.options.shrinkLevel = 0;
    runner.options.arguments["asyncify-imports"] = "env.safepoint";
    runner.add("asyncify");
    runner.addDefaultOptimizationPasses();
    runner.run();
  }

  if (!WasmValidator().validate(module)) {
    std::cerr << "asyncify-baseline: " << input << ": result does not validate\n";
    return 1;
  }
  BufferWithRandomAccess buffer;
  WasmBinaryWriter writer(&module, buffer);
  writer.write();
  std::ofstream out(output, std::ios::binary);
  out.write(reinterpret_cast<const char*>(buffer.data()), buffer.size());
  out.close();
  if (!out) {
    std::cerr << "asyncify-baseline: cannot write " << output << "\n";
    return 1;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "safepoints " << inserter.count << "\ninstrument-seconds " << seconds << "\n";
  return 0;
}
