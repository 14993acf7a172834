// Reading and writing modules and files, with errors that name the file.
#pragma once
#include <memory>
#include <string>
#include <vector>

namespace wasm {
class Module;
}

namespace wasm_ckpt {
// The path "-" is standard input, as for other command-line tools; a directory is an Error.
std::vector<char> readFileBytes(const std::string& path);
// A regular file (or a new one) is written through a temporary file of its own (created
// exclusively, next to it) and a rename: never a torn file; it keeps the replaced file's
// permissions. A symbolic link is followed: the file it points to is replaced, the link stays.
// A FIFO, a device or a socket is written into directly, never replaced. The path "-" is
// standard output, written directly; refused when it is a terminal, which binary output would
// only garble.
void writeFileAtomically(const std::string& path, const std::vector<char>& bytes);

// Reads a binary (.wasm) or text (.wat) module; throws Error for anything else or invalid input
// (including what io/binary_check.h refuses before Binaryen reads it).
std::unique_ptr<wasm::Module> readModule(const std::string& path);
std::unique_ptr<wasm::Module> readModuleFromBytes(const std::vector<char>& bytes, const std::string& name);
// Throws Error with the validator's first complaint if the module is invalid.
void validateModule(wasm::Module& module, const std::string& what);
std::vector<char> writeModuleBinary(wasm::Module& module);
// What wasm-opt does last at -O2 and above: gives every function an optimized Stack IR, which
// writeModuleBinary then emits (unreachable code and blocks that nothing branches to left out;
// at -O3 also values kept on the stack instead of locals). Call after the last change to any
// function; a level below 2 does nothing.
void optimizeStackIR(wasm::Module& module, unsigned optimizeLevel);
} // namespace wasm_ckpt
