// The modules of a batch: arguments expanded (@lists, directories, globs) into files, and the
// output path each one gets.
#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "wasm_ckpt/batch.h"
#include "wasm_ckpt/error.h"

namespace wasm_ckpt {

namespace fs = std::filesystem;

namespace {
bool isModuleName(const fs::path& path) { return path.extension() == ".wasm" || path.extension() == ".wat"; }

void expandOne(const std::string& argument, std::vector<std::string>& out, int depth) {
  if (argument.size() > 1 && argument[0] == '@') {
    std::string list = argument.substr(1);
    if (depth > 8) throw Error(list + ": lists nest more than 8 deep");
    std::ifstream in(list);
    if (!in) throw Error(list + ": cannot read the module list");
    std::string line;
    while (std::getline(in, line)) {
      line.erase(0, line.find_first_not_of(" \t\r"));
      line.erase(line.find_last_not_of(" \t\r") + 1);
      if (!line.empty() && line[0] != '#') expandOne(line, out, depth + 1);
    }
    return;
  }
  if (argument.find_first_of("*?[") != std::string::npos) {
    glob_t matches{};
    int status = glob(argument.c_str(), 0, nullptr, &matches); // sorted
    std::vector<std::string> found(matches.gl_pathv, matches.gl_pathv + matches.gl_pathc);
    globfree(&matches);
    if (status == GLOB_NOMATCH || found.empty()) throw Error(argument + ": no file matches");
    if (status != 0) throw Error(argument + ": cannot expand the pattern");
    for (auto& path : found) {
      if (!fs::is_directory(path)) out.push_back(path);
    }
    return;
  }
  std::error_code error;
  if (fs::is_directory(argument, error)) {
    std::vector<std::string> found;
    for (auto& entry : fs::directory_iterator(argument, error)) {
      if (entry.is_regular_file() && isModuleName(entry.path())) found.push_back(entry.path().string());
    }
    if (error) throw Error(argument + ": cannot read the directory");
    if (found.empty()) throw Error(argument + ": the directory holds no .wasm or .wat file");
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
    return;
  }
  if (argument == "-") throw Error("a batch cannot read a module from standard input");
  if (!fs::exists(argument, error)) throw Error(argument + ": no such file");
  out.push_back(argument);
}
} // namespace

std::vector<std::string> expandInputs(const std::vector<std::string>& arguments) {
  std::vector<std::string> inputs;
  for (auto& argument : arguments) expandOne(argument, inputs, 0);
  if (inputs.empty()) throw Error("no module to instrument");
  std::map<std::string, std::string> seen; // canonical path -> as named
  for (auto& input : inputs) {
    auto [at, added] = seen.emplace(fs::weakly_canonical(input).string(), input);
    if (!added) throw Error(input + ": named twice (also as " + at->second + ")");
  }
  return inputs;
}

std::vector<BatchJob> assignOutputs(const std::vector<std::string>& inputs, const std::string& outDir,
                                    const std::string& suffix) {
  std::vector<BatchJob> jobs;
  std::map<std::string, std::string> outputs; // canonical output -> input
  std::set<std::string> canonicalInputs;
  for (auto& input : inputs) canonicalInputs.insert(fs::weakly_canonical(input).string());
  for (auto& input : inputs) {
    fs::path name = fs::path(input).filename();
    if (isModuleName(name)) name.replace_extension();
    std::string output = (fs::path(outDir) / (name.string() + suffix + ".wasm")).string();
    std::string canonical = fs::weakly_canonical(output).string();
    if (canonicalInputs.count(canonical))
      throw Error(input + ": its output " + output + " would replace an input (use --suffix or another --out-dir)");
    auto [at, added] = outputs.emplace(canonical, input);
    if (!added) throw Error(input + " and " + at->second + " would both be written to " + output);
    jobs.push_back({input, output});
  }
  return jobs;
}

} // namespace wasm_ckpt
