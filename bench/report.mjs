#!/usr/bin/env node
// report.mjs — turns the harness's measurements into results.json, results.csv, results.md,
// overhead.svg (run time) and costs.svg (code, compile, process, downtime). Used by harness.mjs;
// also runnable alone to redo the files from a results.json:
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

// The columns, as [header, value-of-program, decimals, unit, geomean?]; shared by md and csv. A
// column whose header has "×" also gets the worst (largest) value.
function runColumns(r) {
  const cols = [['original run (ms)', (p) => p.variants?.original?.medianMs, 0, '', true]];
  for (const v of [...r.strategies, 'asyncify']) cols.push([`${v} run ×`, (p) => p.variants?.[v]?.runRatio, 2, '', true]);
  for (const t of (r.tiers ?? []).slice(1)) {
    for (const v of [...r.strategies, 'asyncify']) cols.push([`${v} run × (${t} tier)`, (p) => p.variants?.[v]?.tiers?.[t]?.runRatio, 2, '', true]);
  }
  for (const v of [...r.strategies, 'asyncify']) cols.push([`${v} instr. CPU (s)`, (p) => p.variants?.[v]?.cpuSeconds, 2, '', true]);
  return cols;
}
// What every start pays: code size, whole-module compile time, whole process time.
const COMPILERS = [['liftoff', 'Liftoff'], ['turbofan', 'TurboFan']];
function costColumns(r) {
  const vs = [...r.strategies, 'asyncify'];
  const cols = [['original code (KiB)', (p) => p.variants?.original?.codeBytes / 1024, 0, '', true]];
  for (const v of vs) cols.push([`${v} code ×`, (p) => p.variants?.[v]?.codeRatio, 2, '', true]);
  for (const [c, label] of COMPILERS) {
    cols.push([`original ${label} compile (ms)`, (p) => p.variants?.original?.compile?.[c]?.medianMs, 1, '', true]);
    for (const v of vs) cols.push([`${v} ${label} ×`, (p) => p.variants?.[v]?.compile?.[c]?.ratio, 2, '', true]);
  }
  cols.push(['original process (ms)', (p) => p.variants?.original?.processMs, 0, '', true]);
  for (const v of vs) cols.push([`${v} process ×`, (p) => p.variants?.[v]?.processRatio, 2, '', true]);
  cols.push(['load (1 min)', (p) => p.loadavg?.[0], 1, '', false]);
  return cols;
}
const yesNo = (c) => (!c || !finite(c.downtimeOverBudget) ? undefined : !c.targetApplies ? 'n/a' : c.downtimeOverBudget <= 1 ? 'yes' : 'no');
function ckptColumns(s) {
  const c = (p) => p.ckpt?.[s];
  return [
    ['memory (MiB)', (p) => c(p)?.memoryBytes / MiB, 1, '', true],
    ['snapshot (MiB)', (p) => c(p)?.snapshotBytes / MiB, 2, '', true],
    ['snapshot / memory', (p) => c(p)?.snapshotRatio, 2, '', true],
    ['checkpoint = snapshot write (ms)', (p) => c(p)?.ckptMs, 1, '', true],
    ['stop latency (ms)', (p) => c(p)?.stopMs, 1, '', true],
    ['restore (ms)', (p) => c(p)?.restoreMs, 1, '', true],
    ['snapshot read (ms)', (p) => c(p)?.restoreAfterStartMs, 1, '', true],
    ['original start-up (ms)', (p) => c(p)?.origStartupMs, 1, '', true],
    ['downtime (ms)', (p) => c(p)?.downtimeMs, 1, '', true],
    ['target (ms)', (p) => c(p)?.budgetMs, 1, '', true],
    ['downtime / target ×', (p) => (c(p)?.targetApplies ? c(p).downtimeOverBudget : undefined), 2, '', true],
    ['within target', (p) => yesNo(c(p)), null, '', false],
    ['resumed output ok', (p) => (c(p) ? `${c(p).resumedOk}/${c(p).trials.length}` : undefined), null, '', false],
  ];
}
const cell = (val, d) => (d === null ? (val ?? '–') : fmt(val, d));

