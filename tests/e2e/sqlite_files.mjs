// SQLite's shell on a database file survives migration (issue: open files). The shell is the
// benchmark's SQLite 3.40 build (bench/real/build_real.sh sqlite3, from Debian's source package)
// linked with tests/e2e/sqlite/file_vfs.c, an OS layer that keeps databases in files. The
// workload creates a table, inserts 700 rows (400 in one transaction, 300 in transactions of
// their own, each with its rollback journal opened, written and deleted), indexes, updates,
// deletes and queries. Stopped in the middle under both strategies, the directory copied
// elsewhere (the database and any journal open at the stop travel with the snapshot) and
// resumed there: stdout equals an uninterrupted run's, and the database file is byte-identical
// to the uninterrupted run's and passes PRAGMA integrity_check, read by the original shell.
//
// usage: node sqlite_files.mjs --tool wasm-ckpt --runner run_wasi.mjs --work DIR [--clang clang-14]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checker, e2eArgs } from './lib/harness.mjs';

const args = e2eArgs('sqlite_files.mjs', { clang: { type: 'string', default: 'clang-14' } });
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const { tool, runner, work } = args;
const { check, finish } = checker();

function run(cmd, argv, { cwd = work, env = {} } = {}) {
  const r = spawnSync(cmd, argv, { cwd, env: { PATH: process.env.PATH, ...env }, maxBuffer: 64 << 20, timeout: 1200000 });
  if (r.error) throw r.error;
  return r;
}
function mustRun(what, cmd, argv, options) {
  const r = run(cmd, argv, options);
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}): ${r.stderr}`);
  return r;
}

// The shell: the benchmark's objects (bench/real/build_real.sh keeps them in OUT/build/obj),
// linked with the file-backed OS layer instead of the in-memory one.
const out = path.join(work, 'sqlite-build');
mustRun('bench/real/build_real.sh sqlite3', 'bash', [path.join(repo, 'bench', 'real', 'build_real.sh'), 'sqlite3', out],
        { env: { CC: args.clang } });
const obj = path.join(out, 'build', 'obj');
const cflags = ['--target=wasm32-wasi', '--sysroot=/usr', '-O2'];
const defines = ['-DSQLITE_OS_OTHER=1', '-DSQLITE_THREADSAFE=0', '-DSQLITE_OMIT_LOAD_EXTENSION', '-DSQLITE_TEMP_STORE=3', '-DSQLITE_OMIT_WAL'];
mustRun('compile file_vfs.c', args.clang, [...cflags, ...defines, '-I', path.join(obj, 'sqlite3-amalgamation'), '-c',
  path.join(here, 'sqlite', 'file_vfs.c'), '-o', path.join(work, 'file_vfs.o')]);
const shell = path.join(work, 'sqlite3.wasm');
mustRun('link the shell', args.clang, [...cflags, '-Wl,-z,stack-size=1048576', ...['sqlite3.o', 'shell.o', 'stubs.o'].map((o) => path.join(obj, 'sqlite3', o)),
  path.join(work, 'file_vfs.o'), '-lwasi-emulated-signal', '-lwasi-emulated-process-clocks', '-lwasi-emulated-getpid', '-o', shell]);

const sql = ['pragma synchronous=off;', 'create table items(id integer primary key, name text, qty int, price real);', 'begin;'];
const row = (i) => `insert into items(name,qty,price) values('item${String((i * 7919) % 1000).padStart(4, '0')}-${i}',${i % 17},${((i * 37) % 1000) / 10});`;
for (let i = 0; i < 400; i++) sql.push(row(i));
sql.push('commit;');
for (let i = 400; i < 700; i++) sql.push(row(i));
sql.push('create index idx on items(name);', 'update items set qty = qty * 2 where id % 7 = 0;', 'delete from items where id % 11 = 0;',
  'select count(*), sum(qty), round(sum(price),2) from items;',
  'select substr(name,1,6), count(*) from items group by 1 order by 2 desc, 1 limit 5;');
const workload = sql.join('\n');

let dirs = 0;
const freshDir = () => {
  const dir = path.join(work, `d${dirs++}`);
  fs.mkdirSync(dir);
  return dir;
};
const shellRun = (dir, module, env) => run(process.execPath, ['--no-warnings', runner, module, 'items.db', workload], { cwd: dir, env });
const refDir = freshDir();
const reference = shellRun(refDir, shell, {});
if (reference.status !== 0) throw new Error(`the shell failed: ${reference.stderr}`);
const refDb = fs.readFileSync(path.join(refDir, 'items.db'));

let journalStops = 0;
for (const strategy of ['lean', 'full']) {
  const module = path.join(work, `sqlite3.${strategy}.wasm`);
  mustRun(`instrument --strategy ${strategy}`, tool, ['instrument', shell, '-o', module, '--strategy', strategy]);
  const plain = shellRun(freshDir(), module, { WASM_CKPT_VERBOSE: '1' });
  const total = Number((/exiting after polls: (\d+)/.exec(plain.stderr.toString()) || [])[1]);
  check(`${strategy}: instrumented shell equals the original`, plain.status === 0 && plain.stdout.equals(reference.stdout) && total > 0,
    `exit ${plain.status}`);
  for (const k of [1, 3, 5]) {
    const at = Math.floor((total * k) / 8) + k;
    const dir = freshDir();
    const stopped = shellRun(dir, module, { WASM_CKPT_AT: String(at), WASM_CKPT_FILE: 'run.snap' });
    const info = run(tool, ['inspect', 'run.snap', '--json'], { cwd: dir });
    const files = info.status === 0 ? JSON.parse(info.stdout.toString()).files.map((f) => f.path) : [];
    if (files.includes('items.db-journal')) journalStops++;
    const dest = path.join(work, `d${dirs++}`);
    fs.cpSync(dir, dest, { recursive: true });
    const resumed = shellRun(dest, module, { WASM_CKPT_RESTORE: 'run.snap' });
    const db = fs.readFileSync(path.join(dest, 'items.db'));
    const integrity = run(process.execPath, ['--no-warnings', runner, shell, 'items.db', 'pragma integrity_check; select count(*) from items;'],
                          { cwd: dest });
    check(`${strategy}: stopped at poll ${at} of ${total} with ${files.join(' and ')} open, migrated and resumed: output and ` +
          'database file equal an uninterrupted run\'s, integrity_check ok',
      stopped.status === 75 && files.includes('items.db') && resumed.status === 0 &&
      Buffer.concat([stopped.stdout, resumed.stdout]).equals(reference.stdout) && db.equals(refDb) &&
      integrity.stdout.toString() === 'ok\n637\n',
      `stop ${stopped.status}, resume ${resumed.status} ${resumed.stderr}; integrity ${integrity.stdout}`);
  }
}
check('some stops fell inside a transaction, with its rollback journal open', journalStops > 0, 'none did');
finish();
