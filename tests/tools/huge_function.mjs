#!/usr/bin/env node
// huge_function.mjs — writes a WASI command (text format) with one huge function: BLOCKS blocks
// of straight-line arithmetic, branches, short loops and calls over 16 locals, about 13 Binaryen
// expressions each (`wasm-ckpt plan` prints the count). `_start` calls it three times and prints
// a checksum, so a stopped and resumed run can be compared with a plain one.
//
// Usage: node tests/tools/huge_function.mjs BLOCKS > huge.wat   (then wasm-as huge.wat)
// Deterministic: the same BLOCKS gives the same module.

const blocks = Number(process.argv[2]);
if (!Number.isInteger(blocks) || blocks < 1) {
  process.stderr.write('usage: huge_function.mjs BLOCKS\n');
  process.exit(2);
}

let state = 0x2545f491;
function rand(n) {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state % n;
}
const V = 16;
const v = () => `(local.get $v${rand(V)})`;
const set = (value) => `(local.set $v${rand(V)} ${value})`;
const k = () => `(i32.const ${1 + rand(250)})`;
const shift = () => `(i32.const ${1 + rand(30)})`;

const out = [];
out.push('(module');
out.push(' (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))');
out.push(' (memory (export "memory") 1)');
out.push(' (func $step (param $x i32) (result i32)');
out.push('  (i32.xor (i32.mul (local.get $x) (i32.const -1640531535)) (i32.shr_u (local.get $x) (i32.const 13))))');
out.push(' (func $huge (param $a i32) (param $b i32) (param $n i32) (result i32) (local $i i32)');
out.push('  ' + Array.from({ length: V }, (_, i) => `(local $v${i} i32)`).join(' '));
for (let i = 0; i < V; i++)
  out.push(`  (local.set $v${i} (i32.add (i32.mul (local.get $a) (i32.const ${i + 3})) (i32.mul (local.get $b) (i32.const ${2 * i + 1}))))`);
for (let b = 0; b < blocks; b++) {
  switch (rand(4)) {
    case 0:
      out.push(`  ${set(`(i32.add (i32.mul ${v()} ${k()}) (i32.shr_u ${v()} ${shift()}))`)} ${set(`(i32.xor ${v()} (i32.add ${v()} ${k()}))`)}`);
      break;
    case 1:
      out.push(`  (if (i32.and ${v()} (i32.const ${1 << rand(31)})) (then ${set(`(i32.add ${v()} (i32.xor ${v()} ${k()}))`)}) ` +
               `(else ${set(`(i32.sub ${v()} (i32.or ${v()} ${k()}))`)}))`);
      break;
    case 2:
      out.push(`  (local.set $i (i32.const 0)) (block $b${b} (loop $l${b} (br_if $b${b} (i32.ge_s (local.get $i) (i32.and (local.get $n) (i32.const 7)))) ` +
               `${set(`(i32.add (i32.add (i32.mul ${v()} (i32.const 31)) ${v()}) (local.get $i))`)} ` +
               `(local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l${b})))`);
      break;
    default:
      out.push(`  ${set(`(call $step (i32.add ${v()} ${k()}))`)} ${set(`(i32.add ${v()} (i32.shr_u ${v()} ${shift()}))`)}`);
  }
}
out.push('  ' + Array.from({ length: V - 1 }, () => '(i32.xor').join('') + ' (local.get $v0)' +
         Array.from({ length: V - 1 }, (_, i) => ` (local.get $v${i + 1}))`).join(''));
out.push(' )');
// _start: sum = 0; for r in 0..2: sum += huge(sum + r, 7r + 1, 5 + r); print sum in decimal.
out.push(` (func $_start (export "_start") (local $sum i32) (local $r i32) (local $p i32)
  (loop $rounds
   (local.set $sum (i32.add (local.get $sum)
    (call $huge (i32.add (local.get $sum) (local.get $r)) (i32.add (i32.mul (local.get $r) (i32.const 7)) (i32.const 1))
                (i32.add (local.get $r) (i32.const 5)))))
   (local.set $r (i32.add (local.get $r) (i32.const 1)))
   (br_if $rounds (i32.lt_u (local.get $r) (i32.const 3))))
  (local.set $p (i32.const 63))
  (i32.store8 (local.get $p) (i32.const 10))
  (loop $digits
   (local.set $p (i32.sub (local.get $p) (i32.const 1)))
   (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $sum) (i32.const 10))))
   (local.set $sum (i32.div_u (local.get $sum) (i32.const 10)))
   (br_if $digits (local.get $sum)))
  (i32.store (i32.const 0) (local.get $p))
  (i32.store (i32.const 4) (i32.sub (i32.const 64) (local.get $p)))
  (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))`);
out.push(')');
process.stdout.write(out.join('\n') + '\n');
