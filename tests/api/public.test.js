// Residents without an account: find the village, submit a request, follow
// it by its code, rate it once resolved. The code is the only key; contact
// details never come back; submissions are rate limited per address.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, addUser, tokenFor, sql } from '../lib/server.js';

let srv;
let grid;
const V1 = '411121100201';

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  addUser(srv.dataDir, 'grid1', 'grid_worker', V1);
  const token = tokenFor(srv.dataDir, 'grid1');
  grid = (p, body) => api(srv.url, p, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
});
after(() => srv?.stop());

const anon = (p, body) => api(srv.url, p, body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

test('finding the village and the categories needs no login', async () => {
  const units = (await anon('/api/v1/public/units?q=' + encodeURIComponent('大杨庄'))).body.items;
  assert.ok(units.some((u) => u.code === V1 && u.path === '河南省 › 漯河市 › 舞阳县 › 舞泉镇'));
  assert.ok(units.every((u) => u.code.length >= 12), 'villages and communities only');
  assert.equal((await anon('/api/v1/public/units')).status, 400);
  assert.ok((await anon('/api/v1/public/categories')).body.items.includes('道路交通'));
});

test('submit, follow, the village resolves it, the resident rates it', async () => {
  const bad = [
    [{ unit: '411121100', category: '道路交通', description: 'x' }, 'unit'], // a township, not a village
    [{ unit: V1, category: '道路交通' }, 'description'],
    [{ unit: V1, category: '不存在', description: 'x' }, 'category'],
    [{ unit: V1, category: '道路交通', description: 'x', secret: 1 }, 'secret'],
  ];
  for (const [body, field] of bad) {
    const r = await anon('/api/v1/public/requests', body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.field, field);
  }
  const made = await anon('/api/v1/public/requests', { unit: V1, category: '道路交通', description: '村口路灯不亮，晚上出行不便，请尽快维修。', location: '村口', contact: '13812345678' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const code = made.body.code;
  assert.match(code, /^[A-Z2-9]{10}$/);

  let s = (await anon(`/api/v1/public/requests/${code}`)).body;
  assert.equal(s.state_label, '已提交');
  assert.equal(s.can_rate, false);
  assert.equal(s.unit.name, '大杨庄村村民委员会');
  assert.ok(!JSON.stringify(s).includes('13812345678'));
  assert.equal((await anon(`/api/v1/public/requests/${code}/rating`, { rating: 5 })).status, 400, 'not resolved yet');

  // The village (grid worker) works on it through the staff API.
  const id = (await srv.api('/api/v1/items?type=request')).body.items[0].id;
  assert.equal((await grid(`/api/v1/items/${id}/transitions`, { transition: 'accept' })).status, 200);
  assert.equal((await grid(`/api/v1/items/${id}/transitions`, { transition: 'dispatch', assignee: '电工老李' })).status, 200);
  assert.equal((await grid(`/api/v1/items/${id}/transitions`, { transition: 'resolve', note: '已更换灯泡' })).status, 200);
  assert.equal((await grid(`/api/v1/items/${id}/transitions`, { transition: 'rate', rating: 5 })).status, 403, 'staff cannot rate for the resident');

  s = (await anon(`/api/v1/public/requests/${code}`)).body;
  assert.equal(s.state_label, '已办结');
  assert.equal(s.can_rate, true);
  assert.ok(s.timeline.some((e) => e.note === '已更换灯泡'));
  for (const rating of [0, 6, 2.5, '5']) assert.equal((await anon(`/api/v1/public/requests/${code}/rating`, { rating })).status, 400);
  const rated = await anon(`/api/v1/public/requests/${code}/rating`, { rating: 5, note: '很满意' });
  assert.equal(rated.status, 200, JSON.stringify(rated.body));
  assert.equal(rated.body.rating, 5);
  assert.equal(rated.body.can_rate, false);
  assert.equal((await anon(`/api/v1/public/requests/${code}/rating`, { rating: 1 })).status, 400, 'rated once');
  assert.equal((await anon('/api/v1/public/requests/NOSUCHCODE')).status, 404);
  const audit = (await srv.api('/api/v1/audit?limit=50')).body.items;
  assert.ok(audit.some((r) => r.action === 'item.rate' && r.user === 'resident'));
});

test('submissions are rate limited per address', async () => {
  const limited = await startServer({ dataDir: srv.dataDir, env: { JICENG_LOGIN_RATE: '2' } });
  try {
    // On PostgreSQL the count is shared by every server of the database
    // (tests/api/twoserver.test.js): the other tests' submissions start from 0.
    sql(srv.dataDir, 'DELETE FROM rate_attempts');
    const codes = [];
    for (let i = 0; i < 4; i++) {
      const r = await api(limited.url, '/api/v1/public/requests', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ unit: V1, category: '其他', description: `第 ${i} 条` }) });
      codes.push(r.status);
    }
    assert.deepEqual(codes, [201, 201, 429, 429]);
  } finally {
    await limited.stop();
  }
});

test('the names the system uses for residents and scripts cannot be taken', async () => {
  const r = await srv.api('/api/v1/users', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'resident', password: 'Some-pass-2026x', role: 'observer', scope: V1 }) });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'username');
});
