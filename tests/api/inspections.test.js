// 双随机、一公开 over HTTP (api/inspections.c): the three registries
// (抽查事项清单, 检查对象名录库, 执法检查人员名录库 with 回避 links) created,
// edited and withdrawn; a plan announced with its public value; the draw
// (the value must be the announced one; too few inspectors after 回避 is a
// 400 naming the rule and writes nothing); results with the standard codes
// (a check after the plan's deadline, a publication after 20 working days
// refused); completion per plan and rolled up as inspections.drawn/done;
// the public page's reads without login, and a verify that tells an
// altered draw; scope: a township user sees and touches only its subtree.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, jicengOk, ROOT } from '../lib/server.js';

const COUNTY = '411121';
const TOWN = '411121100';
let TOWN2;
let srv;
const as = {};

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  const towns = (await srv.api(`/api/v1/units/${COUNTY}/children?limit=100`)).body.items;
  TOWN2 = towns.find((t) => t.code !== TOWN).code;
  for (const [name, [role, scope]] of Object.entries({ town: ['township_admin', TOWN], town2: ['township_admin', TOWN2], watch: ['observer', COUNTY], grid: ['grid_worker', TOWN + '201'] })) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
  as.admin = srv.api;
  as.anon = (p, init = {}) => api(srv.url, p, init);
});
after(() => srv?.stop());

