#!/usr/bin/env bash
# Runs an instrumented WASI preview1 module on one engine, with the run-time contract: the
# caller's WASM_CKPT_* variables (and --env ones) passed in, the current directory preopened as
# '.', stdout/stderr byte-exact, the module's exit code as ours (134: trap / runtime failure,
# 2: usage error or bad module, 127: engine not installed).
#
#   tests/engines/run.sh ENGINE [--env K=V]... [--no-dir] module.wasm [args...]
#   tests/engines/run.sh list          # engines, one a line, with "installed" / "missing"
#
# ENGINE: node           Node 20 (V8), default tiering (Liftoff, then TurboFan)
#         node-liftoff   Node 20, --liftoff-only (baseline compiler only)
#         node-turbofan  Node 20, --no-liftoff (optimizing compiler only)
#         gjs            SpiderMonkey 102 via gjs + @bjorn3/browser_wasi_shim (gjs_run.js)
#         chromium       V8 in a headless Chromium page (chromium_run.mjs)
#         node-arm64     Debian's arm64 Node 18 under qemu-aarch64-static (cross-ISA)
#         wasmtime       wasmtime (Cranelift) embedded in npm's wizer (wasmtime_run.mjs); the
#                        program gets no arguments (argc = 0)
# Install them with scripts/setup-engines.sh (fast: node*, gjs; all: everything).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
runner="$repo/tests/tools/run_wasi.mjs"
arm64_root="$here/.cache/arm64-root"
engines=(node node-liftoff node-turbofan gjs chromium node-arm64 wasmtime)
wizer_x64="$here/node_modules/@bytecodealliance/wizer-linux-x64/wizer"

installed() {
  case "$1" in
    node|node-liftoff|node-turbofan) command -v node >/dev/null ;;
    gjs) command -v gjs >/dev/null && [ -f "$here/node_modules/@bjorn3/browser_wasi_shim/package.json" ] ;;
    chromium) command -v node >/dev/null && { [ -x /usr/lib/chromium/chromium ] || command -v chromium >/dev/null; } \
                && [ -f "$here/node_modules/@bjorn3/browser_wasi_shim/package.json" ] ;;
    node-arm64) command -v qemu-aarch64-static >/dev/null && [ -x "$arm64_root/usr/bin/node" ] ;;
    wasmtime) command -v node >/dev/null && [ -x "$wizer_x64" ] ;;
    *) return 1 ;;
  esac
}

engine=${1:-}
if [ -z "$engine" ]; then
  echo "usage: $0 ENGINE [--env K=V]... [--no-dir] module.wasm [args...]   (ENGINE: ${engines[*]})" >&2
  exit 2
fi
shift
if [ "$engine" = list ]; then
  for e in "${engines[@]}"; do
    if installed "$e"; then echo "$e installed"; else echo "$e missing"; fi
  done
  exit 0
fi
case " ${engines[*]} " in *" $engine "*) ;; *) echo "run.sh: unknown engine '$engine' (${engines[*]})" >&2; exit 2 ;; esac
if ! installed "$engine"; then
  echo "run.sh: engine '$engine' is not installed: run scripts/setup-engines.sh all" >&2
  exit 127
fi

case "$engine" in
  node)          exec node --no-warnings "$runner" "$@" ;;
  node-liftoff)  exec node --liftoff-only --no-warnings "$runner" "$@" ;;
  node-turbofan) exec node --no-liftoff --no-warnings "$runner" "$@" ;;
  gjs)           exec gjs -m "$here/gjs_run.js" "$@" ;;
  chromium)      exec node --no-warnings "$here/chromium_run.mjs" "$@" ;;
  node-arm64)    exec qemu-aarch64-static -L "$arm64_root" "$arm64_root/usr/bin/node" \
                   -r "$here/node18_compat.cjs" --no-warnings "$runner" "$@" ;;
  wasmtime)      exec node --no-warnings "$here/wasmtime_run.mjs" "$@" ;;
esac
