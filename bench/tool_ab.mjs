#!/usr/bin/env node
// tool_ab.mjs — an interleaved A/B comparison of two wasm-ckpt builds' instrumentation time: does
// this change make instrumenting slower? Each rep instruments every input with the reference tool,
// then with the new one, back to back (so that a change of machine load hits both alike); an
// input's figure is the median over reps of the new tool's time divided by the reference's in
// the same rep, and the summary is the geometric mean of those medians; both for wall time and
// for CPU time (user + system, all threads: less sensitive to the load of a shared machine).
// Outputs go to a temporary directory and are discarded.
//
// usage: node bench/tool_ab.mjs [--reps N] [--strategy S] REF_TOOL NEW_TOOL INPUT.wasm...
//   e.g. node bench/tool_ab.mjs --reps 3 --strategy lean /work/ref/wasm-ckpt build/wasm-ckpt \
//          bench/out/build/c/*.wasm bench/out/build/real/{lua,sqlite3,zlib,bzip2}.wasm
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const argv = process.argv.slice(2);
let reps = 3;
let strategy = 'lean';
const positional = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--reps') reps = Number(argv[++i]);
  else if (argv[i] === '--strategy') strategy = argv[++i];
  else positional.push(argv[i]);
}
const [ref, neu, ...inputs] = positional;
if (!neu || inputs.length === 0 || !(reps >= 1)) {
  console.error('usage: node bench/tool_ab.mjs [--reps N] [--strategy S] REF_TOOL NEW_TOOL INPUT.wasm...');
  process.exit(2);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tool-ab-'));
const out = path.join(work, 'out.wasm');
// Bash's `times` prints the CPU time of the shell's children on its second line ("0m1.234s 0m0.056s").
const timed = 'if ! "$@" >/dev/null 2>"$0"; then exit 1; fi; times';
function instrumentSeconds(tool, input) {
  const errors = path.join(work, 'stderr');
  const start = process.hrtime.bigint();
  const run = spawnSync('bash', ['-c', timed, errors, tool, 'instrument', input, '-o', out, '--strategy', strategy], { encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) {
    console.error(`${tool} failed on ${input}: ${fs.readFileSync(errors, 'utf8').trim()}`);
    process.exit(1);
  }
  const seconds = (text) => { const [, m, s] = text.match(/(\d+)m([\d.]+)s/); return 60 * Number(m) + Number(s); };
  const [user, system] = run.stdout.trim().split('\n')[1].trim().split(/\s+/);
  return { wall, cpu: seconds(user) + seconds(system) };
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const columns = ['ref wall', 'new wall', 'new/ref', 'ref cpu', 'new cpu', 'new/ref'];
console.log(`${'input'.padEnd(20)} ${columns.map((c) => c.padStart(9)).join(' ')}`);
const logSum = { wall: 0, cpu: 0 };
for (const input of inputs) {
  const runs = [];
  for (let rep = 0; rep < reps; rep++) runs.push({ r: instrumentSeconds(ref, input), n: instrumentSeconds(neu, input) });
  const cells = [];
  for (const kind of ['wall', 'cpu']) {
    const ratio = median(runs.map(({ r, n }) => n[kind] / r[kind]));
    logSum[kind] += Math.log(ratio);
    cells.push(median(runs.map(({ r }) => r[kind])).toFixed(3), median(runs.map(({ n }) => n[kind])).toFixed(3), ratio.toFixed(3));
  }
  console.log(`${path.basename(input).padEnd(20)} ${cells.map((c) => c.padStart(9)).join(' ')}`);
}
const geomean = (kind) => Math.exp(logSum[kind] / inputs.length).toFixed(3);
console.log(`geomean new/ref over ${inputs.length} inputs (${reps} interleaved reps, --strategy ${strategy}): wall ${geomean('wall')}, cpu ${geomean('cpu')}`);
fs.rmSync(work, { recursive: true, force: true });
