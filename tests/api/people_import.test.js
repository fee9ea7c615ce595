// Rosters (花名册) and household ledgers (住户表) in and out over the API
// (app/people.h, api/people_io.c): all or nothing, every refused row listed
// with its row and column, de-duplicated by the ID number's keyed hash,
// scope-checked; households out as a workbook or CSV without personal
// numbers; and `jiceng import households` on the command line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, jiceng, jicengOk, idNumber } from '../lib/server.js';
import { xlsxOf, rowsOf } from '../lib/xlsx.js';

const TOWN = '411121100';
const V1 = '411121100201';
const V2 = '411121100202';
const OTHER = '411121101201'; // another township's village
let srv;
const as = {};

// 17 digits completed with their ISO 7064 MOD 11-2 check character.
let serial = 300;
const nextId = (birth = '19800501') => idNumber(`411121${birth}${String(serial++).padStart(3, '0')}`);
const badId = (id) => id.slice(0, 17) + (id.endsWith('0') ? '1' : '0');

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  for (const [name, role, scope] of [['town', 'township_admin', TOWN], ['observer', 'observer', V1]]) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
  as.admin = srv.api;
});
after(() => srv?.stop());

const count = (t) => Number(sql(srv.dataDir, `SELECT count(*) FROM ${t};`).trim());
const upload = (who, p, body) => who(p, { method: 'POST', body });
const csv = (rows) => Buffer.from(rows.map((r) => r.join(',')).join('\n') + '\n');
async function branch(unit, name) {
  const r = await srv.api('/api/v1/party/orgs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name, type: 'branch', unit }) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

const ROSTER = ['姓名', '性别', '出生日期', '身份证号', '党组织', '发展阶段', '起始日期'];

test('a roster imports through the API, de-duplicated by ID hash, counted', async () => {
  await branch(V1, '一村党支部');
  const ids = [nextId('19700101'), nextId('19850612'), nextId('19920304')];
  const rows = [ROSTER,
    ['刘一', '男', '1970-01-01', ids[0], '一村党支部', '正式党员', '1995/7/1'],
    ['陈二', '女', '', ids[1], '一村党支部', '预备党员', '2025-10-01'],
    ['周三', '男', '', ids[2], '', '', '']];
  const r = await upload(as.town, `/api/v1/persons/import?unit=${V1}&name=roster.xlsx`, xlsxOf(rows));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body, { rows: 3, persons_added: 3, persons_existing: 0, memberships_added: 2, memberships_existing: 0 });
  // the same file again: everybody already registered, every membership present
  const again = await upload(as.town, `/api/v1/persons/import?unit=${V1}`, xlsxOf(rows));
  assert.deepEqual(again.body, { rows: 3, persons_added: 0, persons_existing: 3, memberships_added: 0, memberships_existing: 2 });
  const listed = await as.town(`/api/v1/persons?unit=${V1}&membership=party_member`);
  assert.deepEqual(listed.body.items.map((p) => p.name).sort(), ['刘一', '陈二'].sort());
  // the audit trail has the import, never the numbers
  const audit = sql(srv.dataDir, "SELECT after_json FROM audit WHERE action = 'person.import';");
  assert.match(audit, /"persons_added":3/);
  assert.ok(!ids.some((id) => audit.includes(id)));
});

test('every refused row is listed with its row and column; nothing is written', async () => {
  const before = count('persons');
  const beforeMs = count('memberships');
  const good = nextId('19800101');
  const twin = nextId('19800202');
  const rows = [ROSTER,
    ['好人', '男', '', good, '', '', ''],
    ['错号', '男', '', badId(nextId('19750505')), '', '', ''],
    ['甲', '男', '', twin, '', '', ''],
    ['乙', '女', '', twin, '', '', ''],
    ['丙', '未知', '', nextId('19600101'), '', '', ''],
    ['丁', '男', '', nextId('19600102'), '没有的党支部', '正式党员', '2020-01-01'],
    ['', '男', '', nextId('19600103'), '', '', '']];
  const r = await upload(as.town, `/api/v1/persons/import?unit=${V1}&name=bad.csv`, csv(rows));
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.body.row_errors_total, 5);
  assert.deepEqual(r.body.row_errors.map((e) => [e.line, e.column]),
    [[3, '身份证号'], [5, '身份证号'], [6, '性别'], [7, '党组织'], [8, '姓名']]);
  assert.equal(r.body.row_errors[0].field, 'id_number');
  assert.match(r.body.row_errors[0].message, /GB 11643/);
  assert.match(r.body.row_errors[1].message, /与第 4 行相同/);
  assert.match(r.body.row_errors[3].message, /没有的党支部/);
  assert.match(r.body.error.message, /^5 行有错，整个文件未导入；第一处：第 3 行“身份证号”/);
  assert.equal(r.body.error.line, 3);
  assert.equal(count('persons'), before, 'nothing written');
  assert.equal(count('memberships'), beforeMs);
});

