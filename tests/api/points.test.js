// 党员积分 (app/points.h): claims on the case engine (待审 → 通过 / 驳回),
// caps per rule and overall refused with the rule named and nothing
// written, the rule's approver, event rules not claimable, bands from the
// scheme engine (笑脸 / 呆脸 / 哭脸), attendance at events earning points
// (once, within the caps, withdrawn when the attendance changes), rankings, the member's own points, and
// the computed element party.points.total rolled up as the test sums it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, jicengOk, ROOT, chinaDay } from '../lib/server.js';

const TOWN = '411121100';
const V1 = '411121100201';
const V2 = '411121100202';
const YEAR = Number(chinaDay().slice(0, 4));
const LY = YEAR - 1; // last year: whole months to spread entries over
let srv;
const as = {};
const p = {}; // name → person id
let serial = 0;
let B1; // 积分党支部 of V1

const send = (who, method, url, body) => who(url, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const count = (t) => Number(sql(srv.dataDir, `SELECT count(*) FROM ${t};`).trim());

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  const users = { town: ['township_admin', TOWN], sec: ['village_secretary', V1], sec2: ['village_secretary', V2], member: ['party_member', V1], observer: ['observer', V1] };
  for (const [name, [role, scope]] of Object.entries(users)) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (u, init = {}) => api(srv.url, u, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
  as.admin = srv.api;
  const branch = async (unit) => {
    const r = await send(as.admin, 'POST', '/api/v1/party/orgs', { name: `积分党支部${++serial}`, type: 'branch', unit });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
  };
  const b1 = await branch(V1);
  B1 = b1;
  const b2 = await branch(V2);
  const people = { me: [V1, b1, 'member'], e: [V1, b1], f: [V1, b1], g: [V1, b1], h: [V1, b1], d: [V2, b2], outsider: [V1, null] };
  for (const [name, [unit, org, account]] of Object.entries(people)) {
    const r = await send(as.admin, 'POST', '/api/v1/persons', { name: `积分${name}`, unit, ...(account ? { account } : {}) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    p[name] = r.body.id;
    if (!org) continue;
    const m = await send(as.admin, 'POST', `/api/v1/party/orgs/${org}/members`, { person: r.body.id, kind: 'party_member', stage: 'formal', from: `${LY - 3}-01-01` });
    assert.equal(m.status, 201, JSON.stringify(m.body));
  }
});
after(() => srv?.stop());

const record = (who, person, rule, day, extra = {}) => send(who, 'POST', `/api/v1/persons/${person}/points`, { rule, day, evidence: '签到表和照片', ...extra });
const step = (who, id, transition, note) => send(who, 'POST', `/api/v1/points/${id}/transitions`, { transition, ...(note ? { note } : {}) });
async function approved(who, person, rule, day, approver = as.sec) {
  const r = await record(who, person, rule, day);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const s = await step(approver, r.body.id, 'approve');
  assert.equal(s.status, 200, JSON.stringify(s.body));
  assert.equal(s.body.state, 'approved');
  assert.equal(s.body.counted, true);
  return r.body.id;
}

test('the rules are data: base, items with caps and approvers, event items, bands', async () => {
  const r = await as.member('/api/v1/points/rules');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.year_base, 80);
  const theme = r.body.rules.find((x) => x.code === 'theme_day');
  assert.equal(theme.source, 'event');
  assert.deepEqual(theme.event_types, ['theme_day']);
  assert.deepEqual(r.body.rules.find((x) => x.code === 'study').event_types, null);
  assert.deepEqual(r.body.bands.map((b) => b.face), ['哭脸', '呆脸', '笑脸']);
  assert.deepEqual(r.body.bands.map((b) => b.from), [null, 70, 95]);
});

test('a rule cap and the overall monthly cap refuse an entry naming the rule, writing nothing', async () => {
  const day = `${LY}-02-10`;
  assert.equal((await record(as.sec, p.g, 'study', day)).status, 201);
  assert.equal((await record(as.sec, p.g, 'study', day)).status, 201); // pending ones count too
  const before = count('point_entries');
  const cases = count('cases');
  let r = await record(as.sec, p.g, 'study', day);
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'rule');
  assert.match(r.body.error.message, /参加集中学习.*每月最多计 4 分/);
  assert.equal(count('point_entries'), before);
  assert.equal(count('cases'), cases, 'no case either');
  // overall: 10 bonus points a month (4 study pending + 6 volunteer)
  assert.equal((await record(as.sec, p.g, 'volunteer', day)).status, 201);
  assert.equal((await record(as.sec, p.g, 'volunteer', day)).status, 201);
  r = await record(as.sec, p.g, 'household_visit', day);
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /每月各项加分合计不超过 10 分/);
  // another month is a new period; a deduction is not a bonus
  assert.equal((await record(as.sec, p.g, 'household_visit', `${LY}-03-10`)).status, 201);
  assert.equal((await record(as.sec, p.g, 'absence', day, { evidence: undefined })).status, 201);
  assert.equal(count('point_entries'), before + 4);
});

