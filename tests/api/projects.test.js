// Key projects (重点项目, app/projects.h): the register, yearly plans and
// monthly reports with year-to-date and percentages computed (never typed),
// milestones with due-soon / late alerts, a late milestone opening exactly
// one problem case linked both ways, every bad-input rule refused with
// nothing written, scope, the Excel ledger, and the contract elements
// projects.invest.plan / projects.invest.done rolled up by the analytics engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, jicengOk, ROOT, chinaDay } from '../lib/server.js';

const COUNTY = '411121';
const TOWN = '411121100';
const V1 = '411121100201';
let TOWN2;
let srv;
const as = {};

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  const towns = (await srv.api(`/api/v1/units/${COUNTY}/children?limit=100`)).body.items;
  TOWN2 = towns.find((t) => t.code !== TOWN).code;
  for (const [name, [role, scope]] of Object.entries({ town: ['township_admin', TOWN], observer: ['observer', COUNTY] })) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
  as.admin = srv.api;
});
after(() => srv?.stop());

const send = (who, method, p, body) => who(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const count = (t) => Number(sql(srv.dataDir, `SELECT count(*) FROM ${t};`).trim());
const month = (plus = 0) => {
  const [y, m] = chinaDay().split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + plus, 1));
  return d.toISOString().slice(0, 7);
};
const YEAR = Number(chinaDay().slice(0, 4));
let serial = 0;
const project = (extra = {}) => ({
  unit: TOWN, name: `重点项目${++serial}`, scale: '年产 10 万吨', nature: 'industry', owner_unit: TOWN,
  total_wan: 10000, starts_on: `${YEAR - 1}-01-01`, ends_on: `${YEAR + 1}-12-31`, ...extra,
});

