// Batch instrumentation and the pre-deployment gate through the CLI:
//   - 23 modules (a directory of 20 with one invalid, two more from a list) at -j 1 and -j 4:
//     byte-identical outputs and reports (but for the "seconds" fields), the report's hashes
//     recomputed here, the failure named with its reason, no output for it, exit status 1;
//   - --fail-fast, --suffix, -q, a progress line on a terminal and none elsewhere;
//   - usage errors of the batch options, each with its message;
//   - `check`: its acceptances, and each refusal with its message;
//   - `version --json` parses.
// usage: node batch.mjs --tool wasm-ckpt --runner run_wasi.mjs --work DIR
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { fingerprintHex } from './lib/fnv1a.mjs';
import { e2eArgs } from './lib/harness.mjs';

const { tool, runner, work } = e2eArgs('batch.mjs');

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok' : 'FAIL'} ${name}${ok ? '' : `: ${detail}`}`);
}
function run(argv, options = {}) {
  const r = spawnSync(tool, argv, { cwd: work, encoding: 'utf8', timeout: 120000, ...options });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
}
// A refusal: the exit status and the message both.
function expectError(name, argv, code, message) {
  const r = run(argv);
  check(name, r.code === code && r.err.includes(message),
        `exit ${r.code}, stderr ${JSON.stringify(r.err.trim())}, expected ${code} and '${message}'`);
}
const read = (p) => fs.readFileSync(path.join(work, p));

// ---- the modules: WASI commands (a counted loop, a helper, a recursion) of varied shapes -----
function moduleText(i) {
  return `(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func $step (param $x i32) (result i32) (i32.add (i32.mul (local.get $x) (i32.const ${i + 3})) (i32.const ${i})))
  (func $down (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const ${i}))
      (else (call $step (call $down (i32.sub (local.get $n) (i32.const 1)))))))
  (func $work (param $n i32) (result i32) (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (call $step (local.get $i))))
      ${i % 3 === 0 ? '(i32.store (i32.const 64) (local.get $s))' : ''}
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (i32.add (local.get $s) (call $down (i32.const ${5 + (i % 7)}))))
  (func (export "_start")
    (call $exit (i32.and (call $work (i32.const ${20000 + 1000 * i})) (i32.const 63))))
)
`;
}
fs.mkdirSync(path.join(work, 'mods'));
fs.mkdirSync(path.join(work, 'extra'));
for (let i = 1; i <= 20; i++) {
  const name = `m${String(i).padStart(2, '0')}.wat`;
  if (i === 7) fs.writeFileSync(path.join(work, 'mods', 'bad.wat'), '(module (func $f (result i32) (i64.const 1)))\n');
  else fs.writeFileSync(path.join(work, 'mods', name), moduleText(i));
}
fs.writeFileSync(path.join(work, 'extra', 'x1.wat'), moduleText(31));
fs.writeFileSync(path.join(work, 'extra', 'x2.wat'), moduleText(32));
fs.writeFileSync(path.join(work, 'extra', 'x3.wat'), moduleText(33));
fs.writeFileSync(path.join(work, 'more.txt'), '# extra modules\nextra/x1.wat\n\nextra/x[2-3].wat\n');
const inputs = [...fs.readdirSync(path.join(work, 'mods')).sort().map((f) => `mods/${f}`),
                'extra/x1.wat', 'extra/x2.wat', 'extra/x3.wat'];
check('the batch has at least 20 modules, one of them bad', inputs.length === 23 && inputs.includes('mods/bad.wat'));

// ---- the same batch at -j 1 and -j 4 ----------------------------------------------------------
const common = ['--strategy', 'lean', '--out-dir', 'out', '--report', 'report.json'];
const outputsOf = () => Object.fromEntries(fs.readdirSync(path.join(work, 'out')).sort()
  .map((f) => [f, read(`out/${f}`).toString('base64')]));
