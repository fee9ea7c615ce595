// Grids from a sheet (POST /api/v1/grids/import): an XLSX and a GB18030 CSV
// create grids under villages named inside the import's unit, with their
// grid workers (a registered person by name and ID number) from today;
// sizes are warned about, never refused; a sheet with bad rows (a village
// not found, a town named as a village, a name twice, a worker whose name
// does not match the ID number, an unregistered number) lists every refused
// row and writes nothing; a unit outside one's scope is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, api, addUser, tokenFor, sql, idNumber } from '../lib/server.js';
import { xlsxOf } from '../lib/xlsx.js';

const COUNTY = '411121';
const TOWN = '411121100';
let TOWN2, TOWNNAME, V1, V1NAME, V2NAME;
let srv;
const as = {};
const ids = [idNumber('41112119800601301'), idNumber('41112119800601302'), idNumber('41112119800601303')];

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  const towns = (await srv.api(`/api/v1/units/${COUNTY}/children?limit=100`)).body.items;
  TOWN2 = towns.find((t) => t.code !== TOWN).code;
  TOWNNAME = towns.find((t) => t.code === TOWN).name;
  const vs = (await srv.api(`/api/v1/units/${TOWN}/children?limit=2`)).body.items;
  [V1, V1NAME, V2NAME] = [vs[0].code, vs[0].name, vs[1].name];
  for (const [name, [role, scope]] of Object.entries({ town: ['township_admin', TOWN] })) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
  for (const [i, name] of ['赵小红', '钱小明'].entries()) {
    const r = await srv.api('/api/v1/persons', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name, unit: V1, sex: '女', id_number: ids[i] }) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
});
after(() => srv?.stop());

const gb18030 = (rows) => execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: rows.map((r) => r.join(',')).join('\r\n') + '\r\n' });
const upload = (who, unit, name, body) => who(`/api/v1/grids/import?unit=${unit}&name=${encodeURIComponent(name)}`, { method: 'POST', body });
const count = (t, where = '') => Number(sql(srv.dataDir, `SELECT count(*) FROM ${t} ${where};`).trim());
const grids = () => count('units', "WHERE level = 'grid'");

test('the template is a workbook', async () => {
  const r = await as.town('/api/v1/grids/import/template');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
});

test('bad rows are all listed and nothing is written', async () => {
  const before = [grids(), count('memberships'), count('audit')];
  const r = await upload(as.town, TOWN, '网格.xlsx', xlsxOf([
    ['村（社区）', '网格名称', '网格员', '网格员身份证号'],
    [V1NAME, '第一网格', '赵小红', ids[0]],
    ['没有这个村', '第二网格', '', ''],
    [TOWNNAME, '第三网格', '', ''],
    [V1NAME, '第一网格', '', ''],
    [V1NAME, '第四网格', '钱小明', ids[0]],
    [V1NAME, '第五网格', '孙无名', ids[2]],
    [V1NAME, '', '', ''],
    [V2NAME, '第六网格', '赵小红', ''],
  ]));
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.deepEqual(r.body.row_errors.map((e) => [e.line, e.column]),
    [[3, '村（社区）'], [4, '村（社区）'], [5, '网格名称'], [6, '网格员'], [7, '网格员身份证号'], [8, '网格名称'], [9, '网格员身份证号']]);
  assert.match(r.body.row_errors[0].message, /没有名为“没有这个村”的单位/);
  assert.match(r.body.row_errors[2].message, /第 2 行/);
  assert.match(r.body.row_errors[3].message, /姓名与身份证号登记的姓名不符/);
  assert.ok(!JSON.stringify(r.body).includes(ids[2]), 'no ID number in the answer');
  assert.deepEqual([grids(), count('memberships'), count('audit')], before);
});

test('a unit outside one\'s scope is refused', async () => {
  const r = await upload(as.town, TOWN2, '网格.csv', gb18030([['村（社区）', '网格名称'], [V1NAME, '外乡网格']]));
  assert.equal(r.status, 403);
  assert.equal(grids(), 0);
});

test('XLSX and GB18030 CSV import grids with their workers; sizes only warned', async () => {
  const audits = count('audit');
  let r = await upload(as.town, TOWN, '网格.xlsx', xlsxOf([
    ['村（社区）', '网格名称', '网格员', '网格员身份证号'],
    [V1NAME, '第一网格', '赵小红', ids[0]],
    [V1NAME, '第二网格', '钱小明', ids[1]],
    [V2NAME, '第一网格', '', ''],
  ]));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.grids, 3);
  assert.equal(r.body.workers, 2);
  assert.equal(r.body.warnings.length, 3);
  assert.match(r.body.warnings[0], /户数 0 少于 300 户/);
  r = await upload(as.town, V1, '网格.csv', gb18030([['村（社区）', '网格名称'], [V1NAME, '第三网格']]));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await upload(as.town, V1, '网格.csv', gb18030([['村（社区）', '网格名称'], [V1NAME, '第三网格']]));
  assert.equal(r.status, 409, 'a grid of that name exists');
  assert.equal(grids(), 4);
  assert.equal(count('audit'), audits + 2);
  const list = (await as.town(`/api/v1/grids?unit=${V1}`)).body.items;
  assert.deepEqual(list.map((g) => [g.name, g.workers]), [['第一网格', 1], ['第二网格', 1], ['第三网格', 0]]);
  assert.deepEqual(list.map((g) => g.code), [V1 + '001', V1 + '002', V1 + '003']);
  assert.equal(count('memberships', `WHERE kind = 'grid_worker' AND unit = '${V1}001'`), 1);
});
