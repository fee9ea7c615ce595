// 健康服务 sheets and facility edit: 医疗卫生机构 and 家庭医生签约 imported
// from XLSX or GB18030 CSV, all or nothing (every refused row listed,
// nothing written: coordinates outside China, a unit outside the import's
// unit, an unknown type, a resident not registered, a contract overlapping
// the registry's or another row's), one audit record per file; and
// PATCH /api/v1/health/facilities/{id} in and out of the clerk's scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, ROOT, idNumber } from '../lib/server.js';
import { xlsxOf } from '../lib/xlsx.js';

const TOWN = '411121100';
const V1 = '411121100201';
const V2 = '411121100202';
const OTHER = '411121101201';
let srv;
const as = {};

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  const users = { town: ['township_admin', TOWN], sec1: ['village_secretary', V1], sec2: ['village_secretary', V2] };
  for (const [name, [role, scope]] of Object.entries(users)) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
  as.admin = srv.api;
});
after(() => srv?.stop());

const send = (who, method, p, body) => who(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const upload = (who, what, unit, name, body) => who(`/api/v1/health/${what}/import?unit=${unit}&name=${encodeURIComponent(name)}`, { method: 'POST', body });
const count = (t, where = '') => Number(sql(srv.dataDir, `SELECT count(*) FROM ${t}${where};`).trim());
const facilities = async () => (await srv.api(`/api/v1/health/facilities?unit=${TOWN}`)).body.items;
const HEAD = ['机构名称', '机构类型', '所在单位', '纬度', '经度', '坐标系'];

test('templates are workbooks with the headings', async () => {
  for (const what of ['facilities', 'contracts']) {
    const r = await as.town(`/api/v1/health/${what}/import/template`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /spreadsheetml/);
  }
});

test('facilities: a sheet with bad rows lists them all and writes nothing', async () => {
  const bad = xlsxOf([HEAD,
    ['大杨庄村卫生室', '村卫生室', V1, '51.5', '-0.12', ''],
    ['外乡卫生室', '村卫生室', OTHER, '33.4', '113.6', ''],
    ['某诊所', '诊所', V2, '33.4', '113.6', ''],
    ['高庄村卫生室', '村卫生室', V2, '33.4', '113.6', ''],
    ['高庄村卫生室', '村卫生室', V2, '33.41', '113.6', ''],
    ['舞泉镇卫生院', '乡镇卫生院', TOWN, '33.4', '', '']]);
  const r = await upload(srv.api, 'facilities', TOWN, '机构.xlsx', bad);
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.body.row_errors_total, 5, JSON.stringify(r.body));
  assert.deepEqual(r.body.row_errors.map((e) => [e.line, e.column]),
    [[2, '纬度'], [3, '所在单位'], [4, '机构类型'], [6, '机构名称'], [7, '经度']]);
  assert.match(r.body.row_errors[0].message, /不在中国境内/);
  assert.match(r.body.row_errors[1].message, /不在您的管辖范围内/);
  assert.match(r.body.row_errors[3].message, /第 5 行重复/);
  assert.equal(count('health_facilities'), 0);
  assert.equal(count('audit', " WHERE action = 'health.facilities.import'"), 0);
});

test('facilities: a GB18030 CSV imports (unit by name, GCJ-02 converted); an XLSX adds more; a name twice refused', async () => {
  const gb = fs.readFileSync(path.join(ROOT, 'tests/fixtures/health-facilities-gb18030.csv'));
  let r = await upload(as.town, 'facilities', TOWN, '机构.csv', gb);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body, { rows: 2 });
  let list = await facilities();
  const v1 = list.find((f) => f.name === '大杨庄村卫生室');
  assert.equal(v1.unit, V1);
  assert.equal(v1.type, 'village_clinic');
  assert.equal(v1.lat.toFixed(4), '33.4512');
  const v2 = list.find((f) => f.name === '高庄村卫生室');
  assert.ok(Math.abs(v2.lat - 33.43942) > 1e-4 && Math.abs(v2.lat - 33.43942) < 0.01, String(v2.lat));
  assert.equal(count('audit', " WHERE action = 'health.facilities.import'"), 1);
  r = await upload(as.town, 'facilities', TOWN, '机构.xlsx', xlsxOf([HEAD, ['舞泉镇卫生院', '乡镇卫生院', TOWN, '33.44', '113.61', 'WGS-84']]));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal((await facilities()).length, 3);
  r = await upload(as.town, 'facilities', TOWN, '机构.xlsx', xlsxOf([HEAD, ['舞泉镇卫生院', '乡镇卫生院', TOWN, '', '', '']]));
  assert.equal(r.status, 409, JSON.stringify(r.body));
  assert.match(r.body.row_errors[0].message, /已登记/);
  assert.equal((await facilities()).length, 3);
});

