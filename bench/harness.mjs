#!/usr/bin/env node
// harness.mjs — the wasm-ckpt benchmark: builds the suite, instruments it with each strategy and
// with the Asyncify baseline, runs everything side by side under Node and writes the report.
// Started by bench/run.sh (which builds the tools first); see bench/README.md for what is
// measured and how.
//
// usage: node bench/harness.mjs [--quick] [--strategies full,lean] [--reps N] [--max-reps N] [--ckpt-reps N]
//                               [--tiers optimizing,default] [--programs a,b,...] [--out DIR] [--tool PATH]
//                               [--baseline PATH] [--replicate PATH] [--no-large] [--build-only]
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeReports } from './report.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoDir = path.dirname(benchDir);

// ---- options ------------------------------------------------------------------------------------
// V8 compiles wasm with Liftoff (baseline) first and tiers a function up to TurboFan only for
// its next call: there is no on-stack replacement, so a program whose work sits in one long call
// (main of most of the C programs) runs baseline code to the end under Node's defaults. The
// optimizing tier (--no-liftoff: TurboFan; --no-wasm-lazy-compilation: all of it while the
// module compiles, outside the timed region) is what AOT and JIT engines run; both are measured,
// the first listed tier is the headline. Checkpoint trials run under the default tier (the
// headline tier when the default one is not measured).
const TIER_FLAGS = { optimizing: ['--no-liftoff', '--no-wasm-lazy-compilation'], default: [] };
// Whole-module compile time (compile_time.mjs, a fresh process each): every function compiled
// before `new WebAssembly.Module` returns, by Liftoff alone or by TurboFan alone.
const COMPILER_FLAGS = {
  liftoff: ['--liftoff', '--no-wasm-tier-up', '--no-wasm-lazy-compilation'],
  turbofan: ['--no-liftoff', '--no-wasm-lazy-compilation'],
};
// Every Node process the bench starts: Node 20's WASI fast API calls crash at exit of programs
// whose memory grew to tens of MiB (nodejs/node#46777); this flag avoids it.
const NODE_FLAGS = ['--no-turbo-fast-api-calls', '--no-warnings'];
const opt = (() => {
  const usage = (msg) => {
    console.error(`harness: ${msg}`);
    process.exit(2);
  };
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        strategies: { type: 'string', default: 'full,lean' },
        reps: { type: 'string' },
        'max-reps': { type: 'string' },
        'ckpt-reps': { type: 'string' },
        tiers: { type: 'string', default: 'optimizing,default' },
        programs: { type: 'string' },
        out: { type: 'string', default: path.join(benchDir, 'out') },
        tool: { type: 'string', default: path.join(repoDir, 'build', 'wasm-ckpt') },
        baseline: { type: 'string', default: path.join(repoDir, 'build', 'asyncify-baseline') },
        replicate: { type: 'string', default: path.join(repoDir, 'build', 'replicate-module') },
        'no-large': { type: 'boolean', default: false },
        'build-only': { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    usage(e.message);
  }
  const list = (s) => s.split(',').filter(Boolean);
  const int = (k) => {
    if (values[k] === undefined) return null;
    const n = Number(values[k]);
    if (!Number.isInteger(n)) usage(`--${k} needs an integer, not '${values[k]}'`);
    return n;
  };
  const o = {
    quick: values.quick,
    strategies: list(values.strategies),
    reps: int('reps'),
    maxReps: int('max-reps'),
    ckptReps: int('ckpt-reps'),
    programs: values.programs === undefined ? null : list(values.programs),
    out: path.resolve(values.out),
    tool: path.resolve(values.tool),
    baseline: path.resolve(values.baseline),
    replicate: path.resolve(values.replicate),
    large: !values['no-large'],
    buildOnly: values['build-only'],
    tiers: list(values.tiers),
  };
  for (const t of o.tiers) if (!TIER_FLAGS[t]) usage(`unknown tier '${t}' (known: ${Object.keys(TIER_FLAGS).join(', ')})`);
  if (!o.tiers.length) o.tiers = ['optimizing'];
  if (o.reps === null) o.reps = o.quick ? 3 : 5;
  if (o.maxReps === null) o.maxReps = o.quick ? o.reps : Math.max(o.reps, 15);
  if (o.ckptReps === null) o.ckptReps = o.quick ? 1 : 3;
  if (!(o.reps >= 1) || !(o.ckptReps >= 1)) usage('--reps and --ckpt-reps must be at least 1');
  if (!(o.maxReps >= o.reps)) usage('--max-reps must be at least --reps');
  return o;
})();

const CLANG = 'clang-14';
const CFLAGS = ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-Wall', '-Wl,-z,stack-size=1048576'];
// A run taking longer than this is killed and counted as failed (the programs take ~1 s); a
// variant with such a run is not run again for that program (it would cost the timeout each time).
const RUN_TIMEOUT_MS = 60000;
const QUICK_SET = ['gemm', 'fib', 'quicksort', 'sha256', 'zlib', 'cxx'];

