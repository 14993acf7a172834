// Function selection and the instrumentation plan.
//
// The call graph includes indirect calls, resolved conservatively: a call_indirect of type T may
// reach every function of type T placed in a table by an element segment. From it:
//   - poll points go into the selected functions: `full` puts one at every function entry and
//     loop header; `lean` at the headers of loops that are not short counted loops
//     (analysis/loop_bounds.h) and at the entry of enough recursive functions that every
//     call-graph cycle goes through one (cycleBreakers), which is enough to bound the work
//     between polls (code without loops and recursion is finite);
//   - a function is instrumented if it has a poll point or may call an instrumented function:
//     exactly the functions that can be on the stack when a poll point checkpoints.
#include "wasm_ckpt/plan.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "ir/find_all.h"
#include "ir/utils.h"
#include "wasm.h"

#include "analysis/loop_bounds.h"
#include "support/printable.h"
#include "wasm_ckpt/error.h"

namespace wasm_ckpt {

namespace {
std::string pollFreeNote(const FunctionPlan& f) {
  std::string note;
  if (f.pollFreeLoops) note += fmt::format("; {} short counted loop{} without poll", f.pollFreeLoops, f.pollFreeLoops == 1 ? "" : "s");
  if (f.callPolledLoops) note += fmt::format("; {} loop{} polled by the call{} in {}", f.callPolledLoops, f.callPolledLoops == 1 ? "" : "s",
                                             f.callPolledLoops == 1 ? "" : "s", f.callPolledLoops == 1 ? "it" : "them");
  return note;
}

using namespace wasm;

bool globMatch(const char* pattern, const char* text) {
  if (*pattern == 0) return *text == 0;
  if (*pattern == '*') return globMatch(pattern + 1, text) || (*text && globMatch(pattern, text + 1));
  if (*text && (*pattern == '?' || *pattern == *text)) return globMatch(pattern + 1, text + 1);
  return false;
}

size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); j++) row[j] = j;
  for (size_t i = 1; i <= a.size(); i++) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); j++) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

struct CallGraph {
  std::map<Name, std::set<Name>> callees;   // direct and resolved indirect
  std::unordered_map<HeapType, std::set<Name>> tableTargets;
};

CallGraph buildCallGraph(Module& module) {
  CallGraph graph;
  // A table the host provides may hold any function: then any function of the right type.
  bool hostTable = std::any_of(module.tables.begin(), module.tables.end(), [](auto& t) { return t->imported(); });
  for (auto& func : module.functions) {
    if (hostTable && !func->imported()) graph.tableTargets[func->type].insert(func->name);
  }
  for (auto& segment : module.elementSegments) {
    for (auto* item : segment->data) {
      if (auto* ref = item->dynCast<RefFunc>()) graph.tableTargets[module.getFunction(ref->func)->type].insert(ref->func);
    }
  }
  for (auto& func : module.functions) {
    if (func->imported()) continue;
    auto& callees = graph.callees[func->name];
    for (auto* call : FindAll<Call>(func->body).list) callees.insert(call->target);
    for (auto* call : FindAll<CallIndirect>(func->body).list) {
      auto targets = graph.tableTargets.find(call->heapType);
      if (targets != graph.tableTargets.end()) callees.insert(targets->second.begin(), targets->second.end());
    }
  }
  return graph;
}

// The call graph over some functions, by dense index, for repeated cycle searches.
struct IndexedGraph {
  std::vector<Name> names;
  std::vector<std::vector<int>> callees;
  IndexedGraph(const CallGraph& graph, const std::set<Name>& functions) : names(functions.begin(), functions.end()) {
    std::map<Name, int> id;
    for (auto f : names) id.emplace(f, int(id.size()));
    for (auto f : names) {
      auto& out = callees.emplace_back();
      for (auto g : graph.callees.at(f)) {
        if (auto found = id.find(g); found != id.end()) out.push_back(found->second);
      }
    }
  }
};

// The strongly connected components of the graph restricted to the functions not `removed`, by
// Tarjan's algorithm, which finds a component after every component it calls.
std::vector<std::vector<int>> components(const IndexedGraph& graph, const std::vector<bool>& removed) {
  int n = int(graph.names.size()), next = 0;
  std::vector<int> index(n, -1), low(n, 0), stack;
  std::vector<bool> onStack(n, false);
  std::vector<std::vector<int>> found;
  std::function<void(int)> visit = [&](int f) {
    index[f] = low[f] = next++;
    stack.push_back(f);
    onStack[f] = true;
    for (int g : graph.callees[f]) {
      if (removed[g]) continue;
      if (index[g] < 0) {
        visit(g);
        low[f] = std::min(low[f], low[g]);
      } else if (onStack[g]) {
        low[f] = std::min(low[f], index[g]);
      }
    }
    if (low[f] != index[f]) return;
    std::vector<int> component;
    int g;
    do {
      g = stack.back();
      stack.pop_back();
      onStack[g] = false;
      component.push_back(g);
    } while (g != f);
    found.push_back(std::move(component));
  };
  for (int f = 0; f < n; f++) {
    if (!removed[f] && index[f] < 0) visit(f);
  }
  return found;
}

