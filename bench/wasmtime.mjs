#!/usr/bin/env node
// wasmtime.mjs — the benchmark's second runtime: run time and compile time of the original and
// instrumented programs under wasmtime (Cranelift), next to V8's (Node's optimizing tier).
//
//   node bench/wasmtime.mjs [--programs gemm,crc32,...] [--strategies lean,full] [--reps N]
//                           [--tool build/wasm-ckpt] [--work bench/out/wasmtime]
//
// The wasmtime is the one npm's wizer 10.0.0 embeds (tests/engines/node_modules, installed by
// scripts/setup-engines.sh): `wizer --allow-wasi --init-func F -o /dev/null M` compiles M with
// Cranelift, instantiates it and runs its export F. wizer reports no timings, so both figures are
// differences of whole-process wall times, medians of N interleaved reps:
// Each wizer run starts with an empty compilation cache (wasmtime's is on by default in wizer).
//   compile  (M', F = a no-op export) - (an empty module, F = the same no-op): start-up aside,
//            what compiling M takes (M' is M with one exported empty function added through
//            wasm-dis/wasm-as, which Binaryen may re-encode a little; the original and its
//            instrumented copies go through the same round trip);
//   run      (M, F = _start) - (M', F = the no-op): the program's run, plus wizer's snapshot of
//            the final memory against the initial one (the output goes to /dev/null).
// V8's figures come from bench/runner.mjs under `--no-liftoff --no-wasm-lazy-compilation`, the
// harness's optimizing tier: run = _start entered -> returned, compile = WebAssembly.compile.
// Programs run without arguments (wizer cannot pass any), so lua and sqlite3 are not included:
// the 31 C programs of bench/programs only. Every run's output is compared with the original's
// under V8.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(benchDir, '..');
const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const allPrograms = fs.readdirSync(path.join(benchDir, 'programs')).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2)).sort();
const programs = args.programs ? args.programs.split(',') : allPrograms;
const strategies = (args.strategies || 'lean,full').split(',');
const reps = Number(args.reps || 3);
const tool = path.resolve(args.tool || path.join(repo, 'build/wasm-ckpt'));
const work = path.resolve(args.work || path.join(benchDir, 'out/wasmtime'));
const wizer = path.join(repo, 'tests/engines/node_modules/@bytecodealliance/wizer-linux-x64/wizer');
const NOP = 'wasm_ckpt_bench_nop';
const V8_FLAGS = ['--no-liftoff', '--no-wasm-lazy-compilation'];
for (const [what, file] of [['wasm-ckpt', tool], ['wizer (bash scripts/setup-engines.sh)', wizer]]) {
  if (!fs.existsSync(file)) { console.error(`wasmtime.mjs: ${what} not found at ${file}`); process.exit(2); }
}
fs.mkdirSync(work, { recursive: true });

