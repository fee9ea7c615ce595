// `jiceng backup FILE` and the restore drill: a backup taken while writers
// post items finishes while they still write, holds exactly the writes
// whose audit records precede its audit sequence number (so every write
// acknowledged before it started), restores into a fresh data directory,
// and that directory verifies and serves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, jiceng, jicengOk, sql, tempDir, PG, BIN } from '../lib/server.js';

const V1 = '411121100201';
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

// Runs the CLI without blocking the event loop (the writers go on).
function jicengAsync(args) {
  return new Promise((resolve) => {
    const p = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

// Restores a backup file into a fresh data directory with the key file.
function restore(file, keyFrom) {
  const dir = tempDir();
  if (PG) {
    const url = fs.readFileSync(path.join(dir, 'jiceng.conf'), 'utf8').match(/^db = (.*)$/m)[1];
    const r = spawnSync('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${url}`, file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  } else {
    fs.copyFileSync(file, path.join(dir, 'jiceng.db'));
  }
  fs.copyFileSync(path.join(keyFrom, 'secret.key'), path.join(dir, 'secret.key'));
  fs.chmodSync(path.join(dir, 'secret.key'), 0o600);
  return dir;
}

test('restore drill: a backup under steady writes holds every write up to its audit sequence number', async () => {
  const srv = await startServer({ provinces: ['41'] });
  addUser(srv.dataDir, 'grid1', 'grid_worker', V1);
  const token = tokenFor(srv.dataDir, 'grid1');
  const acked = []; // [id, time acknowledged]
  let stop = false;
  let n = 0;
  const writer = async () => {
    while (!stop) {
      const r = await api(srv.url, '/api/v1/items', {
        method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'problem', title: `巡查发现的问题 ${++n}`, unit: V1 }),
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      acked.push([r.body.id, Date.now()]);
    }
  };
  const writers = [writer(), writer(), writer(), writer()];
  await sleep(1500);
  const file = path.join(tempDir('jiceng-backup-'), 'jiceng-backup.db');
  const started = Date.now();
  const ackedBefore = acked.length;
  const b = await jicengAsync(['--data', srv.dataDir, 'backup', file]);
  const finished = Date.now();
  const ackedDuring = acked.length - ackedBefore;
  await sleep(500);
  stop = true;
  await Promise.all(writers);
  assert.equal(b.status, 0, b.stderr);
  assert.ok(ackedDuring > 0, 'the writers went on while the backup ran');
  assert.ok(finished - started < 30000, `the backup took ${finished - started} ms`);
  const seq = Number(b.stdout.match(/审计序号：(\d+)/)[1]);
  assert.match(b.stdout, /审计链完整：共 \d+ 条记录；\d+ 个用户、0 个数据值、\d+ 个事项与审计记录一致/);
  assert.match(b.stdout, /密钥文件 .*secret\.key 不在备份中/);
  assert.equal((fs.statSync(file).mode & 0o777), 0o600);
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ['jiceng-backup.db'], 'no temporary file left');
  await srv.stop();

  // The items the snapshot must hold: those whose creation was recorded at
  // or before its sequence number, and no other.
  const live = sql(srv.dataDir, `SELECT entity FROM audit WHERE action = 'item.create' AND seq <= ${seq} ORDER BY seq`)
    .trim().split('\n').map((e) => Number(e.replace('item:', '')));
  for (const [id, at] of acked) if (at < started) assert.ok(live.includes(id), `item ${id} acknowledged before the backup`);

  const dir = restore(file, srv.dataDir);
  const v = jiceng(['--data', dir, 'audit', 'verify']);
  assert.equal(v.status, 0, v.stderr);
  assert.equal(Number(sql(dir, 'SELECT max(seq) FROM audit').trim()), seq);
  const restored = sql(dir, "SELECT id FROM cases WHERE kind = 'problem' ORDER BY id").trim().split('\n').map(Number);
  assert.deepEqual(restored, [...live].sort((x, y) => x - y));
  assert.ok(restored.length < acked.length, 'writes after the snapshot are not in it');

  // The restored directory serves.
  const again = await startServer({ dataDir: dir });
  const item = await again.api(`/api/v1/items/${restored[restored.length - 1]}`);
  assert.equal(item.status, 200);
  await again.stop();
});

test('backup refuses to overwrite, checks what it copied, and says how it is used', () => {
  const dir = tempDir();
  jicengOk(['--data', dir, 'init']);
  const out = tempDir('jiceng-backup-');
  const file = path.join(out, 'b.db');
  assert.equal(jiceng(['--data', dir, 'backup', file]).status, 0);
  const again = jiceng(['--data', dir, 'backup', file]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /已存在：备份不会覆盖已有的文件/);
  // A damaged trail is copied faithfully, and said so.
  sql(dir, "UPDATE audit SET client = '10.0.0.1' WHERE seq = 1");
  const bad = jiceng(['--data', dir, 'backup', path.join(out, 'c.db')]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /第 1 条记录内容被改动/);
  assert.match(bad.stderr, /备份中的审计核对发现 1 处问题（备份已保留/);
  assert.ok(fs.existsSync(path.join(out, 'c.db')));
  assert.equal(jiceng(['--data', dir, 'backup']).status, 2);
  assert.equal(jiceng(['--data', dir, 'backup', 'a', 'b']).status, 2);
  assert.match(jiceng(['backup', '--help']).stdout, /usage: jiceng \[--data DIR\] backup FILE/);
  assert.match(jiceng(['help']).stdout, /backup\s+a consistent, checked copy/);
});
