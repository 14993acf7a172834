#!/usr/bin/env bash
# bench/run.sh [--quick] [--strategies full,lean] [--reps N] [--ckpt-reps N] [--tiers optimizing,default] [--programs a,b]
#
# The wasm-ckpt benchmark in one command: builds wasm-ckpt (if not built yet) and the Asyncify
# baseline, builds the suite (C programs in bench/programs, real programs from Debian source
# packages), instruments, runs everything interleaved under Node and writes bench/out/results.md,
# results.csv, results.json and overhead.svg. Builds are cached under bench/out. See bench/README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
cd "$repo"

need() { command -v "$1" >/dev/null 2>&1 || { echo "bench/run.sh: '$1' not found (run scripts/setup.sh)" >&2; exit 1; }; }
need node
need clang-14
need cmake
[ -f /usr/lib/wasm32-wasi/libc.a ] || { echo "bench/run.sh: wasi-libc missing (run scripts/setup.sh)" >&2; exit 1; }

if [ ! -f build/CMakeCache.txt ] || [ ! -x build/wasm-ckpt ]; then
  bash scripts/build.sh
fi
# The bench tools are outside the default build; (re)configure so CMake knows them.
if ! cmake --build build --target bench-tools -j2 >/dev/null 2>&1; then
  cmake -S . -B build >/dev/null
  cmake --build build --target bench-tools -j2
fi

exec node --no-warnings "$here/harness.mjs" "$@"
