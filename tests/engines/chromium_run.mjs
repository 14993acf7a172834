#!/usr/bin/env node
// chromium_run.mjs — runs a WASI preview1 command module in headless Chromium (V8 inside a browser
// page), with the run-time contract: WASM_CKPT_* variables passed in, the current directory
// preopened as '.', stdout/stderr byte-exact, the module's exit code as ours.
//
//   node tests/engines/chromium_run.mjs [--env K=V]... [--no-dir] module.wasm [args...]
//
// A tiny HTTP server on 127.0.0.1 (random port) serves the page, chromium_page.mjs, the WASI shim
// (@bjorn3/browser_wasi_shim through wasi_core.mjs) and the module. The page reaches the preopened
// directory through the server: it looks names up and reads files with synchronous
// XMLHttpRequests (/fs/stat, /fs/read) while the module runs, and after the run POSTs what it
// wrote, created, renamed or unlinked (/fs/write, /fs/mkdir, /fs/remove; files are written to a
// temporary, fsync'ed and renamed), its stdout/stderr bytes (/out/1, /out/2) and its exit code
// (/done). Chromium is then stopped and this process exits with that code.
// Exit status: the module's exit code; 134 on a trap / link error / browser failure; 2 on a usage
// error or a missing / invalid module. CHROMIUM=path overrides the browser binary;
// CKPT_CHROMIUM_LOG=file keeps the browser's own output; CKPT_CHROMIUM_JS_FLAGS=... is passed as
// --js-flags; CKPT_CHROMIUM_WORKER=1 runs the module in a dedicated worker (see PAGE).
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import tty from 'node:tty';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseCommon } from './wasi_core.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const TIMEOUT_MS = 30 * 60 * 1000;

function die(code, msg) {
  fs.writeSync(2, `chromium_run: ${msg}\n`);
  process.exit(code);
}

const opts = parseCommon(process.argv.slice(2), process.env);
if (opts.usage) die(2, opts.usage);
let moduleBytes;
try {
  moduleBytes = fs.readFileSync(opts.modPath);
} catch (e) {
  die(2, `cannot read '${opts.modPath}': ${e.code || e.message}`);
}
if (!WebAssembly.validate(moduleBytes)) die(2, `invalid module '${opts.modPath}'`);

// What the host's fd 0 / 1 / 2 is, {kind, flags}: the module is told what Node's WASI would tell it
// (see StdioOut in wasi_core.mjs).
function fdHost(fd) {
  let kind = 'pipe';
  let flags = 0;
  try {
    const st = fs.fstatSync(fd);
    if (st.isFile()) kind = 'file';
    else if (st.isCharacterDevice()) kind = tty.isatty(fd) ? 'tty' : 'chr';
    flags = parseInt(/^flags:\s*([0-7]+)/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))[1], 8);
  } catch { /* keep the defaults */ }
  return { kind, flags };
}

