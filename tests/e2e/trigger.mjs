// WASM_CKPT_TRIGGER end to end: long-running programs are stopped by creating a file while they
// run; the stop latency (file created -> process exited with the snapshot durable) is reported
// and must stay under a second, and the resumed output must equal an uninterrupted run. One
// program computes (cheap polls, millions a second), one sleeps 2 ms per loop iteration (a few
// hundred polls a second).
//
// usage: node trigger.mjs --tool wasm-ckpt --runner run_wasi.mjs --work DIR [--program FILE.c]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checker, e2eArgs } from './lib/harness.mjs';

const args = e2eArgs('trigger.mjs', { program: { type: 'string' } });
const here = path.dirname(fileURLToPath(import.meta.url));
const { tool, runner, work } = args;
const programs = args.program
  ? [{ source: path.resolve(args.program), delays: [300, 900] }]
  : [{ source: path.join(here, 'programs', 'long_run.c'), delays: [300, 900] },
     { source: path.join(here, 'programs', 'sleepy_polls.c'), delays: [300] }];
const { check, finish } = checker();
function runSync(cmd, argv, env = {}) {
  return spawnSync(cmd, argv, { cwd: work, env: { PATH: process.env.PATH, ...env } });
}

for (const { source, delays } of programs) {
  const name = path.basename(source, '.c');
  const original = path.join(work, `${name}.wasm`);
  const instrumented = path.join(work, `${name}.ckpt.wasm`);
  if (runSync('clang-14', ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', source, '-o', original]).status !== 0) throw new Error(`${name}: compile failed`);
  if (runSync(tool, ['instrument', original, '-o', instrumented]).status !== 0) throw new Error(`${name}: instrument failed`);
  const reference = runSync(process.execPath, ['--no-warnings', runner, original]);

  for (const delayMs of delays) {
    const label = `${name}: trigger after ${delayMs} ms`;
    const trigger = `stop-${name}-${delayMs}`;
    const snap = `trigger-${name}-${delayMs}.snap`;
    fs.rmSync(path.join(work, trigger), { force: true });
    const started = Date.now();
    const child = spawn(process.execPath, ['--no-warnings', runner, instrumented], {
      cwd: work,
      env: { PATH: process.env.PATH, WASM_CKPT_TRIGGER: trigger, WASM_CKPT_FILE: snap },
    });
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    let createdAt = 0;
    const timer = setTimeout(() => {
      createdAt = Date.now();
      fs.writeFileSync(path.join(work, trigger), '');
    }, delayMs);
    const code = await new Promise((resolve) => child.on('close', resolve));
    const exitedAt = Date.now();
    clearTimeout(timer);
    const stopped = code === 75 && createdAt > 0;
    const latency = exitedAt - createdAt;
    console.log(`# ${label}: exit ${code}, stop latency ${latency} ms (file created -> snapshot durable, process gone), run ${exitedAt - started} ms`);
    check(`${label} stops the run`, stopped, `exit ${code}`);
    if (!stopped) continue;
    check(`${label}: latency under 1 s`, latency < 1000, `${latency} ms`);
    fs.rmSync(path.join(work, trigger));
    const resumed = runSync(process.execPath, ['--no-warnings', runner, instrumented], { WASM_CKPT_RESTORE: snap });
    const joined = Buffer.concat([...out, resumed.stdout]);
    check(`${label}: stopped + resumed output equals an uninterrupted run`,
      resumed.status === 0 && joined.equals(reference.stdout), `exit ${resumed.status} ${resumed.stderr}`);
  }
}
finish();
