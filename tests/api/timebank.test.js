// The time bank (时间银行, app/timebank.h): a held 志愿服务 event's hours are
// credited once per person (1 hour = 1 coin); coins go only to a relative of
// the same household and never above the balance (400, nothing written);
// redemptions by the rules of data/timebank.json; parallel transfers never
// overdraw, and the ledger always sums to the balances.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql, chinaDay } from '../lib/server.js';

const V1 = '411121100201';
let srv;
const send = (method, p, body) => srv.api(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) });
const ids = {};

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  for (const name of ['张大爷', '张小明', '李阿姨']) {
    const r = await send('POST', '/api/v1/persons', { name, unit: V1 });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids[name] = r.body.id;
  }
  const hh = await send('POST', '/api/v1/households', { unit: V1, address: '一组 8 号' });
  assert.equal(hh.status, 201, JSON.stringify(hh.body));
  for (const [name, relation] of [['张大爷', 'head'], ['张小明', 'other']]) {
    const r = await send('POST', `/api/v1/households/${hh.body.id}/members`, { person: ids[name], relation, from: '2020-01-01' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
});
after(() => srv?.stop());

const totals = () => sql(srv.dataDir, 'SELECT (SELECT coalesce(sum(cents),0) FROM timebank_entries), (SELECT coalesce(sum(cents),0) FROM timebank_balances);').trim().split('|').map(Number);
const balance = async (name) => (await srv.api(`/api/v1/persons/${ids[name]}/timebank`)).body.balance;

test('a volunteer event credits hours once; transfers to relatives; redemptions; bad input', async () => {
  const ev = await send('POST', '/api/v1/events', { type: 'volunteer', unit: V1, status: 'held', starts_at: chinaDay(-1), topic: '敬老院志愿服务',
    participants: [{ person: ids['张小明'], attendance: 'present', values: { hours: 12 } }, { person: ids['李阿姨'], attendance: 'present', values: { hours: 3.5 } }] });
  assert.equal(ev.status, 201, JSON.stringify(ev.body));
  const c = await send('POST', `/api/v1/events/${ev.body.id}/timebank`);
  assert.equal(c.status, 200, JSON.stringify(c.body));
  assert.equal(c.body.credited, 2);
  assert.equal((await send('POST', `/api/v1/events/${ev.body.id}/timebank`)).body.credited, 0, 'credited once');
  assert.equal(await balance('张小明'), 12);
  assert.equal(await balance('李阿姨'), 3.5);
  // hours above a day are refused by the event itself
  const day = await send('POST', '/api/v1/events', { type: 'volunteer', unit: V1, status: 'held', starts_at: chinaDay(-1), topic: '超时',
    participants: [{ person: ids['李阿姨'], attendance: 'present', values: { hours: 25 } }] });
  assert.equal(day.status, 400);
  const before = totals();
  const bad = [
    [ids['张小明'], { to: ids['张大爷'], coins: 12.01 }, /余额不足/],
    [ids['张小明'], { to: ids['李阿姨'], coins: 1 }, /近亲属/],
    [ids['张小明'], { to: ids['张小明'], coins: 1 }, /自己/],
    [ids['张小明'], { to: ids['张大爷'], coins: -1 }, /大于 0/],
    [ids['张小明'], { to: ids['张大爷'], coins: 0.001 }, /两位小数/],
  ];
  for (const [from, body, re] of bad) {
    const r = await send('POST', `/api/v1/persons/${from}/timebank/transfers`, body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.match(r.body.error.message, re);
  }
  assert.deepEqual(totals(), before, 'nothing written');
  const t = await send('POST', `/api/v1/persons/${ids['张小明']}/timebank/transfers`, { to: ids['张大爷'], coins: 10 });
  assert.equal(t.status, 201, JSON.stringify(t.body));
  assert.equal(t.body.balance, 2);
  assert.equal(await balance('张大爷'), 10);
  const r = await send('POST', `/api/v1/persons/${ids['张大爷']}/timebank/redemptions`, { rule: 'daily_goods' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.balance, 5);
  const poor = await send('POST', `/api/v1/persons/${ids['李阿姨']}/timebank/redemptions`, { rule: 'health_check' });
  assert.equal(poor.status, 400);
  assert.match(poor.body.error.message, /余额不足/);
  assert.equal((await send('POST', `/api/v1/persons/${ids['李阿姨']}/timebank/redemptions`, { rule: 'nope' })).status, 400);
  const [ledger, balances] = totals();
  assert.equal(ledger, balances);
  assert.equal(ledger, 1200 + 350 - 500, 'sum of coins = credited − redeemed');
});

test('parallel transfers never overdraw', async () => {
  const from = ids['张大爷'];
  const start = await balance('张大爷');
  const results = await Promise.all(Array.from({ length: 20 }, () =>
    send('POST', `/api/v1/persons/${from}/timebank/transfers`, { to: ids['张小明'], coins: 1 })));
  const ok = results.filter((r) => r.status === 201).length;
  assert.ok(results.every((r) => r.status === 201 || r.status === 400), results.map((r) => r.status).join());
  assert.equal(ok, Math.floor(start));
  assert.equal(await balance('张大爷'), start - ok);
  const [ledger, balances] = totals();
  assert.equal(ledger, balances);
  assert.equal(Number(sql(srv.dataDir, 'SELECT count(*) FROM timebank_balances WHERE cents < 0;').trim()), 0);
});
