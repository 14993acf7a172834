// Runs a batch: each module in a child process of this executable (`instrument --batch-worker`),
// up to N at once. Child processes rather than threads: Binaryen 108 has one thread pool per
// process whose work() runs one pass at a time (modules in threads would queue on it), and a
// Binaryen fatal error ends the process (a child's ends only its module). Each child gets
// BINARYEN_CORES = cores / N so that the machine is not oversubscribed; Binaryen's output does
// not depend on its thread count, so neither do the outputs.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <ostream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "wasm_ckpt/batch.h"
#include "wasm_ckpt/error.h"
#include "wasm_ckpt/hash.h"
#include "wasm_ckpt/module_io.h"

extern char** environ;

namespace wasm_ckpt {

namespace {
std::string selfExecutable() {
  char path[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) throw Error("cannot find the wasm-ckpt executable (/proc/self/exe) to run the batch's modules");
  return std::string(path, size_t(n));
}

struct ChildOutput {
  int status = 0;
  std::string out, err;
};

// Runs `argv` with `env`, standard input from /dev/null, collecting its standard output and error.
ChildOutput runChild(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  int outPipe[2], errPipe[2];
  if (pipe2(outPipe, O_CLOEXEC) != 0) throw Error(std::string("cannot create a pipe: ") + std::strerror(errno));
  if (pipe2(errPipe, O_CLOEXEC) != 0) {
    close(outPipe[0]), close(outPipe[1]);
    throw Error(std::string("cannot create a pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2);
  std::vector<char*> args, envp;
  for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(outPipe[1]);
  close(errPipe[1]);
  ChildOutput result;
  if (spawned == 0) {
    pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open = 2;
    while (open > 0) {
      if (poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        break;
      }
      for (int i = 0; i < 2; i++) {
        if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        char buffer[4096];
        ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
        if (n > 0) {
          sinks[i]->append(buffer, size_t(n));
        } else if (n == 0 || errno != EINTR) {
          fds[i].fd = -1;
          open--;
        }
      }
    }
    while (waitpid(pid, &result.status, 0) < 0 && errno == EINTR) {
    }
  }
  close(outPipe[0]);
  close(errPipe[0]);
  if (spawned != 0) throw Error(std::string("cannot start ") + argv[0] + ": " + std::strerror(spawned));
  return result;
}

// The child's record: "key value" lines.
constexpr const char* kWarning = "warning";

void parseRecord(const std::string& text, ModuleResult& result) {
  std::istringstream in(text);
  std::string line;
  auto& file = result.file;
  while (std::getline(in, line)) {
    auto space = line.find(' ');
    std::string key = line.substr(0, space), value = space == std::string::npos ? "" : line.substr(space + 1);
    auto number = [&](int base) { return std::stoull(value, nullptr, base); };
    if (key == "input_hash") file.inputHash = number(16);
    else if (key == "output_hash") file.outputHash = number(16);
    else if (key == "module_hash") file.report.moduleHash = number(16);
    else if (key == "input_code_size") file.inputCodeSize = number(10);
    else if (key == "output_code_size") file.outputCodeSize = number(10);
    else if (key == "functions") file.report.instrumentedFunctions = uint32_t(number(10));
    else if (key == "poll_points") file.report.pollPoints = uint32_t(number(10));
    else if (key == "resume_points") file.report.resumePoints = uint32_t(number(10));
    else if (key == kWarning) file.report.warnings.push_back(value);
  }
}

// Why a child failed: its one-line error, else how it ended.
std::string failure(const ChildOutput& child) {
  static const std::string prefix = "wasm-ckpt: error: ";
  std::istringstream in(child.err);
  std::string line, error;
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) error = line.substr(prefix.size());
  }
  if (!error.empty()) return error;
  if (WIFSIGNALED(child.status)) return fmt::format("crashed ({})", strsignal(WTERMSIG(child.status)));
  std::string last = child.err.substr(0, child.err.find('\n'));
  return fmt::format("failed (exit status {}){}", WEXITSTATUS(child.status), last.empty() ? "" : ": " + last);
}

std::vector<std::string> childEnvironment(unsigned threads) {
  std::vector<std::string> env;
  for (char** e = environ; *e; e++) {
    if (std::strncmp(*e, "BINARYEN_CORES=", 15) != 0) env.emplace_back(*e);
  }
  env.push_back("BINARYEN_CORES=" + std::to_string(threads));
  return env;
}
} // namespace

std::vector<std::string> instrumentArguments(const InstrumentOptions& options) {
  if (options.pollFreeWork != kDefaultPollFreeWork)
    throw Error("internal error: a batch worker cannot be given a poll-free work budget");
  std::vector<std::string> args = {"--strategy=" + std::string(strategyName(options.strategy)),
                                   "--optimize=" + std::to_string(options.optimizeLevel),
                                   "--huge-function-size=" + std::to_string(options.hugeFunctionSize)};
  args.push_back("--rewind-copies=" + std::string(rewindCopiesName(options.rewindCopies)));
  for (auto& pattern : options.functions) args.push_back("--functions=" + pattern);
  for (auto& pattern : options.exclude) args.push_back("--exclude=" + pattern);
  return args;
}

void runBatchWorker(const std::string& input, const std::string& output, const InstrumentOptions& options,
                    std::ostream& out) {
  auto file = instrumentFile(input, output, options);
  out << fmt::format("input_hash {:016x}\noutput_hash {:016x}\nmodule_hash {:016x}\n", file.inputHash,
                     file.outputHash, file.report.moduleHash)
      << fmt::format("input_code_size {}\noutput_code_size {}\n", file.inputCodeSize, file.outputCodeSize)
      << fmt::format("functions {}\npoll_points {}\nresume_points {}\n", file.report.instrumentedFunctions,
                     file.report.pollPoints, file.report.resumePoints);
  for (auto& warning : file.report.warnings) out << kWarning << ' ' << warning << '\n';
}

std::pair<unsigned, unsigned> batchParallelism(unsigned requestedJobs, size_t modules) {
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  unsigned jobs = requestedJobs ? requestedJobs : cores;
  jobs = unsigned(std::max<size_t>(1, std::min<size_t>(jobs, modules)));
  return {jobs, std::max(1u, cores / jobs)};
}

std::vector<ModuleResult> runBatch(const std::vector<BatchJob>& jobs, const BatchOptions& options,
                                   const BatchObserver& observer) {
  auto [parallel, threads] = batchParallelism(options.jobs, jobs.size());
  std::vector<std::string> command = {selfExecutable(), "instrument", "--batch-worker"};
  auto optionArgs = instrumentArguments(options.instrument);
  command.insert(command.end(), optionArgs.begin(), optionArgs.end());
  auto env = childEnvironment(threads);

  std::vector<ModuleResult> results(jobs.size());
  for (size_t i = 0; i < jobs.size(); i++) results[i].input = jobs[i].input, results[i].output = jobs[i].output;
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex report;
  auto work = [&]() {
    for (size_t i; !stop && (i = next++) < jobs.size();) {
      auto& result = results[i];
      {
        std::lock_guard<std::mutex> lock(report);
        if (observer.started) observer.started(i, jobs[i]);
      }
      auto argv = command;
      argv.push_back("--output=" + jobs[i].output);
      argv.push_back("--");
      argv.push_back(jobs[i].input);
      auto start = std::chrono::steady_clock::now();
      result.attempted = true;
      try {
        auto child = runChild(argv, env);
        if (WIFEXITED(child.status) && WEXITSTATUS(child.status) == 0) parseRecord(child.out, result);
        else result.error = failure(child);
      } catch (const Error& e) {
        result.error = e.what();
      }
      result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (!result.error.empty()) {
        try {
          result.file.inputHash = fingerprint(readFileBytes(jobs[i].input));
        } catch (const Error&) { // unreadable: the error says so
        }
        std::remove(jobs[i].output.c_str()); // no output from an earlier run stays for a failed module
        if (options.failFast) stop = true;
      }
      std::lock_guard<std::mutex> lock(report);
      if (observer.finished) observer.finished(i, result);
    }
  };
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < parallel; t++) workers.emplace_back(work);
  work();
  for (auto& worker : workers) worker.join();
  return results;
}

} // namespace wasm_ckpt
