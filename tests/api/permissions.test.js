// Permissions and roles are declared once (data/roles.json): every other
// place that names a permission — the route table, the case kinds, the
// web UI's menu — names only declared ones, and both stores hold exactly
// the declared roles after a start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, jicengOk, freshDataDir, sql } from '../lib/server.js';

const declared = JSON.parse(fs.readFileSync(path.join(ROOT, 'data/roles.json'), 'utf8'));
const perms = new Set(declared.permissions.map((p) => p.code));
const PSEUDO = new Set(['public', 'login', 'submitter']);

test('routes, kinds and the menu name only declared permissions', () => {
  for (const r of JSON.parse(jicengOk(['routes'])))
    assert.ok(PSEUDO.has(r.perm) || perms.has(r.perm), `${r.method} ${r.path}: ${r.perm}`);
  for (const f of fs.readdirSync(path.join(ROOT, 'kinds'))) {
    const k = JSON.parse(fs.readFileSync(path.join(ROOT, 'kinds', f), 'utf8'));
    const named = [k.create_perm, ...k.transitions.map((t) => t.perm), ...k.states.map((s) => s.reviewer).filter(Boolean)];
    for (const p of named) assert.ok(PSEUDO.has(p) || perms.has(p), `kinds/${f}: ${p}`);
  }
  const nav = fs.readFileSync(path.join(ROOT, 'web/nav.js'), 'utf8');
  const used = [...nav.matchAll(/perm: '([^']+)'/g)].map((m) => m[1]);
  assert.ok(used.length > 5);
  for (const p of used) assert.ok(perms.has(p), `web/nav.js: ${p}`);
  for (const role of declared.roles)
    for (const p of role.permissions) assert.ok(perms.has(p), `${role.code}: ${p}`);
});

test('the database holds the declared roles and nothing else', () => {
  const dir = freshDataDir();
  const rows = sql(dir, 'SELECT role, perm FROM role_perms ORDER BY role, perm;').trim().split('\n');
  const want = declared.roles.flatMap((r) => [...r.permissions].sort().map((p) => `${r.code}|${p}`)).sort();
  assert.deepEqual(rows.sort(), want);
  const ranks = sql(dir, 'SELECT code, name, rank FROM roles ORDER BY rank DESC;').trim().split('\n');
  assert.deepEqual(ranks, declared.roles.map((r) => `${r.code}|${r.name}|${r.rank}`));
  // A drifted table is put right at the next start, with an audit record.
  const seeds = () => Number(sql(dir, "SELECT count(*) FROM audit WHERE action = 'roles.seed';").trim());
  const seeded = seeds(); // the migrations' roles, brought up to data/roles.json at the first start
  sql(dir, "DELETE FROM role_perms WHERE role = 'observer' AND perm = 'items:read';");
  jicengOk(['--data', dir, 'audit', 'verify']);
  assert.equal(sql(dir, "SELECT count(*) FROM role_perms WHERE role = 'observer' AND perm = 'items:read';").trim(), '1');
  assert.equal(seeds(), seeded + 1);
  jicengOk(['--data', dir, 'audit', 'verify']);
  assert.equal(seeds(), seeded + 1, 'a table that matches is not written again');
});
