// "五星"支部创建 over HTTP with a user of each role: a village declares its
// target and assesses itself with evidence, the township returns it once
// and accepts it after adjusting a score, the county approves, publishes,
// hears an objection and names it; stars computed from answers and the
// year's data (a veto, the prerequisite), a star withdrawn, the subtree's
// summary and ledger, the creation checklist, pairs, the public list, and
// every out-of-scope or out-of-turn attempt refused without a write.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, jicengOk, sql, ROOT, chinaDay } from '../lib/server.js';

const SCHEME = 'village-2026';
const TOWN = '411121100'; // 舞泉镇
const V1 = '411121100201';
const V2 = '411121100202';
const V3 = '411121100203';
let srv;
const as = {}; // name → fetch with that user's bearer token
const q = `?scheme=${SCHEME}`;

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  const users = {
    county: ['county_admin', '411121'], town: ['township_admin', TOWN], sec: ['village_secretary', V1],
    other: ['township_admin', '411121101'], grid: ['grid_worker', V1], watcher: ['observer', '411121'],
  };
  for (const [name, [role, scope]] of Object.entries(users)) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
  // V1's year: every star's data met, except 产业兴旺星 (集体收入 3 万元: 空壳村 veto).
  const year = { 'branch.standardised': 1, population: 1500, 'income.collective': 3, households: 400,
    'toilet.sanitary': 380, volunteers: 100, 'doctor.contracts': 1000, 'vaccine.target': 20, 'vaccine.done': 20 };
  const values = Object.entries(year).map(([element, value]) => ({ element, unit: V1, period: '2026', value }));
  for (const [element, value] of Object.entries({ 'requests.received': 10, 'requests.resolved': 10, 'hazards.found': 2, 'hazards.fixed': 2 }))
    values.push({ element, unit: V1, period: '2026-03', value });
  values.push({ element: 'satisfaction', unit: V1, period: '2026Q1', value: 95 });
  const r = await srv.api('/api/v1/values', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(values) });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  // 60 formal members: party.members is counted from the roster.
  const post = async (p, body) => {
    const x = await srv.api(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(x.status, 201, JSON.stringify(x.body));
    return x.body;
  };
  const branch = await post('/api/v1/party/orgs', { name: '大杨庄村党支部', type: 'branch', unit: V1 });
  for (let i = 0; i < 60; i++) {
    const p = await post('/api/v1/persons', { name: `党员${i + 1}`, unit: V1 });
    await post(`/api/v1/party/orgs/${branch.id}/members`, { person: p.id, kind: 'party_member', stage: 'formal', from: '2020-01-01' });
  }
});
after(() => srv?.stop());

