// The poll passes (ChunkLoops, UnrollPolledLoops, InsertPolls) run alone as the pipeline runs
// them: on the poll sites that the real planner (planInstrumentation) chose for the module, with
// the poll marker function the pipeline adds before them.
#pragma once

#include <memory>
#include <string>

#include "pass.h"
#include "wasm-builder.h"
#include "wasm.h"

#include "common/golden.h"
#include "common/test_modules.h"
#include "passes/passes.h"
#include "runtime/runtime_names.h"
#include "wasm_ckpt/module_io.h"
#include "wasm_ckpt/plan.h"

namespace wasm_ckpt::test {

// Plans golden/INPUT with `options`, runs the pass that `make` makes, and returns the module's
// text (validated).
inline std::string runPlannedPass(const char* input, const InstrumentOptions& options,
                                  std::unique_ptr<wasm::Pass> (*make)(PollPlacement*)) {
  auto module = parseText(goldenText(input), input);
  auto plan = planInstrumentation(*module, options);
  PollPlacement placement;
  placePlannedPolls(plan, placement);
  wasm::Builder builder(*module);
  module->addFunction(wasm::Builder::makeFunction(runtime::pollMarker(), wasm::Signature(wasm::Type::i32, wasm::Type::none), {},
                                                  builder.makeNop()));
  wasm::PassRunner runner(module.get());
  runner.add(make(&placement));
  runner.run();
  placement.errors.rethrow();
  validateModule(*module, input);
  return printed(*module);
}

} // namespace wasm_ckpt::test
