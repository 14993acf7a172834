// End-to-end correctness: real C programs compiled by clang at -O0 and -O2, instrumented through
// the CLI, stopped at many poll counts, resumed through WASM_CKPT_RESTORE and through a module
// baked by `wasm-ckpt resume`, and chained over three hops. Every resumed run must produce
// exactly the stdout (and exit code) of the uninterrupted original. A module instrumented with
// --rewind-copies=stored resumes only through `wasm-ckpt resume` (a chain bakes at each hop), and
// must refuse WASM_CKPT_RESTORE and WASM_CKPT_CONTINUE with its message.
//
// usage: node checkpoint_resume.mjs --tool wasm-ckpt --runner run_wasi.mjs --corpus DIR --work DIR
//            [--programs a,b] [--opt O0,O2] [--stops N] [--strategy full] [--jobs N]
// --strategy takes a comma-separated list; an item may add instrument options after the strategy
// ('lean --huge-function-size=0').
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { e2eArgs } from './lib/harness.mjs';

// The three checkpoint_resume tests share one work directory: it is kept, not emptied.
const args = e2eArgs('checkpoint_resume.mjs', {
  corpus: { type: 'string' },
  programs: { type: 'string' },
  opt: { type: 'string', default: 'O0,O2' },
  stops: { type: 'string', default: '6' },
  strategy: { type: 'string', default: 'full' },
  jobs: { type: 'string', default: '2' },
  clang: { type: 'string', default: 'clang-14' },
  rustc: { type: 'string', default: '/usr/bin/rustc' },
}, { required: ['tool', 'runner', 'work', 'corpus'], keepWork: true });
const { tool, runner, work, clang, rustc } = args;
const corpus = path.resolve(args.corpus);
const strategies = args.strategy.split(',');
const optLevels = args.opt.split(',');
const stopsPerProgram = Number(args.stops);
const jobs = Number(args.jobs);
// Programs: corpus/*.c (clang) and corpus/rust/*.rs (rustc), named by file without extension.
const sources = new Map();
for (const f of fs.readdirSync(corpus)) if (f.endsWith('.c')) sources.set(f.slice(0, -2), path.join(corpus, f));
if (fs.existsSync(path.join(corpus, 'rust')) && fs.existsSync(rustc)) {
  for (const f of fs.readdirSync(path.join(corpus, 'rust'))) if (f.endsWith('.rs')) sources.set(`rust_${f.slice(0, -3)}`, path.join(corpus, 'rust', f));
}
const programs = (args.programs ? args.programs.split(',') : [...sources.keys()]).sort();

let passed = 0;
let failed = 0;

function run(cmd, argv, { env = {}, cwd = work } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd, env: { PATH: process.env.PATH, ...env } });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (d) => stdout.push(d));
    child.stderr.on('data', (d) => stderr.push(d));
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString() }));
  });
}

// Runs a module under Node's WASI with the run-time contract's variables; cwd is preopened as '.'.
function runModule(module, env = {}, extra = []) {
  return run(process.execPath, ['--no-warnings', runner, ...extra, module], { env });
}

