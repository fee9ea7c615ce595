// Data elements, values, indicators and rollups: validation, all-or-nothing
// writes within one's scope, ledgers (GB18030 CSV, XLSX), and analytics
// checked against figures computed by hand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, api, jiceng, jicengOk, addUser, tokenFor, ROOT } from '../lib/server.js';

let srv;
let town; // bearer fetch as the 舞泉镇 township administrator
const V = (n) => `4111211002${String(n).padStart(2, '0')}`; // villages 411121100201…
const fixture = (f) => path.join(ROOT, 'tests/fixtures', f);
const DEFINITIONS = path.join(ROOT, 'data/definitions.json');
const shipped = JSON.parse(fs.readFileSync(DEFINITIONS, 'utf8'));
const nshipped = shipped.elements.length + shipped.indicators.length + shipped.rules.length;

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  const out = jicengOk(['--data', srv.dataDir, 'import', 'elements', DEFINITIONS]);
  assert.match(out, new RegExp(`${nshipped} added, 0 already present`));
  addUser(srv.dataDir, 'wqdata', 'township_admin', '411121100');
  const token = tokenFor(srv.dataDir, 'wqdata');
  town = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
});
after(() => srv?.stop());

const post = (fetcher, p, body) =>
  fetcher(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const values = (items) => post(town, '/api/v1/values', items);
const analytics = (q) => srv.api('/api/v1/analytics?' + new URLSearchParams(q));

test('the definitions file is loaded once; elements are validated', async () => {
  assert.match(jicengOk(['--data', srv.dataDir, 'import', 'elements', DEFINITIONS]),
    new RegExp(`0 added, ${nshipped} already present`));
  const list = (await srv.api('/api/v1/elements')).body.items;
  assert.equal(list.length, shipped.elements.length);
  // A file with one bad entry adds nothing, not even the good ones before it.
  const badFile = path.join(srv.dataDir, 'bad-definitions.json');
  fs.writeFileSync(badFile, JSON.stringify({
    elements: [{ code: 'new.ok', name: '好的', value_type: 'number', aggregation: 'sum', period_type: 'week' },
      { code: 'new.bad', name: '坏的', value_type: 'number', aggregation: 'sum', period_type: 'decade' }],
    indicators: [],
  }));
  const refused = jiceng(['--data', srv.dataDir, 'import', 'elements', badFile]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /elements 第 2 项：period_type 须为 year, quarter, month 或 week/);
  assert.equal((await srv.api('/api/v1/elements')).body.items.length, shipped.elements.length);
  fs.writeFileSync(badFile, JSON.stringify({ elements: [], indicators: [{ code: 'new.i', name: '指标', formula: '#{nowhere} * 2' }] }));
  assert.match(jiceng(['--data', srv.dataDir, 'import', 'elements', badFile]).stderr, /不存在的数据元 nowhere/);
  const toilet = list.find((e) => e.code === 'toilet.sanitary');
  assert.equal(toilet.name, '卫生厕所户数');
  assert.deepEqual(toilet.levels, ['village']);
  const ok = await post(srv.api, '/api/v1/elements', {
    code: 'roads.km', name: '硬化道路里程', measure: '公里', value_type: 'number', aggregation: 'sum', period_type: 'year',
  });
  assert.equal(ok.status, 201);
  const bad = [
    [{ code: 'roads.km', name: 'x', value_type: 'number', aggregation: 'sum', period_type: 'year' }, 409, 'code'],
    [{ code: 'bad code', name: 'x', value_type: 'number', aggregation: 'sum', period_type: 'year' }, 400, 'code'],
    [{ code: 'e1', name: 'x', value_type: 'text', aggregation: 'sum', period_type: 'year' }, 400, 'value_type'],
    [{ code: 'e2', name: 'x', value_type: 'number', aggregation: 'max', period_type: 'year' }, 400, 'aggregation'],
    [{ code: 'e3', name: 'x', value_type: 'number', aggregation: 'sum', period_type: 'decade' }, 400, 'period_type'],
    [{ code: 'e4', name: 'x', value_type: 'number', aggregation: 'sum', period_type: 'year', levels: ['hamlet'] }, 400, 'levels'],
    [{ code: 'e5', name: 'x', value_type: 'number', aggregation: 'sum', period_type: 'year', colour: 'red' }, 400, 'colour'],
    [{ code: 'e6', name: 'x', value_type: 'number', aggregation: 'sum', period_type: 'year', min: 5, max: 1 }, 400, 'min'],
  ];
  for (const [body, status, field] of bad) {
    const r = await post(srv.api, '/api/v1/elements', body);
    assert.equal(r.status, status, JSON.stringify(r.body));
    assert.equal(r.body.error.field, field, JSON.stringify(r.body));
  }
  // Defining needs data:define: a township administrator may enter data, not define it.
  assert.equal((await post(town, '/api/v1/elements', { code: 'x1', name: 'x', value_type: 'number', aggregation: 'sum', period_type: 'year' })).status, 403);
});

test('values: checked, all or nothing, only inside one\'s scope', async () => {
  const good = [
    { element: 'households', unit: V(1), period: '2023', value: 100 },
    { element: 'toilet.sanitary', unit: V(1), period: '2023', value: 90 },
  ];
  const cases = [
    [{ element: 'households', unit: '411121101201', period: '2023', value: 5 }, 403], // 吴城镇: another township
    [{ element: 'households', unit: V(2), period: '2023', value: 10.5 }, 400], // integer
    [{ element: 'satisfaction', unit: V(2), period: '2023Q1', value: 101 }, 400], // percentage
    [{ element: 'households', unit: V(2), period: '2023Q1', value: 10 }, 400], // yearly element
    [{ element: 'households', unit: '411121100', period: '2023', value: 10 }, 400], // village level only
    [{ element: 'nope', unit: V(2), period: '2023', value: 1 }, 400],
    [{ element: 'households', unit: V(2), period: '23', value: 1 }, 400],
    [{ element: 'branch.standardised', unit: V(2), period: '2023', value: 2 }, 400], // yes/no
    [{ element: 'households', unit: V(2), period: '2023', value: '12' }, 400],
  ];
  for (const [bad, status] of cases) {
    const r = await values([...good, bad]);
    assert.equal(r.status, status, `${JSON.stringify(bad)} → ${JSON.stringify(r.body)}`);
    assert.match(r.body.error.message, /^第 3 项：/);
    assert.equal(r.body.error.item, 3);
  }
  assert.equal((await town('/api/v1/values?element=households')).body.items.length, 0, 'nothing was written');
  const r = await values(good);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { received: 2, changed: 2, warnings: [] });
  assert.deepEqual((await values(good)).body, { received: 2, changed: 0, warnings: [] }, 'the same values again change nothing');
  const listed = (await town('/api/v1/values?element=households&period=2023')).body.items;
  assert.deepEqual(listed.map((v) => [v.unit, v.value, v.updated_by]), [[V(1), 100, 'wqdata']]);
  assert.equal(listed[0].unit_name, '大杨庄村村民委员会');
  // Reads outside the scope do not exist.
  assert.equal((await town('/api/v1/values?unit=411121')).status, 404);
  assert.equal((await town('/api/v1/analytics?expr=%23%7Bhouseholds%7D&unit=411121&period=2023')).status, 404);
});

