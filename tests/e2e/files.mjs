// Open files survive a restore (the run-time code's descriptor table), end to end, on
// tests/e2e/programs/files.c: input and output files used through stdio and raw descriptors,
// a file opened for append, one renumbered, one closed (and deleted) before the work, standard
// input read piecewise, O_APPEND set on stdout.
//  - stopped at many poll counts under both strategies, at -O2 and -O0; the stopped run's
//    directory is copied elsewhere (a migration: the files the snapshot names travel with it)
//    and resumed there, with the rest of standard input from the byte `inspect` names, through
//    WASM_CKPT_RESTORE, through a module baked by `wasm-ckpt resume`, and on wasmtime: stdout and
//    every file equal an uninterrupted run's; and the same with the rewind copies kept aside
//    (--rewind-copies=stored), every resume through a baked module;
//  - a directory kept open, a file opened under it (openat) and kept open, another opened under
//    it after the restore;
//  - `inspect` lists exactly the files open at the stop, at their descriptor numbers;
//  - a missing file at the destination: exit 65 naming it, nothing of the program runs;
//  - checkpoint-and-continue with the files open: the output is unchanged.
//
// usage: node files.mjs --tool wasm-ckpt --runner run_wasi.mjs --work DIR [--clang clang-14]
//                       [--wasmtime tests/engines/wasmtime_run.mjs]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checker, e2eArgs } from './lib/harness.mjs';

const args = e2eArgs('files.mjs', { clang: { type: 'string', default: 'clang-14' }, wasmtime: { type: 'string' } });
if (args.wasmtime) args.wasmtime = path.resolve(args.wasmtime);
const here = path.dirname(fileURLToPath(import.meta.url));
const { tool, runner, work } = args;
const { check, finish } = checker();
const env0 = { PATH: process.env.PATH };

function run(cmd, argv, { cwd = work, env = {}, input } = {}) {
  return spawnSync(cmd, argv, { cwd, env: { ...env0, ...env }, input, maxBuffer: 64 << 20, timeout: 300000 });
}
const node = (dir, module, env, input) =>
  run(process.execPath, ['--no-warnings', runner, module], { cwd: dir, env, input });
const wasmtime = (dir, module, env, input) =>
  run(process.execPath, ['--no-warnings', args.wasmtime, module], { cwd: dir, env, input });

// The program's inputs: 120 lines of text, a 256-byte table, 440 bytes of standard input, and a
// log that already holds a line (it is opened for append).
let seed = 12345;
const random = (n) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
const lines = [];
for (let i = 0; i < 120; i++) lines.push(`line ${i} ${'abcdefgh'.repeat(8).slice(0, 5 + random(55))}\n`);
const inputs = {
  'input.txt': Buffer.from(lines.join('')),
  'table.bin': Buffer.from(Array.from({ length: 256 }, () => random(256))),
  'log.txt': Buffer.from('an earlier run\n'),
  'sub/data.bin': Buffer.from(Array.from({ length: 32 }, () => random(256))),
  'sub/part.txt': Buffer.from('a part of it\n'),
};
const stdin = Buffer.from('stdin-data-'.repeat(40));
const outputs = ['output.txt', 'log.txt', 'blocks.bin'];

let dirs = 0;
function freshDir() {
  const dir = path.join(work, `d${dirs++}`);
  fs.mkdirSync(dir);
  fs.mkdirSync(path.join(dir, 'sub'));
  for (const [name, bytes] of Object.entries(inputs)) fs.writeFileSync(path.join(dir, name), bytes);
  return dir;
}
function migrate(from) {
  const dir = path.join(work, `d${dirs++}`);
  fs.cpSync(from, dir, { recursive: true });
  return dir;
}
const filesOf = (dir) => Object.fromEntries(outputs.map((f) => [f, fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f)) : null]));
const sameFiles = (a, b) => outputs.every((f) => a[f] !== null && b[f] !== null && a[f].equals(b[f]));
function inspect(dir, snapshot, module) {
  const r = run(tool, ['inspect', snapshot, '--module', module, '--json'], { cwd: dir });
  return r.status === 0 ? JSON.parse(r.stdout.toString()) : null;
}

