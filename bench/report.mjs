#!/usr/bin/env node
// report.mjs — turns the harness's measurements into results.json, results.csv, results.md and
// overhead.svg. Used by harness.mjs; also runnable alone to redo the files from a results.json:
//   node bench/report.mjs bench/out/results.json [OUTDIR]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MiB = 1048576;
const finite = (x) => typeof x === 'number' && Number.isFinite(x);
export function geomean(xs) {
  const v = xs.filter((x) => finite(x) && x > 0);
  if (!v.length) return null;
  return Math.exp(v.reduce((a, x) => a + Math.log(x), 0) / v.length);
}
const fmt = (x, d = 2, suffix = '') => (finite(x) ? `${x.toFixed(d)}${suffix}` : '–');

// The columns, as [header, value-of-program, decimals, unit, geomean?]; shared by md and csv.
function runColumns(r) {
  const cols = [['original run (ms)', (p) => p.variants?.original?.medianMs, 0, '', true]];
  for (const v of [...r.strategies, 'asyncify']) cols.push([`${v} run ×`, (p) => p.variants?.[v]?.runRatio, 2, '', true]);
  for (const t of (r.tiers ?? []).slice(1)) {
    for (const v of [...r.strategies, 'asyncify']) cols.push([`${v} run × (${t} tier)`, (p) => p.variants?.[v]?.tiers?.[t]?.runRatio, 2, '', true]);
  }
  for (const v of [...r.strategies, 'asyncify']) cols.push([`${v} code ×`, (p) => p.variants?.[v]?.codeRatio, 2, '', true]);
  for (const v of [...r.strategies, 'asyncify']) cols.push([`${v} instr. (s)`, (p) => p.variants?.[v]?.seconds, 2, '', true]);
  return cols;
}
function ckptColumns(s) {
  const c = (p) => p.ckpt?.[s];
  return [
    ['memory (MiB)', (p) => c(p)?.memoryBytes / MiB, 1, '', true],
    ['snapshot (MiB)', (p) => c(p)?.snapshotBytes / MiB, 2, '', true],
    ['snapshot / memory', (p) => c(p)?.snapshotRatio, 2, '', true],
    ['checkpoint (ms)', (p) => c(p)?.ckptMs, 1, '', true],
    ['stop latency (ms)', (p) => c(p)?.stopMs, 1, '', true],
    ['restore (ms)', (p) => c(p)?.restoreMs, 1, '', true],
    ['original start-up (ms)', (p) => c(p)?.origStartupMs, 1, '', true],
    ['resumed output ok', (p) => (c(p) ? `${c(p).resumedOk}/${c(p).trials.length}` : undefined), null, '', false],
  ];
}
const cell = (val, d) => (d === null ? (val ?? '–') : fmt(val, d));

function mdTable(programs, cols) {
  const measured = programs.filter((p) => p.status === 'measured');
  const lines = [`| program | ${cols.map((c) => c[0]).join(' | ')} |`, `| --- | ${cols.map(() => '---:').join(' | ')} |`];
  for (const p of measured) lines.push(`| ${p.name}${p.kind === 'real' ? ' (real)' : ''} | ${cols.map((c) => cell(c[1](p), c[2])).join(' | ')} |`);
  lines.push(`| **geomean** (${measured.length}) | ${cols.map((c) => (c[4] ? `**${fmt(geomean(measured.map(c[1])), c[2])}**` : '')).join(' | ')} |`);
  return lines.join('\n');
}

// The instrumentation of the large module (harness step 2b), one run per variant.
function largeModule(l) {
  const MiB = 1048576;
  const lines = ['## Instrumenting a large module', '',
    `\`${l.name}\`: SQLite's shell with each of its functions ${l.copies} times (\`bench/replicate_module.cpp\`), ` +
    `${(l.fileBytes / MiB).toFixed(1)} MiB (Code section ${(l.codeBytes / MiB).toFixed(1)} MiB). One run per variant, wall time of one process ` +
    '(read, instrument, optimize, write); peak memory: resident set size reported by GNU time.', '',
    '| variant | time (s) | s per MiB of input | peak memory (MiB) | output (MiB) |', '| --- | ---: | ---: | ---: | ---: |'];
  for (const [v, m] of Object.entries(l.variants)) {
    if (!m.ok) {
      lines.push(`| ${v} | failed: ${m.why} | | | |`);
      continue;
    }
    lines.push(`| ${v} | ${m.seconds.toFixed(1)} | ${(m.seconds / (l.fileBytes / MiB)).toFixed(2)} | ${m.peakKiB ? (m.peakKiB / 1024).toFixed(0) : '—'} | ${(m.fileBytes / MiB).toFixed(1)} |`);
  }
  return lines;
}

