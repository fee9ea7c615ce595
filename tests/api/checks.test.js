// Checked data: validation rules as definitions (shipped, created, refused),
// checked on every value write (an error refuses the whole write, a warning
// asks for confirmation), the validation report of a subtree, and data
// approval (审核) by a unit above, which locks the figures until withdrawn.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, api, jiceng, jicengOk, addUser, tokenFor, ROOT } from '../lib/server.js';

const COUNTY = '411121';
const TOWN = '411121100'; // 舞泉镇
const OTHER_TOWN = '411121101';
const V1 = '411121100201'; // 大杨庄村
const V2 = '411121100202';
const DEFINITIONS = path.join(ROOT, 'data/definitions.json');
const shipped = JSON.parse(fs.readFileSync(DEFINITIONS, 'utf8'));
let srv;
const as = {}; // name → fetch with that user's bearer token

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', DEFINITIONS]);
  const users = {
    county: ['county_admin', COUNTY], town: ['township_admin', TOWN], sec: ['village_secretary', V1],
    other: ['township_admin', OTHER_TOWN], watcher: ['observer', COUNTY],
  };
  for (const [name, [role, scope]] of Object.entries(users)) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
  as.admin = srv.api;
});
after(() => srv?.stop());

const send = (who, method, p, body) => who(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const write = (who, values, { confirm, period = '2026' } = {}) => send(who, 'POST', `/api/v1/values${confirm ? '?confirm=true' : ''}`,
  Object.entries(values).map(([key, value]) => {
    const [unit, element] = key.split(' ');
    return { element, unit, period, value };
  }));
const stored = async (unit, element, period = '2026') =>
  (await as.watcher(`/api/v1/values?unit=${unit}&element=${element}&period=${period}`)).body.items[0]?.value ?? null;

test('rules are definitions: shipped, created, refused with the field at fault', async () => {
  const list = (await as.watcher('/api/v1/rules')).body.items;
  assert.equal(list.length, shipped.rules.length);
  const doctor = list.find((r) => r.code === 'doctor.le.population');
  assert.deepEqual([doctor.left, doctor.operator, doctor.right, doctor.severity, doctor.period_type],
    ['#{doctor.contracts}', '<=', '#{population}', 'error', 'year']);
  assert.equal(list.find((r) => r.code === 'requests.resolved.le.received').period_type, 'month');

  const rule = { code: 'volunteers.le.population', message: '志愿者人数不能多于常住人口', left: '#{volunteers}', operator: '<=', right: '#{population}' };
  assert.equal((await send(as.town, 'POST', '/api/v1/rules', rule)).status, 403, 'defining needs data:define');
  const created = await send(as.county, 'POST', '/api/v1/rules', rule);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.deepEqual([created.body.severity, created.body.period_type], ['error', 'year'], 'defaults: error, the elements\' period type');
  const bad = [
    [{ ...rule }, 409, 'code'],
    [{ ...rule, code: 'r.x', left: '#{nowhere}' }, 400, 'left'],
    [{ ...rule, code: 'r.x', right: '#{requests.received}' }, 400, 'right'],
    [{ ...rule, code: 'r.x', operator: '=<' }, 400, 'operator'],
    [{ ...rule, code: 'r.x', severity: 'fatal' }, 400, 'severity'],
    [{ ...rule, code: 'r.x', period_type: 'month' }, 400, 'period_type'],
    [{ ...rule, code: 'r.x', left: '#{volunteers} +' }, 400, 'left'],
    [{ ...rule, code: 'r.x', message: '' }, 400, 'message'],
    [{ ...rule, code: 'r.x', left: '1', right: '2' }, 400, 'left'],
    [{ ...rule, code: 'r.x', extra: 1 }, 400, undefined],
  ];
  for (const [body, status, field] of bad) {
    const r = await send(as.county, 'POST', '/api/v1/rules', body);
    assert.equal(r.status, status, JSON.stringify(body));
    if (field) assert.equal(r.body.error.field, field, JSON.stringify(r.body));
  }
  assert.match((await send(as.county, 'POST', '/api/v1/rules', bad[2][0])).body.error.message, /同一周期/);

  // A definitions file with one bad rule adds nothing.
  const file = path.join(srv.dataDir, 'bad-rules.json');
  fs.writeFileSync(file, JSON.stringify({ rules: [
    { code: 'ok.rule', message: '好的', left: '#{households}', operator: '>=', right: '0' },
    { code: 'bad.rule', message: '坏的', left: '#{households}', operator: 'about', right: '0' },
  ] }));
  const refused = jiceng(['--data', srv.dataDir, 'import', 'elements', file]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /rules 第 2 项：operator 须为/);
  assert.equal((await as.watcher('/api/v1/rules')).body.items.length, shipped.rules.length + 1);
  const audit = (await as.admin('/api/v1/audit?limit=50')).body.items.find((e) => e.action === 'rule.create');
  assert.equal(audit.entity, 'rule:volunteers.le.population');
});

test('an error rule refuses the whole write and names the rule; nothing is written', async () => {
  assert.equal((await write(as.town, { [`${V1} population`]: 1000, [`${V1} households`]: 300 })).status, 200);
  const r = await write(as.town, { [`${V1} doctor.contracts`]: 1200, [`${V1} volunteers`]: 50, [`${V2} population`]: 800 });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'rules');
  assert.match(r.body.error.message, /违反校验规则：大杨庄村村民委员会 2026：家庭医生签约人数不能多于常住人口（1200 <= 1000 不成立）/);
  assert.equal(r.body.errors, 1);
  assert.deepEqual(r.body.violations.map((v) => [v.rule, v.severity, v.unit.code, v.unit.name, v.period, v.left, v.operator, v.right]),
    [['doctor.le.population', 'error', V1, '大杨庄村村民委员会', '2026', 1200, '<=', 1000]]);
  assert.deepEqual(r.body.violations[0].elements, ['doctor.contracts', 'population']);
  assert.equal(await stored(V1, 'doctor.contracts'), null, 'nothing written');
  assert.equal(await stored(V2, 'population'), null, 'not even the other unit\'s value');
  // The figures after the write count: lowering the population breaks the rule too …
  assert.equal((await write(as.town, { [`${V1} doctor.contracts`]: 900 })).status, 200);
  const lower = await write(as.town, { [`${V1} population`]: 800 });
  assert.equal(lower.status, 400);
  assert.equal(lower.body.violations[0].rule, 'doctor.le.population');
  // … and raising both at once is fine.
  assert.equal((await write(as.town, { [`${V1} population`]: 1500, [`${V1} doctor.contracts`]: 1200 })).status, 200);
  // A missing side skips the rule; clearing the right side is allowed.
  assert.equal((await write(as.town, { [`${V2} vaccine.done`]: 30 })).status, 200, 'no 适龄儿童数 entered: not checked');
  assert.equal((await write(as.town, { [`${V2} vaccine.target`]: 20 })).status, 400, 'now it is');
  assert.equal((await write(as.town, { [`${V2} vaccine.target`]: 40 })).status, 200);
  assert.equal((await write(as.town, { [`${V2} vaccine.target`]: null })).status, 200);
});

