// What `wasm-ckpt --version` and `wasm-ckpt version [--json]` print.
#include "wasm_ckpt/version.h"

#include <fmt/format.h>

#include "wasm_ckpt/metadata.h"
#include "wasm_ckpt/snapshot_layout.h"
#include "support/json_text.h"

namespace wasm_ckpt {
std::string describeVersion(bool json) {
  if (!json) return fmt::format("wasm-ckpt {} (snapshot format {}, Binaryen {})", kToolVersion, SNAPSHOT_VERSION, kBinaryenVersion);
  Json j;
  j["tool"] = "wasm-ckpt";
  j["version"] = kToolVersion;
  j["snapshot_format"] = SNAPSHOT_VERSION;
  j["metadata_format"] = ModuleMetadata::kFormatVersion;
  j["binaryen"] = kBinaryenVersion;
  return jsonText(j);
}
} // namespace wasm_ckpt
