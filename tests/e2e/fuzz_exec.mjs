#!/usr/bin/env node
// fuzz_exec.mjs — differential fuzzing of `wasm-ckpt instrument` on random modules.
//
// For each seed: random bytes (a fixed PRNG, so a seed names one module on every machine) →
// `wasm-opt -ttf` (Binaryen's random valid module, with its logging imports and invoker
// exports) → `wasm-ckpt instrument` with each variant of options (both strategies; also
// `--no-rewind-copies`, `-O0` and `--huge-function-size=0`, whose code differs most) →
// `wasm-opt --fuzz-exec-before` runs
// every export of the original and of the instrumented module in Binaryen's interpreter, and the
// printed calls, results and logged values must be the same. This part takes no checkpoint (the
// modules have no _start): it checks that the rewritten code computes what the original did,
// across control-flow shapes, types and traps that compiled C and Rust rarely produce. A module
// the tool refuses with a clear error (an unsupported feature) is counted, not failed.
//
// With --runner run_wasi.mjs and --resume-seeds M, the first M seeds are also stopped and resumed:
// a generated _start calls every export that takes no parameters (resetting the generator's hang
// limit first) and logs the memory hash; under Node (with the log imports), the instrumented
// module must print what the original prints, uninterrupted, and when stopped at a few poll
// counts (WASM_CKPT_AT) and resumed from the snapshot (WASM_CKPT_RESTORE).
//
// usage: node fuzz_exec.mjs --tool wasm-ckpt [--wasm-opt wasm-opt] [--seeds N] [--first S]
//                           [--variants='OPTIONS;OPTIONS...'] [--runner run_wasi.mjs --resume-seeds M]
//                           --work DIR
// (--variants with '=': its value starts with a dash)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { e2eArgs } from './lib/harness.mjs';

const args = e2eArgs('fuzz_exec.mjs', {
  seeds: { type: 'string', default: '40' },
  first: { type: 'string', default: '1' },
  'wasm-opt': { type: 'string', default: 'wasm-opt' },
  variants: {
    type: 'string',
    default: '--strategy full;--strategy lean;--strategy full --no-rewind-copies;--strategy lean -O0;--strategy lean --huge-function-size=0',
  },
  'resume-seeds': { type: 'string', default: '0' },
}, { required: ['tool'], keepWork: true });
// The stop-and-resume runs start in each seed's directory: a runner that is not there would fail
// every run alike, and the comparisons would hold for nothing.
if (args.runner && !fs.existsSync(args.runner)) {
  console.error(`fuzz_exec.mjs: no runner at ${args.runner}`);
  process.exit(2);
}
const work = args.work;
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