test('rollups: a rate is Σnumerator / Σdenominator, checked by hand', async () => {
  await values([
    { element: 'households', unit: V(2), period: '2023', value: 200 },
    { element: 'toilet.sanitary', unit: V(2), period: '2023', value: 150 },
    { element: 'households', unit: V(3), period: '2023', value: 300 },
    { element: 'toilet.sanitary', unit: V(3), period: '2023', value: 300 },
  ]);
  // 舞泉镇: (90 + 150 + 300) / (100 + 200 + 300) = 540 / 600 = 90 % (the mean of the rates would be 88.3 %)
  const r = await analytics({ expr: '#{toilet.sanitary} / #{households} * 100', unit: '411121100', period: '2023', by: 'children' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.value, 90);
  assert.deepEqual(r.body.unit, { code: '411121100', name: '舞泉镇' });
  assert.equal(r.body.children.length, 14);
  assert.deepEqual([r.body.children[0].level, r.body.children[0].child_count], ['village', 0]);
  assert.deepEqual(r.body.children.slice(0, 3).map((c) => c.value), [90, 75, 100]);
  assert.ok(r.body.children.slice(3).every((c) => c.value === null), 'no data is null, not 0');
  // The same figure for the county and the province; the named indicator gives it too.
  assert.equal((await analytics({ expr: '#{toilet.sanitary}/#{households}*100', unit: '411121', period: '2023' })).body.value, 90);
  assert.equal((await analytics({ indicator: 'toilet.rate', unit: '41', period: '2023' })).body.value, 90);
  assert.equal((await analytics({ expr: '#{households}', unit: '41', period: '2023' })).body.value, 600);
  // Ranking of villages within the county.
  const ranked = await analytics({ expr: '#{toilet.sanitary}/#{households}*100', unit: '411121', period: '2023', by: 'level', level: 'village', sort: 'desc', limit: 3 });
  assert.deepEqual(ranked.body.units.map((u) => [u.code, u.value]), [[V(3), 100], [V(1), 90], [V(2), 75]]);
  // Division by zero and missing data are null, never an error or Infinity.
  assert.equal((await analytics({ expr: '#{households} / 0', unit: '411121100', period: '2023' })).body.value, null);
  assert.equal((await analytics({ expr: '#{volunteers}', unit: '411121100', period: '2023' })).body.value, null);
  assert.equal((await analytics({ expr: 'coalesce(#{volunteers}, 0)', unit: '411121100', period: '2023' })).body.value, 0);
});

test('rollups: averages and finer periods inside a year', async () => {
  await values([
    { element: 'satisfaction', unit: V(1), period: '2023Q1', value: 80 },
    { element: 'satisfaction', unit: V(2), period: '2023Q1', value: 90 },
    { element: 'satisfaction', unit: V(1), period: '2023Q2', value: 100 },
    { element: 'requests.received', unit: V(1), period: '2023-01', value: 4 },
    { element: 'requests.received', unit: V(1), period: '2023-02', value: 6 },
    { element: 'requests.received', unit: V(2), period: '2023-07', value: 10 },
    { element: 'requests.resolved', unit: V(1), period: '2023-01', value: 4 },
    { element: 'requests.resolved', unit: V(2), period: '2023-07', value: 5 },
  ]);
  const v = async (expr, period, unit = '411121100') => (await analytics({ expr, unit, period })).body.value;
  assert.equal(await v('#{satisfaction}', '2023Q1'), 85); // (80 + 90) / 2
  assert.equal(await v('#{satisfaction}', '2023'), 90); // (80 + 90 + 100) / 3
  assert.equal(await v('#{requests.received}', '2023'), 20);
  assert.equal(await v('#{requests.received}', '2023Q1'), 10);
  assert.equal(await v('#{requests.received}', '2023-07'), 10);
  assert.equal(await v('#{requests.resolved} / #{requests.received} * 100', '2023'), 45); // 9 / 20
  const coarse = await analytics({ expr: '#{households}', unit: '411121100', period: '2023Q1' });
  assert.equal(coarse.status, 400);
  assert.match(coarse.body.error.message, /按年填报的数据不能按季度查询/);
});

test('count_true: how many villages meet a yes/no formula', async () => {
  await values([
    { element: 'income.collective', unit: V(1), period: '2023', value: 60 },
    { element: 'income.collective', unit: V(2), period: '2023', value: 40 },
    { element: 'income.collective', unit: V(3), period: '2023', value: 55 },
  ]);
  const r = await analytics({ expr: '#{income.collective} >= 50', unit: '411121100', period: '2023', agg: 'count_true', level: 'village' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.value, 2);
  assert.equal(r.body.of, 14);
  const notBool = await analytics({ expr: '#{income.collective}', unit: '411121100', period: '2023', agg: 'count_true', level: 'village' });
  assert.equal(notBool.status, 400);
});

test('formulas and indicators: errors point at the position', async () => {
  const r = await analytics({ expr: '#{households} * (2 +', unit: '411121100', period: '2023' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'expr');
  assert.ok(r.body.error.message.length > 0);
  const unknown = await analytics({ expr: '#{no.such}', unit: '411121100', period: '2023' });
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.error.message, /no\.such/);
  for (const q of [{ unit: '411121100', period: '2023' }, { expr: '1', unit: '411121100' }, { expr: '1', unit: '411121100', period: '2023', by: 'parents' }, { expr: '1', unit: '411121100', period: '2023', format: 'pdf' }])
    assert.equal((await analytics(q)).status, 400, JSON.stringify(q));
  const ind = await post(srv.api, '/api/v1/indicators', { code: 'bad.ind', name: '坏指标', formula: '#{households} / #{missing.el}' });
  assert.equal(ind.status, 400);
  assert.equal(ind.body.error.field, 'formula');
  const good = await post(srv.api, '/api/v1/indicators', { code: 'households.k', name: '千户', formula: '#{households} / 1000', decimals: 2 });
  assert.equal(good.status, 201);
  assert.ok((await srv.api('/api/v1/indicators')).body.items.some((i) => i.code === 'households.k'));
});

test('ledgers: a GB18030 CSV from Chinese Excel imports; a half-bad one changes nothing', async () => {
  const gb = fs.readFileSync(fixture('ledger-wuquan-gb18030.csv'));
  const r = await town('/api/v1/values/import?period=2024', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: gb });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body, { received: 7, changed: 7, warnings: [] });
  assert.equal((await analytics({ expr: '#{households}', unit: '411121100', period: '2024' })).body.value, 412 + 1030 + 356);
  assert.equal((await analytics({ expr: '#{income.collective}', unit: '411121100', period: '2024' })).body.value, 110.5);

  const bad = await town('/api/v1/values/import?period=2025&name=bad.csv', { method: 'POST', body: fs.readFileSync(fixture('ledger-bad-number.csv')) });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.line, 3);
  assert.match(bad.body.error.message, /第 3 行 C 列/);
  assert.equal((await analytics({ expr: '#{households}', unit: '411121100', period: '2025' })).body.value, null);

  // An XLSX ledger as Excel writes it, headed by element names, with 是/否 cells.
  const xlsx = await town('/api/v1/values/import?period=2024&name=' + encodeURIComponent('舞泉镇台账.xlsx'), {
    method: 'POST', headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    body: fs.readFileSync(fixture('ledger-wuquan.xlsx')),
  });
  assert.equal(xlsx.status, 200, JSON.stringify(xlsx.body));
  assert.deepEqual(xlsx.body, { received: 6, changed: 6, warnings: [] });
  assert.equal((await analytics({ expr: '#{branch.standardised}', unit: '411121100', period: '2024' })).body.value, 1);
  assert.equal((await analytics({ expr: '#{toilet.sanitary}', unit: '411121100', period: '2024' })).body.value, 398 + 1000 + 400 + 361);
  const broken = await town('/api/v1/values/import?period=2024&name=x.xlsx', { method: 'POST', body: Buffer.from('PK\x03\x04 not really a zip') });
  assert.equal(broken.status, 400);

  // A ledger naming a village of another township is refused as a whole.
  const other = Buffer.from('单位代码,户数\n411121100201,5\n411121101201,5\n');
  const o = await town('/api/v1/values/import?period=2025', { method: 'POST', body: other });
  assert.equal(o.status, 403);
  assert.equal(o.body.error.line, 3);
  assert.equal((await analytics({ expr: '#{households}', unit: '411121100', period: '2025' })).body.value, null);
  // Unknown unit codes and unknown columns are named with their row and column.
  const unknown = await town('/api/v1/values/import?period=2025', { method: 'POST', body: Buffer.from('单位代码,户数\n411121100201,5\n411121100999,5\n') });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.line, 3);
  assert.match(unknown.body.error.message, /411121100999/);
  const column = await town('/api/v1/values/import?period=2025', { method: 'POST', body: Buffer.from('单位代码,户数,鸡蛋产量\n411121100201,5,7\n') });
  assert.equal(column.status, 400);
  assert.match(column.body.error.message, /第 1 行 C 列/);
  assert.equal((await analytics({ expr: '#{households}', unit: '411121100', period: '2025' })).body.value, null);
  // The same through the command line (acting for the operator).
  const cli = jiceng(['--data', srv.dataDir, 'import', 'values', fixture('ledger-bad-number.csv'), '--period', '2025']);
  assert.equal(cli.status, 1);
  assert.match(cli.stderr, /ledger-bad-number\.csv:3/);
});

