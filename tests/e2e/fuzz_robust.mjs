#!/usr/bin/env node
// fuzz_robust.mjs — robustness fuzzing: damaged inputs must get a clean refusal or a valid result,
// never a crash, a hang or an invalid output.
//
// Seed inputs: corpus programs compiled by clang, one of them instrumented, and a real snapshot
// taken from it. Each fuzz case (a seed number picks it and its damage deterministically) is one
// of:
//   module    a mutated or truncated module through `instrument` (both strategies) and `plan`:
//             exit 0 with an output that wasm-validate and V8 (new WebAssembly.Module) accept,
//             or exit 1 with one line "wasm-ckpt: error: ...";
//   snapshot  a mutated or truncated snapshot (a header field set to an edge value, or any
//             damage; mostly with its checksum written again) through `inspect` (0 or 1),
//             `resume` (0 with a valid module, or 1) and a restore of the instrumented module
//             under Node's WASI (WASM_CKPT_RESTORE): exit 65 (refused), or the resumed program's
//             output and exit 0 — or, where a fixed checksum makes the damage another valid
//             state, anything the program may do short of a crash of the engine or a hang; and
//             `resume` refuses exactly what the restore refuses.
// Every command runs with a time limit (--time-limit) and wasm-ckpt with an address-space limit
// (--memory-limit, through prlimit; Node reserves more address space than it uses, so Node runs
// get --max-old-space-size instead). A signal, an exit of 128 or more, or a timeout is a failure.
// A failure prints the command that reproduces it and keeps its input under --work.
//
// usage: node --no-warnings fuzz_robust.mjs --tool wasm-ckpt --runner run_wasi.mjs --work DIR
//        [--corpus tests/corpus] [--clang clang-14] [--wasm-validate wasm-validate]
//        [--first-seed 1] [--seeds 100] [--duration SECONDS] [--skip 7,12]
//        [--time-limit 20] [--memory-limit 2048]
// --duration: run seeds from --first-seed on until the time is up (instead of --seeds).
// --skip: seeds left out (known failures being fixed elsewhere; each is still listed as skipped).
// Ends with "N passed, M failed, K skipped"; exit 1 if M > 0, 2 on a usage error.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { fixSnapshotChecksum } from './lib/fnv1a.mjs';
import { readLeb, sections } from './lib/wasm_sections.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
let args;
try {
  ({ values: args } = parseArgs({
    options: {
      tool: { type: 'string' }, runner: { type: 'string' }, work: { type: 'string' },
      corpus: { type: 'string', default: path.resolve(here, '..', 'corpus') },
      clang: { type: 'string', default: 'clang-14' },
      'wasm-validate': { type: 'string', default: 'wasm-validate' },
      'first-seed': { type: 'string', default: '1' }, seeds: { type: 'string', default: '100' },
      duration: { type: 'string' }, skip: { type: 'string', default: '' },
      'time-limit': { type: 'string', default: '20' }, 'memory-limit': { type: 'string', default: '2048' },
    },
  }));
} catch (e) {
  usage(e.message);
}
function usage(message) {
  process.stderr.write(`fuzz_robust.mjs: ${message}\nusage: fuzz_robust.mjs --tool PATH --runner PATH --work DIR ` +
                       '[--corpus DIR] [--clang PATH] [--wasm-validate PATH] [--first-seed N] [--seeds N] ' +
                       '[--duration SECONDS] [--skip N,N] [--time-limit SECONDS] [--memory-limit MB]\n');
  process.exit(2);
}
if (!args.tool || !args.runner || !args.work) usage('--tool, --runner and --work are required');
const tool = path.resolve(args.tool);
const runner = path.resolve(args.runner);
const work = path.resolve(args.work);
const firstSeed = Number(args['first-seed']);
const seedCount = Number(args.seeds);
const duration = args.duration === undefined ? null : Number(args.duration);
const skip = new Set(args.skip.split(',').filter(Boolean).map(Number));
const timeLimitMs = Number(args['time-limit']) * 1000;
const memoryMb = Number(args['memory-limit']);
for (const [name, value] of [['first-seed', firstSeed], ['seeds', seedCount], ['time-limit', timeLimitMs], ['memory-limit', memoryMb]])
  if (!Number.isFinite(value) || value < 0) usage(`bad --${name}`);
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