test('a warning asks for confirmation; confirmed, it is written and answered', async () => {
  // 注册志愿者人数 > 常住人口的 10% (a warning).
  const r = await write(as.town, { [`${V1} volunteers`]: 200 });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.field, 'confirm');
  assert.match(r.body.error.message, /有 1 处校验警告，请核实后确认保存：.*注册志愿者人数超过常住人口的 10%，请核实（200 <= 150 不成立）/);
  assert.deepEqual([r.body.errors, r.body.warnings, r.body.violations[0].severity], [0, 1, 'warning']);
  assert.equal(await stored(V1, 'volunteers'), null);
  assert.equal((await send(as.town, 'POST', '/api/v1/values?confirm=maybe', [])).status, 400);
  const ok = await write(as.town, { [`${V1} volunteers`]: 200 }, { confirm: true });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body.warnings.map((w) => [w.rule, w.left, w.right]), [['volunteers.share', 200, 150]]);
  assert.equal(await stored(V1, 'volunteers'), 200);
  // An error is not confirmed away.
  const both = await write(as.town, { [`${V1} volunteers`]: 300, [`${V1} households`]: 2000 }, { confirm: true });
  assert.equal(both.status, 400);
  assert.deepEqual(both.body.violations.map((v) => v.rule).sort(), ['households.le.population', 'volunteers.share']);
  // Writing the same value again checks nothing: it changes nothing.
  assert.deepEqual((await write(as.town, { [`${V1} volunteers`]: 200 })).body, { received: 1, changed: 0, warnings: [] });
  // Monthly rules check monthly values.
  const month = await write(as.town, { [`${V1} requests.received`]: 3, [`${V1} requests.resolved`]: 5 }, { period: '2026-03' });
  assert.equal(month.status, 409);
  assert.equal(month.body.violations[0].period, '2026-03');
});