// Real programs built from Debian source packages by real/build_real.sh: how to run them.
const REAL = {
  lua: { dir: 'lua', args: ['bench.lua'], files: { 'bench.lua': 'lua/bench.lua' } },
  // The SQL goes in as one argument, so that the run reads no file while it computes.
  // -init with an empty file keeps the shell from looking for ~/.sqliterc.
  sqlite3: {
    dir: 'sqlite',
    args: () => ['-batch', '-init', 'init.sql', ':memory:',
      fs.readFileSync(path.join(benchDir, 'real', 'sqlite', 'workload.sql'), 'utf8').split('\n').filter((l) => !l.startsWith('--')).join('\n')],
    files: { 'init.sql': null },
  },
  zlib: { dir: 'zlib', args: [], files: {} },
  bzip2: { dir: 'bzip2', args: [], files: {} },
  // Added after the last tuning change of the instrumentation (issue 26): the report gives their
  // figures apart, so that over-fitting to the programs above shows. `shared`: the driver uses
  // real/common/ (part of the build key).
  zstd: { dir: 'zstd', args: [], files: {}, shared: true, addedAfterTuning: true },
  xz: { dir: 'xz', args: [], files: {}, shared: true, addedAfterTuning: true },
  lz4: { dir: 'lz4', args: [], files: {}, shared: true, addedAfterTuning: true },
  jansson: { dir: 'jansson', args: [], files: {}, shared: true, addedAfterTuning: true },
  box2d: { dir: 'box2d', args: [], files: {}, shared: true, addedAfterTuning: true },
  cxx: { dir: 'cxx', args: [], files: {}, shared: true, addedAfterTuning: true },
  rust: { dir: 'rust', args: [], files: {}, shared: true, addedAfterTuning: true },
  rustlog: { dir: 'rustlog', args: [], files: {}, shared: true, addedAfterTuning: true },
  xml: { dir: 'xml', args: [], files: {}, shared: true, addedAfterTuning: true },
};

const dirs = {
  tools: path.join(opt.out, 'tools'),
  c: path.join(opt.out, 'build', 'c'),
  real: path.join(opt.out, 'build', 'real'),
  inst: path.join(opt.out, 'build', 'inst'),
  large: path.join(opt.out, 'build', 'large'),
  run: path.join(opt.out, 'run'),
  logs: path.join(opt.out, 'logs'),
};
for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });

const now = () => Number(process.hrtime.bigint()) / 1e6;
const sha = (...parts) => {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex').slice(0, 24);
};
const fileSha = (p) => sha(fs.readFileSync(p));
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
// The interquartile range of `xs` relative to their median (0 for fewer than 4 values).
const relativeSpread = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length < 4) return 0;
  const at = (q) => {
    const i = q * (s.length - 1), lo = Math.floor(i);
    return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (i - lo);
  };
  return (at(0.75) - at(0.25)) / median(s);
};
// A program's per-rep ratios can fall in two clusters (this VM's neighbours, V8's code layout:
// lcs under lean gave 1.04 in some reps and 1.25 in others); a median of 5 then says either.
// Reps go on, up to --max-reps, while a strategy's ratios in the headline tier spread wider
// than this (interquartile range over median).
const SPREAD_LIMIT = 0.05;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.log(...a);
const notes = [];
const note = (s) => {
  notes.push(s);
  log(`note: ${s}`);
};
const started = new Date();
const startedAt = now();
const loadavgAtStart = os.loadavg();

// ---- tools: private copies, so that a rebuild by someone else mid-run cannot mix versions ----------
async function snapshotTool(src, name) {
  const dest = path.join(dirs.tools, name);
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      if (!fs.existsSync(src)) throw new Error(`${src} does not exist`);
      const tmp = `${dest}.tmp`;
      fs.copyFileSync(src, tmp);
      fs.chmodSync(tmp, 0o755);
      fs.renameSync(tmp, dest);
      const r = spawnSync(dest, name === 'wasm-ckpt' ? ['--version'] : [], { encoding: 'utf8' });
      if (r.error) throw r.error;
      if (name === 'wasm-ckpt' && r.status !== 0) throw new Error(`${dest} --version failed`);
      return { path: dest, hash: fileSha(dest), version: (r.stdout || '').trim() };
    } catch (e) {
      if (attempt === 19) throw e;
      log(`waiting for ${src} (${e.message})`);
      await sleep(3000);
    }
  }
}

