// The monthly review (月讲评) on a crafted month, every figure computed by
// hand: items are created through the API, then their dates are set in
// the database to tell the month's story.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, jiceng, jicengOk, sql as runSql, ROOT } from '../lib/server.js';

const TOWN = '411121100'; // 舞泉镇; its villages are the review's rows
const V1 = '411121100201';
const V2 = '411121100202';
let srv;

// id → [owner, created, deadline, closed, rating]
const STORY = {
  A: [V1, '2026-10-02T08:00:00Z', '2026-10-10', '2026-10-08T08:00:00Z', 5], // on time, 6 days
  B: [V1, '2026-10-05T08:00:00Z', '2026-10-15', '2026-10-20T08:00:00Z', null], // late: overdue, 15 days
  C: [V1, '2026-09-20T08:00:00Z', '2026-10-25', null, null], // from September, still open: overdue
  D: [V2, '2026-10-10T08:00:00Z', '2026-11-30', '2026-10-12T08:00:00Z', 3], // on time, 2 days
  E: [V2, '2026-10-28T08:00:00Z', null, null, null], // received, open, no deadline
  F: [V2, '2026-08-01T08:00:00Z', '2026-08-30', '2026-09-05T08:00:00Z', 4], // all before October
  G: [V2, '2026-09-01T08:00:00Z', null, null, null], // reopened on 15 October
};

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  const ids = {};
  for (const [name, [unit]] of Object.entries(STORY)) {
    const r = await srv.api('/api/v1/items', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'problem', title: `事项 ${name}`, unit }),
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids[name] = r.body.id;
  }
  const q = (v) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v}'`);
  const sql = Object.entries(STORY).map(([name, [, created, deadline, closed, rating]]) =>
    `UPDATE cases SET created_at = ${q(created)}, deadline = ${q(deadline)}, closed_at = ${q(closed)}, ` +
    `final = ${closed ? 1 : 0}, state = '${closed ? 'verified' : 'in_progress'}', rating = ${q(rating)} WHERE id = ${ids[name]};`);
  sql.push(`INSERT INTO case_events (case_id, at, actor, kind, transition, from_state, to_state) VALUES (${ids.G}, '2026-10-15T09:00:00Z', 'admin', 'transition', 'reopen', 'done', 'reopened');`);
  runSql(srv.dataDir, sql.join('\n'));
});
after(() => srv?.stop());

