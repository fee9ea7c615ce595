// Work items on the workflow engine: creating within one's scope, every
// step checked against the type's state machine (permission, note,
// evidence, rating, assignee), the timeline, overdue, and the audit trail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, addUser, tokenFor, jiceng, chinaDay } from '../lib/server.js';

let srv;
const as = {}; // name → fetch with that user's bearer token
const V1 = '411121100201'; // a village of 舞泉镇

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  const users = { town: ['township_admin', '411121100'], grid: ['grid_worker', V1], watcher: ['observer', '411121100'], other: ['township_admin', '411121101'] };
  for (const [name, [role, scope]] of Object.entries(users)) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
});
after(() => srv?.stop());

const post = (who, p, body) => who(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const step = (who, id, body) => post(who, `/api/v1/items/${id}/transitions`, body);

test('the shipped types and their state machines are listed', async () => {
  const types = (await as.town('/api/v1/item-types')).body.items;
  assert.deepEqual(types.map((t) => t.code).sort(), ['deliberation', 'dispatch', 'dispute', 'hazard', 'inspection', 'microproject', 'problem', 'rectify', 'request', 'wish']);
  const request = types.find((t) => t.code === 'request');
  assert.equal(request.name, '群众诉求');
  assert.ok(request.categories.length > 0);
  assert.ok(request.transitions.some((t) => t.perm === 'submitter' && t.needs.includes('rating')));
});

test('default deadlines per type are data: offered to the form, applied when none is given', async () => {
  const types = (await as.town('/api/v1/item-types')).body.items;
  const days = Object.fromEntries(types.map((t) => [t.code, t.deadline_days]));
  assert.deepEqual(days, { problem: 30, dispatch: 7, request: 7, hazard: 30, dispute: 30, deliberation: null, wish: 30, rectify: 30, microproject: 180, inspection: 30 });
  for (const t of types) assert.equal(t.default_deadline, t.deadline_days === null ? null : chinaDay(t.deadline_days), t.code);
  // None given: the type's default, counted in China's days; one given: kept.
  const made = await post(as.grid, '/api/v1/items', { type: 'problem', title: '默认期限', unit: V1 });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.deadline, chinaDay(30));
  assert.equal((await post(as.grid, '/api/v1/items', { type: 'hazard', title: '自定期限', unit: V1, deadline: '2027-03-01' })).body.deadline, '2027-03-01');
  assert.equal((await post(as.grid, '/api/v1/items', { type: 'deliberation', title: '无期限', unit: V1 })).body.deadline, null);
  // A ledger row without 期限 gets the default too.
  const imported = await as.town('/api/v1/items/import?type=dispute&name=d.csv', { method: 'POST', body: Buffer.from('标题,涉及单位代码\n邻里纠纷,411121100201\n') });
  assert.equal(imported.status, 201, JSON.stringify(imported.body));
  const rows = (await as.town(`/api/v1/items?batch=${imported.body.batch}`)).body.items;
  assert.deepEqual(rows.map((i) => i.deadline), [chinaDay(30)]);
});

test('irreversible steps carry the question to ask first (confirm), from the kind files', async () => {
  const types = (await as.town('/api/v1/item-types')).body.items;
  const problem = types.find((t) => t.code === 'problem');
  assert.match(problem.transitions.find((t) => t.code === 'verify').confirm, /^销号后.*确定销号吗？$/);
  assert.equal(problem.transitions.find((t) => t.code === 'start').confirm, null);
  const id = (await post(as.grid, '/api/v1/items', { type: 'problem', title: '待销号', unit: V1 })).body.id;
  assert.equal((await step(as.grid, id, { transition: 'start' })).status, 200);
  const done = await step(as.grid, id, { transition: 'finish', evidence: '已整改' });
  const verify = (await as.town(`/api/v1/items/${id}`)).body.available.find((t) => t.code === 'verify');
  assert.equal(done.status, 200);
  assert.match(verify.confirm, /确定销号吗/);
  assert.deepEqual(verify.needs, []);
});

