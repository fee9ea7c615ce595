// 发展党员 and 组织关系转接 as case kinds (kinds/development.json,
// kinds/transfer.json; app/pipeline.h): every date and count rule of the
// 2014 《发展党员工作细则》 refuses a step naming its rule and writing
// nothing (the case and the person's memberships unchanged); a step into a
// new stage changes the party membership stage in the same transaction; a
// transfer is accepted or returned by the receiving side only, moves the
// member on one day, and shows overdue; an unrelated township sees nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, chinaDay, jicengOk, ROOT, idNumber } from '../lib/server.js';

const COUNTY = '411121';
let TOWN, TOWN2, TOWN3, V1, V2;
let srv;
const as = {};

let serial = 300;
const nextId = () => idNumber(`41112119800501${String(serial++).padStart(3, '0')}`);
const codes = (q) => sql(srv.dataDir, q).trim().split('\n').map((s) => s.trim()).filter(Boolean);

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  const towns = codes(`SELECT code FROM units WHERE code LIKE '${COUNTY}___' AND length(code) = 9 ORDER BY code;`);
  [TOWN, TOWN2, TOWN3] = towns;
  [V1, V2] = codes(`SELECT code FROM units WHERE code LIKE '${TOWN}___' AND length(code) = 12 ORDER BY code;`);
  const V3 = codes(`SELECT code FROM units WHERE code LIKE '${TOWN2}___' AND length(code) = 12 ORDER BY code;`)[0];
  const users = {
    town: ['township_admin', TOWN], sec1: ['village_secretary', V1], town2: ['township_admin', TOWN2],
    sec3: ['village_secretary', V3], town3: ['township_admin', TOWN3], observer: ['observer', V1],
  };
  for (const [name, [role, scope]] of Object.entries(users)) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
  as.admin = srv.api;
  as.V3 = V3;
});
after(() => srv?.stop());