test('scope, permission, empty, garbage and oversized files are refused', async () => {
  const rows = xlsxOf([ROSTER, ['某人', '男', '', nextId('19900101'), '', '', '']]);
  const before = count('persons');
  let r = await upload(as.town, `/api/v1/persons/import?unit=${OTHER}`, rows);
  assert.equal(r.status, 403, JSON.stringify(r.body));
  r = await upload(as.observer, `/api/v1/persons/import?unit=${V1}`, rows);
  assert.equal(r.status, 403, 'observers may not write');
  // a row naming a unit outside the one imported to
  r = await upload(as.town, `/api/v1/persons/import?unit=${V1}`, csv([[...ROSTER, '单位代码'], ['某人', '男', '', nextId('19900102'), '', '', '', OTHER]]));
  assert.equal(r.status, 403, JSON.stringify(r.body));
  assert.equal(r.body.row_errors[0].column, '单位代码');
  r = await upload(as.town, `/api/v1/persons/import?unit=${V1}`, Buffer.alloc(0));
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /请上传花名册/);
  r = await upload(as.town, `/api/v1/persons/import?unit=${V1}`, Buffer.from('PK\x03\x04 this is no workbook at all'));
  assert.ok(r.status >= 400 && r.status < 500, JSON.stringify(r.body));
  r = await upload(as.town, `/api/v1/persons/import?unit=${V1}`, Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02, 0x80, 0x81]));
  assert.ok(r.status >= 400 && r.status < 500, JSON.stringify(r.body));
  r = await upload(as.town, `/api/v1/persons/import?unit=${V1}`, csv([['姓名', '工资'], ['某人', '1']]));
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /“工资”不是花名册的列/);
  r = await upload(as.town, `/api/v1/persons/import?unit=${V1}`, Buffer.alloc(9 * 1024 * 1024, 0x41));
  assert.equal(r.status, 413);
  assert.equal(count('persons'), before);
  // the template names the columns and holds one example
  const token = tokenFor(srv.dataDir, 'town');
  const tpl = await fetch(`${srv.url}/api/v1/persons/import/template`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(tpl.status, 200);
  const sheet = rowsOf(Buffer.from(await tpl.arrayBuffer()));
  assert.deepEqual(sheet[0], ['姓名', '性别', '出生日期', '民族', '学历', '身份证号', '手机号', '单位代码', '党组织', '发展阶段', '起始日期']);
  assert.equal(sheet[1][0], '张建国');
});

const HOUSEHOLDS = ['户号', '地址', '户标签', '姓名', '与户主关系', '性别', '身份证号', '入户日期'];