const send = (who, method, p, body) => who(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const step = (who, unit, transition, extra = {}) => send(who, 'POST', `/api/v1/ratings/${unit}/transitions${q}`, { transition, ...extra });
let scheme;

// Full marks for every indicator and veto people answer.
function fullAnswers() {
  const indicators = [];
  const vetoes = [];
  for (const c of scheme.categories) {
    for (const i of c.indicators) {
      if (i.kind === 'assessed') indicators.push({ code: i.code, score: i.max });
      if (i.kind === 'yesno') indicators.push({ code: i.code, yes: true });
    }
    for (const v of c.vetoes) if (v.kind === 'yesno') vetoes.push({ code: v.code, yes: false });
  }
  return { indicators, vetoes };
}

test('the schemes are data: five stars, the prerequisite, indicators with their guides', async () => {
  const list = (await as.watcher('/api/v1/schemes')).body.items;
  assert.deepEqual(list.map((s) => s.code).sort(), ['community-2026', 'village-2026']);
  scheme = (await as.watcher(`/api/v1/schemes/${SCHEME}`)).body;
  assert.deepEqual(scheme.categories.map((c) => c.name), ['支部过硬星', '产业兴旺星', '生态宜居星', '平安法治星', '文明幸福星']);
  assert.equal(scheme.prerequisite, 'party');
  assert.deepEqual(scheme.applies_to, ['village']);
  const toilet = scheme.categories[2].indicators.find((i) => i.code === 'ecology.toilet');
  assert.equal(toilet.kind, 'formula');
  assert.match(toilet.formula, /toilet\.sanitary/);
  assert.equal((await as.watcher('/api/v1/schemes/nope')).status, 404);
  assert.equal((await as.watcher(`/api/v1/ratings/${TOWN}${q}`)).status, 400, 'a township is not rated under the village scheme');
});

test('declaring a target: once, in scope, for the scheme\'s kind of unit', async () => {
  const bad = [
    [as.sec, { scheme: SCHEME, unit: V2, target: 3 }, 403],
    [as.grid, { scheme: SCHEME, unit: V1, target: 3 }, 403],
    [as.sec, { scheme: SCHEME, unit: V1, target: 6 }, 400],
    [as.sec, { scheme: SCHEME, unit: V1, target: 2.5 }, 400],
    [as.sec, { scheme: 'community-2026', unit: V1, target: 3 }, 400],
    [as.sec, { scheme: 'nope', unit: V1, target: 3 }, 400],
    [as.town, { scheme: SCHEME, unit: TOWN, target: 3 }, 400],
  ];
  for (const [who, body, status] of bad) assert.equal((await send(who, 'POST', '/api/v1/ratings', body)).status, status, JSON.stringify(body));
  const made = await send(as.sec, 'POST', '/api/v1/ratings', { scheme: SCHEME, unit: V1, target: 4 });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.rating.state, 'declared');
  assert.equal(made.body.rating.state_label, '自评中');
  assert.equal(made.body.rating.target, 4);
  assert.equal((await send(as.sec, 'POST', '/api/v1/ratings', { scheme: SCHEME, unit: V1, target: 3 })).status, 409);
  // Before any answer the data already decide some stars: 生态宜居星's toilets are met.
  assert.equal(made.body.indicators.find((i) => i.code === 'ecology.toilet').score, 20);
  assert.equal(made.body.level, 0, 'nothing answered: the prerequisite is not met');
});

