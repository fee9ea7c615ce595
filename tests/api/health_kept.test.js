// The health.* counts are made by one scan of the residents and kept
// (app/memo.h) until a write can change them: the kept answer equals a
// fresh computation (the uncached /health/coverage, and counts made here
// from the database), and a new resident, contract, health tag, household
// tag or unit's residents show at once in the analytics figure and in the
// 30-minute circle's people.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, sql, chinaDay, jicengOk, ROOT, idNumber } from '../lib/server.js';

const COUNTY = '411121';
const TOWN = '411121100';
const V1 = '411121100201';
const V2 = '411121100202';
let srv;
let team;
let serial = 700;

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
});
after(() => srv?.stop());

const send = (method, p, body) => srv.api(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const year = () => chinaDay().slice(0, 4);
const RATE = '#{health.keypop.contracts}/#{health.keypop}*100';
const analytics = (expr, unit, by = '') =>
  srv.api(`/api/v1/analytics?expr=${encodeURIComponent(expr)}&unit=${unit}&period=${year()}${by ? `&by=${by}` : ''}`);
const value = async (code, unit) => {
  const r = await analytics(`#{${code}}`, unit);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.value;
};

async function person(unit, birth) {
  const id = idNumber(`411121${birth.replaceAll('-', '')}${String(serial++).padStart(3, '0')}`);
  const r = await send('POST', '/api/v1/persons', { name: `居民${serial}`, unit, sex: '男', id_number: id });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

async function contract(p) {
  const r = await send('POST', `/api/v1/persons/${p}/health/contracts`, { team, start_date: chinaDay() });
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

// the four counts of a unit, as the uncached coverage computes them
async function fresh(unit) {
  const r = await srv.api(`/api/v1/health/coverage?unit=${unit}&on=${year()}-12-31`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return { residents: r.body.residents, contracts: r.body.contracts, keypop: r.body.keypop, keypop_contracts: r.body.keypop_contracts };
}

async function kept(unit) {
  return {
    residents: await value('health.residents', unit),
    contracts: await value('health.contracts', unit),
    keypop: await value('health.keypop', unit),
    keypop_contracts: await value('health.keypop.contracts', unit),
  };
}

test('setup: a facility, a team and residents of two villages, some tagged and signed', async () => {
  let r = await send('POST', '/api/v1/health/facilities', { unit: TOWN, type: 'township_hospital', name: '舞泉镇卫生院', lat: 33.44, lng: 113.61 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await send('POST', '/api/v1/health/teams', { unit: TOWN, facility: r.body.id, name: '第一家庭医生团队' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  team = r.body.id;
  r = await send('PUT', '/api/v1/health/points', { unit: V1, lat: 33.45, lng: 113.62 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const elder = await person(V1, '1940-05-01');
  const hyper = await person(V1, '1975-05-01');
  await person(V1, '1985-05-01');
  const other = await person(V2, '1945-05-01');
  await person(V2, '1990-05-01');
  r = await send('PUT', `/api/v1/persons/${hyper}/health/tags`, { tags: ['hypertension'] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  for (const p of [elder, hyper, other]) await contract(p);
});

test('the kept counts equal a fresh computation, for every element and every child unit', async () => {
  for (let round = 0; round < 2; round++) { // computed, then kept
    for (const unit of ['41', COUNTY, TOWN, V1, V2]) assert.deepEqual(await kept(unit), await fresh(unit), `${unit} round ${round}`);
  }
  // one date is kept at a time: another year's figure, then this year's again
  const last = await srv.api(`/api/v1/analytics?expr=${encodeURIComponent('#{health.contracts}')}&unit=${TOWN}&period=${Number(year()) - 1}`);
  assert.equal(last.status, 200, JSON.stringify(last.body));
  assert.deepEqual(await kept(TOWN), await fresh(TOWN));
  const residents = Number(sql(srv.dataDir, `SELECT count(*) FROM persons WHERE unit >= '${TOWN}' AND unit < '${TOWN};';`).trim());
  assert.equal(await value('health.residents', TOWN), residents);
  // the rate by children asks for two counts of the same scan
  const r = await analytics(RATE, TOWN, 'children');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  for (const v of [V1, V2]) {
    const c = await fresh(v);
    const row = r.body.children.find((x) => x.code === v);
    assert.ok(row, v);
    assert.ok(Math.abs(row.value - (c.keypop_contracts / c.keypop) * 100) < 1e-9, `${v}: ${row.value}`);
  }
});

test('writes show at once: a resident, a contract, a health tag, a household tag', async () => {
  let before = await kept(V1);
  const p = await person(V1, '1942-01-01'); // 65 and over: a key group
  let now = await kept(V1);
  assert.equal(now.residents, before.residents + 1);
  assert.equal(now.keypop, before.keypop + 1);
  assert.equal(now.contracts, before.contracts);
  assert.deepEqual(now, await fresh(V1));

  before = now;
  await contract(p);
  now = await kept(V1);
  assert.equal(now.contracts, before.contracts + 1);
  assert.equal(now.keypop_contracts, before.keypop_contracts + 1);
  assert.deepEqual(now, await fresh(V1));

  before = now;
  const q = await person(V1, '1980-01-01');
  let r = await send('PUT', `/api/v1/persons/${q}/health/tags`, { tags: ['diabetes'] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  now = await kept(V1);
  assert.equal(now.residents, before.residents + 1);
  assert.equal(now.keypop, before.keypop + 1);

  before = now;
  const h = await person(V1, '1982-01-01');
  assert.equal((await kept(V1)).keypop, before.keypop); // kept again without the tag
  r = await send('POST', '/api/v1/households', { unit: V1, address: `三组 ${serial} 号`, tags: ['dibao'] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await send('POST', `/api/v1/households/${r.body.id}/members`, { person: h, relation: 'head', from: '2010-01-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  now = await kept(V1);
  assert.equal(now.keypop, before.keypop + 1);
  assert.deepEqual(now, await fresh(V1));
  // the rate by children follows too
  const c = await fresh(V1);
  const row = (await analytics(RATE, TOWN, 'children')).body.children.find((x) => x.code === V1);
  assert.ok(Math.abs(row.value - (c.keypop_contracts / c.keypop) * 100) < 1e-9);
});

test('the 30-minute circle counts a new resident and a move at once', async () => {
  const people = async (village) => {
    const r = await srv.api(`/api/v1/health/circle?unit=${TOWN}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.items.find((v) => v.unit === village).people;
  };
  // the counts the triggers keep (migration 048) are the database's own
  const counted = (village) => Number(sql(srv.dataDir, `SELECT count(*) FROM persons WHERE unit = '${village}';`).trim());
  const before = await people(V1);
  assert.equal(before, counted(V1));
  assert.equal(before, await value('health.residents', V1));
  const moved = await person(V1, '1995-01-01');
  assert.equal(await people(V1), before + 1);
  const there = await people(V2);
  const r = await send('PATCH', `/api/v1/persons/${moved}`, { unit: V2 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(await people(V1), before);
  assert.equal(await people(V2), there + 1);
  assert.equal(there + 1, counted(V2));
});