test('claims: evidence, event items, who may claim, party membership, dates', async () => {
  let r = await record(as.sec, p.e, 'study', `${LY}-05-10`, { evidence: '' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'evidence');
  r = await record(as.sec, p.e, 'theme_day', `${LY}-05-10`);
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /活动签到自动记分/);
  r = await record(as.sec, p.outsider, 'study', `${LY}-05-10`);
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /不是党员/);
  r = await record(as.sec, p.e, 'study', `${YEAR + 1}-01-01`);
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'day');
  r = await record(as.sec, p.e, 'study', `${LY - 1}-12-01`);
  assert.equal(r.status, 400);
  r = await record(as.sec, p.e, 'nonsense', `${LY}-05-10`);
  assert.equal(r.status, 400);
  r = await record(as.sec, p.e, 'study', '2025-13-45');
  assert.equal(r.status, 400);
  r = await send(as.sec, 'POST', `/api/v1/persons/${p.e}/points`, { rule: 'study', bogus: 1 });
  assert.equal(r.status, 400);
  // a member claims for themselves only what the rule lets members claim
  r = await send(as.member, 'POST', '/api/v1/me/points', { rule: 'absence', day: `${LY}-05-10` });
  assert.equal(r.status, 403);
  assert.match(r.body.error.message, /由党支部记录/);
  // a member cannot record for others, another village's secretary cannot reach them
  r = await record(as.member, p.e, 'study', `${LY}-05-10`);
  assert.equal(r.status, 403);
  r = await record(as.sec2, p.e, 'study', `${LY}-05-10`);
  assert.equal(r.status, 403);
});

