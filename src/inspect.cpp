// `wasm-ckpt inspect`: what a snapshot holds, as text for people or JSON for scripts.
#include "wasm_ckpt/inspect.h"

#include <cstring>
#include <sstream>

#include <fmt/format.h>

#include "support/json.h"
#include "wasm_ckpt/metadata.h"
#include "wasm_ckpt/snapshot.h"

namespace wasm_ckpt {

namespace {
std::string valueText(const uint8_t* p, ValueKind kind) {
  uint64_t bits = 0;
  switch (kind) {
    case ValueKind::I32: {
      int32_t v;
      std::memcpy(&v, p, 4);
      return std::to_string(v);
    }
    case ValueKind::I64: {
      int64_t v;
      std::memcpy(&v, p, 8);
      return std::to_string(v);
    }
    case ValueKind::F32: {
      float v;
      std::memcpy(&v, p, 4);
      return fmt::format("{}", v);
    }
    case ValueKind::F64: {
      double v;
      std::memcpy(&v, p, 8);
      return fmt::format("{}", v);
    }
    case ValueKind::V128: {
      std::memcpy(&bits, p, 8);
      uint64_t high;
      std::memcpy(&high, p + 8, 8);
      return fmt::format("0x{:016x}{:016x}", high, bits);
    }
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
} // namespace

std::string describeSnapshot(const Snapshot& s, const ModuleMetadata* metadata, bool json) {
  size_t stored = s.pages.size();
  size_t skipped = s.memoryPages - stored;
  std::ostringstream out;
  if (json) {
    out << "{\n  \"format_version\": " << s.version << ",\n";
    out << "  \"module_hash\": \"" << fmt::format("{:016x}", s.moduleHash) << "\",\n";
    if (metadata) out << "  \"strategy\": " << jsonQuote(metadata->strategy) << ",\n";
    out << "  \"poll_count\": " << s.pollCount << ",\n";
    out << "  \"memory\": {\"pages\": " << s.memoryPages << ", \"stored_pages\": " << stored
        << ", \"skipped_zero_pages\": " << skipped << "},\n";
    out << "  \"frames\": [";
    for (size_t i = 0; i < s.frames.size(); i++) {
      auto view = viewFrame(s.frames[i], metadata);
      out << (i ? ",\n" : "\n") << "    {\"function_ordinal\": " << s.frames[i].function
          << ", \"function\": " << jsonQuote(view.function) << ", \"resume_id\": " << s.frames[i].resumeId
          << ", \"resume\": " << jsonQuote(view.resume) << ", \"payload_bytes\": " << s.frames[i].payload.size() << "}";
    }
    out << "\n  ],\n  \"globals_bytes\": " << s.globals.size();
    if (metadata && s.globals.size() == metadata->globalsSize()) {
      out << ",\n  \"globals\": [";
      size_t offset = 0;
      for (size_t i = 0; i < metadata->globals.size(); i++) {
        auto& g = metadata->globals[i];
        out << (i ? ", " : "") << "{\"name\": " << jsonQuote(g.name) << ", \"type\": \"" << valueKindName(g.kind)
            << "\", \"value\": " << jsonQuote(valueText(s.globals.data() + offset, g.kind)) << "}";
        offset += valueKindSize(g.kind);
      }
      out << "]";
    }
    out << "\n}\n";
    return out.str();
  }
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
  if (!metadata) out << "(pass --module INSTRUMENTED.wasm for function names, resume points and global values)\n";
  return out.str();
}

} // namespace wasm_ckpt