for (const opt of ['-O2', '-O0']) {
  const original = path.join(work, `files${opt}.wasm`);
  const compiled = run(args.clang, ['--target=wasm32-wasi', '--sysroot=/usr', opt, path.join(here, 'programs', 'files.c'), '-o', original]);
  if (compiled.status !== 0) throw new Error(`compile failed: ${compiled.stderr}`);
  const refDir = freshDir();
  const reference = node(refDir, original, {}, stdin);
  if (reference.status !== 0) throw new Error(`the original failed: ${reference.stderr}`);
  const refFiles = filesOf(refDir);

  for (const variant of ['lean', 'full', 'lean --rewind-copies=stored']) {
    const label = `${opt} ${variant}`;
    const [strategy, ...options] = variant.split(' ');
    // A module that keeps its rewind copies aside restores only through `wasm-ckpt resume`.
    const stored = options.includes('--rewind-copies=stored');
    const module = path.join(work, `files${opt}.${variant.replace(/[ =]+/g, '_')}.wasm`);
    const r = run(tool, ['instrument', original, '-o', module, '--strategy', strategy, ...options]);
    if (r.status !== 0) throw new Error(`instrument failed: ${r.stderr}`);
    // Resumes in `dest` from its snapshot `snap` under Node, or under wasmtime: through
    // WASM_CKPT_RESTORE, or by running what `wasm-ckpt resume` bakes (always where the module
    // stores its rewind copies).
    const resumeIn = (dest, snap, input, { engine = 'node', bake = stored } = {}) => {
      let resumedModule = module, env = { WASM_CKPT_RESTORE: snap };
      if (bake) {
        resumedModule = path.join(dest, 'baked.wasm');
        const b = run(tool, ['resume', module, snap, '-o', resumedModule], { cwd: dest });
        if (b.status !== 0) return b;
        env = {};
      }
      if (engine === 'node') return node(dest, resumedModule, env, input);
      fs.copyFileSync(resumedModule, path.join(dest, 'module.wasm'));
      return wasmtime(dest, 'module.wasm', env, input);
    };
    const plainDir = freshDir();
    const plain = node(plainDir, module, { WASM_CKPT_VERBOSE: '1' }, stdin);
    const total = Number((/exiting after polls: (\d+)/.exec(plain.stderr.toString()) || [])[1]);
    check(`${label}: instrumented run equals the original, files included`,
      plain.status === 0 && plain.stdout.equals(reference.stdout) && sameFiles(filesOf(plainDir), refFiles) && total > 0,
      `exit ${plain.status} ${plain.stderr}`);

    const stops = opt === '-O2' ? [1, 2, 3, 4, 5, 6, 7, 8].map((k) => Math.max(1, Math.floor((total * k) / 9) + k))
                                : [1, 4, 7].map((k) => Math.floor((total * k) / 8) + k);
    stops.forEach((at, i) => {
      const how = [stored ? 'resume' : 'WASM_CKPT_RESTORE', 'resume', stored ? 'resume, on wasmtime' : 'wasmtime'][i % 3];
      if (how.endsWith('wasmtime') && !args.wasmtime) return;
      const dir = freshDir();
      const stopped = node(dir, module, { WASM_CKPT_AT: String(at), WASM_CKPT_FILE: 'run.snap' }, stdin);
      const info = stopped.status === 75 ? inspect(dir, 'run.snap', module) : null;
      if (!info) return check(`${label}: stop at poll ${at}`, false, `exit ${stopped.status} ${stopped.stderr}`);
      // The files it names are the ones open at the stop, under their own numbers.
      const listed = info.files.filter((f) => !f.stream).map((f) => f.path).sort();
      const closed = listed.includes('scratch.tmp');
      const dest = migrate(dir);
      const rest = stdin.subarray(info.stdin_bytes_consumed);
      const resumed = resumeIn(dest, 'run.snap', rest,
                               { engine: how.endsWith('wasmtime') ? 'wasmtime' : 'node', bake: stored || how === 'resume' });
      const ok = resumed.status === 0 && Buffer.concat([stopped.stdout, resumed.stdout]).equals(reference.stdout) &&
        sameFiles(filesOf(dest), refFiles) && !closed;
      check(`${label}: stopped at poll ${at} (${listed.length} files open, ${info.stdin_bytes_consumed} stdin bytes consumed), ` +
            `migrated and resumed through ${how}: stdout and files equal an uninterrupted run's`, ok,
            `resume exit ${resumed.status} ${resumed.stderr}; files listed ${listed}`);
    });

    // A stop while all the files are open (the middle of the run): their numbers and offsets.
    const dir = freshDir();
    const mid = node(dir, module, { WASM_CKPT_AT: String(Math.floor(total / 2)), WASM_CKPT_FILE: 'mid.snap' }, stdin);
    const info = mid.status === 75 ? inspect(dir, 'mid.snap', module) : null;
    const opened = info ? info.files.filter((f) => !f.stream) : [];
    const byPath = (p) => opened.filter((f) => f.path === p);
    check(`${label}: inspect lists the open files: input.txt twice, output.txt, log.txt (APPEND), blocks.bin, table.bin ` +
          'renumbered onto the descriptor after them, the directory sub and sub/data.bin, not the closed scratch.tmp',
      opened.length === 8 && byPath('input.txt').length === 2 && byPath('sub')[0]?.access === 'directory' &&
      byPath('sub/data.bin').length === 1 && byPath('log.txt')[0]?.fdflags === 'APPEND' &&
      byPath('blocks.bin')[0]?.access === 'read-write' && byPath('table.bin')[0]?.fd === byPath('blocks.bin')[0]?.fd + 2 &&
      opened.every((f) => f.preopen === '.') && info.stdin_bytes_consumed > 0 && info.stdin_bytes_consumed % 5 === 0,
      JSON.stringify(info && info.files));

    // The destination lacks a file the snapshot names.
    const dest = migrate(dir);
    fs.rmSync(path.join(dest, 'blocks.bin'));
    const missing = resumeIn(dest, 'mid.snap', stdin.subarray(info ? info.stdin_bytes_consumed : 0));
    check(`${label}: a file missing at the destination stops the restore with exit 65, naming it`,
      missing.status === 65 && missing.stdout.length === 0 &&
      missing.stderr.toString() === "wasm-ckpt: cannot reopen file './blocks.bin': ENOENT (WASI errno 44)\n",
      `exit ${missing.status}: ${missing.stderr}`);

    // Checkpoint-and-continue with the files open (refused where the module stores its rewind
    // copies: checkpoint_resume.mjs).
    if (stored) continue;
    const contDir = freshDir();
    const cont = node(contDir, module, { WASM_CKPT_AT: String(Math.floor(total / 6)), WASM_CKPT_CONTINUE: '1', WASM_CKPT_FILE: 'c.snap',
                                         WASM_CKPT_VERBOSE: '1' }, stdin);
    const written = (cont.stderr.toString().match(/checkpoint written to/g) || []).length;
    check(`${label}: checkpoint-and-continue with files open (${written} checkpoints): stdout and files unchanged`,
      cont.status === 0 && written >= 5 && cont.stdout.equals(reference.stdout) && sameFiles(filesOf(contDir), refFiles),
      `exit ${cont.status}, ${written} checkpoints`);
  }
}
finish();
