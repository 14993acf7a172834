// chromium_page.mjs — the page side of chromium_run.mjs: fetches the configuration and the module
// from the local server, runs the module with wasi_core.mjs, and reports stdout/stderr, the
// directory changes and the exit code back to the server. Runs on the page's main thread (default)
// or in a dedicated worker (CKPT_CHROMIUM_WORKER=1), so it sticks to what both allow.
import { runWasiAsync } from './wasi_core.mjs';

// Synchronous (WASI calls are synchronous). A window forbids responseType on a synchronous request,
// so binary data comes as x-user-defined text: one char per byte, in 0xF780-0xF7FF above 0x7F.
function syncGet(url, binary) {
  const x = new XMLHttpRequest();
  x.open('GET', url, false);
  if (binary) x.overrideMimeType('text/plain; charset=x-user-defined');
  x.send();
  if (x.status !== 200) throw new Error(`GET ${url}: ${x.status}`);
  if (!binary) return x.responseText;
  const t = x.responseText;
  const bytes = new Uint8Array(t.length);
  for (let i = 0; i < t.length; i++) bytes[i] = t.charCodeAt(i) & 0xff;
  return bytes;
}
const q = (rel) => encodeURIComponent(rel);
async function post(url, body) {
  const r = await fetch(url, { method: 'POST', body });
  if (!r.ok) throw new Error(`POST ${url}: ${r.status} ${await r.text()}`);
}

let result;
try {
  const config = await (await fetch('/config')).json();
  const module = await WebAssembly.compile(await (await fetch('/module.wasm')).arrayBuffer());
  const out = { 1: [], 2: [] };
  const host = config.noDir ? null : {
    stat(rel) { const k = syncGet(`/fs/stat?p=${q(rel)}`, false); return k === 'none' ? null : k; },
    read(rel) { return syncGet(`/fs/read?p=${q(rel)}`, true); },
  };
  const r = await runWasiAsync({
    module, args: config.args, env: config.env, host,
    writeStdout: (b) => out[1].push(b), writeStderr: (b) => out[2].push(b),
    stdio: config.stdio,
  });
  for (const fd of [1, 2]) if (out[fd].length) await post(`/out/${fd}`, new Blob(out[fd]));
  for (const rel of r.changes.mkdir) await post(`/fs/mkdir?p=${q(rel)}`, '');
  for (const [rel, data] of r.changes.write) await post(`/fs/write?p=${q(rel)}`, data);
  for (const rel of r.changes.remove) await post(`/fs/remove?p=${q(rel)}`, '');
  result = r.fail !== undefined ? { fail: r.fail, msg: r.msg } : { code: r.code };
} catch (e) {
  result = { fail: 134, msg: `${e && e.name ? e.name + ': ' : ''}${String(e && e.message !== undefined ? e.message : e).split('\n')[0]}` };
}
await fetch('/done', { method: 'POST', body: JSON.stringify(result) });
