// gjs_run.js — runs a WASI preview1 command module on SpiderMonkey (gjs), with the run-time
// contract: WASM_CKPT_* variables passed in, the current directory preopened as '.', stdout/stderr
// byte-exact, the module's exit code as gjs's exit status.
//
//   gjs -m tests/engines/gjs_run.js [--env K=V]... [--no-dir] module.wasm [args...]
//
// gjs has WebAssembly but no WASI: the WASI calls are @bjorn3/browser_wasi_shim's (see
// wasi_core.mjs), and the preopened directory is mapped onto the real one with GLib/Gio: names are
// read in when the module first looks them up, and what the module wrote, renamed or unlinked is
// applied to the real directory after the run (files written with g_file_set_contents: written to
// a temporary, fsync'ed, renamed), before gjs exits.
// Exit status: the module's exit code; 134 on a trap / link error; 2 on a usage error or a
// missing / invalid module.
import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import System from 'system';
import { runWasi, parseCommon } from './wasi_core.mjs';

const stdout = Gio.UnixOutputStream.new(1, false);
const stderr = Gio.UnixOutputStream.new(2, false);
const writeAll = (stream) => (bytes) => { if (bytes.byteLength) stream.write_all(bytes, null); };
function die(code, msg) {
  writeAll(stderr)(new TextEncoder().encode(`gjs_run: ${msg}\n`));
  System.exit(code);
}

// SpiderMonkey in gjs has no `performance`; the shim's monotonic clock_time_get uses it.
if (typeof globalThis.performance === 'undefined')
  globalThis.performance = { now: () => GLib.get_monotonic_time() / 1000 };

const hostEnv = {};
for (const k of GLib.listenv()) hostEnv[k] = GLib.getenv(k);
const opts = parseCommon(System.programArgs, hostEnv);
if (opts.usage) die(2, opts.usage);

let bytes;
try {
  bytes = GLib.file_get_contents(opts.modPath)[1];
} catch (e) {
  die(2, `cannot read '${opts.modPath}': ${e.message}`);
}
let module;
try {
  module = new WebAssembly.Module(bytes);
} catch (e) {
  die(2, `invalid module '${opts.modPath}': ${e.message}`);
}

const cwd = GLib.get_current_dir();
const abs = (rel) => GLib.build_filenamev([cwd, rel]);
const host = opts.noDir ? null : {
  stat(rel) {
    const t = Gio.File.new_for_path(abs(rel)).query_file_type(Gio.FileQueryInfoFlags.NONE, null);
    return t === Gio.FileType.REGULAR ? 'file' : t === Gio.FileType.DIRECTORY ? 'dir' : null;
  },
  read(rel) { return GLib.file_get_contents(abs(rel))[1]; },
};

// What the host's fd 0 / 1 / 2 is, {kind, flags}: the module is told what Node's WASI would tell it
// (see StdioOut in wasi_core.mjs).
function fdHost(fd) {
  let kind = 'pipe';
  let flags = 0;
  try {
    const mode = Gio.File.new_for_path(`/proc/self/fd/${fd}`)
      .query_info('unix::mode', Gio.FileQueryInfoFlags.NONE, null).get_attribute_uint32('unix::mode') & 0o170000;
    if (mode === 0o100000) kind = 'file';
    else if (mode === 0o020000) kind = GLib.log_writer_supports_color(fd) ? 'tty' : 'chr';   // isatty()
    const info = new TextDecoder().decode(GLib.file_get_contents(`/proc/self/fdinfo/${fd}`)[1]);
    flags = parseInt(/^flags:\s*([0-7]+)/m.exec(info)[1], 8);
  } catch (e) { /* keep the defaults */ }
  return { kind, flags };
}

const base = opts.modPath.split('/').pop();
const r = runWasi({
  module, args: [base, ...opts.modArgs], env: opts.env, host,
  writeStdout: writeAll(stdout), writeStderr: writeAll(stderr), stdio: [0, 1, 2].map(fdHost),
});

// Apply the module's changes to the real directory.
try {
  for (const rel of r.changes.mkdir) GLib.mkdir_with_parents(abs(rel), 0o755);
  for (const [rel, data] of r.changes.write) GLib.file_set_contents(abs(rel), data);
  for (const rel of r.changes.remove) Gio.File.new_for_path(abs(rel)).delete(null);
} catch (e) {
  die(134, `writing the preopened directory back: ${e.message}`);
}
if (r.fail !== undefined) die(r.fail, r.msg);
System.exit(r.code);