export function markdown(r) {
  const measured = r.programs.filter((p) => p.status === 'measured');
  const out = [];
  out.push('# wasm-ckpt benchmark results', '');
  out.push(`Command: \`${r.command}\` — ${r.started}, ${r.minutes.toFixed(1)} min; Node ${r.machine.node}, ${r.machine.cpus} CPUs (${r.machine.cpuModel}); ` +
    `load average ${r.loadavgAtStart.map((x) => x.toFixed(1)).join('/')} at start, ${r.machine.loadavgAtEnd.map((x) => x.toFixed(1)).join('/')} at end; ` +
    `${r.tool.version} (binary sha256 ${r.tool.sha.slice(0, 12)}); ${r.reps} interleaved timing reps` +
    (r.maxReps > r.reps ? ` (up to ${r.maxReps} for a program whose per-rep ratios of a strategy spread more than ${r.spreadLimit * 100}%, interquartile range over median; see the notes)` : '') +
    `, ${r.ckptReps} checkpoint/restore trial(s) per strategy; ` +
    `${measured.length} programs measured.`, '');
  out.push('## Run time, code size, instrumentation time', '');
  const tiers = r.tiers ?? ['default'];
  out.push(`Run time: median over reps of (variant run time / original run time) from the same rep; run time is \`_start\` entry to return inside the Node process (no Node start-up, no compilation). ` +
    `"run ×" columns: V8's ${tiers[0]} tier${tiers[0] === 'optimizing' ? ' (`node --no-liftoff`: TurboFan code, what AOT and JIT engines run)' : ''}` +
    (tiers.length > 1 ? `; "(${tiers.slice(1).join(', ')} tier)" columns: ${tiers.includes('default') ? "Node's default tiering, under which a function that does all its work in one long call (main of most C programs here) stays in Liftoff baseline code, V8 having no on-stack replacement for wasm" : 'other V8 flags'}. ` : '. ') +
    'Code: Code-section bytes / original. Instr.: wall time of `wasm-ckpt instrument` / of `asyncify-baseline` (safepoints + Asyncify + -O2). Geomean over the programs in the table. See bench/README.md.', '');
  out.push(mdTable(r.programs, runColumns(r)), '');
  if (r.large) out.push(...largeModule(r.large), '');
  for (const s of r.strategies) {
    out.push(`## Checkpoint and restore — strategy \`${s}\``, '');
    out.push('Medians over trials. A trigger file is created halfway through the run. Checkpoint: the poll point that saw the trigger file → snapshot durable (renamed after fd_sync). ' +
      'Stop latency: trigger file created → process exited. Restore: process spawned → resumed at the poll point (memory and stack rebuilt); compare with the original\'s start-up (spawned → `_start` entered). ' +
      'Resumed output ok: stopped-run output + resumed-run output equals an uninterrupted run.', '');
    out.push(mdTable(r.programs, ckptColumns(s)), '');
  }
  const skipped = r.programs.filter((p) => p.status !== 'measured');
  if (skipped.length || r.notes.length) {
    out.push('## Notes', '');
    for (const n of r.notes) out.push(`- ${n}`);
    for (const p of skipped) if (!r.notes.some((n) => n.startsWith(`${p.name}:`))) out.push(`- ${p.name}: ${p.status}: ${p.why}`);
    out.push('');
  }
  return out.join('\n');
}

