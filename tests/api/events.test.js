// Events (活动), attendance and duties' compliance (app/events.h): event
// types and duties as data (data/events.json), the refusals (participants
// out of scope, a held event dated in the future, values out of bounds,
// unknown or missing actions) writing nothing, compliance computed from
// held events with the running period never counted as missed, and the
// contract elements party.meetings.due / held rolled up by the analytics
// engine, checked against counts made here from the events recorded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, jicengOk, ROOT, chinaDay, idNumber } from '../lib/server.js';

const COUNTY = '411121';
const TOWN = '411121100';
const V1 = '411121100201';
const V2 = '411121100202';
let TOWN2, V3; // a second township and one of its villages
let srv;
const as = {};
const YEAR = '2025'; // a year that has ended: every duty period due

let serial = 100;
const nextId = () => idNumber(`41112119800501${String(serial++).padStart(3, '0')}`);

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  const towns = (await srv.api(`/api/v1/units/${COUNTY}/children?limit=100`)).body.items;
  TOWN2 = towns.find((t) => t.code !== TOWN).code;
  V3 = (await srv.api(`/api/v1/units/${TOWN2}/children?limit=1`)).body.items[0].code;
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

async function person(unit) {
  const r = await send(as.admin, 'POST', '/api/v1/persons', { name: `人员${serial}`, unit, sex: '女', id_number: nextId() });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}