// ---- wasm helpers -------------------------------------------------------------------------------
function codeSectionBytes(file) {
  const b = fs.readFileSync(file);
  let p = 8;
  const leb = () => {
    let r = 0, shift = 0, byte;
    do {
      byte = b[p++];
      r += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return r;
  };
  while (p < b.length) {
    const id = b[p++];
    const size = leb();
    if (id === 10) return size;
    p += size;
  }
  return null;
}
function snapshotHeader(file) {
  const b = fs.readFileSync(file);
  if (b.length < 64 || b.toString('latin1', 0, 8) !== 'WASMCKPT') return null;
  return { pollCount: Number(b.readBigUInt64LE(32)), memoryPages: b.readUInt32LE(40), storedPages: b.readUInt32LE(44), frames: b.readUInt32LE(52) };
}

// ---- running one process ------------------------------------------------------------------------
// Runs `node runner.mjs [--probe] --report R module args` in cwd. Options: env (WASM_CKPT_*),
// probe, trigger {file, afterMs}, tier (V8 flags of TIER_FLAGS; Node's defaults if none).
// Resolves with codes, output and timestamps (ms, monotonic).
function runModule(modulePath, args, cwd, { env = {}, probe = false, trigger = null, tier = 'default' } = {}) {
  const report = path.join(cwd, `.report-${process.pid}.json`);
  fs.rmSync(report, { force: true });
  const argv = [...TIER_FLAGS[tier], ...NODE_FLAGS, path.join(benchDir, 'runner.mjs'), '--report', report];
  if (probe) argv.push('--probe');
  argv.push(modulePath, ...args);
  return new Promise((resolve) => {
    const out = [], err = [];
    const spawnT = now();
    const child = spawn(process.execPath, argv, { cwd, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    let createdT = null, exitT = null, timedOut = false;
    const timers = [];
    if (trigger) {
      timers.push(setTimeout(() => {
        fs.writeFileSync(path.join(cwd, trigger.file), '');
        createdT = now();
      }, trigger.afterMs));
    }
    timers.push(setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, RUN_TIMEOUT_MS));
    child.on('exit', () => {
      exitT = now();
      for (const t of timers) clearTimeout(t);
    });
    child.on('close', (code, signal) => {
      let rep = {};
      try {
        rep = JSON.parse(fs.readFileSync(report, 'utf8'));
      } catch {}
      fs.rmSync(report, { force: true });
      resolve({ code: timedOut ? 'timeout' : code ?? signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString(), spawnT, exitT, createdT, rep });
    });
  });
}

// Whole-module compile time of `modulePath` by `compiler` (a key of COMPILER_FLAGS), in ms: one
// fresh Node process running compile_time.mjs (NaN if it fails).
function compileMs(modulePath, compiler) {
  const r = spawnSync(process.execPath, [...COMPILER_FLAGS[compiler], ...NODE_FLAGS, path.join(benchDir, 'compile_time.mjs'), modulePath],
    { encoding: 'utf8', timeout: RUN_TIMEOUT_MS });
  try {
    return r.status === 0 ? JSON.parse(r.stdout).compileMs : NaN;
  } catch {
    return NaN;
  }
}

// ---- 1. build the suite -------------------------------------------------------------------------
const clangVersion = spawnSync(CLANG, ['--version'], { encoding: 'utf8' }).stdout || '';
// Builds are cached: `file` is current when its `.key` file holds the key of its inputs.
const builtFrom = (file, key) => fs.existsSync(file) && fs.existsSync(`${file}.key`) && fs.readFileSync(`${file}.key`, 'utf8') === key;
function buildC(name) {
  const src = path.join(benchDir, 'programs', `${name}.c`);
  const outFile = path.join(dirs.c, `${name}.wasm`);
  const key = sha(fs.readFileSync(src), fs.readFileSync(path.join(benchDir, 'programs', 'bench.h')), CFLAGS.join(' '), clangVersion);
  if (builtFrom(outFile, key)) return { ok: true, path: outFile, cached: true };
  const r = spawnSync(CLANG, [...CFLAGS, src, '-lm', '-o', outFile], { encoding: 'utf8' });
  if (r.status !== 0) return { ok: false, why: `compile failed: ${(r.stderr || String(r.error)).split('\n')[0]}` };
  fs.writeFileSync(`${outFile}.key`, key);
  return { ok: true, path: outFile, cached: false };
}
function buildReal(name) {
  const spec = REAL[name];
  const outFile = path.join(dirs.real, `${name}.wasm`);
  const supportDir = path.join(benchDir, 'real', spec.dir);
  const parts = [fs.readFileSync(path.join(benchDir, 'real', 'build_real.sh')), clangVersion];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else parts.push(p, fs.readFileSync(p));
    }
  };
  walk(supportDir);
  if (spec.shared) walk(path.join(benchDir, 'real', 'common'));
  const key = sha(...parts);
  if (builtFrom(outFile, key)) return { ok: true, path: outFile, cached: true };
  const logFile = path.join(dirs.logs, `build-${name}.log`);
  log(`building ${name} with real/build_real.sh (log: ${path.relative(repoDir, logFile)})`);
  const r = spawnSync('bash', [path.join(benchDir, 'real', 'build_real.sh'), name, opt.out], { encoding: 'utf8', maxBuffer: 1 << 26 });
  fs.writeFileSync(logFile, `${r.stdout || ''}${r.stderr || ''}${r.error ? String(r.error) : ''}`);
  if (r.status !== 0 || !fs.existsSync(outFile)) {
    const last = (r.stderr || '').trim().split('\n').filter(Boolean).pop() || `exit ${r.status}`;
    return { ok: false, why: `build from Debian source failed (${last}); see ${path.relative(repoDir, logFile)}` };
  }
  fs.writeFileSync(`${outFile}.key`, key);
  return { ok: true, path: outFile, cached: false };
}

