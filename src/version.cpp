// What `wasm-ckpt --version` and `wasm-ckpt version [--json]` print.
#include "wasm_ckpt/version.h"

#include <fmt/format.h>

#include "wasm_ckpt/metadata.h"
#include "wasm_ckpt/snapshot_layout.h"
#include "support/json.h"

namespace wasm_ckpt {
std::string describeVersion(bool json) {
  if (!json) return fmt::format("wasm-ckpt {} (snapshot format {}, Binaryen {})", kToolVersion, SNAPSHOT_VERSION, kBinaryenVersion);
  return fmt::format("{{\n  \"tool\": \"wasm-ckpt\",\n  \"version\": {},\n  \"snapshot_format\": {},\n"
                     "  \"metadata_format\": {},\n  \"binaryen\": {}\n}}\n",
                     jsonQuote(kToolVersion), SNAPSHOT_VERSION, ModuleMetadata::kFormatVersion, kBinaryenVersion);
}
} // namespace wasm_ckpt
