// The audit trail against someone who can write the database but not the
// key file or the checkpoint file (a database administrator, a stolen
// database password, an SQL injection): the three ways of rewriting the
// trail itself — deleting the last records and resetting audit_head,
// recomputing the chain after an edit, deleting every record — all fail
// `jiceng audit verify`; the checkpoint file, from syslog too; a running
// server's alarm when the trail goes back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, jiceng, jicengOk, passwordFile, sql, tempDir, PG, ADMIN_PASSWORD } from '../lib/server.js';

const verify = (d, extra = []) => jiceng(['--data', d, 'audit', 'verify', ...extra]);

// A data directory with a few records, written by the command line (each
// command ends with a checkpoint).
function smallDir() {
  const d = tempDir();
  jicengOk(['--data', d, 'init', '--admin-password-file', passwordFile(ADMIN_PASSWORD)]);
  for (const name of ['zhang', 'wang', 'liu'])
    jicengOk(['--data', d, 'user', 'add', name, '--role', 'observer', '--scope', 'all', '--password-file', passwordFile(ADMIN_PASSWORD)]);
  jicengOk(['--data', d, 'token', 'create', '--user', 'zhang']);
  assert.equal(verify(d).status, 0);
  return d;
}

const ZERO = '0'.repeat(64);

test('deleting the last records and resetting audit_head is caught by the checkpoints', () => {
  const d = smallDir();
  const n = Number(sql(d, 'SELECT max(seq) FROM audit').trim());
  const keep = n - 2;
  sql(d, `DELETE FROM audit WHERE seq > ${keep}; UPDATE audit_head SET seq = ${keep}, hash = (SELECT hash FROM audit WHERE seq = ${keep})`);
  const r = verify(d);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, new RegExp(`的检查点登记到第 ${n} 条，数据库中只到第 ${keep} 条（序号 ${keep + 1}–${n} 被删除）`));
  assert.match(r.stderr, /审计链不完整/);
});

test('deleting every record is not "complete, 0 records"', () => {
  const d = smallDir();
  sql(d, `DELETE FROM audit; UPDATE audit_head SET seq = 0, hash = '${ZERO}'`);
  let r = verify(d);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /数据库中没有任何审计记录（序号 1–\d+ 被删除）/);
  // even with the checkpoint file gone too
  fs.rmSync(path.join(d, 'audit.checkpoints'));
  r = verify(d);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /没有任何审计记录/);
  // and the head with them: verify still runs, and writes refuse
  sql(d, 'DELETE FROM audit_head');
  r = verify(d);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /链头记录缺失/);
  assert.equal(jiceng(['--data', d, 'token', 'create', '--user', 'zhang']).status, 1);
});

// The audit rows as JSON objects, one per line, on either backend.
function auditRows(d) {
  const obj = PG ? 'json_build_object' : 'json_object';
  const cols = ['seq', 'at', 'user_name', 'action', 'entity', 'unit', 'before_json', 'after_json', 'client', 'prev_hash', 'hash'];
  const out = sql(d, `SELECT ${obj}(${cols.map((c) => `'${c}', ${c}`).join(', ')}) FROM audit ORDER BY seq`);
  return out.trim().split('\n').map((l) => JSON.parse(l));
}

// SHA-256 of the documented format-1 serialisation: what anyone can compute.
function plainHash(r, prev) {
  const field = (v) => (v === null ? '-\n' : `${Buffer.byteLength(String(v))}:${v}\n`);
  const text = 'jiceng-audit-1\n' + [String(r.seq), r.at, r.user_name, r.action, r.entity, r.unit, r.before_json,
    r.after_json, r.client, prev].map(field).join('');
  return crypto.createHash('sha256').update(text).digest('hex');
}

// Recomputes the chain from record `from` on, as the attacker must (and,
// where records have a format, says format 1: the one they can compute).
function recompute(d, rows, from) {
  let prev = from > 1 ? rows[from - 2].hash : ZERO;
  const updates = [];
  let format = ', format = 1';
  try {
    sql(d, 'SELECT format FROM audit WHERE seq = 0');
  } catch {
    format = ''; // before keyed records
  }
  for (const r of rows.slice(from - 1)) {
    const h = plainHash(r, prev);
    updates.push(`UPDATE audit SET prev_hash = '${prev}', hash = '${h}'${format} WHERE seq = ${r.seq}`);
    prev = h;
  }
  updates.push(`UPDATE audit_head SET hash = '${prev}'`);
  sql(d, updates.join(';\n'));
}