async function mustRun(cmd, argv) {
  const r = await run(cmd, argv);
  if (r.code !== 0) throw new Error(`${path.basename(cmd)} ${argv.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r;
}

function check(name, ok, detail) {
  if (ok) {
    passed++;
    console.log(`ok ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}: ${detail}`);
  }
}

// Deterministic spread of stop points over [1, total]: the ends and points in between.
function stopPoints(total, count) {
  const points = new Set([1, total]);
  let seed = total * 2654435761 % 4294967296;
  while (points.size < Math.min(count, total)) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    points.add(1 + (seed % total));
  }
  return [...points].sort((a, b) => a - b);
}

function firstDifference(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return `first difference at byte ${i}`;
  return `lengths ${a.length} vs ${b.length}`;
}

// C at -O0/-O2 with clang; Rust unoptimized (O0) or with -O (O2). A first-line comment
// "// cflags: ..." adds compiler flags (e.g. -msimd128).
async function compile(source, opt, output) {
  if (!source) throw new Error('no such program');
  const flagsLine = /^\/\/ cflags: (.*)$/m.exec(fs.readFileSync(source, 'utf8'));
  const extra = flagsLine ? flagsLine[1].trim().split(/\s+/) : [];
  if (source.endsWith('.rs')) {
    await mustRun(rustc, ['--target', 'wasm32-wasi', ...(opt === 'O0' ? [] : ['-O']), source, '-o', output, ...extra]);
  } else {
    await mustRun(clang, ['--target=wasm32-wasi', '--sysroot=/usr', `-${opt}`, source, '-o', output, '-lm', ...extra]);
  }
}

async function testProgram(program, opt, strategy) {
  const tag = `${program}-${opt}-${strategy.replace(/[\s=]+/g, '_')}`;
  const dir = path.join(work, tag);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const original = path.join(dir, 'original.wasm');
  const instrumented = path.join(dir, 'instrumented.wasm');
  await compile(sources.get(program), opt, original);
  const [strategyName, ...instrumentOptions] = strategy.split(/\s+/);
  await mustRun(tool, ['instrument', original, '-o', instrumented, '--strategy', strategyName, ...instrumentOptions]);
  // A module that keeps its rewind copies aside restores only through `wasm-ckpt resume`.
  const stored = instrumentOptions.includes('--rewind-copies=stored');

  const importsOf = (file) => WebAssembly.Module.imports(new WebAssembly.Module(fs.readFileSync(file))).map((i) => `${i.module}.${i.name}`);
  const originalImports = new Set(importsOf(original));
  const added = importsOf(instrumented).filter((i) => !originalImports.has(i) && !i.startsWith('wasi_snapshot_preview1.'));
  check(`${tag} imports nothing but WASI beyond the original's imports`, added.length === 0, added.join(', '));

  const reference = await runModule(original);
  const plain = await runModule(instrumented);
  check(`${tag} runs unchanged without a checkpoint`,
    plain.code === reference.code && plain.stdout.equals(reference.stdout) && plain.stderr === reference.stderr,
    `exit ${plain.code} vs ${reference.code}, ${firstDifference(plain.stdout, reference.stdout)}`);
  const counted = await runModule(instrumented, { WASM_CKPT_VERBOSE: '1' });
  const match = /exiting after polls: (\d+)/.exec(counted.stderr);
  if (!match) {
    check(`${tag} reports its poll count`, false, counted.stderr);
    return;
  }
  const total = Number(match[1]);
  if (stored) {
    const refusal = 'this module keeps its rewind copies aside (--rewind-copies=stored) and restores only through `wasm-ckpt resume`, not with';
    const snap = `${tag}/refused.snap`;
    await runModule(instrumented, { WASM_CKPT_AT: '1', WASM_CKPT_FILE: snap });
    const restored = await runModule(instrumented, { WASM_CKPT_RESTORE: snap });
    check(`${tag} refuses WASM_CKPT_RESTORE`, restored.code === 65 && restored.stdout.length === 0 &&
      restored.stderr === `wasm-ckpt: ${refusal} 'WASM_CKPT_RESTORE'\n`, `exit ${restored.code}: ${restored.stderr}`);
    const continued = await runModule(instrumented, { WASM_CKPT_CONTINUE: '1' });
    check(`${tag} refuses WASM_CKPT_CONTINUE`, continued.code === 64 && continued.stdout.length === 0 &&
      continued.stderr === `wasm-ckpt: ${refusal} 'WASM_CKPT_CONTINUE'\n`, `exit ${continued.code}: ${continued.stderr}`);
  }
  // Resumes from a snapshot of `module`: through WASM_CKPT_RESTORE, or for a module that stores
  // its rewind copies, by running what `wasm-ckpt resume` bakes (`env` is then the baked run's).
  let baking = 0;
  const resumeFrom = async (module, snap, env) => {
    if (!stored) return { module, run: await runModule(module, { WASM_CKPT_RESTORE: snap, ...env }) };
    const baked = path.join(dir, `resumed-${baking++}.wasm`);
    await mustRun(tool, ['resume', module, path.join(work, snap), '-o', baked]);
    return { module: baked, run: await runModule(baked, env) };
  };

  for (const at of stopPoints(total, stopsPerProgram)) {
    const snap = `${tag}/at-${at}.snap`;
    const first = await runModule(instrumented, { WASM_CKPT_AT: String(at), WASM_CKPT_FILE: snap });
    if (first.code !== 75) {
      check(`${tag} stops at poll ${at}`, false, `exit ${first.code}: ${first.stderr}`);
      continue;
    }
    const { module: resumedModule, run: resumed } = await resumeFrom(instrumented, snap, { WASM_CKPT_VERBOSE: '1' });
    const joined = Buffer.concat([first.stdout, resumed.stdout]);
    check(`${tag} stop at ${at}/${total}, resume via ${stored ? 'wasm-ckpt resume, verbose' : 'WASM_CKPT_RESTORE'}`,
      resumed.code === reference.code && joined.equals(reference.stdout),
      `exit ${resumed.code} vs ${reference.code}, ${firstDifference(joined, reference.stdout)}; ${resumed.stderr}`);
    // The resumed run counts the polls after the one it resumed at (the snapshot's count, which
    // is `at` or, when a chunked loop's poll counted a chunk of iterations, a little more): a
    // stale countdown written back over the one the restore set would throw the stops of later
    // hops off.
    const resumedAt = /resuming at poll (\d+)/.exec(resumed.stderr);
    const after = /exiting after polls: (\d+)/.exec(resumed.stderr);
    check(`${tag} stop at ${at}/${total}, the resumed run counts the remaining polls`,
      resumedAt && after && Number(resumedAt[1]) >= at && Number(resumedAt[1]) + Number(after[1]) === total,
      `resumed at ${resumedAt ? resumedAt[1] : '?'}, then ${after ? after[1] : '?'} polls; ${total} in all`);
    // (A module that stores its rewind copies was baked just above.)
    const baked = stored ? resumedModule : path.join(dir, `baked-${at}.wasm`);
    if (!stored) await mustRun(tool, ['resume', instrumented, path.join(work, snap), '-o', baked]);
    // No directory and no WASM_CKPT_* settings. One unrelated variable keeps the environment's
    // shape like the other runs': a stop inside libc's environment set-up (poll 1 of some
    // programs) resumes with the new run's environment, which must fit the old one's sizes
    // (docs/limits.md).
    const fromBaked = await runModule(baked, {}, ['--no-dir', '--no-env', '--env', 'E2E_BAKED_RUN=1']);
    const joinedBaked = Buffer.concat([first.stdout, fromBaked.stdout]);
    check(`${tag} stop at ${at}/${total}, resume via wasm-ckpt resume`,
      fromBaked.code === reference.code && joinedBaked.equals(reference.stdout),
      `exit ${fromBaked.code} vs ${reference.code}, ${firstDifference(joinedBaked, reference.stdout)}; ${fromBaked.stderr}`);
  }

  // A three-hop migration chain: stop, resume and stop again, twice, then finish.
  const hops = [Math.max(1, Math.floor(total / 4)), Math.max(1, Math.floor(total / 3)), Math.max(1, Math.floor(total / 5))];
  let output = Buffer.alloc(0);
  let restore = null;
  let module = instrumented;
  let ok = true;
  let detail = '';
  for (let i = 0; i <= hops.length && ok; i++) {
    const env = {};
    if (i < hops.length) {
      env.WASM_CKPT_AT = String(hops[i]);
      env.WASM_CKPT_FILE = `${tag}/chain-${i}.snap`;
    }
    let r;
    if (restore) ({ module, run: r } = await resumeFrom(module, restore, env));
    else r = await runModule(module, env);
    output = Buffer.concat([output, r.stdout]);
    if (i < hops.length && r.code !== 75) {
      // The program may end before the hop's poll count: then the chain is simply shorter.
      ok = r.code === reference.code;
      detail = `hop ${i} exit ${r.code}: ${r.stderr}`;
      break;
    }
    if (i === hops.length) {
      ok = r.code === reference.code;
      detail = `final exit ${r.code}: ${r.stderr}`;
    }
    restore = env.WASM_CKPT_FILE;
  }
  check(`${tag} three-hop chain`, ok && output.equals(reference.stdout), `${detail} ${firstDifference(output, reference.stdout)}`);
}

const cases = [];
for (const strategy of strategies) for (const program of programs) for (const opt of optLevels) cases.push([program, opt, strategy]);
let next = 0;
async function worker() {
  while (next < cases.length) {
    const [program, opt, strategy] = cases[next++];
    try {
      await testProgram(program, opt, strategy);
    } catch (e) {
      check(`${program}-${opt}-${strategy}`, false, e.message);
    }
  }
}
await Promise.all(Array.from({ length: jobs }, worker));
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
