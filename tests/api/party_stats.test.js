// 党员统计 (GET /api/v1/party/stats, app/party_stats.c): the figures agree
// with the persons made here and with the computed elements of the
// analytics engine (party.members, party.admitted, party.admitted_age) for
// the same unit and year; by=children adds up to the parent, the unit's
// own members included; only counts leave; scope, dates and parameters
// are checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, jicengOk, ROOT, chinaDay, idNumber } from '../lib/server.js';

const TOWN = '411121100';
const V1 = '411121100201';
const V2 = '411121100202';
const YEAR = Number(chinaDay().slice(0, 4)) - 1; // a closed year: every date in it is past
const DATE = `${YEAR}-12-31`;
let TOWN2;
let srv;
const as = {};

let serial = 500;

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  TOWN2 = sql(srv.dataDir, `SELECT code FROM units WHERE code LIKE '411121___' AND code > '${TOWN}' ORDER BY code LIMIT 1;`).trim();
  const users = { town: ['township_admin', TOWN], sec2: ['village_secretary', V2], member: ['party_member', V1] };
  for (const [name, [role, scope]] of Object.entries(users)) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
  as.admin = srv.api;
});
after(() => srv?.stop());

const send = (who, method, p, body) => who(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

async function person(unit, { birth, ...extra }) {
  const body = { name: `统计人员${serial}`, unit, ...extra };
  if (birth) body.id_number = idNumber(`411121${birth.replaceAll('-', '')}${String(serial).padStart(3, '0')}`);
  serial++;
  const r = await send(as.admin, 'POST', '/api/v1/persons', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
async function org(unit) {
  const r = await send(as.admin, 'POST', '/api/v1/party/orgs', { name: `统计党支部${serial++}`, type: 'branch', unit, founded_on: '1990-01-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
async function join(o, p, stage, from) {
  const r = await send(as.admin, 'POST', `/api/v1/party/orgs/${o.id}/members`, { person: p.id, kind: 'party_member', stage, from });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.members.find((m) => m.person === p.id && m.from === from).id;
}
async function end(o, mid, to) {
  const r = await send(as.admin, 'POST', `/api/v1/party/orgs/${o.id}/members/${mid}/end`, { to, reason: '组织关系转出' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}
// whole years on a day
const age = (birth, day) => Number(day.slice(0, 4)) - Number(birth.slice(0, 4)) - (day.slice(5) < birth.slice(5) ? 1 : 0);
const count = (list, code) => list.find((b) => b.code === code).count;
const sum = (list) => list.reduce((n, b) => n + b.count, 0);

// Who is who: [unit or org, stage, person] — the expected figures follow from it.
const P = {
  p1: { sex: '男', birth: '1960-03-01', education: '大专', ethnicity: '汉族' },
  p2: { sex: '女', birth: '1995-07-01', education: '本科', ethnicity: '回族' },
  p3: { sex: '女', birth: '1985-12-31' },
  p4: { sex: '男', birth: '1970-06-30', education: '高中', ethnicity: '汉族' },
  p5: { sex: '男', birth: '1999-01-01', education: '研究生', ethnicity: '汉族' },
  p6: { sex: '女', birth: '1980-05-01', education: '硕士', ethnicity: '汉族' },
  p7: { sex: '男', birth: '2000-02-02', education: '初中', ethnicity: '汉族' },
  p8: { sex: '男', birth: '1950-01-01', education: '小学', ethnicity: '汉族' },
  p9: { sex: '女', birth: '1988-10-10', education: '中专', ethnicity: '蒙古族' },
  p10: { education: '' }, // no sex, no birth date, nothing else
  out: { sex: '男', birth: '1975-01-01', education: '大专', ethnicity: '汉族' },
};
const ids = {};

test('set-up: members in two villages, the township itself and another township', async () => {
  const b1 = await org(V1);
  const b2 = await org(V2);
  const bt = await org(TOWN); // a township-level branch: the township's own members (本级)
  const bo = await org(TOWN2);
  const units = { p1: V1, p2: V1, p3: V1, p4: V2, p5: V2, p6: TOWN, p7: V2, p8: V1, p9: V2, p10: V2, out: TOWN2 };
  for (const [k, v] of Object.entries(P)) ids[k] = await person(units[k], v);
  await join(b1, ids.p1, 'formal', '2000-01-01');
  await join(b1, ids.p2, 'probationary', `${YEAR}-05-01`); // admitted this year
  await join(b1, ids.p3, 'activist', '2020-01-01');
  await join(b2, ids.p4, 'formal', '1995-01-01');
  await join(b2, ids.p5, 'probationary', `${YEAR}-02-01`); // admitted this year
  await join(bt, ids.p6, 'formal', '2010-01-01');
  await join(b2, ids.p7, 'applicant', `${YEAR}-03-01`);
  const left = await join(b1, ids.p8, 'formal', '1980-01-01');
  await end(b1, left, `${YEAR}-06-01`); // left before the date: not counted
  // admitted last year in V2, transferred to V1 this year: a member of V1, not a new one
  const moved = await join(b2, ids.p9, 'probationary', `${YEAR - 1}-10-01`);
  await end(b2, moved, `${YEAR}-04-01`);
  await join(b1, ids.p9, 'probationary', `${YEAR}-04-01`);
  await join(b2, ids.p10, 'formal', '2015-01-01');
  await join(bo, ids.out, 'formal', '2001-01-01');
});

test('the figures of a township agree with the persons and with the analytics engine', async () => {
  const r = await as.town(`/api/v1/party/stats?unit=${TOWN}&date=${DATE}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const { total } = r.body;
  assert.equal(r.body.unit.code, TOWN);
  assert.ok(r.body.unit.name.length > 0);
  assert.equal(r.body.date, DATE);
  assert.equal(r.body.year, YEAR);
  assert.equal(r.body.children, undefined, 'only with by=children');
  const members = ['p1', 'p2', 'p4', 'p5', 'p6', 'p9', 'p10'];
  assert.equal(total.members, members.length);
  assert.deepEqual(total.stages.map((s) => s.code), ['applicant', 'activist', 'candidate', 'probationary', 'formal'], 'the stages of data/people.json, in order');
  assert.deepEqual(total.stages.map((s) => s.name), ['入党申请人', '入党积极分子', '发展对象', '预备党员', '正式党员']);
  assert.deepEqual(total.stages.map((s) => s.count), [1, 1, 0, 3, 4]);
  // of the members
  assert.equal(count(total.sex, '男'), 3);
  assert.equal(count(total.sex, '女'), 3);
  assert.equal(count(total.sex, 'unknown'), 1);
  const bands = { to35: 0, '36to45': 0, '46to55': 0, '56to60': 0, from61: 0, unknown: 0 };
  for (const k of members) {
    const b = P[k].birth;
    if (!b) { bands.unknown++; continue; }
    const a = age(b, DATE);
    bands[a <= 35 ? 'to35' : a <= 45 ? '36to45' : a <= 55 ? '46to55' : a <= 60 ? '56to60' : 'from61']++;
  }
  assert.deepEqual(Object.fromEntries(total.age_bands.map((b) => [b.code, b.count])), bands);
  assert.equal(total.age_bands[0].name, '35岁及以下');
  assert.deepEqual(Object.fromEntries(total.education.map((b) => [b.code, b.count])),
    { postgraduate: 2, bachelor: 1, college: 1, secondary: 1, high_school: 1, junior: 0, primary: 0, other: 0, unknown: 1 },
    'written as 研究生/硕士, 本科, 大专 …: counted by the levels of data/people.json');
  assert.equal(total.education.find((b) => b.code === 'college').name, '大学专科');
  assert.equal(total.higher_education, 4);
  assert.equal(r.body.higher_label, '大专及以上学历');
  assert.deepEqual(total.ethnicity.map((b) => [b.code, b.name, b.count]), [['majority', '汉族', 4], ['minority', '少数民族', 2], ['unknown', '未填', 1]]);
  for (const key of ['stages', 'sex', 'age_bands', 'education', 'ethnicity'])
    assert.equal(sum(total[key]) - (key === 'stages' ? 2 : 0), members.length, `${key} adds up to the members`);
  // new members: p2 and p5 (p9 came by transfer), ages on admission
  const ages = [age(P.p2.birth, `${YEAR}-05-01`), age(P.p5.birth, `${YEAR}-02-01`)];
  assert.equal(total.admitted.count, 2);
  assert.equal(total.admitted.with_birth_date, 2);
  assert.equal(total.admitted.average_age, Math.round(((ages[0] + ages[1]) / 2) * 10) / 10);

  // the same counts as the computed elements for that unit and year
  const value = async (expr) => {
    const a = await as.town(`/api/v1/analytics?expr=${encodeURIComponent(expr)}&unit=${TOWN}&period=${YEAR}`);
    assert.equal(a.status, 200, JSON.stringify(a.body));
    return a.body.value ?? 0;
  };
  assert.equal(await value('#{party.members}'), total.members);
  assert.equal(await value('#{party.probationary}'), count(total.stages, 'probationary'));
  assert.equal(await value('#{party.activists}'), count(total.stages, 'activist'));
  assert.equal(await value('#{party.applicants}'), count(total.stages, 'applicant'));
  assert.equal(await value('#{party.admitted}'), total.admitted.count);
  assert.equal(await value('#{party.admitted_age} / #{party.admitted}'), total.admitted.average_age);

  // only counts: no name, no number
  const text = JSON.stringify(r.body);
  for (const p of Object.values(ids)) assert.ok(!text.includes(p.name), 'no person is named');
  assert.doesNotMatch(text, /\d{6}\*{8}/);
});

test('by=children: each village by name, the township\'s own members, adding up to the parent', async () => {
  const r = await as.town(`/api/v1/party/stats?unit=${TOWN}&date=${DATE}&by=children`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const rows = r.body.children;
  const own = rows.filter((x) => x.own);
  assert.equal(own.length, 1, 'the township\'s own branch');
  assert.equal(own[0].code, TOWN);
  assert.equal(rows[0], own[0], 'listed first');
  assert.equal(own[0].members, 1);
  const villages = Number(sql(srv.dataDir, `SELECT count(*) FROM units WHERE code LIKE '${TOWN}___' AND length(code) = 12;`).trim());
  assert.ok(villages >= 2);
  assert.equal(rows.length, villages + 1, 'every village, members or not, and the township itself');
  const v1 = rows.find((x) => x.code === V1);
  const v2 = rows.find((x) => x.code === V2);
  assert.ok(v1.name && !/^\d+$/.test(v1.name), 'named');
  assert.equal(v1.members, 3, 'p1, p2 and p9, transferred in');
  assert.equal(v2.members, 3, 'p4, p5 and p10');
  assert.equal(v1.admitted.count, 1);
  assert.equal(v2.admitted.count, 1);
  // every figure of the rows adds up to the total
  const { total } = r.body;
  const flat = (f) => [f.members, f.higher_education, f.admitted.count, f.admitted.with_birth_date,
    ...['stages', 'sex', 'age_bands', 'education', 'ethnicity'].flatMap((k) => f[k].map((b) => b.count))];
  const added = rows.map(flat).reduce((a, b) => a.map((x, i) => x + b[i]));
  assert.deepEqual(added, flat(total));
  const plain = await as.town(`/api/v1/party/stats?unit=${TOWN}&date=${DATE}`);
  assert.deepEqual(plain.body.total, total);
  // the county's row of this township is the township's total
  const county = await as.admin(`/api/v1/party/stats?unit=411121&date=${DATE}&by=children`);
  assert.equal(county.status, 200);
  assert.deepEqual(county.body.children.find((x) => x.code === TOWN).members, total.members);
  assert.equal(county.body.total.members, total.members + 1, 'and the other township\'s member');
  // party.members by child agrees too
  const a = await as.town(`/api/v1/analytics?expr=%23%7Bparty.members%7D&unit=${TOWN}&period=${YEAR}&by=children`);
  for (const c of a.body.children) assert.equal(rows.find((x) => x.code === c.code)?.members ?? 0, c.value ?? 0, c.code);
});

test('dates: today by default, an earlier day counts who was a member then', async () => {
  let r = await as.town(`/api/v1/party/stats?unit=${TOWN}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.date, chinaDay());
  assert.equal(r.body.year, YEAR + 1);
  assert.equal(r.body.total.admitted.count, 0, 'nobody admitted this year');
  assert.equal(r.body.total.admitted.average_age, null);
  r = await as.town(`/api/v1/party/stats?unit=${TOWN}&date=${YEAR}-01-31`);
  assert.equal(r.status, 200);
  assert.equal(r.body.total.members, 6, 'p8 still there, p2 and p5 not yet admitted, p9 in V2');
  assert.equal(count(r.body.total.stages, 'applicant'), 0);
});

test('bad input and scope: 400 naming the field, 404 outside the scope, 403 without persons:read', async () => {
  for (const [q, field] of [['date=2025-13-01', 'date'], ['date=yesterday', 'date'], ['date=2025-02-30', 'date'],
    ['by=parent', 'by'], ['format=pdf', 'format']]) {
    const r = await as.town(`/api/v1/party/stats?unit=${TOWN}&${q}`);
    assert.equal(r.status, 400, q);
    assert.equal(r.body.error.field, field, q);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/, 'a Chinese sentence');
  }
  // outside the scope: what every read route answers (http/reply.c), a unit one cannot see
  for (const [who, unit] of [['town', TOWN2], ['sec2', TOWN], ['sec2', V1]]) {
    const r = await as[who](`/api/v1/party/stats?unit=${unit}`);
    assert.equal(r.status, 404, `${who} ${unit}`);
    assert.equal(r.body.error.field, 'unit');
  }
  assert.equal((await as.sec2(`/api/v1/party/stats?unit=${V2}&date=${DATE}`)).body.total.members, 3);
  assert.equal((await as.member(`/api/v1/party/stats?unit=${V1}`)).status, 403, 'a 党员 sees only their own record');
  assert.equal((await as.admin('/api/v1/party/stats?unit=419999')).status >= 400, true);
});

test('the table by child unit as Excel and CSV', async () => {
  const csv = await srv.api(`/api/v1/party/stats?unit=${TOWN}&date=${DATE}&format=csv`);
  assert.equal(csv.status, 200);
  const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\n').map((l) => l.replaceAll('"', ''));
  assert.match(lines[0], /^单位代码,单位名称,党员人数,入党申请人,/);
  assert.match(lines.at(-1), new RegExp(`^${TOWN},合计,7,`));
  assert.ok(lines.some((l) => l.startsWith(`${TOWN},`) && l.includes('（本级）')));
  const v1 = lines.find((l) => l.startsWith(`${V1},`)).split(',');
  assert.equal(v1[2], '3');
  const xlsx = await srv.api(`/api/v1/party/stats?unit=${TOWN}&date=${DATE}&format=xlsx`);
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
});
