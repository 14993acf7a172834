#!/usr/bin/env node
// bad_input.mjs — end-to-end checks that wasm-ckpt and instrumented modules refuse bad input
// cleanly: one-line errors, the documented exit codes, no crash, no output left behind, and a
// rejected snapshot never lets the program run.
//
// Usage:
//   node --no-warnings tests/e2e/bad_input.mjs --tool build/wasm-ckpt \
//        --runner tests/tools/run_wasi.mjs --work build/tests/bad_input_work \
//        [--clang clang-14] [--wasm-opt wasm-opt] [--corpus tests/corpus]
// Prints "ok NAME" or "FAIL NAME: reason" per case and ends with "N passed, M failed";
// exit status 0 only if M == 0 (2 on a usage error).
//
// No npm dependencies. Everything it writes goes under --work (emptied first).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { fixSnapshotChecksum } from './lib/fnv1a.mjs';
import { e2eArgs } from './lib/harness.mjs';
import { readLeb, sections } from './lib/wasm_sections.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

// ---- arguments ------------------------------------------------------------------------------
const opts = e2eArgs('bad_input.mjs', {
  clang: { type: 'string', default: 'clang-14' },
  'wasm-opt': { type: 'string', default: 'wasm-opt' },
  corpus: { type: 'string', default: path.resolve(here, '..', 'corpus') },
});
opts.corpus = path.resolve(opts.corpus);
const W = opts.work;

// ---- the case harness -----------------------------------------------------------------------
let passed = 0, failed = 0;
class CaseFailure extends Error {}
function fail(msg) { throw new CaseFailure(msg); }
function expect(cond, msg) { if (!cond) fail(msg); }
function check(name, fn) {
  try {
    fn();
    passed++;
    console.log(`ok ${name}`);
  } catch (e) {
    failed++;
    const reason = e instanceof CaseFailure ? e.message : `exception: ${e && e.stack || e}`;
    console.log(`FAIL ${name}: ${reason.replace(/\s*\n\s*/g, ' | ')}`);
  }
}
// Something a later case needs; its absence fails those cases with this reason.
function need(value, what) {
  if (!value) fail(`prerequisite missing: ${what}`);
  return value;
}
const show = (s, n = 300) => JSON.stringify(s.length > n ? s.slice(0, n) + '...' : s);

// ---- processes --------------------------------------------------------------------------------
// The environment without WASM_CKPT_* of whoever started us: each run sets exactly what it tests.
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WASM_CKPT_')));

function run(cmd, args, { cwd = W, env = {}, timeout = 60000, input } = {}) {
  const r = spawnSync(cmd, args, { cwd, env: { ...baseEnv, ...env }, encoding: 'latin1', timeout,
                                   maxBuffer: 64 << 20, input });
  if (r.error && r.error.code !== 'ETIMEDOUT') fail(`cannot run ${cmd}: ${r.error.message}`);
  return { status: r.status, signal: r.signal, stdout: r.stdout || '', stderr: r.stderr || '',
           timedOut: !!(r.error && r.error.code === 'ETIMEDOUT') };
}
const tool = (args, o) => run(opts.tool, args, o);
// Runs a module with the WASI runner; `env` is what the module sees of WASM_CKPT_*.
function runModule(module, env = {}, { runnerOpts = [], cwd = W } = {}) {
  return run(process.execPath, ['--no-warnings', opts.runner, ...runnerOpts, module], { cwd, env });
}

function describe(r) {
  if (r.timedOut) return 'timed out';
  if (r.signal) return `killed by ${r.signal}`;
  return `exit ${r.status}`;
}
function expectStatus(r, status, what = '') {
  expect(!r.timedOut && r.signal === null,
         `${what}crashed or hung (${describe(r)}); stderr ${show(r.stderr)}`);
  expect(r.status === status, `${what}expected exit ${status}, got ${describe(r)}; stderr ${show(r.stderr)}`);
}
// stderr is exactly one line, starting with `prefix`; returns that line.
function expectOneLine(stderr, prefix, what = '') {
  const lines = stderr.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  expect(lines.length === 1, `${what}expected one line on stderr, got ${lines.length}: ${show(stderr)}`);
  expect(lines[0].startsWith(prefix), `${what}stderr does not start with '${prefix}': ${show(stderr)}`);
  expect(stderr.endsWith('\n'), `${what}stderr line is not terminated: ${show(stderr)}`);
  return lines[0];
}
// A fresh, empty directory for one command's output.
function freshDir(...parts) {
  const d = path.join(W, ...parts);
  fs.rmSync(d, { recursive: true, force: true });
  fs.mkdirSync(d, { recursive: true });
  return d;
}
function expectEmptyDir(dir, what = '') {
  const left = fs.readdirSync(dir);
  expect(left.length === 0, `${what}files left behind in the output directory: ${left.join(', ')}`);
}
const safe = (name) => name.replace(/[^A-Za-z0-9_.-]+/g, '_');

// `wasm-ckpt instrument INPUT -o OUT` must fail with exit 1, one `wasm-ckpt: error:` line that
// matches `mentions` (regexes or strings), and leave nothing in OUT's directory.
function expectInstrumentFails(caseName, input, mentions = []) {
  const out = freshDir('out', safe(caseName));
  const r = tool(['instrument', input, '-o', path.join(out, 'out.wasm')]);
  expectStatus(r, 1);
  const line = expectOneLine(r.stderr, 'wasm-ckpt: error:');
  for (const m of mentions) {
    const ok = m instanceof RegExp ? m.test(line) : line.includes(m);
    expect(ok, `error does not mention ${m}: ${show(line)}`);
  }
  expect(!/, on\s*$/.test(line), `a stray ', on' ends the error: ${show(line)}`);
  expect(!/[\x00-\x1f\x7f-\xff]/.test(line), `raw control or non-ASCII bytes in the error: ${show(line)}`);
  expect(r.stdout === '', `unexpected stdout ${show(r.stdout)}`);
  expectEmptyDir(out);
}
// `wasm-ckpt instrument` succeeds: exit 0, exactly `warnings` on stderr (one
// "wasm-ckpt: warning: " line each), a valid output. Returns the output's path.
function expectInstrumented(caseName, input, warnings = []) {
  const output = path.join(freshDir('out', safe(caseName)), 'out.wasm');
  const r = tool(['instrument', input, '-o', output]);
  expectStatus(r, 0);
  const expected = warnings.map((w) => `wasm-ckpt: warning: ${w}\n`).join('');
  expect(r.stderr === expected, `stderr ${show(r.stderr)}, expected ${show(expected)}`);
  expect(WebAssembly.validate(fs.readFileSync(output)), 'the output does not validate');
  return output;
}

// ---- inputs -----------------------------------------------------------------------------------
const IN = freshDir('in');
const put = (name, data) => { const p = path.join(IN, name); fs.writeFileSync(p, data); return p; };

