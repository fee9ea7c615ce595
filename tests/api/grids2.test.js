// Grids, second round (app/grids.h): a visit and the 群众诉求 raised from it
// written in one transaction (a failure writes neither; the case shows its
// source visit, the visit its case); the due-visit list kept until a write
// changes it (same answer, fresh after a visit or a rename); 党员联户 ratio
// warnings (not errors); mentor duties to a person; 万企兴万村 records per
// pair and year rolled up as wqxwc.* elements, with bad input refused and
// nothing written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, jicengOk, ROOT, idNumber, PG, chinaDay } from '../lib/server.js';

const COUNTY = '411121';
const TOWN = '411121100';
const V1 = '411121100201';
let TOWN2;
let srv;
const as = {};
let serial = 300;
const nextId = () => idNumber(`41112119850301${String(serial++).padStart(3, '0')}`);
const YEAR = Number(chinaDay().slice(0, 4));

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  const towns = (await srv.api(`/api/v1/units/${COUNTY}/children?limit=100`)).body.items;
  TOWN2 = towns.find((t) => t.code !== TOWN).code;
  for (const [name, [role, scope]] of Object.entries({ town: ['township_admin', TOWN], town2: ['township_admin', TOWN2] })) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
  as.admin = srv.api;
});
after(() => srv?.stop());

