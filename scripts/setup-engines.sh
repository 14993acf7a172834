#!/usr/bin/env bash
# Installs what the engine runners of tests/engines/ need. Idempotent: a second run installs
# nothing and returns quickly.
#   fast (default)  what CI needs: node tiers (preinstalled Node 20) + gjs (SpiderMonkey), and in
#                   tests/engines/node_modules (npm ci, from the lock file) the npm WASI shim and
#                   wizer 10.0.0, whose binary embeds wasmtime (the wasmtime engine)
#   all             also headless Chromium and arm64 Node under qemu-user-static (the arm64 debs
#                   are extracted into tests/engines/.cache/arm64-root, gitignored)
# Network: Debian's apt mirror and the npm registry only.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
engines="$here/tests/engines"
mode=${1:-fast}
case "$mode" in fast|all) ;; *) echo "usage: $0 [fast|all]" >&2; exit 2;; esac
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

packages=(gjs)
[ "$mode" = all ] && packages+=(chromium qemu-user-static)
missing=()
for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-engines: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The pure-JavaScript WASI shim (@bjorn3/browser_wasi_shim) and wizer (wasmtime), pinned by
# package-lock.json.
shim="$engines/node_modules/@bjorn3/browser_wasi_shim/package.json"
wizer="$engines/node_modules/@bytecodealliance/wizer-linux-x64/wizer"
if [ ! -f "$shim" ] || [ "$engines/package-lock.json" -nt "$shim" ] || { [ "$(uname -m)" = x86_64 ] && [ ! -x "$wizer" ]; }; then
  echo "setup-engines: npm ci in tests/engines"
  (cd "$engines" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

[ "$mode" = all ] || exit 0

# arm64 Node 18 (Debian's) run by qemu-aarch64-static -L ROOT.
root="$engines/.cache/arm64-root"
if [ ! -x "$root/usr/bin/node" ] || [ ! -f "$root/.complete" ]; then
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "setup-engines: adding the arm64 architecture to dpkg"
    $SUDO dpkg --add-architecture arm64
    $SUDO apt-get update -qq
  elif ! apt-cache show nodejs:arm64 >/dev/null 2>&1; then
    $SUDO apt-get update -qq
  fi
  echo "setup-engines: downloading arm64 Node into tests/engines/.cache/arm64-root"
  debs="$engines/.cache/arm64-debs"
  rm -rf "$root" "$debs"
  mkdir -p "$root" "$debs"
  arm=(nodejs libnode108 libc6 libuv1 libssl3 libicu72 libbrotli1 libc-ares2 zlib1g libstdc++6
       libgcc-s1 libnghttp2-14)
  indep=(node-cjs-module-lexer node-undici node-acorn)
  # The download goes into our own folder, which apt's sandbox user may not be able to write.
  (cd "$debs" && $SUDO apt-get download -qq -o APT::Sandbox::User=root "${arm[@]/%/:arm64}" "${indep[@]}" >/dev/null)
  for d in "$debs"/*.deb; do dpkg -x "$d" "$root"; done
  rm -rf "$debs"
  touch "$root/.complete"
fi
