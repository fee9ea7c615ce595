// 双随机 registries from a sheet (POST /api/v1/inspections/items|targets|
// inspectors/import): an XLSX and a GB18030 CSV import all rows; a sheet
// with bad rows (the save's checks, a unit not found by name inside the
// import's unit, a row twice, a row already in the registry) lists every
// refused row and writes nothing; a unit outside one's scope is refused;
// the templates are workbooks; then a plan is drawn over the imported
// registries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, api, addUser, tokenFor, sql } from '../lib/server.js';
import { xlsxOf } from '../lib/xlsx.js';

const COUNTY = '411121';
const TOWN = '411121100';
let TOWN2, V1, V1NAME, TOWNNAME;
let srv;
const as = {};

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  const towns = (await srv.api(`/api/v1/units/${COUNTY}/children?limit=100`)).body.items;
  TOWN2 = towns.find((t) => t.code !== TOWN).code;
  TOWNNAME = towns.find((t) => t.code === TOWN).name;
  const v = (await srv.api(`/api/v1/units/${TOWN}/children?limit=1`)).body.items[0];
  [V1, V1NAME] = [v.code, v.name];
  for (const [name, [role, scope]] of Object.entries({ town: ['township_admin', TOWN], town2: ['township_admin', TOWN2] })) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
  as.admin = srv.api;
});
after(() => srv?.stop());

const gb18030 = (rows) => execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: rows.map((r) => r.join(',')).join('\r\n') + '\r\n' });
const upload = (who, what, unit, name, body) => who(`/api/v1/inspections/${what}/import?unit=${unit}&name=${encodeURIComponent(name)}`, { method: 'POST', body });
const count = (t) => Number(sql(srv.dataDir, `SELECT count(*) FROM ${t};`).trim());
const day = (plus) => new Date(Date.now() + plus * 86400000).toISOString().slice(0, 10);

test('templates are workbooks with the headings', async () => {
  for (const what of ['items', 'targets', 'inspectors']) {
    const r = await as.town(`/api/v1/inspections/${what}/import/template`);
    assert.equal(r.status, 200, what);
    assert.match(r.headers.get('content-type'), /spreadsheetml/);
  }
});

test('bad rows are all listed and nothing is written', async () => {
  const audits = count('audit');
  let r = await upload(as.admin, 'items', COUNTY, '事项.xlsx', xlsxOf([
    ['事项编码', '抽查事项', '法律依据', '抽查比例', '抽查频次', '检查主体'],
    ['food', '食品经营抽查', '《食品安全法》', '5%', '每年一次', '县市场监督管理局'],
    ['BAD CODE', '编码不对', '《食品安全法》', '5%', '每年一次', ''],
    ['food', '重复编码', '《食品安全法》', '5%', '每年一次', ''],
    ['drug', '药品抽查', '', '5%', '每年一次', ''],
    ['fire', '消防抽查', '《消防法》', '200%', '每年一次', ''],
  ]));
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.body.row_errors_total, 4);
  assert.deepEqual(r.body.row_errors.map((e) => [e.line, e.column]), [[3, '事项编码'], [4, '事项编码'], [5, '法律依据'], [6, '抽查比例']]);
  assert.match(r.body.row_errors[1].message, /与第 2 行重复/);
  assert.match(r.body.error.message, /第一处：第 3 行“事项编码”/);
  r = await upload(as.town, 'targets', TOWN, '对象.xlsx', xlsxOf([
    ['名称', '类型', '统一社会信用代码', '所属单位'],
    ['甲超市', '企业', '91411121MA9K00012L', V1NAME],
    ['乙超市', '企业', '91411121MA9K00012X', ''],
    ['丙超市', '', '', ''],
    ['丁超市', '企业', '', '没有这个村'],
    ['戊超市', '企业', '91411121MA9K00012L', ''],
  ]));
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.deepEqual(r.body.row_errors.map((e) => [e.line, e.column]), [[3, '统一社会信用代码'], [4, '类型'], [5, '所属单位'], [6, '统一社会信用代码']]);
  assert.match(r.body.row_errors[2].message, /没有名为“没有这个村”/);
  r = await upload(as.town, 'inspectors', TOWN, '人员.csv', gb18030([['姓名', '执法部门', '所属单位'], ['张三', '', ''], ['李四', '县市场监督管理局', '']]));
  assert.equal(r.status, 400);
  assert.deepEqual(r.body.row_errors.map((e) => [e.line, e.column]), [[2, '执法部门']]);
  r = await upload(as.town, 'inspectors', TOWN, '人员.csv', gb18030([['姓名', '所属单位'], ['张三', '']]));
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /须有“执法部门”一列/);
  assert.deepEqual([count('inspection_items'), count('inspection_targets'), count('inspectors'), count('audit')], [0, 0, 0, audits]);
});

