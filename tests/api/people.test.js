// Persons, memberships, households and party organisations (app/people.h):
// the contract of issue 14 — the persons list and its count agreeing with
// the computed element party.members, the GB 11643 check, duplicates by
// ID hash — and the rules kept as data: one branch at a time, set-up
// rules (应建尽建), terms (换届), computed elements refusing writes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, jiceng, jicengOk, ROOT, chinaDay, idNumber } from '../lib/server.js';

const COUNTY = '411121';
const TOWN = '411121100';
const V1 = '411121100201';
const V2 = '411121100202';
let srv;
const as = {};

// 17 digits completed with their ISO 7064 MOD 11-2 check character.
let serial = 100;
const nextId = (birth = '19800501') => idNumber(`411121${birth}${String(serial++).padStart(3, '0')}`);

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  const users = { town: ['township_admin', TOWN], sec2: ['village_secretary', V2], observer: ['observer', V1], member: ['party_member', V1] };
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

async function person(unit, extra = {}) {
  const r = await send(as.admin, 'POST', '/api/v1/persons', { name: `人员${serial}`, unit, sex: '男', id_number: nextId(), ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
async function org(unit, body = {}) {
  const r = await send(as.admin, 'POST', '/api/v1/party/orgs', { name: `党支部${serial++}`, type: 'branch', unit, ...body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
const join = (orgId, personId, stage, from = '2020-01-01') =>
  send(as.admin, 'POST', `/api/v1/party/orgs/${orgId}/members`, { person: personId, kind: 'party_member', stage, from });

test('a person is created with sealed numbers and shown masked', async () => {
  const id = nextId('19751231');
  const r = await send(as.admin, 'POST', '/api/v1/persons', { name: '张建国', unit: V1, sex: '男', id_number: id, phone: '138 1234 5678', education: '高中' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.birth_date, '1975-12-31', 'taken from the ID number');
  assert.equal(r.body.id_number, id, 'the administrator has pii:read');
  assert.equal(r.body.unit.name.length > 0, true);
  const seen = await as.observer(`/api/v1/persons/${r.body.id}`);
  assert.equal(seen.status, 200);
  assert.equal(seen.body.id_number, `${id.slice(0, 6)}********${id.slice(14)}`);
  assert.equal(seen.body.phone, '138****5678');
  const [sealed, hash, phone] = sql(srv.dataDir, `SELECT id_sealed, id_hash, phone_sealed FROM persons WHERE id = ${r.body.id};`).trim().split('|');
  assert.ok(sealed.startsWith('v1:') && phone.startsWith('v1:'));
  assert.ok(!(sealed + hash + phone).includes(id.slice(6, 14)));
  assert.equal(hash.length, 64);
  // the audit trail never holds the number
  const audit = sql(srv.dataDir, "SELECT after_json FROM audit WHERE action = 'person.create';");
  assert.match(audit, /张建国/);
  assert.ok(!audit.includes(id) && !audit.includes('13812345678'));
});

test('bad input: GB 11643, birth dates, duplicates — 4xx, nothing written', async () => {
  const before = count('persons');
  const bad = idNumber('41112119800501123').slice(0, 17) + (idNumber('41112119800501123').endsWith('0') ? '1' : '0');
  let r = await send(as.admin, 'POST', '/api/v1/persons', { name: '李四', unit: V1, id_number: bad });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'id_number');
  assert.match(r.body.error.message, /GB 11643/);
  r = await send(as.admin, 'POST', '/api/v1/persons', { name: '李四', unit: V1, id_number: nextId('19800501'), birth_date: '1980-05-02' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'id_number');
  assert.match(r.body.error.message, /出生日期/);
  r = await send(as.admin, 'POST', '/api/v1/persons', { name: '李四', unit: V1, birth_date: chinaDay(2) });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'birth_date');
  r = await send(as.admin, 'POST', '/api/v1/persons', { name: '李四', unit: V1, sex: 'M' });
  assert.equal(r.body.error.field, 'sex');
  r = await send(as.admin, 'POST', '/api/v1/persons', { name: '李四', unit: '411121100299' });
  assert.equal(r.status, 400);
  r = await send(as.sec2, 'POST', '/api/v1/persons', { name: '李四', unit: V1 });
  assert.equal(r.status, 403, 'outside the secretary\'s village');
  assert.equal(count('persons'), before);
  // the same ID number again: 409 naming the existing person, masked
  const id = nextId('19660303');
  const first = await person(V1, { name: '王秀英', id_number: id });
  r = await send(as.admin, 'POST', '/api/v1/persons', { name: '王秀英', unit: V2, id_number: id.toLowerCase() });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.field, 'id_number');
  assert.match(r.body.error.message, /王秀英/);
  assert.ok(r.body.error.message.includes(`${id.slice(0, 6)}********${id.slice(14)}`));
  assert.ok(!r.body.error.message.includes(id));
  assert.equal(count('persons'), before + 1);
  assert.ok(first.id > 0);
});

test('one branch at a time; stages; the list agrees with party.members', async () => {
  const b1 = await org(V1, { term_start: '2021-03-01' });
  assert.equal(b1.term_years, 5, 'a village organisation: 5-year terms from data');
  const b2 = await org(V2);
  const formal = [];
  for (let i = 0; i < 4; i++) {
    const p = await person(V1);
    assert.equal((await join(b1.id, p.id, 'formal')).status, 201);
    formal.push(p);
  }
  const prob = await person(V1);
  assert.equal((await join(b1.id, prob.id, 'probationary', '2025-09-01')).status, 201);
  const act = await person(V1);
  assert.equal((await join(b1.id, act.id, 'activist', '2024-05-01')).status, 201);
  // a member in two branches at once: refused, naming the rule
  const before = count('memberships');
  let r = await join(b2.id, formal[0].id, 'formal', '2024-01-01');
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, /同一时间只能在一个党组织/);
  assert.equal(count('memberships'), before);
  // 转阶段: activist → candidate
  const m = (await as.admin(`/api/v1/party/orgs/${b1.id}`)).body.members.find((x) => x.person === act.id);
  r = await send(as.admin, 'POST', `/api/v1/party/orgs/${b1.id}/members/${m.id}/stage`, { stage: 'candidate', from: '2025-06-01' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.formal_members, 4);
  assert.equal(r.body.members_total, 5);
  // transfer after ending: allowed once the first has ended
  const p2 = await person(V2);
  assert.equal((await join(b2.id, p2.id, 'formal')).status, 201);
  const m2 = (await as.admin(`/api/v1/party/orgs/${b2.id}`)).body.members.find((x) => x.person === p2.id);
  r = await send(as.admin, 'POST', `/api/v1/party/orgs/${b2.id}/members/${m2.id}/end`, { to: '2025-01-01', reason: '组织关系转出' });
  assert.equal(r.status, 200);
  assert.equal((await join(b1.id, p2.id, 'formal', '2025-01-01')).status, 201);

  // the contract list: masked, paged, its count = party.members
  const seen = [];
  let next = null;
  do {
    r = await as.admin(`/api/v1/persons?unit=${V1}&membership=party_member&limit=2${next ? `&after=${next}` : ''}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    for (const p of r.body.items) {
      assert.ok(p.id && p.name && p.unit.code && p.at.code === V1);
      assert.match(p.id_number, /\*{8}/, 'masked even for the administrator');
    }
    seen.push(...r.body.items);
    next = r.body.next;
  } while (next);
  assert.equal(seen.length, 6, '4 formal + 1 probationary + the transferred member');
  const year = chinaDay().slice(0, 4);
  const ana = await as.admin(`/api/v1/analytics?expr=%23%7Bparty.members%7D&unit=${TOWN}&period=${year}&by=children`);
  assert.equal(ana.status, 200, JSON.stringify(ana.body));
  const v1 = ana.body.children.find((x) => x.code === V1);
  assert.equal(v1.value, seen.length);
  const v2 = ana.body.children.find((x) => x.code === V2);
  assert.equal(v2?.value ?? 0, 0, 'ended in V2 before the year closed');
  const county = await as.admin(`/api/v1/analytics?expr=%23%7Bparty.members%7D&unit=${COUNTY}&period=${year}&by=children`);
  assert.equal(county.body.children.find((x) => x.code === TOWN).value, seen.length);
  // monthly too, and other computed elements
  const month = `${year}-${chinaDay().slice(5, 7)}`;
  const m1 = await as.admin(`/api/v1/analytics?expr=coalesce(%23%7Bparty.activists%7D%2C0)%2B%23%7Bparty.probationary%7D&unit=${V1}&period=${month}`);
  assert.equal(m1.status, 200, JSON.stringify(m1.body));
  assert.equal(m1.body.value, 1, 'one probationary, the activist moved on');
  const orgs = await as.admin(`/api/v1/analytics?expr=%23%7Bparty.orgs%7D&unit=${TOWN}&period=${year}`);
  assert.equal(orgs.body.value, 2);
  // in 2019 nobody was a member yet
  const past = await as.admin(`/api/v1/analytics?expr=%23%7Bparty.members%7D&unit=${V1}&period=2019`);
  assert.ok([0, null].includes(past.body.value));
  // computed values cannot be written
  r = await send(as.admin, 'POST', '/api/v1/values', [{ element: 'party.members', unit: V1, period: year, value: 3 }]);
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /不能填报/);
  // a new member invalidates the rollup at once
  const p3 = await person(V1);
  assert.equal((await join(b1.id, p3.id, 'formal')).status, 201);
  const again = await as.admin(`/api/v1/analytics?expr=%23%7Bparty.members%7D&unit=${TOWN}&period=${year}&by=children`);
  assert.equal(again.body.children.find((x) => x.code === V1).value, seen.length + 1);
});

test('应建尽建 and 换届 report from the data rules', async () => {
  const V3 = '411121100203';
  const small = await org(V3, { term_start: '2019-01-01', term_years: 3 });
  const p = await person(V3);
  assert.equal((await join(small.id, p.id, 'formal')).status, 201);
  const r = await as.town(`/api/v1/party/orgs/report?unit=${TOWN}&days=90`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const f = r.body.setup.find((x) => x.org?.id === small.id);
  assert.equal(f.rule, 'branch.formal_min');
  assert.match(f.message, /不足 3 人/);
  const t = r.body.terms.find((x) => x.org.id === small.id);
  assert.equal(t.term_end, '2022-01-01');
  assert.equal(t.overdue, true);
  // the 联合 form satisfies the rule
  const fixed = await send(as.admin, 'PATCH', `/api/v1/party/orgs/${small.id}`, { form: 'joint', term_start: chinaDay() });
  assert.equal(fixed.status, 200);
  const r2 = await as.town(`/api/v1/party/orgs/report?unit=${TOWN}`);
  assert.ok(!r2.body.setup.some((x) => x.org?.id === small.id));
  assert.ok(!r2.body.terms.some((x) => x.org.id === small.id));
  const early = await send(as.admin, 'PATCH', `/api/v1/party/orgs/${small.id}`, { dissolved_on: '1999-12-31' });
  assert.equal(early.status, 400);
  assert.equal(early.body.error.field, 'dissolved_on');
  const bad = await send(as.admin, 'POST', '/api/v1/party/orgs', { name: '错', type: '支部', unit: V3 });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'type');
});

test('households with tags and residents; scope; the member\'s own record', async () => {
  const head = await person(V1, { name: '赵大娘' });
  let r = await send(as.admin, 'POST', '/api/v1/households', { unit: V1, address: '一组 12 号', head: head.id, tags: ['elderly_alone', 'dibao'] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const hh = r.body;
  assert.deepEqual(hh.tags.map((t) => t.name).sort(), ['低保', '独居老人'].sort());
  r = await send(as.admin, 'POST', `/api/v1/households/${hh.id}/members`, { person: head.id, relation: 'head', from: '2000-01-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.members[0].stage_name, '户主');
  r = await send(as.admin, 'POST', '/api/v1/households', { unit: V1, tags: ['富裕'] });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'tags');
  r = await as.admin(`/api/v1/households?unit=${V1}&tag=dibao`);
  assert.deepEqual(r.body.items.map((x) => x.id), [hh.id]);
  // another village's secretary sees none of it
  assert.equal((await as.sec2(`/api/v1/households/${hh.id}`)).status, 404);
  assert.equal((await as.sec2(`/api/v1/persons/${head.id}`)).status, 404);
  assert.equal((await send(as.sec2, 'PATCH', `/api/v1/persons/${head.id}`, { name: '改' })).status, 403);
  // 党员 role: only the own record
  r = await as.member('/api/v1/me/person');
  assert.equal(r.status, 200);
  assert.equal(r.body.person, null);
  assert.equal((await send(as.admin, 'PATCH', `/api/v1/persons/${head.id}`, { account: 'member' })).status, 200);
  r = await as.member('/api/v1/me/person');
  assert.equal(r.status, 200);
  assert.equal(r.body.person.name, '赵大娘');
  assert.equal(r.body.person.memberships[0].kind_name, '户成员');
  assert.equal((await as.member(`/api/v1/persons/${head.id}`)).status, 403);
  assert.equal((await as.member(`/api/v1/persons?unit=${V1}`)).status, 403);
});

test('jiceng import persons: a roster all or nothing, de-duplicated by ID hash', async () => {
  const V4 = '411121100204';
  const branch = await org(V4, { name: '导入测试村党支部' });
  const known = await person(V4, { name: '已登记' });
  const knownId = (await as.admin(`/api/v1/persons/${known.id}`)).body.id_number;
  const fs = await import('node:fs');
  const os = await import('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-'));
  const ids = [nextId('19700101'), nextId('19850612'), nextId('19920304')];
  const rows = [
    '姓名,性别,出生日期,身份证号,党组织,发展阶段,起始日期',
    `刘一,男,1970-01-01,${ids[0]},导入测试村党支部,正式党员,1995/7/1`,
    `陈二,女,,${ids[1]},导入测试村党支部,预备党员,2025-10-01`,
    `已登记,男,,${knownId},导入测试村党支部,入党积极分子,2024-03-01`,
    `周三,男,,${ids[2]},,,`,
  ];
  const good = path.join(dir, 'good.csv');
  fs.writeFileSync(good, rows.join('\n') + '\n');
  // a bad row (an unknown branch) refuses the whole file, naming the row
  const bad = path.join(dir, 'bad.csv');
  fs.writeFileSync(bad, [...rows, `吴四,男,,,没有的党支部,正式党员,2020-01-01`].join('\n') + '\n');
  const before = count('persons');
  const refused = jiceng(['--data', srv.dataDir, 'import', 'persons', bad, '--unit', V4]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /第 6 行/);
  assert.match(refused.stderr, /没有的党支部/);
  assert.equal(count('persons'), before);
  // two rows with one ID number
  const twice = path.join(dir, 'twice.csv');
  fs.writeFileSync(twice, [rows[0], rows[1], rows[1].replace('刘一', '刘二')].join('\n') + '\n');
  const dup = jiceng(['--data', srv.dataDir, 'import', 'persons', twice, '--unit', V4]);
  assert.equal(dup.status, 1);
  assert.match(dup.stderr, /第 3 行.*与第 2 行相同/);
  const out = jicengOk(['--data', srv.dataDir, 'import', 'persons', good, '--unit', V4]);
  assert.match(out, /4 rows read .*: 3 persons added, 1 already registered; 3 memberships added/);
  const again = jicengOk(['--data', srv.dataDir, 'import', 'persons', good, '--unit', V4]);
  assert.match(again, /0 persons added, 4 already registered; 0 memberships added, 3 already present/);
  assert.equal(count('persons'), before + 3);
  const b = (await as.admin(`/api/v1/party/orgs/${branch.id}`)).body;
  assert.equal(b.formal_members, 1);
  assert.equal(b.members_total, 2);
  const liu = b.members.find((m) => m.person_name === '刘一');
  assert.equal(liu.from, '1995-07-01');
  const listed = await as.admin(`/api/v1/persons?unit=${V4}&membership=party_member&stage=activist`);
  assert.deepEqual(listed.body.items.map((p) => p.name), ['已登记']);
});

test('jiceng import persons: branches by "#id", a repeated ID number far down the file', async () => {
  const V5 = '411121100205';
  const branch = await org(V5);
  const fs = await import('node:fs');
  const os = await import('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-'));
  const ids = Array.from({ length: 40 }, () => nextId('19880808'));
  const head = '姓名,身份证号,党组织,发展阶段,起始日期';
  const rows = ids.map((id, i) => `成员${i},${id},#${branch.id},正式党员,2010-01-01`);
  const before = count('persons');
  // row 41 repeats row 8's number: refused, naming both rows, nothing written
  const twice = path.join(dir, 'twice.csv');
  fs.writeFileSync(twice, [head, ...rows, rows[6].replace('成员6', '另一人')].join('\n') + '\n');
  const dup = jiceng(['--data', srv.dataDir, 'import', 'persons', twice, '--unit', V5]);
  assert.equal(dup.status, 1);
  assert.match(dup.stderr, /第 42 行.*与第 8 行相同/);
  // an organisation number that does not exist
  const unknown = path.join(dir, 'unknown.csv');
  fs.writeFileSync(unknown, [head, rows[0], `外人,${nextId('19900101')},#999999,正式党员,2010-01-01`].join('\n') + '\n');
  const refused = jiceng(['--data', srv.dataDir, 'import', 'persons', unknown, '--unit', V5]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /第 3 行.*没有编号为 999999 的党组织/);
  assert.equal(count('persons'), before);
  const good = path.join(dir, 'good.csv');
  fs.writeFileSync(good, [head, ...rows].join('\n') + '\n');
  const out = jicengOk(['--data', srv.dataDir, 'import', 'persons', good, '--unit', V5]);
  assert.match(out, /40 persons added, 0 already registered; 40 memberships added/);
  const b = (await as.admin(`/api/v1/party/orgs/${branch.id}`)).body;
  assert.equal(b.formal_members, 40);
});

test('the roster exports as a workbook, numbers masked', async () => {
  const token = tokenFor(srv.dataDir, 'town');
  const r = await fetch(`${srv.url}/api/v1/persons/export?unit=${TOWN}&membership=party_member`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-disposition'), /persons-411121100\.xlsx/);
  const bytes = Buffer.from(await r.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  const bad = await as.town(`/api/v1/persons/export?unit=${TOWN}&membership=nobody`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'membership');
  assert.equal((await as.town('/api/v1/persons/export?unit=411121101')).status, 404, 'outside the scope');
});
