#!/usr/bin/env bash
# Builds the Debian package (CPack), installs it with apt-get as a user would, and runs the
# installed /usr/bin/wasm-ckpt: --version, one instrumentation, check, the man page. Removes the
# package again when it was not installed before. Needs root or sudo; run by scripts/test.sh.
#   scripts/test-package.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
start=$(date +%s)

(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/wasm-ckpt_*_"$(dpkg --print-architecture)".deb)
was_installed=no
if dpkg-query -W -f='${Status}' wasm-ckpt 2>/dev/null | grep -q "install ok installed"; then was_installed=yes; fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
cleanup() {
  if [ "$was_installed" = no ]; then DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -qq wasm-ckpt >/dev/null; fi
  rm -rf "$work"
}
work=$(mktemp -d)
trap cleanup EXIT

fail() { echo "test-package: FAIL $*" >&2; exit 1; }
installed=/usr/bin/wasm-ckpt
[ -x "$installed" ] || fail "$deb did not install $installed"
expected="wasm-ckpt $(sed -n 's/^project(wasm_ckpt VERSION \([0-9.]*\).*/\1/p' "$here/CMakeLists.txt") "
version=$("$installed" --version)
case "$version" in "$expected"*) ;; *) fail "--version printed '$version', expected '$expected...'";; esac
"$installed" version --json | node -e 'const v = JSON.parse(require("fs").readFileSync(0, "utf8")); if (v.tool !== "wasm-ckpt") process.exit(1)' \
  || fail "version --json does not parse"

cat > "$work/count.wat" <<'WAT'
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (local $i i32)
    (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 100000))))
    (call $exit (i32.and (local.get $i) (i32.const 7)))))
WAT
(cd "$work" && "$installed" instrument --strategy lean count.wat -o count.ckpt.wasm) || fail "the installed tool did not instrument a module"
(cd "$work" && "$installed" check count.ckpt.wasm --strategy lean --source count.wat >/dev/null) || fail "check refused the installed tool's output"
[ -f /usr/share/man/man1/wasm-ckpt.1 ] || fail "no man page"
grep -q "Examples:" /usr/share/man/man1/wasm-ckpt.1 || fail "the man page has no examples"
[ -f /usr/share/doc/wasm-ckpt/README.md ] || fail "no documents"
echo "test-package: ok ($(basename "$deb"): installed, --version, instrument, check, man page; $(( $(date +%s) - start )) s)"
