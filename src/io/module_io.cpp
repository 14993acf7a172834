// Module and file I/O shared by every command: input sniffing (binary or text), checks before
// Binaryen reads a module, validation with a one-line message, and output that never replaces
// what is not a regular file.
#include "wasm_ckpt/module_io.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "ir/find_all.h"
#include "ir/module-utils.h"
#include "ir/names.h"
#include "parsing.h"
#include "pass.h"
#include "wasm-binary.h"
#include "wasm-io.h"
#include "wasm-s-parser.h"
#include "wasm-validator.h"
#include "wasm.h"

#include "io/binary_check.h"
#include "passes/passes.h"
#include "support/printable.h"
#include "wasm_ckpt/error.h"

namespace wasm_ckpt {

namespace {
// Whole writes of `size` bytes to `fd`, retried after short writes and EINTR.
bool writeAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) errno = EIO;
    if (n <= 0) return false;
    data += n;
    size -= size_t(n);
  }
  return true;
}

std::string parentDirectory(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// The path a chain of symbolic links ends at (which need not exist): the file a rename must
// replace so that the links keep pointing at the new contents.
std::string followSymlinks(const std::string& path) {
  std::string at = path;
  for (int hops = 0; hops < 40; hops++) {
    struct stat st;
    if (::lstat(at.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return at;
    std::vector<char> target(size_t(st.st_size > 0 ? st.st_size : 255) + 1);
    ssize_t n = ::readlink(at.c_str(), target.data(), target.size());
    if (n < 0) throw Error("cannot write '" + path + "': " + std::strerror(errno));
    std::string link(target.data(), size_t(n));
    at = link[0] == '/' ? link : parentDirectory(at) + "/" + link;
  }
  throw Error("cannot write '" + path + "': " + std::strerror(ELOOP));
}
} // namespace

std::vector<char> readFileBytes(const std::string& path) {
  std::string what = path == "-" ? "standard input" : "'" + path + "'";
  int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error("cannot read " + what + ": " + std::strerror(errno));
  std::vector<char> bytes;
  struct stat st;
  int err = 0;
  if (::fstat(fd, &st) != 0) {
    err = errno;
  } else if (S_ISDIR(st.st_mode)) {
    err = EISDIR;
  } else {
    if (S_ISREG(st.st_mode)) bytes.reserve(size_t(st.st_size));
    char buffer[1 << 16];
    for (;;) {
      ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) err = errno;
      if (n <= 0) break;
      bytes.insert(bytes.end(), buffer, buffer + n);
    }
  }
  if (fd != STDIN_FILENO) ::close(fd);
  if (err) throw Error("cannot read " + what + ": " + std::strerror(err));
  return bytes;
}

void writeFileAtomically(const std::string& path, const std::vector<char>& bytes) {
  if (path == "-") {
    if (::isatty(STDOUT_FILENO))
      throw Error("refusing to write a binary module to a terminal: redirect standard output or give -o FILE");
    bool ok = std::fwrite(bytes.data(), 1, bytes.size(), stdout) == bytes.size();
    if (std::fflush(stdout) != 0 || !ok) throw Error(std::string("cannot write standard output: ") + std::strerror(errno));
    return;
  }
  auto failed = [&](int err) { return Error("cannot write '" + path + "': " + std::strerror(err)); };
  struct stat st;
  bool exists = ::stat(path.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) throw failed(EISDIR);
  if (exists && !S_ISREG(st.st_mode)) {
    // A FIFO, a device, a socket: written into, never replaced.
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw failed(errno);
    bool ok = writeAll(fd, bytes.data(), bytes.size());
    int err = errno;
    if (::close(fd) != 0 && ok) ok = false, err = errno;
    if (!ok) throw failed(err);
    return;
  }
  // A regular file (or none yet): a temporary file of our own next to the file the path
  // resolves to, renamed over it once complete. It keeps an existing file's permissions.
  std::string target = followSymlinks(path);
  std::random_device random;
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; fd < 0 && attempt < 100; attempt++) {
    tmp = target + fmt::format(".{:08x}.tmp", uint32_t(random()));
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) throw failed(errno);
  }
  if (fd < 0) throw failed(EEXIST);
  bool ok = writeAll(fd, bytes.data(), bytes.size());
  int err = errno;
  if (ok && exists && ::fchmod(fd, st.st_mode & 07777) != 0) ok = false, err = errno;
  if (ok && ::fsync(fd) != 0) ok = false, err = errno;
  if (::close(fd) != 0 && ok) ok = false, err = errno;
  if (ok && ::rename(tmp.c_str(), target.c_str()) != 0) ok = false, err = errno;
  if (!ok) {
    ::unlink(tmp.c_str());
    throw failed(err);
  }
}

