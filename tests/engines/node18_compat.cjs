// node18_compat.cjs — preloaded (node -r) by the node-arm64 engine: Debian's arm64 Node is 18,
// whose WASI class has no getImportObject() (added in Node 19.8). tests/tools/run_wasi.mjs calls it;
// this adds the equivalent, so the same runner serves every Node engine unchanged.
'use strict';
const { WASI } = require('node:wasi');
if (typeof WASI.prototype.getImportObject !== 'function') {
  WASI.prototype.getImportObject = function getImportObject() {
    return { wasi_snapshot_preview1: this.wasiImport };
  };
}
