#!/usr/bin/env bash
# compare-outputs.sh REF_TOOL NEW_TOOL INPUT.wasm... — instruments each input with both tools
# (--strategy full, --strategy lean, and full with --no-rewind-copies) and checks that the
# outputs are byte-identical except for the wasm-ckpt custom section, whose two versions are
# reported when they differ (a change to the metadata's format shows there). Prints one line per
# input and variant, then a summary; exit status 1 if any output differs outside that section or
# if only one of the tools refuses an input. REF_CACHE=DIR keeps the reference tool's outputs there
# (keyed by input name and variant) so that a rerun instruments with the new tool only.
# SECTION_CHECK=COMMAND runs `COMMAND REF.wasm NEW.wasm` where only the wasm-ckpt sections differ
# (to check what differs there); its failure counts as a difference.
set -uo pipefail
if [ $# -lt 3 ]; then echo "usage: $0 REF_TOOL NEW_TOOL INPUT.wasm..." >&2; exit 2; fi
ref=$1 new=$2; shift 2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# strip IN OUT: the module without its wasm-ckpt custom section; prints that section's size.
strip() {
  node -e '
    const fs = require("fs"); const b = fs.readFileSync(process.argv[1]);
    const leb = (at) => { let v = 0, s = 0, x; do { x = b[at++]; v += (x & 127) * 2 ** s; s += 7; } while (x & 128); return [v, at]; };
    const keep = [b.subarray(0, 8)]; let at = 8, dropped = 0;
    while (at < b.length) {
      const start = at; const id = b[at++]; let size; [size, at] = leb(at); const end = at + size;
      let name = "";
      if (id === 0) { let n, p; [n, p] = leb(at); name = b.subarray(p, p + n).toString(); }
      if (name === "wasm-ckpt") dropped = end - start; else keep.push(b.subarray(start, end));
      at = end;
    }
    fs.writeFileSync(process.argv[2], Buffer.concat(keep)); console.log(dropped);' "$1" "$2"
}
same=0 sectionOnly=0 bad=0 refused=0
for input in "$@"; do
  for variant in "full" "lean" "full --no-rewind-copies"; do
    tag="$(basename "$input") [$variant]"
    cached="${REF_CACHE:-}/$(basename "$input")-${variant// /_}"
    if [ -n "${REF_CACHE:-}" ] && [ -f "$cached.status" ]; then
      cp "$cached.log" "$work/ref.log"; rs=$(cat "$cached.status"); [ -f "$cached.wasm" ] && cp "$cached.wasm" "$work/ref.wasm"
    else
      # shellcheck disable=SC2086
      "$ref" instrument "$input" -o "$work/ref.wasm" --strategy $variant >"$work/ref.log" 2>&1; rs=$?
      if [ -n "${REF_CACHE:-}" ]; then
        mkdir -p "$REF_CACHE"; cp "$work/ref.log" "$cached.log"; [ $rs -eq 0 ] && cp "$work/ref.wasm" "$cached.wasm"; echo $rs >"$cached.status"
      fi
    fi
    # shellcheck disable=SC2086
    "$new" instrument "$input" -o "$work/new.wasm" --strategy $variant >"$work/new.log" 2>&1; ns=$?
    if [ $rs -ne 0 ] || [ $ns -ne 0 ]; then
      if [ $rs -ne 0 ] && [ $ns -ne 0 ] && cmp -s "$work/ref.log" "$work/new.log"; then
        echo "REFUSED-BOTH $tag"; refused=$((refused + 1))
      else
        echo "DIFFERENT-STATUS $tag (ref $rs, new $ns)"; bad=$((bad + 1))
      fi
      continue
    fi
    if cmp -s "$work/ref.wasm" "$work/new.wasm"; then echo "IDENTICAL $tag"; same=$((same + 1)); continue; fi
    rsec=$(strip "$work/ref.wasm" "$work/ref.stripped") nsec=$(strip "$work/new.wasm" "$work/new.stripped")
    if cmp -s "$work/ref.stripped" "$work/new.stripped"; then
      if [ -n "${SECTION_CHECK:-}" ] && ! $SECTION_CHECK "$work/ref.wasm" "$work/new.wasm" >"$work/section.log" 2>&1; then
        echo "SECTION-CHECK-FAILED $tag: $(cat "$work/section.log")"; bad=$((bad + 1)); continue
      fi
      echo "SECTION-ONLY $tag (wasm-ckpt section $rsec -> $nsec bytes)"; sectionOnly=$((sectionOnly + 1))
    else
      echo "DIFFERENT $tag"; bad=$((bad + 1))
    fi
  done
done
echo "summary: $same identical, $sectionOnly differing only in the wasm-ckpt section, $refused refused by both, $bad different"
[ $bad -eq 0 ]