// The components that contain a cycle: several functions, or one that calls itself.
std::vector<std::vector<int>> callCycles(const IndexedGraph& graph, const std::vector<bool>& removed) {
  std::vector<std::vector<int>> cycles;
  for (auto& component : components(graph, removed)) {
    int only = component[0];
    auto& callees = graph.callees[only];
    if (component.size() > 1 || std::find(callees.begin(), callees.end(), only) != callees.end())
      cycles.push_back(std::move(component));
  }
  return cycles;
}

// lean: the work each defined function's calls count for (loop_bounds.h: CallWork), measured
// callees first, and the loop polls of each, found on the way.
std::shared_ptr<CallWork> measureCallWork(Module& module, const CallGraph& graph, const std::set<Name>& entryPolled,
                                          uint64_t budget, std::map<Name, LoopPolls>& loopsOf) {
  auto calls = std::make_shared<CallWork>();
  calls->tableTargets = graph.tableTargets;
  std::set<Name> defined;
  for (auto& [f, _] : graph.callees) defined.insert(f);
  IndexedGraph indexed(graph, defined);
  auto ordered = components(indexed, std::vector<bool>(indexed.names.size(), false));
  for (size_t c = 0; c < ordered.size(); c++) {
    for (int f : ordered[c]) calls->component[indexed.names[f]] = int(c);
  }
  for (auto& component : ordered) {
    for (int f : component) {
      Name name = indexed.names[f];
      auto loops = polledLoops(module.getFunction(name), Strategy::Lean, entryPolled, budget, calls.get());
      calls->work[name] = loops.callWork;
      loopsOf[name] = std::move(loops);
    }
  }
  return calls;
}

std::set<Name> recursiveFunctions(const CallGraph& graph) {
  std::set<Name> defined, recursive;
  for (auto& [f, _] : graph.callees) defined.insert(f);
  IndexedGraph indexed(graph, defined);
  for (auto& cycle : callCycles(indexed, std::vector<bool>(indexed.names.size(), false))) {
    for (int f : cycle) recursive.insert(indexed.names[f]);
  }
  return recursive;
}

// Selected recursive functions whose entry polls break every call-graph cycle through a selected
// function (a feedback vertex set): lean polls at their entry only. An entry poll costs the same
// on every call, so it is cheapest in the functions that do the most per call: greedily, the
// largest selected function of each remaining cycle, until none is left. Work between polls
// stays bounded: a call chain longer than the number of functions repeats one, so it contains a
// cycle, so it passes a poll. Interpreters' cycles run through many small helpers: Lua's 475
// recursive functions need 90 entry polls, SQLite's 998 need 343.
std::set<Name> cycleBreakers(Module& module, const CallGraph& graph, const std::set<Name>& recursive,
                             const std::set<Name>& selected) {
  IndexedGraph indexed(graph, recursive);
  std::vector<Index> size;
  for (auto f : indexed.names) size.push_back(selected.count(f) ? Measurer::measure(module.getFunction(f)->body) + 1 : 0);
  std::vector<bool> removed(indexed.names.size(), false);
  std::set<Name> breakers;
  for (;;) {
    auto cycles = callCycles(indexed, removed);
    if (cycles.empty()) return breakers;
    for (auto& cycle : cycles) {
      int best = -1; // the largest selected function (size 0: not selected), the first on ties
      for (int f : cycle) {
        if (size[f] && (best < 0 || size[f] > size[best] || (size[f] == size[best] && f < best))) best = f;
      }
      if (best < 0) { // no poll wanted anywhere on it
        for (int f : cycle) removed[f] = true;
        continue;
      }
      breakers.insert(indexed.names[best]);
      removed[best] = true;
    }
  }
}