export function csv(r) {
  const head = ['program', 'kind', 'variant', 'run_ratio', 'original_ms', 'variant_ms', 'failed_runs', 'code_bytes', 'code_ratio', 'instrument_s',
    'memory_bytes', 'snapshot_bytes', 'snapshot_ratio', 'checkpoint_ms', 'stop_latency_ms', 'restore_ms', 'original_startup_ms', 'resumed_ok', 'trials',
    'reps', 'run_ratio_spread'];
  const rows = [head.join(',')];
  const num = (x, d = 4) => (finite(x) ? String(+x.toFixed(d)) : '');
  for (const p of r.programs) {
    if (p.status !== 'measured') {
      rows.push([p.name, p.kind, ...Array(head.length - 2).fill('')].join(','));
      continue;
    }
    for (const v of r.variants) {
      const V = p.variants[v];
      const c = p.ckpt?.[v];
      rows.push([p.name, p.kind, v, num(V?.runRatio), num(p.variants.original.medianMs, 2), num(V?.medianMs, 2), V?.mismatches ?? '', V?.codeBytes ?? '',
        num(V?.codeRatio), num(V?.seconds, 3), c?.memoryBytes ?? '', c?.snapshotBytes ?? '', num(c?.snapshotRatio), num(c?.ckptMs, 2), num(c?.stopMs, 2),
        num(c?.restoreMs, 2), num(c?.origStartupMs, 2), c ? c.resumedOk : '', c ? c.trials.length : '',
        p.reps ?? '', num(V?.tiers?.[r.tiers?.[0]]?.runRatioSpread)].join(','));
    }
  }
  return rows.join('\n') + '\n';
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
export function svg(r) {
  const series = [...r.strategies, 'asyncify'];
  const colors = { full: '#3b6fb6', lean: '#4c9a2a', asyncify: '#c8553d' };
  const palette = ['#7b52ab', '#d4a017', '#2a9d8f'];
  series.forEach((s, i) => (colors[s] ??= palette[i % palette.length]));
  const measured = r.programs.filter((p) => p.status === 'measured');
  const groups = measured.map((p) => ({ label: p.kind === 'real' ? `${p.name}*` : p.name, vals: series.map((s) => p.variants[s]?.runRatio) }));
  groups.push({ label: 'geomean', vals: series.map((s) => geomean(measured.map((p) => p.variants[s]?.runRatio))), bold: true });
  const all = groups.flatMap((g) => g.vals).filter(finite);
  const maxVal = all.length ? Math.max(...all) : 2;
  const top = Math.max(1.5, Math.min(Math.ceil(maxVal * 4) / 4, 4)); // clip very tall bars at 4x, label them
  const bw = 9, gap = 12, gw = series.length * bw + gap;
  const left = 56, right = 16, plotTop = 48, plotH = 300, bottom = 110;
  const W = Math.max(left + right + groups.length * gw, 820), H = plotTop + plotH + bottom;
  const y = (v) => plotTop + plotH - (Math.min(v, top) / top) * plotH;
  const o = [];
  o.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif" font-size="11">`);
  o.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  o.push(`<text x="${left}" y="18" font-size="13" font-weight="bold">Run time relative to the original (Node ${esc(r.machine.node)}, ${esc((r.tiers ?? ['default'])[0])} tier, median of per-rep ratios; lower is better)</text>`);
  series.forEach((s, i) => {
    const lx = left + i * 90;
    o.push(`<rect x="${lx}" y="28" width="12" height="10" fill="${colors[s]}"/><text x="${lx + 16}" y="37">${esc(s)}</text>`);
  });
  o.push(`<text x="${left + series.length * 90}" y="37" fill="#555">* real program built from a Debian source package</text>`);
  const step = top <= 2 ? 0.25 : 0.5;
  for (let t = 0; t <= top + 1e-9; t += step) {
    const yy = y(t).toFixed(1);
    o.push(`<line x1="${left}" x2="${W - right}" y1="${yy}" y2="${yy}" stroke="${Math.abs(t - 1) < 1e-9 ? '#333' : '#e3e3e3'}" stroke-width="${Math.abs(t - 1) < 1e-9 ? 1.2 : 1}"${Math.abs(t - 1) < 1e-9 ? ' stroke-dasharray="4 3"' : ''}/>`);
    o.push(`<text x="${left - 6}" y="${(+yy + 4).toFixed(1)}" text-anchor="end">${t.toFixed(2)}×</text>`);
  }
  groups.forEach((g, gi) => {
    const gx = left + gi * gw + gap / 2;
    g.vals.forEach((v, si) => {
      if (!finite(v)) return;
      const x = gx + si * bw, yy = y(v);
      o.push(`<rect x="${x.toFixed(1)}" y="${yy.toFixed(1)}" width="${bw - 1}" height="${(plotTop + plotH - yy).toFixed(1)}" fill="${colors[series[si]]}"><title>${esc(g.label)} ${esc(series[si])}: ${v.toFixed(3)}×</title></rect>`);
      if (v > top) o.push(`<text x="${(x + bw / 2).toFixed(1)}" y="${(plotTop - 3).toFixed(1)}" text-anchor="middle" font-size="9">${v.toFixed(1)}</text>`);
    });
    const lx = gx + (series.length * bw) / 2, ly = plotTop + plotH + 8;
    o.push(`<text x="${lx.toFixed(1)}" y="${ly}" text-anchor="end" transform="rotate(-60 ${lx.toFixed(1)} ${ly})"${g.bold ? ' font-weight="bold"' : ''}>${esc(g.label)}</text>`);
  });
  o.push(`<line x1="${left}" x2="${left}" y1="${plotTop}" y2="${plotTop + plotH}" stroke="#333"/>`);
  o.push(`<line x1="${left}" x2="${W - right}" y1="${plotTop + plotH}" y2="${plotTop + plotH}" stroke="#333"/>`);
  o.push('</svg>');
  return o.join('\n') + '\n';
}

export function writeReports(r, outDir) {
  fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify(r, null, 1) + '\n');
  fs.writeFileSync(path.join(outDir, 'results.csv'), csv(r));
  fs.writeFileSync(path.join(outDir, 'results.md'), markdown(r));
  fs.writeFileSync(path.join(outDir, 'overhead.svg'), svg(r));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const input = process.argv[2];
  if (!input) {
    console.error('usage: node bench/report.mjs results.json [OUTDIR]');
    process.exit(2);
  }
  writeReports(JSON.parse(fs.readFileSync(input, 'utf8')), process.argv[3] || path.dirname(input));
}
