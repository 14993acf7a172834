// The run-time code under conditions a real host creates:
//  - host callbacks: a program whose import calls one of its exports back is stopped at many
//    poll counts, under both strategies; a stop that falls under the host's frame waits until
//    the callback has returned, and every resumed run prints what an uninterrupted run prints;
//  - two processes checkpointing to the same path at the same moment: both report a durable
//    snapshot (exit 75), the path holds one whole snapshot that resumes, no temporary is left;
//  - an environment of kilobytes (what `wasmtime --inherit-env` or a long PATH passes): the
//    settings are read and a restore is honoured; one past the run-time code's limit is refused
//    with exit 64, never run from the start;
//  - run-time errors name the WASI errno.
//
// usage: node runtime_hardening.mjs --tool wasm-ckpt --runner run_wasi.mjs --work DIR [--clang clang-14]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checker, e2eArgs } from './lib/harness.mjs';

const args = e2eArgs('runtime_hardening.mjs', { clang: { type: 'string', default: 'clang-14' } });
const here = path.dirname(fileURLToPath(import.meta.url));
const { tool, runner, work } = args;
const { check, finish } = checker();
const env0 = { PATH: process.env.PATH };
function run(cmd, argv, env = {}) {
  return spawnSync(cmd, argv, { cwd: work, env: { ...env0, ...env }, maxBuffer: 256 << 20, timeout: 120000 });
}
function node(argv, env = {}) {
  return run(process.execPath, ['--no-warnings', '--no-turbo-fast-api-calls', runner, ...argv], env);
}
function build(source, name, flags = []) {
  const wasm = path.join(work, `${name}.wasm`);
  const r = run(args.clang, ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', ...flags, source, '-o', wasm]);
  if (r.status !== 0) throw new Error(`${name}: compile failed: ${r.stderr}`);
  return wasm;
}
function instrument(input, output, strategy) {
  const r = run(tool, ['instrument', input, '-o', output, '--strategy', strategy]);
  if (r.status !== 0) throw new Error(`instrument ${strategy} failed: ${r.stderr}`);
  return output;
}
function inspectJson(snapshot, module) {
  const r = run(tool, ['inspect', snapshot, '--module', module, '--json']);
  return r.status === 0 ? JSON.parse(r.stdout.toString()) : null;
}
const totalPolls = (stderr) => Number((/exiting after polls: (\d+)/.exec(stderr.toString()) || [])[1]);

// ---- host callbacks ----------------------------------------------------------------------------
{
  const original = build(path.join(here, 'programs', 'host_callback.c'), 'host_callback');
  const reference = node(['--host-callbacks', original]);
  for (const strategy of ['full', 'lean']) {
    const module = instrument(original, path.join(work, `host_callback.${strategy}.wasm`), strategy);
    const plain = node(['--host-callbacks', module], { WASM_CKPT_VERBOSE: '1' });
    const polls = totalPolls(plain.stderr);
    check(`host callbacks (${strategy}): instrumented run equals the original`,
      plain.status === 0 && plain.stdout.equals(reference.stdout) && polls > 100, `exit ${plain.status}, ${polls} polls`);
    if (!(polls > 100)) continue;
    let deferred = 0;
    const stops = 24;
    for (let k = 1; k <= stops; k++) {
      const at = Math.max(1, Math.floor((polls * k) / (stops + 1)) + (k % 3));
      const snap = `cb-${strategy}-${at}.snap`;
      const stopped = node(['--host-callbacks', module], { WASM_CKPT_AT: String(at), WASM_CKPT_FILE: snap });
      if (stopped.status !== 75) {
        check(`host callbacks (${strategy}): stop at poll ${at}`, false, `exit ${stopped.status} ${stopped.stderr}`);
        continue;
      }
      const info = inspectJson(path.join(work, snap), module);
      if (info && info.poll_count > at) deferred++;
      const resumed = node(['--host-callbacks', module], { WASM_CKPT_RESTORE: snap });
      const joined = Buffer.concat([stopped.stdout, resumed.stdout]);
      check(`host callbacks (${strategy}): stop at poll ${at}, resume`, resumed.status === 0 && joined.equals(reference.stdout),
        `exit ${resumed.status} ${resumed.stderr}; output ${joined.length} bytes, expected ${reference.stdout.length}`);
    }
    // Most of the work runs under the host's frame: most stops must have waited for it.
    check(`host callbacks (${strategy}): stops under the host frame were deferred`, deferred >= stops / 2,
      `${deferred} of ${stops} stops were deferred`);
  }
}

// ---- two writers, one path -----------------------------------------------------------------------
{
  const source = path.join(work, 'big_state.c');
  // 16 MiB of state that depends on the argument, then a long loop to stop in.
  fs.writeFileSync(source, `#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char** argv) {
  uint32_t seed = argc > 1 ? (uint32_t)atoi(argv[1]) : 1;
  uint32_t n = 4u << 20;
  uint32_t* a = malloc(n * 4);
  for (uint32_t i = 0; i < n; i++) a[i] = seed = seed * 1664525u + 1013904223u;
  uint64_t sum = 0;
  for (int round = 0; round < 40; round++)
    for (uint32_t i = 0; i < n; i += 7) sum += a[i] ^ (uint32_t)round;
  printf("%u %llu\\n", argc > 1 ? (uint32_t)atoi(argv[1]) : 1, (unsigned long long)sum);
  return 0;
}
`);
  const original = build(source, 'big_state');
  const module = instrument(original, path.join(work, 'big_state.ckpt.wasm'), 'lean');
  const expected = [1, 2].map((seed) => node([original, String(seed)]).stdout.toString());
  const probe = node([module, '1'], { WASM_CKPT_VERBOSE: '1' });
  const polls = totalPolls(probe.stderr);
  const trials = 6;
  let good = 0;
  const problems = [];
  for (let t = 0; t < trials; t++) {
    const snap = 'shared.snap';
    fs.rmSync(path.join(work, snap), { force: true });
    const at = String(Math.floor(polls * (0.5 + t / 40)));
    const runOne = (seed) => new Promise((resolve) => {
      const child = spawn(process.execPath, ['--no-warnings', '--no-turbo-fast-api-calls', runner, module, String(seed)],
        { cwd: work, env: { ...env0, WASM_CKPT_AT: at, WASM_CKPT_FILE: snap }, stdio: 'ignore' });
      child.on('close', (code) => resolve(code));
    });
    const codes = await Promise.all([runOne(1), runOne(2)]);
    const leftovers = fs.readdirSync(work).filter((f) => f.startsWith(snap) && f !== snap);
    const info = inspectJson(path.join(work, snap), module);
    let resumedOk = false;
    if (info) {
      const resumed = node([module], { WASM_CKPT_RESTORE: snap });
      resumedOk = resumed.status === 0 && expected.includes(resumed.stdout.toString());
    }
    if (codes[0] === 75 && codes[1] === 75 && leftovers.length === 0 && info && resumedOk) good++;
    else problems.push(`trial ${t}: exits ${codes}, leftovers [${leftovers}], snapshot ${info ? 'valid' : 'invalid'}, resumed ${resumedOk}`);
  }
  check('two processes checkpointing to one path: both durable, one whole snapshot that resumes, no temporary left',
    polls > 0 && good === trials, `${polls} polls; ${problems.join('; ')}`);
}

// ---- the environment's size, errno names ------------------------------------------------------
{
  const original = build(path.join(here, 'programs', 'long_run.c'), 'long_run_env');
  const module = instrument(original, path.join(work, 'long_run_env.ckpt.wasm'), 'lean');
  const reference = node([original]);
  // Every variable goes to the module through --env (the runner passes nothing else).
  const withEnv = (vars) => ['--no-env', ...Object.entries(vars).flatMap(([k, v]) => ['--env', `${k}=${v}`]), module];
  // Three variables of 20 KB: a 60 KB environment, fifteen times the first window.
  const big = { PADA: 'a'.repeat(20000), PADB: 'b'.repeat(20000), PADC: 'c'.repeat(20000) };
  const stopped = node(withEnv({ ...big, WASM_CKPT_AT: '3000', WASM_CKPT_FILE: 'env.snap' }));
  check('a 60 KB environment: WASM_CKPT_AT is read and the run stops', stopped.status === 75,
    `exit ${stopped.status} ${stopped.stderr}`);
  if (stopped.status === 75) {
    const resumed = node(withEnv({ ...big, WASM_CKPT_RESTORE: 'env.snap' }));
    check('a 60 KB environment: WASM_CKPT_RESTORE is honoured', resumed.status === 0 &&
      Buffer.concat([stopped.stdout, resumed.stdout]).equals(reference.stdout), `exit ${resumed.status} ${resumed.stderr}`);
  }
  // Past the limit (256 KiB): refused before the program runs, whatever was asked.
  const huge = { PADA: 'a'.repeat(100000), PADB: 'b'.repeat(100000), PADC: 'c'.repeat(100000) };
  const refused = node(withEnv({ ...huge, WASM_CKPT_RESTORE: 'env.snap' }));
  check('a 300 KB environment: refused with exit 64 and a message, the program does not run',
    refused.status === 64 && refused.stdout.length === 0 &&
      /^wasm-ckpt: environment too large for the run-time code to read its WASM_CKPT_\* settings, bytes: \d+\n$/.test(refused.stderr.toString()),
    `exit ${refused.status}, stdout ${refused.stdout.length} bytes, stderr ${JSON.stringify(refused.stderr.toString())}`);
  // A snapshot path in a directory that does not exist: the errno by name.
  const missing = node([module], { WASM_CKPT_AT: '100', WASM_CKPT_FILE: 'no-such-dir/x.snap' });
  check('a snapshot that cannot be created: exit 74 naming ENOENT',
    missing.status === 74 && /^wasm-ckpt: cannot create snapshot file 'no-such-dir\/x\.snap\.[0-9a-f]{16}\.tmp': ENOENT \(WASI errno 44\)\n$/.test(missing.stderr.toString()),
    `exit ${missing.status} ${JSON.stringify(missing.stderr.toString())}`);
  const absent = node([module], { WASM_CKPT_RESTORE: 'absent.snap' });
  check('a snapshot that does not exist: exit 65 naming ENOENT',
    absent.status === 65 && /^wasm-ckpt: cannot open snapshot 'absent\.snap': ENOENT \(WASI errno 44\)\n$/.test(absent.stderr.toString()),
    `exit ${absent.status} ${JSON.stringify(absent.stderr.toString())}`);
}

finish();
