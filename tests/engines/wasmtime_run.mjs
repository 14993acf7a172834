#!/usr/bin/env node
// wasmtime_run.mjs — runs a WASI preview1 command module on wasmtime (Cranelift), with the
// run-time contract: WASM_CKPT_* variables passed in, the current directory preopened as '.',
// stdout byte-exact, the module's exit code as ours.
//
//   node tests/engines/wasmtime_run.mjs [--env K=V]... [--no-dir] module.wasm
//
// The wasmtime here is the one npm's @bytecodealliance/wizer (pinned in package.json) embeds:
// `wizer --allow-wasi --init-func _start` instantiates the module under wasmtime with real WASI
// and runs its _start as the "initialization function" (the pre-initialized module it would
// write goes to /dev/null). What wizer reports is mapped back to the program's terms:
//   _start returned                      -> exit 0
//   "Exited with i32 exit status N"      -> exit N (wizer itself exits 1 and calls it a trap)
//   any other error (a trap, a link or validation error) -> exit 134, its first lines on stderr
// The module's environment is exactly the caller's WASM_CKPT_* variables (sorted) and --env
// ones, as the other runners give it (wasi-libc keeps the environment in linear memory).
// Program arguments: wizer has no way to pass any; the program runs with argc = 0 (the other
// runners give argv[0] = the module's file name), and arguments given here are refused (exit 2).
// Standard input is inherited, but wizer's WASI reads it through a buffer: the host's offset
// runs ahead of what the program consumed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommon } from './wasi_core.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const platform = { x64: 'linux-x64', arm64: 'linux-arm64' }[process.arch];
const wizer = process.env.WASMTIME_RUN_WIZER
  || path.join(here, 'node_modules', '@bytecodealliance', `wizer-${platform}`, 'wizer');
function die(code, msg) {
  fs.writeSync(2, `wasmtime_run: ${msg}\n`);
  process.exit(code);
}

const opts = parseCommon(process.argv.slice(2), process.env);
if (opts.usage) die(2, opts.usage);
if (opts.modArgs.length) die(2, 'wasmtime (wizer) cannot pass program arguments: the program runs with argc = 0');
if (!fs.existsSync(opts.modPath)) die(2, `cannot read '${opts.modPath}'`);
if (!fs.existsSync(wizer)) die(127, `${wizer} is missing: run scripts/setup-engines.sh`);

const argv = ['--allow-wasi', '--inherit-env', 'true', '--inherit-stdio', 'true', ...(opts.noDir ? [] : ['--dir', '.']),
              '--init-func', '_start', '-o', '/dev/null', opts.modPath];
const child = spawn(wizer, argv, { env: opts.env, stdio: ['inherit', 'inherit', 'pipe'] });
const stderr = [];
child.stderr.on('data', (d) => stderr.push(d));
child.on('error', (e) => die(127, `cannot run ${wizer}: ${e.message}`));
child.on('close', (code, signal) => {
  let text = Buffer.concat(stderr).toString('latin1');
  // wizer's own report comes last: from the last line starting "Error: " to the end.
  let at = -1;
  if (code !== 0) at = text.startsWith('Error: ') ? 0 : text.lastIndexOf('\nError: ') + 1 || -1;
  const report = at < 0 ? '' : text.slice(at);
  if (at >= 0) text = text.slice(0, at);
  fs.writeSync(2, Buffer.from(text, 'latin1'));
  if (signal) die(134, `wizer ended by ${signal}`);
  if (code === 0) process.exit(0);
  const exited = /Exited with i32 exit status (\d+)/.exec(report);
  if (exited) process.exit(Number(exited[1]) & 255);
  die(134, report.trim().split('\n').slice(0, 6).join(' | ') || `wizer exited ${code}`);
});