// The module with a _start that calls each export without parameters, as WAT: the function
// headers of `wasm-dis` output are one line each.
function withStart(original, output) {
  const wat = run(args['wasm-opt'], [original, '--all-features', '--print']).out;
  const headers = new Map();
  for (const m of wat.matchAll(/^ \(func (\$\S+)(.*)$/gm)) headers.set(m[1], m[2]);
  const exported = [...wat.matchAll(/^ \(export "([^"]+)" \(func (\$\S+)\)\)$/gm)].map((m) => ({ name: m[1], func: m[2] }));
  const hang = exported.find((e) => e.name === 'hangLimitInitializer');
  const hash = exported.find((e) => e.name === 'hashMemory');
  const body = [];
  for (const e of exported) {
    const header = headers.get(e.func) ?? '';
    if (e === hang || e === hash || header.includes('(param')) continue;
    if (hang) body.push(`(call ${hang.func})`);
    body.push(header.includes('(result') ? `(drop (call ${e.func}))` : `(call ${e.func})`);
  }
  if (hash) body.push(`(call $wasm_ckpt_fuzz$log (call ${hash.func}))`);
  const log = hash ? '(import "fuzzing-support" "log-i32" (func $wasm_ckpt_fuzz$log (param i32)))' : '';
  // Imports go before the other definitions.
  const at = wat.indexOf('\n (import');
  const withLog = log && at >= 0 ? `${wat.slice(0, at)}\n ${log}${wat.slice(at)}` : wat;
  const end = withLog.lastIndexOf(')');
  const text = `${withLog.slice(0, end)} (func $wasm_ckpt_fuzz$start (export "_start") ${body.join(' ')})\n)\n`;
  const watPath = `${output}.wat`;
  fs.writeFileSync(watPath, text);
  return run(args['wasm-opt'], [watPath, '--all-features', '-o', output]);
}

function runNode(module, env = {}) {
  const r = spawnSync(process.execPath, ['--no-warnings', args.runner, '--fuzzing-imports', module],
    { encoding: 'utf8', env: { ...process.env, ...env }, cwd: path.dirname(module), timeout: 120000 });
  return { code: r.status, stdout: r.stdout || '', stderr: r.stderr || '' };
}

// Stops and resumes the instrumented module; returns a failure message or null.
function checkResume(original, instrumented) {
  const reference = runNode(original);
  const plain = runNode(instrumented, { WASM_CKPT_VERBOSE: '1' });
  if (plain.code !== reference.code || plain.stdout !== reference.stdout)
    return `uninstrumented and instrumented runs differ: exit ${reference.code} vs ${plain.code}`;
  // A run that traps reports no poll count: then stop at powers of two until the trap comes first.
  const count = /exiting after polls: (\d+)/.exec(plain.stderr);
  const total = count ? Number(count[1]) : 0;
  const stops = count ? [1, Math.ceil(total / 3), Math.ceil((2 * total) / 3), total] : [1, 2, 4, 8, 16, 64, 256];
  for (const at of [...new Set(stops)].filter((n) => n >= 1 && (!count || n <= total))) {
    const snap = `${path.basename(instrumented)}.at-${at}.snap`;
    const first = runNode(instrumented, { WASM_CKPT_AT: String(at), WASM_CKPT_FILE: snap });
    if (first.code !== 75) continue; // the program ended (or trapped) before that poll
    const resumed = runNode(instrumented, { WASM_CKPT_RESTORE: snap });
    resumes++;
    if (resumed.code !== reference.code || first.stdout + resumed.stdout !== reference.stdout)
      return `stopped at poll ${at} of ${count ? total : '(a run that traps)'} and resumed: exit ${resumed.code} vs ${reference.code}, ${resumed.stderr.trim()}`;
  }
  return null;
}

let passed = 0, failed = 0, refused = 0, resumes = 0;

// Instruments `input`; false (counted as refused or failed) when the tool did not.
function instrument(input, options, output, what) {
  const tool = run(args.tool, ['instrument', input, ...options, '-o', output]);
  if (tool.code === 0) return true;
  const message = tool.out.trim().split('\n').pop();
  // A clear refusal of an unsupported input is the tool's contract; anything else is a bug.
  if (/^wasm-ckpt: (error: )?unsupported/.test(message)) {
    refused++;
  } else {
    console.log(`FAIL ${what}: instrument exited ${tool.code}: ${message}`);
    failed++;
  }
  return false;
}
const variants = args.variants.split(';').map((v) => v.trim().split(/\s+/));
// The stopped-and-resumed modules: both strategies, and lean's form for huge functions.
const RESUME_VARIANTS = [['--strategy', 'full'], ['--strategy', 'lean'], ['--strategy', 'lean', '--huge-function-size=0']];
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
    if (!instrument(original, options, instrumented, `seed ${seed} (${variant})`)) continue;
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
  if (!args.runner || seed >= Number(args.first) + Number(args['resume-seeds'])) continue;
  const started = path.join(dir, 'started.wasm');
  const made2 = withStart(original, started);
  if (made2.code !== 0) {
    console.log(`FAIL seed ${seed}: adding _start: ${made2.out.split('\n')[0]}`);
    failed++;
    continue;
  }
  for (const [k, options] of RESUME_VARIANTS.entries()) {
    const variant = options.join(' ');
    const instrumented = path.join(dir, `started.${k}.wasm`);
    if (!instrument(started, options, instrumented, `seed ${seed} (resume, ${variant})`)) continue;
    const problem = checkResume(started, instrumented);
    if (problem) {
      console.log(`FAIL seed ${seed} (resume, ${variant}): ${problem} (${instrumented})`);
      failed++;
    } else {
      passed++;
    }
  }
}
console.log(`${passed} passed, ${failed} failed, ${refused} refused as unsupported${args.runner ? `; ${resumes} stops resumed` : ''}`);
if (args.runner && Number(args['resume-seeds']) > 0 && resumes === 0) {
  console.log('FAIL: no stop was resumed: the resume check checked nothing');
  failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