test('a ledger import is checked alike, confirmed with ?confirm=true', async () => {
  const ledger = `单位代码,单位名称,常住人口,家庭医生签约人数\n${V2},x,600,700\n`;
  const upload = (q) => as.town(`/api/v1/values/import?period=2026${q}`, { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: ledger });
  const refused = await upload('');
  assert.equal(refused.status, 400);
  assert.equal(refused.body.violations[0].unit.code, V2);
  assert.equal(await stored(V2, 'population'), null);
  const warn = `单位代码,常住人口,注册志愿者人数\n${V2},600,70\n`;
  const send2 = (q) => as.town(`/api/v1/values/import?period=2026${q}`, { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: warn });
  assert.equal((await send2('')).status, 409);
  const ok = await send2('&confirm=true');
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.warnings.length, 1);
});

test('the validation report lists every broken rule of a subtree with names and figures', async () => {
  // A rule created after the figures it breaks: the report finds them.
  const created = await send(as.county, 'POST', '/api/v1/rules',
    { code: 'households.min', message: '户数不少于 500', left: '#{households}', operator: '>=', right: '500', severity: 'error' });
  assert.equal(created.status, 201);
  const report = await as.town(`/api/v1/validation?unit=${TOWN}&period=2026`);
  assert.equal(report.status, 200, JSON.stringify(report.body));
  assert.deepEqual(report.body.unit, { code: TOWN, name: '舞泉镇' });
  assert.equal(report.body.period, '2026');
  assert.equal(report.body.rules, shipped.rules.filter((r) => r.period_type === 'year').length + 2);
  assert.equal(report.body.units, 2);
  const seen = report.body.items.map((v) => [v.unit.code, v.rule, v.severity, v.left, v.right]);
  assert.deepEqual(seen, [
    [V1, 'households.min', 'error', 300, 500],
    [V1, 'volunteers.share', 'warning', 200, 150],
    [V2, 'volunteers.share', 'warning', 70, 60],
  ]);
  assert.deepEqual([report.body.errors, report.body.warnings, report.body.truncated], [1, 2, false]);
  assert.equal(report.body.items[0].unit.name, '大杨庄村村民委员会');
  assert.equal(report.body.items[0].message, '户数不少于 500');
  // Monthly rules for a month; other subtrees; the period is required.
  const march = (await as.town(`/api/v1/validation?unit=${TOWN}&period=2026-03`)).body;
  assert.deepEqual(march.items.map((v) => v.rule), []);
  assert.equal((await as.other(`/api/v1/validation?unit=${TOWN}&period=2026`)).status, 404);
  assert.equal((await as.town(`/api/v1/validation?unit=${TOWN}`)).status, 400);
  assert.equal((await as.town(`/api/v1/validation?unit=${TOWN}&period=26`)).status, 400);
  assert.equal((await as.other(`/api/v1/validation?period=2026`)).body.items.length, 0, 'the caller\'s own subtree by default');
});