namespace {
// Binaryen reports warnings and validation errors on std::cerr; collect them instead, so that
// wasm-ckpt prints exactly one line per problem.
class CapturedStderr {
public:
  CapturedStderr() : old(std::cerr.rdbuf(captured.rdbuf())) {}
  ~CapturedStderr() { std::cerr.rdbuf(old); }
  std::string text() const { return captured.str(); }

private:
  std::stringstream captured;
  std::streambuf* old;
};

std::string firstLine(const std::string& text) {
  auto start = text.find_first_not_of(" \n\t[");
  if (start == std::string::npos) return "invalid";
  auto end = text.find('\n', start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

bool looksLikeText(const std::vector<char>& bytes) {
  for (char c : bytes) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') continue;
    return c == '(' || c == ';';
  }
  return false;
}

// Runs `check`; its Error names the input.
template <typename Check> void naming(const std::string& name, Check check) {
  try {
    check();
  } catch (const Error& e) {
    throw Error(name + ": " + e.what());
  }
}

// Binaryen 108 escapes a name-section name's bytes that are not identifier characters as \xx,
// but writes a byte of 0x80 or more as a garbled pair (its signed high nibble): such names are
// escaped again here, correctly, so that messages show them as \xx and the name section written
// holds the original bytes (Binaryen's writer turns \xx back into the byte).
void escapeFunctionNames(wasm::Module& module, const std::map<uint64_t, std::string>& names) {
  auto isIdChar = [](unsigned char c) { return std::isalnum(c) || std::strchr("!#$%&'*+-./:<=>?@^_`|~", c); };
  std::map<wasm::Name, wasm::Name> renames;
  std::set<wasm::Name> taken;
  for (auto& [index, raw] : names) {
    if (index >= module.functions.size() ||
        std::none_of(raw.begin(), raw.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
      continue;
    std::string escaped;
    for (char c : raw) {
      auto byte = static_cast<unsigned char>(c);
      escaped += byte && isIdChar(byte) ? std::string(1, c) : fmt::format("\\{:02x}", byte);
    }
    wasm::Name name = wasm::Names::getValidFunctionName(module, escaped);
    for (int i = 1; taken.count(name); i++) name = wasm::Names::getValidFunctionName(module, escaped + "." + std::to_string(i));
    taken.insert(name);
    renames[module.functions[index]->name] = name;
  }
  if (renames.empty()) return;
  wasm::ModuleUtils::renameFunctions(module, renames);
  for (auto& func : module.functions) { // renameFunctions does not update ref.func
    if (func->imported()) continue;
    for (auto* ref : wasm::FindAll<wasm::RefFunc>(func->body).list) {
      if (auto found = renames.find(ref->func); found != renames.end()) ref->func = found->second;
    }
  }
}

// Features for modules without a target_features section: what clang and rustc emit.
FeatureSet defaultFeatures() {
  return FeatureSet::MVP | FeatureSet::MutableGlobals | FeatureSet::SignExt |
         FeatureSet::TruncSat | FeatureSet::BulkMemory | FeatureSet::SIMD |
         FeatureSet::Multivalue;
}
} // namespace

std::unique_ptr<wasm::Module> readModuleFromBytes(const std::vector<char>& bytes, const std::string& name) {
  auto module = std::make_unique<wasm::Module>();
  static const char magic[4] = {0, 'a', 's', 'm'};
  CapturedStderr quiet; // e.g. "warning: ... in name section" for damaged debug names
  try {
    if (bytes.size() >= 4 && std::memcmp(bytes.data(), magic, 4) == 0) {
      if (bytes.size() < 8) throw Error(name + ": truncated module (no version field)");
      std::map<uint64_t, std::string> names;
      naming(name, [&] { names = checkBinaryModule(bytes); });
      std::vector<char> copy = bytes;
      wasm::WasmBinaryBuilder parser(*module, FeatureSet::MVP, copy);
      parser.setDebugInfo(true);
      parser.read();
      escapeFunctionNames(*module, names);
    } else if (looksLikeText(bytes)) {
      std::string text(bytes.begin(), bytes.end());
      naming(name, [&] { checkTextModule(text); });
      wasm::SExpressionParser parser(const_cast<char*>(text.c_str()));
      wasm::Element& root = *parser.root;
      if (root.size() == 0 || !root[0]->isList()) throw Error(name + ": no module in text file");
      wasm::SExpressionWasmBuilder builder(*module, *root[0], wasm::IRProfile::Normal);
    } else {
      throw Error(name + ": not a WebAssembly module (neither binary nor text format)");
    }
  } catch (wasm::ParseException& e) {
    std::string where = e.line != size_t(-1) ? " (line " + std::to_string(e.line) + ", column " + std::to_string(e.col) + ")" : "";
    throw Error(name + ": invalid module: " + firstLine(e.text) + where);
  } catch (wasm::MapParseException& e) {
    throw Error(name + ": invalid module: " + firstLine(e.text));
  }
  if (!module->hasFeaturesSection) module->features = defaultFeatures();
  return module;
}

std::unique_ptr<wasm::Module> readModule(const std::string& path) {
  auto module = readModuleFromBytes(readFileBytes(path), path);
  validateModule(*module, path);
  return module;
}

// "[wasm-validator error in function f] unexpected false: why, on \n(code)" -> "in function 'f': why"
static std::string validatorMessage(const std::string& text) {
  std::string line = firstLine(text);
  std::string where;
  auto open = text.find("error in ");
  auto close = text.find(']');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    std::string scope = text.substr(open + 9, close - open - 9); // "function NAME" or "module"
    if (scope.rfind("function ", 0) == 0) scope = "function '" + scope.substr(9) + "'";
    where = "in " + scope + ": ";
    line = firstLine(text.substr(close + 1));
  }
  for (const char* noise : {"unexpected false: ", "unexpected true: "}) {
    if (line.rfind(noise, 0) == 0) line = line.substr(std::string(noise).size());
  }
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
  if (line.size() > 4 && line.compare(line.size() - 4, 4, ", on") == 0) line.resize(line.size() - 4);
  return where + line;
}

namespace {
// The validator says only "all used types should be allowed": name the type, where it is used,
// and the features it needs that the module does not enable. Empty if every type is allowed.
std::string disallowedType(const wasm::Module& module) {
  auto check = [&](wasm::Type type, const std::string& where) -> std::string {
    FeatureSet missing(type.getFeatures().features & ~module.features.features);
    if (missing.features == FeatureSet::MVP) return "";
    return where + ": type " + type.toString() + " needs a feature the module does not enable (" + missing.toString() + ")";
  };
  for (auto& func : module.functions) {
    std::string where = "in function '" + printableName(func->name.str) + "'";
    for (auto type : {func->getParams(), func->getResults()}) {
      for (auto t : type)
        if (auto problem = check(t, where); !problem.empty()) return problem;
    }
    for (auto t : func->vars)
      if (auto problem = check(t, where); !problem.empty()) return problem;
  }
  for (auto& global : module.globals) {
    if (auto problem = check(global->type, "in global '" + printableName(global->name.str) + "'"); !problem.empty()) return problem;
  }
  return "";
}
} // namespace

void validateModule(wasm::Module& module, const std::string& what) {
  bool valid;
  std::string report;
  {
    CapturedStderr captured;
    valid = wasm::WasmValidator().validate(module);
    report = captured.text();
  }
  if (valid) return;
  std::string message = validatorMessage(report);
  if (message.find("all used types should be allowed") != std::string::npos) {
    if (auto type = disallowedType(module); !type.empty()) message = type;
  }
  throw Error(what + ": invalid module: " + message);
}

void optimizeStackIR(wasm::Module& module, unsigned optimizeLevel) {
  if (optimizeLevel < 2) return;
  wasm::PassOptions options;
  options.optimizeLevel = optimizeLevel;
  wasm::PassRunner runner(&module, options);
  runner.add("generate-stack-ir");
  // Binaryen's own pass only at -O3, where it also keeps values on the stack instead of locals.
  if (optimizeLevel >= 3) runner.add("optimize-stack-ir");
  else runner.add(createLinearStackIRPass());
  runner.run();
}

std::vector<char> writeModuleBinary(wasm::Module& module) {
  wasm::BufferWithRandomAccess buffer;
  wasm::WasmBinaryWriter writer(&module, buffer);
  writer.setNamesSection(true);
  writer.write();
  return std::vector<char>(buffer.begin(), buffer.end());
}

} // namespace wasm_ckpt