test('a unit outside one\'s scope is refused', async () => {
  const sheet = gb18030([['姓名', '执法部门', '所属单位'], ['王五', '县市场监督管理局', '']]);
  const r = await upload(as.town, 'inspectors', TOWN2, '人员.csv', sheet);
  assert.equal(r.status, 403);
  const r2 = await upload(as.town, 'targets', TOWN, '对象.xlsx', xlsxOf([['名称', '类型', '所属单位'], ['外乡超市', '企业', TOWN2]]));
  assert.equal(r2.status, 403);
  assert.equal(r2.body.row_errors[0].column, '所属单位');
  assert.equal(count('inspectors') + count('inspection_targets'), 0);
});

test('XLSX and GB18030 CSV import; again refused row by row; then a draw works', async () => {
  const audits = count('audit');
  let r = await upload(as.admin, 'items', COUNTY, '事项.xlsx', xlsxOf([
    ['事项编码', '抽查事项', '法律依据', '抽查比例', '抽查频次', '检查主体'],
    ['food', '食品经营抽查', '《食品安全法》', '5%', '每年一次', '县市场监督管理局'],
    ['fire', '消防安全抽查', '《消防法》', '50‰', '每半年一次', ''],
  ]));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body, { rows: 2 });
  const items = (await as.town('/api/v1/inspections/items')).body.items;
  assert.deepEqual(items.map((i) => [i.code, i.ratio_permille]), [['food', 50], ['fire', 50]]);
  const targetRows = [['名称', '类型', '统一社会信用代码', '所属单位']];
  for (let i = 1; i <= 6; i++) targetRows.push([`第${i}超市`, '个体工商户', '', i % 2 ? V1NAME : '']);
  r = await upload(as.town, 'targets', TOWN, '对象.csv', gb18030(targetRows));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.rows, 6);
  const targets = (await as.town(`/api/v1/inspections/targets?unit=${TOWN}`)).body.items;
  assert.equal(targets.length, 6);
  assert.deepEqual(targets.filter((t) => t.unit.code === V1).length, 3);
  assert.equal(targets.find((t) => t.name === '第2超市').unit.name, TOWNNAME);
  r = await upload(as.town, 'inspectors', TOWN, '人员.xlsx', xlsxOf([['姓名', '执法证号', '执法部门', '所属单位'],
    ['张三', '41112100001', '县市场监督管理局', ''], ['李四', '41112100002', '县市场监督管理局', V1NAME], ['王五', '41112100001', '县应急管理局', '']]));
  assert.equal(r.status, 409, JSON.stringify(r.body));
  assert.deepEqual(r.body.row_errors.map((e) => [e.line, e.column]), [[4, '执法证号']]);
  assert.match(r.body.row_errors[0].message, /执法证号 41112100001 与第 2 行重复/);
  r = await upload(as.town, 'inspectors', TOWN, '人员.xlsx', xlsxOf([['姓名', '执法证号', '执法部门', '所属单位'],
    ['张三', '41112100001', '县市场监督管理局', ''], ['李四', '41112100002', '县市场监督管理局', V1NAME], ['王五', '', '县应急管理局', '']]));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const listed = (await as.town(`/api/v1/inspections/inspectors?unit=${TOWN}`)).body.items;
  assert.deepEqual(listed.map((i) => [i.name, i.cert_no, i.unit.code]), [['张三', '41112100001', TOWN], ['李四', '41112100002', V1], ['王五', '', TOWN]]);
  r = await as.town('/api/v1/inspections/inspectors', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: '赵六', department: '县应急管理局', cert_no: '41112100009', unit: TOWN }) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await upload(as.town, 'inspectors', TOWN, '人员.xlsx', xlsxOf([['姓名', '执法证号', '执法部门'], ['赵小六', '41112100009', '县应急管理局']]));
  assert.equal(r.status, 409);
  assert.match(r.body.row_errors[0].message, /执法证号 41112100009 已在执法检查人员名录库中/);
  r = await upload(as.town, 'inspectors', TOWN, '人员.xlsx', xlsxOf([['姓名', '执法部门', '所属单位'], ['张三', '县市场监督管理局', '']]));
  assert.equal(r.status, 409);
  assert.match(r.body.row_errors[0].message, /已在执法检查人员名录库中/);
  assert.equal(count('inspectors'), 4);
  assert.equal(count('audit'), audits + 4, 'one audit record an import (and one for the single create)');
  const acts = sql(srv.dataDir, "SELECT action FROM audit WHERE action LIKE 'inspection.%' ORDER BY seq;").trim().split('\n');
  assert.deepEqual(acts, ['inspection.items_import', 'inspection.targets_import', 'inspection.inspectors_import', 'inspection.inspector_create']);
  r = await as.town('/api/v1/inspections/items');
  const food = r.body.items.find((i) => i.code === 'food').id;
  r = await as.town('/api/v1/inspections/plans', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: '导入后抽查', item: food, unit: TOWN, target_count: 3, per_target: 2, deadline: day(30) }) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await as.town(`/api/v1/inspections/plans/${r.body.id}/draw`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.checks.length, 3);
  for (const c of r.body.checks) assert.equal(c.inspectors.split('、').length, 2);
});