function must(cmd, argv, options = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 256 << 20, ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')}: exit ${r.status}: ${(r.stderr || '').trim().split('\n')[0]}`);
  return r;
}
// Wall time of one process, in ms, with its stdout.
function timed(cmd, argv, env = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd: work, env: { PATH: process.env.PATH, ...env }, maxBuffer: 256 << 20 });
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, status: r.status, stdout: r.stdout, stderr: String(r.stderr) };
}
// wasmtime keeps compiled code in a cache ($XDG_CACHE_HOME/wasmtime, or ~/.cache/wasmtime): each
// run gets an empty one, so that every run compiles.
let caches = 0;
function wizerRun(module, func) {
  const cache = path.join(work, `cache-${caches++}`);
  const r = timed(wizer, ['--allow-wasi', '--init-func', func, '-o', '/dev/null', module], { XDG_CACHE_HOME: cache });
  fs.rmSync(cache, { recursive: true, force: true });
  return r;
}
function withNop(module) {
  const out = module.replace(/\.wasm$/, '.nop.wasm');
  const wat = must('wasm-dis', ['--all-features', module]).stdout.trimEnd();
  fs.writeFileSync(out + '.wat', `${wat.slice(0, -1)}\n (func $${NOP} (export "${NOP}"))\n)\n`);
  must('wasm-as', ['--all-features', out + '.wat', '-o', out]);
  fs.rmSync(out + '.wat');
  return out;
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const empty = path.join(work, 'empty.nop.wasm');
fs.writeFileSync(empty + '.wat', `(module (memory 1) (func $${NOP} (export "${NOP}")))\n`);
must('wasm-as', [empty + '.wat', '-o', empty]);

const results = [];
for (const name of programs) {
  const src = path.join(benchDir, 'programs', `${name}.c`);
  if (!fs.existsSync(src)) { console.error(`wasmtime.mjs: no bench/programs/${name}.c`); process.exit(2); }
  const original = path.join(work, `${name}.wasm`);
  must('clang-14', ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-Wall', '-Wl,-z,stack-size=1048576', src, '-lm', '-o', original]);
  const variants = { original };
  for (const s of strategies) {
    variants[s] = path.join(work, `${name}.${s}.wasm`);
    must(tool, ['instrument', original, '-o', variants[s], '--strategy', s]);
  }
  const nops = Object.fromEntries(Object.entries(variants).map(([v, m]) => [v, withNop(m)]));
  const samples = Object.fromEntries(Object.keys(variants).map((v) => [v, { run: [], compile: [], v8run: [], v8compile: [] }]));
  let expected = null;
  const problems = [];
  for (let rep = 0; rep < reps; rep++) {
    const base = wizerRun(empty, NOP).ms;
    for (const [v, module] of Object.entries(variants)) {
      const report = path.join(work, 'v8.json');
      const v8 = timed(process.execPath, [...V8_FLAGS, '--no-warnings', path.join(benchDir, 'runner.mjs'), '--report', report, module]);
      const times = JSON.parse(fs.readFileSync(report, 'utf8'));
      expected ??= v8.stdout;
      const full = wizerRun(module, '_start');
      const nop = wizerRun(nops[v], NOP);
      if (v8.status !== 0 || !v8.stdout.equals(expected)) problems.push(`${v} under V8: exit ${v8.status}, output ${v8.stdout.equals(expected) ? 'same' : 'different'}`);
      if (full.status !== 0 || !full.stdout.equals(expected)) problems.push(`${v} under wasmtime: exit ${full.status}, output ${full.stdout.equals(expected) ? 'same' : 'different'}: ${full.stderr.trim().split('\n')[0]}`);
      if (nop.status !== 0) problems.push(`${v}: the no-op run failed: ${nop.stderr.trim().split('\n')[0]}`);
      const s = samples[v];
      s.run.push(full.ms - nop.ms);
      s.compile.push(nop.ms - base);
      s.v8run.push(times.startEnd - times.startBegin);
      s.v8compile.push(times.compiled - times.runnerStart);
    }
  }
  const row = { program: name, problems: [...new Set(problems)] };
  for (const v of Object.keys(variants)) row[v] = Object.fromEntries(Object.entries(samples[v]).map(([k, xs]) => [k, median(xs)]));
  results.push(row);
  const ratio = (v, k) => (row[v][k] / row.original[k]).toFixed(3);
  console.log(`${name}: wasmtime run ${row.original.run.toFixed(0)} ms, compile ${row.original.compile.toFixed(0)} ms; ` +
              strategies.map((s) => `${s} run ${ratio(s, 'run')}x (V8 ${ratio(s, 'v8run')}x), compile ${ratio(s, 'compile')}x (V8 ${ratio(s, 'v8compile')}x)`).join('; ') +
              (row.problems.length ? `; PROBLEMS: ${row.problems.join('; ')}` : ''));
}

const geo = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
const lines = ['| program | wasmtime run (ms) | V8 run (ms) | ' + strategies.map((s) => `${s} run: wasmtime / V8`).join(' | ') +
               ' | wasmtime compile (ms) | V8 compile (ms) | ' + strategies.map((s) => `${s} compile: wasmtime / V8`).join(' | ') + ' |',
               '| --- '.repeat(5 + 2 * strategies.length) + '|'];
const fmtRatio = (r, v, k) => `${(r[v][k] / r.original[k]).toFixed(3)}x`;
for (const r of results) {
  lines.push(`| ${r.program}${r.problems.length ? ' (!)' : ''} | ${r.original.run.toFixed(0)} | ${r.original.v8run.toFixed(0)} | ` +
             strategies.map((s) => `${fmtRatio(r, s, 'run')} / ${fmtRatio(r, s, 'v8run')}`).join(' | ') +
             ` | ${r.original.compile.toFixed(0)} | ${r.original.v8compile.toFixed(0)} | ` +
             strategies.map((s) => `${fmtRatio(r, s, 'compile')} / ${fmtRatio(r, s, 'v8compile')}`).join(' | ') + ' |');
}
const ok = results.filter((r) => !r.problems.length);
const gm = (s, k) => `${geo(ok.map((r) => r[s][k] / r.original[k])).toFixed(3)}x`;
lines.push(`| geomean (${ok.length}) | | | ` + strategies.map((s) => `${gm(s, 'run')} / ${gm(s, 'v8run')}`).join(' | ') + ' | | | ' +
           strategies.map((s) => `${gm(s, 'compile')} / ${gm(s, 'v8compile')}`).join(' | ') + ' |');
const table = lines.join('\n');
fs.writeFileSync(path.join(work, 'results.md'), `${table}\n\n(${reps} reps; node bench/wasmtime.mjs ${process.argv.slice(2).join(' ')})\n`);
fs.writeFileSync(path.join(work, 'results.json'), JSON.stringify({ reps, strategies, results }, null, 1));
console.log(`\n${table}`);
const failedRuns = results.filter((r) => r.problems.length);
if (failedRuns.length) console.log(`\nproblems in: ${failedRuns.map((r) => r.program).join(', ')}`);
process.exit(failedRuns.length ? 1 : 0);
