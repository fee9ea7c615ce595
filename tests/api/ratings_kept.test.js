// The five-star results every summary reads are kept between requests and
// brought up to date as ratings and values are written (app/rating_results.c):
// ratings from the audit trail, values from the rollups they replace. They
// are built at start in the background. Whatever the history of writes —
// one unit at a time or thousands at once — the kept results equal those of
// a server started afresh on the same data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, jicengOk, ROOT } from '../lib/server.js';

const SCHEME = 'village-2026';
const COUNTY = '411121';
const V1 = '411121100201';
const V2 = '411121100202';
const V3 = '411121100203';
const q = `?scheme=${SCHEME}`;
let srv;

before(async () => {
  srv = await startServer({ provinces: ['41'], env: { JICENG_LOG: 'info' } });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
});
after(() => srv?.stop());

const send = (method, p, body) => srv.api(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const summary = async (unit) => {
  const r = await srv.api(`/api/v1/ratings/summary${q}&unit=${unit}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
};
const ledger = async (unit) => (await srv.api(`/api/v1/ratings/summary${q}&unit=${unit}&format=csv`)).body;

async function eventually(what, check) {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${what} did not happen`);
}

test('built at start, in the background', async () => {
  await eventually('the warm-up', () => /ratings\.warm .*scheme=village-2026 units=\d+/.test(srv.stderr));
  const units = Number(srv.stderr.match(/ratings\.warm .*scheme=village-2026 units=(\d+)/)[1]);
  const all = await summary('');
  assert.equal(all.units, units, 'the warm-up kept every village of the tree');
  assert.equal(all.unit, null, 'unit= is the whole country');
  assert.deepEqual(all.townships.map((t) => t.code), ['41'], 'ranked by province');
});

test('writes of every kind are followed; a fresh server agrees', async () => {
  const before = await summary(COUNTY);
  const party = (s) => s.stars['支部过硬星'].meets_now;

  // A rating declared: counted at once.
  assert.equal((await send('POST', '/api/v1/ratings', { scheme: SCHEME, unit: V1, target: 3 })).status, 201);
  let s = await summary(COUNTY);
  assert.equal(s.declared, before.declared + 1);
  assert.equal(s.targets['3'], before.targets['3'] + 1);

  // Its answers and its data: 支部过硬星 met.
  const scheme = (await srv.api(`/api/v1/schemes/${SCHEME}`)).body;
  const partyStar = scheme.categories.find((c) => c.code === 'party');
  const indicators = partyStar.indicators.filter((i) => i.kind !== 'formula')
    .map((i) => (i.kind === 'assessed' ? { code: i.code, score: i.max } : { code: i.code, yes: true }));
  const vetoes = partyStar.vetoes.filter((v) => v.kind === 'yesno').map((v) => ({ code: v.code, yes: false }));
  const put = await send('PUT', `/api/v1/ratings/${V1}/answers${q}`, { indicators, vetoes });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal(party(await summary(COUNTY)), party(before), 'answers alone: the data is missing');
  const data = (unit) => [['branch.standardised', 1], ['population', 1500]] // party.members is counted, not written
    .map(([element, value]) => ({ element, unit, period: '2026', value }));
  assert.equal((await send('POST', '/api/v1/values', data(V1))).status, 200);
  assert.equal(party(await summary(COUNTY)), party(before) + 1, 'the values written: met');

  // A value of an element the scheme does not use: nothing moves.
  assert.equal((await send('POST', '/api/v1/values', [{ element: 'items.week.received', unit: V1, period: '2026-W01', value: 4 }])).status, 200);
  assert.equal(party(await summary(COUNTY)), party(before) + 1);

  // A value that undoes it, at one unit.
  assert.equal((await send('POST', '/api/v1/values', [{ element: 'branch.standardised', unit: V1, period: '2026', value: 0 }])).status, 200);
  assert.equal(party(await summary(COUNTY)), party(before), 'a branch not standardised: 80 of 85');
  assert.equal((await send('POST', '/api/v1/values', [{ element: 'branch.standardised', unit: V1, period: '2026', value: 1 }])).status, 200);
  assert.equal(party(await summary(COUNTY)), party(before) + 1);

  // A step of the cycle, and a second village.
  assert.equal((await send('POST', '/api/v1/ratings', { scheme: SCHEME, unit: V2, target: 1 })).status, 201);
  assert.equal((await send('POST', `/api/v1/ratings/${V3}/transitions${q}`, { transition: 'submit' })).status, 404);
  assert.equal((await send('POST', '/api/v1/ratings', { scheme: SCHEME, unit: V3, target: 2 })).status, 201);
  await send('PUT', `/api/v1/ratings/${V3}/answers${q}`, { indicators, vetoes });
  s = await summary(COUNTY);
  assert.equal(s.declared, before.declared + 3);

  // Thousands of units at once (one pass over every answer), across the
  // province: V3, which answered, meets the star with its data.
  const met = party(await summary('41'));
  const villages = [V3];
  for (const line of (await ledger('41')).replace(/^\ufeff/, '').trim().split('\n').slice(1)) {
    const code = line.split(',')[0].replace(/"/g, '');
    if (code !== V3 && code !== V1) villages.push(code);
    if (villages.length === 2500) break;
  }
  const w = await send('POST', '/api/v1/values', villages.flatMap((unit) => data(unit)));
  assert.equal(w.status, 200, JSON.stringify(w.body));
  const province = await summary('41');
  assert.equal(party(province), met + 1, 'V3 meets it now; the others answered nothing');

  // The kept results against a server started afresh on the same data.
  const kept = { county: await summary(COUNTY), province, ledger: await ledger(COUNTY), all: await summary('') };
  await srv.stop();
  srv = await startServer({ dataDir: srv.dataDir, env: { JICENG_LOG: 'info' } });
  const fresh = { county: await summary(COUNTY), province: await summary('41'), ledger: await ledger(COUNTY), all: await summary('') };
  assert.deepEqual(kept, fresh);
});
