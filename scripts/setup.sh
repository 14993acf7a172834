#!/usr/bin/env bash
# Installs what wasm-ckpt needs on Debian 12 (bookworm) and fetches the Binaryen 108 C++ headers
# that match Debian's libbinaryen.so. Idempotent: a second run installs nothing and exits quickly.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

packages=(g++ cmake make binaryen libcli11-dev libfmt-dev libspdlog-dev libgtest-dev nlohmann-json3-dev
          clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 libc++-14-dev-wasm32 libc++abi-14-dev-wasm32
          rustc libstd-rust-dev-wasm32 cargo librust-regex-dev librust-serde-dev librust-serde-derive-dev
          librust-serde-json-dev dpkg-dev wabt time)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Binaryen's C++ headers are not packaged; take them from the same version's source package.
hdr="$here/third_party/binaryen-108"
if [ ! -f "$hdr/src/wasm.h" ]; then
  version=$(dpkg-query -W -f='${Version}' binaryen)
  case "$version" in 108*) ;; *) echo "setup: need Debian's binaryen 108, found $version" >&2; exit 1;; esac
  if ! grep -rqs "deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/ ; then
    echo "setup: adding a deb-src entry for bookworm main"
    printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      | $SUDO tee /etc/apt/sources.list.d/wasm-ckpt-src.sources >/dev/null
    $SUDO apt-get update -qq
  fi
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get source --download-only -qq binaryen >/dev/null)
  tarball=$(ls "$tmp"/binaryen_108*.orig.tar.* | head -n 1)
  mkdir -p "$hdr.tmp"
  tar -xf "$tarball" -C "$hdr.tmp" --strip-components=1 --wildcards '*/src/*.h' '*/src/*/*.h' '*/src/*/*/*.h' '*/LICENSE' 2>/dev/null \
    || tar -xf "$tarball" -C "$hdr.tmp" --strip-components=1
  rm -rf "$hdr" && mv "$hdr.tmp" "$hdr" && rm -rf "$tmp"
  echo "setup: Binaryen 108 headers in third_party/binaryen-108"
fi