const cwd = process.cwd();
// A path the module asked for, relative to the preopen; the shim has already resolved '.' and '..'
// and refused escapes, this only double-checks.
function hostPath(rel) {
  const p = path.resolve(cwd, rel);
  if (p !== cwd && !p.startsWith(cwd + path.sep)) throw new Error(`path escapes the preopen: ${rel}`);
  return p;
}
function writeDurably(p, data) {
  const tmp = `${p}.chromium_run.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, p);
}

const config = {
  args: [path.basename(opts.modPath), ...opts.modArgs],
  env: opts.env,
  noDir: opts.noDir,
  stdio: [0, 1, 2].map(fdHost),
};
// The module runs on the page's main thread: a dedicated worker gets about half the stack
// (measured: 4234 frames of a small recursive wasm function against 8316 on the main thread and
// 8372 in Node), and deep programs that run under Node overflow there. CKPT_CHROMIUM_WORKER=1 runs
// it in a worker anyway.
const PAGE = `<!doctype html><meta charset="utf-8"><title>wasm-ckpt</title><script type="module">
const fail = (msg) => fetch('/done', { method: 'POST', body: JSON.stringify({ fail: 134, msg }) });
if (${process.env.CKPT_CHROMIUM_WORKER === '1'}) {
  const w = new Worker('/engines/chromium_page.mjs', { type: 'module' });
  w.onerror = (e) => fail('worker: ' + (e.message || 'failed to load'));
} else {
  import('/engines/chromium_page.mjs').catch((e) => fail('page: ' + e.message));
}
</script>`;
const STATIC_TYPES = { '.mjs': 'text/javascript', '.js': 'text/javascript' };

let finished = null;          // resolves with {code} / {fail, msg}
const done = new Promise((resolve) => { finished = resolve; });

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const send = (status, body = '', type = 'text/plain') => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  try {
    const p = url.pathname;
    const rel = url.searchParams.get('p');
    if (req.method === 'GET' && p === '/') return send(200, PAGE, 'text/html');
    if (req.method === 'GET' && p === '/config') return send(200, JSON.stringify(config), 'application/json');
    if (req.method === 'GET' && p === '/module.wasm') return send(200, moduleBytes, 'application/wasm');
    if (req.method === 'GET' && p.startsWith('/engines/')) {
      const f = path.resolve(here, decodeURIComponent(p.slice('/engines/'.length)));
      const type = STATIC_TYPES[path.extname(f)];
      if (!f.startsWith(here + path.sep) || !type || !fs.existsSync(f)) return send(404);
      return send(200, fs.readFileSync(f), type);
    }
    if (req.method === 'GET' && p === '/fs/stat') {
      let kind = 'none';
      try {
        const st = fs.statSync(hostPath(rel));
        kind = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'none';
      } catch { /* absent */ }
      return send(200, kind);
    }
    if (req.method === 'GET' && p === '/fs/read') return send(200, fs.readFileSync(hostPath(rel)), 'application/octet-stream');
    if (req.method !== 'POST') return send(404);
    const body = await readBody(req);
    if (p === '/out/1' || p === '/out/2') fs.writeSync(p === '/out/1' ? 1 : 2, body);
    else if (p === '/fs/write') writeDurably(hostPath(rel), body);
    else if (p === '/fs/mkdir') fs.mkdirSync(hostPath(rel), { recursive: true });
    else if (p === '/fs/remove') fs.rmSync(hostPath(rel), { recursive: true, force: true });
    else if (p === '/done') finished(JSON.parse(body.toString()));
    else return send(404);
    return send(200, 'ok');
  } catch (e) {
    return send(500, String(e && e.message));
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ckpt-chromium-'));
const browserBin = process.env.CHROMIUM || (fs.existsSync('/usr/lib/chromium/chromium') ? '/usr/lib/chromium/chromium' : 'chromium');
const logFd = process.env.CKPT_CHROMIUM_LOG ? fs.openSync(process.env.CKPT_CHROMIUM_LOG, 'w') : 'ignore';
const browser = spawn(browserBin, [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--no-default-browser-check',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-extensions', '--disable-dev-shm-usage', '--mute-audio',
  ...(process.env.CKPT_CHROMIUM_JS_FLAGS ? [`--js-flags=${process.env.CKPT_CHROMIUM_JS_FLAGS}`] : []),
  `--user-data-dir=${profile}`, `http://127.0.0.1:${port}/`,
], { stdio: ['ignore', logFd, logFd], detached: true });   // own process group: stopped as a whole
let browserExited = false;
const browserExit = new Promise((resolve) => browser.on('exit', (code, sig) => { browserExited = true; resolve({ code, sig }); }));
browser.on('error', (e) => finished({ fail: 134, msg: `cannot start ${browserBin}: ${e.message}` }));
browserExit.then(({ code, sig }) => finished({ fail: 134, msg: `browser exited (${sig || code}) before the module finished` }));
// Stopped from outside (e.g. a test's timeout): take the browser down with us.
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'])
  process.on(sig, () => {
    try { process.kill(-browser.pid, 'SIGKILL'); } catch { /* gone */ }
    fs.rmSync(profile, { recursive: true, force: true });
    process.exit(134);
  });
const timer = setTimeout(() => finished({ fail: 134, msg: `no result after ${TIMEOUT_MS / 1000} s` }), TIMEOUT_MS);

const result = await done;
clearTimeout(timer);
server.close();
server.closeAllConnections?.();
if (!browserExited) {
  try { process.kill(-browser.pid, 'SIGTERM'); } catch { /* already gone */ }
  const killer = setTimeout(() => { try { process.kill(-browser.pid, 'SIGKILL'); } catch { /* gone */ } }, 3000);
  await browserExit;
  clearTimeout(killer);
}
fs.rmSync(profile, { recursive: true, force: true });
if (result.fail !== undefined) die(result.fail, result.msg);
process.exit(result.code);
