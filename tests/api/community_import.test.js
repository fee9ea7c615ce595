// Community ledgers in from Excel (issue 17): the key-project register
// (POST /api/v1/projects/import) and volunteer teams with their members
// (POST /api/v1/volunteers/teams/import). An XLSX and a GB18030 CSV from
// Chinese Excel import all rows with one audit record; units are named by
// name (or code) inside the import's unit, an ambiguous name refused; a row
// is refused for exactly what the create endpoints refuse, every refused
// row listed and nothing written; a person not in the registry is refused
// with the advice to import them in 花名册 first; out of scope: 403.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, ROOT, idNumber } from '../lib/server.js';
import { xlsxOf, rowsOf } from '../lib/xlsx.js';

const COUNTY = '411121';
const TOWN = '411121100'; // 舞泉镇
const V1 = '411121100201'; // 大杨庄村村民委员会
const TOWN2 = '411121101'; // 吴城镇
const ID1 = '411121198002021018'; // in the GB18030 fixture
const ID2 = '411121198002021026';
const ID3 = idNumber('41112119800202103');
const ID_OTHER = idNumber('41112119800202104'); // lives in 吴城镇
const ID_NONE = idNumber('41112119800202105'); // not registered
let srv;
const as = {};
const ids = {};

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  for (const [name, [role, scope]] of Object.entries({ town: ['township_admin', TOWN], town2: ['township_admin', TOWN2] })) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
  as.admin = srv.api;
  for (const [name, id, unit] of [['郭文静', ID1, V1], ['郭文秀', ID2, V1], ['李县长', ID3, COUNTY], ['吴其他', ID_OTHER, TOWN2]]) {
    const r = await as.admin('/api/v1/persons', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name, unit, id_number: id }) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids[name] = r.body.id;
  }
});
after(() => srv?.stop());

const count = (t) => Number(sql(srv.dataDir, `SELECT count(*) FROM ${t};`).trim());
const audits = (action) => Number(sql(srv.dataDir, `SELECT count(*) FROM audit WHERE action = '${action}';`).trim());
const upload = (who, route, unit, name, body) => who(`${route}?unit=${unit}&name=${encodeURIComponent(name)}`, { method: 'POST', body });
const PROJECTS = '/api/v1/projects/import';
const TEAMS = '/api/v1/volunteers/teams/import';
const HEAD = ['项目名称', '建设地点', '建设规模', '项目性质', '县级包联领导', '责任单位', '总投资（万元）', '开工日期', '计划竣工日期', '年度', '年度计划投资（万元）'];

test('projects: a sheet with bad rows lists every one and writes nothing', async () => {
  const bad = xlsxOf([HEAD,
    ['好项目', '舞泉镇', '', '产业发展', '李县长', '舞泉镇', '1000', '2026-01-01', '2027-12-31', '', ''],
    ['负投资', '舞泉镇', '', '产业发展', '', '舞泉镇', '-5', '2026-01-01', '2027-12-31', '', ''],
    ['太大', '舞泉镇', '', '产业发展', '', '舞泉镇', '20000000', '2026-01-01', '2027-12-31', '', ''],
    ['无此单位', '舞泉镇', '', '产业发展', '', '不存在局', '100', '2026-01-01', '2027-12-31', '', ''],
    ['重名村', '乔庄村村民委员会', '', '产业发展', '', '舞阳县', '100', '2026-01-01', '2027-12-31', '', ''],
    ['怪性质', '舞泉镇', '', '娱乐', '', '舞泉镇', '100', '2026-01-01', '2027-12-31', '', ''],
    ['日期倒', '舞泉镇', '', '产业发展', '', '舞泉镇', '100', '2027-01-01', '2026-12-31', '', ''],
    ['计划超', '舞泉镇', '', '产业发展', '', '舞泉镇', '100', '2026-01-01', '2027-12-31', '2026', '200'],
    ['无领导', '舞泉镇', '', '产业发展', '王不在', '舞泉镇', '100', '2026-01-01', '2027-12-31', '', ''],
    ['好项目', '舞泉镇', '', '产业发展', '', '舞泉镇', '100', '2026-01-01', '2027-12-31', '', '']]);
  const r = await upload(as.admin, PROJECTS, COUNTY, '台账.xlsx', bad);
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.deepEqual(r.body.row_errors.map((e) => [e.line, e.column]), [[3, '总投资（万元）'], [4, '总投资（万元）'], [5, '责任单位'],
    [6, '建设地点'], [7, '项目性质'], [8, '计划竣工日期'], [9, '年度计划投资（万元）'], [10, '县级包联领导'], [11, '项目名称']]);
  const msg = Object.fromEntries(r.body.row_errors.map((e) => [e.line, e.message]));
  assert.match(msg[3], /大于 0/);
  assert.match(msg[4], /1,000 亿元/);
  assert.match(msg[5], /没有名为“不存在局”的单位/);
  assert.match(msg[6], /有 2 个单位名为“乔庄村村民委员会”.*上级单位/);
  assert.match(msg[7], /产业发展/);
  assert.match(msg[9], /不能超过总投资/);
  assert.match(msg[10], /花名册/);
  assert.match(msg[11], /第 2 行重复/);
  assert.match(r.body.error.message, /^9 行有错/);
  assert.equal(count('projects'), 0);
  assert.equal(count('project_plans'), 0);
  assert.equal(audits('project.import'), 0);
});

