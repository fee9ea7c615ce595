// Grids, 党员联户, visits and contact duties (app/grids.h): grids created,
// split and merged below a village with households moved along; a merge or
// split that would leave households without a grid refused, writing
// nothing; contact links and visits; a need raised in a visit becoming a
// 群众诉求 case linked both ways; compliance per link counted from the
// visits (a missed month overdue); visits.due / visits.done rolled up by
// the analytics engine; scope: a township user cannot touch another
// township.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, jicengOk, ROOT, idNumber } from '../lib/server.js';

const COUNTY = '411121';
const TOWN = '411121100';
const V1 = '411121100201';
let TOWN2, V3;
let srv;
const as = {};

let serial = 100;
const nextId = () => idNumber(`41112119800601${String(serial++).padStart(3, '0')}`);

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  const towns = (await srv.api(`/api/v1/units/${COUNTY}/children?limit=100`)).body.items;
  TOWN2 = towns.find((t) => t.code !== TOWN).code;
  V3 = (await srv.api(`/api/v1/units/${TOWN2}/children?limit=1`)).body.items[0].code;
  for (const [name, [role, scope]] of Object.entries({ town: ['township_admin', TOWN], town2: ['township_admin', TOWN2], observer: ['observer', V1] })) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
  as.admin = srv.api;
});
after(() => srv?.stop());

