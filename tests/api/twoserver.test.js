// Two `jiceng serve` processes on one PostgreSQL database, as behind a load
// balancer: a write through one (or through the command line, a third
// process) is seen through the other at once, caches included — the unit
// tree, the rollups of analytics, the kept ratings summary — because every
// writer announces its change with NOTIFY and every server LISTENs. A
// session opened on one is valid on the other, a session or token revoked
// on one is refused by both (they keep them in memory), an account locked
// on one is locked on both, login attempts are limited across both, the audit
// chain stays one valid chain under concurrent writers on both, and a request
// repeated with one Idempotency-Key through both is written once.
//
// Runs only with JICENG_TEST_DB=postgres (SQLite is one server's database).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PG, ROOT, startServer, api, login, addUser, tokenFor, jiceng, jicengOk, sql } from '../lib/server.js';

const SKIP = PG ? false : 'two servers share a database only on PostgreSQL: run with JICENG_TEST_DB=postgres JICENG_TEST_PG=URL';
const TOWN = '411121100'; // 舞泉镇
const V1 = '411121100201';
const V2 = '411121100202';
const SCHEME = 'village-2026';

let a, b; // the two servers

const json = (body, method = 'POST') => ({ method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

// A cache is invalidated when the notice arrives, a moment after the
// writer's commit: wait for the condition, at most 5 s, and say how long.
async function eventually(what, fn) {
  const start = Date.now();
  let last;
  while (Date.now() - start < 5000) {
    last = await fn();
    if (last.ok) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`${what}: still ${JSON.stringify(last.seen)} after 5 s`);
}

describe('two servers on one PostgreSQL database', { skip: SKIP }, () => {
  before(async () => {
    a = await startServer({ provinces: ['41'] });
    b = await startServer({ dataDir: a.dataDir });
    jicengOk(['--data', a.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
  });

  test('a member enrolled through one server counts at once in the other\'s party.members', async () => {
    const year = new Date().getFullYear();
    const members = async (s) => (await s.api(`/api/v1/analytics?expr=%23%7Bparty.members%7D&unit=${V2}&period=${year}`)).body.value ?? 0;
    const branch = (await a.api('/api/v1/party/orgs', json({ name: '双服务器党支部', type: 'branch', unit: V2, founded_on: '2020-01-01' }))).body;
    const before = await members(b); // b's rollup is now cached
    const p = (await a.api('/api/v1/persons', json({ name: '双服务器党员', unit: V2 }))).body;
    const r = await a.api(`/api/v1/party/orgs/${branch.id}/members`, json({ person: p.id, kind: 'party_member', stage: 'formal', from: '2020-01-01' }));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await eventually('b counts the new member', async () => {
      const seen = await members(b);
      return { ok: seen === before + 1, seen };
    });
    const orgs = async (s) => (await s.api(`/api/v1/analytics?expr=%23%7Bparty.orgs%7D&unit=${V2}&period=${year}`)).body.value ?? 0;
    const had = await orgs(b);
    await a.api(`/api/v1/party/orgs/${branch.id}`, json({ dissolved_on: `${year}-01-02` }, 'PATCH'));
    await eventually('b drops the dissolved branch', async () => {
      const seen = await orgs(b);
      return { ok: seen === had - 1, seen };
    });
  });

  test('one request with an Idempotency-Key sent to both servers at once is written once', async () => {
    const count = () => Number(sql(a.dataDir, "SELECT count(*) FROM persons WHERE name = '双服务器幂等';").trim());
    const send = (s) => s.api('/api/v1/persons', { ...json({ name: '双服务器幂等', unit: V2 }), headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'two-servers-1' } });
    const answers = await Promise.all([a, b, a, b, a, b].map(send));
    assert.equal(count(), 1);
    const created = answers.filter((r) => r.status === 201);
    assert.ok(created.length >= 1, JSON.stringify(answers.map((r) => r.status)));
    for (const r of answers) assert.ok(r.status === 201 || r.status === 409, JSON.stringify(r.body));
    const later = await send(b);
    assert.equal(later.status, 201);
    assert.equal(later.body.id, created[0].body.id);
  });

  test('a unit imported by another process shows in both servers\' trees', async () => {
    const grid = '411121100201901';
    for (const s of [a, b]) assert.equal((await s.api(`/api/v1/units/${grid}`)).status, 404);
    const file = path.join(a.dataDir, 'grid.csv');
    fs.writeFileSync(file, `code,name,parent_code,kind\n${grid},第九〇一网格,${V1},网格\n`);
    assert.match(jicengOk(['--data', a.dataDir, 'import', 'units', file]), /1 added/);
    for (const s of [a, b]) {
      const ms = await eventually('the new grid', async () => {
        const r = await s.api(`/api/v1/units/${grid}`);
        return { ok: r.status === 200 && r.body.name === '第九〇一网格', seen: r.status };
      });
      assert.ok(ms < 5000);
    }
    // A renamed unit: the tree's names follow too.
    fs.writeFileSync(file, `code,name,parent_code,kind\n${grid},幸福网格,${V1},网格\n`);
    assert.match(jicengOk(['--data', a.dataDir, 'import', 'units', file]), /1 updated/);
    await eventually('the renamed grid', async () => {
      const r = await b.api(`/api/v1/units/${grid}`);
      return { ok: r.body.name === '幸福网格', seen: r.body.name };
    });
    const children = (await b.api(`/api/v1/units/${V1}/children?limit=1000`)).body.items.map((u) => u.code);
    assert.ok(children.includes(grid));
  });

  test('a listener that lost its connection reconnects and drops every cache', async () => {
    // A unit written behind the servers' backs (no notice): their trees miss it …
    const grid = '411121100201902';
    sql(a.dataDir, `INSERT INTO units (code, name, parent_code, level, kind) VALUES ('${grid}', '第九〇二网格', '${V1}', 'grid', 'grid')`);
    await new Promise((r) => setTimeout(r, 200));
    for (const s of [a, b]) assert.equal((await s.api(`/api/v1/units/${grid}`)).status, 404);
    // … until their listening connections drop: on reconnecting, notices may
    // have been missed, so each server reloads everything.
    const killed = sql(a.dataDir, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query = 'LISTEN jiceng' AND datname = current_database()").trim();
    assert.equal(killed, '2');
    for (const s of [a, b])
      await eventually('the unit after reconnecting', async () => {
        const r = await s.api(`/api/v1/units/${grid}`);
        return { ok: r.status === 200, seen: r.status };
      });
    // And they listen again: a unit imported now shows as before.
    const file = path.join(a.dataDir, 'grid2.csv');
    fs.writeFileSync(file, `code,name,parent_code,kind\n411121100201903,第九〇三网格,${V1},网格\n`);
    jicengOk(['--data', a.dataDir, 'import', 'units', file]);
    await eventually('a unit imported after reconnecting', async () => {
      const r = await b.api('/api/v1/units/411121100201903');
      return { ok: r.status === 200, seen: r.status };
    });
    assert.match(a.stderr + b.stderr, /db\.listen.*reconnect=ok/);
  });

  test('values written through one change the other\'s warm analytics', async () => {
    const q = '/api/v1/analytics?' + new URLSearchParams({ expr: '#{households}', unit: TOWN, period: '2024' });
    const write = (s, unit, value) => s.api('/api/v1/values', json([{ element: 'households', unit, period: '2024', value }]));
    assert.equal((await write(a, V1, 100)).status, 200);
    await eventually('the first value on b', async () => {
      const r = await b.api(q);
      return { ok: r.body.value === 100, seen: r.body.value };
    });
    // b's rollup of households is cached now (a second request answers from it).
    assert.equal((await b.api(q)).body.value, 100);
    assert.equal((await write(a, V2, 250)).status, 200);
    await eventually('b\'s cached rollup after a write on a', async () => {
      const r = await b.api(q);
      return { ok: r.body.value === 350, seen: r.body.value };
    });
    // … and the other way round.
    assert.equal((await a.api(q)).body.value, 350);
    assert.equal((await write(b, V1, 50)).status, 200);
    await eventually('a\'s cached rollup after a write on b', async () => {
      const r = await a.api(q);
      return { ok: r.body.value === 300, seen: r.body.value };
    });
  });

  test('a rating written through one changes the other\'s kept summary', async () => {
    const q = `/api/v1/ratings/summary?scheme=${SCHEME}&unit=${TOWN}`;
    const warm = (await b.api(q)).body;
    assert.equal((await b.api(q)).body.declared, warm.declared); // kept now
    const r = await a.api('/api/v1/ratings', json({ scheme: SCHEME, unit: V1, target: 3 }));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await eventually('b\'s kept summary', async () => {
      const s = (await b.api(q)).body;
      return { ok: s.declared === warm.declared + 1, seen: s.declared };
    });
    // … and the other way round.
    const warmA = (await a.api(q)).body;
    assert.equal((await b.api('/api/v1/ratings', json({ scheme: SCHEME, unit: V2, target: 2 }))).status, 201);
    await eventually('a\'s kept summary', async () => {
      const s = (await a.api(q)).body;
      return { ok: s.declared === warmA.declared + 1, seen: s.declared };
    });
    // A data value the scheme's formulas use, written on b, changes what a
    // keeps: V1's year meets 支部过硬星 until b writes 未规范化 (0).
    // party.members is counted from the roster: 60 formal members in V1.
    const v1Branch = (await a.api('/api/v1/party/orgs', json({ name: '大杨庄村党支部', type: 'branch', unit: V1 }))).body;
    for (let i = 0; i < 60; i++) {
      const p = (await a.api('/api/v1/persons', json({ name: `党员${i + 1}`, unit: V1 }))).body;
      const m = await a.api(`/api/v1/party/orgs/${v1Branch.id}/members`, json({ person: p.id, kind: 'party_member', stage: 'formal', from: '2020-01-01' }));
      assert.equal(m.status, 201, JSON.stringify(m.body));
    }
    const year = { 'branch.standardised': 1, population: 1500, 'income.collective': 3, households: 400,
      'toilet.sanitary': 380, volunteers: 100, 'doctor.contracts': 1000, 'vaccine.target': 20, 'vaccine.done': 20 };
    const values = Object.entries(year).map(([element, value]) => ({ element, unit: V1, period: '2026', value }));
    assert.equal((await a.api('/api/v1/values', json(values))).status, 200);
    const scheme = (await a.api(`/api/v1/schemes/${SCHEME}`)).body;
    const answers = { indicators: [], vetoes: [] }; // full marks
    for (const c of scheme.categories) {
      for (const i of c.indicators) {
        if (i.kind === 'assessed') answers.indicators.push({ code: i.code, score: i.max });
        if (i.kind === 'yesno') answers.indicators.push({ code: i.code, yes: true });
      }
      for (const v of c.vetoes) if (v.kind === 'yesno') answers.vetoes.push({ code: v.code, yes: false });
    }
    const put = await a.api(`/api/v1/ratings/${V1}/answers?scheme=${SCHEME}`, json(answers, 'PUT'));
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const party = async (s) => (await s.api(q)).body.stars['支部过硬星'].meets_now;
    await eventually('a\'s summary with V1\'s year', async () => ({ ok: (await party(a)) === 1, seen: await party(a) }));
    assert.equal(await party(a), 1); // kept
    const branch = await b.api('/api/v1/values', json([{ element: 'branch.standardised', unit: V1, period: '2026', value: 0 }]));
    assert.equal(branch.status, 200);
    await eventually('a\'s kept summary after a value written on b', async () => {
      const n = await party(a);
      return { ok: n === 0, seen: n };
    });
  });

  test('a session opened on one is valid on the other, and closed on both', async () => {
    const pw = addUser(a.dataDir, 'roamer', 'observer', '411121');
    const s = await login(a.url, 'roamer', pw);
    assert.equal(s.status, 200);
    const me = (srv) => api(srv.url, '/api/v1/me', { headers: { Cookie: s.cookie } });
    const there = await me(b);
    assert.equal(there.status, 200);
    assert.equal(there.body.user.username, 'roamer');
    assert.equal(there.body.csrf, s.csrf);
    const out = await api(b.url, '/api/v1/session', { method: 'DELETE', headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf } });
    assert.equal(out.status, 204);
    assert.equal((await me(a)).status, 401);
    assert.equal((await me(b)).status, 401);
  });

  test('failed logins on both servers lock the account on both, for that address', async () => {
    const pw = addUser(a.dataDir, 'locked2', 'observer', '411121');
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await login((i % 2 ? b : a).url, 'locked2', 'wrong-password-' + i));
    assert.deepEqual(answers.map((r) => r.status), [401, 401, 401, 401, 401]);
    const right = [await login(a.url, 'locked2', pw), await login(b.url, 'locked2', pw)];
    assert.deepEqual(right.map((r) => r.status), [401, 401]);
    assert.equal(right[0].body.error.message, answers[0].body.error.message);
    const locks = sql(a.dataDir, "SELECT count(*) FROM login_failures WHERE username = 'locked2' AND locked_until > 0").trim();
    assert.equal(locks, '1');
  });

  test('sessions and tokens kept in memory are refused by both servers once revoked', async () => {
    const pw = addUser(a.dataDir, 'cached2', 'observer', '411121');
    const token = tokenFor(a.dataDir, 'cached2');
    const s = await login(a.url, 'cached2', pw);
    const byToken = (srv, t = token) => api(srv.url, '/api/v1/me', { headers: { Authorization: `Bearer ${t}` } });
    const byCookie = (srv) => api(srv.url, '/api/v1/me', { headers: { Cookie: s.cookie } });
    for (const srv of [a, b, a, b]) { // the second round is answered from memory
      assert.equal((await byToken(srv)).status, 200);
      assert.equal((await byCookie(srv)).status, 200);
    }
    const refused = async (what, fn, srv) => {
      const ms = await eventually(`${what} on ${srv === a ? 'a' : 'b'}`, async () => {
        const r = await fn(srv);
        return { ok: r.status === 401, seen: r.status };
      });
      assert.ok(ms < 1000, `${what}: ${ms} ms`);
      return ms;
    };
    // A token revoked through b's API: b refuses it at once, a as soon as the notice is in.
    const id = (await b.api('/api/v1/users/cached2/tokens')).body.items[0].id;
    assert.equal((await b.api(`/api/v1/users/cached2/tokens/${id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await byToken(b)).status, 401);
    await refused('the revoked token', byToken, a);
    assert.equal((await byCookie(a)).status, 200, 'the session is not the token');
    // A new password set through a ends the session on b.
    const reset = await a.api('/api/v1/users/cached2', json({ password: 'Another-pass-2026x' }, 'PATCH'));
    assert.equal(reset.status, 200);
    assert.equal((await byCookie(a)).status, 401);
    await refused('the session after a new password', byCookie, b);
    // The command line, a third process, revokes a token both servers keep.
    const out = jiceng(['--data', a.dataDir, 'token', 'create', '--user', 'cached2']);
    const t2 = out.stdout.trim();
    const id2 = out.stderr.match(/token (\d+)/)[1];
    for (const srv of [a, b, a, b]) assert.equal((await byToken(srv, t2)).status, 200);
    jicengOk(['--data', a.dataDir, 'token', 'revoke', id2]);
    for (const srv of [a, b]) await refused('a token revoked by the command line', (x) => byToken(x, t2), srv);
  });

  test('login attempts from one address are limited across both servers', async () => {
    // Two more servers with a limit of 4 a minute (the others allow many).
    const env = { JICENG_LOGIN_RATE: '4' };
    const c = await startServer({ dataDir: a.dataDir, env });
    const d = await startServer({ dataDir: a.dataDir, env });
    try {
      // One minute for the whole sequence; the other tests' attempts do not count.
      const sec = new Date().getSeconds();
      if (sec > 45) await new Promise((r) => setTimeout(r, (61 - sec) * 1000));
      sql(a.dataDir, 'DELETE FROM rate_attempts');
      const codes = [];
      for (let i = 0; i < 6; i++) codes.push((await login((i % 2 ? d : c).url, 'nobody-' + i, 'whatever-123456')).status);
      assert.deepEqual(codes, [401, 401, 401, 401, 429, 429]);
      // Alone, each server saw only 3: the fifth and sixth were refused by the shared count.
      const row = sql(a.dataDir, "SELECT n FROM rate_attempts WHERE client = '127.0.0.1'").trim();
      assert.equal(row, '6');
    } finally {
      await c.stop();
      await d.stop();
    }
  });

  test('concurrent writes on both servers keep one valid audit chain', async () => {
    const writes = [];
    for (let i = 0; i < 40; i++) {
      const s = i % 2 ? b : a;
      const unit = `4111211002${String(1 + (i % 9)).padStart(2, '0')}`;
      writes.push(s.api('/api/v1/values', json([{ element: 'volunteers', unit, period: '2025', value: i }])));
      if (i % 10 === 0) writes.push(login(s.url, 'nobody', 'whatever-123456'));
    }
    const results = await Promise.all(writes);
    for (const r of results) assert.ok(r.status === 200 || r.status === 401, `status ${r.status}`);
    const v = jiceng(['--data', a.dataDir, 'audit', 'verify']);
    assert.equal(v.status, 0, v.stderr);
    const n = Number(sql(a.dataDir, 'SELECT count(*) FROM audit').trim());
    assert.equal(v.stdout.split('\n')[0], `审计链完整：共 ${n} 条记录`);
    // Both servers see the same figure, whichever wrote last.
    const q = '/api/v1/analytics?' + new URLSearchParams({ expr: '#{volunteers}', unit: TOWN, period: '2025' });
    const want = Number(sql(a.dataDir, "SELECT sum(value) FROM data_values WHERE element = 'volunteers' AND period = '2025'").trim());
    for (const s of [a, b])
      await eventually('the volunteers total', async () => {
        const r = await s.api(q);
        return { ok: r.body.value === want, seen: r.body.value };
      });
  });
});
