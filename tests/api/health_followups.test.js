// 随访 (app/health.h, data/health.json followups): follow-ups recorded on a
// resident by the signed family-doctor team; refusals (future day, unknown
// method, no contract, not in a group with a follow-up duty, a phone number
// in the note, out of scope) write nothing; compliance per quarter counted
// from the records (a telephone call is not 面对面 for hypertension and
// diabetes), the due-visit list with names, its XLSX export, and the
// computed elements health.followups.due / done rolled up to the county.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, chinaDay, jicengOk, ROOT, idNumber } from '../lib/server.js';
import { rowsOf } from '../lib/xlsx.js';

const TOWN = '411121100';
const V1 = '411121100201';
const V2 = '411121100202';
let srv;
const as = {};
let serial = 300;
let team;
const people = {};

const send = (who, method, p, body) => who(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const count = (t) => Number(sql(srv.dataDir, `SELECT count(*) FROM ${t};`).trim());
const today = chinaDay();
const year = Number(today.slice(0, 4));
const ended = Math.floor((Number(today.slice(5, 7)) - 1) / 3); // quarters of this year already over

async function person(unit, name, birth) {
  const id = idNumber(`411121${birth.replaceAll('-', '')}${String(serial++).padStart(3, '0')}`);
  const r = await send(as.admin, 'POST', '/api/v1/persons', { name, unit, sex: '男', id_number: id });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  const users = { town: ['township_admin', TOWN], sec2: ['village_secretary', V2] };
  for (const [name, [role, scope]] of Object.entries(users)) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
  as.admin = srv.api;
  let r = await send(as.town, 'POST', '/api/v1/health/facilities', { unit: TOWN, type: 'township_hospital', name: '舞泉镇卫生院' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await send(as.town, 'POST', '/api/v1/health/teams', { unit: TOWN, facility: r.body.id, name: '第一家庭医生团队' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  team = r.body.id;
  people.hyper = await person(V1, '高血压甲', '1960-02-01');
  people.diab = await person(V1, '糖尿病乙', '1962-02-01');
  people.plain = await person(V1, '居民丙', '1990-02-01');
  people.unsigned = await person(V1, '高血压丁', '1958-02-01');
  people.late = await person(V1, '高血压戊', '1957-02-01');
  for (const [who, tags] of [['hyper', ['hypertension']], ['diab', ['diabetes']], ['unsigned', ['hypertension']], ['late', ['hypertension']]]) {
    r = await send(as.town, 'PUT', `/api/v1/persons/${people[who]}/health/tags`, { tags });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
  for (const who of ['hyper', 'diab', 'plain']) {
    r = await send(as.town, 'POST', `/api/v1/persons/${people[who]}/health/contracts`,
      { team, start_date: `${year - 1}-12-01`, end_date: `${year + 1}-11-30`, package: 'chronic' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
});
after(() => srv?.stop());

test('a follow-up is recorded with its team; bad input refused naming the rule, nothing written', async () => {
  const rows = count('health_followups');
  const audits = count('audit');
  const post = (who, id, body) => send(who, 'POST', `/api/v1/persons/${id}/health/followups`, body);
  const ok = { day: today, method: 'clinic', doctor: '李医生', note: '血压 135/85，规律服药' };
  const refusals = [
    [as.town, people.hyper, { ...ok, day: chinaDay(1) }, 400, /不能晚于今天/],
    [as.town, people.hyper, { ...ok, day: `${year}-02-30` }, 400, /YYYY-MM-DD/],
    [as.town, people.hyper, { ...ok, method: 'telepathy' }, 400, /随访方式/],
    [as.town, people.hyper, { ...ok, doctor: '' }, 400, /医生/],
    [as.town, people.hyper, { ...ok, doctor: '医'.repeat(30) }, 400, /最多 20 个汉字/],
    [as.town, people.hyper, { ...ok, note: '家属电话 13812345678' }, 400, /身份证号或手机号/],
    [as.town, people.hyper, { ...ok, extra: 1 }, 400, /extra/],
    [as.town, people.plain, ok, 400, /重点人群/],
    [as.town, people.unsigned, ok, 400, /没有有效的家庭医生签约/],
    [as.town, people.hyper, { ...ok, day: `${year - 1}-11-01` }, 400, /没有有效的家庭医生签约/],
    [as.sec2, people.hyper, ok, 403, null],
    [as.town, 99999999, ok, 403, null],
  ];
  for (const [who, id, body, status, msg] of refusals) {
    const r = await post(who, id, body);
    assert.equal(r.status, status, `${JSON.stringify(body)} → ${JSON.stringify(r.body)}`);
    if (msg) assert.match(r.body.error.message, msg);
  }
  assert.equal(count('health_followups'), rows);
  assert.equal(count('audit'), audits);

  let r = await post(as.town, people.hyper, ok);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.ok(r.body.id > 0);
  assert.equal(r.body.items.length, 1);
  assert.equal(r.body.items[0].team_name, '第一家庭医生团队');
  assert.equal(r.body.items[0].method_name, '门诊随访');
  assert.equal(count('audit'), audits + 1);
  // a telephone call: recorded, but not 面对面 for diabetes
  r = await post(as.town, people.diab, { day: today, method: 'phone', doctor: '李医生' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  if (ended >= 1) {
    r = await post(as.town, people.hyper, { day: `${year}-01-15`, method: 'home', doctor: '王医生' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  r = await as.town(`/api/v1/persons/${people.hyper}/health/followups`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.items.map((f) => f.day), ended >= 1 ? [today, `${year}-01-15`] : [today]);
  assert.ok(r.body.methods.some((m) => m.name === '电话随访'));
  assert.equal((await as.sec2(`/api/v1/persons/${people.hyper}/health/followups`)).status, 404);
});

test('compliance per quarter from the records and the due-visit list', async () => {
  const r = await as.town(`/api/v1/health/followups?unit=${TOWN}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const hyperDone = ended >= 1 ? 2 : 1;
  // hyper: the quarters ended plus the current one (done); diab: the ended ones only
  // hyper, diab and two hypertensive residents without a contract this
  // year, who have nothing due: a follow-up is made only under a contract
  assert.equal(r.body.people, 4);
  assert.equal(r.body.due, (ended + 1) + ended);
  assert.equal(r.body.done, hyperDone);
  assert.equal(r.body.missed, r.body.due - r.body.done);
  assert.equal(r.body.from, `${year}-01-01`);
  const byName = Object.fromEntries(r.body.items.map((p) => [p.name, p]));
  const diab = byName['糖尿病乙'];
  assert.equal(diab.current_done, false);
  assert.equal(diab.done, 0);
  assert.equal(diab.missed, ended);
  assert.equal(diab.groups, '2型糖尿病患者');
  assert.equal(diab.unit_name, '大杨庄村村民委员会'); // a name, never a code
  assert.equal(diab.last, today);
  assert.equal(byName['高血压丁'], undefined);
  const hyper = byName['高血压甲'];
  if (hyper) {
    assert.equal(hyper.current_done, true);
    assert.equal(hyper.missed, ended + 1 - hyperDone);
  } else assert.equal(ended + 1 - hyperDone, 0);
  assert.equal(r.body.listed_total, r.body.items.length);
  // most missed first
  for (let i = 1; i < r.body.items.length; i++) assert.ok(r.body.items[i - 1].missed >= r.body.items[i].missed);
  // scope: a village secretary sees their own village (nobody here), not the township
  assert.equal((await as.sec2(`/api/v1/health/followups?unit=${TOWN}`)).status, 404);
  assert.equal((await as.sec2(`/api/v1/health/followups?unit=${V2}`)).body.people, 0);
  // a past day: before any record, and no quarter of the year ended yet
  const past = await as.town(`/api/v1/health/followups?unit=${TOWN}&on=${year}-01-01`);
  assert.equal(past.status, 200);
  assert.equal(past.body.done, 0);
  assert.equal(past.body.missed, 0); // no quarter of the year has ended yet
  for (const bad of ['on=2026-13-01', `on=${chinaDay(1)}`, 'format=pdf', 'limit=0'])
    assert.equal((await as.town(`/api/v1/health/followups?unit=${TOWN}&${bad}`)).status, 400, bad);
});

test('quarters before a contract began are not due: a contract from the third quarter', async () => {
  // last year, seen on its last day: a contract from 10 July holds in the
  // third and fourth quarters only, so the first and second are not due
  // (nothing could be recorded in them) and never show as missed
  const y = year - 1;
  let r = await send(as.town, 'POST', `/api/v1/persons/${people.late}/health/contracts`,
    { team, start_date: `${y}-07-10`, end_date: `${year}-07-10`, package: 'chronic' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const post = (day) => send(as.town, 'POST', `/api/v1/persons/${people.late}/health/followups`, { day, method: 'home', doctor: '李医生' });
  r = await post(`${y}-05-10`);
  assert.equal(r.status, 400, JSON.stringify(r.body)); // before the contract: refused
  const view = async () => {
    const rep = await as.town(`/api/v1/health/followups?unit=${TOWN}&on=${y}-12-31`);
    assert.equal(rep.status, 200, JSON.stringify(rep.body));
    return rep.body.items.find((p) => p.name === '高血压戊');
  };
  // as of 31 December the fourth quarter is still running: pending, not due
  let late = await view();
  assert.deepEqual([late.due, late.done, late.missed, late.current_done], [1, 0, 1, false]);
  assert.equal((await post(`${y}-08-20`)).status, 201);
  late = await view();
  assert.deepEqual([late.due, late.done, late.missed, late.current_done], [1, 1, 0, false]);
  assert.equal((await post(`${y}-11-15`)).status, 201);
  // all done: off the due-visit list
  assert.equal(await view(), undefined);
  const all = await as.town(`/api/v1/health/followups?unit=${TOWN}&on=${y}-12-31`);
  assert.equal(all.body.missed, 0); // the others signed in December: their quarter still runs
});

test('the due-visit list exports to XLSX', async () => {
  const res = await fetch(`${srv.url}/api/v1/health/followups?unit=${TOWN}&format=xlsx`, { headers: { Authorization: `Bearer ${tokenFor(srv.dataDir, 'town')}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /spreadsheetml/);
  assert.match(res.headers.get('content-disposition'), /followups-411121100-/);
  const buf = Buffer.from(await res.arrayBuffer());
  assert.equal(buf.subarray(0, 2).toString(), 'PK');
  // the same list as the page, by name and village name, never codes; the
  // page's limit does not shorten the file
  const list = await as.town(`/api/v1/health/followups?unit=${TOWN}&limit=1`);
  assert.ok(list.body.listed_total > 1, JSON.stringify(list.body));
  assert.equal(list.body.items.length, 1);
  const one = await fetch(`${srv.url}/api/v1/health/followups?unit=${TOWN}&format=xlsx&limit=1`, { headers: { Authorization: `Bearer ${tokenFor(srv.dataDir, 'town')}` } });
  assert.equal(one.status, 200);
  const rows = rowsOf(Buffer.from(await one.arrayBuffer()));
  assert.deepEqual(rows[0], ['所属村（社区）', '姓名', '重点人群', '本年应随访', '已随访', '逾期未随访', '本季度已随访', '最近随访']);
  assert.equal(rows.length - 1, list.body.listed_total);
  const all = await as.town(`/api/v1/health/followups?unit=${TOWN}`);
  assert.deepEqual(rows.slice(1).map((r) => [r[0], r[1], r[2], Number(r[3]), Number(r[4]), Number(r[5]), r[6], r[7]]),
    all.body.items.map((p) => [p.unit_name, p.name, p.groups, p.due, p.done, p.missed, p.current_done ? '是' : '否', p.last || '本年无']));
  for (const r of rows.slice(1)) assert.doesNotMatch(r.join(' '), /411121|hypertension|diabetes|null|undefined/);
  // bad input is refused in the file's form too, nothing made
  assert.equal((await as.town(`/api/v1/health/followups?unit=${TOWN}&format=xlsx&on=2026-13-01`)).status, 400);
});

test('health.followups.due / done are computed and rolled up', async () => {
  const el = (code, unit) => as.admin(`/api/v1/analytics?expr=${encodeURIComponent(`#{${code}}`)}&unit=${unit}&period=${year}`);
  const rep = await as.admin(`/api/v1/health/followups?unit=411121`);
  for (const [code, key] of [['health.followups.due', 'due'], ['health.followups.done', 'done']]) {
    const r = await el(code, '411121');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.value, rep.body[key], code);
    assert.equal((await el(code, V1)).body.value, rep.body[key], code);
  }
  // a write invalidates: a new follow-up in the current quarter shows at once
  const before = (await el('health.followups.done', '411121')).body.value;
  const r = await send(as.town, 'POST', `/api/v1/persons/${people.diab}/health/followups`, { day: today, method: 'home', doctor: '李医生' });
  assert.equal(r.status, 201);
  assert.equal((await el('health.followups.done', '411121')).body.value, before + 1);
});
