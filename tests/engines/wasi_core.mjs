// wasi_core.mjs — runs a WASI preview1 command module with @bjorn3/browser_wasi_shim, on an engine
// that has no WASI of its own (gjs/SpiderMonkey, a Chromium page). Shared by gjs_run.js and
// chromium_page.mjs; it uses nothing but ECMAScript + WebAssembly, so it runs in both.
//
// The shim's file system lives in memory. To honour the run-time contract ("the current directory
// is preopened as '.'") the preopened directory is backed by the real one through a small `host`
// object supplied by the engine runner:
//   host.stat(rel)        -> 'file' | 'dir' | null      (rel: path relative to the preopen, '/'-separated)
//   host.read(rel)        -> Uint8Array
// Entries are fetched lazily the first time the module looks a name up, and a name that is not
// there is asked for again at every look-up (so a trigger file that appears during the run is seen).
// After the run, `changes` lists what the module did to the directory; the runner applies it to the
// real directory before it exits:
//   { write: [[rel, Uint8Array], ...], mkdir: [rel, ...], remove: [rel, ...] }
// Files are written back whole (created, truncated, renamed-to); names unlinked or renamed away that
// existed on the host are removed. Every byte the module wrote to fd 1 / fd 2 goes to
// writeStdout / writeStderr unchanged, as it is written.
import { WASI, WASIProcExit, File, Directory, OpenFile, ConsoleStdout, PreopenDirectory, wasi as defs }
  from './node_modules/@bjorn3/browser_wasi_shim/dist/index.js';

// fd_fdstat_get for fds 0-2, answered the way Node 20's WASI (uvwasi) answers it for the same
// host fd. It matters twice: wasi-libc line-buffers stdout when it looks like a terminal (character
// device without seek/tell rights), which changes how many poll points a program passes; and the
// 24-byte answer stays on the program's stack in linear memory, so it ends up in snapshots.
// Answering like Node keeps poll counts and snapshots comparable across engines. The rights are
// uvwasi's per file type; fs_flags is what uvwasi puts there: the host's raw fcntl(F_GETFL) flags
// truncated to 16 bits (O_WRONLY 1, O_RDWR 2, and on x86-64 O_LARGEFILE 0x8000).
const STDIO_RIGHTS = {
  tty:  { type: 2, base: 0x820004an, inh: 0n },                // character device, isatty()
  chr:  { type: 2, base: 0x3fffffffn, inh: 0x3fffffffn },      // other character device (/dev/null)
  pipe: { type: 6, base: 0x3820004an, inh: 0x3fffffffn },      // FIFO or socket: SOCKET_STREAM
  file: { type: 4, base: 0x8e001ffn, inh: 0n },                // regular file
};
// host: {kind: 'tty' | 'chr' | 'pipe' | 'file', flags: raw F_GETFL}
function stdioFdstat(host) {
  const rights = STDIO_RIGHTS[host?.kind] || STDIO_RIGHTS.pipe;
  const fdstat = new defs.Fdstat(rights.type, (host?.flags ?? 0) & 0xffff);
  fdstat.fs_rights_base = rights.base;
  fdstat.fs_rights_inherited = rights.inh;
  return { ret: 0, fdstat };
}
class StdioOut extends ConsoleStdout {
  constructor(write, host) { super(write); this.host = host; }
  fd_fdstat_get() { return stdioFdstat(this.host); }
}
// stdin: always empty (these runners do not forward the host's stdin), described like the host's fd 0.
class StdinEmpty extends OpenFile {
  constructor(host) { super(new File(new Uint8Array(0))); this.host = host; }
  fd_fdstat_get() { return stdioFdstat(this.host); }
}

// A directory's contents: a Map that falls back to the host on a miss.
class HostMap extends Map {
  constructor(host, prefix) {
    super();
    this.host = host;
    this.prefix = prefix;          // '' for the preopen itself, 'sub/' for a subdirectory
    this.origin = new Map();       // name -> {inode, data} as loaded from the host
    this.gone = new Set();         // names unlinked / renamed away by the module
  }
  fetch(name) {
    if (Map.prototype.has.call(this, name) || this.gone.has(name)) return;
    const rel = this.prefix + name;
    const kind = this.host.stat(rel);
    let inode;
    if (kind === 'file') {
      inode = new File(this.host.read(rel));
      this.origin.set(name, { inode, data: inode.data });
    } else if (kind === 'dir') {
      inode = new Directory(new HostMap(this.host, rel + '/'));
      this.origin.set(name, { inode });
    } else {
      return;
    }
    Map.prototype.set.call(this, name, inode);
  }
  get(name) { this.fetch(name); return Map.prototype.get.call(this, name); }
  has(name) { this.fetch(name); return Map.prototype.has.call(this, name); }
  set(name, value) { this.gone.delete(name); return Map.prototype.set.call(this, name, value); }
  delete(name) {
    const had = this.has(name);
    if (had) this.gone.add(name);
    return Map.prototype.delete.call(this, name);
  }
}

