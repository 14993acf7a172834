// The tool's hash for the test scripts: FNV-1a-64 with the seed and prime read from
// include/wasm_ckpt/snapshot_layout.h, the one definition the tool and its run-time code use.
import fs from 'node:fs';

const layout = fs.readFileSync(new URL('../../../include/wasm_ckpt/snapshot_layout.h', import.meta.url), 'utf8');
function constant(name) {
  const m = layout.match(new RegExp(`#define ${name} (0x[0-9a-f]+)ull`));
  if (!m) throw new Error(`snapshot_layout.h defines no ${name}`);
  return BigInt(m[1]);
}
const SEED = constant('SNAPSHOT_HASH_SEED'), PRIME = constant('SNAPSHOT_HASH_PRIME'), MASK = (1n << 64n) - 1n;

// The tool's fingerprint(): byte by byte, never 0; as 16 hex digits, like the batch report.
export function fingerprintHex(bytes) {
  let h = SEED;
  for (const b of bytes) h = ((h ^ BigInt(b)) * PRIME) & MASK;
  return (h || 1n).toString(16).padStart(16, '0');
}

// Writes a snapshot's checksum (at byte 24: over the 32-bit little-endian words of bytes
// [32, end), docs/snapshot-format.md) into the Buffer `b`, for damage that the structural checks
// rather than the checksum must catch.
export function fixSnapshotChecksum(b) {
  let h = SEED;
  for (let p = 32; p + 4 <= b.length; p += 4) h = ((h ^ BigInt(b.readUInt32LE(p))) * PRIME) & MASK;
  b.writeBigUInt64LE(h, 24);
  return b;
}
