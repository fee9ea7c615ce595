// The kept five-star standings outlive the server (app/rating_standings.c):
// written to the table rating_standings at a clean stop, read at the next
// start and caught up from the audit trail — ratings, answers and values
// written meanwhile by the command line, and while it runs by the API —
// party.members among them, counted from the rosters (people.h). A
// restart that reads them answers exactly what a cold full build answers;
// a table that is stale (another key), ahead of the audit trail, garbled
// or short is not used: the server builds from scratch and still agrees.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, freshDataDir, jicengOk, sql, tempDir, PG, ROOT } from '../lib/server.js';

const SCHEME = 'village-2026';
const COUNTY = '411121';
const V1 = '411121100201';
const V2 = '411121100202';
const q = `?scheme=${SCHEME}`;
const ENV = { JICENG_LOG: 'info' };
let dir;
let srv;

before(() => {
  dir = freshDataDir(['41']);
  jicengOk(['--data', dir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
});
after(() => srv?.stop());

const send = (method, p, body) => srv.api(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

async function eventually(what, check) {
  for (let i = 0; i < 600; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${what} did not happen: ${srv.stderr.slice(-2000)}`);
}

// The server's start: whether it read the table, once the warm-up is done.
async function start() {
  srv = await startServer({ dataDir: dir, env: ENV });
  await eventually('the warm-up', () => /ratings\.warm .*scheme=village-2026 /.test(srv.stderr));
  const load = srv.stderr.match(/ratings\.load scheme=village-2026 used=(yes|no)(?: why="([^"]*)")?/);
  return load ? { used: load[1] === 'yes', why: load[2] } : { used: false, why: 'no line' };
}

async function answers() {
  const get = async (p) => {
    const r = await srv.api(p);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  return {
    county: await get(`/api/v1/ratings/summary${q}&unit=${COUNTY}`),
    province: await get(`/api/v1/ratings/summary${q}&unit=41`),
    all: await get(`/api/v1/ratings/summary${q}`),
    ledger: await get(`/api/v1/ratings/summary${q}&unit=${COUNTY}&format=csv`),
  };
}

async function stop() {
  await srv.stop();
  const save = srv.stderr.match(/ratings\.save scheme=village-2026 rows=(\d+) whole=(yes|no)/);
  srv = null;
  return save ? { rows: Number(save[1]), whole: save[2] === 'yes' } : null;
}

// A rating with every indicator of one star answered in full.
async function rateParty(unit, target) {
  assert.equal((await send('POST', '/api/v1/ratings', { scheme: SCHEME, unit, target })).status, 201);
  const scheme = (await srv.api(`/api/v1/schemes/${SCHEME}`)).body;
  const party = scheme.categories.find((c) => c.code === 'party');
  const indicators = party.indicators.filter((i) => i.kind !== 'formula')
    .map((i) => (i.kind === 'assessed' ? { code: i.code, score: i.max } : { code: i.code, yes: true }));
  const vetoes = party.vetoes.filter((v) => v.kind === 'yesno').map((v) => ({ code: v.code, yes: false }));
  const put = await send('PUT', `/api/v1/ratings/${unit}/answers${q}`, { indicators, vetoes });
  assert.equal(put.status, 200, JSON.stringify(put.body));
}

const partyMet = (s) => s.stars['支部过硬星'].meets_now;

// A branch of unit with n formal members, through the API: its id.
async function enrol(unit, name, n) {
  const made = async (p, body) => {
    const r = await send('POST', p, body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  const branch = await made('/api/v1/party/orgs', { name, type: 'branch', unit });
  for (let i = 0; i < n; i++) {
    const p = await made('/api/v1/persons', { name: `党员${i + 1}`, unit });
    await made(`/api/v1/party/orgs/${branch.id}/members`, { person: p.id, kind: 'party_member', stage: 'formal', from: '2020-01-01' });
  }
  return branch.id;
}

// A cold full build on the same data: the table made unusable first.
async function coldAnswers() {
  sql(dir, 'DELETE FROM rating_standings_meta;');
  const s = await start();
  assert.equal(s.used, false);
  const a = await answers();
  await stop();
  return a;
}

test('a restart reads the standings, catches up on what the CLI and the API wrote, and agrees with a cold build', async () => {
  let s = await start();
  assert.equal(s.used, false, 'nothing kept yet: built');
  await rateParty(V1, 3);
  const data = (unit, standardised) => [['branch.standardised', standardised], ['population', 1500]]
    .map(([element, value]) => ({ element, unit, period: '2026', value }));
  assert.equal((await send('POST', '/api/v1/values', data(V1, 1))).status, 200);
  await enrol(V1, '大杨庄村党支部', 60);
  await enrol(V2, '高庄村党支部', 0);
  const first = await answers();
  let saved = await stop();
  assert.ok(saved?.whole, 'the whole table written at the stop');
  assert.equal(saved.rows, first.all.units);

  // Unchanged: read back, the same answers.
  s = await start();
  assert.equal(s.used, true, s.why);
  assert.deepEqual(await answers(), first);
  saved = await stop();
  assert.ok(!saved || (saved.rows === 0 && !saved.whole), 'nothing changed: no row written');

  // While it is down: a ledger of values (the command line) that undoes V1's
  // star and gives V2 its data, and V2's roster of 70 members (its
  // party.members): caught up from the audit trail at the restart.
  const ledger = path.join(tempDir('jiceng-ledger-'), 'values.csv');
  fs.writeFileSync(ledger, `code,branch.standardised,population\n${V1},0,1500\n${V2},1,1600\n`);
  jicengOk(['--data', dir, 'import', 'values', ledger, '--period', '2026']);
  const roster = path.join(tempDir('jiceng-roster-'), 'roster.csv');
  fs.writeFileSync(roster, '姓名,党组织,发展阶段,起始日期\n' + Array.from({ length: 70 }, (_, i) => `党员${i + 1},高庄村党支部,正式党员,2020-01-01`).join('\n') + '\n');
  jicengOk(['--data', dir, 'import', 'persons', roster, '--unit', V2]);
  s = await start();
  assert.equal(s.used, true, s.why);
  assert.equal(partyMet((await answers()).county), partyMet(first.county) - 1, 'V1 lost the star it met');
  await stop();

  // Then a county's year of ratings, answers, values and rosters (jiceng
  // demo, every write audited), which also adds grids (网格) below some of
  // its villages: another tree, so the kept table is not used but rebuilt.
  jicengOk(['--data', dir, 'demo', '--county', '411122', '--seed', '3']);
  s = await start();
  assert.equal(s.used, false);
  assert.equal(s.why, 'another scheme, tree or format');
  const caught = await answers();
  assert.equal(partyMet(caught.county), partyMet(first.county) - 1, 'V1 still without the star');
  assert.notDeepEqual(caught.all, first.all, 'the demo county moved the country');
  saved = await stop();
  assert.ok(saved?.whole, 'the rebuilt table written whole');
  s = await start();
  assert.equal(s.used, true, s.why);
  assert.deepEqual(await answers(), caught);

  // While it runs: a rating, its answers and values through the API.
  await rateParty(V2, 2);
  assert.equal(partyMet((await answers()).county), partyMet(caught.county) + 1, 'V2 meets it');
  assert.equal((await send('POST', '/api/v1/values', data(V1, 1))).status, 200);
  const live = await answers();
  assert.equal(partyMet(live.county), partyMet(caught.county) + 2);
  saved = await stop();
  assert.ok(saved && !saved.whole, 'what changed written, not the whole table');
  assert.ok(saved.rows > 0 && saved.rows < live.all.units, `${saved.rows} rows`);

  // Read back after the partial write; and a cold full build agrees.
  s = await start();
  assert.equal(s.used, true, s.why);
  assert.deepEqual(await answers(), live);
  await stop();
  assert.deepEqual(await coldAnswers(), live);
});

test('a stale, garbled or short table is not used', async () => {
  // A table written (by the cold build above, or now).
  let s = await start();
  if (!s.used) {
    await stop();
    s = await start();
  }
  assert.equal(s.used, true, s.why);
  const want = await answers();
  await stop();
  const row = `scheme = '${SCHEME}' AND unit = (SELECT min(unit) FROM rating_standings WHERE scheme = '${SCHEME}')`;
  const garble = PG
    ? `UPDATE rating_standings SET standing = set_byte(standing, 60, (get_byte(standing, 60) + 1) % 256) WHERE ${row};`
    : `UPDATE rating_standings SET standing = substr(standing, 1, 60) || CASE WHEN substr(standing, 61, 1) = x'00' THEN x'01' ELSE x'00' END || substr(standing, 62) WHERE ${row};`;
  const cases = [
    ['another scheme, tree or format', "UPDATE rating_standings_meta SET key = 'x';"],
    ['a seq the audit trail has not reached', 'UPDATE rating_standings_meta SET seq = seq + 1000000;'],
    ['rows that do not add up to the digest', garble],
    ['missing rows', `DELETE FROM rating_standings WHERE ${row};`],
  ];
  for (const [why, change] of cases) {
    sql(dir, change);
    s = await start();
    assert.deepEqual(s, { used: false, why }, change);
    assert.deepEqual(await answers(), want, why);
    const saved = await stop();
    assert.ok(saved?.whole, 'built, and written whole again');
  }
  s = await start();
  assert.equal(s.used, true, s.why);
  assert.deepEqual(await answers(), want);
  await stop();
});