// The groups geomeans are given for: the whole suite and, when some programs were added after
// the last tuning change of the instrumentation, the tuned programs and the added ones apart.
const NEW_MARK = '†';
function groups(measured) {
  const added = measured.filter((p) => p.addedAfterTuning);
  if (!added.length) return [['', measured]];
  return [[', all', measured], [', tuned suite', measured.filter((p) => !p.addedAfterTuning)], [`, added after tuning ${NEW_MARK}`, added]];
}
const worst = (xs) => {
  const v = xs.filter(finite);
  return v.length ? Math.max(...v) : null;
};
const label = (p) => `${p.name}${p.kind === 'real' ? ' (real)' : ''}${p.addedAfterTuning ? ` ${NEW_MARK}` : ''}`;

function mdTable(programs, cols) {
  const measured = programs.filter((p) => p.status === 'measured');
  const lines = [`| program | ${cols.map((c) => c[0]).join(' | ')} |`, `| --- | ${cols.map(() => '---:').join(' | ')} |`];
  for (const p of measured) lines.push(`| ${label(p)} | ${cols.map((c) => cell(c[1](p), c[2])).join(' | ')} |`);
  for (const [suffix, ps] of groups(measured)) {
    lines.push(`| **geomean${suffix}** (${ps.length}) | ${cols.map((c) => (c[4] ? `**${fmt(geomean(ps.map(c[1])), c[2])}**` : '')).join(' | ')} |`);
    lines.push(`| worst${suffix} | ${cols.map((c) => (c[0].includes('×') ? fmt(worst(ps.map(c[1])), c[2]) : '')).join(' | ')} |`);
  }
  return lines.join('\n');
}

// Per strategy: geomean and worst of each ratio the issue sets a target for, per group.
function summary(r) {
  const measured = r.programs.filter((p) => p.status === 'measured');
  const metrics = [
    ['code ×', (p, v) => p.variants?.[v]?.codeRatio],
    ['Liftoff compile ×', (p, v) => p.variants?.[v]?.compile?.liftoff?.ratio],
    ['TurboFan compile ×', (p, v) => p.variants?.[v]?.compile?.turbofan?.ratio],
    ['process × (default tier)', (p, v) => p.variants?.[v]?.processRatio],
    [`run × (${(r.tiers ?? ['default'])[0]} tier)`, (p, v) => p.variants?.[v]?.runRatio],
    ['downtime / target ×', (p, v) => (p.ckpt?.[v]?.targetApplies ? p.ckpt[v].downtimeOverBudget : undefined)],
  ];
  const lines = [`| variant | group | ${metrics.map((m) => `${m[0]} geomean | worst`).join(' | ')} |`,
    `| --- | --- | ${metrics.map(() => '---: | ---:').join(' | ')} |`];
  for (const v of [...r.strategies, 'asyncify']) {
    for (const [suffix, ps] of groups(measured)) {
      const vals = metrics.map((m) => {
        const xs = ps.map((p) => m[1](p, v));
        const w = worst(xs);
        const who = w === null ? '' : ` (${ps[xs.indexOf(w)].name})`;
        return `${fmt(geomean(xs))} | ${fmt(w)}${who}`;
      });
      lines.push(`| ${v} | ${suffix ? suffix.slice(2) : 'all'} (${ps.length}) | ${vals.join(' | ')} |`);
    }
  }
  return lines;
}