test('exports: CSV and XLSX of the children', async () => {
  const q = { indicator: 'toilet.rate', unit: '411121100', period: '2023', by: 'children', sort: 'desc' };
  const csv = await analytics({ ...q, format: 'csv' });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  const lines = csv.body.replace(/^\ufeff/, '').trim().split('\n');
  assert.equal(lines[0], '单位代码,单位名称,"卫生厕所普及率"');
  assert.equal(lines.length, 16);
  assert.equal(lines[1], '411121100,"舞泉镇",90', 'the unit\'s own total first');
  assert.equal(lines[2], `${V(3)},"双庙村村民委员会",100`);
  const res = await fetch(srv.url + '/api/v1/analytics?' + new URLSearchParams({ ...q, format: 'xlsx' }), { headers: { Authorization: `Bearer ${srv.token}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /spreadsheetml/);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
});

test('every write is audited with before and after', async () => {
  const audit = (await srv.api('/api/v1/audit?limit=200')).body.items.filter((r) => r.action === 'values.write');
  assert.ok(audit.length >= 5);
  const first = audit[audit.length - 1];
  assert.equal(first.user, 'wqdata');
  assert.deepEqual(first.after[0], ['households', V(1), '2023', 100]);
  assert.deepEqual(first.before[0], ['households', V(1), '2023', null]);
  assert.equal(jiceng(['--data', srv.dataDir, 'audit', 'verify']).status, 0);
});
