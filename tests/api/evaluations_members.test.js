// The evaluation engine, part two (issue 16 parts 1, 3, 5): 民主评议党员
// grades written to the member's record and points on closing, 整改 cases
// for subjects below the rule's threshold (kinds/rectify.json) opened in
// the same transaction, the department register, codes added to and
// revoked from a running campaign, and public results only after closing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, jicengOk, ROOT } from '../lib/server.js';

const COUNTY = '411121';
const TOWN = '411121100';
const V1 = '411121100201';
const FROM = `${new Date().getFullYear() - 3}-01-01`;
let srv;
const as = {};
const p = {};

const send = (who, method, u, body) => who(u, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const count = (q) => Number(sql(srv.dataDir, q).trim());
const cast = (code, answers) => send(as.anon, 'POST', '/api/v1/ballots', { code, answers });

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  for (const [name, role, scope] of [['town', 'township_admin', TOWN], ['observer', 'observer', V1]]) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (u, init = {}) => api(srv.url, u, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
  as.admin = srv.api;
  as.anon = (u, init = {}) => api(srv.url, u, init);
  const org = await send(as.admin, 'POST', '/api/v1/party/orgs', { name: '评议党支部', type: 'branch', unit: V1 });
  assert.equal(org.status, 201, JSON.stringify(org.body));
  for (const name of ['优秀甲', '合格乙', '基本丙', '不合格丁']) {
    const r = await send(as.admin, 'POST', '/api/v1/persons', { name, unit: V1 });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    p[name] = r.body.id;
    const m = await send(as.admin, 'POST', `/api/v1/party/orgs/${org.body.id}/members`, { person: r.body.id, kind: 'party_member', stage: 'formal', from: FROM });
    assert.equal(m.status, 201, JSON.stringify(m.body));
  }
});
after(() => srv?.stop());