const withoutTimes = (text) => text.replace(/"seconds": [0-9.]+/g, '"seconds": T');
const runs = {};
for (const [jobs, lists] of [['1', ['mods', '@more.txt']], ['4', ['mods', '--inputs-from', 'more.txt']]]) {
  fs.rmSync(path.join(work, 'out'), { recursive: true, force: true });
  const started = Date.now();
  const r = run(['instrument', ...lists, ...common, '-j', jobs]);
  const seconds = (Date.now() - started) / 1000;
  console.log(`   -j ${jobs}: ${seconds.toFixed(2)} s`);
  check(`-j ${jobs}: exit status 1 (a module failed)`, r.code === 1, `exit ${r.code}: ${r.err}`);
  check(`-j ${jobs}: the summary counts and names the failure and why`,
        r.err.includes('22 of 23 modules instrumented into out') && r.err.includes('1 failed:')
        && /mods\/bad\.wat: invalid module/.test(r.err), r.err);
  check(`-j ${jobs}: no progress line when standard error is not a terminal`, !r.err.includes('\r'), JSON.stringify(r.err));
  runs[jobs] = { outputs: outputsOf(), report: read('report.json').toString() };
}
const o1 = runs['1'].outputs;
const o4 = runs['4'].outputs;
check('22 outputs, none for the bad module', Object.keys(o1).length === 22 && !('bad.wasm' in o1), Object.keys(o1).join(' '));
check('-j 1 and -j 4 write byte-identical outputs',
      JSON.stringify(Object.keys(o1)) === JSON.stringify(Object.keys(o4)) && Object.keys(o1).every((f) => o1[f] === o4[f]));
check('-j 1 and -j 4 write the same report but for the times',
      withoutTimes(runs['1'].report) === withoutTimes(runs['4'].report));
check('the report differs from run to run only in "seconds"', /"seconds": [0-9.]+/.test(runs['1'].report));

const report = JSON.parse(runs['4'].report);
check('report: totals', report.modules === 23 && report.instrumented === 22 && report.failed === 1,
      JSON.stringify({ m: report.modules, i: report.instrumented, f: report.failed }));
check('report: modules in the order given', JSON.stringify(report.results.map((r) => r.input)) === JSON.stringify(inputs));
const bad = report.results.find((r) => r.input === 'mods/bad.wat');
check('report: the bad module has its error and input hash, no output',
      bad && /^mods\/bad\.wat: invalid module/.test(bad.error) && bad.input_hash === fingerprintHex(read('mods/bad.wat'))
      && bad.output === undefined, JSON.stringify(bad));
const good = report.results.filter((r) => r.error === null);
check('report: each instrumented module\'s hashes, strategy, options, counts and ratio', good.length === 22 && good.every((r) =>
  r.input_hash === fingerprintHex(read(r.input)) && r.output_hash === fingerprintHex(read(r.output))
  && r.output === `out/${path.basename(r.input, '.wat')}.wasm` && r.strategy === 'lean'
  && r.options.optimize === 2 && r.options.rewind_copies === 'all'
  && r.functions_instrumented >= 1 && r.poll_points >= 1 && r.resume_points >= r.poll_points
  && r.input_code_size > 0 && Math.abs(r.code_size_ratio - r.output_code_size / r.input_code_size) < 1e-4
  && typeof r.seconds === 'number'), JSON.stringify(good[0]));
check('report: different modules, different hashes', new Set(good.map((r) => r.output_hash)).size === 22);

// An instrumented module of the batch runs, stops and resumes like one instrumented alone.
const alone = run(['instrument', '--strategy', 'lean', 'mods/m01.wat', '-o', 'alone.wasm']);
check('a batch output equals the same module instrumented alone', alone.code === 0
      && read('alone.wasm').equals(read('out/m01.wasm')), alone.err);