// ---- 2. instrument ------------------------------------------------------------------------------
const GNU_TIME = '/usr/bin/time';
// A wasm-ckpt variant is a strategy, with a --rewind-copies choice after a '+' where it is not
// the default: 'lean', 'full', 'lean+stored'.
function instrumentArgs(variant) {
  const [strategy, copies] = variant.split('+');
  return ['--strategy', strategy, ...(copies ? ['--rewind-copies', copies] : [])];
}
// A module that keeps its rewind copies aside resumes only from what `wasm-ckpt resume` bakes.
const resumesThroughTool = (variant) => variant.endsWith('+stored');
// Instrumentation is cached by (input, tool binary, strategy); the cache keeps the measured time.
function instrument(name, input, variant, tools) {
  const outFile = path.join(dirs.inst, `${name}.${variant}.wasm`);
  const meta = `${outFile}.json`;
  const tool = variant === 'asyncify' ? tools.baseline : tools.ckpt;
  const key = sha(fs.readFileSync(input), tool.hash, variant, 'cpu-time'); // 'cpu-time': entries from before CPU time was kept are measured again
  if (fs.existsSync(outFile) && fs.existsSync(meta)) {
    try {
      const m = JSON.parse(fs.readFileSync(meta, 'utf8'));
      if (m.key === key) return m;
    } catch {}
  }
  const argv = variant === 'asyncify' ? [input, '-o', outFile] : ['instrument', input, '-o', outFile, ...instrumentArgs(variant)];
  // GNU time, where installed, reports the peak resident memory and the CPU time (user + system,
  // all threads): the cache keeps a measurement made under whatever load there was then, and CPU
  // time depends on the load far less than wall time does.
  const usageFile = `${outFile}.rss`;
  fs.rmSync(usageFile, { force: true });
  const timed = fs.existsSync(GNU_TIME) ? [GNU_TIME, ['-f', '%M %U %S', '-o', usageFile, tool.path, ...argv]] : [tool.path, argv];
  const load = os.loadavg()[0];
  const t0 = now();
  const r = spawnSync(timed[0], timed[1], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (now() - t0) / 1000;
  const usage = fs.existsSync(usageFile) ? fs.readFileSync(usageFile, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [];
  const peakKiB = usage[0], cpuSeconds = usage[1] + usage[2];
  fs.rmSync(usageFile, { force: true });
  if (r.status !== 0 || !fs.existsSync(outFile)) {
    fs.rmSync(outFile, { force: true });
    return { ok: false, key, why: ((r.stderr || String(r.error)).trim().split('\n')[0] || `exit ${r.status}`).slice(0, 200), status: r.status };
  }
  const m = { ok: true, key, path: outFile, seconds, cpuSeconds: Number.isFinite(cpuSeconds) ? cpuSeconds : null, load,
              peakKiB: Number.isFinite(peakKiB) ? peakKiB : null,
              codeBytes: codeSectionBytes(outFile), fileBytes: fs.statSync(outFile).size };
  fs.writeFileSync(meta, JSON.stringify(m));
  return m;
}

// ---- main ---------------------------------------------------------------------------------------
const tools = {
  ckpt: await snapshotTool(opt.tool, 'wasm-ckpt'),
  baseline: await snapshotTool(opt.baseline, 'asyncify-baseline'),
  replicate: opt.large ? await snapshotTool(opt.replicate, 'replicate-module') : null,
};
log(`tool: ${tools.ckpt.version} (sha ${tools.ckpt.hash}); baseline sha ${tools.baseline.hash}`);

let names = [
  ...fs.readdirSync(path.join(benchDir, 'programs')).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2)).sort(),
  ...Object.keys(REAL),
];
if (opt.quick) names = names.filter((n) => QUICK_SET.includes(n));
if (opt.programs) {
  for (const p of opt.programs) if (!names.includes(p)) note(`unknown program '${p}' ignored`);
  names = names.filter((n) => opt.programs.includes(n));
}