// The instrumentation of the large module (harness step 2b), one run per variant.
function largeModule(l) {
  const MiB = 1048576;
  const lines = ['## Instrumenting a large module', '',
    `\`${l.name}\`: SQLite's shell with each of its functions ${l.copies} times (\`bench/replicate_module.cpp\`), ` +
    `${(l.fileBytes / MiB).toFixed(1)} MiB (Code section ${(l.codeBytes / MiB).toFixed(1)} MiB). One run per variant, wall time of one process ` +
    '(read, instrument, optimize, write), and its CPU time (user + system, all threads) and peak memory (resident set size) as GNU time reports them; ' +
    'load: the 1-minute load average when it started.', '',
    '| variant | time (s) | s per MiB of input | CPU (s) | CPU s per MiB | peak memory (MiB) | output (MiB) | load |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const [v, m] of Object.entries(l.variants)) {
    if (!m.ok) {
      lines.push(`| ${v} | failed: ${m.why} | | | |`);
      continue;
    }
    const perMiB = (x) => (x / (l.fileBytes / MiB)).toFixed(2);
    const cpu = finite(m.cpuSeconds) ? [m.cpuSeconds.toFixed(1), perMiB(m.cpuSeconds)] : ['—', '—'];
    lines.push(`| ${v} | ${m.seconds.toFixed(1)} | ${perMiB(m.seconds)} | ${cpu.join(' | ')} | ${m.peakKiB ? (m.peakKiB / 1024).toFixed(0) : '—'} | ` +
               `${(m.fileBytes / MiB).toFixed(1)} | ${finite(m.load) ? m.load.toFixed(1) : '—'} |`);
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
    `${measured.length} programs measured` +
    (measured.some((p) => p.addedAfterTuning) ? ` (${NEW_MARK}: ${measured.filter((p) => p.addedAfterTuning).length} added after the last tuning change of the instrumentation, given apart)` : '') + '.', '');
  out.push('## Summary', '');
  out.push('Per variant and group of programs: geometric mean and worst program of each ratio to the original (tables below). ' +
    'Targets of issue 26 for `lean`: code ≤ 2.0× geomean, worst ≤ 2.5×; Liftoff and TurboFan compile ≤ 2.0× geomean; ' +
    'process time ≤ 1.05× geomean, worst ≤ 1.15×; for `full`: code ≤ 2.2×, run time ≤ 1.06×; downtime / target ≤ 1 ' +
    '(programs whose original compiles in ≤ 100 ms under Liftoff).', '');
  out.push(...summary(r), '');
  out.push('## What every start pays: code size, compile time, whole process', '');
  out.push('Code: bytes of the Code section; ×: variant / original. Compile: `new WebAssembly.Module(bytes)` of the whole module in a fresh ' +
    '`node --no-wasm-lazy-compilation` process (`bench/compile_time.mjs`), with `--liftoff --no-wasm-tier-up` (Liftoff) or `--no-liftoff` ' +
    '(TurboFan); V8 compiles on its background threads as well, so the machine load weighs in; median of the interleaved repetitions, ' +
    '× = median of per-repetition ratios. Process: a run under Node\'s default tier, process spawned → exited (Node start-up, compilation, ' +
    'run and exit), from the same interleaved repetitions as the run times; × = median of per-repetition ratios. ' +
    'Load: the machine\'s 1-minute load average when the program\'s measurements began (2 cores, shared).', '');
  out.push(mdTable(r.programs, costColumns(r)), '');
  out.push('## Run time, instrumentation time', '');
  const tiers = r.tiers ?? ['default'];
  out.push(`Run time: median over reps of (variant run time / original run time) from the same rep; run time is \`_start\` entry to return inside the Node process (no Node start-up, no compilation). ` +
    `"run ×" columns: V8's ${tiers[0]} tier${tiers[0] === 'optimizing' ? ' (`node --no-liftoff`: TurboFan code, what AOT and JIT engines run)' : ''}` +
    (tiers.length > 1 ? `; "(${tiers.slice(1).join(', ')} tier)" columns: ${tiers.includes('default') ? "Node's default tiering, under which a function that does all its work in one long call (main of most C programs here) stays in Liftoff baseline code, V8 having no on-stack replacement for wasm" : 'other V8 flags'}. ` : '. ') +
    'Code: Code-section bytes / original. Instr. CPU: user + system time of all threads of `wasm-ckpt instrument` / of `asyncify-baseline` (safepoints + Asyncify + -O2), as GNU time reports it; an instrumentation is cached with its measurement (bench/README.md), so CPU time, which depends on the load far less than wall time, is what is compared. Geomean over the programs in the table.', '');
  out.push(mdTable(r.programs, runColumns(r)), '');
  if (r.large) out.push(...largeModule(r.large), '');
  for (const s of r.strategies) {
    out.push(`## Checkpoint and restore — strategy \`${s}\``, '');
    out.push('Medians over trials. A trigger file is created halfway through the run. Checkpoint (= snapshot write): the poll point that saw the trigger file → snapshot durable (renamed after fd_sync). ' +
      'Stop latency: trigger file created → process exited (exit 75). Restore: resumed process spawned → resumed at the poll point (the run-time code\'s `WASM_CKPT_VERBOSE` "restored" line: memory and stack rebuilt; Node start-up and compilation included)' +
      (s.endsWith('+stored') ? ', plus the run of `wasm-ckpt resume` that bakes the snapshot into the module the resumed process runs (this variant restores only that way). ' : '. ') +
      'Snapshot read: the resumed run\'s `_start` entered → resumed. Original start-up: spawned → `_start` entered, original module. ' +
      '**Downtime** = stop latency + restore (the program does no work from the stop request until it runs again); target = 2 × (original start-up + snapshot write + snapshot read), ' +
      'applied to programs whose original compiles in ≤ 100 ms under Liftoff ("n/a" otherwise). ' +
      'Resumed output ok: stopped-run output + resumed-run output equals an uninterrupted run.', '');
    out.push(mdTable(r.programs, ckptColumns(s)), '');
  }
  const skipped = r.programs.filter((p) => p.status !== 'measured');
  if (skipped.length || r.notes.length) {
    out.push('## Notes', '');
    for (const n of r.notes) out.push(`- ${n}`);
    for (const p of skipped) {
      if (r.notes.some((n) => n.startsWith(`${p.name}:`))) continue;
      out.push(`- ${p.name}: ${p.status === 'built' ? 'built, not measured (the run ended before it)' : `${p.status}: ${p.why}`}`);
    }
    out.push('');
  }
  return out.join('\n');
}