function sameBytes(a, b) {
  if (a === b) return true;
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

// What the module did to the directory tree rooted at `map` (see the header).
function collectChanges(map, prefix, out) {
  const hostBacked = map instanceof HostMap;
  for (const [name, inode] of Map.prototype.entries.call(map)) {
    const rel = prefix + name;
    const o = hostBacked ? map.origin.get(name) : undefined;
    if (inode instanceof File) {
      if (!o || o.inode !== inode || !sameBytes(o.data, inode.data)) out.write.push([rel, inode.data]);
    } else if (inode instanceof Directory) {
      if (!o || o.inode !== inode) out.mkdir.push(rel);
      collectChanges(inode.contents, rel + '/', out);
    }
  }
  if (hostBacked)
    for (const name of map.gone)
      if (map.origin.has(name) && !Map.prototype.has.call(map, name)) out.remove.push(prefix + name);
  return out;
}

// Runs `module` (a compiled WebAssembly.Module). Returns {code, changes} or {fail, msg, changes}
// (fail: 134 for a trap, link error or other run-time failure).
// stdio: what the host's fd 0, 1, 2 are, [{kind, flags}, ...] (see stdioFdstat).
export function runWasi(options) {
  const run = prepareWasi(options);
  return run.finish(() => new WebAssembly.Instance(options.module, run.imports));
}

// The same, instantiating asynchronously: Chromium refuses `new WebAssembly.Instance` on its main
// thread for a module over 8 MB (a module baked with a large snapshot).
export async function runWasiAsync(options) {
  const run = prepareWasi(options);
  let instance;
  try {
    instance = await WebAssembly.instantiate(options.module, run.imports);
  } catch (e) {
    return run.finish(() => { throw e; });
  }
  return run.finish(() => instance);
}

function prepareWasi({ args, env, host, writeStdout, writeStderr, stdio = [] }) {
  const root = host ? new HostMap(host, '') : null;
  const fds = [
    new StdinEmpty(stdio[0]),
    new StdioOut(writeStdout, stdio[1]),
    new StdioOut(writeStderr, stdio[2]),
  ];
  if (root) fds.push(new PreopenDirectory('.', root));
  const wasi = new WASI(args, Object.entries(env).map(([k, v]) => `${k}=${v}`), fds,
                        { debug: false });   // the shim logs every call when `debug` is absent
  const changes = () => (root ? collectChanges(root, '', { write: [], mkdir: [], remove: [] })
                              : { write: [], mkdir: [], remove: [] });
  return {
    imports: { wasi_snapshot_preview1: wasi.wasiImport },
    // Starts the instance `instantiate` returns, and reports as runWasi does.
    finish(instantiate) {
      try {
        const code = wasi.start(instantiate());   // proc_exit is caught by the shim and returned
        return { code, changes: changes() };
      } catch (e) {
        if (e instanceof WASIProcExit) return { code: e.code, changes: changes() };
        const msg = String(e && e.message !== undefined ? e.message : e).split('\n')[0];
        return { fail: 134, msg: `${e && e.name ? e.name + ': ' : ''}${msg}`, changes: changes() };
      }
    },
  };
}

// Command-line options shared by every engine runner (same shape as tests/tools/run_wasi.mjs):
//   [--env K=V]... [--no-dir] [--] module.wasm [args...]
// The module's environment: the caller's WASM_CKPT_* variables (sorted), then --env.
export function parseCommon(argv, hostEnv) {
  const extraEnv = {};
  let noDir = false;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { i++; break; }
    if (!a.startsWith('--')) break;
    if (a === '--no-dir') noDir = true;
    else if (a === '--env') {
      const v = argv[++i];
      const e = v === undefined ? -1 : v.indexOf('=');
      if (e <= 0) return { usage: `--env expects KEY=VALUE, got '${v}'` };
      extraEnv[v.slice(0, e)] = v.slice(e + 1);
    } else return { usage: `unknown option '${a}'` };
  }
  if (i >= argv.length) return { usage: 'usage: [--env K=V]... [--no-dir] module.wasm [args...]' };
  const env = {};
  for (const k of Object.keys(hostEnv).sort()) if (k.startsWith('WASM_CKPT_')) env[k] = hostEnv[k];
  Object.assign(env, extraEnv);
  return { modPath: argv[i], modArgs: argv.slice(i + 1), env, noDir };
}