test('projects: an XLSX imports with the leader by name, plans set, one audit record', async () => {
  const r = await upload(as.admin, PROJECTS, COUNTY, '台账.xlsx', xlsxOf([HEAD,
    ['县城热力管网', '舞阳县', '管网 30 公里', '基础设施', '李县长', '吴城镇', '12000', '2026-01-01', '2027-12-31', '2026', '6000'],
    ['产业园标准化厂房', '411121100', '厂房 8 万平方米', 'industry', '', '舞泉镇', '8000.25', '2026-02-01', '2027-06-30', '', '']]));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body, { rows: 2, projects_added: 2 });
  const list = (await as.admin(`/api/v1/projects?unit=${COUNTY}&month=2026-06`)).body.items;
  const heat = list.find((p) => p.name === '县城热力管网');
  assert.equal(heat.unit.code, COUNTY);
  assert.equal(heat.owner_unit.code, TOWN2);
  assert.equal(heat.nature, 'infrastructure');
  assert.equal(heat.leader.id, ids['李县长']);
  assert.equal(heat.total_wan, 12000);
  assert.equal(heat.plan_wan, 6000);
  assert.equal(list.find((p) => p.name === '产业园标准化厂房').total_wan, 8000.25);
  assert.equal(audits('project.import'), 1);
  assert.equal(audits('project.create'), 0);
  // the same file again: the projects are registered already, nothing written
  const again = await upload(as.admin, PROJECTS, COUNTY, '台账.xlsx', xlsxOf([HEAD,
    ['新项目', '舞阳县', '', '基础设施', '', '舞阳县', '10', '2026-01-01', '2026-12-31', '', ''],
    ['县城热力管网', '舞阳县', '', '基础设施', '', '舞阳县', '10', '2026-01-01', '2026-12-31', '', '']]));
  assert.equal(again.status, 409, JSON.stringify(again.body));
  assert.deepEqual(again.body.row_errors.map((e) => [e.line, e.column]), [[3, '项目名称']]);
  assert.equal(count('projects'), 2);
});

test('projects: a GB18030 CSV from Chinese Excel imports; the template has the headings', async () => {
  const gb = fs.readFileSync(path.join(ROOT, 'tests/fixtures/projects-gb18030.csv'));
  const r = await upload(as.town, PROJECTS, TOWN, 'projects.csv', gb);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.rows, 2);
  const list = (await as.town(`/api/v1/projects?unit=${TOWN}&month=2026-06`)).body.items;
  const sewer = list.find((p) => p.name === '舞泉镇污水管网改造');
  assert.equal(sewer.total_wan, 3500);
  assert.equal(sewer.plan_wan, 1800);
  assert.equal(sewer.starts_on, '2026-03-01');
  assert.equal(list.find((p) => p.name === '大杨庄村道路硬化').unit.code, V1);
  const tpl = await fetch(`${srv.url}/api/v1/projects/import/template`, { headers: { Authorization: `Bearer ${srv.token}` } });
  assert.equal(tpl.status, 200);
  assert.deepEqual(rowsOf(Buffer.from(await tpl.arrayBuffer()))[0], ['项目名称', '建设地点', '建设规模', '项目性质', '县级包联领导', '领导身份证号', '责任单位', '总投资（万元）', '开工日期', '计划竣工日期', '年度', '年度计划投资（万元）']);
});

test('projects: out of scope refused', async () => {
  const before = count('projects');
  const csv = `${HEAD.join(',')}\n外镇项目,吴城镇,,产业发展,,吴城镇,100,2026-01-01,2026-12-31,,\n`;
  const own = await upload(as.town, PROJECTS, TOWN, 'x.csv', csv);
  assert.equal(own.status, 403, JSON.stringify(own.body));
  assert.deepEqual(own.body.row_errors.map((e) => [e.line, e.column]), [[2, '建设地点']]);
  assert.match(own.body.row_errors[0].message, /不在您的管辖范围内/);
  assert.equal((await upload(as.town, PROJECTS, TOWN2, 'x.csv', csv)).status, 403);
  assert.equal(count('projects'), before);
});