// The loops of `func` that hold a resume point besides their own header poll: a call that may
// unwind, or a polled loop (whose poll, at its header or between its chunks, is a resume point of
// the loops around it). In a guarded copy, such a loop's body tests guards in every iteration;
// a loop whose only resume point is its own poll needs none, as its body starts with the poll.
uint32_t loopsHoldingResumePoints(Function* func, const std::set<Name>& instrumented,
                                  const std::unordered_set<HeapType>& unwindingSignatures, const LoopPolls* polls) {
  struct Finder : ExpressionStackWalker<Finder> {
    const std::set<Name>* instrumented;
    const std::unordered_set<HeapType>* unwindingSignatures;
    const LoopPolls* polls;
    std::unordered_set<Loop*> holding;
    // Marks the loops around `curr`, innermost first; a loop already marked has its own
    // enclosing loops marked too.
    void markEnclosingLoops(Expression* curr) {
      for (size_t i = expressionStack.size(); i-- > 0;) {
        auto* loop = expressionStack[i]->dynCast<Loop>();
        if (!loop || loop == curr) continue;
        if (!holding.insert(loop).second) return;
      }
    }
    void visitCall(Call* curr) {
      if (instrumented->count(curr->target)) markEnclosingLoops(curr);
    }
    void visitCallIndirect(CallIndirect* curr) {
      if (unwindingSignatures->count(curr->heapType)) markEnclosingLoops(curr);
    }
    void visitLoop(Loop* curr) {
      if (polls && polls->polled.count(curr)) markEnclosingLoops(curr);
    }
  } finder;
  finder.instrumented = &instrumented;
  finder.unwindingSignatures = &unwindingSignatures;
  finder.polls = polls;
  finder.walk(func->body);
  return uint32_t(finder.holding.size());
}

// Whether an instrumented function gets a rewind copy. A copy without one tests rewind guards
// on its normal path: around the statements and `if`s that hold a resume point (design.md), so
// at most once per call outside loops, and per iteration in a loop that holds a resume point
// besides its own poll. Per call, such a guard costs about as much as the unwind test that
// follows each resume point anyway; next to a body of kGuardedWorkPerResumePoint expressions per
// resume point, that is noise, and the rewind copy, which is about as large as the function,
// buys nothing measurable. Smaller functions (fib's recursion: 2 calls and an entry poll in about
// 20 expressions) keep theirs, and with it the threaded countdown of their fast copy.
constexpr uint32_t kGuardedWorkPerResumePoint = 32;
void chooseCopies(FunctionPlan& f, RewindCopies option) {
  uint32_t resumePoints = f.loopPolls + f.entryPoll + f.unwindingCalls;
  if (option != RewindCopies::Auto) {
    f.copies = option == RewindCopies::None ? Copies::Guarded : Copies::FastAndRewind;
    f.copiesReason = fmt::format("--rewind-copies={}", rewindCopiesName(option));
  } else if (f.guardedLoops) {
    f.copies = Copies::FastAndRewind;
    f.copiesReason = fmt::format("rewind copy: {} loop{} hold{} resume points, whose guards would run in every iteration",
                                 f.guardedLoops, f.guardedLoops == 1 ? "" : "s", f.guardedLoops == 1 ? "s" : "");
  } else if (f.expressions < uint64_t(kGuardedWorkPerResumePoint) * resumePoints) {
    f.copies = Copies::FastAndRewind;
    f.copiesReason = fmt::format("rewind copy: {} expressions for {} resume point{}, whose guards would weigh on every call",
                                 f.expressions, resumePoints, resumePoints == 1 ? "" : "s");
  } else {
    f.copies = Copies::Guarded;
    f.copiesReason = fmt::format("guarded: no loop holds a resume point, and {} expressions for {} resume point{}",
                                 f.expressions, resumePoints, resumePoints == 1 ? "" : "s");
  }
}

std::set<Name> matchPatterns(Module& module, const std::vector<FunctionPlan>& functions,
                             const std::vector<std::string>& patterns, const char* option) {
  std::set<Name> matched;
  for (auto& pattern : patterns) {
    bool any = false;
    for (auto& f : functions) {
      bool hit = globMatch(pattern.c_str(), f.name.c_str()) || pattern == std::to_string(f.index) ||
                 pattern == "#" + std::to_string(f.index);
      for (auto& e : f.exports) hit = hit || globMatch(pattern.c_str(), e.c_str());
      if (hit) {
        matched.insert(Name(f.irName));
        any = true;
      }
    }
    if (!any) {
      std::set<std::pair<size_t, std::string>> near; // a function and its export may share a name
      for (auto& f : functions) {
        near.insert({editDistance(pattern, f.name), f.name});
        for (auto& e : f.exports) near.insert({editDistance(pattern, e), e});
      }
      std::string suggestions;
      size_t shown = 0;
      for (auto& [distance, name] : near) {
        if (shown++ == 3) break;
        suggestions += (shown > 1 ? ", " : "") + printableName(name);
      }
      throw Error(fmt::format("{} '{}' matches no function{}", option, printableName(pattern),
                              suggestions.empty() ? "" : "; closest: " + suggestions));
    }
  }
  return matched;
}
} // namespace

