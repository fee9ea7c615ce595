// A request's version (issue 18 conflicts for requests): a step or a
// comment naming the version it was made on (base_version, e.g. written
// offline on the grid worker's phone) is refused with 409 and the current
// item (with its timeline) when the item changed since — nothing written,
// nothing audited — and applies when the base is current; a malformed
// base_version is 400; without base_version nothing changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql } from '../lib/server.js';

const V1 = '411121100201';
let srv;
let id;

const send = (method, p, body, headers = {}) =>
  srv.api(p, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
const events = () => Number(sql(srv.dataDir, `SELECT count(*) FROM case_events WHERE case_id = ${id};`).trim());
const audits = () => Number(sql(srv.dataDir, 'SELECT count(*) FROM audit;').trim());

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  const r = await send('POST', '/api/v1/items', { type: 'request', title: '路灯不亮', unit: V1 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.version, 1);
  id = r.body.id;
});
after(() => srv?.stop());

test('a comment or step on the current version applies and adds one', async () => {
  let r = await send('POST', `/api/v1/items/${id}/comments`, { note: '已到现场', base_version: 1 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.version, 2);
  r = await send('POST', `/api/v1/items/${id}/transitions`, { transition: 'accept', base_version: 2 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.version, 3);
  r = await send('POST', `/api/v1/items/${id}/comments`, { note: '不带版本号照常' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.version, 4);
});

test('made on an older version: 409 with the current item, nothing written', async () => {
  const [n, a] = [events(), audits()];
  for (const [path, body] of [['comments', { note: '旧稿进展', base_version: 2 }], ['transitions', { transition: 'dispatch', base_version: 3 }]]) {
    const r = await send('POST', `/api/v1/items/${id}/${path}`, body, { 'Idempotency-Key': `iv-${path}-1` });
    assert.equal(r.status, 409, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'conflict');
    assert.equal(r.body.error.field, 'base_version');
    assert.match(r.body.error.message, /已有新的办理.*第 \d 版.*第 4 版/);
    assert.equal(r.body.current.id, id);
    assert.equal(r.body.current.version, 4);
    assert.equal(r.body.current.state_label, '已受理');
    assert.equal(r.body.current.timeline.at(-1).note, '不带版本号照常');
    // The same key again is refused again, not replayed as a success.
    const again = await send('POST', `/api/v1/items/${id}/${path}`, body, { 'Idempotency-Key': `iv-${path}-1` });
    assert.equal(again.status, 409);
  }
  assert.equal(events(), n, 'nothing written');
  assert.equal(audits(), a, 'nothing audited');
  // Keep mine: sent again on the current version, under a new key.
  const mine = await send('POST', `/api/v1/items/${id}/comments`, { note: '旧稿进展', base_version: 4 }, { 'Idempotency-Key': 'iv-comments-2' });
  assert.equal(mine.status, 201, JSON.stringify(mine.body));
  assert.equal(mine.body.version, 5);
  assert.equal(events(), n + 1);
});

test('a malformed base_version is 400 naming it', async () => {
  for (const base of [0, -2, '3', 1.5, null, true]) {
    const r = await send('POST', `/api/v1/items/${id}/comments`, { note: 'x', base_version: base });
    assert.equal(r.status, 400, `${JSON.stringify(base)}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.field, 'base_version');
    assert.match(r.body.error.message, /版本号/);
  }
});