test('self-assessment: checked in full before anything is written, then submitted', async () => {
  const url = `/api/v1/ratings/${V1}/answers${q}`;
  const wrong = [
    [{ indicators: [{ code: 'party.organisation', score: 21 }] }, 'indicators[0]'],
    [{ indicators: [{ code: 'party.standard', yes: true }] }, 'indicators[0]'],
    [{ indicators: [{ code: 'party.life', score: 3 }] }, 'indicators[0]'],
    [{ indicators: [{ code: 'party.organisation', score: 20 }, { code: 'nope', score: 1 }] }, 'indicators[1]'],
    [{ vetoes: [{ code: 'party.veto.discipline', yes: 'no' }] }, null],
  ];
  for (const [body, field] of wrong) {
    const r = await send(as.sec, 'PUT', url, body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    if (field) assert.equal(r.body.error.field, field, JSON.stringify(r.body));
  }
  const none = (await as.sec(`/api/v1/ratings/${V1}${q}`)).body;
  assert.ok(none.indicators.every((i) => i.answer === null), 'the refused saves wrote nothing');

  // Part of it, with a photo as evidence; submitting now names what is missing.
  const photo = Buffer.from('%PDF-1.4\n% evidence\n');
  const file = (await as.sec('/api/v1/files', { method: 'POST', body: photo })).body;
  const part = await send(as.sec, 'PUT', url, { indicators: [{ code: 'party.organisation', score: 18, note: '组织健全', files: [{ sha256: file.sha256, name: '党员名册.pdf' }] }] });
  assert.equal(part.status, 200, JSON.stringify(part.body));
  const org = part.body.indicators.find((i) => i.code === 'party.organisation');
  assert.deepEqual([org.score, org.answer.score, org.answer.note, org.files[0].name], [18, 18, '组织健全', '党员名册.pdf']);
  const served = await fetch(srv.url + org.files[0].url, { headers: { Authorization: `Bearer ${tokenFor(srv.dataDir, 'town')}` } });
  assert.equal(served.status, 200);
  assert.ok(Buffer.from(await served.arrayBuffer()).equals(photo));
  assert.equal((await as.other(org.files[0].url)).status, 404, 'another township does not see it');
  const early = await step(as.sec, V1, 'submit');
  assert.equal(early.status, 400);
  assert.match(early.body.error.message, /请先为“.+”自评|请先回答否决项/);

  const all = await send(as.sec, 'PUT', url, fullAnswers());
  assert.equal(all.status, 200, JSON.stringify(all.body));
  // The data and answers now give four stars: 产业兴旺星 falls to the 空壳村 veto.
  const industry = all.body.stars.find((s) => s.code === 'industry');
  assert.equal(industry.won, false);
  assert.ok(industry.reasons.some((r) => r.why === 'veto' && r.code === 'industry.veto.shell'));
  assert.ok(industry.reasons.some((r) => r.why === 'below_pass'));
  assert.equal(all.body.level, 4);
  assert.equal(all.body.named, false);
  const submitted = await step(as.sec, V1, 'submit');
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
  assert.equal(submitted.body.rating.state_label, '待乡镇初审');
  assert.equal((await send(as.sec, 'PUT', url, fullAnswers())).status, 400, 'no changes once submitted');
});

test('township review: out of turn and out of scope refused; adjust with a reason, return, accept', async () => {
  assert.equal((await step(as.sec, V1, 'accept')).status, 403, 'a village does not review itself');
  assert.equal((await step(as.other, V1, 'accept')).status, 403, 'another township');
  assert.equal((await as.other(`/api/v1/ratings/${V1}${q}`)).status, 404);
  assert.equal((await step(as.town, V1, 'name')).status, 400, 'not from 待乡镇初审');
  const adjust = (who, body) => send(who, 'POST', `/api/v1/ratings/${V1}/adjustments${q}`, body);
  assert.equal((await adjust(as.sec, { code: 'party.role', score: 10, reason: 'x' })).status, 403);
  assert.equal((await adjust(as.town, { code: 'party.role', score: 10 })).status, 400, 'a reason is required');
  const adjusted = await adjust(as.town, { code: 'party.role', score: 12, reason: '党员作用发挥台账不全' });
  assert.equal(adjusted.status, 200, JSON.stringify(adjusted.body));
  const role = adjusted.body.indicators.find((i) => i.code === 'party.role');
  assert.deepEqual([role.answer.score, role.answer.adjusted], [12, true]);
  const event = adjusted.body.timeline.at(-1);
  assert.equal(event.kind, 'adjust');
  assert.deepEqual(event.changes, { code: 'party.role', from: { score: 15 }, to: { score: 12 } });
  assert.equal(event.note, '党员作用发挥台账不全');

  assert.equal((await step(as.town, V1, 'return')).status, 400, 'returning needs a note');
  const returned = await step(as.town, V1, 'return', { note: '请补充集体经济佐证' });
  assert.equal(returned.body.rating.state, 'returned');
  assert.equal((await step(as.sec, V1, 'submit')).status, 200);
  const accepted = await step(as.town, V1, 'accept');
  assert.equal(accepted.status, 200);
  assert.equal(accepted.body.rating.state_label, '待县级复审');
  assert.equal((await step(as.town, V1, 'approve')).status, 403, 'the county approves');
  // The township's queue is empty again; the county's holds V1.
  assert.deepEqual((await as.town(`/api/v1/ratings${q}&state=submitted`)).body.items, []);
  assert.deepEqual((await as.county(`/api/v1/ratings${q}&unit=411121&state=township_passed`)).body.items.map((r) => r.unit.code), [V1]);
});

test('county review, 公示 with an objection, naming, and a star withdrawn', async () => {
  assert.equal((await step(as.county, V1, 'approve')).status, 200);
  assert.equal((await step(as.county, V1, 'publish', { days: 0 })).status, 400);
  const published = await step(as.county, V1, 'publish', { days: 5 });
  assert.equal(published.status, 200, JSON.stringify(published.body));
  assert.equal(published.body.rating.notice_until, chinaDay(4));
  const early = await step(as.county, V1, 'name');
  assert.equal(early.status, 400);
  assert.match(early.body.error.message, /公示期到/);

  const objected = await send(as.town, 'POST', `/api/v1/ratings/${V1}/objections${q}`, { text: '群众反映村务公开不及时' });
  assert.equal(objected.status, 201, JSON.stringify(objected.body));
  const objection = objected.body.objections[0];
  assert.equal(objection.upheld, null);
  // The notice period ends (moved into the past), but the objection is open.
  sql(srv.dataDir, `UPDATE case_ratings SET notice_until = '2000-01-01' WHERE unit = '${V1}';`);
  const blocked = await step(as.county, V1, 'name');
  assert.equal(blocked.status, 400);
  assert.match(blocked.body.error.message, /1 条异议未处理/);
  const resolve = (who, body) => send(who, 'POST', `/api/v1/ratings/${V1}/objections/${objection.id}/resolution${q}`, body);
  assert.equal((await resolve(as.town, { resolution: 'x', upheld: false })).status, 403);
  const resolved = await resolve(as.county, { resolution: '经核实已按月公开', upheld: false });
  assert.equal(resolved.status, 200);
  assert.equal(resolved.body.objections[0].upheld, false);
  assert.equal((await resolve(as.county, { resolution: 'again', upheld: true })).status, 404, 'already resolved');

  const named = await step(as.county, V1, 'name');
  assert.equal(named.status, 200, JSON.stringify(named.body));
  assert.equal(named.body.rating.state_label, '已命名');
  assert.equal(named.body.named, true);
  assert.equal(named.body.level, 4);
  assert.deepEqual(named.body.stars.filter((s) => s.won).map((s) => s.code), ['party', 'ecology', 'safety', 'civility']);
  assert.deepEqual(named.body.available, []);

  const withdraw = (body) => send(as.county, 'POST', `/api/v1/ratings/${V1}/withdrawals${q}`, body);
  assert.equal((await send(as.town, 'POST', `/api/v1/ratings/${V1}/withdrawals${q}`, { star: 'ecology', reason: 'x' })).status, 403);
  assert.equal((await withdraw({ star: 'industry', reason: '未获得' })).status, 400, 'only a won star');
  assert.equal((await withdraw({ star: 'ecology' })).status, 400, 'a reason');
  const less = await withdraw({ star: 'ecology', reason: '发生秸秆焚烧，经核实摘星' });
  assert.equal(less.status, 200, JSON.stringify(less.body));
  assert.equal(less.body.level, 3);
  const ecology = less.body.stars.find((s) => s.code === 'ecology');
  assert.deepEqual([ecology.won, ecology.withdrawn.reason], [false, '发生秸秆焚烧，经核实摘星']);
  assert.equal((await withdraw({ star: 'ecology', reason: 'again' })).status, 400);
  const timeline = less.body.timeline.map((e) => e.transition ?? e.kind);
  assert.deepEqual(timeline, ['create', 'answer', 'answer', 'submit', 'adjust', 'return', 'submit', 'accept', 'approve', 'publish', 'objection', 'resolve', 'name', 'withdraw']);
});

test('a named rating keeps the figures and scores it was named with', async () => {
  const rating = async () => (await as.watcher(`/api/v1/ratings/${V1}${q}`)).body;
  const published = async () => (await api(srv.url, '/api/v1/public/ratings?unit=411121&year=2026')).body.named
    .find((n) => n.unit.code === V1);
  const before = await rating();
  assert.equal(before.snapshot, true);
  assert.equal(before.figures['income.collective'], 3);
  assert.equal(before.figures['toilet.sanitary'], 380);
  const publicBefore = await published();
  const write = (values) => srv.api('/api/v1/values?confirm=true', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(Object.entries(values).map(([element, value]) => ({ element, unit: V1, period: '2026', value }))) });
  // After naming, the village's income rises (no longer a 空壳村) and its toilets are recounted lower.
  assert.equal((await write({ 'income.collective': 80, 'toilet.sanitary': 100 })).status, 200);
  const live = (await as.watcher(`/api/v1/ratings/summary${q}&unit=${TOWN}`)).body.stars;
  assert.equal(live['产业兴旺星'].meets_now, 1, 'what is met now follows the new figures');
  const after = await rating();
  assert.deepEqual(after.figures, before.figures, 'the figures as named');
  assert.deepEqual(after.stars, before.stars, 'the stars and their scores as named');
  assert.deepEqual(after.indicators.map((i) => [i.code, i.score, i.why]), before.indicators.map((i) => [i.code, i.score, i.why]));
  assert.deepEqual(after.vetoes.map((v) => v.triggered), before.vetoes.map((v) => v.triggered));
  assert.equal(after.level, before.level);
  assert.deepEqual(await published(), publicBefore, 'the public list is unchanged');
  // A rating not named yet follows the data.
  const v3 = (await as.watcher(`/api/v1/ratings/${V3}${q}`)).body;
  assert.equal(v3.snapshot, false);
  assert.equal((await write({ 'income.collective': 3, 'toilet.sanitary': 380 })).status, 200);
});