const programs = [];
for (const name of names) {
  const real = name in REAL;
  const addedAfterTuning = Boolean(REAL[name]?.addedAfterTuning);
  const b = real ? buildReal(name) : buildC(name);
  if (!b.ok) {
    note(`${name}: skipped: ${b.why}`);
    programs.push({ name, kind: real ? 'real' : 'c', addedAfterTuning, status: 'skipped', why: b.why });
    continue;
  }
  programs.push({ name, kind: real ? 'real' : 'c', addedAfterTuning, status: 'built', wasm: b.path });
}
log(`suite: ${programs.filter((p) => p.status === 'built').length} programs built`);

// Which strategies does the tool accept? A usage error (exit 2) on a valid module means no.
const strategies = [];
{
  const probe = programs.find((p) => p.status === 'built');
  for (const s of opt.strategies) {
    if (s === 'asyncify') {
      note(`'asyncify' is always run as the baseline; not a wasm-ckpt strategy`);
      continue;
    }
    const r = probe
      ? spawnSync(tools.ckpt.path, ['instrument', probe.wasm, '-o', path.join(dirs.tools, 'probe.wasm'), ...instrumentArgs(s)], { encoding: 'utf8' })
      : { status: 0 };
    if (r.status === 2) note(`strategy '${s}' skipped: the tool rejects it (${(r.stderr || '').trim().split('\n')[0]})`);
    else strategies.push(s);
  }
  fs.rmSync(path.join(dirs.tools, 'probe.wasm'), { force: true });
}
const variants = ['original', ...strategies, 'asyncify'];
log(`variants: ${variants.join(', ')}; ${opt.reps} timing reps, ${opt.ckptReps} checkpoint reps per strategy`);

for (const p of programs) {
  if (p.status !== 'built') continue;
  p.variants = { original: { ok: true, path: p.wasm, codeBytes: codeSectionBytes(p.wasm), fileBytes: fs.statSync(p.wasm).size } };
  for (const v of variants.slice(1)) {
    const m = instrument(p.name, p.wasm, v, tools);
    p.variants[v] = m;
    if (!m.ok) note(`${p.name}: ${v} instrumentation failed: ${m.why}`);
    else log(`instrumented ${p.name} ${v}: ${m.seconds.toFixed(2)} s (CPU ${m.cpuSeconds?.toFixed(2) ?? '?'} s)`);
  }
}

// ---- 2b. a large module -------------------------------------------------------------------------
// Instrumentation time at the size the targets name (10 MiB), measured rather than extrapolated:
// SQLite's shell with its functions replicated (replicate_module.cpp) until the file is that big.
const LARGE_BYTES = 10 * 1048576;
let large = null;
const sqlite = programs.find((p) => p.name === 'sqlite3' && p.status === 'built');
if (opt.large && sqlite) {
  const fileBytes = fs.statSync(sqlite.wasm).size, codeBytes = codeSectionBytes(sqlite.wasm);
  const copies = Math.ceil((LARGE_BYTES - (fileBytes - codeBytes)) / codeBytes);
  const name = `sqlite3x${copies}`;
  const file = path.join(dirs.large, `${name}.wasm`);
  const key = sha(fs.readFileSync(sqlite.wasm), tools.replicate.hash, String(copies));
  let built = builtFrom(file, key);
  if (!built) {
    const r = spawnSync(tools.replicate.path, [sqlite.wasm, '-o', file, '--copies', String(copies)], { encoding: 'utf8' });
    if (r.status === 0 && fs.existsSync(file)) {
      fs.writeFileSync(`${file}.key`, key);
      built = true;
    } else note(`large module: replicate-module failed: ${(r.stderr || String(r.error)).trim().split('\n')[0]}`);
  }
  if (built) {
    large = { name, from: 'sqlite3', copies, fileBytes: fs.statSync(file).size, codeBytes: codeSectionBytes(file), variants: {} };
    for (const v of variants.slice(1)) {
      const m = instrument(name, file, v, tools);
      large.variants[v] = m;
      if (!m.ok) note(`${name}: ${v} instrumentation failed: ${m.why}`);
      else log(`instrumented ${name} (${(large.fileBytes / 1048576).toFixed(1)} MiB) ${v}: ${m.seconds.toFixed(1)} s`);
    }
  }
}

if (opt.buildOnly) {
  log('--build-only: suite built and instrumented (cached under bench/out/build); nothing run');
  process.exit(0);
}

const resultsBase = () => ({
  started: started.toISOString(),
  minutes: (now() - startedAt) / 60000,
  command: `bash bench/run.sh ${process.argv.slice(2).join(' ')}`.trim(),
  machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, loadavgAtEnd: os.loadavg() },
  tool: { version: tools.ckpt.version, sha: tools.ckpt.hash, baselineSha: tools.baseline.hash },
  large,
  reps: opt.reps,
  maxReps: opt.maxReps,
  spreadLimit: SPREAD_LIMIT,
  tiers: opt.tiers,
  ckptReps: opt.ckptReps,
  quick: opt.quick,
  strategies,
  variants,
  notes,
  loadavgAtStart,
});

