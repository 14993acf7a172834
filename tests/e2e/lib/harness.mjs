// What the end-to-end scripts share: their command line (util.parseArgs, with --tool, --runner
// and --work), a work directory, and the ok/FAIL lines with the closing
// "N passed, M failed" that ctest's output is read by.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

// Parses the script's arguments: --tool, --runner and --work plus `options`, in util.parseArgs
// form. Those named in `required` must be given; --tool, --runner and --work are made absolute.
// The work directory is emptied, unless `keepWork` (tests that share one). Exits 2 with a usage
// line on a bad argument.
export function e2eArgs(script, options = {}, { required = ['tool', 'runner', 'work'], keepWork = false } = {}) {
  let values;
  try {
    ({ values } = parseArgs({
      options: { tool: { type: 'string' }, runner: { type: 'string' }, work: { type: 'string' }, ...options },
    }));
  } catch (e) {
    usage(script, e.message);
  }
  for (const name of ['work', ...required]) {
    if (!values[name]) usage(script, `--${name} is required`);
  }
  for (const name of ['tool', 'runner', 'work']) {
    if (values[name]) values[name] = path.resolve(values[name]);
  }
  if (!keepWork) fs.rmSync(values.work, { recursive: true, force: true });
  fs.mkdirSync(values.work, { recursive: true });
  return values;
}

function usage(script, message) {
  console.error(`${script}: ${message}\nusage: node ${script} --tool wasm-ckpt --runner run_wasi.mjs --work DIR [options]`);
  process.exit(2);
}

// check(name, ok, detail) prints "ok NAME" or "FAIL NAME: detail"; finish() prints the totals
// and sets the exit status.
export function checker() {
  let passed = 0;
  let failed = 0;
  return {
    check(name, ok, detail) {
      if (ok) passed++;
      else failed++;
      console.log(`${ok ? 'ok' : 'FAIL'} ${name}${ok ? '' : `: ${detail}`}`);
    },
    finish() {
      console.log(`${passed} passed, ${failed} failed`);
      process.exitCode = failed ? 1 : 0;
    },
  };
}
