#!/usr/bin/env bash
# The first README command: installs what is missing, builds wasm-ckpt, and shows its main job on
# a sample C program: stop it mid-run, resume it (twice: from the snapshot file, and from a
# module with the snapshot baked in), and check the output equals an uninterrupted run.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/build.sh" >/dev/null
tool="$here/build/wasm-ckpt"
run() { node --no-warnings "$here/tests/tools/run_wasi.mjs" "$@"; }
out="$here/demo-out"
rm -rf "$out" && mkdir -p "$out" && cd "$out"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. Compile a C program (an n-body simulation printing as it goes) for wasm32-wasi"
clang-14 --target=wasm32-wasi --sysroot=/usr -O2 "$here/tests/corpus/nbody_fp.c" -o program.wasm -lm
ls -l program.wasm

step "2. Instrument it: wasm-ckpt instrument program.wasm -o program.ckpt.wasm"
"$tool" -v instrument program.wasm -o program.ckpt.wasm
ls -l program.ckpt.wasm

step "3. Run the original to completion (the reference output)"
run program.wasm > expected.txt
echo "$(wc -l < expected.txt) lines, last: $(tail -n 1 expected.txt)"

step "4. Run the instrumented module and stop it halfway (WASM_CKPT_AT = half of its poll points)"
polls=$(WASM_CKPT_VERBOSE=1 run program.ckpt.wasm 2>&1 >/dev/null | sed -n 's/.*exiting after polls: //p')
half=$((polls / 2))
set +e
WASM_CKPT_AT=$half WASM_CKPT_FILE=demo.snapshot WASM_CKPT_VERBOSE=1 run program.ckpt.wasm > part1.txt
code=$?
set -e
echo "stopped with exit code $code after $(wc -l < part1.txt) lines; snapshot: $(stat -c %s demo.snapshot) bytes"

step "5. What the snapshot holds: wasm-ckpt inspect demo.snapshot --module program.ckpt.wasm"
"$tool" inspect demo.snapshot --module program.ckpt.wasm | head -n 20

step "6. Resume from the snapshot file (WASM_CKPT_RESTORE=demo.snapshot)"
WASM_CKPT_RESTORE=demo.snapshot run program.ckpt.wasm > part2.txt
if cat part1.txt part2.txt | cmp -s - expected.txt; then
  echo "stopped run + resumed run = uninterrupted run, byte for byte ($(cat part1.txt part2.txt | wc -c) bytes)"
else
  echo "MISMATCH between resumed and uninterrupted output" >&2; exit 1
fi

step "7. Bake the snapshot into one module and run it with no environment and no file access"
"$tool" resume program.ckpt.wasm demo.snapshot -o resumed.wasm
run --no-dir --no-env resumed.wasm > part3.txt
if cat part1.txt part3.txt | cmp -s - expected.txt; then
  echo "resumed.wasm continued where the checkpoint was taken: output identical"
else
  echo "MISMATCH between baked resume and uninterrupted output" >&2; exit 1
fi
printf '\nDemo passed. Files are in %s\n' "$out"