function runModule(module, env = {}) {
  const r = spawnSync(process.execPath, ['--no-warnings', runner, module],
                      { cwd: work, encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  return r.status;
}
const reference = runModule('out/m01.wasm');
const stopped = runModule('out/m01.wasm', { WASM_CKPT_AT: '50', WASM_CKPT_FILE: 'm01.snap' });
const baked = run(['resume', 'out/m01.wasm', 'm01.snap', '-o', 'm01.resumed.wasm']);
check('a batch output stops and resumes', stopped === 75 && baked.code === 0 && runModule('m01.resumed.wasm') === reference,
      `stop exit ${stopped}, resume ${baked.err}`);

// ---- --fail-fast, --suffix, -q ------------------------------------------------------------------
{
  const r = run(['instrument', 'mods/bad.wat', 'mods/m01.wat', 'mods/m02.wat', '--out-dir', 'ff', '-j', '1',
                 '--fail-fast', '--report', 'ff.json']);
  const ff = JSON.parse(read('ff.json'));
  check('--fail-fast: nothing starts after the failure', r.code === 1 && !fs.existsSync(path.join(work, 'ff', 'm01.wasm'))
        && ff.results[1].error.startsWith('not attempted') && r.err.includes('mods/m01.wat: not attempted (--fail-fast)'), r.err);
}
{
  const r = run(['instrument', 'mods/m0[1-3].wat', '--out-dir', 'suffixed', '--suffix', '.ckpt', '-q']);
  const names = fs.existsSync(path.join(work, 'suffixed')) ? fs.readdirSync(path.join(work, 'suffixed')).sort() : [];
  check('--suffix names the outputs; a glob expands; -q prints nothing', r.code === 0 && r.err === ''
        && JSON.stringify(names) === JSON.stringify(['m01.ckpt.wasm', 'm02.ckpt.wasm', 'm03.ckpt.wasm']),
        `${names} ${JSON.stringify(r.err)}`);
}
{ // A failed module leaves no output, not even one from an earlier run.
  fs.mkdirSync(path.join(work, 'stale'));
  fs.writeFileSync(path.join(work, 'stale', 'bad.wasm'), 'old');
  const r = run(['instrument', 'mods/bad.wat', 'mods/m01.wat', '--out-dir', 'stale', '-q']);
  check('a failed module\'s old output is removed; -q still reports the failure',
        r.code === 1 && !fs.existsSync(path.join(work, 'stale', 'bad.wasm')) && r.err.includes('mods/bad.wat: invalid module'), r.err);
}

// ---- on a terminal (script(1), from bsdutils, gives the tool one) ------------------------------
function onTerminal(argv) {
  const r = spawnSync('script', ['-qec', [tool, ...argv].join(' '), '/dev/null'], { cwd: work, encoding: 'utf8', timeout: 120000 });
  return { code: r.status, out: r.stdout ?? '' };
}
{
  const r = onTerminal(['instrument', 'mods/m01.wat', 'mods/m02.wat', 'mods/m03.wat', '--out-dir', 'tty', '-j', '2']);
  check('on a terminal: a progress line (done/total, elapsed, a module), cleared before the summary',
        r.code === 0 && /\r\x1b\[K\[0\/3\] [0-9.]+ s {2}mods\/m0[1-3]\.wat/.test(r.out) && r.out.includes('\r\x1b[K[3/3]')
        && /\r\x1b\[Kwasm-ckpt: 3 of 3 modules instrumented into tty/.test(r.out), JSON.stringify(r.out));
  const q = onTerminal(['instrument', 'mods/m01.wat', 'mods/m02.wat', '--out-dir', 'tty', '-q']);
  check('on a terminal with -q: nothing', q.code === 0 && q.out === '', JSON.stringify(q.out));
}

// ---- usage errors -----------------------------------------------------------------------------
fs.mkdirSync(path.join(work, 'same'));
fs.copyFileSync(path.join(work, 'out', 'm01.wasm'), path.join(work, 'same', 'm01.wasm'));
fs.mkdirSync(path.join(work, 'other'));
fs.copyFileSync(path.join(work, 'mods', 'm01.wat'), path.join(work, 'other', 'm01.wat'));
expectError('several inputs without --out-dir', ['instrument', 'mods/m01.wat', 'mods/m02.wat', '-o', 'x.wasm'], 2,
            'several inputs need --out-dir');
expectError('--out-dir with --output', ['instrument', 'mods/m01.wat', '--out-dir', 'o2', '-o', 'x.wasm'], 2,
            '--output names one output');
expectError('-j without --out-dir', ['instrument', 'mods/m01.wat', '-o', 'x.wasm', '-j', '2'], 2, '--jobs goes with --out-dir');
expectError('@FILE without --out-dir', ['instrument', '@more.txt', '-o', 'x.wasm'], 2, '@FILE goes with --out-dir');
expectError('--dry-run in a batch', ['instrument', 'mods', '--out-dir', 'o2', '--dry-run'], 2, '--dry-run and --json take one input');
expectError('two inputs for one output', ['instrument', 'mods/m01.wat', 'other/m01.wat', '--out-dir', 'o2'], 1,
            'would both be written to o2/m01.wasm');
expectError('an output replacing its input', ['instrument', 'same/m01.wasm', '--out-dir', 'same'], 1,
            'same/m01.wasm: its output same/m01.wasm would replace an input');
expectError('a glob matching nothing', ['instrument', 'mods/*.nothing', '--out-dir', 'o2'], 1, 'mods/*.nothing: no file matches');
expectError('a missing list', ['instrument', '@missing.txt', '--out-dir', 'o2'], 1, 'missing.txt: cannot read the module list');
expectError('a missing module', ['instrument', 'mods/m01.wat', 'mods/none.wat', '--out-dir', 'o2'], 1, 'mods/none.wat: no such file');
expectError('a module named twice', ['instrument', 'mods/m01.wat', './mods/m01.wat', '--out-dir', 'o2'], 1, 'named twice');
check('a batch that cannot start writes nothing', !fs.existsSync(path.join(work, 'o2')));

// ---- check ----------------------------------------------------------------------------------------
{
  const r = run(['check', 'out/m01.wasm', '--strategy', 'lean', '-O', '2', '--source', 'mods/m01.wat']);
  check('check accepts a batch output with its strategy, level and original', r.code === 0
        && r.out.includes(`strategy lean, -O2, with --rewind-copies=all, from an original of hash ${fingerprintHex(read('mods/m01.wat'))}`), r.out + r.err);
  const plain = run(['check', 'alone.wasm']);
  check('check accepts a module instrumented alone, without expectations', plain.code === 0 && plain.out.startsWith('alone.wasm: instrumented by wasm-ckpt'), plain.err);
  const made = run(['instrument', 'mods/m02.wat', '-o', 'm02.full.wasm', '--no-rewind-copies', '--exclude', 'step', '-O', '1']);
  const r2 = run(['check', 'm02.full.wasm', '--strategy', 'full', '--no-rewind-copies', '--exclude', 'step', '-O', '1']);
  check('check accepts the options a module was made with', made.code === 0 && r2.code === 0, r2.err);
}
// A module with one more custom section: valid, but not the bytes instrumentation wrote.
const extended = Buffer.concat([read('out/m01.wasm'), Buffer.from([0, 4, 3, 0x61, 0x62, 0x63])]);
fs.writeFileSync(path.join(work, 'extended.wasm'), extended);
// The wasm-ckpt section's format version (its payload's first byte) changed.
const versioned = Buffer.from(read('out/m01.wasm'));
versioned[versioned.lastIndexOf(Buffer.from('wasm-ckpt')) + 9] = 9;
fs.writeFileSync(path.join(work, 'versioned.wasm'), versioned);
expectError('check: another strategy', ['check', 'out/m01.wasm', '--strategy', 'full'], 1,
            'out/m01.wasm: instrumented with strategy lean, not full');
expectError('check: another level', ['check', 'out/m01.wasm', '-O', '3'], 1, 'out/m01.wasm: instrumented with -O2, not -O3');
expectError('check: rewind copies', ['check', 'out/m01.wasm', '--no-rewind-copies'], 1,
            'out/m01.wasm: instrumented with --rewind-copies=all, not with --rewind-copies=none');
expectError('check: rewind copies where the plan says', ['check', 'out/m01.wasm', '--rewind-copies', 'auto'], 1,
            'out/m01.wasm: instrumented with --rewind-copies=all, not with --rewind-copies=auto');
expectError('instrument: contradicting rewind-copy options', ['instrument', 'mods/m01.wat', '-o', 'x.wasm', '--no-rewind-copies', '--rewind-copies=all'], 2,
            '--no-rewind-copies contradicts --rewind-copies=all');
expectError('check: other patterns', ['check', 'm02.full.wasm', '--exclude', 'down'], 1,
            'instrumented with --exclude step, not down');
expectError('check: another original', ['check', 'out/m01.wasm', '--source', 'mods/m02.wat'], 1,
            `made from another module than mods/m02.wat (whose hash is ${fingerprintHex(read('mods/m02.wat'))}`);
expectError('check: not instrumented', ['check', 'mods/m01.wat'], 1, 'mods/m01.wat: not instrumented by wasm-ckpt');
expectError('check: changed after instrumentation', ['check', 'extended.wasm'], 1, 'extended.wasm: changed since it was instrumented');
expectError('check: a resumed module', ['check', 'm01.resumed.wasm'], 1, 'm01.resumed.wasm: a snapshot is baked into it');
expectError('check: another section format', ['check', 'versioned.wasm'], 1, 'incompatible wasm-ckpt version');
expectError('check: not a module', ['check', 'more.txt'], 1, 'more.txt');
expectError('check: a missing original', ['check', 'out/m01.wasm', '--source', 'none.wasm'], 1, 'none.wasm');

// ---- version --json ---------------------------------------------------------------------------------
{
  const r = run(['version', '--json']);
  let v = null;
  try { v = JSON.parse(r.out); } catch { /* checked below */ }
  const text = run(['--version']).out.trim();
  check('version --json parses and agrees with --version', r.code === 0 && v && v.tool === 'wasm-ckpt'
        && text === `wasm-ckpt ${v.version} (snapshot format ${v.snapshot_format}, Binaryen ${v.binaryen})`
        && v.binaryen === 108 && Number.isInteger(v.metadata_format), r.out + text);
}
for (const command of ['instrument', 'plan', 'resume', 'inspect', 'check', 'version']) {
  const r = run([command, '--help']);
  const examples = r.out.split('Examples:\n')[1] ?? '';
  const lines = examples.trimEnd().split('\n').filter((l) => l.startsWith('  wasm-ckpt '));
  check(`${command} --help ends with examples`, r.code === 0 && lines.length >= 2 && lines.length === examples.trimEnd().split('\n').length, r.out);
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
