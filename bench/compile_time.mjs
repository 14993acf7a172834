#!/usr/bin/env node
// compile_time.mjs — times one whole-module compilation: `new WebAssembly.Module(bytes)` of
// MODULE, in this (fresh) process, and prints {"compileMs": ...} on stdout. The V8 flags given to
// node choose the compiler; the harness runs it with --no-wasm-lazy-compilation (every function
// compiled before the constructor returns) plus, for Liftoff, --liftoff --no-wasm-tier-up, and for
// TurboFan, --no-liftoff. Reading the file is outside the timed region.
//
// usage: node [V8 flags] --no-warnings bench/compile_time.mjs MODULE
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { positionals } = parseArgs({ allowPositionals: true, options: {} });
if (positionals.length !== 1) {
  console.error('usage: node [V8 flags] bench/compile_time.mjs MODULE');
  process.exit(2);
}
const bytes = readFileSync(positionals[0]);
const t0 = process.hrtime.bigint();
new WebAssembly.Module(bytes);
const compileMs = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(JSON.stringify({ compileMs }));
