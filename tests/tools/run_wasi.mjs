#!/usr/bin/env node
// run_wasi.mjs — minimal WASI (preview1) command runner for Node 20.
//
// Usage:
//   node --no-warnings tests/tools/run_wasi.mjs [options] module.wasm [args...]
// Options (must come before the module path):
//   --dir HOST[:GUEST]        preopen HOST as guest path GUEST (default GUEST = HOST)
//   --no-dir                  no preopens at all (default preopen is '.' -> cwd)
//   --env KEY=VALUE           add a variable to the module's environment
//   --inherit-env-prefix P    inherit host variables whose name starts with P
//                             (default prefix: WASM_CKPT_)
//   --no-env                  inherit no host variables (--env still applies)
//   --stack-size-mb N         run the module in a worker thread whose stack is
//                             N MiB (node's main thread allows ~1 MiB of
//                             engine stack: 3000-18000 frames of -O0 code,
//                             depending on the frame; costs ~30 ms)
//   --fuzzing-imports         also provide the "fuzzing-support" log-i32/i64/f32/f64
//                             imports of `wasm-opt -ttf` modules: one line each to stdout
//                             (a NaN as "nan")
//   --host-callbacks          also provide env.call_cb(n), a host function that calls
//                             the module's export cb(n) and returns its result (a
//                             host frame between two of the module's frames)
//   --engine-info             print "node <version> <arch>" and exit 0
//   --                        end of options
// Exit status: the module's exit code; 134 on a trap / link error / other
// runtime failure; 2 on a usage error or a missing / invalid module.

import { WASI } from 'node:wasi';
import { readFileSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { Worker, isMainThread, workerData, parentPort } from 'node:worker_threads';

// One-line error to stderr, then exit with `code`.  writeSync so nothing is
// lost when we exit right after.
function die(code, msg) {
  writeSync(2, `run_wasi: ${msg}\n`);
  process.exit(code);
}

// ---- argument parsing -------------------------------------------------------
// Parses process.argv; exits with status 2 on a usage error.
function parseArgs() {
  const argv = process.argv.slice(2);
  const dirs = [];            // [host, guest] pairs
  const extraEnv = {};
  let noDir = false, noEnv = false, envPrefix = 'WASM_CKPT_', stackMb, fuzzing = false, hostCallbacks = false;
  let i = 0;
  function optArg(name) {
    if (i + 1 >= argv.length) die(2, `${name} needs an argument`);
    return argv[++i];
  }
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { i++; break; }
    if (!a.startsWith('--')) break;           // first non-option: the module
    if (a === '--dir') {
      const v = optArg(a);
      const c = v.indexOf(':');
      dirs.push(c < 0 ? [v, v] : [v.slice(0, c), v.slice(c + 1)]);
    } else if (a === '--no-dir') {
      noDir = true;
    } else if (a === '--env') {
      const v = optArg(a);
      const e = v.indexOf('=');
      if (e <= 0) die(2, `--env expects KEY=VALUE, got '${v}'`);
      extraEnv[v.slice(0, e)] = v.slice(e + 1);
    } else if (a === '--inherit-env-prefix') {
      envPrefix = optArg(a);
    } else if (a === '--no-env') {
      noEnv = true;
    } else if (a === '--stack-size-mb') {
      stackMb = Number(optArg(a));
      if (!(stackMb > 0)) die(2, '--stack-size-mb expects a positive number');
    } else if (a === '--fuzzing-imports') {
      fuzzing = true;
    } else if (a === '--host-callbacks') {
      hostCallbacks = true;
    } else if (a === '--engine-info') {
      writeSync(1, `node ${process.version} ${process.arch}\n`);
      process.exit(0);
    } else {
      die(2, `unknown option '${a}'`);
    }
  }
  if (i >= argv.length) die(2, 'usage: run_wasi.mjs [options] module.wasm [args...]');
  const modPath = argv[i];
  const modArgs = argv.slice(i + 1);

  // WASI configuration.  Preopens map guest path -> host path.
  const preopens = {};
  if (dirs.length > 0) for (const [host, guest] of dirs) preopens[guest] = host;
  else if (!noDir) preopens['.'] = process.cwd();

  const env = {};
  if (!noEnv)   // sorted, so the module sees the same order on every run
    for (const k of Object.keys(process.env).sort())
      if (k.startsWith(envPrefix)) env[k] = process.env[k];
  Object.assign(env, extraEnv);
  return { modPath, modArgs, env, preopens, stackMb, fuzzing, hostCallbacks };
}

