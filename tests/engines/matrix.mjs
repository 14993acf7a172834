#!/usr/bin/env node
// matrix.mjs — portability matrix: stop a program on engine A, resume it on engine B, for every
// ordered pair (A, B) of engines (V8 tiers, SpiderMonkey, V8 in Chromium, arm64 under QEMU,
// wasmtime with Cranelift).
//
//   node tests/engines/matrix.mjs [--engines node,gjs,...] [--quick] [--programs a,b]
//                                 [--strategy full,lean] [--stops N] [--jobs N] [--work DIR] [--keep]
//
// For each program of tests/corpus (C, clang-14 -O2 for wasm32-wasi), instrumented by build/wasm-ckpt:
//   baseline  on every engine, the instrumented module run uninterrupted prints exactly what the
//             original prints under Node and exits the same way; the poll count at exit
//             (WASM_CKPT_VERBOSE=1) is the same on every engine.
//   stop      on every engine A, at several poll counts (WASM_CKPT_AT), exits 75 with a snapshot.
//   same-snap the snapshots of one program at one poll count are byte-identical across engines
//             (that give the program the same arguments: see argvGroup).
//   resume    for every (A, B): B continues A's snapshot through WASM_CKPT_RESTORE, and a module
//             baked by `wasm-ckpt resume` (run with no variables and no preopened directory) does too;
//             stop output + resumed output == the original's output, byte for byte, and the exit
//             codes are equal.
// Prints the pass/fail grid (rows: stop engine, columns: resume engine), then `N passed, M failed`.
// Exit status 0 only if nothing failed.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const ALL_ENGINES = ['node', 'node-liftoff', 'node-turbofan', 'gjs', 'chromium', 'node-arm64', 'wasmtime'];
// wizer passes no program arguments: under wasmtime a program runs with argc = 0, elsewhere with
// argv[0] = the module's file name. wasi-libc allocates argv on the heap only when there are
// arguments, so such runs differ by that allocation (a few polls) and so do their snapshots' bytes:
// poll counts and snapshot bytes are compared among engines that give the same arguments (stops and
// resumes across the two groups are checked like all others, against the original's output).
const argvGroup = (engine) => (engine === 'wasmtime' ? 'argc 0' : 'argv[0]');

const args = commandLine();
const quick = !!args.quick;
const engines = (args.engines || ALL_ENGINES.join(',')).split(',').filter(Boolean);
const programs = (args.programs || 'fib_rec,qsort_cb,nbody_fp').split(',').filter(Boolean);
const strategies = (args.strategy || 'full').split(',').filter(Boolean);   // wasm-ckpt instrument --strategy
const stopsWanted = Number(args.stops || (quick ? 2 : 4));
const jobs = Number(args.jobs || os.cpus().length);
const tool = path.resolve(args.tool || path.join(repo, 'build/wasm-ckpt'));
const clang = args.clang || 'clang-14';
const runSh = path.join(here, 'run.sh');
const work = path.resolve(args.work || (fs.existsSync(path.join(repo, 'build')) ? path.join(repo, 'build/engines-matrix')
                                                                                  : path.join(os.tmpdir(), 'wasm-ckpt-engines-matrix')));
const RUN_TIMEOUT_MS = 15 * 60 * 1000;

function commandLine() {
  const string = { type: 'string' }, flag = { type: 'boolean' };
  try {
    return parseArgs({
      options: { engines: string, quick: flag, programs: string, strategy: string, stops: string, jobs: string,
                 tool: string, clang: string, work: string, keep: flag },
    }).values;
  } catch (e) {
    console.error(`matrix.mjs: ${e.message}\nusage: matrix.mjs [--engines a,b] [--quick] [--programs a,b] [--strategy full,lean] ` +
                  '[--stops N] [--jobs N] [--tool PATH] [--clang PATH] [--work DIR] [--keep]');
    process.exit(2);
  }
}

// ---- processes -------------------------------------------------------------------------------
// The caller's WASM_CKPT_* variables never leak into a run: each run gets exactly `env`.
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WASM_CKPT_')));
function run(cmd, argv, { env = {}, cwd = work } = {}) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(cmd, argv, { cwd, env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (d) => stdout.push(d));
    child.stderr.on('data', (d) => stderr.push(d));
    const timer = setTimeout(() => child.kill('SIGTERM'), RUN_TIMEOUT_MS);
    child.on('error', (e) => stderr.push(Buffer.from(String(e))));
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      resolve({ code: code === null ? `signal ${sig}` : code, stdout: Buffer.concat(stdout),
                stderr: Buffer.concat(stderr).toString(), ms: Date.now() - t0 });
    });
  });
}
const runOn = (engine, module, { env = {}, cwd, noDir = false } = {}) =>
  run('bash', [runSh, engine, ...(noDir ? ['--no-dir'] : []), module], { env, cwd });

