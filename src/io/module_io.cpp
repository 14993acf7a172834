// Module and file I/O shared by every command: input sniffing (binary or text), validation with
// a one-line message, and atomic output.
#include "wasm_ckpt/module_io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "parsing.h"
#include "wasm-binary.h"
#include "wasm-io.h"
#include "wasm-s-parser.h"
#include "wasm-validator.h"
#include "wasm.h"

#include "wasm_ckpt/error.h"

namespace wasm_ckpt {

std::vector<char> readFileBytes(const std::string& path) {
  if (path == "-") {
    std::vector<char> bytes;
    char buffer[1 << 16];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) bytes.insert(bytes.end(), buffer, buffer + n);
    if (std::ferror(stdin)) throw Error(std::string("cannot read standard input: ") + std::strerror(errno));
    return bytes;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read '" + path + "': " + std::strerror(errno));
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error("cannot read '" + path + "'");
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
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw Error("cannot write '" + path + "': " + std::strerror(errno));
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  ok = (std::fflush(f) == 0) && ok;
  ok = (::fsync(fileno(f)) == 0) && ok;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    std::remove(tmp.c_str());
    throw Error("cannot write '" + path + "': " + std::strerror(err));
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
      std::vector<char> copy = bytes;
      wasm::WasmBinaryBuilder parser(*module, FeatureSet::MVP, copy);
      parser.setDebugInfo(true);
      parser.read();
    } else if (looksLikeText(bytes)) {
      std::string text(bytes.begin(), bytes.end());
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

// "[wasm-validator error in function f] unexpected false: why, on\n(code)" -> "in function f: why"
std::string validatorMessage(const std::string& text) {
  std::string line = firstLine(text);
  std::string where;
  auto open = text.find("error in ");
  auto close = text.find(']');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    where = text.substr(open + 6, close - open - 6) + ": ";
    line = firstLine(text.substr(close + 1));
  }
  for (const char* noise : {"unexpected false: ", "unexpected true: "}) {
    if (line.rfind(noise, 0) == 0) line = line.substr(std::string(noise).size());
  }
  if (line.size() > 4 && line.compare(line.size() - 4, 4, ", on") == 0) line.resize(line.size() - 4);
  return where + line;
}

void validateModule(wasm::Module& module, const std::string& what) {
  bool valid;
  std::string report;
  {
    CapturedStderr captured;
    valid = wasm::WasmValidator().validate(module);
    report = captured.text();
  }
  if (!valid) throw Error(what + ": invalid module: " + validatorMessage(report));
}

std::vector<char> writeModuleBinary(wasm::Module& module) {
  wasm::BufferWithRandomAccess buffer;
  wasm::WasmBinaryWriter writer(&module, buffer);
  writer.setNamesSection(true);
  writer.write();
  return std::vector<char>(buffer.begin(), buffer.end());
}

} // namespace wasm_ckpt