// The logging imports of Binaryen's random modules.
function fuzzingImports() {
  const show = (v) => (Number.isNaN(v) ? 'nan' : Object.is(v, -0) ? '-0' : String(v));
  const log = (type) => (v) => writeSync(1, `${type} ${typeof v === 'bigint' ? v : show(v)}\n`);
  return { 'fuzzing-support': { 'log-i32': log('i32'), 'log-i64': log('i64'), 'log-f32': log('f32'), 'log-f64': log('f64') } };
}

// ---- load, instantiate, run ---------------------------------------------------
// Returns {code} (the module's exit code) or {fail, msg} (exit status + message).
// Used both on the main thread and inside the worker of --stack-size-mb.
async function runModule({ modPath, modArgs, env, preopens, fuzzing, hostCallbacks }) {
  let bytes;
  try {
    bytes = readFileSync(modPath);
  } catch (e) {
    return { fail: 2, msg: `cannot read '${modPath}': ${e.code || e.message}` };
  }
  if (bytes.length < 8 || bytes.readUInt32BE(0) !== 0x0061736d)
    return { fail: 2, msg: `'${modPath}' is not a WebAssembly module` };

  let module;
  try {
    module = await WebAssembly.compile(bytes);
  } catch (e) {
    return { fail: 2, msg: `invalid module '${modPath}': ${e.message}` };
  }

  const wasi = new WASI({
    version: 'preview1',
    args: [basename(modPath), ...modArgs],
    env,
    preopens,
    returnOnExit: true,   // proc_exit makes start() return its code instead of killing node
  });
  try {
    const imports = fuzzing ? { ...wasi.getImportObject(), ...fuzzingImports() } : wasi.getImportObject();
    let instance;
    if (hostCallbacks) imports.env = { call_cb: (n) => instance.exports.cb(n) };
    instance = await WebAssembly.instantiate(module, imports);
    // start() calls _start and returns the proc_exit code (0 if _start returns).
    return { code: wasi.start(instance) };
  } catch (e) {
    // RuntimeError (trap), LinkError (missing import), RangeError (engine stack
    // overflow), TypeError (no _start / memory export) ...
    const msg = String(e && e.message !== undefined ? e.message : e).split('\n')[0];
    return { fail: 134, msg: `${e && e.name ? e.name + ': ' : ''}${msg}` };
  }
}

// The module writes to fd 1/2 directly and synchronously, so nothing is
// buffered on the JS side: setting exitCode and letting node exit is enough.
function finish(r) {
  if (r.fail !== undefined) die(r.fail, r.msg);
  process.exitCode = r.code;
}

if (!isMainThread) {
  // Worker started by --stack-size-mb: run and report back to the main thread.
  parentPort.postMessage(await runModule(workerData));
} else {
  const config = parseArgs();
  if (config.stackMb === undefined) {
    finish(await runModule(config));
  } else {
    // stdout/stderr: true keeps node from piping the worker's JS stdio into
    // process.stdout/stderr: creating those streams would switch fds 1/2 to
    // non-blocking mode, and the module's direct writes would then fail with
    // EAGAIN (lost output) on a slow pipe.  The module writes fds 1/2 itself.
    const w = new Worker(new URL(import.meta.url), {
      workerData: config,
      resourceLimits: { stackSizeMb: config.stackMb },
      stdout: true,
      stderr: true,
    });
    let result = { fail: 134, msg: 'worker ended without a result' };
    w.on('message', (r) => { result = r; });
    w.on('error', (e) => { result = { fail: 134, msg: `worker: ${e.message}` }; });
    w.on('exit', () => finish(result));
  }
}
