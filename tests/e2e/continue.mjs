// Checkpoint-and-continue (WASM_CKPT_CONTINUE) end to end, on a program whose memory grows while
// it runs and which prints what it sees of its memory (tests/e2e/programs/growing.c):
//  - periodic checkpoints by poll count (WASM_CKPT_AT with CONTINUE: every N polls) and by time
//    (WASM_CKPT_EVERY), with generations kept (WASM_CKPT_KEEP): the run prints exactly what an
//    uninterrupted run prints, and every kept snapshot resumes to the rest of that output;
//  - a trigger file means "checkpoint now" and the run goes on; the file is removed;
//  - malformed settings are refused with exit 64.
// The pause each checkpoint cost (WASM_CKPT_VERBOSE) is printed with the snapshot's size.
//
// usage: node continue.mjs --tool wasm-ckpt --runner run_wasi.mjs --work DIR [--clang clang-14]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checker, e2eArgs } from './lib/harness.mjs';

const args = e2eArgs('continue.mjs', { clang: { type: 'string', default: 'clang-14' } });
const here = path.dirname(fileURLToPath(import.meta.url));
const { tool, runner, work } = args;
const { check, finish } = checker();
const nodeArgs = ['--no-warnings', '--no-turbo-fast-api-calls', runner];
const env0 = { PATH: process.env.PATH };
function run(cmd, argv, env = {}) {
  return spawnSync(cmd, argv, { cwd: work, env: { ...env0, ...env }, maxBuffer: 64 << 20, timeout: 300000 });
}
const node = (module, env) => run(process.execPath, [...nodeArgs, module], env);