test('a problem item: created in scope, rectified with evidence, verified by the township', async () => {
  const created = await post(as.grid, '/api/v1/items', { type: 'problem', title: '村委会院内垃圾清理不及时', unit: V1, deadline: '2000-01-31', measures: '每周两次集中清运' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  assert.equal(created.body.state, 'open');
  assert.equal(created.body.overdue, true);
  assert.deepEqual(created.body.unit, { code: V1, name: '大杨庄村村民委员会' });

  // Outside the scope: refused and not visible.
  assert.equal((await post(as.grid, '/api/v1/items', { type: 'problem', title: 'x', unit: '411121100202' })).status, 403);
  assert.equal((await as.other(`/api/v1/items/${id}`)).status, 404);
  assert.equal((await step(as.other, id, { transition: 'start' })).status, 403);

  const item = (await as.grid(`/api/v1/items/${id}`)).body;
  assert.ok(item.available.some((t) => t.code === 'start'));
  assert.ok(!item.available.some((t) => t.code === 'verify'), 'a grid worker cannot verify');

  assert.equal((await step(as.grid, id, { transition: 'start' })).status, 200);
  const noEvidence = await step(as.grid, id, { transition: 'finish' });
  assert.equal(noEvidence.status, 400, JSON.stringify(noEvidence.body));
  assert.equal((await step(as.grid, id, { transition: 'finish', evidence: '清运记录照片 3 张' })).status, 200);
  const verifyByGrid = await step(as.grid, id, { transition: 'verify' });
  assert.equal(verifyByGrid.status, 403);
  const verified = await step(as.town, id, { transition: 'verify', note: '现场核查完成' });
  assert.equal(verified.status, 200, JSON.stringify(verified.body));
  assert.equal(verified.body.state, 'verified');
  assert.equal(verified.body.final, true);
  assert.equal(verified.body.overdue, false);
  assert.deepEqual(verified.body.timeline.map((e) => e.kind), ['create', 'transition', 'transition', 'transition']);
  assert.equal(verified.body.timeline[2].evidence, '清运记录照片 3 张');
  // A finished item takes no further steps.
  assert.equal((await step(as.town, id, { transition: 'start' })).status, 400);
  assert.equal((await step(as.town, id, { transition: 'no_such_step' })).status, 400);
});

test('a resident\'s request: accepted, dispatched, resolved, rated only by the submitter', async () => {
  const created = await post(as.grid, '/api/v1/items', { type: 'request', title: '路灯不亮', unit: V1, category: '道路交通' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  assert.equal((await post(as.grid, '/api/v1/items', { type: 'request', title: 'x', unit: V1, category: '不存在' })).status, 400);
  assert.equal((await step(as.town, id, { transition: 'accept' })).status, 200);
  const noAssignee = await step(as.town, id, { transition: 'dispatch' });
  assert.equal(noAssignee.status, 400);
  assert.equal((await step(as.town, id, { transition: 'dispatch', assignee: '网格员张三' })).status, 200);
  assert.equal((await step(as.town, id, { transition: 'resolve', note: '已更换灯泡' })).status, 200);
  assert.equal((await step(as.town, id, { transition: 'rate', rating: 5 })).status, 403, 'only the submitter rates');
  assert.equal((await step(as.grid, id, { transition: 'rate', rating: 6 })).status, 400);
  const rated = await step(as.grid, id, { transition: 'rate', rating: 5 });
  assert.equal(rated.status, 200, JSON.stringify(rated.body));
  assert.equal(rated.body.rating, 5);
  assert.equal(rated.body.assignee, '网格员张三');
});

test('lists filter by scope, type, state and overdue; comments join the timeline', async () => {
  const mine = (await as.town('/api/v1/items?type=problem')).body.items;
  assert.ok(mine.length >= 1 && mine.every((i) => i.owner_unit.code.startsWith('411121100')));
  assert.equal((await as.other('/api/v1/items')).body.items.length, 0);
  assert.equal((await as.town('/api/v1/items?unit=411121')).status, 404);
  const created = await post(as.town, '/api/v1/items', { type: 'hazard', title: '村小学围墙开裂', unit: V1, deadline: '2001-01-01', immediate: true });
  assert.equal(created.status, 201);
  const overdue = (await as.town('/api/v1/items?overdue=1')).body.items;
  assert.ok(overdue.some((i) => i.id === created.body.id));
  assert.ok(overdue.every((i) => !i.final));
  assert.equal((await post(as.watcher, `/api/v1/items/${created.body.id}/comments`, { note: 'x' })).status, 403, 'observers only read');
  assert.equal((await as.watcher(`/api/v1/items/${created.body.id}`)).status, 200);
  const c = await post(as.grid, `/api/v1/items/${created.body.id}/comments`, { note: '已通知学校' });
  assert.equal(c.status, 201);
  assert.equal(c.body.timeline.at(-1).note, '已通知学校');
  assert.equal((await post(as.watcher, '/api/v1/items', { type: 'problem', title: 'x', unit: V1 })).status, 403, 'observers do not create');
  for (const bad of [{ type: 'nope', title: 'x', unit: V1 }, { type: 'problem', unit: V1 }, { type: 'problem', title: 'x', unit: V1, deadline: '31/12/2026' }, { type: 'problem', title: 'x', unit: V1, priority: 7 }, { type: 'problem', title: 'x', unit: V1, colour: 1 }])
    assert.equal((await post(as.town, '/api/v1/items', bad)).status, 400, JSON.stringify(bad));
  assert.equal((await as.town('/api/v1/items/abc')).status, 404);
  assert.equal((await as.town('/api/v1/items/999999')).status, 404);
});

test('weekly dispatch: one batch to many villages, all or nothing, each worked on its own', async () => {
  const villages = ['411121100201', '411121100202', '411121100203'];
  const body = { type: 'dispatch', title: '本周交办：清理河道垃圾', measures: '各村组织志愿者清理', units: villages };
  const refused = await post(as.town, '/api/v1/items/batch', { ...body, units: [...villages, '411121101201'] });
  assert.equal(refused.status, 403, JSON.stringify(refused.body));
  assert.equal((await post(as.town, '/api/v1/items/batch', { ...body, units: [V1, V1] })).status, 400);
  assert.equal((await post(as.town, '/api/v1/items/batch', { ...body, units: [] })).status, 400);
  assert.equal((await post(as.grid, '/api/v1/items/batch', { ...body, units: [V1] })).status, 403, 'grid workers do not dispatch');
  assert.equal((await as.town('/api/v1/items?type=dispatch')).body.items.length, 0, 'nothing was written');

  const r = await post(as.town, '/api/v1/items/batch', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.items.length, 3);
  assert.deepEqual(r.body.items.map((i) => i.owner_unit.code).sort(), villages);
  assert.equal(r.body.items[0].deadline, chinaDay(7), 'a dispatch is due in 7 days by default');
  const listed = (await as.town(`/api/v1/items?batch=${r.body.batch}`)).body.items;
  assert.equal(listed.length, 3);
  assert.ok(listed.every((i) => i.batch === r.body.batch && i.state === 'issued'));

  // The village works on its own item: progress as comments, then completion and acceptance.
  const mine = listed.find((i) => i.owner_unit.code === V1).id;
  assert.equal((await as.grid(`/api/v1/items/${listed.find((i) => i.owner_unit.code !== V1).id}`)).status, 404, 'other villages\' items are not visible');
  assert.equal((await step(as.grid, mine, { transition: 'start' })).status, 200);
  assert.equal((await post(as.grid, `/api/v1/items/${mine}/comments`, { note: '已清理 300 米' })).status, 201);
  assert.equal((await step(as.grid, mine, { transition: 'complete', note: '全部清理完毕' })).status, 200);
  const accepted = await step(as.town, mine, { transition: 'verify', note: '验收合格' });
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  assert.equal(accepted.body.final, true);
});

test('exports: any selection of items as a CSV or XLSX ledger, within the scope', async () => {
  const csv = await as.town('/api/v1/items/export?format=csv&type=problem');
  assert.equal(csv.status, 200);
  const lines = csv.body.replace(/^\ufeff/, '').trim().split('\n');
  assert.equal(lines[0], '编号,类型,标题,涉及单位,责任单位,帮扶单位,责任人,整改措施,类别,优先级,期限,状态,是否超期,评价,提交时间,办结时间');
  assert.ok(lines.length >= 2);
  assert.ok(lines.slice(1).every((l) => l.includes('"问题清单"')));
  assert.ok(lines.some((l) => l.includes('"村委会院内垃圾清理不及时"') && l.includes('"已销号"')));
  const other = await as.other('/api/v1/items/export?format=csv');
  assert.equal(other.body.replace(/^\ufeff/, '').trim().split('\n').length, 1, 'only the header outside one\'s items');
  const res = await fetch(srv.url + '/api/v1/items/export?format=xlsx', { headers: { Authorization: `Bearer ${tokenFor(srv.dataDir, 'town')}` } });
  assert.equal(res.status, 200);
  assert.equal(Buffer.from(await res.arrayBuffer()).subarray(0, 2).toString(), 'PK');
  assert.equal((await as.town('/api/v1/items/export?format=pdf')).status, 400);
  assert.equal((await as.town('/api/v1/items/export?unit=411121')).status, 404);
});

test('a problem list imported from a ledger: every row checked, all or nothing', async () => {
  const upload = (text, name = 'list.csv') => as.town(`/api/v1/items/import?type=problem&name=${encodeURIComponent(name)}`, { method: 'POST', body: Buffer.from(text) });
  const head = '标题,涉及单位代码,责任人,整改措施,期限,优先级,立行立改\n';
  const good = head + '村道破损,411121100201,张三,修补路面,2026-12-31,紧急,否\n' + '垃圾乱堆,411121100202,李四,集中清运,2026-12-15,一般,是\n';
  const outside = good + '沟渠堵塞,411121101201,王五,清淤,2026-12-01,一般,否\n';
  const before = (await as.town('/api/v1/items?type=problem&limit=500')).body.items.length;
  const refused = await upload(outside);
  assert.equal(refused.status, 403, JSON.stringify(refused.body));
  assert.equal(refused.body.error.line, 4);
  const badDate = await upload(head + '村道破损,411121100201,张三,修补路面,31/12/2026,紧急,否\n');
  assert.equal(badDate.status, 400);
  assert.match(badDate.body.error.message, /第 2 行/);
  assert.equal((await upload('名称,单位\nx,y\n')).status, 400);
  // Every refused row is listed, so a ledger is mended in one go.
  const many = await upload(head + '村道破损,411121100201,张三,修补路面,2026-12-31,紧急,否\n' +
    ',411121100201,李四,,2026-12-31,一般,否\n' + '沟渠堵塞,411121100201,王五,清淤,2026/12/01,一般,否\n' +
    '危房,411121101201,赵六,,2026-12-01,很急,否\n');
  assert.equal(many.status, 400, JSON.stringify(many.body));
  assert.equal(many.body.error.line, 3);
  assert.match(many.body.error.message, /第 3 行/);
  assert.equal(many.body.row_errors_total, 3);
  assert.deepEqual(many.body.row_errors.map((r) => [r.line, r.field]), [[3, 'title'], [4, 'deadline'], [5, 'unit']]);
  for (const r of many.body.row_errors) assert.match(r.message, /[\u4e00-\u9fff]/);
  assert.equal((await as.town('/api/v1/items?type=problem&limit=500')).body.items.length, before, 'nothing was written');
  const ok = await upload(good);
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(ok.body.created, 2);
  const imported = (await as.town(`/api/v1/items?batch=${ok.body.batch}`)).body.items;
  assert.deepEqual(imported.map((i) => [i.title, i.priority, i.immediate]).sort(), [['垃圾乱堆', 2, true], ['村道破损', 1, false]]);
  assert.equal((await as.watcher('/api/v1/items/import?type=problem', { method: 'POST', body: Buffer.from(good) })).status, 403);
});

test('escalation: overdue items are reported once to the unit above their owner', async () => {
  const late = await post(as.grid, '/api/v1/items', { type: 'problem', title: '危房未排查', unit: V1, deadline: '2026-01-10' });
  assert.equal(late.status, 201);
  const r = jiceng(['--data', srv.dataDir, 'items', 'escalate', '--date', '2026-01-11']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /[1-9]\d* overdue item/);
  const item = (await as.town(`/api/v1/items/${late.body.id}`)).body;
  assert.deepEqual(item.escalated_to, { code: '411121100', name: '舞泉镇' });
  assert.match(item.timeline.at(-1).note, /已超过期限 2026-01-10，已提请上级 舞泉镇 督办/);
  const chase = (await as.town('/api/v1/items?escalated=1')).body.items;
  assert.ok(chase.some((i) => i.id === late.body.id));
  assert.equal((await as.other('/api/v1/items?escalated=1')).body.items.length, 0);
  // Once only: a second run does not report it again.
  const again = jiceng(['--data', srv.dataDir, 'items', 'escalate', '--date', '2026-01-12']);
  assert.match(again.stdout, / 0 overdue item/);
  assert.equal(jiceng(['--data', srv.dataDir, 'items', 'escalate', '--date', 'tomorrow']).status, 1);
  assert.equal(jiceng(['--data', srv.dataDir, 'items', 'frobnicate']).status, 2);
});

test('every step is in the audit trail', async () => {
  const actions = new Set((await srv.api('/api/v1/audit?limit=200')).body.items.map((r) => r.action));
  for (const a of ['item.create', 'item.batch', 'item.start', 'item.finish', 'item.verify', 'item.rate', 'item.comment']) assert.ok(actions.has(a), a);
  assert.equal(jiceng(['--data', srv.dataDir, 'audit', 'verify']).status, 0);
});