async function org(unit, type = 'branch', extra = {}) {
  const r = await send(as.admin, 'POST', '/api/v1/party/orgs', { name: `党组织${serial++}`, type, unit, founded_on: '2020-01-01', ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}
const THEME = ['dues', 'oath', 'charter', 'study'];
async function held(orgId, type, day, extra = {}) {
  const body = { org: orgId, type, status: 'held', starts_at: `${day}T09:00`, topic: `${type} ${day}`, ...extra };
  if (type === 'theme_day' && !body.actions) body.actions = THEME;
  const r = await send(as.admin, 'POST', '/api/v1/events', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
const pad = (n) => String(n).padStart(2, '0');
const quarterDay = (q) => `${YEAR}-${pad(q * 3 - 1)}-10`;

test('event types, attendance codes and duties come from data/events.json', async () => {
  const r = await as.observer('/api/v1/event-types');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const theme = r.body.items.find((t) => t.code === 'theme_day');
  assert.equal(theme.name, '主题党日');
  assert.deepEqual(theme.required_actions.map((a) => a.code), THEME);
  assert.ok(theme.optional_actions.length > 0);
  assert.deepEqual(r.body.attendance.map((a) => a.name), ['出席', '请假', '缺席']);
  const duty = r.body.duties.find((d) => d.code === 'branch.committee');
  assert.equal(duty.every, 'month');
  assert.equal(duty.event_type_name, '支委会');
  assert.match(duty.source, /支部工作条例/);
  assert.ok(r.body.duties.some((d) => d.member_kind === 'party_member'));
});

// The year recorded: expected figures counted here, per organisation.
const plan = {};
let A, B, G, P, Q, other;

test('a year of meetings: compliance per organisation, the county by township, monthly too', async () => {
  A = await org(V1);
  G = await org(V1, 'group', { parent: A });
  B = await org(V3);
  P = await person(V1);
  Q = await person(V1);
  other = await person(V3);
  // P is 预备党员 of A all 2025; Q a formal member
  let r = await send(as.admin, 'POST', `/api/v1/party/orgs/${A}/members`, { person: P, kind: 'party_member', stage: 'probationary', from: '2024-06-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await send(as.admin, 'POST', `/api/v1/party/orgs/${A}/members`, { person: Q, kind: 'party_member', stage: 'formal', from: '2010-06-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  // A: 支委会 every month but May (and twice in March: still one period done)
  for (let m = 1; m <= 12; m++) if (m !== 5) await held(A, 'committee_meeting', `${YEAR}-${pad(m)}-05`);
  await held(A, 'committee_meeting', `${YEAR}-03-20`);
  // 党员大会 in Q1 and Q2; 主题党日 January to June; 党课 Q1; 组织生活会 once
  for (const q of [1, 2]) await held(A, 'branch_assembly', quarterDay(q));
  for (let m = 1; m <= 6; m++) await held(A, 'theme_day', `${YEAR}-${pad(m)}-15`, { actions: [...THEME, 'service'] });
  await held(A, 'party_lecture', quarterDay(1), { participants: [{ person: P, attendance: 'present', values: { hours: 2 } }, { person: Q, attendance: 'leave' }] });
  await held(A, 'life_meeting', `${YEAR}-12-20`);
  // 谈心谈话 with P in Q1 and Q3 (present); in Q2 P was absent: not done
  await held(A, 'talk', `${YEAR}-02-01`, { participants: [{ person: P, attendance: 'present' }] });
  await held(A, 'talk', `${YEAR}-05-01`, { participants: [{ person: P, attendance: 'absent' }] });
  await held(A, 'talk', `${YEAR}-08-01`, { participants: [{ person: P, attendance: 'present' }] });
  // G: 党小组会 in three months
  for (const m of [1, 2, 3]) await held(G, 'group_meeting', `${YEAR}-${pad(m)}-25`);
  // B: 支委会 every month, nothing else; a planned (not held) 党员大会 does not count
  for (let m = 1; m <= 12; m++) await held(B, 'committee_meeting', `${YEAR}-${pad(m)}-08`);
  r = await send(as.admin, 'POST', '/api/v1/events', { org: B, type: 'branch_assembly', status: 'planned', starts_at: `${YEAR}-03-01`, topic: '计划' });
  assert.equal(r.status, 201, JSON.stringify(r.body));

  const branchDue = 12 + 4 + 12 + 4 + 1; // 支委会, 大会, 主题党日, 党课, 组织生活会
  plan[A] = { due: branchDue + 4, held: 11 + 2 + 6 + 1 + 1 + 2 };
  plan[G] = { due: 12, held: 3 };
  plan[B] = { due: branchDue, held: 12 };

  const rep = await as.admin(`/api/v1/compliance?unit=${COUNTY}&period=${YEAR}`);
  assert.equal(rep.status, 200, JSON.stringify(rep.body));
  for (const id of [A, G, B]) {
    const o = rep.body.items.find((x) => x.id === id);
    assert.equal(o.due, plan[id].due, `due of ${id}`);
    assert.equal(o.held, plan[id].held, `held of ${id}`);
    assert.equal(o.missed, plan[id].due - plan[id].held);
    assert.equal(o.pending, 0, 'a year that has ended has nothing pending');
  }
  const a = rep.body.items.find((x) => x.id === A);
  const committee = a.duties.find((d) => d.code === 'branch.committee');
  assert.deepEqual([committee.due, committee.held], [12, 11]);
  assert.equal(committee.periods.find((p) => p.period === `${YEAR}-05`).missed, 1);
  assert.equal(committee.periods.find((p) => p.period === `${YEAR}-03`).held, 1);
  const talk = a.duties.find((d) => d.code === 'probationary.talk');
  assert.deepEqual([talk.due, talk.held], [4, 2]);
  assert.ok(rep.body.overdue.some((x) => x.org === A && x.duty === 'branch.committee' && x.period === `${YEAR}-05`));

  // the contract: the county's meeting compliance by township
  const expr = encodeURIComponent('#{party.meetings.held}/#{party.meetings.due}*100');
  const ana = await as.admin(`/api/v1/analytics?expr=${expr}&unit=${COUNTY}&period=${YEAR}&by=children`);
  assert.equal(ana.status, 200, JSON.stringify(ana.body));
  const t1 = ana.body.children.find((x) => x.code === TOWN);
  const t2 = ana.body.children.find((x) => x.code === TOWN2);
  const rate = (...ids) => ids.reduce((s, i) => s + plan[i].held, 0) / ids.reduce((s, i) => s + plan[i].due, 0) * 100;
  assert.ok(Math.abs(t1.value - rate(A, G)) < 1e-6, `${t1.value} vs ${rate(A, G)}`);
  assert.ok(Math.abs(t2.value - rate(B)) < 1e-6, `${t2.value} vs ${rate(B)}`);
  const due = await as.admin(`/api/v1/analytics?expr=%23%7Bparty.meetings.due%7D&unit=${COUNTY}&period=${YEAR}`);
  assert.equal(due.body.value, plan[A].due + plan[G].due + plan[B].due);
  // monthly: May — A missed its 支委会, held its 主题党日; G missed; B held 支委会, missed 主题党日;
  // the quarterly duties count in the quarter's last month, so none in May
  const may = await as.admin(`/api/v1/analytics?expr=%23%7Bparty.meetings.held%7D&unit=${COUNTY}&period=${YEAR}-05&by=children`);
  assert.equal(may.status, 200, JSON.stringify(may.body));
  assert.equal(may.body.children.find((x) => x.code === TOWN).value, 1);
  assert.equal(may.body.children.find((x) => x.code === TOWN2).value, 1);
  const mayDue = await as.admin(`/api/v1/analytics?expr=%23%7Bparty.meetings.due%7D&unit=${COUNTY}&period=${YEAR}-05`);
  assert.equal(mayDue.body.value, 2 + 1 + 2);
  // June closes Q2: 大会 (A held, B missed), 党课 (both missed), talk (A: missed)
  const june = await as.admin(`/api/v1/analytics?expr=%23%7Bparty.meetings.due%7D&unit=${TOWN}&period=${YEAR}-06`);
  assert.equal(june.body.value, 2 + 2 + 1 + 1);
  // months add up to the year
  let sum = 0;
  for (let m = 1; m <= 12; m++) sum += (await as.admin(`/api/v1/analytics?expr=%23%7Bparty.meetings.held%7D&unit=${COUNTY}&period=${YEAR}-${pad(m)}`)).body.value ?? 0;
  assert.equal(sum, plan[A].held + plan[G].held + plan[B].held);
});

test('a computed compliance element cannot be written', async () => {
  const r = await send(as.admin, 'POST', '/api/v1/values', [{ element: 'party.meetings.held', unit: V1, period: YEAR, value: 3 }]);
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.match(JSON.stringify(r.body), /不能填报/);
});

test('the running period is not overdue: pending until it ends, done as soon as held', async () => {
  const today = chinaDay();
  const year = today.slice(0, 4);
  const month = Number(today.slice(5, 7));
  const C = await org(V2);
  const before = (await as.admin(`/api/v1/compliance?unit=${V2}&period=${year}`)).body.items.find((x) => x.id === C);
  const committee = before.duties.find((d) => d.code === 'branch.committee');
  assert.equal(committee.missed, month - 1, 'only the months that have ended');
  assert.equal(committee.pending, 12 - month + 1, 'this month and the rest of the year');
  assert.equal(committee.due, month - 1);
  assert.equal(committee.periods.find((p) => p.period === `${year}-${pad(month)}`).pending, 1);
  const due0 = (await as.admin(`/api/v1/analytics?expr=%23%7Bparty.meetings.due%7D&unit=${V2}&period=${year}`)).body.value;
  assert.equal(due0, before.due);
  // held today: this month is done (and so due)
  let r = await send(as.sec2, 'POST', '/api/v1/events', { org: C, type: 'committee_meeting', status: 'held', starts_at: today, topic: '本月支委会' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const now = (await as.admin(`/api/v1/compliance?unit=${V2}&period=${year}`)).body.items.find((x) => x.id === C);
  const c2 = now.duties.find((d) => d.code === 'branch.committee');
  assert.deepEqual([c2.due, c2.held, c2.pending], [month, 1, 12 - month]);
  const ana = await as.admin(`/api/v1/analytics?expr=%23%7Bparty.meetings.held%7D&unit=${V2}&period=${year}`);
  assert.equal(ana.body.value, 1, 'the rollup follows the new event');
  // a planned meeting next month is accepted, and counts for nothing
  const later = new Date(Date.parse(`${today}T00:00:00Z`) + 40 * 864e5).toISOString().slice(0, 10);
  r = await send(as.sec2, 'POST', '/api/v1/events', { org: C, type: 'committee_meeting', status: 'planned', starts_at: `${later}T14:30`, topic: '计划' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.status, 'planned');
  assert.equal(r.body.starts_at, `${later}T14:30`);
});

test('refusals name the rule and write nothing', async () => {
  const events = count('events'), parts = count('event_participants'), audit = count('audit');
  const bad = async (who, body, field, re, status = 400) => {
    const r = await send(who, 'POST', '/api/v1/events', { org: A, type: 'committee_meeting', status: 'held', starts_at: `${YEAR}-04-01`, topic: '测试', ...body });
    assert.equal(r.status, status, JSON.stringify(r.body));
    if (field) assert.equal(r.body.error.field, field, JSON.stringify(r.body));
    assert.match(r.body.error.message, re);
  };
  const future = new Date(Date.now() + 30 * 864e5).toISOString().slice(0, 10);
  await bad(as.admin, { starts_at: future }, 'starts_at', /不能晚于今天/);
  await bad(as.admin, { starts_at: '2025-13-01' }, 'starts_at', /活动时间/);
  await bad(as.admin, { type: 'nope' }, 'type', /活动类型/);
  await bad(as.admin, { status: 'done' }, 'status', /planned/);
  await bad(as.admin, { topic: '' }, 'topic', /主题|topic/);
  await bad(as.admin, { org: G }, 'org', /支委会不能由党小组组织/);
  await bad(as.admin, { org: null, unit: V1 }, 'org', /须由党组织组织/);
  // a participant who is not a person, or not in the writer's scope
  await bad(as.admin, { participants: [{ person: 999999, attendance: 'present' }] }, 'participants[0].person', /没有编号为 999999 的人员/);
  await bad(as.town, { participants: [{ person: P, attendance: 'present' }, { person: other, attendance: 'present' }] }, 'participants[1].person', /第 2 人/);
  await bad(as.admin, { participants: [{ person: P, attendance: 'present' }, { person: P, attendance: 'leave' }] }, 'participants[1]', /重复/);
  await bad(as.admin, { participants: [{ person: P, attendance: 'late' }] }, 'participants[0].attendance', /出席、请假或缺席/);
  // values outside the type's bounds, or not the type's
  await bad(as.admin, { type: 'party_lecture', participants: [{ person: P, attendance: 'present', values: { hours: 9 } }] }, 'participants[0].values', /学时须在 0 到 8 之间/);
  await bad(as.admin, { type: 'party_lecture', participants: [{ person: P, attendance: 'present', values: { score: 1 } }] }, 'participants[0].values', /没有 score/);
  // unknown actions, a held 主题党日 without every required one
  await bad(as.admin, { type: 'theme_day', actions: [...THEME, 'dance'] }, 'actions', /没有动作 dance/);
  await bad(as.admin, { type: 'theme_day', actions: ['dues', 'oath', 'charter'] }, 'actions', /规定动作.*集中学习/);
  await bad(as.admin, { actions: ['dues'] }, 'actions', /没有规定或自选动作/);
  // an organisation outside the writer's scope; a unit outside it
  await bad(as.sec2, {}, 'org', /不在您的管辖范围内/);
  await bad(as.sec2, { org: null, type: 'volunteer', unit: V1 }, null, /不在您的管辖范围内/, 403);
  await bad(as.admin, { files: [{ sha256: 'a'.repeat(64), name: '照片.jpg' }] }, 'files[0].sha256', /请先上传/);
  await bad(as.observer, {}, null, /权限/, 403);
  assert.equal(count('events'), events);
  assert.equal(count('event_participants'), parts);
  assert.equal(count('audit'), audit);
  // oversized and malformed bodies
  let r = await send(as.admin, 'POST', '/api/v1/events', { org: A, type: 'committee_meeting', status: 'held', starts_at: `${YEAR}-04-01`, topic: 'x'.repeat(500) });
  assert.equal(r.status, 400);
  r = await as.admin('/api/v1/events', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"org":' });
  assert.equal(r.status, 400);
  r = await send(as.admin, 'POST', '/api/v1/events', { org: A, type: 'committee_meeting', status: 'held', starts_at: `${YEAR}-04-01`, topic: 't', participants: 'all' });
  assert.equal(r.status, 400);
  assert.equal(count('events'), events);
});

test('a held event: attendance in one write, editing audited, evidence files, scope', async () => {
  const upload = await as.admin('/api/v1/files', { method: 'POST', body: Buffer.from('%PDF-1.4\n%%EOF\n') });
  assert.equal(upload.status, 201, JSON.stringify(upload.body));
  const ev = await held(A, 'theme_day', `${YEAR}-07-15`, { place: '村党群服务中心', files: [{ sha256: upload.body.sha256, name: '签到表.pdf' }] });
  assert.equal(ev.type_name, '主题党日');
  assert.equal(ev.org.id, A);
  assert.equal(ev.unit.code, V1);
  assert.equal(ev.files[0].name, '签到表.pdf');
  const file = await as.observer(ev.files[0].url);
  assert.equal(file.status, 200);
  // 签到: the whole list in one write, from the town's account
  let r = await send(as.town, 'PUT', `/api/v1/events/${ev.id}/attendance`, { participants: [{ person: P, attendance: 'present' }, { person: Q, attendance: 'leave' }] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.participants.length, 2);
  assert.equal(r.body.present, 1);
  assert.equal(r.body.participants.find((p) => p.person === Q).attendance_name, '请假');
  r = await send(as.town, 'PUT', `/api/v1/events/${ev.id}/attendance`, { participants: [{ person: Q, attendance: 'present' }] });
  assert.equal(r.body.participants.length, 1, 'the list is replaced');
  // editing: topic and the move back to planned, audited with before and after
  r = await send(as.town, 'PATCH', `/api/v1/events/${ev.id}`, { topic: '七月主题党日', notes: '学习党章' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.topic, '七月主题党日');
  r = await send(as.town, 'PATCH', `/api/v1/events/${ev.id}`, { type: 'talk' });
  assert.equal(r.status, 400);
  const audit = sql(srv.dataDir, `SELECT action || ' ' || coalesce(before_json, '') || ' => ' || after_json FROM audit WHERE entity = 'event:${ev.id}' ORDER BY seq;`);
  assert.match(audit, /event\.attendance .*"participants":2/);
  assert.match(audit, /event\.update .*"topic":"theme_day 2025-07-15".* => .*"topic":"七月主题党日"/);
  // outside the reader's scope: 404 to read, 403 to write
  assert.equal((await as.sec2(`/api/v1/events/${ev.id}`)).status, 404);
  assert.equal((await send(as.sec2, 'PATCH', `/api/v1/events/${ev.id}`, { topic: 'x' })).status, 403);
  assert.equal((await as.sec2(`/api/v1/events/abc`)).status, 404);
  // the list by unit, organisation, type and period, paged
  r = await as.town(`/api/v1/events?org=${A}&type=committee_meeting&period=${YEAR}&limit=5`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.items.length, 5);
  const seen = r.body.items.map((e) => e.id);
  let next = r.body.next;
  while (next) {
    const page = await as.town(`/api/v1/events?org=${A}&type=committee_meeting&period=${YEAR}&limit=5&after=${encodeURIComponent(next)}`);
    seen.push(...page.body.items.map((e) => e.id));
    next = page.body.next;
  }
  assert.equal(new Set(seen).size, 12);
  assert.equal((await as.sec2(`/api/v1/events?unit=${V1}`)).status, 404);
  assert.equal((await as.town(`/api/v1/events?type=nope`)).status, 400);
  assert.equal((await as.town(`/api/v1/events?after=garbage`)).status, 400);
  // 一人一档: the person's events in time order
  const page = await as.town(`/api/v1/persons/${P}`);
  assert.equal(page.status, 200);
  const days = page.body.events.map((e) => e.day);
  assert.deepEqual(days, [...days].sort());
  assert.ok(page.body.events.some((e) => e.type_name === '谈心谈话' && e.attendance_name === '缺席'));
  assert.equal(page.body.events.find((e) => e.type === 'party_lecture').values.hours, 2);
});

test('compliance refuses weeks and missing periods', async () => {
  assert.equal((await as.admin(`/api/v1/compliance?unit=${COUNTY}&period=2025-W03`)).status, 400);
  assert.equal((await as.admin(`/api/v1/compliance?unit=${COUNTY}`)).status, 400);
  assert.equal((await as.sec2(`/api/v1/compliance?unit=${V1}&period=2025`)).status, 404);
  const r = await as.admin(`/api/v1/compliance?unit=${COUNTY}&period=${YEAR}&limit=1`);
  assert.equal(r.body.items.length, 1);
  assert.ok(r.body.next);
  const r2 = await as.admin(`/api/v1/compliance?unit=${COUNTY}&period=${YEAR}&limit=1&after=${r.body.next}`);
  assert.notEqual(r2.body.items[0].id, r.body.items[0].id);
});