// A tiny promise pool: at most `jobs` runs at once.
async function pool(tasks) {
  const results = new Array(tasks.length);
  let next = 0;
  async function worker() { while (next < tasks.length) { const i = next++; results[i] = await tasks[i](); } }
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
  return results;
}

// ---- bookkeeping ---------------------------------------------------------------------------------
let passed = 0;
let failed = 0;
const failures = [];
function check(ok, what, detail = '') {
  if (ok) passed++;
  else { failed++; failures.push(detail ? `${what}: ${detail}` : what); }
  return ok;
}
function firstDiff(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
function describeDiff(got, want) {
  const i = firstDiff(got, want);
  return `stdout differs at byte ${i} (got ${got.length} bytes, want ${want.length}): ` +
         `got ${JSON.stringify(got.subarray(i, i + 40).toString())}, want ${JSON.stringify(want.subarray(i, i + 40).toString())}`;
}
const tail = (s) => s.trim().split('\n').slice(-3).join(' | ');
const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

// ---- engines -----------------------------------------------------------------------------------
const installed = new Set(execFileSync('bash', [runSh, 'list']).toString().trim().split('\n')
  .filter((l) => l.endsWith(' installed')).map((l) => l.split(' ')[0]));
const active = [];
for (const e of engines) {
  if (!ALL_ENGINES.includes(e)) { console.error(`matrix: unknown engine '${e}' (${ALL_ENGINES.join(', ')})`); process.exit(2); }
  if (check(installed.has(e), `engine ${e}`, 'not installed (scripts/setup-engines.sh all)')) active.push(e);
}
if (!fs.existsSync(tool)) { console.error(`matrix: ${tool} not built (cmake --build build)`); process.exit(2); }
if (!args.keep) fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
console.log(`engines: ${active.join(', ')}; programs: ${programs.join(', ')}; strategy: ${strategies.join(', ')}; ` +
            `${stopsWanted} stops each; work: ${work}`);

// ---- build -------------------------------------------------------------------------------------
const prog = {};   // name (or name:strategy) -> {dir, wasm, ckpt, ref, polls, stops}
for (const name of programs) {
  const src = path.join(repo, 'tests/corpus', `${name}.c`);
  if (!fs.existsSync(src)) { console.error(`matrix: no program tests/corpus/${name}.c`); process.exit(2); }
  const wasm = path.join(work, `${name}.wasm`);
  execFileSync(clang, ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', src, '-lm', '-o', wasm]);
  const ref = await run('bash', [runSh, 'node', wasm]);   // the original, uninstrumented
  if (!check(typeof ref.code === 'number' && ref.code !== 134, `${name}: reference run`, `exit ${ref.code}: ${tail(ref.stderr)}`)) continue;
  for (const strategy of strategies) {
    const key = strategies.length === 1 && strategy === 'full' ? name : `${name}:${strategy}`;
    const dir = path.join(work, key.replace(':', '-'));
    fs.mkdirSync(dir, { recursive: true });
    const ckpt = path.join(dir, `${name}.ckpt.wasm`);   // one file name: argv[0] is the same everywhere
    execFileSync(tool, ['instrument', '--strategy', strategy, wasm, '-o', ckpt]);
    prog[key] = { dir, wasm, ckpt, ref };
  }
}
const tBuild = Date.now();

// ---- baseline: uninterrupted instrumented run on every engine ------------------------------------
const phase = (what, n) => console.log(`[${secs(Date.now() - t0)}] ${what}: ${n} runs`);
phase('uninterrupted', Object.keys(prog).length * active.length);
const baselineCell = Object.fromEntries(active.map((e) => [e, { pass: 0, fail: 0, ms: 0, runs: 0 }]));
await pool(Object.keys(prog).flatMap((name) => active.map((e) => async () => {
  const p = prog[name];
  const cwd = path.join(p.dir, `baseline-${e}`);
  fs.mkdirSync(cwd, { recursive: true });
  const r = await runOn(e, p.ckpt, { env: { WASM_CKPT_VERBOSE: '1' }, cwd });
  const cell = baselineCell[e];
  cell.ms += r.ms; cell.runs++;
  const m = /exiting after polls: (\d+)/.exec(r.stderr);
  const polls = m ? Number(m[1]) : null;
  const ok = check(r.code === p.ref.code && r.stdout.equals(p.ref.stdout) && polls !== null,
    `${name}: uninterrupted on ${e}`,
    r.code !== p.ref.code ? `exit ${r.code}, want ${p.ref.code}: ${tail(r.stderr)}`
      : !r.stdout.equals(p.ref.stdout) ? describeDiff(r.stdout, p.ref.stdout) : 'no poll count on stderr');
  ok ? cell.pass++ : cell.fail++;
  (p.polls ||= {})[e] = polls;
})));
for (const [name, p] of Object.entries(prog)) {
  for (const group of new Set(active.map(argvGroup))) {
    const members = active.filter((e) => argvGroup(e) === group);
    const counts = members.map((e) => p.polls?.[e]);
    check(counts.every((n) => n != null && n === counts[0]), `${name}: poll count at exit is the same on every engine (${group})`,
          members.map((e) => `${e}=${p.polls?.[e]}`).join(' '));
  }
  const counts = active.map((e) => p.polls?.[e]).filter((n) => n != null);
  const total = counts.length ? Math.max(...counts) : 0;
  // Stops: spread over the run, the last one on the very last poll point when not --quick.
  const fr = quick ? [0.41, 0.83] : [0, 0.29, 0.67, 1];
  const f = stopsWanted === fr.length ? fr : Array.from({ length: stopsWanted }, (_, i) => (i + 1) / (stopsWanted + 1));
  p.total = total;
  p.stops = [...new Set(f.map((x) => Math.min(total, Math.max(1, Math.round(x * total)))))];
  console.log(`${name}: ${p.ref.stdout.length} bytes of stdout, exit ${p.ref.code}, ${total} polls; stops at ${p.stops.join(', ')}`);
}
const tBaseline = Date.now();

// ---- stop on every engine --------------------------------------------------------------------------
phase('stops', Object.values(prog).reduce((n, p) => n + p.stops.length, 0) * active.length);
// Every run of one program uses the same variables and the same snapshot name: they are part of the
// program's state (wasi-libc keeps the environment in linear memory).
const SNAP = 'state.snap';
const stopEnv = (at) => ({ WASM_CKPT_AT: String(at), WASM_CKPT_FILE: SNAP });
const stops = {};   // `${name}|${at}|${A}` -> {snap, stdout} or null
const stopCell = Object.fromEntries(active.map((e) => [e, { ms: 0, runs: 0, pass: 0, fail: 0 }]));
const sameCell = Object.fromEntries(active.map((e) => [e, { pass: 0, fail: 0 }]));
await pool(Object.entries(prog).flatMap(([name, p]) => p.stops.flatMap((at) => active.map((A) => async () => {
  const cwd = path.join(p.dir, `stop-${at}-${A}`);
  fs.mkdirSync(cwd, { recursive: true });
  const r = await runOn(A, p.ckpt, { env: stopEnv(at), cwd });
  stopCell[A].ms += r.ms; stopCell[A].runs++;
  const snap = path.join(cwd, SNAP);
  const ok = check(r.code === 75 && fs.existsSync(snap), `${name}: stop at ${at} on ${A}`,
                   `exit ${r.code}, snapshot ${fs.existsSync(snap) ? 'written' : 'absent'}: ${tail(r.stderr)}`);
  ok ? stopCell[A].pass++ : stopCell[A].fail++;
  stops[`${name}|${at}|${A}`] = ok ? { snap, stdout: r.stdout, cwd } : null;
}))));
// The state is deterministic: the same program stopped at the same poll count gives the same bytes.
for (const [name, p] of Object.entries(prog)) for (const at of p.stops) for (const group of new Set(active.map(argvGroup))) {
  const got = active.filter((A) => argvGroup(A) === group).map((A) => [A, stops[`${name}|${at}|${A}`]]).filter(([, s]) => s);
  if (got.length < 2) continue;
  const first = fs.readFileSync(got[0][1].snap);
  for (const [A, s] of got.slice(1)) {
    const b = fs.readFileSync(s.snap);
    const ok = check(first.equals(b), `${name}: snapshot at ${at} from ${A} == from ${got[0][0]}`,
                     `differ at byte ${firstDiff(b, first)} (cmp ${s.snap} ${got[0][1].snap})`);
    ok ? sameCell[A].pass++ : sameCell[A].fail++;
  }
}
// Bake once per snapshot: `wasm-ckpt resume` is a pure function of (module, snapshot).
for (const [key, s] of Object.entries(stops)) {
  if (!s) continue;
  const [name] = key.split('|');
  s.baked = path.join(s.cwd, path.basename(prog[name].ckpt).replace(/\.ckpt\.wasm$/, '.resumed.wasm'));
  try { execFileSync(tool, ['resume', prog[name].ckpt, s.snap, '-o', s.baked], { stdio: 'pipe' }); }
  catch (e) { check(false, `${key}: wasm-ckpt resume`, String(e.stderr || e.message).trim()); s.baked = null; }
}
const tStop = Date.now();

// ---- resume on every engine -----------------------------------------------------------------------
const grid = {};   // `${A}|${B}` -> {pass, fail}
for (const A of active) for (const B of active) grid[`${A}|${B}`] = { pass: 0, fail: 0 };
const resumeCell = Object.fromEntries(active.map((e) => [e, { ms: 0, runs: 0 }]));
const tasks = [];
for (const [name, p] of Object.entries(prog)) for (const at of p.stops) for (const A of active) {
  const s = stops[`${name}|${at}|${A}`];
  if (!s) continue;
  for (const B of active) for (const how of ['restore', 'baked']) tasks.push(async () => {
    const cwd = path.join(p.dir, `resume-${at}-${A}-${B}-${how}`);
    fs.mkdirSync(cwd, { recursive: true });
    let r;
    if (how === 'restore') {
      fs.copyFileSync(s.snap, path.join(cwd, SNAP));
      r = await runOn(B, p.ckpt, { env: { WASM_CKPT_RESTORE: SNAP }, cwd });
    } else if (s.baked) {
      r = await runOn(B, s.baked, { cwd, noDir: true });
    } else {
      r = { code: 'not baked', stdout: Buffer.alloc(0), stderr: '', ms: 0 };
    }
    resumeCell[B].ms += r.ms; resumeCell[B].runs++;
    const all = Buffer.concat([s.stdout, r.stdout]);
    const repro = how === 'restore'
      ? `cd ${s.cwd} && WASM_CKPT_AT=${at} WASM_CKPT_FILE=${SNAP} ${runSh} ${A} ${p.ckpt}; WASM_CKPT_RESTORE=${SNAP} ${runSh} ${B} ${p.ckpt}`
      : `${runSh} ${B} --no-dir ${s.baked}`;
    const ok = check(r.code === p.ref.code && all.equals(p.ref.stdout), `${name}: stop at ${at} on ${A}, resume on ${B} (${how})`,
      (r.code !== p.ref.code ? `exit ${r.code}, want ${p.ref.code}: ${tail(r.stderr)}` : describeDiff(all, p.ref.stdout)) +
      `\n    reproduce: ${repro}`);
    ok ? grid[`${A}|${B}`].pass++ : grid[`${A}|${B}`].fail++;
  });
}
phase('resumes', tasks.length);
await pool(tasks);
const tResume = Date.now();

// ---- report ---------------------------------------------------------------------------------------
const w = Math.max(14, ...active.map((e) => e.length + 2));
const pad = (s, n = w) => String(s).padEnd(n);
const cellText = (c) => (c.fail ? `FAIL ${c.fail}/${c.pass + c.fail}` : `ok ${c.pass}`);
console.log('');
console.log('stop \\ resume  ' + active.map((B) => pad(B)).join(''));
for (const A of active) console.log(pad(A, 15) + active.map((B) => pad(cellText(grid[`${A}|${B}`]))).join(''));
console.log(`(each cell: programs${strategies.length > 1 ? ' x strategies' : ''} x stops x {WASM_CKPT_RESTORE, baked module}, ` +
            'compared byte for byte with the uninterrupted original)');
console.log('');
console.log(pad('engine', 15) + pad('uninterrupted') + pad('stops') + pad('same snapshot') + pad('avg run: stop') + 'resume');
for (const e of active) {
  const avg = (c) => (c.runs ? `${(c.ms / c.runs / 1000).toFixed(2)} s` : '-');
  const same = e === active.find((a) => argvGroup(a) === argvGroup(e)) ? 'reference' : cellText(sameCell[e]);
  console.log(pad(e, 15) + pad(cellText(baselineCell[e])) + pad(cellText(stopCell[e])) + pad(same) +
              pad(avg(stopCell[e])) + avg(resumeCell[e]));
}
console.log(`time: build+reference ${secs(tBuild - t0)}, uninterrupted ${secs(tBaseline - tBuild)}, ` +
            `stops+bake ${secs(tStop - tBaseline)}, resumes ${secs(tResume - tStop)} (${tasks.length} runs), total ${secs(tResume - t0)}`);
if (failures.length) {
  console.log('');
  console.log('failures:');
  for (const f of failures.slice(0, 40)) console.log(`  ${f}`);
  if (failures.length > 40) console.log(`  ... and ${failures.length - 40} more`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
