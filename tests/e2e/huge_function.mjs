#!/usr/bin/env node
// huge_function.mjs — instrumentation time stays bounded on one huge function: a generated
// function of about 82,000 Binaryen expressions (tests/tools/huge_function.mjs, 5,000 blocks)
// must be instrumented, at -O2 and at -O3, within --limit seconds of CPU time (prlimit --cpu;
// its flat form has 20,000 locals, which Binaryen's coalesce-locals took 35 s to merge, 37 s of CPU in all; with
// CoalesceManyLocals, 2 s and 13 s) and within --memory MB of data (prlimit --data, with
// BINARYEN_CORES=2 so that the threads' stacks do not depend on the machine; Binaryen's
// merge-blocks alone took 645 MB on this function, 2.5 GB at twice its size, before SpliceBlocks),
// and the instrumented program, stopped at a poll and resumed, must print what the original
// prints.
//
// usage: node --no-warnings huge_function.mjs --tool wasm-ckpt --runner run_wasi.mjs --work DIR
//        [--wasm-as wasm-as] [--blocks 5000] [--limit 25] [--memory 400]
// Prints "ok NAME" / "FAIL NAME: reason" and ends with "N passed, M failed"; exit 1 on a failure.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    tool: { type: 'string' }, runner: { type: 'string' }, work: { type: 'string' },
    'wasm-as': { type: 'string', default: 'wasm-as' }, blocks: { type: 'string', default: '5000' },
    limit: { type: 'string', default: '25' }, memory: { type: 'string', default: '400' },
  },
});
if (!args.tool || !args.runner || !args.work) {
  process.stderr.write('usage: huge_function.mjs --tool PATH --runner PATH --work DIR [--wasm-as PATH] [--blocks N] [--limit SECONDS] [--memory MB]\n');
  process.exit(2);
}
const work = path.resolve(args.work);
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

let passed = 0, failed = 0;
function check(name, ok, detail) {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok' : 'FAIL'} ${name}${ok ? '' : `: ${detail}`}`);
  return ok;
}
function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: work, encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  return { ...r, text: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().slice(0, 2000) };
}
function runModule(module, env) {
  return run(process.execPath, ['--no-warnings', path.resolve(args.runner), module],
             { env: { PATH: process.env.PATH, ...env } });
}

const source = path.join(work, 'huge.wat');
const gen = run(process.execPath, [path.join(here, '..', 'tools', 'huge_function.mjs'), args.blocks]);
if (gen.status !== 0) throw new Error(`generator: ${gen.text}`);
fs.writeFileSync(source, gen.stdout);
const as = run(args['wasm-as'], [source, '-o', 'huge.wasm']);
if (as.status !== 0) throw new Error(`wasm-as: ${as.text}`);

const limit = Number(args.limit);
const memory = Number(args.memory);
// -O3 too: Binaryen's optimize-stack-ir builds a LocalGraph there, which took 5 GB on a function
// twice this size (LinearStackIR stands in for it on large functions).
for (const level of ['2', '3']) {
  const output = `huge.O${level}.wasm`;
  const started = Date.now();
  const inst = run('prlimit', [`--cpu=${limit}`, `--data=${memory * 1024 * 1024}`, '--', path.resolve(args.tool), '-v', 'instrument', `-O${level}`, 'huge.wasm', '-o', output],
                   { timeout: 8 * limit * 1000, killSignal: 'SIGKILL', env: { ...process.env, BINARYEN_CORES: '2' } });
  const seconds = (Date.now() - started) / 1000;
  console.log(inst.text);
  if (!check(`instrument ${args.blocks} blocks at -O${level} within ${limit} s of CPU time and ${memory} MB`, inst.status === 0,
             inst.error || inst.signal ? `killed (${inst.signal}) after ${seconds.toFixed(1)} s` : `exit ${inst.status}: ${inst.text}`))
    continue;
  const plain = runModule('huge.wasm', {});
  const counted = runModule(output, { WASM_CKPT_VERBOSE: '1' });
  check(`-O${level}: instrumented run prints the original output`, plain.status === 0 && counted.status === 0 && counted.stdout === plain.stdout,
        `original exit ${plain.status} ${plain.stdout.trim()}, instrumented exit ${counted.status} ${counted.text}`);
  const polls = Number(/exiting after polls: (\d+)/.exec(counted.stderr)?.[1] ?? 0);
  const at = Math.max(1, Math.floor(polls / 2));
  const snapshot = `huge.O${level}.snap`;
  const stop = runModule(output, { WASM_CKPT_AT: String(at), WASM_CKPT_FILE: snapshot });
  const resumed = runModule(output, { WASM_CKPT_RESTORE: snapshot });
  check(`-O${level}: stop at poll ${at} of ${polls}, resume`, polls > 0 && stop.status === 75 && resumed.status === 0 && resumed.stdout === plain.stdout,
        `stop exit ${stop.status}, resume exit ${resumed.status}: ${resumed.text}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