test('the summary: levels sum to the units, stars won and met now, the ledger', async () => {
  // 舞泉镇 also has V3 declared by the township, never named; the summary,
  // kept between requests, follows the write.
  assert.equal((await as.watcher(`/api/v1/ratings/summary${q}&unit=${TOWN}`)).body.declared, 1);
  assert.equal((await send(as.town, 'POST', '/api/v1/ratings', { scheme: SCHEME, unit: V3, target: 2 })).status, 201);
  const villages = (await as.town(`/api/v1/units/${TOWN}/children?limit=1000`)).body.items.filter((u) => u.kind === 'village').length;
  const sum = (await as.watcher(`/api/v1/ratings/summary${q}&unit=${TOWN}`)).body;
  assert.equal(sum.units, villages);
  assert.equal(Object.values(sum.levels).reduce((a, b) => a + b, 0), sum.units);
  assert.deepEqual([sum.levels['3'], sum.levels['0']], [1, villages - 1]);
  assert.deepEqual([sum.declared, sum.named, sum.targets['4'], sum.targets['2']], [2, 1, 1, 1]);
  assert.deepEqual(sum.stars['生态宜居星'], { code: 'ecology', won: 0, meets_now: 1 });
  assert.deepEqual(sum.stars['支部过硬星'], { code: 'party', won: 1, meets_now: 1 });
  assert.equal(sum.stars['产业兴旺星'].meets_now, 0);
  // A data value the formulas use changes what is met now (the kept summary goes stale).
  const branch = (value) => srv.api('/api/v1/values', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify([{ element: 'branch.standardised', unit: V1, period: '2026', value }]) });
  assert.equal((await branch(0)).status, 200);
  assert.equal((await as.watcher(`/api/v1/ratings/summary${q}&unit=${TOWN}`)).body.stars['支部过硬星'].meets_now, 0);
  assert.equal((await branch(1)).status, 200);
  assert.equal((await as.watcher(`/api/v1/ratings/summary${q}&unit=${TOWN}`)).body.stars['支部过硬星'].meets_now, 1);
  const county = (await as.watcher(`/api/v1/ratings/summary${q}&unit=411121`)).body;
  assert.equal(county.townships[0].code, TOWN, 'the township with a named village ranks first');
  assert.equal(county.townships[0].average_level, Math.round((3 / villages) * 100) / 100);
  assert.equal((await as.other(`/api/v1/ratings/summary${q}&unit=${TOWN}`)).status, 404);

  const csv = await as.watcher(`/api/v1/ratings/summary${q}&unit=${TOWN}&format=csv`);
  assert.equal(csv.status, 200);
  const lines = csv.body.replace(/^\ufeff/, '').replace(/"/g, '').trim().split('\n');
  assert.match(lines[0], /^单位代码,单位名称,乡镇,争创星级,状态,命名星级,支部过硬星（已命名）,支部过硬星（当前达标）/);
  assert.equal(lines.length, villages + 1);
  assert.equal(lines.find((l) => l.startsWith(V1)), `${V1},大杨庄村村民委员会,舞泉镇,4,已命名,3,是,是,否,否,否,是,是,是,是,是`);
  const res = await fetch(`${srv.url}/api/v1/ratings/summary${q}&unit=${TOWN}&format=xlsx`, { headers: { Authorization: `Bearer ${srv.token}` } });
  assert.equal(Buffer.from(await res.arrayBuffer()).subarray(0, 2).toString(), 'PK');
});