// ---- running things -------------------------------------------------------------------------
function run(cmd, argv, env = {}) {
  const r = spawnSync(cmd, argv, {
    cwd: work, env: { PATH: process.env.PATH, ...env }, encoding: 'latin1', maxBuffer: 1 << 26,
    timeout: timeLimitMs, killSignal: 'SIGKILL',
  });
  return { status: r.status, signal: r.signal, timedOut: r.error?.code === 'ETIMEDOUT',
           stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
function runTool(argv) {
  return run('prlimit', [`--as=${memoryMb * 1024 * 1024}`, '--', tool, ...argv]);
}
function runModule(module, env) {
  return run(process.execPath, ['--no-warnings', '--no-turbo-fast-api-calls', `--max-old-space-size=${memoryMb}`,
                                runner, module], env);
}
function must(r, what) {
  if (r.status !== 0) throw new Error(`${what}: exit ${r.status} ${r.signal ?? ''} ${r.stderr.slice(0, 500)}`);
  return r;
}

// ---- the seed inputs ------------------------------------------------------------------------
const programs = ['fib_rec', 'qsort_cb', 'strings', 'int64_math'];
const modules = {};
for (const name of programs) {
  const out = path.join(work, `${name}.wasm`);
  must(run(args.clang, ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', path.join(path.resolve(args.corpus), `${name}.c`), '-o', out, '-lm']),
       `${args.clang} ${name}.c`);
  modules[name] = fs.readFileSync(out);
}
// The snapshot program: instrumented, its plain output, a snapshot from the middle of its run.
const snapProgram = 'qsort_cb';
const instrumented = path.join(work, `${snapProgram}.ckpt.wasm`);
must(runTool(['instrument', `${snapProgram}.wasm`, '-o', instrumented]), 'instrument');
const expected = must(runModule(`${snapProgram}.wasm`, {}), 'original run').stdout;
const counted = runModule(instrumented, { WASM_CKPT_VERBOSE: '1' });
const polls = Number(/exiting after polls: (\d+)/.exec(counted.stderr)?.[1] ?? 0);
if (counted.status !== 0 || counted.stdout !== expected || polls < 2) throw new Error(`instrumented run: ${counted.stderr.slice(0, 500)}`);
const stop = runModule(instrumented, { WASM_CKPT_AT: String(Math.floor(polls / 2)), WASM_CKPT_FILE: 'seed.snap' });
if (stop.status !== 75) throw new Error(`stop: exit ${stop.status} ${stop.stderr.slice(0, 500)}`);
const snapshot = fs.readFileSync(path.join(work, 'seed.snap'));
const resumedOutput = must(runModule(instrumented, { WASM_CKPT_RESTORE: 'seed.snap' }), 'restore of the seed snapshot').stdout;

// ---- deterministic damage -------------------------------------------------------------------
function prng(seed) {
  let s = (seed * 0x9e3779b1 + 0x7f4a7c15) >>> 0 || 1;
  return (n) => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s % n;
  };
}
const interesting = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x40, 0x41, 0x0b, 0x02, 0x03, 0x20, 0x21, 0x10, 0x11];
// A few mutations of one kind or another; the result's bytes and a description of the damage.
function damage(bytes, rand, keepHeader) {
  let b = Buffer.from(bytes);
  const steps = [];
  const count = 1 + rand(4);
  const start = keepHeader ? Math.min(8, b.length) : 0;
  const pos = () => start + rand(Math.max(1, b.length - start));
  for (let i = 0; i < count && b.length > start; i++) {
    switch (rand(7)) {
      case 0: { const p = pos(); b[p] ^= 1 << rand(8); steps.push(`flip bit of byte ${p}`); break; }
      case 1: { const p = pos(); b[p] = interesting[rand(interesting.length)]; steps.push(`byte ${p} = ${b[p]}`); break; }
      case 2: { const p = pos(); b[p] = rand(256); steps.push(`byte ${p} = ${b[p]}`); break; }
      case 3: { const n = start + rand(b.length - start + 1); b = b.subarray(0, n); steps.push(`truncate to ${n}`); break; }
      case 4: { const p = pos(), n = 1 + rand(16); b = Buffer.concat([b.subarray(0, p), b.subarray(p + n)]); steps.push(`delete ${n} at ${p}`); break; }
      case 5: {
        const p = pos(), n = 1 + rand(32), from = pos();
        b = Buffer.concat([b.subarray(0, p), b.subarray(from, from + n), b.subarray(p)]);
        steps.push(`insert ${n} bytes from ${from} at ${p}`);
        break;
      }
      default: {
        // A LEB128 run that claims a huge value (counts, sizes, indices).
        const p = pos(), n = 1 + rand(5);
        for (let j = 0; j < n && p + j < b.length; j++) b[p + j] = j + 1 < n ? 0xff : 0x0f;
        steps.push(`${n}-byte huge LEB at ${p}`);
      }
    }
  }
  return { bytes: b, what: steps.join(', ') };
}

// Module damage that gets past the section framing: the bytes of one section are damaged and its
// size is written again, or a LEB128 number inside it (a count, size, index or immediate) is
// replaced in place, keeping its length, by a large or edge value.
function writeLeb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
}
function damageModule(bytes, rand) {
  const list = sections(bytes);
  if (!list.length || rand(3) === 0) return damage(bytes, rand, rand(4) !== 0);
  const section = list[rand(list.length)];
  const payload = bytes.subarray(section.start, section.end);
  let inner, what;
  if (rand(2)) {
    ({ bytes: inner, what } = damage(payload, rand, false));
  } else {
    // Same-length LEB replacement at a random byte that starts one.
    inner = Buffer.from(payload);
    const p = rand(Math.max(1, inner.length)), leb = readLeb(inner, p);
    if (!leb || leb.length === 0) return damage(bytes, rand, true);
    const edge = [0, 1, 2 ** (7 * leb.length) - 1, leb.value + 1, Math.max(0, leb.value - 1), leb.value * 2][rand(6)];
    const value = Math.min(edge, 2 ** Math.min(32, 7 * leb.length) - 1);
    for (let j = 0; j < leb.length; j++) {
      const byte = Math.floor(value / 2 ** (7 * j)) % 128;
      inner[p + j] = j + 1 < leb.length ? byte | 0x80 : byte;
    }
    what = `LEB at +${p} ${leb.value} -> ${value}`;
  }
  return {
    bytes: Buffer.concat([bytes.subarray(0, section.at + 1), writeLeb(inner.length), inner, bytes.subarray(section.end)]),
    what: `section ${section.id} at ${section.at} (size rewritten): ${what}`,
  };
}