test('recomputing the chain after an edit is caught: without the key only the old format can be computed', () => {
  const d = smallDir();
  const rows = auditRows(d);
  // Make zhang an administrator and rewrite his creation record to match.
  const rec = rows.find((r) => r.action === 'user.create' && r.entity === 'user:zhang');
  const image = JSON.parse(rec.after_json);
  image.role = 'admin';
  rec.after_json = JSON.stringify(image);
  sql(d, `UPDATE users SET role = 'admin' WHERE username = 'zhang'; UPDATE audit SET after_json = '${rec.after_json}' WHERE seq = ${rec.seq}`);
  let r = verify(d);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`第 ${rec.seq} 条记录内容被改动（哈希不符）`));

  // From the edited record on: the keyed chain falls back to format 1.
  recompute(d, rows, rec.seq);
  r = verify(d);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`第 ${rec.seq} 条是不带密钥的旧格式，却排在带密钥的记录之后`));

  // From the first record on: consistent in itself, but not with the checkpoints.
  recompute(d, rows, 1);
  r = verify(d);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /条与 \S+ 的检查点登记的哈希不符（记录被改写或整条链被重算）/);
  assert.doesNotMatch(r.stderr, /现有数据与审计记录不符/);
});

test('the checkpoint file: a changed line is named; syslog copies count; a missing file is said', () => {
  const d = smallDir();
  const file = path.join(d, 'audit.checkpoints');
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  assert.ok(lines.length >= 4, 'one checkpoint per command that wrote');
  assert.match(lines[0], /^jiceng-checkpoint-1 seq=\d+ head=[0-9a-f]{64} at=\S+ mac=[0-9a-f]{64}$/);
  // as syslog keeps them, in a file of their own
  const logged = path.join(tempDir('jiceng-scratch-'), 'syslog');
  fs.writeFileSync(logged, lines.map((l) => `Nov 23 09:41:07 host jiceng[812]: ${l}`).join('\n') + '\n');
  fs.renameSync(file, file + '.moved');
  let r = verify(d);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /没有检查点文件 .*audit\.checkpoints：无法对照末尾被删的记录或整条链被重算/);
  r = verify(d, ['--checkpoints', logged]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`与 ${lines.length} 个检查点一致`));
  // a line edited to point at an earlier head
  fs.writeFileSync(file, lines.map((l, i) => (i === 1 ? l.replace(/seq=\d+/, 'seq=1') : l)).join('\n') + '\n');
  r = verify(d);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /检查点文件 .* 第 2 行签名无效或格式错误/);
  assert.equal(verify(d, ['--checkpoints', '/nonexistent']).status, 1);
  assert.equal(jiceng(['--data', d, 'audit', 'verify', '--checkpoints']).status, 2);
});

test('a running server checkpoints every second and raises an alarm when the trail goes back', async () => {
  const d = smallDir();
  const srv = await startServer({ dataDir: d, env: { JICENG_LOG: 'warn' } });
  const file = path.join(d, 'audit.checkpoints');
  const before = fs.readFileSync(file, 'utf8').split('\n').length;
  const r = await srv.api('/api/v1/users', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'zhao', password: ADMIN_PASSWORD, role: 'observer' }) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await new Promise((res) => setTimeout(res, 2500));
  assert.ok(fs.readFileSync(file, 'utf8').split('\n').length > before, 'a checkpoint for the new record');
  const n = Number(sql(d, 'SELECT max(seq) FROM audit').trim());
  sql(d, `DELETE FROM audit WHERE seq = ${n}; UPDATE audit_head SET seq = ${n - 1}, hash = (SELECT hash FROM audit WHERE seq = ${n - 1})`);
  await new Promise((res) => setTimeout(res, 2500));
  assert.match(srv.stderr, new RegExp(`event=audit\\.tamper seq=${n}`));
  await srv.stop();
  assert.equal(verify(d).status, 1);
});