test('facilities: a village secretary cannot import into the township', async () => {
  const r = await upload(as.sec1, 'facilities', TOWN, 'x.csv', `${HEAD.join(',')}\n卫生室,村卫生室,${V1},33.4,113.6,\n`);
  assert.equal(r.status, 403, JSON.stringify(r.body));
});

test('PATCH a facility: inside the scope, bad input refused, outside the scope not found', async () => {
  const list = await facilities();
  const v1 = list.find((f) => f.name === '大杨庄村卫生室');
  const audits = count('audit', " WHERE action = 'health.facility.update'");
  let r = await send(as.sec1, 'PATCH', `/api/v1/health/facilities/${v1.id}`, { lat: 51.5, lng: -0.12 });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /不在中国境内/);
  r = await send(as.sec1, 'PATCH', `/api/v1/health/facilities/${v1.id}`, { type: 'spa' });
  assert.equal(r.status, 400);
  r = await send(as.sec1, 'PATCH', `/api/v1/health/facilities/${v1.id}`, { name: '' });
  assert.equal(r.status, 400);
  r = await send(as.sec1, 'PATCH', `/api/v1/health/facilities/${v1.id}`, { color: 'red' });
  assert.equal(r.status, 400);
  assert.equal(count('audit', " WHERE action = 'health.facility.update'"), audits);
  r = await send(as.sec1, 'PATCH', `/api/v1/health/facilities/${v1.id}`, { name: '大杨庄村卫生所', lat: 33.46, lng: 113.62, crs: 'wgs84' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.name, '大杨庄村卫生所');
  assert.equal(r.body.type, 'village_clinic');
  assert.equal(r.body.lat, 33.46);
  const v2 = list.find((f) => f.name === '高庄村卫生室');
  r = await send(as.sec1, 'PATCH', `/api/v1/health/facilities/${v2.id}`, { name: '改名' });
  assert.equal(r.status, 404, JSON.stringify(r.body));
  assert.equal((await facilities()).find((f) => f.id === v2.id).name, '高庄村卫生室');
  r = await send(as.town, 'PATCH', `/api/v1/health/facilities/${v2.id}`, { type: 'community_station' });
  assert.equal(r.status, 200);
  assert.equal(r.body.name, '高庄村卫生室');
  assert.equal(count('audit', " WHERE action = 'health.facility.update'"), audits + 2);
});

// ---- contracts ----

const CHEAD = ['姓名', '身份证号', '签约团队', '开始日期', '结束日期', '服务包'];
const ID1 = '411121196001012014';
const ID2 = '411121196001012022';
let serial = 300;
async function person(name, unit, id = idNumber(`41112119700101${serial++}`)) {
  const r = await send(as.admin, 'POST', '/api/v1/persons', { name, unit, sex: '女', id_number: id });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return { id: r.body.id, number: id };
}
let p3, p4, outside;