// Snapshot damage that gets past the checksum: a header or frame field set to an edge value, or
// any damage, and then (mostly) the checksum written again (docs/snapshot-format.md).
function fixChecksum(b) {
  if (b.length < 32 || b.length % 4) return false;
  fixSnapshotChecksum(b);
  return true;
}
// `framing`: only the header or the first frame's record header changed, so a reader either
// refuses it or restores the same state; otherwise, with the checksum fixed, the snapshot may
// hold another valid state of the program, whose run may print anything or trap.
function damageSnapshot(bytes, rand) {
  let b, what, framing = false;
  if (rand(2)) {
    b = Buffer.from(bytes);
    const offsets = [8, 12, 32, 36, 40, 44, 48, 52, 56, 60, 64, 68, 72, 76, 80];
    const at = rand(3) ? offsets[rand(offsets.length)] : 4 * rand(Math.floor(b.length / 4));
    const old = b.readUInt32LE(at);
    const value = [0, 1, 2, 0xffffffff, 0x7fffffff, 0x80000000, 0x10000, 0x10001, old + 1, old - 1, old * 2, old + 65540][rand(12)] >>> 0;
    b.writeUInt32LE(value, at);
    what = `u32 at ${at} ${old} -> ${value}`;
    framing = at < 76;
  } else {
    ({ bytes: b, what } = damage(bytes, rand, false));
  }
  const fixed = rand(4) !== 0 && fixChecksum(b);
  if (fixed) what += ', checksum fixed';
  return { bytes: b, what, anyState: fixed && !framing };
}

// ---- checks ---------------------------------------------------------------------------------
class Failure extends Error {}
let current = ''; // the damage of the case being run
function crashed(r) {
  if (r.timedOut) return `timed out after ${timeLimitMs / 1000} s`;
  if (r.signal) return `killed by ${r.signal}`;
  if (r.status >= 128) return `exit ${r.status}`;
  return null;
}
function expectRefusalOrOk(r, what, okStatuses = [0]) {
  const bad = crashed(r);
  if (bad) throw new Failure(`${what}: ${bad}: ${r.stderr.trim().slice(0, 300)}`);
  if (okStatuses.includes(r.status)) return;
  if (r.status !== 1) throw new Failure(`${what}: exit ${r.status}: ${r.stderr.trim().slice(0, 300)}`);
  const lines = r.stderr.trim().split('\n');
  if (lines.length !== 1 || !lines[0].startsWith('wasm-ckpt: error: '))
    throw new Failure(`${what}: exit 1 without a one-line "wasm-ckpt: error:" message: ${JSON.stringify(r.stderr.slice(0, 300))}`);
}
function expectValidModule(file, what) {
  const bytes = fs.readFileSync(file);
  try {
    new WebAssembly.Module(bytes);
  } catch (e) {
    throw new Failure(`${what}: exit 0 but V8 rejects the output: ${e.message}`);
  }
  const v = run(args['wasm-validate'], ['--enable-all', file]);
  if (v.status !== 0) throw new Failure(`${what}: exit 0 but wasm-validate rejects the output: ${v.stderr.trim().slice(0, 300)}`);
}

