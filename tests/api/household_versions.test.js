// A household's version (migration 041, issue 18 conflicts): every change
// adds one; an edit naming the version it started from (base_version) is
// refused with 409 and the current household when someone changed it since
// — nothing written, not audited — and applies when the base is current; a
// malformed base_version is 400. The outbox resends such an edit under a
// new Idempotency-Key; a repeat under the old key is not replayed as a
// success.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql } from '../lib/server.js';

const V1 = '411121100201';
let srv;
let id;

const send = (method, p, body, headers = {}) =>
  srv.api(p, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
const audits = () => Number(sql(srv.dataDir, "SELECT count(*) FROM audit WHERE action = 'household.update';").trim());

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  const r = await send('POST', '/api/v1/households', { unit: V1, address: '南街 3 号' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.version, 1);
  id = r.body.id;
});
after(() => srv?.stop());

test('every change adds one to the version; the list shows it too', async () => {
  let r = await send('PATCH', `/api/v1/households/${id}`, { address: '南街 3 号院' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.version, 2);
  r = await send('PATCH', `/api/v1/households/${id}`, { address: '南街 3 号院 1 栋', base_version: 2 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.version, 3);
  r = await srv.api(`/api/v1/households?unit=${V1}`);
  assert.equal(r.body.items.find((h) => h.id === id).version, 3);
});

test('an edit based on an older version: 409 with the current household, nothing written', async () => {
  const n = audits();
  const r = await send('PATCH', `/api/v1/households/${id}`, { address: '旧稿', base_version: 1 }, { 'Idempotency-Key': 'hv-old-1' });
  assert.equal(r.status, 409, JSON.stringify(r.body));
  assert.equal(r.body.error.code, 'conflict');
  assert.equal(r.body.error.field, 'base_version');
  assert.match(r.body.error.message, /已被他人修改.*第 1 版.*第 3 版/);
  assert.equal(r.body.current.id, id);
  assert.equal(r.body.current.address, '南街 3 号院 1 栋');
  assert.equal(r.body.current.version, 3);
  assert.ok(Array.isArray(r.body.current.tags) && Array.isArray(r.body.current.members));
  const now = await srv.api(`/api/v1/households/${id}`);
  assert.equal(now.body.address, '南街 3 号院 1 栋');
  assert.equal(now.body.version, 3);
  assert.equal(audits(), n, 'a refused edit is not audited');
  // The same key again is not a replayed success: it is refused again.
  const again = await send('PATCH', `/api/v1/households/${id}`, { address: '旧稿', base_version: 1 }, { 'Idempotency-Key': 'hv-old-1' });
  assert.equal(again.status, 409);
  // Keep mine: sent again on the current base, under a new key.
  const mine = await send('PATCH', `/api/v1/households/${id}`, { address: '旧稿', base_version: 3 }, { 'Idempotency-Key': 'hv-old-2' });
  assert.equal(mine.status, 200, JSON.stringify(mine.body));
  assert.equal(mine.body.version, 4);
  assert.equal(audits(), n + 1);
});

test('a malformed base_version is 400 naming it', async () => {
  for (const base of [0, -2, '3', 1.5, null]) {
    const r = await send('PATCH', `/api/v1/households/${id}`, { address: 'x', base_version: base });
    assert.equal(r.status, 400, `${JSON.stringify(base)}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.field, 'base_version');
    assert.match(r.body.error.message, /版本号/);
  }
  assert.equal((await srv.api(`/api/v1/households/${id}`)).body.address, '旧稿');
});
