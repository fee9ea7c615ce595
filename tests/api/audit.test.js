// The audit trail from the command line: `jiceng audit verify` on a fresh
// data directory, after tampering with the database (through the sqlite3
// or psql shell), and its usage errors. Every kind of tampering is
// covered in tests/unit/test_audit_chain.c; the API tests come with login.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { BIN, jiceng, sql as sqlite, tempDir } from '../lib/server.js';

test('a fresh data directory has an intact audit trail', () => {
  const dir = tempDir();
  assert.equal(jiceng(['--data', dir, 'init']).status, 0);
  const r = jiceng(['--data', dir, 'audit', 'verify']);
  assert.equal(r.status, 0, r.stderr);
  const n = Number(sqlite(dir, 'SELECT count(*) FROM audit').trim());
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], `审计链完整：共 ${n} 条记录`);
  assert.match(lines[1], /^与 1 个检查点一致（.*\/audit\.checkpoints）$/);
  assert.equal(lines[2], '现有数据与审计记录一致：1 个用户、0 个数据值、0 个事项');
});

test('verify names an altered and a deleted record and exits 1', () => {
  const dir = tempDir();
  jiceng(['--data', dir, 'init']);
  assert.ok(Number(sqlite(dir, 'SELECT count(*) FROM audit').trim()) >= 1, 'init records the administrator');
  sqlite(dir, "UPDATE audit SET client = '10.0.0.1' WHERE seq = 1");
  let r = jiceng(['--data', dir, 'audit', 'verify']);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /第 1 条记录内容被改动（哈希不符）/);
  assert.match(r.stderr, /审计链不完整：共 \d+ 条记录，发现 1 处问题/);
  sqlite(dir, 'DELETE FROM audit WHERE seq = 1');
  r = jiceng(['--data', dir, 'audit', 'verify']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /序号 1 被删除/);
});

test('writers in several processes at once keep one chain', async () => {
  const dir = tempDir();
  jiceng(['--data', dir, 'init']);
  const run = () => new Promise((resolve) => {
    const p = spawn(BIN, ['--data', dir, 'token', 'create', '--user', 'admin', '--label', 'race'], { stdio: 'ignore' });
    p.on('exit', resolve);
  });
  const codes = await Promise.all(Array.from({ length: 12 }, run));
  assert.deepEqual(codes, Array(12).fill(0));
  const r = jiceng(['--data', dir, 'audit', 'verify']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(Number(sqlite(dir, "SELECT count(*) FROM audit WHERE action = 'token.create'").trim()), 12);
});

test('audit verify needs a database', () => {
  const r = jiceng(['--data', tempDir() + '/absent', 'audit', 'verify']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /jiceng init/);
});

test('audit usage errors exit 2', () => {
  assert.equal(jiceng(['audit']).status, 2);
  const bogus = jiceng(['audit', 'bogus']);
  assert.equal(bogus.status, 2);
  assert.match(bogus.stderr, /unknown audit command "bogus"/);
  assert.equal(jiceng(['audit', 'verify', 'extra']).status, 2);
  assert.match(jiceng(['audit', '--help']).stdout, /audit verify \[--checkpoints FILE\]/);
  assert.match(jiceng(['help']).stdout, /audit\s+verify the audit trail/);
});