std::string displayName(const Function& func, uint32_t index) {
  std::string name = func.name.str;
  bool numbered = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; });
  return numbered ? fmt::format("func[{}]", index) : name;
}

InstrumentationPlan planInstrumentation(Module& module, const InstrumentOptions& options) {
  InstrumentationPlan plan;
  plan.strategy = options.strategy;
  std::map<Name, std::vector<std::string>> exportsOf;
  for (auto& e : module.exports) {
    if (e->kind == ExternalKind::Function) exportsOf[e->value].push_back(e->name.str);
  }
  uint32_t index = 0;
  for (auto& func : module.functions) {
    if (func->imported()) index++;
  }
  for (auto& func : module.functions) {
    if (func->imported()) continue;
    FunctionPlan f;
    f.index = index++;
    f.name = displayName(*func, f.index);
    f.irName = func->name.str;
    f.exports = exportsOf[func->name];
    plan.functions.push_back(std::move(f));
  }

  std::set<Name> selected;
  if (options.functions.empty()) {
    for (auto& f : plan.functions) selected.insert(Name(f.irName));
  } else {
    selected = matchPatterns(module, plan.functions, options.functions, "--functions");
  }
  for (auto name : matchPatterns(module, plan.functions, options.exclude, "--exclude")) selected.erase(name);

  auto graph = buildCallGraph(module);
  auto recursive = recursiveFunctions(graph);
  auto breakers = options.strategy == Strategy::Lean ? cycleBreakers(module, graph, recursive, selected) : std::set<Name>{};
  std::set<Name> instrumented, entryPolled;
  for (auto& f : plan.functions) {
    Name name(f.irName);
    f.selected = selected.count(name);
    f.recursive = recursive.count(name);
    f.entryPoll = f.selected && (options.strategy == Strategy::Full || breakers.count(name));
    if (f.entryPoll) entryPolled.insert(name);
  }
  std::map<Name, LoopPolls> loopsOf;
  if (options.strategy == Strategy::Lean) plan.callWork = measureCallWork(module, graph, entryPolled, options.pollFreeWork, loopsOf);
  for (auto& f : plan.functions) {
    Name name(f.irName);
    auto* func = module.getFunction(name);
    if (!f.selected) continue;
    auto loops = plan.callWork ? std::move(loopsOf.at(name)) : polledLoops(func, options.strategy, entryPolled, options.pollFreeWork);
    f.loopPolls = uint32_t(loops.polled.size());
    f.pollFreeLoops = loops.shortCounted;
    f.callPolledLoops = loops.callPolled;
    f.chunkedLoops = uint32_t(loops.chunked.size());
    f.unrolledLoops = uint32_t(loops.unrolled.size());
    f.polls = std::make_shared<const LoopPolls>(std::move(loops));
    if (f.loopPolls || f.entryPoll) {
      instrumented.insert(name);
      std::vector<std::string> rates;
      if (f.chunkedLoops) rates.push_back(fmt::format("{} per chunk of iterations", f.chunkedLoops));
      if (f.unrolledLoops) rates.push_back(fmt::format("{} every two iterations", f.unrolledLoops));
      std::string pace = rates.empty() ? "" : fmt::format(" ({})", fmt::join(rates, ", "));
      f.reason = fmt::format("selected: {} loop poll{}{}{}{}", f.loopPolls, f.loopPolls == 1 ? "" : "s", pace,
                             f.entryPoll ? (f.recursive ? ", entry poll (recursive)" : ", entry poll") : "",
                             pollFreeNote(f));
    } else if (f.recursive) {
      f.reason = "selected, but needs no poll point: the call cycles through it poll at another function's entry" +
                 pollFreeNote(f);
    } else {
      f.reason = f.pollFreeLoops || f.callPolledLoops ? "selected, but needs no poll point: not recursive" + pollFreeNote(f)
                                 : "selected, but has no loop and is not recursive: needs no poll point";
    }
  }
  // Callers of instrumented functions, to a fixpoint: they can be on the stack at a poll.
  std::map<Name, Name> via;
  for (bool changed = true; changed;) {
    changed = false;
    for (auto& [caller, callees] : graph.callees) {
      if (instrumented.count(caller)) continue;
      for (auto callee : callees) {
        if (instrumented.count(callee)) {
          instrumented.insert(caller);
          via[caller] = callee;
          changed = true;
          break;
        }
      }
    }
  }
  for (auto& [type, targets] : graph.tableTargets) {
    for (auto target : targets) {
      if (instrumented.count(target)) plan.unwindingSignatures.insert(type);
    }
  }
  for (auto& f : plan.functions) {
    Name name(f.irName);
    f.instrumented = instrumented.count(name);
    if (f.instrumented && via.count(name)) {
      f.reason = (f.reason.empty() ? "" : f.reason + "; ") + "calls " + std::string(via[name].str) + ", which is instrumented";
    } else if (!f.instrumented && f.reason.empty()) {
      f.reason = "not selected, and calls nothing instrumented";
    }
    if (!f.instrumented) continue;
    auto* func = module.getFunction(name);
    for (auto* call : FindAll<Call>(func->body).list) f.unwindingCalls += instrumented.count(call->target);
    for (auto* call : FindAll<CallIndirect>(func->body).list) f.unwindingCalls += plan.unwindingSignatures.count(call->heapType);
    f.expressions = Measurer::measure(func->body);
    f.huge = f.expressions >= options.hugeFunctionSize;
    if (f.huge)
      f.reason += fmt::format("; huge ({} expressions): loop polls keep their slow path in the loop, the countdown stays in memory", f.expressions);
    f.guardedLoops = loopsHoldingResumePoints(func, instrumented, plan.unwindingSignatures, f.polls.get());
    chooseCopies(f, options.rewindCopies);
  }
  return plan;
}