test('a project: plan, monthly reports with computed year to date and percentages', async () => {
  const c = await send(as.admin, 'POST', '/api/v1/projects', project());
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const id = c.body.id;
  let r = await send(as.admin, 'POST', `/api/v1/projects/${id}/plans`, { year: YEAR, plan_wan: 4000 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await send(as.admin, 'POST', `/api/v1/projects/${id}/reports`, { month: `${YEAR - 1}-12`, invested_wan: 500 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await send(as.town, 'POST', `/api/v1/projects/${id}/reports`, { month: month(0), invested_wan: 1000, progress: '主体封顶' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const p = r.body.project;
  assert.equal(p.month_wan, 1000);
  assert.equal(p.done_wan, 1500);
  if (month(0).startsWith(String(YEAR))) {
    assert.equal(p.ytd_wan, 1000);
    assert.equal(p.plan_pct, 25);
  }
  assert.equal(p.total_pct, 15);
  assert.deepEqual(r.body.months.map((m) => m.month), [`${YEAR - 1}-12`, month(0)]);
  assert.equal(r.body.months[1].done_wan, 1500);
  assert.equal(r.body.months[1].progress, '主体封顶');
  // replacing a month's report, not adding a second
  r = await send(as.admin, 'POST', `/api/v1/projects/${id}/reports`, { month: month(0), invested_wan: 800 });
  assert.equal(r.body.project.done_wan, 1300);
  assert.equal(Number(sql(srv.dataDir, `SELECT count(*) FROM project_reports WHERE project_id = ${id};`)), 2);
  // the register and the roll-up
  const list = await as.town(`/api/v1/projects?unit=${TOWN}`);
  assert.equal(list.status, 200);
  const row = list.body.items.find((x) => x.id === id);
  assert.equal(row.unit.name.length > 0, true);
  assert.equal(row.nature_name, '产业发展');
  assert.ok(list.body.total.total_wan >= 10000);
});

test('bad input: a month not yet begun, negative, above the total; nothing written', async () => {
  const id = (await send(as.admin, 'POST', '/api/v1/projects', project({ total_wan: 1000 }))).body.id;
  const before = count('project_reports');
  const audits = count('audit');
  const cases = [
    [{ month: month(1), invested_wan: 10 }, /尚未开始/],
    [{ month: month(0), invested_wan: -1 }, /不小于 0/],
    [{ month: month(0), invested_wan: 1000.01 }, /总投资/],
    [{ month: '2026-13', invested_wan: 1 }, /月份/],
    [{ month: `${YEAR - 3}-01`, invested_wan: 1 }, /建设期/],
    [{ month: month(0) }, /本月完成投资/],
    [{ month: month(0), invested_wan: 1, extra: 1 }, /extra/],
  ];
  for (const [body, re] of cases) {
    const r = await send(as.admin, 'POST', `/api/v1/projects/${id}/reports`, body);
    assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.status}`);
    assert.match(r.body.error.message, re, JSON.stringify(r.body));
  }
  // cumulative above the total
  assert.equal((await send(as.admin, 'POST', `/api/v1/projects/${id}/reports`, { month: `${YEAR - 1}-05`, invested_wan: 700 })).status, 201);
  const over = await send(as.admin, 'POST', `/api/v1/projects/${id}/reports`, { month: `${YEAR - 1}-06`, invested_wan: 400 });
  assert.equal(over.status, 400);
  assert.match(over.body.error.message, /累计完成投资/);
  assert.equal(count('project_reports'), before + 1);
  assert.equal(count('audit'), audits + 1);
  // the register refuses what cannot be meant
  for (const [extra, field] of [[{ total_wan: 0 }, 'total_wan'], [{ total_wan: 1e9 }, 'total_wan'], [{ nature: 'x' }, 'nature'],
    [{ ends_on: `${YEAR - 2}-01-01` }, 'ends_on'], [{ unit: '999999' }, 'unit'], [{ leader: 999999 }, 'leader'], [{ starts_on: '2026-2-1' }, 'starts_on']]) {
    const r = await send(as.admin, 'POST', '/api/v1/projects', project(extra));
    assert.equal(r.status, 400, `${JSON.stringify(extra)} → ${r.status} ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.field, field);
  }
  const plan = await send(as.admin, 'POST', `/api/v1/projects/${id}/plans`, { year: YEAR, plan_wan: 2000 });
  assert.equal(plan.status, 400);
  assert.match(plan.body.error.message, /总投资/);
});

test('scope: a township sees and writes only its own projects', async () => {
  const other = (await send(as.admin, 'POST', '/api/v1/projects', project({ unit: TOWN2, owner_unit: TOWN2 }))).body.id;
  assert.equal((await as.town(`/api/v1/projects/${other}`)).status, 404);
  const w = await send(as.town, 'POST', `/api/v1/projects/${other}/reports`, { month: month(0), invested_wan: 1 });
  assert.equal(w.status, 404);
  assert.equal((await as.town(`/api/v1/projects?unit=${TOWN2}`)).status, 404);
  const c = await send(as.town, 'POST', '/api/v1/projects', project({ unit: TOWN2, owner_unit: TOWN2 }));
  assert.equal(c.status, 403);
  assert.equal((await send(as.observer, 'POST', `/api/v1/projects/${other}/reports`, { month: month(0), invested_wan: 1 })).status, 403);
  assert.ok(!(await as.town(`/api/v1/projects?unit=${TOWN}`)).body.items.some((x) => x.id === other));
});

test('milestones: alerts, and a late one opens exactly one problem case linked both ways', async () => {
  const id = (await send(as.admin, 'POST', '/api/v1/projects', project())).body.id;
  const add = (name, planned_on) => send(as.admin, 'POST', `/api/v1/projects/${id}/milestones`, { name, planned_on });
  assert.equal((await add('土地征收', chinaDay(-10))).status, 201);
  assert.equal((await add('主体完工', chinaDay(5))).status, 201);
  const r = await add('竣工验收', chinaDay(200));
  assert.equal(r.status, 201);
  assert.deepEqual(r.body.milestones.map((m) => m.alert), ['late', 'due_soon', '']);
  assert.equal(r.body.late, 1);
  assert.equal((await add('竣工验收', chinaDay(300))).status, 409);
  const late = r.body.milestones[0];
  // opened once, not twice, even when asked at the same time
  const [a, b] = await Promise.all([1, 2].map(() => as.admin(`/api/v1/projects/alerts?unit=${TOWN}`, { method: 'POST' })));
  assert.equal(a.status, 200, JSON.stringify(a.body));
  assert.equal(b.status, 200, JSON.stringify(b.body));
  const again = await as.admin(`/api/v1/projects/alerts?unit=${TOWN}`, { method: 'POST' });
  assert.equal(again.body.opened, 0);
  const got = (await as.admin(`/api/v1/projects/${id}`)).body;
  const caseId = got.milestones.find((m) => m.id === late.id).case_id;
  assert.ok(caseId > 0);
  assert.equal(Number(sql(srv.dataDir, `SELECT count(*) FROM cases WHERE location = 'project:${id}/milestone:${late.id}';`)), 1);
  const item = await as.admin(`/api/v1/items/${caseId}`);
  assert.equal(item.status, 200, JSON.stringify(item.body));
  assert.match(JSON.stringify(item.body), /逾期/);
  assert.match(JSON.stringify(item.body), new RegExp(`project:${id}/milestone:${late.id}`));
  // done: a future day refused, then recorded
  const fut = await send(as.admin, 'POST', `/api/v1/projects/${id}/milestones/${late.id}/done`, { done_on: chinaDay(3) });
  assert.equal(fut.status, 400);
  const done = await send(as.admin, 'POST', `/api/v1/projects/${id}/milestones/${late.id}/done`, { done_on: chinaDay(0) });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.milestones[0].alert, 'done');
});

test('contract: projects.invest.plan and projects.invest.done rolled up', async () => {
  const id = (await send(as.admin, 'POST', '/api/v1/projects', project({ unit: V1, owner_unit: TOWN }))).body.id;
  assert.equal((await send(as.admin, 'POST', `/api/v1/projects/${id}/plans`, { year: YEAR - 1, plan_wan: 1234.5 })).status, 200);
  assert.equal((await send(as.admin, 'POST', `/api/v1/projects/${id}/reports`, { month: `${YEAR - 1}-03`, invested_wan: 100.25 })).status, 201);
  assert.equal((await send(as.admin, 'POST', `/api/v1/projects/${id}/reports`, { month: `${YEAR - 1}-04`, invested_wan: 50 })).status, 201);
  const expected = (q) => Number(sql(srv.dataDir, q).trim()) / 100;
  const plan = await as.admin(`/api/v1/analytics?expr=%23%7Bprojects.invest.plan%7D&unit=${COUNTY}&period=${YEAR - 1}&by=children`);
  assert.equal(plan.status, 200, JSON.stringify(plan.body));
  assert.ok(Math.abs(plan.body.value - expected(`SELECT sum(plan_cents) FROM project_plans WHERE year = ${YEAR - 1};`)) < 1e-6);
  assert.ok(Math.abs(plan.body.children.find((x) => x.code === TOWN).value - 1234.5) < 1e-6);
  const done = await as.admin(`/api/v1/analytics?expr=%23%7Bprojects.invest.done%7D&unit=${TOWN}&period=${YEAR - 1}`);
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.ok(Math.abs(done.body.value - expected(`SELECT sum(r.invested_cents) FROM project_reports r JOIN projects p ON p.id = r.project_id WHERE r.month LIKE '${YEAR - 1}-%' AND p.unit LIKE '${TOWN}%';`)) < 1e-6);
  const april = await as.admin(`/api/v1/analytics?expr=%23%7Bprojects.invest.done%7D&unit=${V1}&period=${YEAR - 1}-04`);
  assert.equal(april.body.value, 50);
});

test('the monthly ledger as Excel', async () => {
  const r = await fetch(`${srv.url}/api/v1/projects/ledger?unit=${TOWN}`, { headers: { Authorization: `Bearer ${tokenFor(srv.dataDir, 'town')}` } });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  const bytes = Buffer.from(await r.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
});
