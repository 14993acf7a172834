#!/usr/bin/env node
// tool_ab.mjs — an interleaved A/B comparison of two wasm-ckpt builds' instrumentation time: does
// this change make instrumenting slower? Each rep instruments every input with the reference tool,
// then with the new one, back to back (so that a change of machine load hits both alike); an
// input's figure is the median over reps of the new tool's wall time divided by the reference's
// in the same rep, and the summary is the geometric mean of those medians. Outputs go to a
// temporary directory and are discarded.
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
function instrumentSeconds(tool, input) {
  const start = process.hrtime.bigint();
  const run = spawnSync(tool, ['instrument', input, '-o', out, '--strategy', strategy], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) {
    console.error(`${tool} failed on ${input}: ${run.stderr.trim()}`);
    process.exit(1);
  }
  return seconds;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

console.log(`${'input'.padEnd(20)} ${'ref s'.padStart(8)} ${'new s'.padStart(8)} ${'new/ref'.padStart(8)}`);
let logSum = 0;
for (const input of inputs) {
  const refTimes = [], newTimes = [], ratios = [];
  for (let rep = 0; rep < reps; rep++) {
    const r = instrumentSeconds(ref, input);
    const n = instrumentSeconds(neu, input);
    refTimes.push(r);
    newTimes.push(n);
    ratios.push(n / r);
  }
  const ratio = median(ratios);
  logSum += Math.log(ratio);
  console.log(`${path.basename(input).padEnd(20)} ${median(refTimes).toFixed(3).padStart(8)} ${median(newTimes).toFixed(3).padStart(8)} ${ratio.toFixed(3).padStart(8)}`);
}
console.log(`geomean new/ref over ${inputs.length} inputs (${reps} interleaved reps, --strategy ${strategy}): ${Math.exp(logSum / inputs.length).toFixed(3)}`);
fs.rmSync(work, { recursive: true, force: true });
