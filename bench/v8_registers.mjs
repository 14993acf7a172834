#!/usr/bin/env node
// v8_registers.mjs — how many virtual registers V8's optimizing tier needs for some functions of
// a module, and so which register allocator it uses for them: past 8192 it falls back to its
// mid-tier allocator, which keeps most values in stack slots (docs/design.md, "Huge
// functions"). Runs the module once per function under runner.mjs with --trace-turbo filtered
// to that function, and reads the "before register allocation" phase of the trace: the
// registers are v0..vN there.
//
// usage: node bench/v8_registers.mjs [--cwd DIR] module.wasm FUNCTION... [-- args...]
//   FUNCTION as V8 names it: the function's name-section name (instrumented modules have one:
//   Binaryen's names, such as 49 for the 50th defined function), else wasm-function#INDEX.
//   e.g. node bench/v8_registers.mjs bench/out/build/real/bzip2.wasm 'wasm-function#14'
//        node bench/v8_registers.mjs bench/out/build/inst/bzip2.lean.wasm 8
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MID_TIER_LIMIT = 8192; // kTopTierVirtualRegistersLimit in V8's pipeline.cc
const benchDir = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
let cwd = process.cwd();
const positional = [];
let args = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--cwd') cwd = path.resolve(argv[++i]);
  else if (argv[i] === '--') { args = argv.slice(i + 1); break; }
  else positional.push(argv[i]);
}
if (positional.length < 2) {
  console.error('usage: node bench/v8_registers.mjs [--cwd DIR] module.wasm FUNCTION... [-- args...]');
  process.exit(2);
}
const module = path.resolve(positional[0]);

for (const name of positional.slice(1)) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'v8-registers-'));
  try {
    const run = spawnSync(process.execPath, ['--no-liftoff', '--no-wasm-lazy-compilation', '--no-warnings', '--trace-turbo',
      // The C1 visualizer file goes in the work directory too (by default: turbo-PID-*.cfg in cwd).
      `--trace-turbo-path=${dir}`, `--trace-turbo-cfg-file=${path.join(dir, 'turbo.cfg')}`, `--trace-turbo-filter=${name}`, path.join(benchDir, 'runner.mjs'), module, ...args],
    { cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
    const traces = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    if (traces.length === 0) {
      console.error(`v8_registers.mjs: no trace for '${name}' (exit ${run.status}): no such function, or it was not compiled`);
      process.exitCode = 1;
      continue;
    }
    const trace = JSON.parse(fs.readFileSync(path.join(dir, traces[0]), 'utf8'));
    const phase = trace.phases.find((p) => p.name === 'before register allocation');
    let highest = -1;
    for (const m of JSON.stringify(phase.blocks).matchAll(/"v(\d+)"/g)) highest = Math.max(highest, Number(m[1]));
    const registers = highest + 1;
    console.log(`${name}: ${registers} virtual registers, ${phase.blocks.length} blocks: ` +
      `${registers > MID_TIER_LIMIT ? 'mid-tier' : 'top-tier'} register allocator`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