test('October 2026 in 舞泉镇, figure by figure', async () => {
  const r = await srv.api(`/api/v1/items/review?unit=${TOWN}&month=2026-10`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const pick = (row) => [row.received, row.done, row.on_time, row.overdue, row.reopened, row.on_time_rate, row.avg_days, row.satisfaction];
  // received, done, on time, overdue, reopened, on-time %, mean days, mean rating
  assert.deepEqual(pick(r.body.total), [4, 3, 2, 2, 1, 66.7, 7.7, 4]);
  const [first, second, third] = r.body.units;
  assert.deepEqual([first.code, first.rank], [V2, 1]);
  assert.deepEqual(pick(first), [2, 1, 1, 0, 1, 100, 2, 3]);
  assert.deepEqual([second.code, second.rank], [V1, 2]);
  assert.deepEqual(pick(second), [2, 2, 1, 2, 0, 50, 10.5, 5]);
  assert.deepEqual(pick(third), [0, 0, 0, 0, 0, null, null, null], 'a village without items');
  assert.equal(r.body.units.length, 14);
});

test('September, November, a type filter, and bad parameters', async () => {
  const sep = (await srv.api(`/api/v1/items/review?unit=${TOWN}&month=2026-09`)).body.total;
  // received C, G; done F (closed 5 Sep, deadline 30 Aug: late); F was overdue in August, not September
  assert.deepEqual([sep.received, sep.done, sep.on_time, sep.overdue], [2, 1, 0, 0]);
  const nov = (await srv.api(`/api/v1/items/review?unit=${TOWN}&month=2026-11`)).body.total;
  assert.deepEqual([nov.received, nov.done, nov.overdue], [0, 0, 0]); // D's deadline is in November but it was done on time
  assert.equal((await srv.api(`/api/v1/items/review?unit=${TOWN}&month=2026-10&type=hazard`)).body.total.received, 0);
  for (const q of ['month=2026-13', 'month=26-10', 'month=2026-10&type=nope', 'month=2026-10&format=pdf', '',
    'week=2026-W54', 'week=2026-10', 'month=2026-10&week=2026-W41'])
    assert.equal((await srv.api(`/api/v1/items/review?unit=${TOWN}&${q}`)).status, 400, q);
});

test('exports: the ranked ledger with a total row', async () => {
  const csv = await srv.api(`/api/v1/items/review?unit=${TOWN}&month=2026-10&format=csv`);
  assert.equal(csv.status, 200);
  const lines = csv.body.replace(/^\ufeff/, '').trim().split('\n');
  assert.equal(lines[0], '排名,单位代码,单位名称,受理,办结,按时办结,超期,重新整改,按时办结率(%),平均办理天数,群众满意度');
  assert.equal(lines[1], `1,${V2},"高庄村村民委员会",2,1,1,0,1,100,2,3`);
  assert.equal(lines.at(-1), `合计,${TOWN},"舞泉镇",4,3,2,2,1,66.7,7.7,4`);
  const res = await fetch(`${srv.url}/api/v1/items/review?unit=${TOWN}&month=2026-10&format=xlsx`, { headers: { Authorization: `Bearer ${srv.token}` } });
  assert.equal(res.status, 200);
  assert.equal(Buffer.from(await res.arrayBuffer()).subarray(0, 2).toString(), 'PK');
});

test('the month\'s figures become data values the analytics engine rolls up', async () => {
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  const r = jiceng(['--data', srv.dataDir, 'items', 'figures', '--month', '2026-10']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /2026-10 figures of 2 unit\(s\)/);
  const value = async (expr, unit) => (await srv.api('/api/v1/analytics?' + new URLSearchParams({ expr, unit, period: '2026-10' }))).body.value;
  assert.equal(await value('#{items.received}', TOWN), 4);
  assert.equal(await value('#{items.done}', '411121'), 3);
  assert.equal(await value('#{items.overdue}', V1), 2);
  const rate = (await srv.api('/api/v1/analytics?' + new URLSearchParams({ indicator: 'items.on_time_rate', unit: TOWN, period: '2026-10', by: 'children', sort: 'desc', limit: 2 }))).body;
  assert.equal(Math.round(rate.value * 10) / 10, 66.7);
  assert.deepEqual(rate.children.map((c) => [c.code, c.value]), [[V2, 100], [V1, 50]]);
  assert.equal(jiceng(['--data', srv.dataDir, 'items', 'figures']).status, 2);
  assert.equal(jiceng(['--data', srv.dataDir, 'items', 'figures', '--month', '2026']).status, 1);
});

// 2026-W41 is Monday 5 to Sunday 11 October: B and D are received in it,
// A is done in it (on the 8th, before its deadline on the 10th); D is
// closed on the 12th, the next week; no deadline in the week is missed.
test('a week (周讲评): the same figures over an ISO week, also as weekly data values', async () => {
  const r = await srv.api(`/api/v1/items/review?unit=${TOWN}&week=2026-W41`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.week, '2026-W41');
  assert.equal(r.body.month, null);
  const t = r.body.total;
  assert.deepEqual([t.received, t.done, t.on_time, t.overdue, t.reopened], [2, 1, 1, 0, 0]);
  const v1 = r.body.units.find((u) => u.code === V1);
  assert.deepEqual([v1.received, v1.done, v1.on_time], [1, 1, 1]);

  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  const out = jiceng(['--data', srv.dataDir, 'items', 'figures', '--week', '2026-W41']);
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /2026-W41 figures of 2 unit\(s\)/);
  const value = async (expr, period) => (await srv.api('/api/v1/analytics?' + new URLSearchParams({ expr, unit: TOWN, period })));
  assert.equal((await value('#{items.week.received}', '2026-W41')).body.value, 2);
  assert.equal((await value('#{items.week.done}', '2026')).body.value, 1, 'a year holds its weeks');
  const month = await value('#{items.week.received}', '2026-10');
  assert.equal(month.status, 400, 'weeks straddle months');
  assert.match(month.body.error.message, /按周填报的数据只能按周或年查询/);
  assert.equal(jiceng(['--data', srv.dataDir, 'items', 'figures', '--week', '2026-W99']).status, 1);
  assert.equal(jiceng(['--data', srv.dataDir, 'items', 'figures', '--week', '2026-W41', '--month', '2026-10']).status, 2);
});