const original = path.join(work, 'growing.wasm');
const compiled = run(args.clang, ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', path.join(here, 'programs', 'growing.c'), '-o', original]);
if (compiled.status !== 0) throw new Error(`compile failed: ${compiled.stderr}`);
const reference = node(original).stdout;

function pollCount(snapshot, module) {
  const r = run(tool, ['inspect', snapshot, '--module', module, '--json']);
  return r.status === 0 ? JSON.parse(r.stdout.toString()).poll_count : null;
}
// A kept snapshot is right if a run stopped at its poll count, followed by a run resumed from
// it, prints what an uninterrupted run prints.
function checkResumes(label, module, snapshot) {
  const polls = pollCount(path.join(work, snapshot), module);
  if (polls === null) return check(`${label}: ${snapshot} is a valid snapshot`, false, 'inspect refused it');
  const stopped = node(module, { WASM_CKPT_AT: String(polls), WASM_CKPT_FILE: `prefix-${snapshot}` });
  const resumed = node(module, { WASM_CKPT_RESTORE: snapshot });
  check(`${label}: ${snapshot} (poll ${polls}) resumes to the rest of the output`,
    stopped.status === 75 && resumed.status === 0 && Buffer.concat([stopped.stdout, resumed.stdout]).equals(reference),
    `stop exit ${stopped.status}, resume exit ${resumed.status} ${resumed.stderr}`);
}
function reportPauses(label, stderr, snapshot) {
  const pauses = [...stderr.toString().matchAll(/checkpoint pause of microseconds: (\d+)/g)].map((m) => Number(m[1]));
  const size = fs.existsSync(path.join(work, snapshot)) ? fs.statSync(path.join(work, snapshot)).size : 0;
  if (pauses.length) {
    const sorted = [...pauses].sort((a, b) => a - b);
    console.log(`# ${label}: ${pauses.length} pauses, median ${sorted[sorted.length >> 1]} us, max ${sorted[sorted.length - 1]} us; ` +
                `newest snapshot ${(size / 1048576).toFixed(1)} MiB`);
  }
  return pauses.length;
}

for (const strategy of ['lean', 'full']) {
  const module = path.join(work, `growing.${strategy}.wasm`);
  const r = run(tool, ['instrument', original, '-o', module, '--strategy', strategy]);
  if (r.status !== 0) throw new Error(`instrument failed: ${r.stderr}`);
  const plain = node(module, { WASM_CKPT_VERBOSE: '1' });
  const total = Number((/exiting after polls: (\d+)/.exec(plain.stderr.toString()) || [])[1]);
  check(`${strategy}: instrumented run equals the original`, plain.status === 0 && plain.stdout.equals(reference) && total > 0,
    `exit ${plain.status}`);

  // Every total/9 polls, six generations kept.
  const label = `${strategy}: WASM_CKPT_AT=${Math.floor(total / 9)} with CONTINUE, KEEP=6`;
  const periodic = node(module, { WASM_CKPT_CONTINUE: '1', WASM_CKPT_AT: String(Math.floor(total / 9)), WASM_CKPT_KEEP: '6',
                                  WASM_CKPT_FILE: `at-${strategy}.snap`, WASM_CKPT_VERBOSE: '1' });
  const written = (periodic.stderr.toString().match(/checkpoint written to/g) || []).length;
  check(`${label}: output equals an uninterrupted run, at least 5 checkpoints`,
    periodic.status === 0 && periodic.stdout.equals(reference) && written >= 5, `exit ${periodic.status}, ${written} checkpoints; ${periodic.stderr}`);
  reportPauses(label, periodic.stderr, `at-${strategy}.snap`);
  const kept = fs.readdirSync(work).filter((f) => f.startsWith(`at-${strategy}.snap`)).sort();
  const expectedKept = [`at-${strategy}.snap`, ...[1, 2, 3, 4, 5].map((i) => `at-${strategy}.snap.${i}`)];
  check(`${label}: the newest snapshot and five older generations are kept, nothing else`,
    JSON.stringify(kept) === JSON.stringify(expectedKept.sort()), `found ${kept}`);
  for (const snapshot of kept) checkResumes(label, module, snapshot);
}

// By time: every 100 ms, three generations.
{
  const module = path.join(work, 'growing.lean.wasm');
  const label = 'lean: WASM_CKPT_EVERY=100ms with CONTINUE, KEEP=3';
  const timed = node(module, { WASM_CKPT_CONTINUE: '1', WASM_CKPT_EVERY: '100ms', WASM_CKPT_KEEP: '3', WASM_CKPT_FILE: 'every.snap',
                               WASM_CKPT_VERBOSE: '1' });
  const pauses = reportPauses(label, timed.stderr, 'every.snap');
  check(`${label}: output equals an uninterrupted run, at least 5 checkpoints`,
    timed.status === 0 && timed.stdout.equals(reference) && pauses >= 5, `exit ${timed.status}, ${pauses} checkpoints`);
  for (const snapshot of ['every.snap', 'every.snap.2']) checkResumes(label, module, snapshot);
}

// A trigger file: checkpoint now, go on, and remove the file.
{
  const module = path.join(work, 'growing.lean.wasm');
  fs.rmSync(path.join(work, 'go'), { force: true });
  const child = spawn(process.execPath, [...nodeArgs, module], {
    cwd: work, env: { ...env0, WASM_CKPT_CONTINUE: '1', WASM_CKPT_TRIGGER: 'go', WASM_CKPT_FILE: 'trigger.snap' },
  });
  const out = [];
  child.stdout.on('data', (d) => out.push(d));
  const timer = setTimeout(() => fs.writeFileSync(path.join(work, 'go'), ''), 300);
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  check('a trigger file with CONTINUE: a snapshot is written, the run goes on to the end, the file is removed',
    code === 0 && Buffer.concat(out).equals(reference) && fs.existsSync(path.join(work, 'trigger.snap')) &&
      !fs.existsSync(path.join(work, 'go')), `exit ${code}`);
  if (fs.existsSync(path.join(work, 'trigger.snap'))) checkResumes('trigger with CONTINUE', module, 'trigger.snap');
}

// Malformed settings.
{
  const module = path.join(work, 'growing.lean.wasm');
  for (const [variable, value, message] of [
    ['WASM_CKPT_EVERY', 'soon', "WASM_CKPT_EVERY is not a duration such as 500ms, 30s, 5m or 1h: 'soon'"],
    ['WASM_CKPT_EVERY', '0s', "WASM_CKPT_EVERY is not a duration such as 500ms, 30s, 5m or 1h: '0s'"],
    ['WASM_CKPT_KEEP', '0', "WASM_CKPT_KEEP is not a number from 1 to 100: '0'"],
    ['WASM_CKPT_KEEP', '101', "WASM_CKPT_KEEP is not a number from 1 to 100: '101'"],
  ]) {
    const r = node(module, { [variable]: value });
    check(`${variable}=${value} is refused with exit 64`,
      r.status === 64 && r.stdout.length === 0 && r.stderr.toString() === `wasm-ckpt: ${message}\n`,
      `exit ${r.status}, stderr ${JSON.stringify(r.stderr.toString())}`);
  }
}

finish();
