#!/usr/bin/env node
// ab.mjs — an interleaved A/B comparison of a few modules of one program, for a question the
// whole bench (harness.mjs) is too coarse or too slow for: does this change move that program?
// Each rep runs the original, then every variant, back to back, under V8's optimizing tier
// (as harness.mjs's "run ×" columns; --default-tier: under Node's default tiering, Liftoff first); a variant's figure is the median over reps of its run
// time divided by the original's in the same rep. Run time is `_start` entry to return, read
// from runner.mjs's report. Variants may come from different wasm-ckpt builds.
//
// usage: node bench/ab.mjs [--reps N] [--cwd DIR] [--default-tier] [--node-flag FLAG]... original.wasm variant.wasm... [-- args...]
//   e.g. node bench/ab.mjs --reps 11 bench/out/build/c/sieve.wasm old/sieve.lean.wasm bench/out/build/inst/sieve.lean.wasm
//   --node-flag: a V8/Node flag for every run (repeatable), e.g. --no-wasm-loop-unrolling, to see
//   how much of a ratio an engine heuristic makes.
// WASM_CKPT_* variables of the environment reach the modules (WASM_CKPT_TRIGGER, say).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
let reps = 9;
let cwd = process.cwd();
const modules = [];
const nodeFlags = [];
let tierFlags = ['--no-liftoff', '--no-wasm-lazy-compilation']; // the optimizing tier
let args = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--reps') reps = Number(argv[++i]);
  else if (argv[i] === '--cwd') cwd = path.resolve(argv[++i]);
  else if (argv[i] === '--node-flag') nodeFlags.push(argv[++i]);
  else if (argv[i] === '--default-tier') tierFlags = [];
  else if (argv[i] === '--') { args = argv.slice(i + 1); break; }
  else modules.push(path.resolve(argv[i]));
}
if (modules.length < 2 || !(reps >= 1)) {
  console.error('usage: node bench/ab.mjs [--reps N] [--cwd DIR] [--default-tier] [--node-flag FLAG]... original.wasm variant.wasm... [-- args...]');
  process.exit(2);
}

const report = path.join(os.tmpdir(), `ab-${process.pid}.json`);
function runMs(module) {
  fs.rmSync(report, { force: true });
  const run = spawnSync(process.execPath, [...tierFlags, '--no-warnings', ...nodeFlags,
    path.join(benchDir, 'runner.mjs'), '--report', report, module, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const times = fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')) : {};
  if (run.status !== 0 || times.startEnd === undefined) {
    console.error(`ab.mjs: ${module} failed (exit ${run.status}): ${run.stderr}`);
    process.exit(1);
  }
  return times.startEnd - times.startBegin;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratios = modules.slice(1).map(() => []);
for (let rep = 0; rep < reps; rep++) {
  const original = runMs(modules[0]);
  modules.slice(1).forEach((m, k) => ratios[k].push(runMs(m) / original));
}
fs.rmSync(report, { force: true });
modules.slice(1).forEach((m, k) =>
  console.log(`${path.relative(process.cwd(), m)}: median ${median(ratios[k]).toFixed(3)}x over ${reps} reps (${ratios[k].map((r) => r.toFixed(2)).join(' ')})`));
