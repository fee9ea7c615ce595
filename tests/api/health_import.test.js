// 健康服务 village locations from a sheet (POST /api/v1/health/points/import):
// a GB18030 CSV from Chinese Excel and an XLSX import all rows; a sheet with
// one bad row (outside China, a unit outside the import's unit, a unit twice,
// not a number) lists every refused row and writes nothing; GCJ-02 rows are
// converted; a village secretary cannot import into the township.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, ROOT } from '../lib/server.js';
import { xlsxOf } from '../lib/xlsx.js';

const TOWN = '411121100';
const V1 = '411121100201';
const V2 = '411121100202';
const OTHER = '411121101201';
let srv;
let sec;

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  addUser(srv.dataDir, 'sec', 'village_secretary', V1);
  const token = tokenFor(srv.dataDir, 'sec');
  sec = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
});
after(() => srv?.stop());

const upload = (who, unit, name, body) => who(`/api/v1/health/points/import?unit=${unit}&name=${encodeURIComponent(name)}`, { method: 'POST', body });
// the located villages of the township as "unit|lat|lng" lines, 4 decimals
const points = async () => (await srv.api(`/api/v1/health/circle?unit=${TOWN}`)).body.items
  .filter((v) => v.located).map((v) => [v.unit, Number(v.lat.toFixed(4)), Number(v.lng.toFixed(4))].join('|')).join('\n');
const count = () => Number(sql(srv.dataDir, 'SELECT count(*) FROM health_unit_points;').trim());

test('a sheet with bad rows lists them all and writes nothing', async () => {
  const bad = xlsxOf([['单位代码', '纬度', '经度', '坐标系'],
    [V1, '51.5', '-0.12', ''],
    [OTHER, '33.4', '113.6', ''],
    [V2, '33.4', '113.6', 'WGS-84'],
    [V2, '33.5', '113.6', 'WGS-84'],
    ['411121100203', '北纬33度', '113.6', ''],
    ['411121100204', '33.4', '113.6', 'BD-09']]);
  const r = await upload(srv.api, TOWN, '坐标.xlsx', bad);
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.body.row_errors_total, 5);
  const rows = r.body.row_errors.map((e) => [e.line, e.column]);
  assert.deepEqual(rows, [[2, '纬度'], [3, '单位代码'], [5, '单位代码'], [6, '纬度'], [7, '坐标系']]);
  assert.match(r.body.row_errors[0].message, /不在中国境内/);
  assert.match(r.body.row_errors[1].message, /不在导入的单位之下/);
  assert.match(r.body.row_errors[2].message, /两次/);
  assert.equal(count(), 0);
  assert.equal((await upload(srv.api, TOWN, 'empty.csv', '')).status, 400);
});

test('a GB18030 CSV from Chinese Excel imports; GCJ-02 converted', async () => {
  const gb = fs.readFileSync(path.join(ROOT, 'tests/fixtures/health-points-gb18030.csv'));
  const r = await upload(srv.api, TOWN, 'points.csv', gb);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body, { rows: 2 });
  const [v1, v2] = (await points()).split('\n').map((l) => l.split('|'));
  assert.deepEqual(v1, [V1, '33.4512', '113.612']);
  assert.equal(v2[0], V2);
  assert.ok(Math.abs(Number(v2[1]) - 33.43942) > 1e-4 && Math.abs(Number(v2[1]) - 33.43942) < 0.01, v2[1]);
  const c = await srv.api(`/api/v1/health/circle?unit=${TOWN}`);
  assert.equal(c.body.located, 2);
  const audit = sql(srv.dataDir, "SELECT count(*) FROM audit WHERE action = 'health.points.import';").trim();
  assert.equal(audit, '1');
});

test('an XLSX replaces a location; a village secretary cannot import into the township', async () => {
  const r = await upload(srv.api, V1, '坐标.xlsx', xlsxOf([['单位代码', '纬度', '经度'], [V1, '33.46', '113.62']]));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.match(await points(), new RegExp(`${V1}\\|33\\.46\\|113\\.62`));
  const own = await upload(sec, TOWN, 'x.csv', `单位代码,纬度,经度\n${V1},33.4,113.6\n`);
  assert.equal(own.status, 403, JSON.stringify(own.body));
});
