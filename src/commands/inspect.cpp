// `wasm-ckpt inspect`: what a snapshot holds, as text for people or JSON for scripts.
#include "wasm_ckpt/inspect.h"

#include <cstring>
#include <sstream>

#include <fmt/format.h>

#include "support/json_text.h"

#include "support/le_codec.h"
#include "wasm_ckpt/metadata.h"
#include "wasm_ckpt/snapshot.h"

namespace wasm_ckpt {

namespace {
std::string valueText(const uint8_t* p, ValueKind kind) {
  switch (kind) {
    case ValueKind::I32: return std::to_string(int32_t(loadLE32(p)));
    case ValueKind::I64: return std::to_string(int64_t(loadLE64(p)));
    case ValueKind::F32: {
      float v;
      uint32_t bits = loadLE32(p);
      std::memcpy(&v, &bits, 4);
      return fmt::format("{}", v);
    }
    case ValueKind::F64: {
      double v;
      uint64_t bits = loadLE64(p);
      std::memcpy(&v, &bits, 8);
      return fmt::format("{}", v);
    }
    case ValueKind::V128: return fmt::format("0x{:016x}{:016x}", loadLE64(p + 8), loadLE64(p));
  }
  return "?";
}

struct FrameView {
  std::string function;
  std::string resume;
  size_t locals = 0;
};

FrameView viewFrame(const SnapshotFrame& frame, const ModuleMetadata* metadata) {
  FrameView view;
  view.function = fmt::format("#{}", frame.function);
  view.resume = fmt::format("resume point {}", frame.resumeId);
  if (metadata && frame.function < metadata->functions.size()) {
    auto& layout = metadata->functions[frame.function];
    view.function = layout.name;
    if (frame.resumeId >= 1 && frame.resumeId <= layout.resumePoints.size())
      view.resume += " (" + layout.resumePoints[frame.resumeId - 1].description + ")";
    view.locals = layout.locals.size();
  }
  return view;
}
// How the program opened the file: "directory", "read", "write" or "read-write" (its rights).
const char* fileAccess(const SnapshotFile& f) {
  bool reads = f.rightsBase & RIGHT_FD_READ, writes = f.rightsBase & RIGHT_FD_WRITE;
  return f.filetype == WASI_FILETYPE_DIRECTORY ? "directory" : reads && writes ? "read-write" : writes ? "write" : "read";
}
} // namespace

std::string describeSnapshot(const Snapshot& s, const ModuleMetadata* metadata, bool json) {
  size_t stored = s.pages.size();
  size_t skipped = s.memoryPages - stored;
  if (json) {
    Json out;
    out["format_version"] = s.version;
    out["module_hash"] = fmt::format("{:016x}", s.moduleHash);
    if (metadata) out["strategy"] = metadata->strategy;
    out["poll_count"] = s.pollCount;
    out["memory"] = {{"pages", s.memoryPages}, {"stored_pages", stored}, {"skipped_zero_pages", skipped}};
    out["frames"] = Json::array();
    for (auto& frame : s.frames) {
      auto view = viewFrame(frame, metadata);
      out["frames"].push_back({{"function_ordinal", frame.function}, {"function", view.function}, {"resume_id", frame.resumeId},
                               {"resume", view.resume}, {"payload_bytes", frame.payload.size()}});
    }
    out["globals_bytes"] = s.globals.size();
    if (metadata && s.globals.size() == metadata->globalsSize()) {
      out["globals"] = Json::array();
      size_t offset = 0;
      for (auto& g : metadata->globals) {
        out["globals"].push_back({{"name", g.name}, {"type", valueKindName(g.kind)}, {"value", valueText(s.globals.data() + offset, g.kind)}});
        offset += valueKindSize(g.kind);
      }
    }
    out["stdin_bytes_consumed"] = s.stdinRead;
    out["files"] = Json::array();
    for (auto& f : s.files) {
      Json file = {{"fd", f.fd}};
      if (f.kind == FileKind::Opened) {
        file["preopen"] = f.dir;
        file["path"] = f.path;
        file["offset"] = f.offset;
        file["access"] = fileAccess(f);
      } else {
        file["stream"] = true;
      }
      file["fdflags"] = fdflagNames(f.fdflags);
      out["files"].push_back(std::move(file));
    }
    return jsonText(out);
  }
  std::ostringstream out;
  out << fmt::format("snapshot format version {}\n", s.version);
  out << fmt::format("module hash      {:016x}{}\n", s.moduleHash, metadata ? " (strategy " + metadata->strategy + ")" : "");
  out << fmt::format("poll count       {}\n", s.pollCount);
  out << fmt::format("memory           {} pages ({:.1f} MiB): {} stored, {} all-zero skipped\n", s.memoryPages,
                     s.memoryPages / 16.0, stored, skipped);
  out << fmt::format("frames           {} (outermost first)\n", s.frames.size());
  for (size_t i = 0; i < s.frames.size(); i++) {
    auto view = viewFrame(s.frames[i], metadata);
    out << fmt::format("  {:>4}  {}  {}  [{} bytes of locals]\n", i, view.function, view.resume, s.frames[i].payload.size());
  }
  out << fmt::format("globals          {} bytes\n", s.globals.size());
  if (metadata && s.globals.size() == metadata->globalsSize()) {
    size_t offset = 0;
    for (auto& g : metadata->globals) {
      out << fmt::format("  {} {} = {}\n", g.name, valueKindName(g.kind), valueText(s.globals.data() + offset, g.kind));
      offset += valueKindSize(g.kind);
    }
  }
  out << fmt::format("stdin            {} bytes consumed (a resumed run reads on from byte {})\n", s.stdinRead, s.stdinRead + 1);
  out << fmt::format("files            {} (reopened by path at restore: ship them with the snapshot)\n", s.files.size());
  for (auto& f : s.files) {
    if (f.kind == FileKind::Opened)
      out << fmt::format("  fd {:>3}  {}  offset {}  {}{}\n", f.fd, fileDisplayPath(f), f.offset, fileAccess(f),
                         f.fdflags ? " " + fdflagNames(f.fdflags) : "");
    else
      out << fmt::format("  fd {:>3}  (not opened by the program)  flags {} set again at restore\n", f.fd, fdflagNames(f.fdflags));
  }
  if (!metadata) out << "(pass --module INSTRUMENTED.wasm for function names, resume points and global values)\n";
  return out.str();
}

} // namespace wasm_ckpt