const send = (who, method, p, body) => who(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const count = (t) => Number(sql(srv.dataDir, `SELECT count(*) FROM ${t};`).trim());
const day = (plus) => new Date(Date.now() + plus * 86400000).toISOString().slice(0, 10);

let ITEM;
const targets = [];
const inspectors = [];

test('registries: items, targets and inspectors created, edited, withdrawn; bad input refused', async () => {
  let r = await send(as.admin, 'POST', '/api/v1/inspections/items', { code: 'food', name: '食品经营抽查', basis: '《中华人民共和国食品安全法》', ratio_permille: 100, frequency: '每年一次', department: '县市场监督管理局' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  ITEM = r.body.id;
  r = await send(as.admin, 'POST', '/api/v1/inspections/items', { code: 'food', name: '重复', basis: 'x', ratio_permille: 10, frequency: '每年' });
  assert.equal(r.status, 409);
  r = await send(as.admin, 'POST', '/api/v1/inspections/items', { code: 'x', name: '比例', basis: 'x', ratio_permille: 1001, frequency: '每年' });
  assert.equal(r.status, 400);
  r = await send(as.admin, 'POST', '/api/v1/inspections/items', { code: 'BAD CODE', name: 'n', basis: 'x', ratio_permille: 10, frequency: '每年' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'code');
  r = await as.watch('/api/v1/inspections/items');
  assert.equal(r.status, 200);
  assert.equal(r.body.items.length, 1);
  assert.equal(r.body.publish_within_working_days, 20);
  assert.ok(r.body.results.some((x) => x.label === '未发现问题'));

  for (let k = 0; k < 10; k++) {
    r = await send(as.town, 'POST', '/api/v1/inspections/targets', { name: `商户${k}`, kind: '个体工商户', unit: TOWN });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    targets.push(r.body.id);
  }
  // GB 32100 check character
  r = await send(as.town, 'POST', '/api/v1/inspections/targets', { name: '坏代码', kind: '企业', unit: TOWN, credit_code: '91411121MA12345678' });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /统一社会信用代码/);
  r = await send(as.town, 'POST', '/api/v1/inspections/targets', { name: '好代码', kind: '企业', unit: TOWN, credit_code: '91350100M000100Y43' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  targets.push(r.body.id);
  // outside the township
  r = await send(as.town, 'POST', '/api/v1/inspections/targets', { name: '外乡', kind: '企业', unit: TOWN2 });
  assert.equal(r.status, 403);
  r = await send(as.town2, 'PATCH', `/api/v1/inspections/targets/${targets[0]}`, { name: '改名' });
  assert.equal(r.status, 404);
  r = await send(as.town, 'PATCH', `/api/v1/inspections/targets/${targets[0]}`, { name: '商户零号' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  // the last one withdrawn: not drawn
  r = await send(as.town, 'PATCH', `/api/v1/inspections/targets/${targets.at(-1)}`, { active: false });
  assert.equal(r.status, 200);
  r = await as.town(`/api/v1/inspections/targets?unit=${TOWN}`);
  assert.equal(r.body.items.length, 11);
  assert.equal(r.body.items[0].name, '商户零号');
  assert.equal(r.body.items[0].unit.code, TOWN);
  r = await as.town2(`/api/v1/inspections/targets?unit=${TOWN2}`);
  assert.equal(r.body.items.length, 0);
  r = await as.town2(`/api/v1/inspections/targets?unit=${TOWN}`);
  assert.equal(r.status, 404);

  for (let k = 0; k < 4; k++) {
    r = await send(as.town, 'POST', '/api/v1/inspections/inspectors', { name: `检查员${k}`, department: '市场监管所', unit: TOWN });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    inspectors.push(r.body.id);
  }
  r = await send(as.town, 'POST', '/api/v1/inspections/links', { inspector: inspectors[0], target: targets[0], reason: '近亲属' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await send(as.town, 'POST', '/api/v1/inspections/links', { inspector: inspectors[0], target: targets[0], reason: '近亲属' });
  assert.equal(r.status, 409);
  r = await send(as.town, 'POST', '/api/v1/inspections/links', { inspector: inspectors[1], target: targets[0] });
  assert.equal(r.status, 400);
  r = await send(as.town2, 'POST', '/api/v1/inspections/links', { inspector: inspectors[1], target: targets[0], reason: '近亲属' });
  assert.equal(r.status, 403);
  r = await as.town(`/api/v1/inspections/inspectors?unit=${TOWN}`);
  assert.equal(r.body.items.length, 4);
  assert.deepEqual(r.body.items[0].links, [{ target: targets[0], target_name: '商户零号', reason: '近亲属' }]);
  assert.equal((await as.grid('/api/v1/inspections/items')).status, 403); // a grid worker does not see 双随机
  assert.equal((await send(as.watch, 'POST', '/api/v1/inspections/targets', { name: 'x', kind: 'y', unit: TOWN })).status, 403);
});

let PLAN, DRAW;

test('a plan announced with its public value; the draw refuses another value and too few inspectors', async () => {
  let r = await send(as.town, 'POST', '/api/v1/inspections/plans', { name: '缺人计划', item: ITEM, unit: TOWN, target_count: 10, per_target: 4, deadline: day(30) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const short = r.body.id;
  // target 0 has only 3 eligible inspectors after 回避 but the plan needs 4
  const before = [count('inspection_draws'), count('inspection_checks'), count('audit')];
  r = await send(as.town, 'POST', `/api/v1/inspections/plans/${short}/draw`, {});
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.match(r.body.error.message, /回避后可选派的执法检查人员不足/);
  assert.deepEqual([count('inspection_draws'), count('inspection_checks'), count('audit')], before, 'nothing written');

  r = await send(as.town, 'POST', '/api/v1/inspections/plans', { name: '缺期限', item: ITEM, unit: TOWN, deadline: '2026-02-30' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'deadline');
  r = await send(as.town, 'POST', '/api/v1/inspections/plans', { name: '一人', item: ITEM, unit: TOWN, per_target: 1, deadline: day(30) });
  assert.equal(r.status, 400);
  r = await send(as.town, 'POST', '/api/v1/inspections/plans', { name: '外乡', item: ITEM, unit: TOWN2, deadline: day(30) });
  assert.equal(r.status, 403);

  r = await send(as.town, 'POST', '/api/v1/inspections/plans', { name: '2026年食品经营抽查', item: ITEM, unit: TOWN, target_count: 6, per_target: 2, deadline: day(30), public_value: '2026-12-04 上证综指收盘 3456.78' });
  assert.equal(r.status, 201);
  PLAN = r.body.id;
  r = await as.town(`/api/v1/inspections/plans/${PLAN}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.public_value, '2026-12-04 上证综指收盘 3456.78', 'shown before the draw');
  assert.equal(r.body.draw, null);
  assert.equal((await as.town2(`/api/v1/inspections/plans/${PLAN}`)).status, 404);
  r = await send(as.town, 'POST', `/api/v1/inspections/plans/${PLAN}/draw`, { public_value: '别的值' });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /事先公布的公开值/);
  assert.equal((await send(as.town2, 'POST', `/api/v1/inspections/plans/${PLAN}/draw`, {})).status, 404);
  r = await send(as.town, 'POST', `/api/v1/inspections/plans/${PLAN}/draw`, {});
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.checks.length, 6);
  assert.match(r.body.draw.seed, /^[0-9a-f]{64}$/);
  DRAW = r.body.draw.id;
  assert.ok(r.body.checks.every((c) => c.inspectors.split('、').length === 2));
  assert.ok(!r.body.checks.some((c) => c.target.id === targets.at(-1)), 'a withdrawn target is not drawn');
  const zero = r.body.checks.find((c) => c.target.id === targets[0]);
  if (zero) assert.ok(!zero.inspectors.includes('检查员0'), '回避');
  r = await send(as.town, 'POST', `/api/v1/inspections/plans/${PLAN}/draw`, {});
  assert.equal(r.status, 409);
  // the CLI's verify agrees
  assert.match(jicengOk(['--data', srv.dataDir, 'draw', 'verify', String(DRAW)]), /一致/);
});

test('results: standard codes, deadlines on the working-day calendar, completion rolled up', async () => {
  let plan = (await as.town(`/api/v1/inspections/plans/${PLAN}`)).body;
  const [c1, c2, c3] = plan.checks;
  let r = await send(as.town, 'POST', `/api/v1/inspections/checks/${c1.id}/result`, { result: 'fine', checked_on: day(-1) });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /标准结果类型/);
  r = await send(as.town, 'POST', `/api/v1/inspections/checks/${c1.id}/result`, { result: 'no_problem', checked_on: day(40) });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /完成期限/);
  // 2026-01-05 + 20 working days (元旦 and weekends off) is 2026-02-02
  r = await send(as.town, 'POST', `/api/v1/inspections/checks/${c1.id}/result`, { result: 'no_problem', checked_on: '2026-01-05', published_on: '2026-02-03' });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /20 个工作日内公示/);
  assert.equal(count("inspection_checks WHERE result <> ''"), 0, 'nothing written');
  r = await send(as.town2, 'POST', `/api/v1/inspections/checks/${c1.id}/result`, { result: 'no_problem', checked_on: day(-1) });
  assert.equal(r.status, 403);
  r = await send(as.town, 'POST', `/api/v1/inspections/checks/${c1.id}/result`, { result: 'no_problem', checked_on: '2026-01-05', published_on: '2026-02-02' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.checks[0].publish_by, '2026-02-02');
  assert.equal(r.body.checks[0].result_label, '未发现问题');
  r = await send(as.town, 'POST', `/api/v1/inspections/checks/${c2.id}/result`, { result: 'corrected', checked_on: day(-2) });
  assert.equal(r.status, 200);
  r = await send(as.town, 'POST', `/api/v1/inspections/checks/${c3.id}/result`, { result: 'no_activity', checked_on: day(-2) });
  assert.equal(r.status, 200);
  plan = r.body;
  assert.equal(plan.done, 3);
  assert.equal(plan.completion, 0.5);
  r = await as.watch(`/api/v1/inspections/plans?unit=${COUNTY}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.drawn, 6);
  assert.equal(r.body.done, 3);
  assert.equal(r.body.items.find((p) => p.id === PLAN).completion, 0.5);
  // the computed elements, rolled up to the county
  const year = new Date().toISOString().slice(0, 4);
  for (const [code, want] of [['inspections.drawn', 6], ['inspections.done', 3]]) {
    r = await as.admin(`/api/v1/analytics?expr=%23%7B${code}%7D&unit=${COUNTY}&period=${year}&by=children`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.value, want, code);
    assert.equal(r.body.children.find((x) => x.code === TOWN).value, want);
  }
});

test('each check a case (双随机抽查): opened with the draw, linked both ways, moved only by recording its result', async () => {
  let plan = (await as.town(`/api/v1/inspections/plans/${PLAN}`)).body;
  assert.equal(count("cases WHERE kind = 'inspection'"), 6, 'one case per drawn check');
  assert.equal(count('inspection_checks WHERE case_id IS NULL'), 0);
  assert.equal(new Set(plan.checks.map((c) => c.case_id)).size, 6);
  const [c1, c2, c3, c4] = plan.checks;
  const item = async (c) => (await as.town(`/api/v1/items/${c.case_id}`)).body;
  let it = await item(c4);
  assert.equal(it.type, 'inspection');
  assert.equal(it.type_name, '双随机抽查');
  assert.equal(it.title, `食品经营抽查：${c4.target.name}`);
  assert.equal(it.unit.code, c4.unit.code, "the target's unit");
  assert.equal(it.deadline, plan.deadline, "due on the plan's deadline");
  assert.equal(it.state_label, '待检查');
  assert.equal(it.source_check.id, c4.id, "the case's link back to its check");
  assert.equal(it.source_check.target, c4.target.name);
  // recorded: 已检查; recorded with a publication date: 已公示 (closed)
  it = await item(c2);
  assert.equal(it.state_label, '已检查');
  assert.equal(it.source_check.result, 'corrected');
  assert.ok(it.timeline.some((e) => e.transition === 'check'));
  it = await item(c1);
  assert.equal(it.state_label, '已公示');
  assert.equal(it.final, true);
  assert.equal((await item(c3)).state_label, '已检查');

  // the generic step cannot bypass the check's rules, nor can anyone else's
  const v = (await item(c4)).version;
  for (const transition of ['check', 'publish']) {
    const r = await send(as.town, 'POST', `/api/v1/items/${c4.case_id}/transitions`, { transition });
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.match(r.body.error.message, /须在“双随机抽查”中录入/);
  }
  assert.equal((await send(as.grid, 'POST', `/api/v1/items/${c4.case_id}/transitions`, { transition: 'check' })).status, 403);
  it = await item(c4);
  assert.equal(it.version, v, 'nothing written');
  assert.equal(it.state_label, '待检查');
  // opened by draws only, never by hand
  const cases = count("cases WHERE kind = 'inspection'");
  for (const who of [as.town, as.admin]) {
    const r = await send(who, 'POST', '/api/v1/items', { type: 'inspection', title: '自建抽查', unit: TOWN });
    assert.equal(r.status, 403, JSON.stringify(r.body));
  }
  assert.equal(count("cases WHERE kind = 'inspection'"), cases);
  // a refused result moves nothing
  let r = await send(as.town, 'POST', `/api/v1/inspections/checks/${c4.id}/result`, { result: 'fine', checked_on: day(-1) });
  assert.equal(r.status, 400);
  assert.equal((await item(c4)).version, v);

  // publication closes the case; the case lists count it
  r = await send(as.town, 'POST', `/api/v1/inspections/checks/${c2.id}/result`, { result: 'corrected', checked_on: day(-2), published_on: day(-1) });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  it = await item(c2);
  assert.equal(it.state_label, '已公示');
  assert.equal(it.final, true);
  assert.deepEqual(it.timeline.filter((e) => e.transition).map((e) => e.transition), ['check', 'publish']);
  // a published result is a public record: it is not changed or withdrawn afterwards
  r = await send(as.town, 'POST', `/api/v1/inspections/checks/${c2.id}/result`, { result: 'no_problem', checked_on: day(-2) });
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, /已于 .* 公示/);
  r = await as.town(`/api/v1/items?type=inspection&unit=${TOWN}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.items.length, 6);
  assert.equal(r.body.items.filter((x) => x.final).length, 2);
  // the computed elements are unchanged by the cases
  const year = new Date().toISOString().slice(0, 4);
  r = await as.admin(`/api/v1/analytics?expr=%23%7Binspections.done%7D&unit=${COUNTY}&period=${year}`);
  assert.equal(r.body.value, 3);
});

test('the public page: plans, draws and results without login, and a verify that tells an altered draw', async () => {
  let r = await as.anon('/api/v1/public/inspections');
  assert.equal(r.status, 200);
  assert.ok(r.body.items.some((p) => p.id === PLAN && p.done === 3));
  r = await as.anon(`/api/v1/public/inspections/plans/${PLAN}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.checks.length, 6);
  assert.equal((await as.anon('/api/v1/public/inspections/plans/99999')).status, 404);
  assert.equal((await as.anon('/api/v1/public/inspections/plans/x')).status, 404);
  r = await as.anon(`/api/v1/public/inspections/draws/${DRAW}/verify`);
  assert.equal(r.status, 200);
  assert.equal(r.body.same, true);
  assert.equal(r.body.differences, '');
  assert.equal(r.body.rerun.split('\n').filter((l) => /^\d+:/.test(l)).length, 6);
  // alter the second inspector of the first check
  const check = sql(srv.dataDir, `SELECT id FROM inspection_checks WHERE draw_id = ${DRAW} AND seq = 1;`).trim();
  sql(srv.dataDir, `UPDATE inspection_check_inspectors SET inspector_id = (SELECT min(id) FROM inspectors
      WHERE id NOT IN (SELECT inspector_id FROM inspection_check_inspectors WHERE check_id = ${check}))
      WHERE seq = 2 AND check_id = ${check};`);
  r = await as.anon(`/api/v1/public/inspections/draws/${DRAW}/verify`);
  assert.equal(r.status, 200);
  assert.equal(r.body.same, false);
  assert.match(r.body.differences, /第 1 个检查对象的第 2 名执法检查人员/);
  assert.equal((await as.anon('/api/v1/public/inspections/draws/999/verify')).status, 404);
});
