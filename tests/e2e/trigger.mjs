// WASM_CKPT_TRIGGER end to end: a long-running program is stopped by creating a file while it
// runs; the stop latency (file created -> process exited with the snapshot durable) is reported,
// and the resumed output must equal an uninterrupted run.
//
// usage: node trigger.mjs --tool wasm-ckpt --runner run_wasi.mjs --work DIR [--program long_run.c]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const here = path.dirname(fileURLToPath(import.meta.url));
const tool = path.resolve(args.tool);
const runner = path.resolve(args.runner);
const work = path.resolve(args.work);
const source = path.resolve(args.program || path.join(here, 'programs', 'long_run.c'));
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok' : 'FAIL'} ${name}${ok ? '' : `: ${detail}`}`);
}
function runSync(cmd, argv, env = {}) {
  return spawnSync(cmd, argv, { cwd: work, env: { PATH: process.env.PATH, ...env } });
}

const original = path.join(work, 'long_run.wasm');
const instrumented = path.join(work, 'long_run.ckpt.wasm');
if (runSync('clang-14', ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', source, '-o', original]).status !== 0) throw new Error('compile failed');
if (runSync(tool, ['instrument', original, '-o', instrumented]).status !== 0) throw new Error('instrument failed');
const reference = runSync(process.execPath, ['--no-warnings', runner, original]);

for (const delayMs of [300, 900]) {
  const trigger = `stop-${delayMs}`;
  const snap = `trigger-${delayMs}.snap`;
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
  console.log(`# trigger after ${delayMs} ms: exit ${code}, stop latency ${latency} ms (file created -> snapshot durable, process gone), run ${exitedAt - started} ms`);
  check(`trigger after ${delayMs} ms stops the run`, stopped, `exit ${code}`);
  if (!stopped) continue;
  check(`trigger after ${delayMs} ms: latency under 1 s`, latency < 1000, `${latency} ms`);
  fs.rmSync(path.join(work, trigger));
  const resumed = runSync(process.execPath, ['--no-warnings', runner, instrumented], { WASM_CKPT_RESTORE: snap });
  const joined = Buffer.concat([...out, resumed.stdout]);
  check(`trigger after ${delayMs} ms: stopped + resumed output equals an uninterrupted run`,
    resumed.status === 0 && joined.equals(reference.stdout), `exit ${resumed.status} ${resumed.stderr}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
