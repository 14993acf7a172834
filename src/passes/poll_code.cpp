// The poll code of one transformed function: polls, slow paths and cold exits (poll_code.h).
#include "passes/poll_code.h"

#include <string>

#include "wasm-builder.h"

#include "runtime/runtime_names.h"

namespace wasm_ckpt {
using namespace wasm;

namespace {
Name coldExitLabel(Index id) { return Name("wasm_ckpt$cold" + std::to_string(id)); }
} // namespace

Expression* PollCode::callSlowPath(Index id) {
  auto& builder = context.builder;
  auto* start = sites.start(id);
  return builder.makeBlock({start, countdown.flush(), context.setRid(0), builder.makeCall(runtime::pollSlow(), {}, Type::none),
                            sites.exitIfUnwinding(id)});
}

Expression* PollCode::makePoll(Expression* marker, Index id, Expression* handOver) {
  auto& builder = context.builder;
  int32_t weight = pollMarkerWeight(marker);
  if (auto cold = coldExits.find(marker); cold != coldExits.end()) {
    auto [decrement, ranOut] = countdown.decrement(weight);
    return builder.makeSequence(decrement, builder.makeBreak(cold->second, nullptr, ranOut));
  }
  // countdown -= weight; if it ran out, the slow path decides (checkpoint, restore done, or
  // not), after `handOver`, if any, has taken a frame to rewind to the rewind copy.
  auto* slowPath = builder.makeSequence(callSlowPath(id), countdown.reload(0));
  if (handOver) slowPath = builder.makeSequence(handOver, slowPath);
  auto [decrement, ranOut] = countdown.decrement(weight);
  return builder.makeSequence(decrement, builder.makeIf(ranOut, slowPath));
}

void PollCode::addColdExit(Expression* header) { coldExits[header] = coldExitLabel(points.idOf(header)); }

Expression* PollCode::wrapWithColdExit(Loop* loop, Expression* header) {
  auto& builder = context.builder;
  Index id = points.idOf(header);
  std::string suffix = std::to_string(id);
  Name reenter("wasm_ckpt$reenter" + suffix), done("wasm_ckpt$done" + suffix);
  auto* coldBlock = builder.makeBlock(coldExitLabel(id), loop);
  coldBlock->list.push_back(builder.makeBreak(done));
  coldBlock->finalize();
  auto* slowPath = builder.makeBlock(
    std::vector<Expression*>{coldBlock, callSlowPath(id), countdown.reload(pollMarkerWeight(header)), builder.makeBreak(reenter)});
  return builder.makeBlock(done, builder.makeLoop(reenter, slowPath));
}

} // namespace wasm_ckpt
