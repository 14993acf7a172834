#!/usr/bin/env node
// slow_path_gaps.mjs — how long a stop request can wait to be seen: runs instrumented modules
// with a trigger file that never appears, so that the run-time code's slow path runs (about once
// per millisecond, runtime-contract.md) but never stops, and reports the longest times between
// two slow paths (runner.mjs --probe: the clock_time_get calls). A stop request is seen at the
// first look at the file after it appears, so a long gap is a late stop (docs/limits.md,
// "Latency"). Several runs per module, interleaved; per module, the median over the runs of the
// longest gap, and the longest of all.
//
// usage: node bench/slow_path_gaps.mjs [--cwd DIR] [--runs N] module.wasm... [-- args...]
//   e.g. node bench/slow_path_gaps.mjs --runs 3 bench/out/build/inst/editdist.{full,lean}.wasm
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
let cwd = process.cwd();
let runs = 3;
const modules = [];
let args = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--cwd') cwd = path.resolve(argv[++i]);
  else if (argv[i] === '--runs') runs = Number(argv[++i]);
  else if (argv[i] === '--') { args = argv.slice(i + 1); break; }
  else modules.push(path.resolve(argv[i]));
}
if (!modules.length || !(runs >= 1)) {
  console.error('usage: node bench/slow_path_gaps.mjs [--cwd DIR] [--runs N] module.wasm... [-- args...]');
  process.exit(2);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slow-path-gaps-'));
const longest = modules.map(() => []);
const slowPaths = modules.map(() => []);
try {
  for (let run = 0; run < runs; run++) {
    modules.forEach((module, m) => {
      const reportFile = path.join(dir, 'report.json');
      fs.rmSync(reportFile, { force: true });
      const result = spawnSync(process.execPath, ['--no-warnings', path.join(benchDir, 'runner.mjs'), '--report', reportFile,
                                                  '--probe', module, ...args],
                               { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, WASM_CKPT_TRIGGER: path.join(dir, 'never') } });
      const report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : {};
      if (result.status !== 0 || !report.slowPaths)
        throw new Error(`${module}: exit ${result.status}, ${report.slowPaths || 0} slow paths: ${String(result.stderr).trim()}`);
      longest[m].push(report.slowPathGaps[0] || 0);
      slowPaths[m].push(report.slowPaths);
    });
  }
} catch (e) {
  console.error(`slow_path_gaps: ${e.message}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
if (process.exitCode) process.exit();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log('| module | slow paths | longest gap, median (ms) | longest gap, max (ms) |');
console.log('| --- | ---: | ---: | ---: |');
modules.forEach((module, m) => {
  console.log(`| ${path.relative(process.cwd(), module)} | ${median(slowPaths[m])} | ${median(longest[m]).toFixed(1)} | ${Math.max(...longest[m]).toFixed(1)} |`);
});