// ---- 3. run -------------------------------------------------------------------------------------
// Checkpoint trials run under Node's defaults, or under the headline tier if the default one is
// not measured: the trigger's timing comes from the start-up and run time of that tier.
const trialTier = opt.tiers.includes('default') ? 'default' : opt.tiers[0];
// Measured in this order (the report keeps the suite's order): the programs added after tuning,
// then the other real programs, then the C programs, so that a run cut short (the partial results
// are saved after each program) still covers the programs that stand for what users bring.
const rank = (p) => (p.addedAfterTuning ? 0 : p.kind === 'real' ? 1 : 2);
for (const p of [...programs].sort((a, b) => rank(a) - rank(b))) {
  if (p.status !== 'built') continue;
  const spec = REAL[p.name];
  const args = spec ? (typeof spec.args === 'function' ? spec.args() : spec.args) : [];
  const cwd = path.join(dirs.run, p.name);
  fs.rmSync(cwd, { recursive: true, force: true });
  fs.mkdirSync(cwd, { recursive: true });
  if (spec) for (const [dest, src] of Object.entries(spec.files)) fs.writeFileSync(path.join(cwd, dest), src ? fs.readFileSync(path.join(benchDir, 'real', src)) : '');

  log(`\n== ${p.name}`);
  p.loadavg = os.loadavg(); // the machine is shared: the load while this program was measured
  const ref = await runModule(p.wasm, args, cwd);
  if (ref.code !== 0) {
    p.status = 'failed';
    p.why = `original exits with ${ref.code}: ${ref.stderr.trim().split('\n').pop()}`;
    note(`${p.name}: skipped: ${p.why}`);
    continue;
  }
  p.reference = ref.stdout.toString().trim().split('\n').pop();
  const live = variants.filter((v) => p.variants[v].ok);
  for (const v of live) {
    Object.assign(p.variants[v], { wallMs: [], startupMs: [], compileMs: [], mismatches: 0, tiers: {} });
    for (const t of opt.tiers) p.variants[v].tiers[t] = { runMs: [], wallMs: [] };
  }
  // Interleaved repetitions: ABC, CBA, ABC, ... so that drift in machine load hits every variant
  // alike; per-rep ratios compare runs made seconds apart.
  const headline = opt.tiers[0];
  const ratios = (v, t) => p.variants[v].tiers[t].runMs.map((ms, i) => ms / p.variants.original.tiers[t].runMs[i]);
  const spread = () => Math.max(0, ...strategies.filter((s) => live.includes(s)).map((s) => relativeSpread(ratios(s, headline))));
  let r = 0;
  for (; r < opt.reps || (r < opt.maxReps && spread() > SPREAD_LIMIT); r++) {
    const order = r % 2 === 0 ? live : [...live].reverse();
    for (const tier of opt.tiers) {
      for (const v of order) {
        const V = p.variants[v];
        if (V.timedOut) {
          V.tiers[tier].runMs.push(NaN);
          V.tiers[tier].wallMs.push(NaN);
          continue;
        }
        const x = await runModule(V.path, args, cwd, { tier });
        if (x.code === 'timeout') V.timedOut = true;
        const good = x.code === 0 && x.stdout.equals(ref.stdout) && x.rep.startEnd !== undefined;
        if (!good) {
          V.mismatches++;
          V.tiers[tier].runMs.push(NaN);
          V.tiers[tier].wallMs.push(NaN);
          V.lastError = `exit ${x.code}${x.stdout.equals(ref.stdout) ? '' : ', output differs'}: ${x.stderr.trim().split('\n').pop() || ''}`.slice(0, 200);
        } else {
          V.tiers[tier].runMs.push(x.rep.startEnd - x.rep.startBegin);
          V.tiers[tier].wallMs.push(x.exitT - x.spawnT); // the whole process: spawned → exited
        }
        // Start-up figures are those of the tier the checkpoint trials run under (trialTier).
        if (tier === trialTier) {
          V.wallMs.push(x.exitT - x.spawnT);
          V.startupMs.push(x.rep.startBegin - x.spawnT);
          V.compileMs.push(x.rep.compiled - x.rep.runnerStart);
        }
      }
    }
  }
  p.reps = r;
  // Whole-module compile time under Liftoff and under TurboFan, a fresh process per measurement,
  // interleaved like the runs (opt.reps of each).
  for (const v of live) p.variants[v].compile = Object.fromEntries(Object.keys(COMPILER_FLAGS).map((c) => [c, { ms: [] }]));
  for (let c = 0; c < opt.reps; c++) {
    const order = c % 2 === 0 ? live : [...live].reverse();
    for (const compiler of Object.keys(COMPILER_FLAGS)) for (const v of order) p.variants[v].compile[compiler].ms.push(compileMs(p.variants[v].path, compiler));
  }
  if (r > opt.reps) note(`${p.name}: ${r} timing reps (ratios spread more than ${SPREAD_LIMIT * 100}% after ${opt.reps})`);
  const O = p.variants.original;
  for (const v of live) {
    const V = p.variants[v];
    for (const t of opt.tiers) {
      const T = V.tiers[t];
      T.medianMs = median(T.runMs);
      T.runRatio = median(ratios(v, t));
      T.runRatioSpread = relativeSpread(ratios(v, t));
      T.medianWallMs = median(T.wallMs);
      T.wallRatio = median(T.wallMs.map((ms, i) => ms / O.tiers[t].wallMs[i]));
    }
    for (const [c, C] of Object.entries(V.compile)) {
      C.medianMs = median(C.ms);
      C.ratio = median(C.ms.map((ms, i) => ms / O.compile[c].ms[i]));
    }
    // End-to-end process time (spawned → exited, compilation included) under Node's defaults.
    V.processMs = V.tiers.default?.medianWallMs ?? null;
    V.processRatio = V.tiers.default?.wallRatio ?? null;
    // The headline tier's figures, under the names the report uses.
    Object.assign(V, { runMs: V.tiers[opt.tiers[0]].runMs, medianMs: V.tiers[opt.tiers[0]].medianMs, runRatio: V.tiers[opt.tiers[0]].runRatio });
    V.medianStartupMs = median(V.startupMs);
    V.codeRatio = V.codeBytes / O.codeBytes;
    if (V.timedOut) note(`${p.name}: ${v}: a run did not finish in ${RUN_TIMEOUT_MS / 1000} s and was killed; the variant was not run again (no run or process time)`);
    else if (V.mismatches) note(`${p.name}: ${v}: ${V.mismatches} of ${r * opt.tiers.length} runs failed (${V.lastError})`);
  }
  log(`${p.name}: original ${O.medianMs?.toFixed(0)} ms; ` + live.slice(1).map((v) => `${v} x${p.variants[v].runRatio?.toFixed(3)}`).join(', ') +
    `; process ${O.processMs?.toFixed(0)} ms: ` + live.slice(1).map((v) => `${v} x${p.variants[v].processRatio?.toFixed(3)}`).join(', ') +
    `; compile liftoff ${O.compile.liftoff.medianMs?.toFixed(1)} ms / turbofan ${O.compile.turbofan.medianMs?.toFixed(1)} ms: ` +
    live.slice(1).map((v) => `${v} x${p.variants[v].compile.liftoff.ratio?.toFixed(2)}/x${p.variants[v].compile.turbofan.ratio?.toFixed(2)}`).join(', '));

  // Checkpoint / restore, per strategy: a run stopped by a trigger file created in the middle of
  // its run, then a run resumed from the snapshot.
  p.ckpt = {};
  for (const s of strategies) {
    const V = p.variants[s];
    if (!V.ok || V.medianMs === null) continue;
    if (V.timedOut) {
      note(`${p.name}: ${s}: no checkpoint trial (its runs did not finish in ${RUN_TIMEOUT_MS / 1000} s)`);
      continue;
    }
    const trials = [];
    for (let t = 0; t < opt.ckptReps; t++) {
      const trigger = `stop-${s}`, snap = `${s}.snap`;
      for (const f of [trigger, snap]) fs.rmSync(path.join(cwd, f), { force: true });
      // Mid-run of the trial tier's run.
      const afterMs = V.medianStartupMs + (V.tiers.default?.medianMs ?? V.medianMs) / 2;
      const stop = await runModule(V.path, args, cwd, { env: { WASM_CKPT_TRIGGER: trigger, WASM_CKPT_FILE: snap, WASM_CKPT_VERBOSE: '1' }, probe: true, trigger: { file: trigger, afterMs }, tier: trialTier });
      const trial = { stopExit: stop.code };
      if (stop.code !== 75) {
        trial.error = stop.code === 0 ? 'finished before the stop request was seen' : `stopped run exits ${stop.code}: ${stop.stderr.trim().split('\n').pop()}`;
        trials.push(trial);
        continue;
      }
      const hdr = snapshotHeader(path.join(cwd, snap));
      Object.assign(trial, {
        snapshotBytes: fs.statSync(path.join(cwd, snap)).size,
        memoryBytes: hdr ? hdr.memoryPages * 65536 : null,
        frames: hdr?.frames,
        pollCount: hdr?.pollCount,
        ckptMs: stop.rep.renameDone - stop.rep.triggerSeen,
        detectMs: stop.rep.triggerSeen - stop.createdT,
        stopMs: stop.exitT - stop.createdT,
        stopRunMs: stop.rep.triggerSeen - stop.rep.startBegin,
      });
      fs.rmSync(path.join(cwd, trigger), { force: true });
      // Resumed through WASM_CKPT_RESTORE, or, where the module needs it, through the module
      // `wasm-ckpt resume` bakes: that command's time is then part of the restore.
      let resumedModule = V.path, resumeEnv = { WASM_CKPT_RESTORE: snap, WASM_CKPT_VERBOSE: '1' };
      trial.resumeToolMs = 0;
      if (resumesThroughTool(s)) {
        resumedModule = path.join(cwd, `${s}.resumed.wasm`);
        resumeEnv = { WASM_CKPT_VERBOSE: '1' };
        const t0 = now();
        const baked = spawnSync(tools.ckpt.path, ['resume', V.path, path.join(cwd, snap), '-o', resumedModule], { encoding: 'utf8' });
        trial.resumeToolMs = now() - t0;
        if (baked.status !== 0) {
          trial.error = `wasm-ckpt resume exits ${baked.status}: ${(baked.stderr || '').trim().split('\n').pop()}`;
          trials.push(trial);
          continue;
        }
      }
      const resumed = await runModule(resumedModule, args, cwd, { env: resumeEnv, probe: true, tier: trialTier });
      trial.restoreExit = resumed.code;
      trial.restoreMs = trial.resumeToolMs + resumed.rep.restored - resumed.spawnT;
      trial.restoreAfterStartMs = resumed.rep.restored - resumed.rep.startBegin;
      trial.downtimeMs = trial.stopMs + trial.restoreMs;
      trial.resumedOk = resumed.code === 0 && Buffer.concat([stop.stdout, resumed.stdout]).equals(ref.stdout);
      if (!trial.resumedOk) trial.error = `resumed run: exit ${resumed.code}, output ${Buffer.concat([stop.stdout, resumed.stdout]).equals(ref.stdout) ? 'equal' : 'differs'}: ${resumed.stderr.trim().split('\n').pop()}`;
      trials.push(trial);
    }
    const okTrials = trials.filter((t) => t.stopExit === 75);
    const med = (k) => median(okTrials.map((t) => t[k]));
    p.ckpt[s] = {
      trials,
      stopped: okTrials.length,
      resumedOk: trials.filter((t) => t.resumedOk).length,
      snapshotBytes: med('snapshotBytes'),
      memoryBytes: med('memoryBytes'),
      snapshotRatio: med('snapshotBytes') / med('memoryBytes'),
      ckptMs: med('ckptMs'),
      detectMs: med('detectMs'),
      stopMs: med('stopMs'),
      restoreMs: med('restoreMs'),
      resumeToolMs: med('resumeToolMs'),
      restoreAfterStartMs: med('restoreAfterStartMs'),
      origStartupMs: O.medianStartupMs,
      variantStartupMs: V.medianStartupMs,
      downtimeMs: med('downtimeMs'),
    };
    // The target: downtime ≤ 2 × (original start-up + snapshot write + snapshot read), for
    // programs whose original compiles in ≤ 100 ms under Liftoff. Snapshot write = checkpoint
    // (poll point → snapshot durable); snapshot read = resumed run's `_start` entered → resumed.
    const c0 = p.ckpt[s];
    const parts = [c0.origStartupMs, c0.ckptMs, c0.restoreAfterStartMs];
    c0.budgetMs = parts.every(Number.isFinite) ? 2 * parts.reduce((a, x) => a + x, 0) : null;
    c0.downtimeOverBudget = Number.isFinite(c0.downtimeMs) && c0.budgetMs ? c0.downtimeMs / c0.budgetMs : null;
    c0.targetApplies = O.compile.liftoff.medianMs <= 100;
    for (const t of trials) if (t.error) note(`${p.name}: ${s}: checkpoint trial: ${t.error}`);
    const c = p.ckpt[s];
    log(`${p.name} ${s}: snapshot ${(c.snapshotBytes / 1048576).toFixed(2)} MiB of ${(c.memoryBytes / 1048576).toFixed(2)} MiB, checkpoint ${c.ckptMs?.toFixed(1)} ms, stop ${c.stopMs?.toFixed(1)} ms, restore ${c.restoreMs?.toFixed(1)} ms, downtime ${c.downtimeMs?.toFixed(1)} ms of budget ${c.budgetMs?.toFixed(1)} ms (startup ${c.origStartupMs?.toFixed(1)} ms), resumed ok ${c.resumedOk}/${trials.length}`);
  }
  p.status = 'measured';
  for (const s of strategies) for (const f of [`${s}.snap`, `${s}.resumed.wasm`]) fs.rmSync(path.join(cwd, f), { force: true }); // up to tens of MiB each
  // partial results survive an interrupted run
  fs.writeFileSync(path.join(opt.out, 'results.partial.json'), JSON.stringify({ ...resultsBase(), programs }, null, 1));
}

const results = { ...resultsBase(), programs };
writeReports(results, opt.out);
fs.rmSync(path.join(opt.out, 'results.partial.json'), { force: true });
log(`\nwrote ${['results.md', 'results.csv', 'results.json', 'overhead.svg', 'costs.svg'].map((f) => path.relative(repoDir, path.join(opt.out, f))).join(', ')} in ${results.minutes.toFixed(1)} min`);