test('approval: a unit above approves, the figures lock until the approval is withdrawn', async () => {
  const approve = (who, unit, period = '2026') => who(`/api/v1/approvals/${unit}?period=${period}`, { method: 'PUT' });
  const withdraw = (who, unit, period = '2026') => who(`/api/v1/approvals/${unit}?period=${period}`, { method: 'DELETE' });
  // A subtree with a broken error rule is not approved.
  const blocked = await approve(as.town, V1);
  assert.equal(blocked.status, 400);
  assert.match(blocked.body.error.message, /有 1 处违反校验规则，请先改正再审核/);
  assert.equal((await write(as.town, { [`${V1} households`]: 600 })).status, 200);

  assert.equal((await approve(as.sec, V1)).status, 403, 'a village secretary does not approve');
  assert.equal((await approve(as.other, V1)).status, 403, 'another township does not');
  const own = await approve(as.town, TOWN);
  assert.equal(own.status, 400, 'not one\'s own unit: the unit above approves');
  assert.match(own.body.error.message, /须由上级单位审核/);
  assert.equal((await approve(as.town, V1, '2026-13')).status, 400);
  assert.equal((await approve(as.town, V1, '')).status, 400);
  const ok = await approve(as.town, V1);
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.deepEqual([ok.body.unit.code, ok.body.period, ok.body.approved_by], [V1, '2026', 'town']);
  assert.equal((await approve(as.town, V1)).status, 409, 'approved already');

  // Locked: every write there is refused, saying who approved when; nothing is written.
  const locked = await write(as.town, { [`${V1} vaccine.target`]: 40, [`${V2} vaccine.target`]: 40 });
  assert.equal(locked.status, 409);
  assert.equal(locked.body.error.field, 'approved');
  assert.match(locked.body.error.message, /^大杨庄村村民委员会 2026 的数据已由town于 \d{4}-\d\d-\d\d \d\d:\d\d 审核，已锁定/);
  assert.equal(await stored(V2, 'vaccine.target'), null);
  assert.equal((await write(as.admin, { [`${V1} vaccine.target`]: 40 })).status, 409, 'for the administrator too');
  assert.equal((await write(as.town, { [`${V1} requests.received`]: 9 }, { period: '2026-04' })).status, 200, 'other periods are open');

  // The county approves the township: the approval above covers the village.
  assert.equal((await approve(as.county, TOWN)).status, 201);
  const listed = (await as.watcher(`/api/v1/approvals?unit=${V1}&period=2026`)).body;
  assert.deepEqual(listed.items.map((a) => a.unit.code), [TOWN, V1]);
  assert.equal(listed.can_approve, false);
  const inTown = (await as.town(`/api/v1/approvals?unit=${TOWN}&period=2026`)).body;
  assert.deepEqual(inTown.items.map((a) => [a.unit.code, a.approved_by]), [[TOWN, 'county'], [V1, 'town']]);
  assert.equal(inTown.can_approve, true);
  const byCounty = await write(as.town, { [`${V2} vaccine.target`]: 40 });
  assert.equal(byCounty.status, 409);
  assert.match(byCounty.body.error.message, /随舞泉镇一并由county于 .* 审核/);
  const stuck = await withdraw(as.town, V1);
  assert.equal(stuck.status, 409, 'not while the township is approved');
  assert.match(stuck.body.error.message, /请先取消舞泉镇的审核/);
  assert.equal((await withdraw(as.town, TOWN)).status, 400, 'the township cannot withdraw the county\'s approval of itself');
  assert.equal((await withdraw(as.county, TOWN)).status, 204);
  assert.equal((await withdraw(as.county, TOWN)).status, 404, 'not approved any more');

  assert.equal((await withdraw(as.town, V1)).status, 204);
  assert.equal((await write(as.town, { [`${V1} volunteers`]: 40 })).status, 200, 'open again');
  assert.deepEqual((await as.town(`/api/v1/approvals?unit=${TOWN}&period=2026`)).body.items, []);
  assert.equal((await as.other(`/api/v1/approvals?unit=${TOWN}&period=2026`)).status, 404);

  const audit = (await as.county(`/api/v1/audit?unit=${TOWN}&limit=100`)).body.items
    .filter((e) => e.action.startsWith('values.') && e.action !== 'values.write');
  assert.deepEqual(audit.map((e) => [e.action, e.entity, e.user]).reverse(), [
    ['values.approve', `approval:${V1}:2026`, 'town'],
    ['values.approve', `approval:${TOWN}:2026`, 'county'],
    ['values.unapprove', `approval:${TOWN}:2026`, 'county'],
    ['values.unapprove', `approval:${V1}:2026`, 'town'],
  ]);
  assert.deepEqual(audit[0].before, { unit: V1, period: '2026', approved_by: 'town', approved_at: audit[0].before.approved_at });
  assert.equal(audit[0].after, null);
});