function fuzzModule(seed, rand) {
  const name = programs[rand(programs.length)];
  const { bytes, what } = damageModule(modules[name], rand);
  const input = `case-${seed}.wasm`;
  current = `${name}.wasm: ${what}`;
  fs.writeFileSync(path.join(work, input), bytes);
  const strategy = rand(2) ? 'full' : 'lean';
  const out = `case-${seed}.out.wasm`;
  const plan = runTool(['plan', input]);
  expectRefusalOrOk(plan, 'plan');
  const r = runTool(['instrument', '--strategy', strategy, input, '-o', out]);
  expectRefusalOrOk(r, `instrument --strategy ${strategy}`);
  if (r.status === 0) expectValidModule(path.join(work, out), `instrument --strategy ${strategy}`);
  else if (fs.existsSync(path.join(work, out))) throw new Failure(`instrument: exit ${r.status} but ${out} was written`);
}

// inspect and resume refuse (1) or succeed; the restore refuses (65) or runs on. Both readers
// apply the same checks (docs/snapshot-format.md), so resume bakes exactly what a restore runs.
function fuzzSnapshot(seed, rand) {
  const { bytes, what, anyState } = damageSnapshot(snapshot, rand);
  const input = `case-${seed}.snap`;
  current = `${snapProgram} snapshot: ${what}`;
  fs.writeFileSync(path.join(work, input), bytes);
  expectRefusalOrOk(runTool(['inspect', input]), 'inspect');
  const out = `case-${seed}.baked.wasm`;
  const baked = runTool(['resume', instrumented, input, '-o', out]);
  expectRefusalOrOk(baked, 'resume');
  if (baked.status === 0) expectValidModule(path.join(work, out), 'resume');
  const restored = runModule(instrumented, { WASM_CKPT_RESTORE: input });
  const bad = crashed(restored);
  if (bad && !(anyState && restored.status === 134)) throw new Failure(`restore: ${bad}: ${restored.stderr.trim().slice(0, 300)}`);
  const refused = restored.status === 65 && /^wasm-ckpt: /.test(restored.stderr);
  if (!anyState && !refused && !(restored.status === 0 && restored.stdout === resumedOutput))
    throw new Failure(`restore: exit ${restored.status} (expected 65, or 0 and the resumed program's output): ` +
                      `${JSON.stringify(restored.stdout.slice(-200))} ${restored.stderr.trim().slice(0, 300)}`);
  if (refused && baked.status === 0)
    throw new Failure(`resume baked a snapshot that the run-time reader refuses: ${restored.stderr.trim().slice(0, 300)}`);
  if (!refused && baked.status !== 0)
    throw new Failure(`resume refused a snapshot that the run-time reader accepts (restore exit ${restored.status}): ${baked.stderr.trim().slice(0, 300)}`);
}

// ---- the run --------------------------------------------------------------------------------
let passed = 0, failed = 0, skipped = 0;
const started = Date.now();
const fixedArgs = `--tool ${tool} --runner ${runner} --work ${work}-repro --corpus ${path.resolve(args.corpus)} ` +
                  `--clang ${args.clang} --time-limit ${timeLimitMs / 1000} --memory-limit ${memoryMb}`;
for (let seed = firstSeed; duration !== null ? Date.now() - started < duration * 1000 : seed < firstSeed + seedCount; seed++) {
  if (skip.has(seed)) {
    skipped++;
    console.log(`skip seed ${seed}`);
    continue;
  }
  const rand = prng(seed);
  const kind = rand(2) ? 'module' : 'snapshot';
  try {
    if (kind === 'module') fuzzModule(seed, rand);
    else fuzzSnapshot(seed, rand);
    passed++;
    for (const f of fs.readdirSync(work)) if (f.startsWith(`case-${seed}.`)) fs.rmSync(path.join(work, f));
  } catch (e) {
    if (!(e instanceof Failure)) throw e;
    failed++;
    console.log(`FAIL seed ${seed} (${current}): ${e.message}\n  input kept: ${path.join(work, `case-${seed}.*`)}\n` +
                `  reproduce: node --no-warnings ${fileURLToPath(import.meta.url)} ${fixedArgs} --first-seed ${seed} --seeds 1`);
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped (seeds from ${firstSeed}, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
process.exit(failed ? 1 : 0);
