// What the end-to-end scripts share: their command line (util.parseArgs, with --tool, --runner
// and --work required), a fresh work directory, and the ok/FAIL lines with the closing
// "N passed, M failed" that ctest's output is read by.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

// Parses the script's arguments: --tool, --runner and --work (made absolute; the work directory
// is emptied), plus `options` in util.parseArgs form. Exits 2 with a usage line on a bad one.
export function e2eArgs(script, options = {}) {
  let values;
  try {
    ({ values } = parseArgs({
      options: { tool: { type: 'string' }, runner: { type: 'string' }, work: { type: 'string' }, ...options },
    }));
  } catch (e) {
    usage(script, e.message);
  }
  for (const required of ['tool', 'runner', 'work']) {
    if (!values[required]) usage(script, `--${required} is required`);
    values[required] = path.resolve(values[required]);
  }
  fs.rmSync(values.work, { recursive: true, force: true });
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