// A small valid module (memory, a mutable global, $add, $_start, a name section), built byte by
// byte so that corruptions at fixed offsets do not depend on any compiler's output.
function smallWasm() {
  const b = [];
  const sec = (id, body) => { b.push(id, ...uleb(body.length), ...body); };
  const str = (s) => [...uleb(s.length), ...Buffer.from(s)];
  b.push(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
  sec(1, [2, 0x60, 2, 0x7f, 0x7f, 1, 0x7f, 0x60, 0, 0]);                   // types
  sec(3, [2, 0, 1]);                                                       // funcs
  sec(5, [1, 0, 1]);                                                       // memory 1
  sec(6, [1, 0x7f, 1, 0x41, 0, 0x0b]);                                     // (mut i32) 0
  sec(7, [2, ...str('memory'), 2, 0, ...str('_start'), 0, 1]);             // exports
  const add = [0, 0x20, 0, 0x20, 1, 0x6a, 0x0b];
  const start = [0, 0x41, 1, 0x41, 2, 0x10, 0, 0x24, 0, 0x0b];
  sec(10, [2, add.length, ...add, start.length, ...start]);                // code
  const fnames = [2, 0, ...str('add'), 1, ...str('_start')];
  const lnames = [1, 0, 2, 0, ...str('a'), 1, ...str('b')];
  const gnames = [1, 0, ...str('g')];
  const names = [...str('name'), 1, fnames.length, ...fnames, 2, lnames.length, ...lnames,
                 7, gnames.length, ...gnames];
  sec(0, names);
  return Buffer.from(b);
}
function uleb(n) { const out = []; do { let x = n & 0x7f; n >>>= 7; if (n) x |= 0x80; out.push(x); } while (n); return out; }
const small = smallWasm();
// Offsets inside `small` used by the corruptions below.
const SMALL_ADD_OPCODE = small.indexOf(Buffer.from([0x20, 0x00, 0x20, 0x01, 0x6a])) + 4; // i32.add
const SMALL_NAME_SUBSECTION = small.indexOf(Buffer.from('name')) + 4; // id of the first name subsection

const WAT = {
  type_error: `(module (func $bad (result i32) (i64.const 1)) (export "_start" (func $bad)))\n`,
  // Binaryen 108's text syntax for a shared memory (it cannot parse "(memory 1 1 shared)").
  shared_memory: `(module (memory (shared 1 1)) (func $_start) (export "_start" (func $_start)))\n`,
  // The standard syntax, which Binaryen 108's parser does not know: still a clean error.
  shared_memory_std: `(module (memory 1 1 shared) (func $_start) (export "_start" (func $_start)))\n`,
  exception_handling: `(module (tag $e (param i32))
  (func $catcher (result i32)
    (try (result i32) (do (throw $e (i32.const 1))) (catch $e (pop i32))))
  (func $_start (drop (call $catcher)))
  (export "_start" (func $_start)))\n`,
  tail_call: `(module
  (func $g (result i32) (i32.const 1))
  (func $tailer (result i32) (return_call $g))
  (func $_start (drop (call $tailer)))
  (export "_start" (func $_start)))\n`,
  atomic: `(module (memory 1 1)
  (func $atom (result i32) (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
  (func $_start (drop (call $atom)))
  (export "_start" (func $_start)))\n`,
};
const FEATURES = {
  shared_memory: { re: /shared/i, func: null },
  exception_handling: { re: /exception/i, func: 'catcher' },
  tail_call: { re: /tail call|return_call/i, func: 'tailer' },
  atomic: { re: /atomic/i, func: 'atom' },
};

// ---- instrument: bad modules ------------------------------------------------------------------
let fibWasm = null, fibInst = null, otherInst = null;

check('setup: small handmade module instruments', () => {
  const p = put('small.wasm', small);
  const out = freshDir('out', 'small');
  const r = tool(['instrument', p, '-o', path.join(out, 'small.inst.wasm')]);
  expectStatus(r, 0);
  expect(fs.existsSync(path.join(out, 'small.inst.wasm')), 'no output');
});

check('setup: compile tests/corpus/fib_rec.c at -O2', () => {
  const p = path.join(IN, 'fib_rec.wasm');
  const r = run(opts.clang, ['--target=wasm32-wasi', '--sysroot=/usr', '-O2',
                             path.join(opts.corpus, 'fib_rec.c'), '-o', p]);
  expectStatus(r, 0, `${opts.clang}: `);
  fibWasm = p;
});

check('instrument: text garbage', () =>
  expectInstrumentFails('garbage', put('garbage.wasm', 'this is not a module\n\x01\x02 at all\n')));
check('instrument: empty file', () => expectInstrumentFails('empty', put('empty.wasm', '')));
check('instrument: magic only (4 bytes)', () =>
  expectInstrumentFails('magic_only', put('magic_only.wasm', small.subarray(0, 4))));
check('instrument: binary truncated at 9 bytes', () => {
  const src = fs.readFileSync(need(fibWasm, 'fib_rec.wasm'));
  expectInstrumentFails('trunc9', put('trunc9.wasm', src.subarray(0, 9)));
});
check('instrument: binary truncated in half', () => {
  const src = fs.readFileSync(need(fibWasm, 'fib_rec.wasm'));
  expectInstrumentFails('trunc_half', put('trunc_half.wasm', src.subarray(0, src.length >> 1)));
});
check('instrument: binary truncated by one byte', () => {
  const src = fs.readFileSync(need(fibWasm, 'fib_rec.wasm'));
  expectInstrumentFails('trunc_1', put('trunc_1.wasm', src.subarray(0, src.length - 1)));
});
check('instrument: corrupted version field', () => {
  const b = Buffer.from(small); b[4] = 2;
  expectInstrumentFails('bad_version', put('bad_version.wasm', b));
});
check('instrument: corrupted opcode (type error)', () => {
  expect(small[SMALL_ADD_OPCODE] === 0x6a, 'i32.add not found in the small module');
  const b = Buffer.from(small); b[SMALL_ADD_OPCODE] = 0x7c; // i64.add on i32 operands
  expectInstrumentFails('bad_opcode', put('bad_opcode.wasm', b), ['invalid']);
});
check('instrument: invalid opcode byte', () => {
  const b = Buffer.from(small); b[SMALL_ADD_OPCODE] = 0xff;
  expectInstrumentFails('bad_opcode_ff', put('bad_opcode_ff.wasm', b));
});
check('instrument: corrupted section id', () => {
  const b = Buffer.from(small); b[8] = 0x7f;
  expectInstrumentFails('bad_section', put('bad_section.wasm', b));
});
check('instrument: corrupted name section', () => {
  // Binaryen prints warnings about such a section on std::cerr before it fails.
  const b = Buffer.from(small); b[SMALL_NAME_SUBSECTION] = 0xff;
  expectInstrumentFails('bad_names', put('bad_names.wasm', b));
});
check('instrument: invalid .wat (type error)', () =>
  expectInstrumentFails('type_error_wat', put('type_error.wat', WAT.type_error), ['bad']));
check('instrument: unparsable .wat', () =>
  expectInstrumentFails('unparsable_wat', put('unparsable.wat', '(module (func $f (i32.const\n')));
check('instrument: standard shared-memory syntax .wat', () =>
  expectInstrumentFails('shared_std_wat', put('shared_std.wat', WAT.shared_memory_std)));

// Text modules: the features are not enabled (no target_features section), so they fail
// validation; the message must still name the feature and the function.
for (const [feature, { re, func }] of Object.entries(FEATURES)) {
  check(`instrument: ${feature} (.wat)`, () =>
    expectInstrumentFails(`${feature}_wat`, put(`${feature}.wat`, WAT[feature]), [re, ...(func ? [func] : [])]));
}
// Binary modules with the feature enabled in a target_features section: the tool's own
// CheckSupported refuses them.
for (const [feature, { re, func }] of Object.entries(FEATURES)) {
  check(`instrument: ${feature} (binary with target_features)`, () => {
    const wat = path.join(IN, `${feature}.wat`);
    if (!fs.existsSync(wat)) put(`${feature}.wat`, WAT[feature]);
    const bin = path.join(IN, `${feature}.features.wasm`);
    const r = run(opts['wasm-opt'], ['--enable-threads', '--enable-exception-handling', '--enable-tail-call',
                                 '--emit-target-features', '-g', wat, '-o', bin]);
    expectStatus(r, 0, `${opts['wasm-opt']} (making the input): `);
    expectInstrumentFails(`${feature}_bin`, bin, [re, /unsupported/i, ...(func ? [func] : [])]);
  });
}

check('instrument: already instrumented module', () => {
  const out = freshDir('out', 'fib_first');
  const inst = path.join(out, 'fib_rec.inst.wasm');
  const r = tool(['instrument', need(fibWasm, 'fib_rec.wasm'), '-o', inst]);
  expectStatus(r, 0, 'first instrument: ');
  fibInst = path.join(IN, 'fib_rec.inst.wasm');
  fs.renameSync(inst, fibInst);
  expectInstrumentFails('twice', fibInst, [/already instrumented/]);
});

// Removes the custom sections named in `names` from a binary module.
function stripCustomSections(buf, names) {
  const parts = [buf.subarray(0, 8)];
  let i = 8;
  const leb = () => { let r = 0, s = 0, x; do { x = buf[i++]; r |= (x & 0x7f) << s; s += 7; } while (x & 0x80); return r >>> 0; };
  while (i < buf.length) {
    const start = i, id = buf[i++], size = leb(), body = i;
    let name = null;
    if (id === 0) { const n = leb(); name = buf.subarray(i, i + n).toString('latin1'); }
    i = body + size;
    if (!(id === 0 && names.includes(name))) parts.push(buf.subarray(start, i));
  }
  return Buffer.concat(parts);
}
check('instrument: already instrumented module without its wasm-ckpt section', () => {
  const b = stripCustomSections(fs.readFileSync(need(fibInst, 'instrumented fib_rec')), ['wasm-ckpt']);
  expectInstrumentFails('twice_nometa', put('fib_rec.inst.nometa.wasm', b), [/already instrumented/]);
});
check('instrument: already instrumented module with all custom sections stripped', () => {
  const b = stripCustomSections(fs.readFileSync(need(fibInst, 'instrumented fib_rec')), ['wasm-ckpt', 'name', 'producers', 'target_features']);
  expectInstrumentFails('twice_stripped', put('fib_rec.inst.stripped.wasm', b), [/already instrumented/]);
});

// Unusual but legal modules: each is either instrumented or refused with its own one-line error.
check('instrument: memory with 0 initial pages is refused', () =>
  expectInstrumentFails('mem0', put('mem0.wat', '(module (memory 0 10) (func $_start) (export "_start" (func $_start)))\n'),
                        [/unsupported: memory with an initial size of 0 pages \(the run-time code needs one page at start-up\)/]));
check('instrument: _start with a result is refused', () =>
  expectInstrumentFails('start_result', put('start_result.wat',
    '(module (memory 1) (func $_start (result i32) (i32.const 3)) (export "_start" (func $_start)))\n'),
    [/_start has type \(func \(result i32\)\); a WASI command's _start takes and returns nothing/]));
check('instrument: _start with a parameter is refused', () =>
  expectInstrumentFails('start_param', put('start_param.wat',
    '(module (memory 1) (func $_start (param i32)) (export "_start" (func $_start)))\n'),
    [/_start has type \(func \(param i32\)\); a WASI command's _start takes and returns nothing/]));
check('instrument: a function named like the run-time code is refused', () =>
  expectInstrumentFails('name_clash', put('name_clash.wat',
    '(module (memory 1) (func $wasm_ckpt$frame_read) (func $_start (call $wasm_ckpt$frame_read))' +
    ' (export "_start" (func $_start)))\n'),
    [/function name 'wasm_ckpt\$frame_read' is reserved for wasm-ckpt's run-time code/]));
check('instrument: a module without memory gets one, exported, and runs', () => {
  const output = expectInstrumented('no_memory', put('no_memory.wat', '(module (func $_start) (export "_start" (func $_start)))\n'));
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(fs.readFileSync(output)));
  expect(exports.some((e) => e.name === 'memory' && e.kind === 'memory'), `exports ${show(JSON.stringify(exports))}`);
  expectStatus(runModule(output), 0, 'running the output: ');
});
check('instrument: _start that is an imported function, with a warning', () =>
  expectInstrumented('start_import', put('start_import.wat',
    '(module (import "env" "f" (func $f)) (memory 1) (export "_start" (func $f)))\n'),
    ['no poll point was placed: the program can never be checkpointed']));

// A module with one function `$f` (type [] -> []) exported as _start, built byte by byte:
// `locals` is the code entry's local declarations, `body` its instructions (without the final
// end); `imports`, `exports` and `custom` are [module, field] pairs (a function import of type
// 0), [name, kind, index] triples and custom section names, as byte arrays or strings.
function oneFunctionWasm({ locals = [0], body = [], imports = [], exports = null, custom = [] } = {}) {
  let b = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const sec = (id, bytes) => { b = b.concat([id], uleb(bytes.length), bytes); };
  const str = (s) => { const raw = Buffer.from(s); return [...uleb(raw.length), ...raw]; };
  const vec = (items) => [...uleb(items.length), ...items.flat()];
  sec(1, [1, 0x60, 0, 0]);
  if (imports.length) sec(2, vec(imports.map(([m, f]) => [...str(m), ...str(f), 0, 0])));
  sec(3, [1, 0]);
  sec(5, [1, 0, 1]);
  const fn = imports.length;
  sec(7, vec((exports || [['memory', 2, 0], ['_start', 0, fn]]).map(([n, kind, index]) => [...str(n), kind, ...uleb(index)])));
  const code = locals.concat(body, [0x0b]);
  sec(10, [1, ...uleb(code.length)].concat(code));
  for (const name of custom) sec(0, [...str(name), 1, 2, 3]);
  return Buffer.from(b);
}
// `n` nested blocks (0x02), loops (0x03) or ifs (0x04, on i32.const 0).
function nested(opcode, n) {
  const open = opcode === 0x04 ? [0x41, 0x00, 0x04, 0x40] : [opcode, 0x40];
  return [].concat(...Array(n).fill(open), Array(n).fill(0x0b));
}
// The module V8 refuses, or null if it compiles: the oracle for "invalid".
function v8Refuses(bytes) {
  try { new WebAssembly.Module(bytes); return null; } catch (e) { return e.message; }
}
const INVALID_MODULES = [
  // [name, bytes, what the message must mention]
  ['export name not UTF-8', () => oneFunctionWasm({ exports: [['memory', 2, 0], [[0x5f, 0xff, 0xfe], 0, 0]] }),
   [/export name/, /not UTF-8/, /_\\ff\\fe/]],
  ['export name with a UTF-16 surrogate', () => oneFunctionWasm({ exports: [['memory', 2, 0], [[0xed, 0xa0, 0x80], 0, 0]] }),
   [/export name/, /not UTF-8/]],
  ['import module name not UTF-8', () => oneFunctionWasm({ imports: [[[0x65, 0x6e, 0xc3], 'f']] }),
   [/import/, /not UTF-8/]],
  ['import field name not UTF-8 (overlong)', () => oneFunctionWasm({ imports: [['env', [0xc0, 0xaf]]] }),
   [/import/, /not UTF-8/]],
  ['custom section name not UTF-8', () => oneFunctionWasm({ custom: [[0x64, 0x62, 0x67, 0x80]] }),
   [/custom section name/, /not UTF-8/]],
  ['memory export index out of range', () => oneFunctionWasm({ exports: [['memory', 2, 5], ['_start', 0, 0]] }),
   [/export 'memory'/, /memory 5/, /has 1 memory/]],
  ['function export index out of range', () => oneFunctionWasm({ exports: [['memory', 2, 0], ['_start', 0, 7]] }),
   [/export '_start'/, /function 7/]],
  ['local of type 0x00', () => oneFunctionWasm({ locals: [1, 1, 0x00] }),
   [/local of type 0x00/, /not a value type/, /#0/]],
  ['global of type 0x00', () => {
    const b = Buffer.from(small), at = small.indexOf(Buffer.from([0x06, 0x06, 0x01, 0x7f])) + 3;
    b[at] = 0x00;
    return b;
  }, [/global #0 has type 0x00/, /not a value type/]],
  ['call_ref of a null function reference', () => oneFunctionWasm({ body: [0xd0, 0x70, 0x14] }),
   [/unknown or unsupported instruction 0x14/, /#0/]],
  ['unknown section id 0x80', () => Buffer.concat([small, Buffer.from([0x80, 0x00])]), [/unknown section id 128/]],
  ['a second type section after the others', () => Buffer.concat([small, Buffer.from([0x01, 0x01, 0x00])]),
   [/section id 1 out of order or repeated/]],
];
for (const [name, make, mentions] of INVALID_MODULES) {
  check(`instrument: ${name}`, () => {
    const bytes = make();
    expect(v8Refuses(bytes) !== null, 'V8 compiles the input: the case does not test an invalid module');
    expectInstrumentFails(safe(name), put(`${safe(name)}.wasm`, bytes), mentions);
  });
}
// Inputs Binaryen's reader cannot survive (it recurses per nesting level, allocates every local).
const RUNAWAY_MODULES = [
  ['20,000 nested loops', () => oneFunctionWasm({ body: nested(0x03, 20000) }), [/nests/, /more than 5000 deep/, /#0/]],
  ['20,000 nested ifs', () => oneFunctionWasm({ body: nested(0x04, 20000) }), [/nests/, /more than 5000 deep/]],
  ['20,000 nested blocks', () => oneFunctionWasm({ body: nested(0x02, 20000) }), [/nests/, /more than 5000 deep/]],
  ['2^32-1 locals', () => oneFunctionWasm({ locals: [1, ...uleb(0xffffffff), 0x7f] }), [/more than 50000 locals/, /#0/]],
  ['2^31 locals in two groups', () => oneFunctionWasm({ locals: [2, ...uleb(0x40000000), 0x7f, ...uleb(0x40000000), 0x7e] }),
   [/more than 50000 locals/]],
];
for (const [name, make, mentions] of RUNAWAY_MODULES) {
  check(`instrument: ${name}`, () => expectInstrumentFails(safe(name), put(`${safe(name)}.wasm`, make()), mentions));
  check(`plan: ${name}`, () => {
    const r = tool(['plan', path.join(IN, `${safe(name)}.wasm`)]);
    expectStatus(r, 1);
    expectOneLine(r.stderr, 'wasm-ckpt: error:');
  });
}
check('instrument: 5,000 nested loops and 50,000 locals are accepted', () => {
  const p = put('at_limits.wasm', oneFunctionWasm({ locals: [1, ...uleb(50000), 0x7f], body: nested(0x03, 5000) }));
  expect(v8Refuses(fs.readFileSync(p)) === null, 'V8 refuses the input');
  expectInstrumented('at_limits', p);
});
check('instrument: 5,001 nested loops are refused', () =>
  expectInstrumentFails('over_limit', put('over_limit.wasm', oneFunctionWasm({ body: nested(0x03, 5001) })),
                        [/nests/, /more than 5000 deep/]));
check('instrument: a text module nesting 100,000 expressions', () => {
  const wat = '(module (memory 1) (func $_start (drop ' + '(i32.add (i32.const 1) '.repeat(100000) + '(i32.const 1)' +
              ')'.repeat(100000) + ')) (export "_start" (func $_start)))\n';
  expectInstrumentFails('deep_wat', put('deep.wat', wat), [/nests parentheses more than 10000 deep/]);
});
check('instrument: a type of a disabled feature is named (not "all used types should be allowed")', () =>
  expectInstrumentFails('disabled_type', put('disabled_type.wat',
    '(module (memory 1) (func $holder (local funcref)) (func $_start (call $holder)) (export "_start" (func $_start)))\n'),
    [/type funcref/, /reference-types/, /'holder'/]));
check('instrument: DWARF sections dropped with a warning', () => {
  const src = path.join(IN, 'fib_g.wasm'), out = freshDir('out', 'dwarf');
  expectStatus(run(opts.clang, ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-g', path.join(opts.corpus, 'fib_rec.c'), '-o', src]),
               0, 'clang: ');
  const r = tool(['instrument', src, '-o', path.join(out, 'fib.wasm')]);
  expectStatus(r, 0);
  const line = expectOneLine(r.stderr, 'wasm-ckpt: warning:');
  expect(/DWARF/.test(line) && /\.debug_\*/.test(line) && /dropped/.test(line), `warning ${show(line)}`);
  expect(!fs.readFileSync(path.join(out, 'fib.wasm')).includes('.debug_info'), 'a .debug_ section is left');
});
// Names with bytes outside printable ASCII: shown as \xx everywhere, written back unchanged.
function namesWasm() {
  const str = (s) => [...uleb(Buffer.from(s).length), ...Buffer.from(s)];
  const b = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const sec = (id, body) => { b.push(id, ...uleb(body.length), ...body); };
  sec(1, [1, 0x60, 0, 0]);
  sec(3, [3, 0, 0, 0]);
  sec(5, [1, 0, 1]);
  sec(7, [3, ...str('memory'), 2, 0, ...str('_start'), 0, 0, ...str('bell\x07x'), 0, 1]);
  const start = [0, 0x10, 1, 0x10, 2, 0x0b], looping = [0, 0x03, 0x40, 0x0c, 0, 0x0b, 0x0b];
  sec(10, [3, start.length, ...start, looping.length, ...looping, looping.length, ...looping]);
  const fnames = [3, 0, ...str('_start'), 1, ...str('f\u00e9'), 2, ...str('g h')];
  sec(0, [...str('name'), 1, ...uleb(fnames.length), ...fnames]);
  return Buffer.from(b);
}
check('names: non-ASCII and control characters are shown escaped, written back unchanged', () => {
  const p = put('names.wasm', namesWasm());
  const plan = tool(['plan', p]);
  expectStatus(plan, 0, 'plan: ');
  expect(/ f\\c3\\a9 /.test(plan.stdout) && / g\\20h /.test(plan.stdout), `plan shows ${show(plan.stdout)}`);
  const miss = tool(['plan', '--functions', 'bel', p]);
  expectStatus(miss, 1, 'plan --functions bel: ');
  const line = expectOneLine(miss.stderr, 'wasm-ckpt: error:');
  expect(line.endsWith('closest: bell\\07x, g\\20h, _start'), `closest list ${show(line)}`);
  const twice = tool(['plan', '--functions', 'zzz', p]);
  const names = expectOneLine(twice.stderr, 'wasm-ckpt: error:').replace(/.*closest: /, '').split(', ');
  expect(new Set(names).size === names.length, `names repeated: ${show(twice.stderr)}`);
  const out = freshDir('out', 'names');
  expectStatus(tool(['instrument', p, '-o', path.join(out, 'names.wasm')]), 0, 'instrument: ');
  const written = fs.readFileSync(path.join(out, 'names.wasm'));
  expect(v8Refuses(written) === null, 'V8 refuses the output');
  expect(written.includes(Buffer.from('f\u00e9')), 'the name section does not hold the name\'s original bytes');
});
check('instrument: a directory as input', () => expectInstrumentFails('dir_input', IN, [`'${IN}'`, /is a directory/i]));
check('plan: a directory as input', () => {
  const r = tool(['plan', IN]);
  expectStatus(r, 1);
  expect(/is a directory/i.test(expectOneLine(r.stderr, 'wasm-ckpt: error:')), `stderr ${show(r.stderr)}`);
});

// ---- command-line errors ------------------------------------------------------------------------
function expectUsageError(caseName, argsFor) {
  check(`options: ${caseName}`, () => {
    const out = freshDir('out', `opt_${safe(caseName)}`);
    const r = tool(argsFor(path.join(out, 'out.wasm')));
    expectStatus(r, 2);
    expectOneLine(r.stderr, 'wasm-ckpt: error:');
    expectEmptyDir(out);
  });
}
const input = () => need(fibWasm, 'fib_rec.wasm');
expectUsageError('unknown option', (o) => ['instrument', input(), '-o', o, '--bogus']);
expectUsageError('unknown global option', (o) => ['--bogus', 'instrument', input(), '-o', o]);
expectUsageError('unknown subcommand', (o) => ['frobnicate', input(), '-o', o]);
expectUsageError('no subcommand', () => []);
expectUsageError('missing -o', () => ['instrument', input()]);
expectUsageError('missing input', (o) => ['instrument', '-o', o]);
expectUsageError('--strategy bogus', (o) => ['instrument', input(), '-o', o, '--strategy', 'bogus']);
expectUsageError('-O 9', (o) => ['instrument', input(), '-o', o, '-O', '9']);
expectUsageError('-O abc', (o) => ['instrument', input(), '-o', o, '-O', 'abc']);
expectUsageError('resume without snapshot', (o) => ['resume', input(), '-o', o]);
expectUsageError('--exclude without a pattern', (o) => ['instrument', input(), '-o', o, '--exclude']);
expectUsageError('--exclude with two patterns', (o) => ['instrument', input(), '-o', o, '--exclude', '4', '5']);
expectUsageError('--huge-function-size -5', (o) => ['instrument', input(), '-o', o, '--huge-function-size', '-5']);
expectUsageError('--huge-function-size abc', (o) => ['instrument', input(), '-o', o, '--huge-function-size', 'abc']);
check('options: --functions and --exclude before the input take one pattern each', () => {
  const out = freshDir('out', 'opt_selection_first');
  const r = tool(['instrument', '--functions', '*', '--exclude', '_start', '--exclude', '4', input(),
                  '-o', path.join(out, 'out.wasm')]);
  expectStatus(r, 0);
  expect(fs.existsSync(path.join(out, 'out.wasm')), 'no output');
});

check('instrument: missing input file', () =>
  expectInstrumentFails('missing_input', path.join(IN, 'does-not-exist.wasm'), ['does-not-exist.wasm']));
check('instrument: output directory does not exist', () => {
  const r = tool(['instrument', input(), '-o', path.join(W, 'no', 'such', 'dir', 'out.wasm')]);
  expectStatus(r, 1);
  expectOneLine(r.stderr, 'wasm-ckpt: error:');
  expect(!fs.existsSync(path.join(W, 'no')), 'created directories');
});

// ---- run time: a real snapshot and its corruptions --------------------------------------------
const RT = freshDir('rt');
let fullOut = null, snapPath = null, otherSnap = null, partA = null;

check('setup: instrumented fib_rec runs like the original', () => {
  fs.copyFileSync(need(fibInst, 'instrumented fib_rec'), path.join(RT, 'fib.inst.wasm'));
  const orig = runModule(need(fibWasm, 'fib_rec.wasm'), {}, { cwd: RT });
  expectStatus(orig, 0, 'original: ');
  expect(orig.stdout.length > 0, 'original printed nothing');
  fullOut = orig.stdout;
  const inst = runModule('fib.inst.wasm', {}, { cwd: RT });
  expectStatus(inst, 0, 'instrumented: ');
  expect(inst.stdout === fullOut, 'instrumented stdout differs from the original');
});

check('run: checkpoint at poll 5000 (exit 75)', () => {
  need(fullOut, 'instrumented fib_rec');
  const r = runModule('fib.inst.wasm', { WASM_CKPT_AT: '5000', WASM_CKPT_FILE: 'snap.bin' }, { cwd: RT });
  expectStatus(r, 75);
  expect(fs.existsSync(path.join(RT, 'snap.bin')), 'no snapshot written');
  expect(!fs.readdirSync(RT).some((f) => f.includes('.tmp')), 'temporary file left behind');
  expect(r.stdout.length < fullOut.length && fullOut.startsWith(r.stdout),
         'stdout before the checkpoint is not a proper prefix of the full output');
  partA = r.stdout;
  snapPath = path.join(RT, 'snap.bin');
});

check('run: happy path (restore continues; stdout concatenates to the full run)', () => {
  need(snapPath, 'snapshot');
  const r = runModule('fib.inst.wasm', { WASM_CKPT_RESTORE: 'snap.bin' }, { cwd: RT });
  expectStatus(r, 0);
  expect(r.stderr === '', `stderr ${show(r.stderr)}`);
  expect(partA + r.stdout === fullOut, 'checkpointed + restored stdout differs from an uninterrupted run');
});

check('resume/inspect: happy path (baked module continues; inspect works)', () => {
  need(snapPath, 'snapshot');
  const out = freshDir('out', 'baked');
  const baked = path.join(out, 'baked.wasm');
  const r = tool(['resume', path.join(RT, 'fib.inst.wasm'), snapPath, '-o', baked]);
  expectStatus(r, 0, 'resume: ');
  const b = runModule(baked, {}, { runnerOpts: ['--no-dir', '--no-env'], cwd: RT });
  expectStatus(b, 0, 'baked module: ');
  expect(partA + b.stdout === fullOut, 'checkpointed + baked stdout differs from an uninterrupted run');
  // Only the memory, global and data sections and the wasm-ckpt section are written anew: the
  // code and everything else are the instrumented module's bytes.
  const named = (bytes, s) => {
    if (s.id !== 0) return String(s.id);
    const n = readLeb(bytes, s.start);
    return bytes.subarray(s.start + n.length, s.start + n.length + n.value).toString('latin1');
  };
  const kept = (bytes) => sections(bytes).filter((s) => !['5', '6', '11', 'wasm-ckpt'].includes(named(bytes, s)))
    .map((s) => bytes.subarray(s.at, s.end).toString('hex'));
  const [instBytes, bakedBytes] = [fs.readFileSync(path.join(RT, 'fib.inst.wasm')), fs.readFileSync(baked)];
  expect(JSON.stringify(kept(instBytes)) === JSON.stringify(kept(bakedBytes)),
         'resume rewrote sections other than memory, global, data and wasm-ckpt');
  expect(sections(instBytes).map((s) => named(instBytes, s)).join() === sections(bakedBytes).map((s) => named(bakedBytes, s)).join(),
         'resume changed the sections or their order');
  const again = path.join(out, 'again.wasm');
  expectStatus(tool(['resume', baked, snapPath, '-o', again]), 0, 'resume of the resumed module: ');
  expect(fs.readFileSync(again).equals(bakedBytes), 'baking the same snapshot into the resumed module changed it');
  const i = tool(['inspect', '-m', path.join(RT, 'fib.inst.wasm'), snapPath]);
  expectStatus(i, 0, 'inspect: ');
  expect(/5000/.test(i.stdout), 'inspect does not show the poll count');
  const j = tool(['inspect', '--json', snapPath]);
  expectStatus(j, 0, 'inspect --json: ');
  JSON.parse(j.stdout);
});

check('standard streams: "-" is standard input or output, and gives the same bytes as files', () => {
  need(snapPath, 'snapshot');
  const out = freshDir('out', 'streams');
  const bytes = (r) => Buffer.from(r.stdout, 'latin1');
  const inst = path.join(RT, 'fib.inst.wasm');
  const viaFiles = tool(['instrument', '--strategy', 'lean', need(fibWasm, 'fib_rec.wasm'), '-o', path.join(out, 'lean.wasm')]);
  expectStatus(viaFiles, 0, 'instrument to a file: ');
  const viaStreams = tool(['instrument', '--strategy', 'lean', '-', '-o', '-'], { cwd: out, input: fs.readFileSync(fibWasm) });
  expectStatus(viaStreams, 0, 'instrument - -o -: ');
  expect(bytes(viaStreams).equals(fs.readFileSync(path.join(out, 'lean.wasm'))), 'instrument: stdout differs from the file');
  expect(tool(['resume', inst, snapPath, '-o', path.join(out, 'baked.wasm')]).status === 0, 'resume to a file failed');
  const resumed = tool(['resume', '-', snapPath, '-o', '-'], { cwd: out, input: fs.readFileSync(inst) });
  expectStatus(resumed, 0, 'resume - SNAPSHOT -o -: ');
  expect(bytes(resumed).equals(fs.readFileSync(path.join(out, 'baked.wasm'))), 'resume: stdout differs from the file');
  const shown = tool(['inspect', '-m', inst, '-'], { input: fs.readFileSync(snapPath) });
  expectStatus(shown, 0, 'inspect -m MODULE -: ');
  expect(shown.stdout === tool(['inspect', '-m', inst, snapPath]).stdout, 'inspect: output differs from the file\'s');
  expect(!fs.existsSync(path.join(out, '-')), 'wrote a file named "-"');
  const both = tool(['resume', '-', '-', '-o', path.join(out, 'both.wasm')], { input: fs.readFileSync(inst) });
  expectStatus(both, 2, 'resume - -: ');
  expectOneLine(both.stderr, 'wasm-ckpt: error:');
});

check('setup: snapshot of another instrumented module (exit_code.c)', () => {
  const src = path.join(IN, 'exit_code.wasm'), inst = path.join(RT, 'other.inst.wasm');
  expectStatus(run(opts.clang, ['--target=wasm32-wasi', '--sysroot=/usr', '-O2',
                                path.join(opts.corpus, 'exit_code.c'), '-o', src]), 0, 'clang: ');
  expectStatus(tool(['instrument', src, '-o', inst]), 0, 'instrument: ');
  const r = runModule('other.inst.wasm', { WASM_CKPT_AT: '1000', WASM_CKPT_FILE: 'other.snap' }, { cwd: RT });
  expectStatus(r, 75, 'checkpoint: ');
  otherInst = inst;
  otherSnap = path.join(RT, 'other.snap');
});

// The snapshot's regions, from its header.
function regions(buf) {
  const framesSize = buf.readUInt32LE(56), globalsSize = buf.readUInt32LE(48), stored = buf.readUInt32LE(44);
  const files = 64, filesSize = buf.readUInt32LE(60);
  const frames = files + filesSize, globals = frames + framesSize, pages = globals + globalsSize;
  return { files, filesSize, framesSize, globalsSize, stored, frames, globals, pages };
}
const flip = (buf, at) => { const b = Buffer.from(buf); b[at] ^= 0x40; return b; };

// A copy with the checksum recomputed, for corruptions that must be caught by the structural
// checks rather than by the checksum.
const rechecksum = (buf) => fixSnapshotChecksum(Buffer.from(buf));
// Offsets of the frame records: [{at, func, resume, size}], outermost first.
function frameRecords(buf) {
  const out = [];
  const { frames, framesSize } = regions(buf);
  for (let at = frames; at < frames + framesSize;) {
    const size = buf.readUInt32LE(at + 8);
    out.push({ at, func: buf.readUInt32LE(at), resume: buf.readUInt32LE(at + 4), size });
    at += 12 + size;
  }
  return out;
}
function edited(s, fn) { const b = Buffer.from(s); fn(b); return rechecksum(b); }
const lastFrame = (s) => frameRecords(s).at(-1).at;

// [name, (snapshot) => Buffer | null (null: no file), inspect, message]; inspect says what
// `inspect` must do: 'invalid' (refuse, with or without --module), 'foreign' (refuse with
// --module: the snapshot is well-formed but belongs to another module), 'misfit' (well-formed,
// but its frames do not fit the module: refused with --module). `message` is what `inspect` and
// `resume` say when they refuse it.
const VARIANTS = [
  ['empty file', () => Buffer.alloc(0), 'invalid', /snapshot is truncated \(0 bytes, the header alone is 64\)$/],
  ['truncated to 10 bytes', (s) => s.subarray(0, 10), 'invalid', /snapshot is truncated \(10 bytes, the header alone is 64\)$/],
  ['truncated to 63 bytes', (s) => s.subarray(0, 63), 'invalid', /snapshot is truncated \(63 bytes, the header alone is 64\)$/],
  ['truncated to the header (64 bytes)', (s) => s.subarray(0, 64), 'invalid', /snapshot is truncated \(64 of \d+ bytes\)$/],
  ['truncated inside the files section', (s) => s.subarray(0, 64 + 8), 'invalid', /snapshot is truncated \(72 of \d+ bytes\)$/],
  ['truncated inside the frames', (s) => s.subarray(0, regions(s).frames + (regions(s).framesSize >> 1)), 'invalid', /snapshot is truncated \(\d+ of \d+ bytes\)$/],
  ['truncated inside the first page', (s) => s.subarray(0, regions(s).pages + 4 + 30000), 'invalid', /snapshot is truncated \(\d+ of \d+ bytes\)$/],
  ['truncated by one page', (s) => s.subarray(0, s.length - 65536), 'invalid', /snapshot is truncated \(\d+ of \d+ bytes\)$/],
  ['truncated by one byte', (s) => s.subarray(0, s.length - 1), 'invalid', /snapshot is truncated \(\d+ of \d+ bytes\)$/],
  ['truncated by 4 bytes', (s) => s.subarray(0, s.length - 4), 'invalid', /snapshot is truncated \(\d+ of \d+ bytes\)$/],
  ['one trailing byte added', (s) => Buffer.concat([s, Buffer.from([0])]), 'invalid', /snapshot is corrupted \(section sizes do not add up\)$/],
  ['flipped byte in the files section', (s) => flip(s, regions(s).files + 1), 'invalid', /snapshot is corrupted \(checksum mismatch\)$/],
  ['flipped byte in the frames', (s) => flip(s, regions(s).frames + (regions(s).framesSize >> 1)), 'invalid', /snapshot is corrupted \(checksum mismatch\)$/],
  ['flipped byte in a frame header', (s) => flip(s, regions(s).frames + 4), 'invalid', /snapshot is corrupted \(checksum mismatch\)$/],
  ['flipped byte in the globals', (s) => flip(s, regions(s).globals), 'invalid', /snapshot is corrupted \(checksum mismatch\)$/],
  ['flipped byte in a memory page', (s) => flip(s, regions(s).pages + 4 + 1000), 'invalid', /snapshot is corrupted \(checksum mismatch\)$/],
  ['flipped byte in the last memory page', (s) => flip(s, s.length - 7), 'invalid', /snapshot is corrupted \(checksum mismatch\)$/],
  ['flipped byte in the page table', (s) => flip(s, regions(s).pages), 'invalid', /snapshot is corrupted \(checksum mismatch\)$/],
  ['flipped poll count', (s) => flip(s, 32), 'invalid', /snapshot is corrupted \(checksum mismatch\)$/],
  ['version field changed', (s) => { const b = Buffer.from(s); b.writeUInt32LE(3, 8); return b; }, 'invalid', /unsupported snapshot format version 3 \(this tool reads versions 1 and 2\)$/],
  ['version 1 (no files section) with a files section', (s) => edited(s, (b) => b.writeUInt32LE(1, 8)), 'invalid', /snapshot is corrupted \(section sizes do not add up\)$/],
  ['checksum fixed: files size field changed', (s) => edited(s, (b) => b.writeUInt32LE(b.readUInt32LE(60) + 4, 60)), 'invalid', /snapshot is truncated \(\d+ of \d+ bytes\)$/],
  ['checksum fixed: file record count', (s) => edited(s, (b) => b.writeUInt32LE(b.readUInt32LE(72) + 1, 72)), 'invalid', /snapshot is corrupted \(file records\)$/],
  ['header size field changed', (s) => { const b = Buffer.from(s); b.writeUInt32LE(60, 12); return b; }, 'invalid', /snapshot is corrupted \(header size\)$/],
  ['magic changed', (s) => flip(s, 0), 'invalid', /not a wasm-ckpt snapshot \(bad magic\)$/],
  ['module hash changed (bytes 16..23)', (s) => {
    const b = Buffer.from(s); for (let i = 16; i < 24; i++) b[i] ^= 0x5a; return b;
  }, 'foreign', /the snapshot was taken from another module$/],
  ['snapshot of another module', () => fs.readFileSync(need(otherSnap, 'other snapshot')), 'foreign', /the snapshot was taken from another module$/],
  ['missing file', () => null, 'invalid', /cannot read '[^']*missing_file\.snap': No such file or directory$/],
  // Well-formed files (checksum recomputed) whose contents do not fit.
  ['checksum fixed: frame count + 1', (s) => edited(s, (b) => b.writeUInt32LE(b.readUInt32LE(52) + 1, 52)), 'invalid', /snapshot is corrupted \(frame records\): 4 bytes needed at offset \d+, 0 left$/],
  ['checksum fixed: frame count 1', (s) => edited(s, (b) => b.writeUInt32LE(1, 52)), 'invalid', /snapshot is corrupted \(frame records\)$/],
  ['checksum fixed: frame count 0', (s) => edited(s, (b) => b.writeUInt32LE(0, 52)), 'invalid', /snapshot is corrupted \(section sizes do not add up\)$/],
  ['checksum fixed: page index out of range', (s) => edited(s, (b) => b.writeUInt32LE(b.readUInt32LE(40) + 3, regions(s).pages)), 'invalid', /snapshot is corrupted \(page table\)$/],
  ['checksum fixed: stored pages > memory pages', (s) => edited(s, (b) => b.writeUInt32LE(b.readUInt32LE(44) - 1, 40)), 'invalid', /snapshot is corrupted \(section sizes do not add up\)$/],
  ['checksum fixed: innermost frame names no function', (s) => edited(s, (b) => b.writeUInt32LE(9999, lastFrame(s))), 'misfit',
    /snapshot frame #\d+ names no instrumented function$/],
  ['checksum fixed: innermost frame resume id 0', (s) => edited(s, (b) => b.writeUInt32LE(0, lastFrame(s) + 4)), 'misfit',
    /snapshot frame #\d+ resumes at point 0, the function has \d+ \(function '[^']+'\)$/],
  ['checksum fixed: innermost frame resume id too large', (s) => edited(s, (b) => b.writeUInt32LE(9999, lastFrame(s) + 4)), 'misfit',
    /snapshot frame #\d+ resumes at point 9999, the function has \d+ \(function '[^']+'\)$/],
  ['checksum fixed: outermost frame names another function', (s) => edited(s, (b) => {
    const [outer, inner] = frameRecords(s);
    b.writeUInt32LE(inner.func === outer.func ? outer.func + 1 : inner.func, outer.at);
  }), 'misfit', /snapshot frame #0 holds \d+ bytes of locals, the function \d+ \(function '[^']+'\)$/],
];

const BAD = freshDir('rt', 'bad');
for (const [name, make, inspect, message] of VARIANTS) {
  const file = path.join(BAD, `${safe(name)}.snap`);
  const rel = path.relative(RT, file);
  let made = false;
  const prepare = () => {
    if (made) return;
    const bytes = make(fs.readFileSync(need(snapPath, 'snapshot')));
    if (bytes) fs.writeFileSync(file, bytes);
    made = true;
  };
  check(`restore refuses: ${name}`, () => {
    prepare();
    const r = runModule('fib.inst.wasm', { WASM_CKPT_RESTORE: rel }, { cwd: RT });
    expectStatus(r, 65);
    expectOneLine(r.stderr, 'wasm-ckpt: ');
    expect(r.stdout === '', `the program ran: stdout ${show(r.stdout, 120)}`);
  });
  // The tool's one-line refusal, with the variant's message.
  const expectRefusal = (r) => {
    expectStatus(r, 1);
    const line = expectOneLine(r.stderr, 'wasm-ckpt: error:');
    expect(message.test(line), `error does not match ${message}: ${show(line)}`);
  };
  check(`resume refuses: ${name}`, () => {
    prepare();
    const out = freshDir('out', `resume_${safe(name)}`);
    expectRefusal(tool(['resume', path.join(RT, 'fib.inst.wasm'), file, '-o', path.join(out, 'r.wasm')]));
    expectEmptyDir(out);
  });
  const inspectRefuses = (args) => {
    prepare();
    const r = tool(['inspect', ...args, file]);
    expectRefusal(r);
    expect(r.stdout === '', `stdout ${show(r.stdout, 120)}`);
  };
  const modArgs = () => ['-m', path.join(RT, 'fib.inst.wasm')];
  check(`inspect --module refuses: ${name}`, () => inspectRefuses(modArgs()));
  if (inspect === 'invalid')
    check(`inspect refuses: ${name}`, () => inspectRefuses(['--json']));
}

check('restore refuses: more memory than the program\'s declared maximum (checksum fixed)', () => {
  const src = path.join(IN, 'fib_max.wasm');
  expectStatus(run(opts.clang, ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-Wl,--max-memory=4194304',
                                path.join(opts.corpus, 'fib_rec.c'), '-o', src]), 0, 'clang: ');
  expectStatus(tool(['instrument', src, '-o', path.join(RT, 'fib_max.inst.wasm')]), 0, 'instrument: ');
  expectStatus(runModule('fib_max.inst.wasm', { WASM_CKPT_AT: '5000', WASM_CKPT_FILE: 'max.snap' }, { cwd: RT }), 75, 'checkpoint: ');
  const snap = fs.readFileSync(path.join(RT, 'max.snap'));
  fs.writeFileSync(path.join(RT, 'max65.snap'), edited(snap, (b) => b.writeUInt32LE(65, 40))); // 64 pages allowed
  const r = runModule('fib_max.inst.wasm', { WASM_CKPT_RESTORE: 'max65.snap' }, { cwd: RT });
  expectStatus(r, 65);
  expectOneLine(r.stderr, 'wasm-ckpt: ');
  expect(r.stderr.includes('more memory than the program may have'), `stderr ${show(r.stderr)}`);
  expect(r.stdout === '', `the program ran: stdout ${show(r.stdout, 120)}`);
  expectStatus(runModule('fib_max.inst.wasm', { WASM_CKPT_RESTORE: 'max.snap' }, { cwd: RT }), 0, 'unedited snapshot: ');
});

// `resume` and `inspect --module` apply the run-time reader's checks: no module is baked that
// no engine accepts, or that fails only when it runs.
function expectResumeRefuses(caseName, inst, snap, mentions) {
  const out = freshDir('out', `resume_${safe(caseName)}`);
  const r = tool(['resume', inst, snap, '-o', path.join(out, 'r.wasm')]);
  expectStatus(r, 1);
  const line = expectOneLine(r.stderr, 'wasm-ckpt: error:');
  for (const m of mentions) expect(m.test(line), `error does not mention ${m}: ${show(line)}`);
  expectEmptyDir(out);
  const i = tool(['inspect', '-m', inst, snap]);
  expectStatus(i, 1, 'inspect --module: ');
  const iline = expectOneLine(i.stderr, 'wasm-ckpt: error:', 'inspect --module: ');
  for (const m of mentions) expect(m.test(iline), `inspect's error does not mention ${m}: ${show(iline)}`);
}
check('resume refuses: more memory than the program\'s declared maximum (checksum fixed)', () => {
  expect(fs.existsSync(path.join(RT, 'max65.snap')), 'prerequisite missing: max65.snap');
  expectResumeRefuses('max65', path.join(RT, 'fib_max.inst.wasm'), path.join(RT, 'max65.snap'),
                      [/more memory than the program may have/, /65 pages/, /maximum is 64/]);
  const out = freshDir('out', 'resume_max64');
  expectStatus(tool(['resume', path.join(RT, 'fib_max.inst.wasm'), path.join(RT, 'max.snap'), '-o', path.join(out, 'r.wasm')]),
               0, 'the unedited snapshot: ');
});
check('resume refuses: 65,537 memory pages (checksum fixed)', () => {
  const snap = path.join(BAD, 'pages65537.snap');
  fs.writeFileSync(snap, edited(fs.readFileSync(need(snapPath, 'snapshot')), (b) => b.writeUInt32LE(65537, 40)));
  expectResumeRefuses('pages65537', path.join(RT, 'fib.inst.wasm'), snap, [/65537 memory pages/, /65536/]);
  const r = tool(['inspect', snap]);
  expectStatus(r, 1, 'inspect: ');
  expectOneLine(r.stderr, 'wasm-ckpt: error:', 'inspect: ');
});
check('resume refuses: the innermost frame at a call (checksum fixed)', () => {
  // Dropping the innermost frame leaves one that resumes at the call into it.
  const s = fs.readFileSync(need(snapPath, 'snapshot'));
  const frames = frameRecords(s);
  expect(frames.length >= 2, `expected a snapshot with nested frames, got ${frames.length}`);
  const last = frames.at(-1), cut = 12 + last.size;
  const b = Buffer.concat([s.subarray(0, last.at), s.subarray(last.at + cut)]);
  b.writeUInt32LE(frames.length - 1, 52);
  b.writeUInt32LE(regions(s).framesSize - cut, 56);
  const snap = path.join(BAD, 'no_innermost.snap');
  fs.writeFileSync(snap, rechecksum(b));
  expectResumeRefuses('no_innermost', path.join(RT, 'fib.inst.wasm'), snap, [/innermost frame must resume at a poll point/]);
  const r = runModule('fib.inst.wasm', { WASM_CKPT_RESTORE: path.relative(RT, snap) }, { cwd: RT });
  expectStatus(r, 65, 'the run-time reader: ');
});
check('inspect, resume: a directory as input', () => {
  const inst = path.join(RT, 'fib.inst.wasm'), snap = need(snapPath, 'snapshot');
  const out = freshDir('out', 'dir_inputs');
  for (const args of [['inspect', IN], ['inspect', '-m', IN, snap], ['resume', inst, IN, '-o', path.join(out, 'r.wasm')],
                      ['resume', IN, snap, '-o', path.join(out, 'r.wasm')]]) {
    const r = tool(args);
    expectStatus(r, 1, `${args.join(' ')}: `);
    const line = expectOneLine(r.stderr, 'wasm-ckpt: error:', `${args.join(' ')}: `);
    expect(line.includes(`'${IN}'`) && /is a directory/i.test(line), `${args.join(' ')}: ${show(line)}`);
  }
  expectEmptyDir(out);
});

// -o onto what is not a regular file: written into, never replaced; a symbolic link is followed
// and stays.
check('output: -o onto a FIFO writes into it', () => {
  const out = freshDir('out', 'fifo');
  const fifo = path.join(out, 'pipe'), got = path.join(out, 'got.wasm');
  expectStatus(run('mkfifo', [fifo]), 0, 'mkfifo: ');
  const r = run('sh', ['-c', 'cat "$1" > "$2" & "$3" instrument "$4" -o "$1"; s=$?; wait; exit $s', 'sh',
                       fifo, got, opts.tool, path.join(IN, 'small.wasm')]);
  expectStatus(r, 0);
  expect(fs.lstatSync(fifo).isFIFO(), 'the FIFO was replaced');
  expect(WebAssembly.validate(fs.readFileSync(got)), 'the reader did not get the module');
  expect(fs.readdirSync(out).sort().join() === 'got.wasm,pipe', `files left: ${fs.readdirSync(out).join(', ')}`);
  // A device node, where one can be made (as root): /dev/null's numbers.
  const dev = path.join(out, 'null');
  if (run('mknod', [dev, 'c', '1', '3']).status === 0) {
    expectStatus(tool(['instrument', path.join(IN, 'small.wasm'), '-o', dev]), 0, '-o onto a device: ');
    expect(fs.lstatSync(dev).isCharacterDevice(), 'the device node was replaced');
  }
});
check('output: -o onto a symbolic link replaces its target, keeps the link and the mode', () => {
  const out = freshDir('out', 'symlink');
  const real = path.join(out, 'real.wasm'), link = path.join(out, 'link.wasm');
  fs.writeFileSync(real, 'old');
  fs.chmodSync(real, 0o640);
  fs.symlinkSync('real.wasm', link);
  const r = tool(['resume', path.join(RT, 'fib.inst.wasm'), need(snapPath, 'snapshot'), '-o', link]);
  expectStatus(r, 0);
  expect(fs.lstatSync(link).isSymbolicLink(), 'the symbolic link was replaced');
  expect(WebAssembly.validate(fs.readFileSync(real)), 'the link\'s target does not hold the module');
  expect((fs.statSync(real).mode & 0o777) === 0o640, `mode ${(fs.statSync(real).mode & 0o777).toString(8)}, not 640`);
  const dangling = path.join(out, 'dangling.wasm');
  fs.symlinkSync('new.wasm', dangling);
  expectStatus(tool(['instrument', path.join(IN, 'small.wasm'), '-o', dangling]), 0, '-o onto a dangling link: ');
  expect(fs.lstatSync(dangling).isSymbolicLink() && WebAssembly.validate(fs.readFileSync(path.join(out, 'new.wasm'))),
         'a dangling link was not followed');
  expect(fs.readdirSync(out).sort().join() === 'dangling.wasm,link.wasm,new.wasm,real.wasm',
         `files left: ${fs.readdirSync(out).join(', ')}`);
});
check('output: -o onto a directory', () => {
  const out = freshDir('out', 'into_dir');
  const r = tool(['instrument', path.join(IN, 'small.wasm'), '-o', out]);
  expectStatus(r, 1);
  expect(/is a directory/i.test(expectOneLine(r.stderr, 'wasm-ckpt: error:')), `stderr ${show(r.stderr)}`);
  expectEmptyDir(out);
});

check('resume refuses: a module that is not instrumented', () =>
  expectResumeRefuses('plain', need(fibWasm, 'fib_rec.wasm'), need(snapPath, 'snapshot'), [/not instrumented by wasm-ckpt$/]));
// `resume` copies the module's code as it is: only a module as `instrument` (or `resume`) wrote it.
check('resume refuses: a module changed after instrumentation, a text module', () => {
  const out = freshDir('out', 'resume_changed');
  const changed = path.join(BAD, 'changed.inst.wasm'), text = path.join(BAD, 'inst.wat');
  // An empty custom section appended: a valid module, no longer the bytes instrumentation wrote.
  fs.writeFileSync(changed, Buffer.concat([fs.readFileSync(path.join(RT, 'fib.inst.wasm')), Buffer.from([0, 2, 1, 0x78])]));
  fs.writeFileSync(text, '(module)');
  for (const [module, message] of [[changed, /^wasm-ckpt: error: the module was changed since it was instrumented \(its content hash is [0-9a-f]{16}, instrumentation recorded [0-9a-f]{16}\)$/],
                                   [text, /^wasm-ckpt: error: the module is not a binary module \(`wasm-ckpt instrument` writes binary modules\)$/]]) {
    const r = tool(['resume', module, need(snapPath, 'snapshot'), '-o', path.join(out, 'r.wasm')]);
    expectStatus(r, 1);
    const line = expectOneLine(r.stderr, 'wasm-ckpt: error:');
    expect(message.test(line), `stderr ${show(line)}`);
  }
  expectEmptyDir(out);
});
// A module that keeps its rewind copies aside gets them back from its own section at `resume`:
// the seal covers that section too.
check('resume refuses: a module whose stored rewind copies were changed', () => {
  const out = freshDir('out', 'resume_stored');
  const stored = path.join(BAD, 'fib.stored.wasm'), changed = path.join(BAD, 'fib.stored.changed.wasm');
  expectStatus(tool(['instrument', need(fibWasm, 'fib_rec.wasm'), '-o', stored, '--strategy', 'lean', '--rewind-copies=stored']), 0);
  const snap = path.join(BAD, 'fib.stored.snap');
  expectStatus(runModule(stored, { WASM_CKPT_AT: '5000', WASM_CKPT_FILE: path.relative(W, snap) }), 75);
  const bytes = Buffer.from(fs.readFileSync(stored));
  const name = Buffer.from('\x10wasm-ckpt.rewind', 'latin1');
  const section = sections(bytes).find((s) => s.id === 0 && bytes.subarray(s.start, s.start + name.length).equals(name));
  expect(section, 'no wasm-ckpt.rewind section');
  bytes[section.end - 2] ^= 0x01; // inside the last stored body
  fs.writeFileSync(changed, bytes);
  const r = tool(['resume', changed, snap, '-o', path.join(out, 'r.wasm')]);
  expectStatus(r, 1);
  const line = expectOneLine(r.stderr, 'wasm-ckpt: error:');
  expect(/^wasm-ckpt: error: the module was changed since it was instrumented \(its content hash is [0-9a-f]{16}, instrumentation recorded [0-9a-f]{16}\)$/.test(line),
         `stderr ${show(line)}`);
  expectEmptyDir(out);
  expectStatus(tool(['resume', stored, snap, '-o', path.join(out, 'r.wasm')]), 0, 'the unchanged module: ');
});
// The other direction: fib's snapshot with the other module.
check('resume refuses: the snapshot of another module', () =>
  expectResumeRefuses('cross', need(otherInst, 'other module'), need(snapPath, 'snapshot'),
                      [/the snapshot was taken from another module$/]));

// ---- run time: bad settings ---------------------------------------------------------------------
check('run: WASM_CKPT_FILE outside any preopened directory (--no-dir)', () => {
  need(fibInst, 'instrumented fib_rec');
  const d = freshDir('rt', 'nodir');
  fs.copyFileSync(path.join(RT, 'fib.inst.wasm'), path.join(d, 'fib.inst.wasm'));
  const r = runModule('fib.inst.wasm', { WASM_CKPT_AT: '5000', WASM_CKPT_FILE: 'snap.bin' },
                      { runnerOpts: ['--no-dir'], cwd: d });
  expect(!r.timedOut && r.signal === null, `crashed (${describe(r)})`);
  expectStatus(r, 74); // EXIT_IO_ERROR: the snapshot could not be written
  const line = expectOneLine(r.stderr, 'wasm-ckpt: ');
  expect(/preopen/.test(line) && line.includes("'snap.bin'"), `the message does not name the path: ${show(line)}`);
  expect(fs.readdirSync(d).join() === 'fib.inst.wasm', `files written: ${fs.readdirSync(d).join(', ')}`);
});
check('run: WASM_CKPT_FILE absolute path outside the preopened directory', () => {
  need(fibInst, 'instrumented fib_rec');
  const r = runModule('fib.inst.wasm', { WASM_CKPT_AT: '5000', WASM_CKPT_FILE: '/wasm-ckpt-no-such-dir/snap.bin' },
                      { cwd: RT });
  expect(!r.timedOut && r.signal === null, `crashed (${describe(r)})`);
  expectStatus(r, 74); // EXIT_IO_ERROR: the snapshot could not be written
  const line = expectOneLine(r.stderr, 'wasm-ckpt: ');
  expect(line.includes("'/wasm-ckpt-no-such-dir/snap.bin'"), `the message does not name the path: ${show(line)}`);
});
check('run: WASM_CKPT_RESTORE outside any preopened directory (--no-dir)', () => {
  need(snapPath, 'snapshot');
  const r = runModule('fib.inst.wasm', { WASM_CKPT_RESTORE: 'snap.bin' }, { runnerOpts: ['--no-dir'], cwd: RT });
  expectStatus(r, 65);
  expectOneLine(r.stderr, 'wasm-ckpt: ');
  expect(r.stdout === '', `the program ran: stdout ${show(r.stdout, 120)}`);
});
// docs/runtime-contract.md: a malformed variable exits 64 before the program runs.
for (const value of ['abc', '12abc', '-5', '99999999999999999999999']) {
  check(`run: WASM_CKPT_AT=${value}`, () => {
    need(fibInst, 'instrumented fib_rec');
    const r = runModule('fib.inst.wasm', { WASM_CKPT_AT: value }, { cwd: RT });
    expectStatus(r, 64);
    const line = expectOneLine(r.stderr, 'wasm-ckpt: ');
    expect(line.includes('WASM_CKPT_AT') && line.includes(`'${value}'`),
           `the message does not name WASM_CKPT_AT and quote its value: ${show(line)}`);
    expect(r.stdout === '', `the program ran: stdout ${show(r.stdout, 120)}`);
  });
}
check('run: WASM_CKPT_RESTORE path too long', () => {
  need(fibInst, 'instrumented fib_rec');
  const r = runModule('fib.inst.wasm', { WASM_CKPT_RESTORE: 'x'.repeat(600) }, { cwd: RT });
  expect(!r.timedOut && r.signal === null, `crashed (${describe(r)})`);
  expect(r.status === 64 || r.status === 65, `expected exit 64 or 65, got ${describe(r)}`);
  expectOneLine(r.stderr, 'wasm-ckpt: ');
  expect(r.stdout === '', `the program ran: stdout ${show(r.stdout, 120)}`);
});

console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