std::string describePlan(const InstrumentationPlan& plan, bool json) {
  std::string out;
  uint32_t instrumented = 0, polls = 0, calls = 0, rewindCopies = 0;
  for (auto& f : plan.functions) {
    if (!f.instrumented) continue;
    instrumented++;
    rewindCopies += f.copies == Copies::FastAndRewind;
    polls += f.loopPolls + f.entryPoll;
    calls += f.unwindingCalls;
  }
  if (json) {
    nlohmann::ordered_json functions = nlohmann::ordered_json::array();
    for (auto& f : plan.functions) {
      functions.push_back({{"index", f.index},
                           {"name", f.name},
                           {"selected", f.selected},
                           {"recursive", f.recursive},
                           {"instrumented", f.instrumented},
                           {"poll_points", f.loopPolls + f.entryPoll},
                           {"poll_free_loops", f.pollFreeLoops},
                           {"call_polled_loops", f.callPolledLoops},
                           {"chunked_loops", f.chunkedLoops},
                           {"unrolled_loops", f.unrolledLoops},
                           {"resume_points", f.loopPolls + f.entryPoll + f.unwindingCalls},
                           {"expressions", f.expressions},
                           {"huge", f.huge},
                           {"guarded_loops", f.guardedLoops},
                           {"copies", f.instrumented ? nlohmann::ordered_json(copiesName(f.copies)) : nlohmann::ordered_json(nullptr)},
                           {"copies_reason", f.copiesReason},
                           {"reason", f.reason}});
    }
    nlohmann::ordered_json document = {{"strategy", strategyName(plan.strategy)},
                                       {"instrumented_functions", instrumented},
                                       {"poll_points", polls},
                                       {"unwinding_calls", calls},
                                       {"rewind_copies", rewindCopies},
                                       {"functions", std::move(functions)}};
    // Names come from the module's name section: bytes that are not UTF-8 are replaced, not refused.
    return document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  }
  out += fmt::format("strategy {}: {} of {} functions instrumented ({} with a rewind copy), {} poll points, {} calls that may unwind\n",
                     strategyName(plan.strategy), instrumented, plan.functions.size(), rewindCopies, polls, calls);
  out += fmt::format("{:>6}  {:<12} {:>5} {:>7}  {:<11}  {:<32} {}\n", "index", "instrumented", "polls", "resumes", "copies",
                     "function", "why");
  for (auto& f : plan.functions) {
    out += fmt::format("{:>6}  {:<12} {:>5} {:>7}  {:<11}  {:<32} {}{}\n", f.index, f.instrumented ? "yes" : "no",
                       f.loopPolls + f.entryPoll, f.instrumented ? f.loopPolls + f.entryPoll + f.unwindingCalls : 0,
                       f.instrumented ? copiesName(f.copies) : "", f.name, f.reason,
                       f.instrumented ? "; " + f.copiesReason : "");
  }
  return out;
}

} // namespace wasm_ckpt