const send = (who, method, p, body) => who(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const count = (t) => Number(sql(srv.dataDir, `SELECT count(*) FROM ${t};`).trim());

async function person(unit, name = `联系人${serial}`) {
  const r = await send(as.admin, 'POST', '/api/v1/persons', { name, unit, sex: '男', id_number: nextId() });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}
async function household(unit, address) {
  const r = await send(as.admin, 'POST', '/api/v1/households', { unit, address });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

test('a visit and its 群众诉求 are one transaction, linked both ways; a failure writes neither', async () => {
  const member = await person(V1);
  const h = await household(V1, '三组 1 号');
  const day = chinaDay();
  let r = await send(as.town, 'POST', `/api/v1/visits?unit=${TOWN}`, { person: member, household: h, day, method: 'home', findings: '老人独居', needs: '院墙倒塌需修缮', raise: true });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const { id: visitId, case_id: caseId } = r.body;
  assert.ok(caseId > 0);
  const item = await as.town(`/api/v1/items/${caseId}`);
  assert.equal(item.status, 200, JSON.stringify(item.body));
  assert.equal(item.body.source_visit.id, visitId);
  assert.equal(item.body.source_visit.household.address, '三组 1 号');
  assert.equal(item.body.source_visit.case_id, caseId);
  const visits = (await as.town(`/api/v1/visits?unit=${V1}`)).body.items;
  assert.equal(visits.find((v) => v.id === visitId).case_id, caseId);
  // a case not raised from a visit has none
  r = await send(as.town, 'POST', '/api/v1/items', { type: 'request', title: '路灯不亮', description: '村口路灯坏了', unit: V1, category: '其他' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal((await as.town(`/api/v1/items/${r.body.id}`)).body.source_visit, null);
  // the visit's insert fails (a trigger standing in for any failure after the case): neither is written
  if (PG) {
    sql(srv.dataDir, `CREATE FUNCTION visits_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF NEW.needs LIKE '%FAILME%' THEN RAISE EXCEPTION 'test failure'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER visits_fail BEFORE INSERT ON visits FOR EACH ROW EXECUTE FUNCTION visits_fail();`);
  } else {
    sql(srv.dataDir, `CREATE TRIGGER visits_fail BEFORE INSERT ON visits WHEN NEW.needs LIKE '%FAILME%'
      BEGIN SELECT RAISE(ABORT, 'test failure'); END;`);
  }
  const before = ['cases', 'visits', 'events', 'audit'].map(count);
  r = await send(as.town, 'POST', `/api/v1/visits?unit=${TOWN}`, { person: member, household: h, day, method: 'home', needs: 'FAILME 水管破裂', raise: true });
  assert.ok(r.status >= 400, JSON.stringify(r.body));
  assert.deepEqual(['cases', 'visits', 'events', 'audit'].map(count), before);
  sql(srv.dataDir, PG ? 'DROP TRIGGER visits_fail ON visits; DROP FUNCTION visits_fail();' : 'DROP TRIGGER visits_fail;');
  r = await send(as.town, 'POST', `/api/v1/visits?unit=${TOWN}`, { person: member, household: h, day, method: 'home', needs: '水管破裂', raise: true });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(count('cases'), before[0] + 1);
});

test('the due-visit list is kept until a write changes it: same answer, fresh after a visit and a rename', async () => {
  const leader = await person(TOWN, '包村领导甲');
  let r = await send(as.town, 'POST', `/api/v1/contacts?unit=${TOWN}`, { duty: 'leader.village', person: leader, target: V1, from: `${YEAR}-01-01` });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const period = chinaDay().slice(0, 7);
  const q = `/api/v1/contacts?unit=${TOWN}&period=${period}`;
  const first = await as.town(q);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const again = await as.town(q);
  assert.deepEqual(again.body, first.body);
  const line = (b) => b.items.find((x) => x.person.id === leader);
  assert.equal(line(first.body).done, 0);
  r = await send(as.town, 'POST', `/api/v1/visits?unit=${TOWN}`, { person: leader, target: V1, day: chinaDay(), method: 'home' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const after = await as.town(q);
  assert.equal(line(after.body).done, 1);
  assert.equal(line(after.body).last_visit, chinaDay());
  r = await send(as.admin, 'PATCH', `/api/v1/persons/${leader}`, { name: '包村领导乙' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(line((await as.town(q)).body).person.name, '包村领导乙');
  // another page of the same list is its own answer
  const page = await as.town(`${q}&limit=1`);
  assert.equal(page.body.items.length, 1);
  assert.equal(page.body.total.links, after.body.total.links);
});

test('党员联户 ratio and grid sizes are warnings, not errors', async () => {
  let r = await send(as.town, 'POST', `/api/v1/grids?unit=${V1}`, { name: '比例网格' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const grid = r.body.code;
  const hs = [];
  for (let i = 1; i <= 3; i++) hs.push(await household(grid, `比例 ${i} 号`));
  r = await as.town(`/api/v1/grids?unit=${V1}`);
  let g = r.body.items.find((x) => x.code === grid);
  assert.match(g.warning, /少于 300 户/);
  assert.match(g.member_warning, /3 户没有党员联系/);
  assert.equal(r.body.settings.member_min, 10);
  assert.equal(r.body.settings.member_max, 15);
  const member = await person(V1, '联户党员');
  r = await send(as.town, 'POST', `/api/v1/contacts?unit=${TOWN}`, { duty: 'member.household', person: member, household: hs[0], from: `${YEAR}-01-01` });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.match(r.body.warning, /联户党员现联系 1 户，应为 10–15 户/);
  r = await as.town(`/api/v1/grids?unit=${V1}`);
  g = r.body.items.find((x) => x.code === grid);
  assert.equal(g.members, 1);
  assert.equal(g.linked, 1);
  assert.match(g.member_warning, /3 户中 2 户没有党员联系/);
  // a duty of another kind has no ratio warning
  r = await send(as.town, 'POST', `/api/v1/contacts?unit=${TOWN}`, { duty: 'leader.village', person: member, target: V1, from: `${YEAR}-01-01` });
  assert.equal(r.status, 201);
  assert.equal(r.body.warning, null);
});

test('mentor duties link a mentor to a person; compliance counted from the visits about the mentee', async () => {
  const mentor = await person(V1, '培养联系人');
  const mentee = await person(V1, '发展对象');
  let r = await send(as.town, 'POST', `/api/v1/contacts?unit=${TOWN}`, { duty: 'mentor.new_member', person: mentor, from: `${YEAR}-01-01` });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /须指定联系的人/);
  r = await send(as.town, 'POST', `/api/v1/contacts?unit=${TOWN}`, { duty: 'mentor.new_member', person: mentor, mentee: mentor, from: `${YEAR}-01-01` });
  assert.equal(r.status, 400);
  r = await send(as.town, 'POST', `/api/v1/contacts?unit=${TOWN}`, { duty: 'mentor.new_member', person: mentor, mentee, from: `${YEAR}-01-01` });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const period = chinaDay().slice(0, 7);
  const line = async () => (await as.town(`/api/v1/contacts?unit=${TOWN}&period=${period}`)).body.items.find((x) => x.duty === 'mentor.new_member');
  let l = await line();
  assert.deepEqual(l.mentee, { id: mentee, name: '发展对象' });
  assert.equal(l.done, 0);
  // a visit by the mentor elsewhere does not count; one about the mentee does
  r = await send(as.town, 'POST', `/api/v1/visits?unit=${TOWN}`, { person: mentor, target: V1, day: chinaDay(), method: 'home' });
  assert.equal(r.status, 201);
  assert.equal((await line()).done, 0);
  r = await send(as.town, 'POST', `/api/v1/visits?unit=${TOWN}`, { person: mentor, mentee, day: chinaDay(), method: 'online', findings: '思想汇报' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  l = await line();
  assert.equal(l.done, 1);
  const v = (await as.town(`/api/v1/visits?unit=${V1}`)).body.items.find((x) => x.id === r.body.id);
  assert.deepEqual(v.mentee, { id: mentee, name: '发展对象' });
  r = await send(as.town, 'POST', `/api/v1/contacts?unit=${TOWN}`, { duty: 'mentor.civil_servant', person: mentor, mentee, from: `${YEAR}-01-01` });
  assert.equal(r.status, 201, JSON.stringify(r.body));
});

test('万企兴万村 records per pair and year, rolled up as wqxwc.*; bad input writes nothing', async () => {
  const boss = await person(V1, '企业联络人');
  let r = await send(as.town, 'POST', `/api/v1/contacts?unit=${TOWN}`, { duty: 'enterprise.village', person: boss, target: V1, partner: '舞阳盐化有限公司', from: `${YEAR}-01-01` });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const pair = r.body.id;
  r = await send(as.town, 'POST', `/api/v1/contacts/${pair}/records`, { year: YEAR, projects: 2, jobs: 35, purchases: 12.5, donations: 3, notes: '食用菌大棚' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await send(as.town, 'POST', `/api/v1/contacts/${pair}/records`, { year: YEAR, projects: 3, jobs: 40, purchases: 12.5, donations: 3.25 });
  assert.equal(r.status, 200, JSON.stringify(r.body)); // replaces the year's record
  r = await as.town(`/api/v1/contacts/pairs?unit=${TOWN}&year=${YEAR}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const it = r.body.items.find((x) => x.id === pair);
  assert.deepEqual([it.partner, it.projects, it.jobs, it.purchases, it.donations], ['舞阳盐化有限公司', 3, 40, 12.5, 3.25]);
  assert.equal(r.body.total.pairs, 1);
  assert.equal(r.body.duty.code, 'enterprise.village');
  // refused, nothing written
  const leaderLink = (await as.town(`/api/v1/contacts?unit=${TOWN}&period=${YEAR}`)).body.items.find((x) => x.duty === 'leader.village').id;
  const rows = count('pair_records');
  const audits = count('audit');
  for (const [id, body, re] of [
    [pair, { year: 2019, projects: 1 }, /2021/],
    [pair, { year: YEAR + 1, projects: 1 }, /今年/],
    [pair, { year: YEAR, projects: -1 }, /项目数/],
    [pair, { year: YEAR, jobs: 2.5 }, /就业/],
    [pair, { year: YEAR, purchases: 1e9 }, /采购/],
    [pair, { year: YEAR, projects: 1, extra: 1 }, /extra/],
    [leaderLink, { year: YEAR, projects: 1 }, /万企兴万村/],
  ]) {
    r = await send(as.town, 'POST', `/api/v1/contacts/${id}/records`, body);
    assert.equal(r.status, 400, JSON.stringify([body, r.body]));
    assert.match(r.body.error.message, re);
  }
  r = await send(as.town2, 'POST', `/api/v1/contacts/${pair}/records`, { year: YEAR, projects: 9 });
  assert.equal(r.status, 404);
  assert.equal(count('pair_records'), rows);
  assert.equal(count('audit'), audits);
  // the rollup
  for (const [code, want] of [['wqxwc.projects', 3], ['wqxwc.jobs', 40], ['wqxwc.purchases', 12.5], ['wqxwc.donations', 3.25]]) {
    r = await as.admin(`/api/v1/analytics?expr=%23%7B${code}%7D&unit=${COUNTY}&period=${YEAR}&by=children`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.value, want, code);
    assert.equal(r.body.children.find((x) => x.code === TOWN).value, want);
  }
  r = await as.town2(`/api/v1/contacts/pairs?unit=${TOWN}`);
  assert.equal(r.status, 404);
});
