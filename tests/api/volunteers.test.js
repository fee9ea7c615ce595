// Volunteers (志愿服务, app/volunteers.h): teams and members on the persons
// register, sign-in and sign-out at a volunteer activity (hours = out − in −
// travel) crediting the time bank in the same transaction, every bad-input
// rule refused with nothing written, stars by cumulative hours, the
// certificate's figures with the ID-card number masked, scope, the contract
// elements volunteers.persons / volunteers.hours, and a concurrent
// transfer above the balance: exactly one wins.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, jicengOk, ROOT, chinaDay, idNumber } from '../lib/server.js';

const COUNTY = '411121';
const TOWN = '411121100';
const V1 = '411121100201';
let TOWN2;
let srv;
const as = {};
const ids = {};

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  const towns = (await srv.api(`/api/v1/units/${COUNTY}/children?limit=100`)).body.items;
  TOWN2 = towns.find((t) => t.code !== TOWN).code;
  addUser(srv.dataDir, 'town2', 'township_admin', TOWN2);
  const token = tokenFor(srv.dataDir, 'town2');
  as.town2 = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  as.admin = srv.api;
  let n = 0;
  for (const name of ['王秀英', '王小军', '赵志愿']) {
    const r = await send(as.admin, 'POST', '/api/v1/persons', { name, unit: V1, id_number: idNumber(`41112119700101${String(100 + ++n)}`) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids[name] = r.body.id;
  }
  const hh = await send(as.admin, 'POST', '/api/v1/households', { unit: V1, address: '二组 3 号' });
  for (const [name, relation] of [['王秀英', 'head'], ['王小军', 'other']]) {
    const r = await send(as.admin, 'POST', `/api/v1/households/${hh.body.id}/members`, { person: ids[name], relation, from: '2020-01-01' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
});
after(() => srv?.stop());

const send = (who, method, p, body) => who(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) });
const count = (t) => Number(sql(srv.dataDir, `SELECT count(*) FROM ${t};`).trim());
const activity = async (day, topic, type = 'volunteer') => {
  const r = await send(as.admin, 'POST', '/api/v1/events', { type, unit: V1, status: 'held', starts_at: `${day}T08:00`, topic });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
};
const signIn = (ev, person, at) => send(as.admin, 'POST', `/api/v1/events/${ev}/volunteers/signin`, { person, at });
const signOut = (ev, person, at, travel) => send(as.admin, 'POST', `/api/v1/events/${ev}/volunteers/signout`, { person, at, travel_minutes: travel });
const balance = async (id) => (await as.admin(`/api/v1/persons/${id}/timebank`)).body.balance;

test('teams and members: a person in several teams; bad input refused', async () => {
  const t1 = await send(as.admin, 'POST', '/api/v1/volunteers/teams', { unit: V1, name: '敬老志愿服务队', leader: ids['王秀英'] });
  assert.equal(t1.status, 201, JSON.stringify(t1.body));
  const t2 = await send(as.admin, 'POST', '/api/v1/volunteers/teams', { unit: V1, name: '环境整治志愿服务队' });
  assert.equal(t2.status, 201);
  assert.equal((await send(as.admin, 'POST', '/api/v1/volunteers/teams', { unit: V1, name: '敬老志愿服务队' })).status, 409, 'a name once per unit');
  assert.equal((await send(as.admin, 'POST', '/api/v1/volunteers/teams', { unit: V1, name: '' })).status, 400);
  assert.equal((await send(as.admin, 'POST', '/api/v1/volunteers/teams', { unit: V1, name: '队', leader: 999999 })).status, 400);
  for (const [name, team] of [['王小军', t1], ['王小军', t2], ['赵志愿', t2]]) {
    const r = await send(as.admin, 'POST', `/api/v1/persons/${ids[name]}/volunteer/teams`, { team: team.body.id });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  assert.equal((await send(as.admin, 'POST', `/api/v1/persons/${ids['王小军']}/volunteer/teams`, { team: t1.body.id })).status, 409);
  assert.equal((await send(as.admin, 'POST', `/api/v1/persons/${ids['王小军']}/volunteer/teams`, { team: 424242 })).status, 400);
  const teams = (await as.admin(`/api/v1/volunteers/teams?unit=${TOWN}`)).body.items;
  const old = teams.find((t) => t.name === '敬老志愿服务队');
  assert.equal(old.leader.name, '王秀英');
  assert.deepEqual(old.members.map((m) => m.name).sort(), ['王小军', '王秀英'].sort());
  assert.ok(old.unit.name && !JSON.stringify(old.unit.name).includes(V1));
  // another township sees none of them and cannot join them
  assert.equal((await as.town2(`/api/v1/volunteers/teams?unit=${TOWN2}`)).body.items.length, 0);
  assert.equal((await as.town2(`/api/v1/volunteers/teams?unit=${TOWN}`)).status, 404);
  assert.equal((await send(as.town2, 'POST', '/api/v1/volunteers/teams', { unit: V1, name: '越权' })).status, 403);
});

test('sign-in and sign-out: hours without travel credit the time bank at once; bad input writes nothing', async () => {
  const day = chinaDay(-2);
  const ev = await activity(day, '敬老院志愿服务');
  const p = ids['王小军'];
  assert.equal((await signIn(ev, p, `${day}T08:30`)).status, 201);
  assert.equal((await signIn(ev, p, `${day}T08:40`)).status, 409, 'signed in once');
  const rows = ['volunteer_signs', 'timebank_entries', 'event_participants', 'audit'];
  const before = rows.map(count);
  const before0 = await balance(p);
  const refused = [
    [() => signOut(ev, p, `${day}T08:00`, 0), /须晚于签到时间/],
    [() => signOut(ev, p, `${day}T08:30`, 0), /须晚于签到时间/],
    [() => signOut(ev, p, `${chinaDay(-1)}T09:00`, 0), /一天的上限 24 小时/],
    [() => signOut(ev, p, `${day}T09:00`, 30), /没有服务时长/],
    [() => signOut(ev, p, `${day}T12:00`, -5), /路途时间/],
    [() => signOut(ev, p, `${day}T12:00`, 9999), /路途时间/],
    [() => signOut(ev, p, `${day} 12:00`, 0), /年-月-日T时:分/],
    [() => signOut(ev, p, `${chinaDay(3)}T12:00`, 0), /晚于现在/],
    [() => signOut(ev, ids['赵志愿'], `${day}T12:00`, 0), /尚未在本次活动签到/],
    [() => signIn(ev, ids['赵志愿'], `${chinaDay(-3)}T08:00`), /签到须在活动当天/],
    [() => signIn(ev, 999999, `${day}T08:00`), /没有编号为 999999 的人员/],
  ];
  for (const [call, re] of refused) {
    const r = await call();
    assert.ok(r.status >= 400 && r.status < 500, `${re} → ${r.status}`);
    assert.match(r.body.error.message, re);
  }
  assert.deepEqual(rows.map(count), before, 'nothing written');
  assert.equal(await balance(p), before0);
  const other = await activity(chinaDay(-2), '党小组会', 'group_meeting').catch(() => null);
  if (other) assert.equal((await signIn(other, p, `${day}T08:00`)).status, 400, 'only volunteer activities');
  // 08:30 → 12:00 with 30 minutes of travel: 3 hours, 3 coins, present with the hours
  const out = await signOut(ev, p, `${day}T12:00`, 30);
  assert.equal(out.status, 201, JSON.stringify(out.body));
  const row = out.body.items.find((x) => x.person.id === p);
  assert.equal(row.hours, 3);
  assert.equal(row.travel_minutes, 30);
  assert.equal(await balance(p), before0 + 3);
  assert.equal((await signOut(ev, p, `${day}T13:00`, 0)).status, 409, 'signed out once');
  const part = sql(srv.dataDir, `SELECT attendance, data FROM event_participants WHERE event_id = ${ev} AND person_id = ${p};`).trim();
  assert.match(part, /present/);
  assert.match(part, /"hours":3/);
  // the old credit route finds the person credited already
  assert.equal((await send(as.admin, 'POST', `/api/v1/events/${ev}/timebank`)).body.credited, 0);
  const [ledger, balances] = sql(srv.dataDir, 'SELECT (SELECT coalesce(sum(cents),0) FROM timebank_entries), (SELECT coalesce(sum(cents),0) FROM timebank_balances);').trim().split('|').map(Number);
  assert.equal(ledger, balances);
  // another township cannot sign anyone in at this activity
  assert.equal((await send(as.town2, 'POST', `/api/v1/events/${ev}/volunteers/signin`, { person: ids['赵志愿'], at: `${day}T09:00` })).status, 403);
});

test('stars by cumulative hours, the volunteer list and the certificate (masked, no codes)', async () => {
  const p = ids['赵志愿'];
  for (let k = 3; k <= 8; k++) { // six days of 20 hours: 120 hours → 一星
    const day = chinaDay(-k);
    const ev = await activity(day, `防汛值守 ${k}`);
    assert.equal((await signIn(ev, p, `${day}T00:10`)).status, 201);
    const r = await signOut(ev, p, `${day}T20:40`, 30);
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const list = await as.admin(`/api/v1/volunteers?unit=${TOWN}`);
  assert.equal(list.status, 200, JSON.stringify(list.body));
  const me = list.body.items.find((x) => x.person.id === p);
  assert.equal(me.hours, 120);
  assert.equal(me.activities, 6);
  assert.equal(me.star.name, '一星志愿者');
  assert.equal(me.coins, 120);
  assert.deepEqual(list.body.stars.map((s) => s.hours), [100, 300, 600, 1000, 1500]);
  const cert = await as.admin(`/api/v1/persons/${p}/volunteer`);
  assert.equal(cert.status, 200, JSON.stringify(cert.body));
  assert.equal(cert.body.person.name, '赵志愿');
  assert.match(cert.body.person.id_number, /\*/, 'masked');
  assert.equal(cert.body.hours, 120);
  assert.equal(cert.body.star.level, 1);
  assert.equal(cert.body.teams, '环境整治志愿服务队');
  assert.ok(cert.body.unit.name);
  assert.equal(cert.body.years.reduce((s, y) => s + y.hours, 0), 120);
  assert.equal((await as.town2(`/api/v1/persons/${p}/volunteer`)).status, 404, 'out of scope');
});

test('volunteers.persons and volunteers.hours roll up like any element', async () => {
  const year = chinaDay(-2).slice(0, 4);
  const expr = (code, unit) => as.admin(`/api/v1/analytics?expr=${encodeURIComponent(`#{${code}}`)}&unit=${unit}&period=${year}`);
  const minutes = Number(sql(srv.dataDir, `SELECT sum(s.minutes) FROM volunteer_signs s JOIN events e ON e.id = s.event_id WHERE e.day LIKE '${year}-%';`).trim());
  const hours = await expr('volunteers.hours', COUNTY);
  assert.equal(hours.status, 200, JSON.stringify(hours.body));
  assert.ok(Math.abs(hours.body.value - minutes / 60) < 1e-6, `${hours.body.value} vs ${minutes / 60}`);
  assert.equal((await expr('volunteers.persons', V1)).body.value, 2);
  assert.equal((await expr('volunteers.persons', TOWN2)).body.value ?? 0, 0);
  // a new sign-out shows at once (the memo is invalidated)
  const day = chinaDay(-9);
  const ev = await activity(day, '义诊');
  await signIn(ev, ids['王秀英'], `${day}T09:00`);
  assert.equal((await signOut(ev, ids['王秀英'], `${day}T10:00`, 0)).status, 201);
  assert.equal((await expr('volunteers.persons', V1)).body.value, day.startsWith(year) ? 3 : 2);
});

test('a concurrent transfer above the balance: exactly one wins', async () => {
  const from = ids['王小军'];
  const have = await balance(from);
  assert.ok(have > 2);
  const amount = Math.floor(have / 2) + 1; // two of these would overdraw
  const results = await Promise.all(Array.from({ length: 2 }, () =>
    send(as.admin, 'POST', `/api/v1/persons/${from}/timebank/transfers`, { to: ids['王秀英'], coins: amount })));
  assert.deepEqual(results.map((r) => r.status).sort(), [201, 400]);
  assert.equal(await balance(from), have - amount);
  const [ledger, balances] = sql(srv.dataDir, 'SELECT (SELECT coalesce(sum(cents),0) FROM timebank_entries), (SELECT coalesce(sum(cents),0) FROM timebank_balances);').trim().split('|').map(Number);
  assert.equal(ledger, balances);
});
