#!/usr/bin/env node
// fuzz_exec.mjs — differential fuzzing of `wasm-ckpt instrument` on random modules.
//
// For each seed: random bytes (a fixed PRNG, so a seed names one module on every machine) →
// `wasm-opt -ttf` (Binaryen's random valid module, with its logging imports and invoker
// exports) → `wasm-ckpt instrument` with each variant of options (both strategies; also
// `--no-rewind-copies` and `-O0`, whose code differs most) → `wasm-opt --fuzz-exec-before` runs
// every export of the original and of the instrumented module in Binaryen's interpreter, and the
// printed calls, results and logged values must be the same. No checkpoint is taken (the modules
// have no _start): this checks that the rewritten code computes what the original did, across
// control-flow shapes, types and traps that compiled C and Rust rarely produce. A module the tool
// refuses with a clear error (an unsupported feature) is counted, not failed.
//
// usage: node fuzz_exec.mjs --tool wasm-ckpt [--wasm-opt wasm-opt] [--seeds N] [--first S]
//                           [--variants 'OPTIONS;OPTIONS...'] --work DIR
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const args = {
  seeds: '40', first: '1', 'wasm-opt': 'wasm-opt',
  variants: '--strategy full;--strategy lean;--strategy full --no-rewind-copies;--strategy lean -O0',
};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
if (!args.tool || !args.work) {
  console.error("usage: node fuzz_exec.mjs --tool wasm-ckpt [--wasm-opt wasm-opt] [--seeds N] [--first S] [--variants 'OPTIONS;...'] --work DIR");
  process.exit(2);
}
const work = path.resolve(args.work);
fs.mkdirSync(work, { recursive: true });
// Features the tool supports (docs/limits.md); the generator adds none of the others.
const FEATURES = ['--disable-gc', '--disable-reference-types', '--disable-exception-handling', '--disable-simd',
  '--disable-tail-call', '--disable-threads', '--disable-memory64'];

function randomBytes(seed, n) {
  let x = (BigInt(seed) * 0x9E3779B97F4A7C15n + 1n) & 0xFFFFFFFFFFFFFFFFn;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    x ^= x >> 12n; x ^= (x << 25n) & 0xFFFFFFFFFFFFFFFFn; x ^= x >> 27n;
    out[i] = Number(((x * 0x2545F4914F6CDD1Dn) >> 56n) & 0xFFn);
  }
  return out;
}

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120000 });
  return { code: r.status, out: (r.stdout || '') + (r.stderr || ''), error: r.error };
}

// The interpreter's account of calling every export, without its lines about the module itself.
// As in Binaryen's own fuzzer, a trap is compared as a trap (its message shows addresses, which
// folding a constant into a load's offset changes) and a NaN as a NaN (optimizations may change
// its sign and payload bits, which WebAssembly leaves nondeterministic).
function execute(module) {
  const r = run(args['wasm-opt'], [module, '--all-features', '--fuzz-exec-before', '-q']);
  return r.out.split('\n')
    .filter((l) => l.startsWith('[fuzz-exec]') || l.startsWith('[LoggingExternalInterface') || l.startsWith('[trap'))
    .map((l) => (l.startsWith('[trap') ? '[trap]' : l.replace(/-?nan(:0x[0-9a-f]+)?/g, 'nan')))
    .join('\n');
}

let passed = 0, failed = 0, refused = 0;
const variants = args.variants.split(';').map((v) => v.trim().split(/\s+/));
for (let seed = Number(args.first); seed < Number(args.first) + Number(args.seeds); seed++) {
  const dir = path.join(work, `seed-${seed}`);
  fs.mkdirSync(dir, { recursive: true });
  const bytes = path.join(dir, 'random.bin'), original = path.join(dir, 'original.wasm');
  fs.writeFileSync(bytes, randomBytes(seed, 4096 + (seed % 8) * 1024));
  const made = run(args['wasm-opt'], ['-ttf', bytes, ...FEATURES, '-o', original]);
  if (made.code !== 0) {
    console.log(`FAIL seed ${seed}: wasm-opt -ttf: ${made.out.split('\n')[0]}`);
    failed++;
    continue;
  }
  const expected = execute(original);
  for (const [v, options] of variants.entries()) {
    const variant = options.join(' ');
    const instrumented = path.join(dir, `variant-${v}.wasm`);
    const tool = run(args.tool, ['instrument', original, ...options, '-o', instrumented]);
    if (tool.code !== 0) {
      const message = tool.out.trim().split('\n').pop();
      // A clear refusal of an unsupported input is the tool's contract; anything else is a bug.
      if (/^wasm-ckpt: (error: )?unsupported/.test(message)) {
        refused++;
        continue;
      }
      console.log(`FAIL seed ${seed} (${variant}): instrument exited ${tool.code}: ${message}`);
      failed++;
      continue;
    }
    const actual = execute(instrumented);
    if (actual === expected) {
      passed++;
    } else {
      const a = actual.split('\n'), e = expected.split('\n');
      let i = 0;
      while (i < a.length && i < e.length && a[i] === e[i]) i++;
      console.log(`FAIL seed ${seed} (${variant}): line ${i + 1}: expected '${e[i] ?? '(end)'}', got '${a[i] ?? '(end)'}' (${instrumented})`);
      failed++;
    }
  }
}
console.log(`${passed} passed, ${failed} failed, ${refused} refused as unsupported`);
process.exitCode = failed === 0 ? 0 : 1;
