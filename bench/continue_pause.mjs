// What checkpoint-and-continue costs (WASM_CKPT_CONTINUE): for each program, the pause of each
// checkpoint (from the poll that decided it to the program running again: unwind, write, fd_sync,
// rewind, as WASM_CKPT_VERBOSE reports it) against the snapshot's size, and the whole run's time
// with a checkpoint every sixth of the run against a run without any (interleaved repetitions,
// medians). Under lean, V8's default tier, the machine's load printed with the table.
//
// usage: node bench/continue_pause.mjs [--tool build/wasm-ckpt] [--reps 3] [--programs gemm,lz77,...]
//                                      [--work bench/out/continue]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(benchDir);
const { values: args } = parseArgs({
  options: {
    tool: { type: 'string', default: path.join(root, 'build', 'wasm-ckpt') },
    reps: { type: 'string', default: '3' },
    programs: { type: 'string', default: 'gemm,lz77,mergesort,binarytrees,hashtable,dijkstra' },
    work: { type: 'string', default: path.join(benchDir, 'out', 'continue') },
  },
});
const reps = Number(args.reps);
const work = path.resolve(args.work);
fs.mkdirSync(work, { recursive: true });
const runner = path.join(root, 'tests', 'tools', 'run_wasi.mjs');
const env0 = { PATH: process.env.PATH };

function run(cmd, argv, env = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd: work, env: { ...env0, ...env }, maxBuffer: 64 << 20 });
  return { ...r, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}
const node = (module, env) => run(process.execPath, ['--no-warnings', '--no-turbo-fast-api-calls', runner, module], env);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const rows = [];
for (const name of args.programs.split(',')) {
  const original = path.join(work, `${name}.wasm`);
  const module = path.join(work, `${name}.lean.wasm`);
  const built = run('clang-14', ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-Wl,-z,stack-size=1048576',
                                  path.join(benchDir, 'programs', `${name}.c`), '-lm', '-o', original]);
  if (built.status !== 0) throw new Error(`${name}: ${built.stderr}`);
  const instrumented = run(path.resolve(args.tool), ['instrument', original, '-o', module, '--strategy', 'lean']);
  if (instrumented.status !== 0) throw new Error(`${name}: ${instrumented.stderr}`);
  const probe = node(module, { WASM_CKPT_VERBOSE: '1' });
  const total = Number((/exiting after polls: (\d+)/.exec(probe.stderr.toString()) || [])[1]);
  const every = String(Math.max(1, Math.floor(total / 6)));
  const plain = [], continued = [], pauses = [];
  let size = 0;
  for (let rep = 0; rep < reps; rep++) {
    plain.push(node(module).seconds);
    const r = node(module, { WASM_CKPT_CONTINUE: '1', WASM_CKPT_AT: every, WASM_CKPT_FILE: `${name}.snap`, WASM_CKPT_VERBOSE: '1' });
    if (r.status !== 0 || !r.stdout.equals(probe.stdout)) throw new Error(`${name}: continued run differs (exit ${r.status})`);
    continued.push(r.seconds);
    for (const m of r.stderr.toString().matchAll(/checkpoint pause of microseconds: (\d+)/g)) pauses.push(Number(m[1]) / 1000);
    size = fs.statSync(path.join(work, `${name}.snap`)).size;
  }
  const mib = size / 1048576;
  rows.push({ name, checkpoints: pauses.length / reps, mib, pause: median(pauses), perMib: median(pauses) / Math.max(mib, 1 / 16),
              ratio: median(continued) / median(plain) });
}

console.log(`# checkpoint-and-continue, lean, Node ${process.version} default tier, ${reps} interleaved reps, ` +
            `load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
console.log('| program | checkpoints per run | snapshot MiB | median pause ms | ms per MiB | run time with them / without |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows)
  console.log(`| ${r.name} | ${r.checkpoints} | ${r.mib.toFixed(1)} | ${r.pause.toFixed(1)} | ${r.perMib.toFixed(1)} | ${r.ratio.toFixed(2)}x |`);
