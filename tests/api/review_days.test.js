// The monthly review counts China's days, whatever the server's TZ:
// timestamps are UTC, periods and deadlines are local days of the
// deployment's time zone (time_zone, Asia/Shanghai by default). The first
// and last hours of a month, a deadline still to come in the current
// month, and work sent back before it was finished.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql as runSql } from '../lib/server.js';

const TOWN = '411121100';
const V1 = '411121100201';
let srv, utc;

// A date in Asia/Shanghai (UTC+8, no summer time) plus some days.
const beijing = (days = 0) => new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
const q = (v) => (v === null ? 'NULL' : `'${v}'`);

// id → [created, deadline, closed] (UTC timestamps, local deadline days)
const NOVEMBER = {
  first: ['2026-10-31T16:30:00Z', null, null], // 1 Nov 00:30 in Beijing: November's
  last: ['2026-11-30T15:59:00Z', null, null], // 30 Nov 23:59: November's
  next: ['2026-11-30T16:00:00Z', null, null], // 1 Dec 00:00: December's
  inTime: ['2026-11-02T01:00:00Z', '2026-11-10', '2026-11-10T15:30:00Z'], // done 10 Nov 23:30: on time
  justLate: ['2026-11-02T01:00:00Z', '2026-11-10', '2026-11-10T16:30:00Z'], // done 11 Nov 00:30: late
};

async function create(title) {
  const r = await srv.api('/api/v1/items', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'problem', title, unit: V1 }),
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

async function step(id, transition, extra = {}) {
  const r = await srv.api(`/api/v1/items/${id}/transitions`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ transition, ...extra }),
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

before(async () => {
  srv = await startServer({ env: { TZ: 'UTC' } }); // the server's own zone must not matter
  const sql = [];
  for (const [name, [created, deadline, closed]] of Object.entries(NOVEMBER)) {
    const id = await create(`十一月 ${name}`);
    sql.push(`UPDATE cases SET created_at = ${q(created)}, deadline = ${q(deadline)}, closed_at = ${q(closed)}, ` +
      `final = ${closed ? 1 : 0}, state = '${closed ? 'verified' : 'in_progress'}' WHERE id = ${id};`);
  }
  runSql(srv.dataDir, sql.join('\n'));
  // This month, through the API: a deadline still to come is not overdue;
  // one that has passed is; work finished, sent back and finished again
  // before its deadline is done, but not on time.
  const later = await create('本月 未到期');
  runSql(srv.dataDir, `UPDATE cases SET deadline = '${beijing(0)}' WHERE id = ${later};`);
  const reopened = await create('本月 退回后办结');
  runSql(srv.dataDir, `UPDATE cases SET deadline = '${beijing(0)}' WHERE id = ${reopened};`);
  await step(reopened, 'start');
  await step(reopened, 'finish', { evidence: '现场照片' });
  await step(reopened, 'reopen', { note: '整改不彻底' });
  await step(reopened, 'start');
  await step(reopened, 'finish', { evidence: '再次整改的照片' });
  await step(reopened, 'verify');
  if (beijing(-1).slice(0, 7) === beijing(0).slice(0, 7)) { // yesterday is this month
    const missed = await create('本月 已超期');
    runSql(srv.dataDir, `UPDATE cases SET deadline = '${beijing(-1)}' WHERE id = ${missed};`);
  }
  utc = await startServer({ dataDir: srv.dataDir, env: { JICENG_TIME_ZONE: 'UTC' } });
});
after(async () => {
  await srv?.stop();
  await utc?.stop();
});

const review = async (server, month) => (await server.api(`/api/v1/items/review?unit=${TOWN}&month=${month}`)).body.total;

test('a month holds the items of its local days, first and last hours included', async () => {
  const nov = await review(srv, '2026-11');
  assert.equal(nov.received, 4, 'first, last and the two with deadlines; not the one of 1 December');
  assert.deepEqual([nov.done, nov.on_time, nov.overdue], [2, 1, 1]);
  const oct = await review(srv, '2026-10');
  assert.equal(oct.received, 0, '31 October 16:30 UTC is 1 November in Beijing');
  const dec = await review(srv, '2026-12');
  assert.ok(dec.received >= 1, 'the one of 1 December 00:00');
});

test('the zone is a setting: counted in UTC the same items fall elsewhere', async () => {
  const nov = await review(utc, '2026-11');
  assert.equal(nov.received, 4, 'next (30 Nov 16:00 UTC) is November\'s in UTC, first (31 Oct) is not');
  const oct = await review(utc, '2026-10');
  assert.equal(oct.received, 1);
  // In UTC, justLate was done on its deadline day.
  assert.deepEqual([nov.done, nov.on_time, nov.overdue], [2, 2, 0]);
});

test('the current month: a deadline to come is not overdue, work sent back is not on time', async () => {
  const month = beijing(0).slice(0, 7);
  const now = (await srv.api(`/api/v1/items/review?unit=${TOWN}&month=${month}`)).body.total;
  const missed = beijing(-1).slice(0, 7) === month ? 1 : 0;
  assert.equal(now.overdue, missed, 'only a deadline already past counts');
  assert.equal(now.done, 1);
  assert.equal(now.on_time, 0, 'finished before its deadline, but only after being sent back');
  assert.equal(now.reopened, 1);
});