test('contracts: setup a team and residents', async () => {
  const f = (await facilities()).find((x) => x.name === '舞泉镇卫生院');
  const r = await send(as.town, 'POST', '/api/v1/health/teams', { facility: f.id, name: '舞泉镇第一团队' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await person('王秀英', V1, ID1);
  await person('李桂兰', V1, ID2);
  p3 = await person('张玉梅', V1);
  p4 = await person('刘淑珍', V2);
  outside = await person('陈凤英', OTHER);
  const c = await send(as.town, 'POST', `/api/v1/persons/${p4.id}/health/contracts`, { team: r.body.id, start_date: '2024-06-01' });
  assert.equal(c.status, 201, JSON.stringify(c.body));
});

test('contracts: bad rows all listed, nothing written', async () => {
  const before = count('health_contracts');
  const unknown = idNumber('41112119990101999');
  const bad = xlsxOf([CHEAD,
    ['张玉梅', p3.number, '舞泉镇第一团队', '2024-01-01', '2025-01-01', '基础包（免费）'],
    ['无名', unknown, '舞泉镇第一团队', '2024-01-01', '', ''],
    ['刘淑珍', p4.number, '舞泉镇第一团队', '2025-01-01', '', ''],
    ['张玉梅', p3.number, '舞泉镇第一团队', '2024-07-01', '2025-07-01', ''],
    ['王秀英', ID1, '舞泉镇第一团队', '2024-01-01', '2024-06-01', ''],
    ['李桂兰', ID2, '不存在的团队', '2024-01-01', '', ''],
    ['陈凤英', outside.number, '舞泉镇第一团队', '2024-01-01', '', ''],
    ['李桂兰', '4111211960', '舞泉镇第一团队', '2024-01-01', '', ''],
    ['王秀英', ID2, '舞泉镇第一团队', '2024-01-01', '', '金卡包']]);
  const r = await upload(as.town, 'contracts', TOWN, '签约.xlsx', bad);
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.deepEqual(r.body.row_errors.map((e) => [e.line, e.column]), [
    [3, '身份证号'], [4, '开始日期'], [5, '开始日期'], [6, '结束日期'], [7, '签约团队'], [8, '身份证号'], [9, '身份证号'], [10, '姓名']]);
  assert.match(r.body.row_errors[0].message, /请先用花名册或住户表导入该居民/);
  assert.match(r.body.row_errors[1].message, /同一时间只能有一份/);
  assert.match(r.body.row_errors[2].message, /与第 2 行的签约期重叠/);
  assert.match(r.body.row_errors[3].message, /至少 365 天/);
  assert.doesNotMatch(JSON.stringify(r.body), new RegExp(p3.number));
  assert.equal(count('health_contracts'), before);
});

test('contracts: a GB18030 CSV and an XLSX import; one audit record each; a secretary only in scope', async () => {
  const gb = fs.readFileSync(path.join(ROOT, 'tests/fixtures/health-contracts-gb18030.csv'));
  let r = await upload(as.town, 'contracts', TOWN, '签约.csv', gb);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body, { rows: 2 });
  const rows = sql(srv.dataDir, "SELECT package || '|' || start_date || '|' || end_date FROM health_contracts ORDER BY id DESC LIMIT 2;").trim().split('\n');
  assert.deepEqual(rows.sort(), ['basic|2024-03-01|2025-03-01', 'elderly|2024-03-01|2025-03-01']);
  assert.equal(count('audit', " WHERE action = 'health.contracts.import'"), 1);
  r = await upload(as.sec1, 'contracts', V1, '签约.xlsx', xlsxOf([CHEAD,
    ['张玉梅', p3.number, '舞泉镇第一团队', '2024-01-01', '2025-01-01', '慢病个性化服务包'],
    ['张玉梅', p3.number, '舞泉镇第一团队', '2025-01-01', '', '']]));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(count('health_contracts', ` WHERE person_id = ${p3.id}`), 2);
  r = await upload(as.sec1, 'contracts', V1, '签约.xlsx', xlsxOf([CHEAD, ['刘淑珍', p4.number, '舞泉镇第一团队', '2030-01-01', '', '']]));
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal((await upload(as.sec1, 'contracts', TOWN, 'x.xlsx', xlsxOf([CHEAD]))).status, 403);
  assert.equal(count('audit', " WHERE action = 'health.contracts.import'"), 2);
});
