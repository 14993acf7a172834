#!/usr/bin/env node
// runner.mjs — runs one WASI (preview 1) module under Node for the benchmark harness and records
// timestamps. Like tests/tools/run_wasi.mjs (preopens the current directory as '.', passes the
// WASM_CKPT_* variables of its environment to the module), plus:
//   - a no-op env.safepoint import when the module asks for one (the Asyncify baseline);
//   - --report FILE: writes JSON timestamps (CLOCK_MONOTONIC milliseconds, the same clock as
//     process.hrtime in the harness, so they compare across processes):
//       runnerStart, compiled, instantiated, startBegin, startEnd, exitCode
//   - --probe: also watches the WASI calls the wasm-ckpt run-time code makes, adding
//       triggerSeen  first path_filestat_get of $WASM_CKPT_TRIGGER that succeeded: the poll point
//                    that saw the stop request (the checkpoint starts right after it returns)
//       renameDone   path_rename returned: the snapshot is durable (written, fd_sync'ed, renamed)
//       exitCalled   proc_exit was called (with exitCalledCode)
//       restored     first write to stderr containing "restored" (WASM_CKPT_VERBOSE=1 message,
//                    written once the rewound stack reached its poll point and memory is back)
//       slowPaths    calls to clock_time_get: with WASM_CKPT_TRIGGER set, one per slow path of a
//                    poll (plus the program's own, if it reads a clock)
//       slowPathGaps the ten longest times between two of them, in ms, longest first
//     The wrappers cost a JS call per WASI call; the timing runs (no --probe) have none.
//
// usage: node --no-warnings bench/runner.mjs [--report FILE] [--probe] module.wasm [args...]
// Exit status: the module's exit code; 134 on a trap or other failure.
import { WASI } from 'node:wasi';
import { readFileSync, writeFileSync, writeSync } from 'node:fs';
import { basename } from 'node:path';

const now = () => Number(process.hrtime.bigint()) / 1e6;
const times = { runnerStart: now() };
const argv = process.argv.slice(2);
let reportPath = null;
let probe = false;
while (argv.length && argv[0].startsWith('--')) {
  const a = argv.shift();
  if (a === '--report') reportPath = argv.shift();
  else if (a === '--probe') probe = true;
  else if (a === '--') break;
  else {
    writeSync(2, `runner: unknown option ${a}\n`);
    process.exit(2);
  }
}
const modPath = argv.shift();
const env = {};
for (const k of Object.keys(process.env).sort()) if (k.startsWith('WASM_CKPT_')) env[k] = process.env[k];

function report() {
  if (reportPath) writeFileSync(reportPath, JSON.stringify(times));
}

let code;
try {
  const module = await WebAssembly.compile(readFileSync(modPath));
  times.compiled = now();
  const wasi = new WASI({ version: 'preview1', args: [basename(modPath), ...argv], env, preopens: { '.': process.cwd() }, returnOnExit: true });
  const imports = wasi.getImportObject();
  if (WebAssembly.Module.imports(module).some((i) => i.module === 'env' && i.name === 'safepoint'))
    imports.env = { safepoint() {} };
  let memory = null;
  if (probe) {
    const w = { ...imports.wasi_snapshot_preview1 };
    const text = (ptr, len) => Buffer.from(memory.buffer, ptr, len).toString('latin1');
    const trigger = env.WASM_CKPT_TRIGGER;
    const orig = imports.wasi_snapshot_preview1;
    w.path_filestat_get = (fd, flags, ptr, len, buf) => {
      const r = orig.path_filestat_get(fd, flags, ptr, len, buf);
      if (r === 0 && trigger && times.triggerSeen === undefined && trigger.endsWith(text(ptr, len).replace(/^\.\//, '')))
        times.triggerSeen = now();
      return r;
    };
    w.path_rename = (...a) => {
      const r = orig.path_rename(...a);
      if (r === 0) times.renameDone = now();
      return r;
    };
    w.fd_write = (fd, iovs, n, nwritten) => {
      if (fd === 2 && times.restored === undefined) {
        const v = new DataView(memory.buffer);
        let s = '';
        for (let i = 0; i < n; i++) s += text(v.getUint32(iovs + 8 * i, true), v.getUint32(iovs + 8 * i + 4, true));
        if (s.includes('restored')) times.restored = now();
      }
      return orig.fd_write(fd, iovs, n, nwritten);
    };
    let lastClock = null;
    const gaps = (times.slowPathGaps = []); // the longest so far, cut back to ten now and then
    times.slowPaths = 0;
    w.clock_time_get = (...a) => {
      const t = now();
      if (lastClock !== null) {
        gaps.push(t - lastClock);
        if (gaps.length > 64) gaps.sort((x, y) => y - x).length = 10;
      }
      lastClock = t;
      times.slowPaths++;
      return orig.clock_time_get(...a);
    };
    w.proc_exit = (c) => {
      times.exitCalled = now();
      times.exitCalledCode = c;
      return orig.proc_exit(c);
    };
    imports.wasi_snapshot_preview1 = w;
  }
  const instance = await WebAssembly.instantiate(module, imports);
  memory = instance.exports.memory;
  times.instantiated = now();
  times.startBegin = now();
  code = wasi.start(instance);
  times.startEnd = now();
} catch (e) {
  times.error = String(e && e.message !== undefined ? e.message : e).split('\n')[0];
  writeSync(2, `runner: ${times.error}\n`);
  code = 134;
}
times.exitCode = code;
if (times.slowPathGaps) times.slowPathGaps = times.slowPathGaps.sort((x, y) => y - x).slice(0, 10);
report();
process.exitCode = code;
