// `jiceng import KIND FILE --unit CODE` for the sheets that come in over
// HTTP too (cli/cmd_import_sheets.c): a CSV of projects imports with one
// line saying what was added; a file with bad rows prints the first error
// and every refused row, exits 1 and writes nothing; an unknown KIND or a
// unit that does not exist is named; grids print their size warnings.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { freshDataDir, jiceng, jicengOk, sql, tempDir } from '../lib/server.js';
import { xlsxOf } from '../lib/xlsx.js';

const COUNTY = '411121';
const TOWN = '411121100';
let dir, files, V1NAME;

before(() => {
  dir = freshDataDir(['41']);
  files = tempDir('cli-sheets-');
  V1NAME = sql(dir, `SELECT name FROM units WHERE code = '${TOWN}201';`).trim();
});

const count = (t, where = '') => Number(sql(dir, `SELECT count(*) FROM ${t} ${where};`).trim());
const write = (name, body) => {
  const f = path.join(files, name);
  fs.writeFileSync(f, body);
  return f;
};
const csv = (rows) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n';
const HEAD = ['项目名称', '建设地点', '建设规模', '项目性质', '县级包联领导', '责任单位', '总投资（万元）', '开工日期', '计划竣工日期', '年度', '年度计划投资（万元）'];
const project = (name, invest) => [name, '舞泉镇', '', '产业发展', '', '舞泉镇', invest, '2026-01-01', '2027-12-31', '', ''];

test('a CSV of projects imports, one line saying what was added', () => {
  const f = write('台账.csv', csv([HEAD, project('产业园', '1000'), project('污水处理厂', '250.5')]));
  const out = jicengOk(['--data', dir, 'import', 'projects', f, '--unit', COUNTY]);
  assert.equal(out, `jiceng: 2 rows read from ${f}: 2 projects added\n`);
  assert.equal(sql(dir, 'SELECT name FROM projects ORDER BY name;').trim().split('\n').sort().join(','), ['产业园', '污水处理厂'].sort().join(','));
  assert.equal(count('audit', "WHERE action = 'project.import'"), 1);
});

test('a file with bad rows prints every refused row, exits 1 and writes nothing', () => {
  const before = [count('projects'), count('audit')];
  const f = write('bad.xlsx', xlsxOf([HEAD, project('好项目', '100'), project('负投资', '-5'),
    [...project('无此单位', '100').slice(0, 5), '不存在局', ...project('', '100').slice(6)]]));
  const r = jiceng(['--data', dir, 'import', 'projects', f, '--unit', COUNTY]);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /import failed, nothing was imported: 2 行有错/);
  assert.match(r.stderr, /第 3 行“总投资（万元）”/);
  assert.match(r.stderr, /\n {2}第 4 行“责任单位”：没有名为“不存在局”的单位/);
  assert.deepEqual([count('projects'), count('audit')], before);
  // a unit code that does not exist, a missing --unit
  const none = jiceng(['--data', dir, 'import', 'facilities', f, '--unit', '411121999999']);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /没有代码为 411121999999 的单位/);
  assert.equal(jiceng(['--data', dir, 'import', 'grids', f]).status, 2);
});

test('an unknown KIND is a usage error listing every kind', () => {
  const r = jiceng(['--data', dir, 'import', 'cats', 'x.csv', '--unit', COUNTY]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cannot import "cats": say units, elements, values, persons, households, projects, volunteer-teams, facilities, contracts, health-points, inspection-items, inspection-targets, inspection-inspectors or grids/);
  assert.match(jiceng(['help', 'import']).stdout, /KIND FILE.csv\|FILE.xlsx --unit CODE[\s\S]*inspection-items\|inspection-targets\|inspection-inspectors/);
});

test('grids import with their size warnings; the registries too', () => {
  const f = write('网格.csv', csv([['村（社区）', '网格名称'], [V1NAME, '第一网格'], [V1NAME, '第二网格']]));
  const out = jicengOk(['--data', dir, 'import', 'grids', f, '--unit', TOWN]);
  assert.match(out, new RegExp(`^jiceng: 2 rows read from ${f}: 2 grids added, 0 grid workers appointed\n`));
  assert.equal((out.match(/户数 0 少于 300 户/g) || []).length, 2, out);
  assert.equal(count('units', "WHERE level = 'grid'"), 2);
  const again = jiceng(['--data', dir, 'import', 'grids', f, '--unit', TOWN]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /第 2 行“网格名称”/);
  assert.match(again.stderr, /\n {2}第 3 行“网格名称”/);
  assert.equal(count('units', "WHERE level = 'grid'"), 2);
  // a registry, from a workbook
  const t = write('名录.xlsx', xlsxOf([['名称', '类型', '统一社会信用代码', '所属单位'], ['便民超市', '个体工商户', '', ''], ['惠民药店', '个体工商户', '', '']]));
  assert.equal(jicengOk(['--data', dir, 'import', 'inspection-targets', t, '--unit', TOWN]), `jiceng: 2 rows read from ${t}: 2 inspection targets added\n`);
  assert.equal(count('inspection_targets'), 2);
});