async function campaign(body) {
  const r = await send(as.admin, 'POST', '/api/v1/evaluations', { year: 2025, rule: 'weighted_mean', ...body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

test('民主评议党员: grades by the form\'s bands on the member record, points, an 整改 case, all on closing', async () => {
  const names = ['优秀甲', '合格乙', '基本丙', '不合格丁'];
  const c = await campaign({ name: '2025年度民主评议党员', kind: 'members', form: 'member_review', unit: V1,
    groups: [{ name: '全体党员', weight: 100, raters: 4 }], subjects: names.map((n) => ({ person: p[n] })) });
  // 优秀甲 100 → 优秀; 合格乙 80 → 合格; 基本丙 60 → 基本合格 (not below 60); 不合格丁 (0+0+60+60)/4 = 30 → 不合格, 整改
  const votes = [['excellent', 'qualified', 'basic', 'unqualified'], ['excellent', 'qualified', 'basic', 'unqualified'],
    ['excellent', 'qualified', 'basic', 'basic'], ['excellent', 'qualified', 'basic', 'basic']];
  for (let i = 0; i < 4; i++) {
    const r = await cast(c.codes[i].code, votes[i].map((grade, subject) => ({ subject, grade })));
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const pointsBefore = count("SELECT count(*) FROM point_entries WHERE source = 'evaluation';");
  const closed = await send(as.admin, 'POST', `/api/v1/evaluations/${c.id}/close`, {});
  assert.equal(closed.status, 200, JSON.stringify(closed.body));
  const res = closed.body.results;
  assert.deepEqual(res.map((r) => [r.name, r.score, r.grade_name]),
    [['优秀甲', 100, '优秀'], ['合格乙', 80, '合格'], ['基本丙', 60, '基本合格'], ['不合格丁', 30, '不合格']]);
  const low = res.find((r) => r.name === '不合格丁');
  assert.ok(low.case > 0, JSON.stringify(low));
  assert.equal(res.filter((r) => r.case).length, 1);
  // the case: kind rectify, deadline from data/evaluations.json (30 days), owned by the member's unit
  const kase = sql(srv.dataDir, `SELECT kind, owner_unit, deadline, state FROM cases WHERE id = ${low.case};`).trim().split('|');
  assert.equal(kase[0], 'rectify');
  assert.equal(kase[1], V1);
  assert.match(kase[2], /^\d{4}-\d\d-\d\d$/);
  assert.equal(kase[3], 'open');
  const item = await as.admin(`/api/v1/items/${low.case}`);
  assert.equal(item.status, 200, JSON.stringify(item.body));
  assert.match(JSON.stringify(item.body), /书面整改报告/);
  // points: 优秀 +5, 基本合格 −5, 不合格 −10 (data/points.json, source evaluation)
  assert.equal(count("SELECT count(*) FROM point_entries WHERE source = 'evaluation';") - pointsBefore, 3);
  assert.equal(count(`SELECT sum(points) FROM point_entries WHERE source = 'evaluation' AND source_ref = '${c.id}' AND counted = 1;`), -10);
  assert.equal(count(`SELECT points FROM point_entries WHERE source = 'evaluation' AND person_id = ${p['优秀甲']};`), 5);
  // the member's record
  const rec = await as.observer(`/api/v1/persons/${p['优秀甲']}/evaluations`);
  assert.equal(rec.status, 200, JSON.stringify(rec.body));
  assert.deepEqual(rec.body.items.map((x) => [x.name, x.grade_name, x.score]), [['2025年度民主评议党员', '优秀', 100]]);
  // a claim of an evaluation rule by hand is refused
  const claim = await send(as.admin, 'POST', `/api/v1/persons/${p['合格乙']}/points`, { rule: 'review_excellent', evidence: '自报' });
  assert.equal(claim.status, 400, JSON.stringify(claim.body));
  assert.match(claim.body.error.message, /民主评议/);
  // closing again: 409, nothing more written
  const again = await send(as.admin, 'POST', `/api/v1/evaluations/${c.id}/close`, {});
  assert.equal(again.status, 409, JSON.stringify(again.body));
  assert.equal(count(`SELECT count(*) FROM eval_outcomes WHERE campaign_id = ${c.id};`), 4);
  assert.equal(count("SELECT count(*) FROM cases WHERE kind = 'rectify';"), 1);
});

test('the department register: create, list, rename, retire (county scope); a retired department is no subject', async () => {
  const made = await send(as.admin, 'POST', '/api/v1/evaluation-departments', { unit: COUNTY, name: '县财政局' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const dup = await send(as.admin, 'POST', '/api/v1/evaluation-departments', { unit: COUNTY, name: '县财政局' });
  assert.equal(dup.status, 409, JSON.stringify(dup.body));
  const notCounty = await send(as.admin, 'POST', '/api/v1/evaluation-departments', { unit: TOWN, name: '某局' });
  assert.equal(notCounty.status, 400, JSON.stringify(notCounty.body));
  const town = await send(as.town, 'POST', '/api/v1/evaluation-departments', { unit: COUNTY, name: '县教育局' });
  assert.equal(town.status, 403, JSON.stringify(town.body));
  const empty = await send(as.admin, 'POST', '/api/v1/evaluation-departments', { unit: COUNTY, name: '' });
  assert.equal(empty.status, 400, JSON.stringify(empty.body));
  const second = await send(as.admin, 'POST', '/api/v1/evaluation-departments', { unit: COUNTY, name: '县教育局' });
  assert.equal(second.status, 201);
  let list = await as.admin(`/api/v1/evaluation-departments?unit=${COUNTY}`);
  assert.equal(list.status, 200, JSON.stringify(list.body));
  assert.deepEqual(list.body.items.map((d) => d.name), ['县财政局', '县教育局']);
  assert.equal(list.body.items[0].county_name.length > 0, true);
  const renamed = await send(as.admin, 'PATCH', `/api/v1/evaluation-departments/${made.body.id}`, { name: '县财政局（国资办）' });
  assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
  const byTown = await send(as.town, 'PATCH', `/api/v1/evaluation-departments/${made.body.id}`, { active: false });
  assert.equal(byTown.status, 404, JSON.stringify(byTown.body));
  const retired = await send(as.admin, 'PATCH', `/api/v1/evaluation-departments/${second.body.id}`, { active: false });
  assert.equal(retired.status, 200, JSON.stringify(retired.body));
  list = await as.admin(`/api/v1/evaluation-departments?unit=${COUNTY}`);
  assert.deepEqual(list.body.items.map((d) => d.name), ['县财政局（国资办）']);
  list = await as.admin(`/api/v1/evaluation-departments?unit=${COUNTY}&retired=1`);
  assert.deepEqual(list.body.items.map((d) => [d.name, d.active]), [['县财政局（国资办）', true], ['县教育局', false]]);
  const before = count('SELECT count(*) FROM eval_campaigns;');
  const r = await send(as.admin, 'POST', '/api/v1/evaluations', { name: '撤销部门评议', year: 2025, kind: 'departments', form: 'satisfaction', rule: 'weighted_mean', unit: COUNTY,
    groups: [{ name: '乡镇', weight: 100, raters: 1 }], subjects: [{ department: second.body.id }] });
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.match(r.body.error.message, /撤销/);
  assert.equal(count('SELECT count(*) FROM eval_campaigns;'), before);
  const ok = await campaign({ name: '部门评议', kind: 'departments', form: 'satisfaction', unit: COUNTY,
    groups: [{ name: '乡镇', weight: 100, raters: 1 }], subjects: [{ department: made.body.id }] });
  const got = await as.admin(`/api/v1/evaluations/${ok.id}`);
  assert.equal(got.body.subjects[0].name, '县财政局（国资办）');
  assert.equal(count("SELECT count(*) FROM audit WHERE action LIKE 'department.%';") >= 3, true);
});

test('codes for a running campaign: more for a group, a lost one revoked (its ballot page then unknown), nothing after closing', async () => {
  const c = await campaign({ name: '补发评议码', kind: 'departments', form: 'satisfaction', unit: COUNTY,
    groups: [{ name: '乡镇', weight: 50, raters: 2 }, { name: '书记', weight: 50, raters: 1 }], subjects: [{ name: '县水利局' }] });
  const used = c.codes[1].code;
  assert.equal((await cast(used, [{ subject: 0, grade: 'satisfied' }])).status, 201);
  const lost = c.codes[0].code;
  const more = await send(as.admin, 'POST', `/api/v1/evaluations/${c.id}/codes`, { group: 0, count: 2, revoke: [lost] });
  assert.equal(more.status, 201, JSON.stringify(more.body));
  assert.equal(more.body.codes.length, 2);
  assert.equal(more.body.revoked, 1);
  assert.equal((await as.anon(`/api/v1/ballots/${lost}`)).status, 404);
  assert.equal((await cast(more.body.codes[0].code, [{ subject: 0, grade: 'fair' }])).status, 201);
  const live = await as.admin(`/api/v1/evaluations/${c.id}`);
  assert.deepEqual(live.body.groups.map((g) => [g.issued, g.cast]), [[3, 2], [1, 0]]);
  // a used code cannot be revoked (that would drop a vote); a bad group; town user out of scope
  const usedRevoke = await send(as.admin, 'POST', `/api/v1/evaluations/${c.id}/codes`, { group: 0, count: 0, revoke: [used] });
  assert.equal(usedRevoke.status, 400, JSON.stringify(usedRevoke.body));
  assert.equal((await send(as.admin, 'POST', `/api/v1/evaluations/${c.id}/codes`, { group: 5, count: 1 })).status, 400);
  assert.equal((await send(as.admin, 'POST', `/api/v1/evaluations/${c.id}/codes`, { group: 0, count: -1 })).status, 400);
  assert.equal((await send(as.town, 'POST', `/api/v1/evaluations/${c.id}/codes`, { group: 0, count: 1 })).status, 403);
  assert.equal(count(`SELECT count(*) FROM eval_codes WHERE campaign_id = ${c.id};`), 4);
  // public: nothing before closing
  assert.equal((await as.anon(`/api/v1/public/evaluations/${c.id}`)).status, 404);
  assert.equal((await send(as.admin, 'POST', `/api/v1/evaluations/${c.id}/close`, {})).status, 200);
  const late = await send(as.admin, 'POST', `/api/v1/evaluations/${c.id}/codes`, { group: 0, count: 1 });
  assert.equal(late.status, 409, JSON.stringify(late.body));
  const pub = await as.anon(`/api/v1/public/evaluations/${c.id}`);
  assert.equal(pub.status, 200, JSON.stringify(pub.body));
  assert.deepEqual(pub.body.results.map((r) => [r.name, r.rank, r.score]), [['县水利局', 1, 85]]);
  assert.equal(pub.body.in_notice, true);
  assert.match(pub.body.notice_until, /^\d{4}-\d\d-\d\d$/);
  assert.deepEqual(pub.body.turnout, { issued: 4, cast: 2 });
});

test('述职评议 below the threshold: an 整改 case for the department, owned by the organiser; top_share has its own threshold', async () => {
  const c = await campaign({ name: '满意率评议', kind: 'departments', form: 'satisfaction', rule: 'top_share', unit: COUNTY,
    groups: [{ name: '乡镇', weight: 100, raters: 4 }], subjects: [{ name: '县甲局' }, { name: '县乙局' }] });
  // 县甲局 2/4 满意 = 50 % (not below 50); 县乙局 1/4 = 25 % → 整改
  const g = [['satisfied', 'satisfied'], ['satisfied', 'unsatisfied'], ['fair', 'fair'], ['fair', 'fair']];
  for (let i = 0; i < 4; i++)
    assert.equal((await cast(c.codes[i].code, g[i].map((grade, subject) => ({ subject, grade })))).status, 201);
  const closed = await send(as.admin, 'POST', `/api/v1/evaluations/${c.id}/close`, {});
  assert.equal(closed.status, 200, JSON.stringify(closed.body));
  assert.equal(closed.body.threshold, 50);
  assert.deepEqual(closed.body.results.map((r) => [r.name, r.score, Boolean(r.case)]), [['县甲局', 50, false], ['县乙局', 25, true]]);
  const owner = sql(srv.dataDir, `SELECT owner_unit FROM cases WHERE id = ${closed.body.results[1].case};`).trim();
  assert.equal(owner, COUNTY);
});