const send = (who, method, p, body) => who(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

async function person(unit) {
  const r = await send(as.admin, 'POST', '/api/v1/persons', { name: `人员${serial}`, unit, sex: '女', id_number: nextId() });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
async function org(unit) {
  const r = await send(as.admin, 'POST', '/api/v1/party/orgs', { name: `党支部${serial++}`, type: 'branch', unit });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
const join = async (orgId, personId, stage, from = '2015-01-01') => {
  const r = await send(as.admin, 'POST', `/api/v1/party/orgs/${orgId}/members`, { person: personId, kind: 'party_member', stage, from });
  assert.equal(r.status, 201, JSON.stringify(r.body));
};
const memberships = async (id) => (await as.admin(`/api/v1/persons/${id}`)).body.memberships
  .filter((m) => m.kind === 'party_member')
  .map((m) => `${m.org}:${m.stage}:${m.from}:${m.to ?? ''}`);
const caseRow = (id) => sql(srv.dataDir, `SELECT c.state, c.version, p.steps, p.since FROM cases c JOIN case_persons p ON p.case_id = c.id WHERE c.id = ${id};`).trim();

// Takes a step as `who`; returns the answer.
const step = (who, id, body) => send(who, 'POST', `/api/v1/party/cases/${id}/transitions`, body);

// A refused step: its status, the rule named in its message, nothing written.
async function refused(who, id, personId, body, status, rule) {
  const before = [caseRow(id), await memberships(personId)];
  const r = await step(who, id, body);
  assert.equal(r.status, status, JSON.stringify(r.body));
  if (rule) assert.match(r.body.error.message, rule);
  assert.deepEqual([caseRow(id), await memberships(personId)], before, 'nothing written');
  return r;
}
async function ok(who, id, body) {
  const r = await step(who, id, body);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

test('发展党员: every guard refuses naming its rule, and the stages follow the case', async () => {
  const branch = await org(V1);
  const intro = [await person(V1), await person(V1)];
  await join(branch.id, intro[0].id, 'formal', '2010-01-01');
  await join(branch.id, intro[1].id, 'formal', '2010-01-01');
  const probationaryOnly = await person(V1);
  await join(branch.id, probationaryOnly.id, 'probationary', '2022-01-01');
  const p = await person(V1);

  // the application opens the 入党申请人 membership with the case
  let r = await send(as.sec1, 'POST', '/api/v1/party/cases', { kind: 'development', person: p.id, org: branch.id, on: '2022-01-10' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.id;
  assert.equal(r.body.stage, 'applicant');
  assert.equal(r.body.stage_name, '入党申请人');
  assert.equal(r.body.next.code, 'talk');
  assert.equal(r.body.next.latest, '2022-02-10', 'the talk within a month, from the kind file');
  assert.deepEqual(await memberships(p.id), [`${branch.id}:applicant:2022-01-10:`]);
  // one open development case per person
  r = await send(as.sec1, 'POST', '/api/v1/party/cases', { kind: 'development', person: p.id, org: branch.id, on: '2022-01-11' });
  assert.equal(r.status, 409);
  // the talk: within 1 month of the application
  await refused(as.sec1, id, p.id, { transition: 'talk', on: '2022-02-11', note: '谈话' }, 400, /1 个月内.*2022-02-10/);
  // before the previous step
  await refused(as.sec1, id, p.id, { transition: 'talk', on: '2022-01-09', note: '谈话' }, 400, /不能早于上一步的日期 2022-01-10/);
  // not after today
  await refused(as.sec1, id, p.id, { transition: 'talk', on: chinaDay(2), note: '谈话' }, 400, /不能晚于今天/);
  // out of order
  await refused(as.sec1, id, p.id, { transition: 'make_candidate', on: '2022-01-20', note: '确定' }, 400, /已递交入党申请书的事项不能确定为发展对象/);
  await ok(as.sec1, id, { transition: 'talk', on: '2022-02-10', note: '党支部派人谈话' });
  r = await step(as.sec1, id, { transition: 'make_activist', on: '2022-03-01', note: '党员推荐，支委会研究，报乡镇党委备案；培养联系人：两名正式党员' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.stage, 'activist');
  assert.deepEqual(await memberships(p.id), [`${branch.id}:applicant:2022-01-10:2022-03-01`, `${branch.id}:activist:2022-03-01:`], 'the stage changed with the step');
  await ok(as.sec1, id, { transition: 'assess', on: '2022-09-01', note: '半年考察' });
  // ≥ 1 year as 积极分子
  await refused(as.sec1, id, p.id, { transition: 'make_candidate', on: '2023-02-28', note: '确定' }, 400, /满 12 个月后.*2023-03-01/);
  await ok(as.sec1, id, { transition: 'make_candidate', on: '2023-03-01', note: '听取意见，支委会讨论，报上级党委备案' });
  assert.deepEqual((await memberships(p.id)).at(-1), `${branch.id}:candidate:2023-03-01:`);
  // two formal members as 入党介绍人, on that day
  await refused(as.sec1, id, p.id, { transition: 'introducers', on: '2023-03-05', introducer1: intro[0].id }, 400, /两名入党介绍人/);
  await refused(as.sec1, id, p.id, { transition: 'introducers', on: '2023-03-05', introducer1: intro[0].id, introducer2: intro[0].id }, 400, /不同的人/);
  await refused(as.sec1, id, p.id, { transition: 'introducers', on: '2023-03-05', introducer1: intro[0].id, introducer2: probationaryOnly.id }, 400, /须为正式党员/);
  await refused(as.sec1, id, p.id, { transition: 'introducers', on: '2023-03-05', introducer1: intro[0].id, introducer2: p.id }, 400, /自己的入党介绍人/);
  await ok(as.sec1, id, { transition: 'introducers', on: '2023-03-05', introducer1: intro[0].id, introducer2: intro[1].id });
  await ok(as.sec1, id, { transition: 'vet', on: '2023-03-20', note: '政治审查合格' });
  // training: 3 days or 24 hours
  await refused(as.sec1, id, p.id, { transition: 'train', on: '2023-04-01', days: 2, hours: 16 }, 400, /培训天数不少于 3或培训学时不少于 24/);
  await ok(as.sec1, id, { transition: 'train', on: '2023-04-01', hours: 24 });
  await ok(as.sec1, id, { transition: 'precheck', on: '2023-04-10' });
  // the 支部大会: more than half present, more than half of those entitled agreeing
  await refused(as.sec1, id, p.id, { transition: 'branch_vote', on: '2023-05-01', entitled: 10, present: 5, agreeing: 5 }, 400, /半数以上有表决权的党员到会/);
  await refused(as.sec1, id, p.id, { transition: 'branch_vote', on: '2023-05-01', entitled: 10, present: 8, agreeing: 5 }, 400, /赞成人数须超过应到会有表决权党员的半数/);
  await refused(as.sec1, id, p.id, { transition: 'branch_vote', on: '2023-05-01', entitled: 10, present: 11, agreeing: 6 }, 400, /不能多于应到人数/);
  await ok(as.sec1, id, { transition: 'branch_vote', on: '2023-05-01', entitled: 10, present: 8, agreeing: 8 });
  // the upper committee approves (by above), within 3 months
  await refused(as.sec1, id, p.id, { transition: 'approve', on: '2023-06-01' }, 403, /上级单位/);
  await refused(as.town, id, p.id, { transition: 'approve', on: '2023-08-02' }, 400, /3 个月内.*2023-08-01/);
  r = await step(as.town, id, { transition: 'approve', on: '2023-07-01' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.stage, 'probationary');
  assert.deepEqual((await memberships(p.id)).slice(-2), [`${branch.id}:candidate:2023-03-01:2023-07-01`, `${branch.id}:probationary:2023-07-01:`]);
  await ok(as.sec1, id, { transition: 'oath', on: '2023-07-05' });
  // conversion after 1 year of probation; extension 6–12 months, once
  await refused(as.sec1, id, p.id, { transition: 'conversion_vote', on: '2024-06-30', entitled: 10, present: 8, agreeing: 8 }, 400, /满 12 个月后.*2024-07-01/);
  await refused(as.sec1, id, p.id, { transition: 'extend', on: '2024-07-02', months: 13, note: '延长' }, 400, /6 到 12/);
  await ok(as.sec1, id, { transition: 'extend', on: '2024-07-02', months: 6, note: '考察期间表现一般，延长预备期' });
  await refused(as.sec1, id, p.id, { transition: 'extend', on: '2024-08-01', months: 6, note: '再延长' }, 400, /已延长预备期的事项不能延长预备期/);
  await refused(as.sec1, id, p.id, { transition: 'conversion_vote', on: '2024-12-31', entitled: 10, present: 8, agreeing: 8 }, 400, /另加延长的 6 个月.*2025-01-01/);
  await ok(as.sec1, id, { transition: 'conversion_vote', on: '2025-01-02', entitled: 10, present: 9, agreeing: 9 });
  await refused(as.town, id, p.id, { transition: 'convert', on: '2025-04-03' }, 400, /3 个月内.*2025-04-02/);
  r = await step(as.town, id, { transition: 'convert', on: '2025-03-01' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.stage, 'formal');
  assert.deepEqual((await memberships(p.id)).slice(-2), [`${branch.id}:probationary:2023-07-01:2025-03-01`, `${branch.id}:formal:2025-03-01:`]);
  r = await ok(as.sec1, id, { transition: 'archive', on: '2025-03-10' });
  assert.equal(r.final, true);
  // every step with its date and numbers; the person page lists the case
  const steps = Object.fromEntries(r.steps.map((s) => [s.code, s]));
  assert.equal(steps.talk.on, '2022-02-10');
  assert.deepEqual(steps.branch_vote.numbers, { entitled: 10, present: 8, agreeing: 8 });
  assert.equal(steps.extend.numbers.months, 6);
  assert.equal(steps.introducers.names.introducers, `${intro[0].name}、${intro[1].name}`, 'by name');
  assert.equal(steps.stop.on, null);
  assert.equal(r.applied_on, '2022-01-10');
  const page = await as.observer(`/api/v1/persons/${p.id}`);
  assert.equal(page.status, 200);
  assert.deepEqual(page.body.cases.map((c) => [c.id, c.kind, c.state]), [[id, 'development', 'archived']]);
  // the audit trail has every step of the case
  const audit = sql(srv.dataDir, `SELECT action FROM audit WHERE entity = 'party_case:${id}' ORDER BY seq;`);
  assert.match(audit, /party_case\.create[\s\S]*party_case\.talk[\s\S]*party_case\.convert[\s\S]*party_case\.archive/);
});

test('发展党员: bad input at creation is refused, nothing written', async () => {
  const branch = await org(V1);
  const member = await person(V1);
  await join(branch.id, member.id, 'formal');
  const count = () => sql(srv.dataDir, 'SELECT count(*) FROM cases;').trim();
  const before = count();
  const cases = [
    [{ kind: 'development', person: member.id, org: branch.id }, 409, /已是正式党员/],
    [{ kind: 'nope', person: member.id, org: branch.id }, 400, /没有这种党员事项/],
    [{ kind: 'development', person: 999999, org: branch.id }, 400, /没有这个人员/],
    [{ kind: 'development', person: member.id, org: branch.id, on: '2022-02-30' }, 400, /真实日期/],
    [{ kind: 'development', person: member.id, org: branch.id, to_org: branch.id }, 400, /没有接收党组织/],
    [{ kind: 'development', person: 'x', org: branch.id }, 400, /编号/],
    [{ kind: 'development', person: member.id, org: branch.id, extra: 1 }, 400, null],
  ];
  for (const [body, status, rule] of cases) {
    const r = await send(as.sec1, 'POST', '/api/v1/party/cases', body);
    assert.equal(r.status, status, JSON.stringify([body, r.body]));
    if (rule) assert.match(r.body.error.message, rule);
  }
  const other = await person(as.V3);
  const r = await send(as.sec1, 'POST', '/api/v1/party/cases', { kind: 'development', person: other.id, org: (await org(as.V3)).id });
  assert.equal(r.status, 403, 'an organisation outside the scope');
  assert.equal(count(), before);
});

test('组织关系转接: the receiving side accepts or returns; one branch at any moment; overdue; scope', async () => {
  const from = await org(V1);
  const to = await org(as.V3); // another township
  const m = await person(V1);
  await join(from.id, m.id, 'formal', '2018-01-01');
  let r = await send(as.sec1, 'POST', '/api/v1/party/cases', { kind: 'transfer', person: m.id, org: from.id, to_org: to.id, on: chinaDay(-3), note: '外出务工，转往' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.id;
  assert.equal(r.body.to_org.id, to.id);
  assert.equal(r.body.deadline, chinaDay(27), 'the 30 days of kinds/transfer.json');
  assert.equal(r.body.overdue, false);
  // both sides see it; an unrelated township does not
  assert.ok((await as.town2('/api/v1/party/cases?kind=transfer')).body.cases.some((c) => c.id === id));
  assert.ok((await as.town('/api/v1/party/cases?kind=transfer')).body.cases.some((c) => c.id === id));
  assert.equal((await as.town3('/api/v1/party/cases')).body.cases.length, 0);
  assert.equal((await as.town3(`/api/v1/party/cases/${id}`)).status, 404);
  await refused(as.town3, id, m.id, { transition: 'accept' }, 403, null);
  // the receiving side: only accept or return
  const seen = await as.sec3(`/api/v1/party/cases/${id}`);
  assert.equal(seen.status, 200);
  assert.deepEqual(seen.body.available.map((s) => s.code), ['accept', 'return']);
  await refused(as.sec3, id, m.id, { transition: 'withdraw', note: '撤回' }, 403, /接收方只能接收或退回/);
  // the sending side may not accept its own transfer
  await refused(as.sec1, id, m.id, { transition: 'accept' }, 403, /接收方办理/);
  // a date before the issue
  await refused(as.sec3, id, m.id, { transition: 'accept', on: chinaDay(-4) }, 400, /不能早于上一步的日期/);
  r = await step(as.sec3, id, { transition: 'accept', on: chinaDay(-1) });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.state, 'accepted');
  assert.deepEqual(await memberships(m.id), [`${from.id}:formal:2018-01-01:${chinaDay(-1)}`, `${to.id}:formal:${chinaDay(-1)}:`],
    'leaves and joins on the same day');
  // returned: the member stays
  const m2 = await person(V1);
  await join(from.id, m2.id, 'probationary', '2024-01-01');
  r = await send(as.sec1, 'POST', '/api/v1/party/cases', { kind: 'transfer', person: m2.id, org: from.id, to_org: to.id });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await refused(as.sec3, r.body.id, m2.id, { transition: 'return' }, 400, /填写说明/);
  const back = await ok(as.sec3, r.body.id, { transition: 'return', note: '介绍信抬头有误，请重开' });
  assert.equal(back.state, 'returned');
  assert.deepEqual(await memberships(m2.id), [`${from.id}:probationary:2024-01-01:`]);
  // a transfer of someone who has left the organisation is refused
  r = await send(as.sec1, 'POST', '/api/v1/party/cases', { kind: 'transfer', person: m.id, org: from.id, to_org: to.id });
  assert.equal(r.status, 409, JSON.stringify(r.body));
  assert.match(r.body.error.message, /同一时间只能在一个党组织/);
  // overdue: issued 40 days ago, still waiting
  const m3 = await person(V1);
  await join(from.id, m3.id, 'formal', '2019-01-01');
  r = await send(as.sec1, 'POST', '/api/v1/party/cases', { kind: 'transfer', person: m3.id, org: from.id, to_org: to.id, on: chinaDay(-40) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.overdue, true);
  const desk = await as.sec1('/api/v1/desk');
  const row = desk.body.todo.find((x) => x.kind === 'transfer');
  assert.equal(row.subject, 'person');
  assert.equal(row.overdue, 1, 'the desk counts the overdue transfer');
  assert.ok(desk.body.due.some((d) => d.id === r.body.id && d.overdue && d.subject === 'person'));
});

test('counts: the board groups by stage, and the membership counts follow', async () => {
  // the member admitted on 2023-07-01, born 1980-05-01 (from the ID number): 43
  const value = async (expr, period) => {
    const r = await as.admin(`/api/v1/analytics?expr=${encodeURIComponent(expr)}&unit=${V1}&period=${period}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.value ?? 0; // no row: none
  };
  assert.equal(await value('#{party.admitted}', '2023'), 1);
  assert.equal(await value('#{party.admitted_age} / #{party.admitted}', '2023'), 43);
  assert.equal(await value('#{party.admitted}', '2025'), 0, 'the conversion to formal is not an admission');
  // a transfer accepted this year moved a formal member: not admitted, still counted once
  assert.equal(await value('#{party.admitted}', chinaDay().slice(0, 4)), 0);
  assert.ok(await value('#{party.applicants}', chinaDay().slice(0, 4)) >= 0);
  const r = await as.town(`/api/v1/party/cases?kind=development&unit=${TOWN}&open=1`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.stages.map((s) => s.code), ['applicant', 'activist', 'candidate', 'probationary', 'formal']);
  for (const c of r.body.cases) assert.equal(c.final, false);
  const bad = await as.town('/api/v1/party/cases?kind=rating');
  assert.equal(bad.status, 400);
  assert.equal((await as.town(`/api/v1/party/cases?unit=${TOWN2}`)).status, 404);
});