test('approval through the case engine: approver of the rule, reject needs a note, final', async () => {
  const r = await send(as.member, 'POST', '/api/v1/me/points', { rule: 'honour', day: `${LY}-06-01`, evidence: '县级优秀共产党员证书' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.id;
  // the member cannot approve; the village secretary lacks the rule's approver (ratings:review)
  assert.equal((await step(as.member, id, 'approve')).status, 403);
  let s = await step(as.sec, id, 'approve');
  assert.equal(s.status, 403);
  assert.match(s.body.error.message, /受到县级以上表彰.*ratings:review/);
  s = await step(as.sec2, id, 'approve');
  assert.equal(s.status, 403, 'out of scope');
  s = await step(as.town, id, 'approve');
  assert.equal(s.status, 200, JSON.stringify(s.body));
  assert.equal(s.body.counted, true);
  s = await step(as.town, id, 'reject', '重复');
  assert.equal(s.status, 400, 'final');
  // reject needs a note and does not count
  const c = await send(as.member, 'POST', '/api/v1/me/points', { rule: 'volunteer', day: `${LY}-06-02`, evidence: '敬老院' });
  assert.equal(c.status, 201);
  s = await step(as.sec, c.body.id, 'reject');
  assert.equal(s.status, 400);
  assert.equal(s.body.error.field, 'note');
  s = await step(as.sec, c.body.id, 'reject', '无佐证照片');
  assert.equal(s.status, 200);
  assert.equal(s.body.counted, false);
  // whoever recorded a claim may withdraw it while it waits; nobody else
  const w = await record(as.sec, p.e, 'study', `${LY}-06-03`);
  assert.equal(w.status, 201, JSON.stringify(w.body));
  assert.equal((await step(as.town, w.body.id, 'withdraw')).status, 403);
  s = await step(as.sec, w.body.id, 'withdraw');
  assert.equal(s.status, 200, JSON.stringify(s.body));
  assert.equal(s.body.state, 'withdrawn');
  assert.equal(s.body.counted, false);
  // a work item is not a point claim
  const item = await send(as.admin, 'POST', '/api/v1/items', { type: 'problem', title: '不是积分', unit: V1 });
  s = await step(as.sec, item.body.id, 'approve');
  assert.equal(s.status, 400);
  // the branch's desk counts the claims waiting, and links them to the queue
  const desk = await as.sec('/api/v1/desk');
  assert.ok(desk.body.todo.some((r) => r.kind === 'points' && r.subject === 'points' && r.state_label === '待审'), JSON.stringify(desk.body.todo));
  const note = (await as.sec('/api/v1/notifications')).body.items.find((n) => n.link?.startsWith('#/party?tab=points'));
  assert.ok(note, 'a notification links to the approvals queue');
  // the approvals queue shows open claims only; the member sees their own year
  const q = await as.sec(`/api/v1/points?unit=${V1}&year=${LY}&open=true`);
  assert.equal(q.status, 200);
  assert.ok(q.body.items.length >= 1 && q.body.items.every((x) => x.state === 'pending' && x.state_name === '待审'));
  const mine = await as.member(`/api/v1/me/points?year=${LY}`);
  assert.equal(mine.status, 200, JSON.stringify(mine.body));
  assert.equal(mine.body.person, p.me);
  assert.equal(mine.body.earned, 5);
  assert.equal(mine.body.score, 85);
  assert.equal(mine.body.months[5], 5);
  assert.deepEqual(mine.body.items.map((x) => x.state).sort(), ['approved', 'rejected']);
  // a member without a linked person is told so
  addUser(srv.dataDir, 'lonely', 'party_member', V1);
  const lonely = await api(srv.url, '/api/v1/me/points', { headers: { Authorization: `Bearer ${tokenFor(srv.dataDir, 'lonely')}` } });
  assert.equal(lonely.status, 200);
  assert.equal(lonely.body.person, null);
});

test('bands by the scheme engine, rankings per branch and up the tree', async () => {
  // e: 15 points → 95 优秀; f: -20 → 60 不合格; g: nothing approved → 80 合格
  await approved(as.sec, p.e, 'pioneer', `${LY}-03-01`);
  await approved(as.sec, p.e, 'honour', `${LY}-03-02`, as.town);
  await approved(as.sec, p.e, 'volunteer', `${LY}-04-01`);
  await approved(as.sec, p.e, 'study', `${LY}-04-02`);
  await approved(as.sec, p.f, 'discipline', `${LY}-05-01`);
  await approved(as.sec, p.f, 'discipline', `${LY}-06-01`);
  const r = await record(as.sec, p.f, 'discipline', `${LY}-07-01`);
  assert.equal(r.status, 400, 'year cap 20');
  await approved(as.sec2, p.d, 'volunteer', `${LY}-03-05`, as.sec2);
  const sum = async (id) => (await as.sec(`/api/v1/persons/${id}/points?year=${LY}`)).body;
  const e = await sum(p.e);
  assert.equal(e.score, 95);
  assert.deepEqual(e.band, { code: 'excellent', name: '优秀', face: '笑脸' });
  const f = await sum(p.f);
  assert.equal(f.score, 60);
  assert.equal(f.band.face, '哭脸');
  const g = await sum(p.g);
  assert.equal(g.score, 80, 'pending claims do not count');
  assert.equal(g.band.face, '呆脸');
  const rank = await as.sec(`/api/v1/points/ranking?unit=${V1}&year=${LY}`);
  assert.equal(rank.status, 200, JSON.stringify(rank.body));
  const names = rank.body.items.map((x) => x.person.id);
  assert.equal(names[0], p.e);
  assert.equal(names.at(-1), p.f);
  assert.ok(!names.includes(p.d) && !names.includes(p.outsider));
  assert.equal(rank.body.items[0].rank, 1);
  const town = await as.town(`/api/v1/points/ranking?unit=${TOWN}&year=${LY}`);
  assert.ok(town.body.items.some((x) => x.person.id === p.d && x.unit.code === V2 && x.score === 83));
  // a month's ranking has no bands
  const march = await as.town(`/api/v1/points/ranking?unit=${TOWN}&year=${LY}&month=3`);
  assert.equal(march.body.items[0].person.id, p.e);
  assert.equal(march.body.items[0].score, 10);
  assert.equal(march.body.items[0].band, null);
  // out of scope
  assert.equal((await as.sec2(`/api/v1/points/ranking?unit=${V1}&year=${LY}`)).status, 404);
  assert.equal((await as.sec2(`/api/v1/persons/${p.e}/points?year=${LY}`)).status, 404);
});

test('party.points.total is a computed element rolled up like any other', async () => {
  // the test's own sums of approved entries: V1 = e 15 + f -20 + me 5; V2 = d 3
  const v1 = 15 - 20 + 5;
  const v2 = 3;
  const expr = encodeURIComponent('#{party.points.total}');
  let r = await as.admin(`/api/v1/analytics?expr=${expr}&unit=${TOWN}&period=${LY}&by=children`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.value, v1 + v2);
  assert.equal(r.body.children.find((x) => x.code === V1).value, v1);
  assert.equal(r.body.children.find((x) => x.code === V2).value, v2);
  r = await as.admin(`/api/v1/analytics?expr=${expr}&unit=${TOWN}&period=${LY}-03`);
  assert.equal(r.body.value, 10 + 3, 'March: pioneer and honour of e, volunteer of d');
  // approving one more invalidates the rollup at once
  await approved(as.sec, p.g, 'pioneer', `${LY}-08-01`);
  r = await as.admin(`/api/v1/analytics?expr=${expr}&unit=${TOWN}&period=${LY}`);
  assert.equal(r.body.value, v1 + v2 + 5);
  // writing it is refused
  r = await send(as.admin, 'POST', '/api/v1/values', [{ element: 'party.points.total', unit: V1, period: String(LY), value: 3 }]);
  assert.equal(r.status, 400);
});

test('attending an event earns its points once, within the caps, and a changed attendance withdraws them', async () => {
  const event = async (type, day, parts, status = 'held') => {
    const r = await send(as.sec, 'POST', '/api/v1/events', { org: B1, type, status, starts_at: day, topic: '积分测试', ...(type === 'theme_day' && status === 'held' ? { actions: THEME_DAY } : {}), participants: parts.map(([person, attendance]) => ({ person, attendance })) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
  };
  const attendance = (id, parts) => send(as.sec, 'PUT', `/api/v1/events/${id}/attendance`, { participants: parts.map(([person, attendance]) => ({ person, attendance })) });
  const THEME_DAY = ['dues', 'oath', 'charter', 'study'];
  const entries = (person) => sql(srv.dataDir, `SELECT e.rule || ':' || e.points || ':' || e.counted FROM point_entries e WHERE e.person_id = ${person} AND e.source = 'event' AND e.case_id IS NULL ORDER BY e.id;`).trim().split('\n').filter(Boolean);
  const audits = () => Number(sql(srv.dataDir, "SELECT count(*) FROM audit WHERE action = 'points.attendance';").trim());
  const day = `${LY}-07-05`;
  // present and a member: 2 points at once; on leave, or not a party member: none
  const first = await event('theme_day', day, [[p.h, 'present'], [p.e, 'leave'], [p.outsider, 'present']]);
  assert.deepEqual(entries(p.h), ['theme_day:2:1']);
  assert.deepEqual(entries(p.e), []);
  assert.deepEqual(entries(p.outsider), []);
  assert.equal(audits(), 1);
  // the rule's cap (2 a month): a second theme day that month earns nothing, and is recorded
  const second = await event('theme_day', `${LY}-07-20`, [[p.h, 'present']]);
  assert.deepEqual(entries(p.h), ['theme_day:2:1']);
  // one rule for several types: a 党课 earns the meeting item
  const lecture = await event('party_lecture', `${LY}-07-10`, [[p.h, 'present']]);
  assert.deepEqual(entries(p.h), ['theme_day:2:1', 'branch_meeting:1:1']);
  // the same attendance again writes nothing
  let r = await attendance(first, [[p.h, 'present'], [p.e, 'leave']]);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(entries(p.h).length, 2);
  assert.equal(audits(), 2, 'the 党课 wrote one; the same attendance again none');
  // absent now: withdrawn, not counted; present again: counted again (the same entry)
  r = await attendance(first, [[p.h, 'absent']]);
  assert.equal(r.status, 200);
  assert.deepEqual(entries(p.h), ['theme_day:2:0', 'branch_meeting:1:1']);
  // the freed cap is the second theme day's when its attendance is written again
  r = await attendance(second, [[p.h, 'present']]);
  assert.deepEqual(entries(p.h), ['theme_day:2:0', 'branch_meeting:1:1', 'theme_day:2:1']);
  r = await attendance(first, [[p.h, 'present']]);
  assert.deepEqual(entries(p.h), ['theme_day:2:0', 'branch_meeting:1:1', 'theme_day:2:1'], 'the cap still holds');
  // a planned event earns nothing until it is held
  const planned = await event('theme_day', `${LY}-08-03`, [[p.h, 'present']], 'planned');
  assert.equal(entries(p.h).length, 3);
  r = await send(as.sec, 'PATCH', `/api/v1/events/${planned}`, { status: 'held', actions: THEME_DAY });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(entries(p.h).length, 4);
  // the member's year counts them (approved entries of the year: 2 + 1 + 2)
  const year = await as.sec(`/api/v1/persons/${p.h}/points?year=${LY}`);
  assert.equal(year.status, 200, JSON.stringify(year.body));
  assert.equal(year.body.earned, 5);
  assert.equal(year.body.months[6], 3);
  assert.equal(year.body.months[7], 2);
  const item = year.body.items.find((x) => x.rule === 'branch_meeting');
  assert.equal(item.state_name, '通过');
  assert.equal(item.id, null, 'no case: nothing to approve');
  assert.ok(item.event > 0);
  assert.equal(item.title, '参加党员大会、党小组会、党课');
  assert.deepEqual(year.body.items.filter((x) => x.rule === 'theme_day').map((x) => x.state_name).sort(), ['已撤回', '通过', '通过']);
  // the event moved to another month: the points it earned move with it
  r = await send(as.sec, 'PATCH', `/api/v1/events/${lecture}`, { starts_at: `${LY}-09-10` });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const moved = await as.sec(`/api/v1/persons/${p.h}/points?year=${LY}`);
  assert.equal(moved.body.months[6], 2);
  assert.equal(moved.body.months[8], 1);
  assert.equal(moved.body.earned, 5);
});