test('households import all or nothing and export again, without personal numbers', async () => {
  const known = nextId('19551010');
  const r0 = await upload(as.town, `/api/v1/persons/import?unit=${V2}`, csv([ROSTER, ['王奶奶', '女', '', known, '', '', '']]));
  assert.equal(r0.status, 200, JSON.stringify(r0.body));
  const ids = [nextId('19700303'), nextId('19720404'), nextId('20100505'), nextId('19650606')];
  const rows = [HOUSEHOLDS,
    ['1', '幸福路 8 号', '低保、退役军人', '赵大', '户主', '男', ids[0], '2010-01-01'],
    ['1', '幸福路 8 号', '', '钱二', '配偶', '女', ids[1], '2010-01-01'],
    ['1', '', '留守儿童', '赵小', '子女', '男', ids[2], ''],
    ['2', '幸福路 9 号', '独居老人', '王奶奶', '户主', '女', known, '2000-01-01'],
    ['3', '幸福路 10 号', '', '孙五', '户主', '男', ids[3], '']];
  // a bad tag, a second head and a bad number: all listed, nothing written
  const before = [count('households'), count('persons'), count('memberships')];
  const bad = [...rows.slice(0, 3), ['1', '', '富裕户', '李四', '户主', '男', nextId('19800808'), ''], ['2', '幸福路 9 号', '', '某', '配偶', '男', badId(nextId('19800909')), '']];
  let r = await upload(as.town, `/api/v1/households/import?unit=${V2}&name=hh.xlsx`, xlsxOf(bad));
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.deepEqual(r.body.row_errors.map((e) => [e.line, e.column]), [[4, '户标签'], [5, '身份证号']]);
  assert.match(r.body.row_errors[0].message, /没有户标签“富裕户”（可填：低保、/);
  const twoHeads = [...rows.slice(0, 2), ['1', '', '', '李四', '户主', '男', nextId('19800808'), '']];
  r = await upload(as.town, `/api/v1/households/import?unit=${V2}`, xlsxOf(twoHeads));
  assert.equal(r.status, 400);
  assert.deepEqual(r.body.row_errors.map((e) => [e.line, e.column]), [[3, '与户主关系']]);
  assert.match(r.body.row_errors[0].message, /一户只能有一位户主（第 2 行已是）/);
  assert.deepEqual([count('households'), count('persons'), count('memberships')], before);

  r = await upload(as.town, `/api/v1/households/import?unit=${V2}&name=hh.xlsx`, xlsxOf(rows));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body, { rows: 5, households_added: 3, households_existing: 0, persons_added: 4, persons_existing: 1, members_added: 5, members_existing: 0 });
  // again: found by unit and address, nobody added twice
  r = await upload(as.town, `/api/v1/households/import?unit=${V2}`, xlsxOf(rows));
  assert.deepEqual(r.body, { rows: 5, households_added: 0, households_existing: 3, persons_added: 0, persons_existing: 5, members_added: 0, members_existing: 5 });

  const list = await as.town(`/api/v1/households?unit=${V2}`);
  const h1 = list.body.items.find((h) => h.address === '幸福路 8 号');
  assert.equal(h1.head.name, '赵大');
  const one = await as.town(`/api/v1/households/${h1.id}`);
  assert.deepEqual(one.body.tags.map((t) => t.name).sort(), ['低保', '退役军人', '留守儿童'].sort());
  assert.deepEqual(one.body.members.map((m) => [m.person_name, m.stage_name]).sort(), [['赵大', '户主'], ['钱二', '配偶'], ['赵小', '子女']].sort());

  // out: a workbook and a CSV with the households as imported
  const token = tokenFor(srv.dataDir, 'town');
  const x = await fetch(`${srv.url}/api/v1/households/export?unit=${V2}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-disposition'), /households-411121100202\.xlsx/);
  const sheet = rowsOf(Buffer.from(await x.arrayBuffer()));
  assert.deepEqual(sheet[0], ['户编号', '单位代码', '单位名称', '地址', '户主', '户成员', '人数', '户标签']);
  const row = sheet.find((s) => s[3] === '幸福路 8 号');
  assert.equal(row[1], V2);
  assert.equal(row[4], '赵大');
  assert.match(row[5], /赵大（户主）/);
  assert.match(row[5], /赵小（子女）/);
  assert.equal(String(row[6]), '3');
  assert.match(row[7], /低保/);
  const c = await fetch(`${srv.url}/api/v1/households/export?unit=${V2}&format=csv&tag=elderly_alone`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(c.status, 200);
  const text = await c.text();
  assert.match(text, /"幸福路 9 号","王奶奶","王奶奶（户主）","1","独居老人"/);
  assert.ok(!text.includes('幸福路 8 号'), 'only the tag asked for');
  const everything = sheet.flat().join(' ') + text;
  assert.ok(![...ids, known].some((id) => everything.includes(id) || everything.includes(id.slice(6, 14))), 'no ID numbers');
  // out of scope: the router refuses
  assert.equal((await as.town(`/api/v1/households/export?unit=${OTHER}`)).status, 404);
  assert.equal((await upload(as.town, `/api/v1/households/import?unit=${OTHER}`, xlsxOf(rows))).status, 403);
});

test('jiceng import households on the command line', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'households-'));
  const file = path.join(dir, 'hh.csv');
  const V3 = '411121100203';
  fs.writeFileSync(file, csv([['地址', '户标签', '姓名', '与户主关系', '身份证号'],
    ['和平街 1 号', '残疾', '吴一', '户主', nextId('19600707')],
    ['和平街 1 号', '', '吴二', '子女', nextId('19900707')]]));
  const out = jicengOk(['--data', srv.dataDir, 'import', 'households', file, '--unit', V3]);
  assert.match(out, /2 rows read .*: 1 households added, 0 already registered; 2 persons added/);
  const badFile = path.join(dir, 'bad.csv');
  fs.writeFileSync(badFile, csv([['地址', '户标签', '姓名', '与户主关系', '身份证号'],
    ['和平街 2 号', '富裕户', '郑一', '户主', nextId('19600808')],
    ['和平街 2 号', '', '郑二', '表亲', nextId('19900808')]]));
  const refused = jiceng(['--data', srv.dataDir, 'import', 'households', badFile, '--unit', V3]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /2 行有错.*第 2 行“户标签”/);
  assert.match(refused.stderr, /第 3 行“与户主关系”：与户主关系须为户主、配偶/);
  const tpl = await fetch(`${srv.url}/api/v1/households/import/template`, { headers: { Authorization: `Bearer ${srv.token}` } });
  assert.deepEqual(rowsOf(Buffer.from(await tpl.arrayBuffer()))[0], ['户号', '地址', '单位代码', '户标签', '姓名', '与户主关系', '性别', '出生日期', '民族', '学历', '身份证号', '手机号', '入户日期']);
});