export function csv(r) {
  const head = ['program', 'kind', 'variant', 'run_ratio', 'original_ms', 'variant_ms', 'failed_runs', 'code_bytes', 'code_ratio', 'instrument_s',
    'memory_bytes', 'snapshot_bytes', 'snapshot_ratio', 'checkpoint_ms', 'stop_latency_ms', 'restore_ms', 'original_startup_ms', 'resumed_ok', 'trials',
    'reps', 'run_ratio_spread', 'added_after_tuning', 'liftoff_compile_ms', 'liftoff_compile_ratio', 'turbofan_compile_ms', 'turbofan_compile_ratio',
    'process_ms', 'process_ratio', 'snapshot_read_ms', 'downtime_ms', 'downtime_target_ms', 'downtime_over_target', 'downtime_target_applies',
    'instrument_cpu_s'];
  const rows = [head.join(',')];
  const num = (x, d = 4) => (finite(x) ? String(+x.toFixed(d)) : '');
  for (const p of r.programs) {
    if (p.status !== 'measured') {
      rows.push([p.name, p.kind, ...Array(head.length - 3).fill(''), p.addedAfterTuning ? 1 : 0].join(','));
      continue;
    }
    for (const v of r.variants) {
      const V = p.variants[v];
      const c = p.ckpt?.[v];
      rows.push([p.name, p.kind, v, num(V?.runRatio), num(p.variants.original.medianMs, 2), num(V?.medianMs, 2), V?.mismatches ?? '', V?.codeBytes ?? '',
        num(V?.codeRatio), num(V?.seconds, 3), c?.memoryBytes ?? '', c?.snapshotBytes ?? '', num(c?.snapshotRatio), num(c?.ckptMs, 2), num(c?.stopMs, 2),
        num(c?.restoreMs, 2), num(c?.origStartupMs, 2), c ? c.resumedOk : '', c ? c.trials.length : '',
        p.reps ?? '', num(V?.tiers?.[r.tiers?.[0]]?.runRatioSpread), p.addedAfterTuning ? 1 : 0,
        num(V?.compile?.liftoff?.medianMs, 2), num(V?.compile?.liftoff?.ratio), num(V?.compile?.turbofan?.medianMs, 2), num(V?.compile?.turbofan?.ratio),
        num(V?.processMs, 2), num(V?.processRatio), num(c?.restoreAfterStartMs, 2), num(c?.downtimeMs, 2), num(c?.budgetMs, 2),
        num(c?.downtimeOverBudget), c ? (c.targetApplies ? 1 : 0) : '', num(V?.cpuSeconds, 3)].join(','));
    }
  }
  return rows.join('\n') + '\n';
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
// One bar chart: a group of bars per measured program (value(p, series) for each series) plus the
// geomeans of the tuned suite and of the programs added after tuning; ratios to 1 (dashed line).
// Returns the SVG elements, drawn from y = `top`, and the height used.
function barChart(r, { title, series, value }, top, W) {
  const colors = { full: '#3b6fb6', lean: '#4c9a2a', asyncify: '#c8553d' };
  const palette = ['#7b52ab', '#d4a017', '#2a9d8f'];
  series.forEach((s, i) => (colors[s] ??= palette[i % palette.length]));
  const measured = r.programs.filter((p) => p.status === 'measured');
  const bars = measured.map((p) => ({ label: `${p.name}${p.kind === 'real' ? '*' : ''}${p.addedAfterTuning ? NEW_MARK : ''}`, vals: series.map((s) => value(p, s)) }));
  for (const [suffix, ps] of groups(measured)) bars.push({ label: `geomean${suffix.replace(/^, /, ' ')}`, vals: series.map((s) => geomean(ps.map((p) => value(p, s)))), bold: true });
  const all = bars.flatMap((g) => g.vals).filter(finite);
  const maxVal = all.length ? Math.max(...all) : 2;
  const scaleTop = Math.max(1.5, Math.min(Math.ceil(maxVal * 4) / 4, 6)); // clip very tall bars, label them
  const bw = Math.max(3, Math.min(9, Math.floor(((W - 72) / bars.length - 6) / series.length))), gap = 6, gw = series.length * bw + gap;
  const left = 56, plotTop = top + 48, plotH = 240, bottom = 130;
  const y = (v) => plotTop + plotH - (Math.min(v, scaleTop) / scaleTop) * plotH;
  const o = [];
  o.push(`<text x="${left}" y="${top + 18}" font-size="13" font-weight="bold">${esc(title)}</text>`);
  series.forEach((s, i) => {
    const lx = left + i * 90;
    o.push(`<rect x="${lx}" y="${top + 28}" width="12" height="10" fill="${colors[s]}"/><text x="${lx + 16}" y="${top + 37}">${esc(s)}</text>`);
  });
  o.push(`<text x="${left + series.length * 90}" y="${top + 37}" fill="#555">* real program; ${NEW_MARK} added after the last tuning change</text>`);
  const step = scaleTop <= 2 ? 0.25 : scaleTop <= 4 ? 0.5 : 1;
  for (let t = 0; t <= scaleTop + 1e-9; t += step) {
    const yy = y(t).toFixed(1), one = Math.abs(t - 1) < 1e-9;
    o.push(`<line x1="${left}" x2="${W - 16}" y1="${yy}" y2="${yy}" stroke="${one ? '#333' : '#e3e3e3'}" stroke-width="${one ? 1.2 : 1}"${one ? ' stroke-dasharray="4 3"' : ''}/>`);
    o.push(`<text x="${left - 6}" y="${(+yy + 4).toFixed(1)}" text-anchor="end">${t.toFixed(2)}×</text>`);
  }
  bars.forEach((g, gi) => {
    const gx = left + gi * gw + gap / 2;
    g.vals.forEach((v, si) => {
      if (!finite(v)) return;
      const x = gx + si * bw, yy = y(v);
      o.push(`<rect x="${x.toFixed(1)}" y="${yy.toFixed(1)}" width="${bw - 1}" height="${(plotTop + plotH - yy).toFixed(1)}" fill="${colors[series[si]]}"><title>${esc(g.label)} ${esc(series[si])}: ${v.toFixed(3)}×</title></rect>`);
      if (v > scaleTop) o.push(`<text x="${(x + bw / 2).toFixed(1)}" y="${(plotTop - 3).toFixed(1)}" text-anchor="middle" font-size="9">${v.toFixed(1)}</text>`);
    });
    const lx = gx + (series.length * bw) / 2, ly = plotTop + plotH + 8;
    o.push(`<text x="${lx.toFixed(1)}" y="${ly}" text-anchor="end" transform="rotate(-60 ${lx.toFixed(1)} ${ly})"${g.bold ? ' font-weight="bold"' : ''}>${esc(g.label)}</text>`);
  });
  o.push(`<line x1="${left}" x2="${left}" y1="${plotTop}" y2="${plotTop + plotH}" stroke="#333"/>`);
  o.push(`<line x1="${left}" x2="${W - 16}" y1="${plotTop + plotH}" y2="${plotTop + plotH}" stroke="#333"/>`);
  return { elements: o, height: 48 + plotH + bottom };
}
// Charts stacked in one SVG document.
function svgDocument(r, charts) {
  const measured = r.programs.filter((p) => p.status === 'measured');
  const maxSeries = Math.max(...charts.map((c) => c.series.length));
  const W = Math.max(56 + 16 + (measured.length + 3) * (maxSeries * 9 + 6), 820);
  const body = [];
  let top = 0;
  for (const c of charts) {
    const { elements, height } = barChart(r, c, top, W);
    body.push(...elements);
    top += height;
  }
  return [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${top}" viewBox="0 0 ${W} ${top}" font-family="DejaVu Sans, Arial, sans-serif" font-size="11">`,
    `<rect width="${W}" height="${top}" fill="white"/>`, ...body, '</svg>'].join('\n') + '\n';
}
export function svg(r) {
  return svgDocument(r, [{
    title: `Run time relative to the original (Node ${r.machine.node}, ${(r.tiers ?? ['default'])[0]} tier, median of per-rep ratios; lower is better)`,
    series: [...r.strategies, 'asyncify'],
    value: (p, s) => p.variants[s]?.runRatio,
  }]);
}
// What a start and a migration cost: code size, compile times, whole process time, downtime.
export function costsSvg(r) {
  const vs = [...r.strategies, 'asyncify'];
  return svgDocument(r, [
    { title: 'Code section relative to the original (lower is better)', series: vs, value: (p, s) => p.variants[s]?.codeRatio },
    { title: 'Whole-module compile time, Liftoff, relative to the original (median of interleaved fresh processes)', series: vs, value: (p, s) => p.variants[s]?.compile?.liftoff?.ratio },
    { title: 'Whole-module compile time, TurboFan, relative to the original', series: vs, value: (p, s) => p.variants[s]?.compile?.turbofan?.ratio },
    { title: "Whole process (spawned → exited) under Node's default tier, relative to the original", series: vs, value: (p, s) => p.variants[s]?.processRatio },
    { title: 'Migration downtime / target 2 × (original start-up + snapshot write + snapshot read); ≤ 1 meets it (originals compiling in ≤ 100 ms under Liftoff)',
      series: r.strategies, value: (p, s) => (p.ckpt?.[s]?.targetApplies ? p.ckpt[s].downtimeOverBudget : undefined) },
  ]);
}

export function writeReports(r, outDir) {
  fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify(r, null, 1) + '\n');
  fs.writeFileSync(path.join(outDir, 'results.csv'), csv(r));
  fs.writeFileSync(path.join(outDir, 'results.md'), markdown(r));
  fs.writeFileSync(path.join(outDir, 'overhead.svg'), svg(r));
  fs.writeFileSync(path.join(outDir, 'costs.svg'), costsSvg(r));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const input = process.argv[2];
  if (!input) {
    console.error('usage: node bench/report.mjs results.json [OUTDIR]');
    process.exit(2);
  }
  writeReports(JSON.parse(fs.readFileSync(input, 'utf8')), process.argv[3] || path.dirname(input));
}
