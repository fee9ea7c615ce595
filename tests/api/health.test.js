// 健康服务 (app/health.h): facilities with coordinates (GCJ-02 converted,
// outside China refused), family-doctor teams, contracts with the
// one-at-a-time rule (an overlap refused, nothing written), the standard
// stop reasons, key groups from age and health tags, coverage by key group
// rolled up to the township and its villages, and the 30-minute circle
// with its uncovered list — checked against counts made here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, chinaDay, jicengOk, ROOT, idNumber } from '../lib/server.js';

const TOWN = '411121100';
const V1 = '411121100201';
const V2 = '411121100202';
let srv;
const as = {};

let serial = 100;

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  const users = { town: ['township_admin', TOWN], sec2: ['village_secretary', V2], observer: ['observer', V1] };
  for (const [name, [role, scope]] of Object.entries(users)) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
  as.admin = srv.api;
});
after(() => srv?.stop());

const send = (who, method, p, body) => who(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const count = (t) => Number(sql(srv.dataDir, `SELECT count(*) FROM ${t};`).trim());

async function person(unit, birth) {
  const id = idNumber(`411121${birth.replaceAll('-', '')}${String(serial++).padStart(3, '0')}`);
  const r = await send(as.admin, 'POST', '/api/v1/persons', { name: `居民${serial}`, unit, sex: '女', id_number: id });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

let facility, team;

test('settings come from data/health.json, with the estimate settings', async () => {
  const r = await as.town('/api/v1/health/settings');
  assert.equal(r.status, 200);
  assert.ok(r.body.key_groups.some((g) => g.code === 'elderly'));
  assert.ok(r.body.stop_reasons.some((g) => g.name === '死亡'));
  assert.equal(r.body.estimate.minutes, 30);
  assert.match(r.body.estimate.note, /估算/);
});

test('facilities: GCJ-02 converted to WGS-84, outside China and bad types refused, nothing written', async () => {
  const before = count('health_facilities');
  let r = await send(as.town, 'POST', '/api/v1/health/facilities', { unit: TOWN, type: 'township_hospital', name: '舞泉镇卫生院', lat: 51.5, lng: -0.12 });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /不在中国境内/);
  r = await send(as.town, 'POST', '/api/v1/health/facilities', { unit: TOWN, type: 'spa', name: 'x' });
  assert.equal(r.status, 400);
  r = await send(as.town, 'POST', '/api/v1/health/facilities', { unit: TOWN, type: 'township_hospital', name: 'x', lat: 33.4 });
  assert.equal(r.status, 400);
  r = await send(as.town, 'POST', '/api/v1/health/facilities', { unit: TOWN, type: 'township_hospital', name: 'x', lat: 33.4, lng: 113.6, crs: 'bd09' });
  assert.equal(r.status, 400);
  r = await send(as.sec2, 'POST', '/api/v1/health/facilities', { unit: V1, type: 'village_clinic', name: 'x' });
  assert.equal(r.status, 403);
  assert.equal(count('health_facilities'), before);
  r = await send(as.town, 'POST', '/api/v1/health/facilities', { unit: TOWN, type: 'township_hospital', name: '舞泉镇卫生院', lat: 33.43942, lng: 113.61017, crs: 'gcj02' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  facility = r.body.id;
  const list = await as.town(`/api/v1/health/facilities?unit=${TOWN}`);
  const f = list.body.items.find((x) => x.id === facility);
  assert.equal(f.type_name, '乡镇卫生院');
  // GCJ-02 is offset a few hundred metres from WGS-84 in Henan
  assert.ok(Math.abs(f.lat - 33.43942) > 1e-4 && Math.abs(f.lat - 33.43942) < 0.01, String(f.lat));
  assert.ok(Math.abs(f.lng - 113.61017) > 1e-4 && Math.abs(f.lng - 113.61017) < 0.01, String(f.lng));
  // out of scope: not listed
  assert.equal((await as.sec2(`/api/v1/health/facilities?unit=${V2}`)).body.items.length, 0);
});

test('teams: a facility team; an unknown facility refused', async () => {
  let r = await send(as.town, 'POST', '/api/v1/health/teams', { unit: TOWN, facility: 999999, name: '第一团队' });
  assert.equal(r.status, 400);
  r = await send(as.town, 'POST', '/api/v1/health/teams', { unit: TOWN, facility, name: '第一家庭医生团队' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  team = r.body.id;
  const list = await as.town(`/api/v1/health/teams?unit=${TOWN}`);
  assert.equal(list.body.items.find((t) => t.id === team).facility_name, '舞泉镇卫生院');
});

test('contracts: one at a time, at least a year, standard stop reasons; refusals write nothing', async () => {
  const p = await person(V1, '1950-03-01');
  const today = chinaDay();
  const start = chinaDay(-100); // holding today
  let r = await send(as.town, 'POST', `/api/v1/persons/${p}/health/contracts`, { team, start_date: start });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.contracts.length, 1);
  const c = r.body.contracts[0];
  assert.equal(c.package, 'basic');
  // a year by default: it ends a year after it began, after today
  assert.ok(c.end_date > today, JSON.stringify(c));
  assert.equal(c.current, true);
  assert.ok(r.body.key_groups.some((g) => g.code === 'elderly'));
  const before = count('health_contracts');
  const audits = count('audit');
  r = await send(as.town, 'POST', `/api/v1/persons/${p}/health/contracts`, { team, start_date: today });
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, /同一时间只能有一份家庭医生签约/);
  r = await send(as.town, 'POST', `/api/v1/persons/${p}/health/contracts`, { team, start_date: '2020-01-01', end_date: '2020-06-01' });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /至少 365 天/);
  r = await send(as.town, 'POST', `/api/v1/persons/${p}/health/contracts`, { team, start_date: '2020-02-30' });
  assert.equal(r.status, 400);
  r = await send(as.town, 'POST', `/api/v1/persons/${p}/health/contracts`, { team, start_date: '2010-01-01', package: 'gold' });
  assert.equal(r.status, 400);
  r = await send(as.sec2, 'POST', `/api/v1/persons/${p}/health/contracts`, { team, start_date: '2010-01-01' });
  assert.equal(r.status, 403);
  assert.equal(count('health_contracts'), before);
  assert.equal(count('audit'), audits);
  // an earlier, non-overlapping contract is fine
  r = await send(as.town, 'POST', `/api/v1/persons/${p}/health/contracts`, { team, start_date: '2020-01-01', end_date: '2021-01-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  // stop: a standard reason only
  r = await send(as.town, 'POST', `/api/v1/persons/${p}/health/stop`, { reason: 'bored' });
  assert.equal(r.status, 400);
  r = await send(as.town, 'POST', `/api/v1/persons/${p}/health/stop`, { reason: 'moved', day: today });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const stopped = r.body.contracts.find((x) => x.id === c.id);
  assert.equal(stopped.stop_reason_name, '迁出本辖区');
  assert.equal(stopped.current, false);
  r = await send(as.town, 'POST', `/api/v1/persons/${p}/health/stop`, { reason: 'moved' });
  assert.equal(r.status, 409);
  // after the stop a new contract may begin on that day
  r = await send(as.town, 'POST', `/api/v1/persons/${p}/health/contracts`, { team, start_date: today });
  assert.equal(r.status, 201, JSON.stringify(r.body));
});

test('coverage by key group, rolled up to the township and per village', async () => {
  const today = chinaDay();
  const people = [];
  // V2: a child, a hypertensive adult (signed), an adult (not signed), an elder (signed)
  const child = await person(V2, `${Number(today.slice(0, 4)) - 3}-01-15`);
  const hyper = await person(V2, '1975-06-01');
  const plain = await person(V2, '1985-06-01');
  const elder = await person(V2, '1940-06-01');
  people.push(child, hyper, plain, elder);
  let r = await send(as.town, 'PUT', `/api/v1/persons/${hyper}/health/tags`, { tags: ['hypertension', 'nope'] });
  assert.equal(r.status, 400);
  r = await send(as.town, 'PUT', `/api/v1/persons/${hyper}/health/tags`, { tags: ['hypertension'] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.key_groups.map((g) => g.code), ['hypertension']);
  for (const p of [hyper, elder]) {
    r = await send(as.town, 'POST', `/api/v1/persons/${p}/health/contracts`, { team, start_date: today, package: 'chronic' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  r = await as.town(`/api/v1/health/coverage?unit=${V2}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.residents, 4);
  assert.equal(r.body.contracts, 2);
  assert.equal(r.body.rate, 50);
  assert.equal(r.body.keypop, 3);
  assert.equal(r.body.keypop_contracts, 2);
  const g = Object.fromEntries(r.body.groups.map((x) => [x.code, x]));
  assert.equal(g.children.people, 1);
  assert.equal(g.children.contracts, 0);
  assert.equal(g.children.rate, 0);
  assert.equal(g.hypertension.rate, 100);
  assert.equal(g.elderly.people, 1);
  assert.equal(g.pregnant.rate, null);
  // the township adds up its villages; each child listed
  const town = await as.town(`/api/v1/health/coverage?unit=${TOWN}`);
  const sum = (k) => town.body.children.reduce((s, c) => s + c[k], 0);
  assert.equal(town.body.residents, sum('residents'));
  assert.equal(town.body.contracts, sum('contracts'));
  assert.equal(town.body.children.find((c) => c.unit === V2).contracts, 2);
  // a village secretary sees their village only
  assert.equal((await as.sec2(`/api/v1/health/coverage?unit=${TOWN}`)).status, 404);
  // a past day: nothing held then
  const past = await as.town(`/api/v1/health/coverage?unit=${V2}&on=2000-01-01`);
  assert.equal(past.body.contracts, 0);
  assert.equal((await as.town(`/api/v1/health/coverage?unit=${V2}&on=2000-13-01`)).status, 400);
});

test('30-minute circle: villages within the estimate, the uncovered list, outside China refused', async () => {
  let r = await send(as.town, 'PUT', '/api/v1/health/points', { unit: V1, lat: 33.45, lng: 113.62 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await send(as.town, 'PUT', '/api/v1/health/points', { unit: V2, lat: 34.4, lng: 113.62 }); // ~100 km north
  assert.equal(r.status, 200);
  r = await send(as.town, 'PUT', '/api/v1/health/points', { unit: V2, lat: 113.62, lng: 34.4 });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /不在中国境内/);
  r = await send(as.sec2, 'PUT', '/api/v1/health/points', { unit: V1, lat: 33.45, lng: 113.62 });
  assert.equal(r.status, 403);
  r = await as.town(`/api/v1/health/circle?unit=${TOWN}`);
  assert.equal(r.status, 200);
  assert.match(r.body.estimate.note, /估算/);
  const v1 = r.body.items.find((v) => v.unit === V1);
  const v2 = r.body.items.find((v) => v.unit === V2);
  assert.equal(v1.within, true);
  assert.equal(v1.facility, '舞泉镇卫生院');
  assert.ok(v1.minutes > 0 && v1.minutes < 30, String(v1.minutes));
  assert.equal(v2.within, false);
  assert.equal(v2.located, true);
  assert.equal(r.body.located, 2);
  assert.equal(r.body.within, 1);
  assert.equal(r.body.villages, r.body.items.length);
  assert.ok(r.body.facilities.some((f) => f.id === facility));
});

test('contract elements health.* are computed and rolled up like any other', async () => {
  const year = chinaDay().slice(0, 4);
  const el = (code, unit) => as.admin(`/api/v1/analytics?expr=${encodeURIComponent(`#{${code}}`)}&unit=${unit}&period=${year}`);
  const cov = await as.admin(`/api/v1/health/coverage?unit=${TOWN}&on=${year}-12-31`);
  for (const [code, key] of [['health.residents', 'residents'], ['health.contracts', 'contracts'],
    ['health.keypop', 'keypop'], ['health.keypop.contracts', 'keypop_contracts']]) {
    const r = await el(code, TOWN);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.value, cov.body[key], code);
  }
  const circle = await as.admin(`/api/v1/health/circle?unit=${TOWN}`);
  assert.equal((await el('health.circle30.villages', TOWN)).body.value, circle.body.within);
  // a write invalidates: a new contract shows at once
  const before = (await el('health.contracts', '411121')).body.value;
  const p = await person(V1, '1990-01-01');
  const r = await send(as.town, 'POST', `/api/v1/persons/${p}/health/contracts`, { team, start_date: chinaDay() });
  assert.equal(r.status, 201);
  assert.equal((await el('health.contracts', '411121')).body.value, before + 1);
});