test('the creation checklist: the gaps of the stars the target needs, as work items', async () => {
  // V3 answered nothing: its target (2) needs 支部过硬星 first, then the nearest star.
  const made = await send(as.town, 'POST', `/api/v1/ratings/${V3}/checklist${q}`, { assignee: '李书记', deadline: '2026-12-31' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const cats = new Set(made.body.items.map((i) => i.category));
  assert.ok(cats.has('支部过硬星'));
  assert.equal(cats.size, 2);
  assert.ok(made.body.items.every((i) => i.state === 'open'));
  const listed = (await as.town(`/api/v1/items?batch=${made.body.batch}&limit=500`)).body.items;
  assert.equal(listed.length, made.body.items.length);
  assert.ok(listed.every((i) => i.assignee === '李书记' && i.deadline === '2026-12-31' && i.owner_unit.code === V3));
  assert.equal((await send(as.town, 'POST', `/api/v1/ratings/${V3}/checklist${q}`, {})).status, 409);
  const rating = (await as.town(`/api/v1/ratings/${V3}${q}`)).body.rating;
  assert.equal(rating.checklist_batch, made.body.batch);
  assert.equal((await send(as.town, 'POST', `/api/v1/ratings/${V1}/checklist${q}`, {})).status, 400, 'named: nothing to create');
});

test('pairs (支部联建): suggested within the county, saved, with progress', async () => {
  const sug = (await as.county(`/api/v1/pairings/suggest${q}&unit=411121`)).body;
  // V1 (named 三星, target 4) is the one strong village, V3 (target 2) the one weak;
  // villages that declared nothing are not in the campaign.
  assert.deepEqual([sug.strong, sug.weak], [1, 1]);
  assert.deepEqual(sug.pairs.map((p) => [p.strong.code, p.weak.code, p.same_township]), [[V1, V3, true]]);
  const save = (who, pairs) => send(who, 'PUT', `/api/v1/pairings${q}&unit=${TOWN}`, { pairs });
  assert.equal((await save(as.town, [{ strong: V1, weak: V3 }])).status, 403, 'the county saves pairs');
  assert.equal((await save(as.county, [{ strong: V1, weak: V1 }])).status, 400);
  assert.equal((await save(as.county, [{ strong: V1, weak: '411121101201' }])).status, 400, 'outside the unit');
  assert.equal((await save(as.county, [{ strong: V1, weak: V3 }, { strong: V1, weak: V3 }])).status, 400);
  const saved = await save(as.county, [{ strong: V1, weak: V3 }, { strong: V1, weak: V2 }]);
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const v3 = saved.body.items.find((p) => p.weak.code === V3);
  assert.deepEqual([v3.strong.level, v3.weak.target, v3.weak_checklist.done], [3, 2, 0]);
  assert.ok(v3.weak_checklist.total > 0);
  assert.equal((await as.watcher(`/api/v1/pairings${q}&unit=${TOWN}`)).body.items.length, 2);
});

test('the public list: named units and open notices of a county, without login', async () => {
  const r = await api(srv.url, '/api/v1/public/ratings?unit=411121&year=2026');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.unit.name, '舞阳县');
  assert.deepEqual(r.body.named.map((n) => [n.unit.code, n.unit.township, n.level, n.stars.length]), [[V1, '舞泉镇', 3, 3]]);
  assert.deepEqual(r.body.notices, []);
  assert.equal((await api(srv.url, '/api/v1/public/ratings?unit=411121100')).status, 400, 'a county');
  assert.equal((await api(srv.url, '/api/v1/public/ratings')).status, 400);
});

test('every change is in the audit trail', async () => {
  const actions = (await srv.api('/api/v1/audit?unit=411121&limit=200')).body.items.map((a) => a.action);
  for (const a of ['rating.create', 'rating.answer', 'rating.adjust', 'rating.submit', 'rating.accept', 'rating.return', 'rating.approve', 'rating.publish', 'rating.objection', 'rating.resolve', 'rating.name', 'rating.withdraw', 'rating.checklist', 'pairings.save'])
    assert.ok(actions.includes(a), a);
});