const VHEAD = ['队伍名称', '所属单位', '队员姓名', '身份证号'];

test('volunteer teams: bad rows listed, nothing written; a person not registered points to 花名册', async () => {
  const bad = xlsxOf([VHEAD,
    ['巾帼队', '大杨庄村村民委员会', '郭文静', ID1],
    ['巾帼队', '大杨庄村村民委员会', '', ID_NONE],
    ['巾帼队', '大杨庄村村民委员会', '郭文', ID2],
    ['巾帼队', '大杨庄村村民委员会', '', '410000'],
    ['', '大杨庄村村民委员会', '', ID2],
    ['巾帼队', '大杨庄村村民委员会', '', ID1],
    ['巾帼队', '吴城镇', '', ID2]]);
  const r = await upload(as.town, TEAMS, TOWN, '队员.xlsx', bad);
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.deepEqual(r.body.row_errors.map((e) => [e.line, e.column]), [[3, '身份证号'], [4, '队员姓名'], [5, '身份证号'], [6, '队伍名称'], [7, '身份证号'], [8, '所属单位']]);
  assert.match(r.body.row_errors[0].message, /请先在“花名册”导入此人/);
  assert.doesNotMatch(JSON.stringify(r.body), new RegExp(ID_NONE.slice(6, 14)), 'the ID number is masked');
  assert.match(r.body.row_errors[1].message, /名为“郭文秀”/);
  assert.match(r.body.row_errors[4].message, /第 2 行重复/);
  assert.equal(count('volunteer_teams'), 0);
  assert.equal(count('volunteer_members'), 0);
  // a person outside the importer's scope is refused
  const far = await upload(as.town, TEAMS, TOWN, 'x.csv', `${VHEAD.join(',')}\n巾帼队,,,${ID_OTHER}\n`);
  assert.equal(far.status, 400, JSON.stringify(far.body));
  assert.match(far.body.row_errors[0].message, /不在您的管辖范围内/);
});

test('volunteer teams: a GB18030 CSV creates the team and joins its members; again adds nothing', async () => {
  const gb = fs.readFileSync(path.join(ROOT, 'tests/fixtures/volunteer-teams-gb18030.csv'));
  const r = await upload(as.town, TEAMS, TOWN, 'teams.csv', gb);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body, { rows: 2, teams_added: 1, members_added: 2, members_existing: 0 });
  const teams = (await as.town(`/api/v1/volunteers/teams?unit=${TOWN}`)).body.items;
  const t = teams.find((x) => x.name === '大杨庄村巾帼志愿服务队');
  assert.equal(t.unit.code ?? t.unit, V1);
  assert.equal(t.members.length, 2);
  assert.equal(audits('volunteer.import'), 1);
  const again = await upload(as.town, TEAMS, TOWN, 'teams.csv', gb);
  assert.deepEqual(again.body, { rows: 2, teams_added: 0, members_added: 0, members_existing: 2 });
  assert.equal(audits('volunteer.import'), 1);
  // an XLSX: one more member of that team and a new team of the town (unit left empty)
  const x = await upload(as.admin, TEAMS, TOWN, '队员.xlsx', xlsxOf([VHEAD,
    ['大杨庄村巾帼志愿服务队', V1, '李县长', ID3],
    ['舞泉镇应急志愿服务队', '', '郭文静', ID1]]));
  assert.equal(x.status, 200, JSON.stringify(x.body));
  assert.deepEqual(x.body, { rows: 2, teams_added: 1, members_added: 2, members_existing: 0 });
  assert.equal(count('volunteer_teams'), 2);
  assert.equal(count('volunteer_members'), 4);
  const tpl = await fetch(`${srv.url}/api/v1/volunteers/teams/import/template`, { headers: { Authorization: `Bearer ${srv.token}` } });
  assert.deepEqual(rowsOf(Buffer.from(await tpl.arrayBuffer()))[0], VHEAD);
});

test('volunteer teams: another township cannot import into this one', async () => {
  const r = await upload(as.town2, TEAMS, TOWN, 'x.csv', `${VHEAD.join(',')}\n巾帼队,,,${ID1}\n`);
  assert.equal(r.status, 403, JSON.stringify(r.body));
  assert.equal(count('volunteer_teams'), 2);
});