const send = (who, method, p, body) => who(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const count = (t) => Number(sql(srv.dataDir, `SELECT count(*) FROM ${t};`).trim());

async function person(unit) {
  const r = await send(as.admin, 'POST', '/api/v1/persons', { name: `走访人${serial}`, unit, sex: '男', id_number: nextId() });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}
async function household(unit, address) {
  const r = await send(as.admin, 'POST', '/api/v1/households', { unit, address });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

let G1, G2, H = [];

test('grids are created below villages, households placed, sizes warned about', async () => {
  let r = await send(as.town, 'POST', `/api/v1/grids?unit=${V1}`, { name: '第一网格' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  G1 = r.body.code;
  assert.equal(G1, V1 + '001');
  r = await send(as.town, 'POST', `/api/v1/grids?unit=${TOWN}`, { name: '乡镇下的网格' });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /村（社区）之下/);
  r = await send(as.town, 'POST', `/api/v1/grids?unit=${V3}`, { name: '别的乡镇' });
  assert.equal(r.status, 403);
  for (let i = 1; i <= 4; i++) H.push(await household(V1, `一组 ${i} 号`));
  for (const h of H) {
    r = await send(as.town, 'POST', `/api/v1/grids/${G1}/households`, { household: h });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  r = await as.town(`/api/v1/grids?unit=${TOWN}`);
  assert.equal(r.status, 200);
  const g = r.body.items.find((x) => x.code === G1);
  assert.equal(g.households, 4);
  assert.equal(g.name, '第一网格');
  assert.match(g.warning, /少于 300 户/);
  assert.equal(r.body.settings.households_max, 500);
});

test('a split takes named households of the grid; one of another grid writes nothing', async () => {
  const other = await household(V1, '二组 1 号'); // not in G1: in the village
  const before = count('units');
  let r = await send(as.town, 'POST', `/api/v1/grids/${G1}/split`, { name: '第二网格', households: [H[2], other] });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /不在被拆分的网格内/);
  assert.equal(count('units'), before);
  r = await send(as.town, 'POST', `/api/v1/grids/${G1}/split`, { name: '第二网格', households: [H[2], H[3]] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  G2 = r.body.code;
  const list = (await as.town(`/api/v1/grids?unit=${V1}`)).body;
  assert.equal(list.items.find((x) => x.code === G1).households, 2);
  assert.equal(list.items.find((x) => x.code === G2).households, 2);
  assert.equal(list.unplaced, 1);
});

test('a merge into no grid would leave households without one: refused, nothing written', async () => {
  const audits = count('audit');
  let r = await send(as.town, 'POST', `/api/v1/grids/${G2}/merge`, { into: V1 });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /将没有网格/);
  r = await send(as.town, 'POST', `/api/v1/grids/${G2}/merge`, {});
  assert.equal(r.status, 400);
  assert.equal(count('audit'), audits);
  r = await send(as.town, 'POST', `/api/v1/grids/${G2}/merge`, { into: G1 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const list = (await as.town(`/api/v1/grids?unit=${V1}`)).body;
  assert.equal(list.items.length, 1);
  assert.equal(list.items[0].households, 4);
});

test('contact duties are counted from visits; a need raised becomes a 群众诉求 linked both ways', async () => {
  const leader = await person(TOWN);
  const member = await person(V1);
  let r = await send(as.town, 'POST', `/api/v1/contacts?unit=${TOWN}`, { duty: 'leader.village', person: leader, target: V1, from: '2025-01-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await send(as.town, 'POST', `/api/v1/contacts?unit=${TOWN}`, { duty: 'member.household', person: member, household: H[0], from: '2025-01-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await send(as.town, 'POST', `/api/v1/contacts?unit=${TOWN}`, { duty: 'no.such', person: member, household: H[0], from: '2025-01-01' });
  assert.equal(r.status, 400);
  r = await send(as.town, 'POST', `/api/v1/contacts?unit=${TOWN}`, { duty: 'member.household', person: member, from: '2025-01-01' });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /须指定一户/);
  // the leader visits in January and March 2025, not in February
  for (const day of ['2025-01-10', '2025-03-05']) {
    r = await send(as.town, 'POST', `/api/v1/visits?unit=${TOWN}`, { person: leader, target: V1, day, method: 'home', findings: '村容整洁' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.case_id, null);
  }
  // the member visits H[0] by phone and raises a need
  const cases = count('cases');
  r = await send(as.town, 'POST', `/api/v1/visits?unit=${TOWN}`, { person: member, household: H[0], day: '2025-02-02', method: 'phone', findings: '独居老人', needs: '屋顶漏雨需维修', raise: true });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const caseId = r.body.case_id;
  assert.ok(caseId > 0);
  assert.equal(count('cases'), cases + 1);
  const item = await as.town(`/api/v1/items/${caseId}`);
  assert.equal(item.status, 200, JSON.stringify(item.body));
  assert.match(item.body.title, /屋顶漏雨/);
  const visits = (await as.town(`/api/v1/visits?unit=${V1}`)).body;
  assert.equal(visits.items.find((v) => v.case_id === caseId).household.address, '一组 1 号');
  assert.equal(visits.methods.length, 3);
  // refusals: a method not defined, a future day, raising without needs — nothing written
  const events = count('events');
  for (const bad of [{ method: 'fax' }, { day: '2999-01-01' }, { needs: '', raise: true }]) {
    r = await send(as.town, 'POST', `/api/v1/visits?unit=${TOWN}`, { person: member, household: H[0], day: '2025-02-03', method: 'home', ...bad });
    assert.equal(r.status, 400, JSON.stringify(bad));
  }
  assert.equal(count('events'), events);
  assert.equal(count('cases'), cases + 1);
  // the year 2025: the leader 12 months due, 2 done, 10 missed; the member 4 quarters, 1 done
  r = await as.town(`/api/v1/contacts?unit=${TOWN}&period=2025`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const lead = r.body.items.find((x) => x.duty === 'leader.village');
  assert.deepEqual([lead.due, lead.done, lead.missed], [12, 2, 10]);
  assert.equal(lead.state, 'overdue');
  assert.equal(lead.unit.name.length > 0, true);
  const mem = r.body.items.find((x) => x.duty === 'member.household');
  assert.deepEqual([mem.due, mem.done, mem.missed], [4, 1, 3]);
  r = await as.town(`/api/v1/contacts?unit=${TOWN}&period=2025-03`);
  assert.deepEqual([r.body.items.find((x) => x.duty === 'leader.village').done], [1]);
  r = await as.town(`/api/v1/contacts?unit=${TOWN}&period=2025-02&overdue=1`);
  assert.ok(r.body.items.every((x) => x.missed > 0));
  assert.ok(r.body.items.some((x) => x.duty === 'leader.village'));
  r = await as.town(`/api/v1/contacts?unit=${TOWN}&period=2025&format=csv`);
  assert.equal(r.status, 200);
  assert.match(String(r.body), /包联领导每月走访重点村/);
  // the other township sees none of it
  r = await as.town2(`/api/v1/contacts?unit=${TOWN}&period=2025`);
  assert.equal(r.status, 404);
  r = await send(as.town2, 'POST', `/api/v1/visits?unit=${TOWN2}`, { person: member, household: H[0], day: '2025-02-03', method: 'home' });
  assert.equal(r.status, 403);
  // the rollup: visits.due / visits.done of the county for 2025
  for (const [code, want] of [['visits.due', 16], ['visits.done', 3]]) {
    r = await as.admin(`/api/v1/analytics?expr=%23%7B${code}%7D&unit=${COUNTY}&period=2025&by=children`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.value, want, code);
    assert.equal(r.body.children.find((x) => x.code === TOWN).value, want);
  }
});
