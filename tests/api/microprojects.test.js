// 微项目 (kinds/microproject.json + app/microprojects.c): a project packages
// checked wishes of its village with a budget (元, positive, at most the
// kind's cap) and participants; a wish belongs to one project at a time (a
// second project: 409, nothing written; once the first is dropped, free
// again); out-of-scope units and wishes refused; steps through the case
// engine up to delivery with evidence; the public page lists delivered
// projects with the wishes they met; the computed elements
// microprojects.done and microprojects.participations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, jicengOk, ROOT, chinaDay } from '../lib/server.js';

const TOWN = '411121100';
const V1 = '411121100201';
const V2 = '411121100202';
const OTHER = '411121101';
let srv;
const as = {};

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  const users = { town: ['township_admin', TOWN], sec: ['village_secretary', V1], other: ['township_admin', OTHER] };
  for (const [name, [role, scope]] of Object.entries(users)) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
  as.admin = srv.api;
  as.anon = (p, init = {}) => api(srv.url, p, init);
});
after(() => srv?.stop());

const send = (who, method, p, body) => who(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const step = (who, id, body) => send(who, 'POST', `/api/v1/items/${id}/transitions`, body);
const count = (q) => Number(sql(srv.dataDir, q).trim());
let serial = 0;
// A checked (listed) wish of unit.
async function wish(unit = V1) {
  const r = await send(as.admin, 'POST', '/api/v1/items', { type: 'wish', title: `心愿${++serial}`, unit, category: '学习用品' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal((await step(as.admin, r.body.id, { transition: 'list' })).status, 200);
  return r.body.id;
}
const create = (who, body) => send(who, 'POST', '/api/v1/microprojects', body);

test('a project packages wishes with a budget; bad input refused, nothing written', async () => {
  const [w1, w2] = [await wish(), await wish()];
  const r = await create(as.sec, { unit: V1, title: '爱心书屋', budget: 8000, wishes: [w1, w2], description: '为留守儿童建书屋' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.state_label, '已提出');
  assert.equal(r.body.budget, 8000);
  assert.equal(r.body.unit.code, V1);
  assert.ok(r.body.unit.name);
  assert.deepEqual(r.body.wishes.map((w) => w.id), [w1, w2]);
  assert.equal(r.body.wishes[0].state_label, '待认领');
  const list = await as.sec(`/api/v1/microprojects?unit=${V1}`);
  assert.equal(list.status, 200);
  assert.equal(list.body.budget_max, 500000);
  assert.ok(list.body.items.some((p) => p.id === r.body.id && p.wish_count === 2));

  const cases = count('SELECT count(*) FROM cases');
  const links = count('SELECT count(*) FROM microproject_wishes');
  const fresh = await wish();
  const casesNow = cases + 1;
  for (const [who, body, status, field] of [
    [as.sec, { unit: V1, title: '零预算', budget: 0 }, 400, 'budget'],
    [as.sec, { unit: V1, title: '负预算', budget: -5 }, 400, 'budget'],
    [as.sec, { unit: V1, title: '超上限', budget: 500001 }, 400, 'budget'],
    [as.sec, { unit: V1, title: '小数', budget: 10.5 }, 400, 'budget'],
    [as.sec, { unit: V1, title: '无预算' }, 400, 'budget'],
    [as.sec, { unit: V1, title: '', budget: 100 }, 400, 'title'],
    [as.sec, { unit: V1, title: '重复纳入', budget: 100, wishes: [fresh, w1] }, 409, 'wishes[1]'],
    [as.sec, { unit: V1, title: '同一心愿两次', budget: 100, wishes: [fresh, fresh] }, 400, 'wishes[1]'],
    [as.sec, { unit: V1, title: '不存在', budget: 100, wishes: [99999999] }, 400, 'wishes[0]'],
    [as.sec, { unit: V1, title: '不是心愿', budget: 100, wishes: [r.body.id] }, 400, 'wishes[0]'],
    [as.sec, { unit: V1, title: '乱写', budget: 100, wishes: 'x' }, 400, 'wishes'],
    [as.sec, { unit: V1, title: '多余', budget: 100, extra: 1 }, 400, null],
  ]) {
    const bad = await create(who, body);
    assert.equal(bad.status, status, `${body.title}: ${JSON.stringify(bad.body)}`);
    assert.match(bad.body.error.message, /[\u4e00-\u9fff]/);
    if (field) assert.equal(bad.body.error.field, field, body.title);
  }
  const clash = await create(as.sec, { unit: V1, title: '重复纳入', budget: 100, wishes: [w2] });
  assert.match(clash.body.error.message, /爱心书屋/, 'names the project holding the wish');
  assert.equal(count('SELECT count(*) FROM cases'), casesNow, 'nothing written');
  assert.equal(count('SELECT count(*) FROM microproject_wishes'), links);
});

test('scope: another village, another township, an unchecked wish', async () => {
  const v2wish = await wish(V2);
  // the village secretary of V1 cannot create in V2 nor take V2's wish
  assert.equal((await create(as.sec, { unit: V2, title: '越权', budget: 100 })).status, 403);
  const r = await create(as.sec, { unit: V1, title: '别村心愿', budget: 100, wishes: [v2wish] });
  assert.equal(r.status, 400, JSON.stringify(r.body));
  // the township may, but not package V2's wish in a V1 project
  const t = await create(as.town, { unit: V1, title: '跨村', budget: 100, wishes: [v2wish] });
  assert.equal(t.status, 400);
  assert.match(t.body.error.message, /只能纳入本单位的心愿/);
  // an unchecked wish
  const raw = await send(as.admin, 'POST', '/api/v1/items', { type: 'wish', title: '未核实', unit: V1, category: '其他' });
  const u = await create(as.sec, { unit: V1, title: '未核实心愿', budget: 100, wishes: [raw.body.id] });
  assert.equal(u.status, 400);
  // another township's admin sees nothing of V1's projects
  const mine = await create(as.sec, { unit: V1, title: '本村项目', budget: 300 });
  assert.equal(mine.status, 201);
  assert.equal((await as.other(`/api/v1/microprojects/${mine.body.id}`)).status, 404);
  assert.equal((await send(as.other, 'POST', `/api/v1/microprojects/${mine.body.id}/participants`, { kind: 'person', name: '某人', count: 1 })).status, 403);
  assert.equal((await as.other(`/api/v1/microprojects?unit=${V1}`)).status, 404);
  // a work item that is not a micro-project
  const problem = await send(as.admin, 'POST', '/api/v1/items', { type: 'problem', title: '问题', unit: V1 });
  assert.equal((await as.sec(`/api/v1/microprojects/${problem.body.id}`)).status, 404);
});

test('a dropped project frees its wishes; linking later; participants', async () => {
  const w = await wish();
  const first = await create(as.sec, { unit: V1, title: '未立项项目', budget: 500, wishes: [w] });
  assert.equal(first.status, 201);
  const second = await create(as.sec, { unit: V1, title: '第二个项目', budget: 900 });
  assert.equal(second.status, 201);
  const id = second.body.id;
  const link = (body) => send(as.sec, 'POST', `/api/v1/microprojects/${id}/wishes`, body);
  assert.equal((await link({ wishes: [w] })).status, 409);
  assert.equal((await link({ wishes: [] })).status, 400);
  assert.equal((await step(as.sec, first.body.id, { transition: 'drop', note: '资金不足' })).status, 200);
  const linked = await link({ wishes: [w] });
  assert.equal(linked.status, 201, JSON.stringify(linked.body));
  assert.deepEqual(linked.body.wishes.map((x) => x.id), [w]);
  assert.equal((await link({ wishes: [w] })).status, 409, 'already in this project');
  // participants
  const part = (body) => send(as.sec, 'POST', `/api/v1/microprojects/${id}/participants`, body);
  for (const bad of [{ kind: 'alien', name: 'x', count: 1 }, { kind: 'person', name: '', count: 1 },
    { kind: 'person', name: '张三', count: 0 }, { kind: 'person', name: '张三', count: 10001 },
    { kind: 'person', name: '张三', count: 1.5 }, { kind: 'person', name: '张三' }]) {
    const r = await part(bad);
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
  }
  assert.equal(count(`SELECT count(*) FROM microproject_participants WHERE project_id = ${id}`), 0);
  assert.equal((await part({ kind: 'person', name: '张三', count: 1 })).status, 201);
  assert.equal((await part({ kind: 'enterprise', name: '舞阳县某商贸公司', count: 12 })).status, 201);
  const got = await part({ kind: 'unit', name: '县供电公司', count: 5 });
  assert.equal(got.status, 201);
  assert.equal(got.body.participations, 18);
  assert.deepEqual(got.body.participants.map((p) => p.kind_label), ['个人', '企业', '单位']);
  assert.ok(count(`SELECT count(*) FROM audit WHERE action = 'microproject.participant'`) >= 3);
  // a dropped project takes no more participants
  assert.equal((await send(as.sec, 'POST', `/api/v1/microprojects/${first.body.id}/participants`, { kind: 'person', name: '李四', count: 1 })).status, 409);
});

test('steps to delivery; the public page; computed elements', async () => {
  const w = await wish();
  const r = await create(as.sec, { unit: V1, title: '路灯点亮工程', budget: 20000, wishes: [w] });
  const id = r.body.id;
  assert.equal((await send(as.sec, 'POST', `/api/v1/microprojects/${id}/participants`, { kind: 'person', name: '党员志愿者', count: 30 })).status, 201);
  const pub = async () => (await as.anon(`/api/v1/public/microprojects?unit=${TOWN}`)).body.items;
  assert.ok(!(await pub()).some((p) => p.id === id), 'not public before delivery');
  assert.equal((await step(as.sec, id, { transition: 'approve', note: '村民代表会议通过' })).status, 200);
  assert.equal((await step(as.sec, id, { transition: 'start', assignee: '王支书' })).status, 200);
  assert.equal((await step(as.sec, id, { transition: 'deliver' })).status, 400, 'evidence needed');
  assert.equal((await step(as.sec, id, { transition: 'deliver', evidence: '安装路灯 20 盏，验收照片存档' })).status, 200);
  const shown = (await pub()).find((p) => p.id === id);
  assert.ok(shown);
  assert.equal(shown.state_label, '已交付');
  assert.equal(shown.budget, 20000);
  assert.equal(shown.participations, 30);
  assert.deepEqual(shown.wishes.map((x) => x.id), [w]);
  assert.ok(!JSON.stringify(shown).includes('党员志愿者'), 'no participant names in public');
  assert.equal((await as.anon('/api/v1/public/microprojects?unit=999999999999')).status, 404);
  // computed elements, this year, rolled up to the township
  const year = chinaDay().slice(0, 4);
  const value = async (code) => {
    const v = await as.admin(`/api/v1/analytics?expr=%23%7B${code}%7D&unit=${TOWN}&period=${year}`);
    assert.equal(v.status, 200, JSON.stringify(v.body));
    return v.body.value;
  };
  assert.equal(await value('microprojects.done'), 1);
  assert.equal(await value('microprojects.participations'),
    count('SELECT coalesce(sum(count), 0) FROM microproject_participants'));
});
