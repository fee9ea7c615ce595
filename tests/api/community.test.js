// Micro-wishes (微心愿, kinds/wish.json) and village deliberation (四议两公开,
// kinds/deliberation.json) on the case engine: a resident posts a wish with a
// sealed phone; the public board lists only checked wishes, without personal
// data; concurrent claims of one wish — exactly one wins; delivery with
// evidence, the beneficiary's confirmation by tracking code, closing by the
// township; meetings with quorum and majority computed from recorded
// attendance and votes (a vote count above attendance: 4xx, nothing
// written); the resolution and result on the public page; the computed
// elements wishes.posted, wishes.done, deliberation.issues, deliberation.disputes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, jicengOk, ROOT, chinaDay } from '../lib/server.js';

const COUNTY = '411121';
const TOWN = '411121100';
const V1 = '411121100201';
const YEAR = chinaDay().slice(0, 4);
let srv;
const as = {};

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  const users = { town: ['township_admin', TOWN], grid: ['grid_worker', V1], grid2: ['village_secretary', V1], other: ['township_admin', '411121101'] };
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
const board = async (type = 'wish', unit = TOWN) => {
  const r = await as.anon(`/api/v1/public/cases?type=${type}&unit=${unit}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.items;
};
const wish = async (description, extra = {}) => {
  const r = await send(as.anon, 'POST', '/api/v1/public/requests', { type: 'wish', unit: V1, category: '学习用品', description, contact: '13812345678', ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const found = (await as.admin(`/api/v1/items?type=wish&limit=200`)).body.items.find((i) => i.description === description);
  return { code: r.body.code, id: found.id };
};

test('a resident posts a wish: phone sealed, categories of the kind, bad input refused', async () => {
  const cats = await as.anon('/api/v1/public/categories?type=wish');
  assert.equal(cats.status, 200);
  assert.ok(cats.body.items.includes('学习用品'));
  assert.equal((await as.anon('/api/v1/public/categories?type=problem')).status, 400);
  const { code, id } = await wish('孩子想要一个新书包，电话13812345678');
  const sealed = sql(srv.dataDir, `SELECT contact_sealed FROM cases WHERE id = ${id};`);
  assert.ok(sealed.trim().length > 0);
  assert.ok(!sealed.includes('13812345678'));
  const status = await as.anon(`/api/v1/public/requests/${code}`);
  assert.equal(status.status, 200);
  assert.equal(status.body.type, 'wish');
  assert.equal(status.body.state_label, '已征集');
  assert.ok(!JSON.stringify(status.body).includes('13812345678'));
  const before = count('SELECT count(*) FROM cases');
  for (const bad of [
    { type: 'problem', unit: V1, category: '其他', description: '不能由群众提交的类型' },
    { type: 'wish', unit: V1, description: '没有类别' },
    { type: 'wish', unit: V1, category: '环境卫生', description: '诉求的类别不是心愿的' },
    { type: 'wish', unit: TOWN, category: '其他', description: '乡镇不是村' },
    { type: 'wish', unit: V1, category: '其他', description: 'x'.repeat(3000) },
  ]) {
    const r = await send(as.anon, 'POST', '/api/v1/public/requests', bad);
    assert.equal(r.status, 400, JSON.stringify(bad).slice(0, 80));
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
  }
  assert.equal(count('SELECT count(*) FROM cases'), before);
});

test('the public board: only checked wishes, no personal data, 404 for others', async () => {
  const { id } = await wish('独居老人希望有人帮忙换灯泡，联系13912345678');
  assert.ok(!(await board()).some((w) => w.id === id), 'not before it is checked');
  assert.equal((await as.anon(`/api/v1/public/cases/${id}`)).status, 404);
  assert.equal((await step(as.grid, id, { transition: 'list' })).status, 200);
  const item = (await board()).find((w) => w.id === id);
  assert.ok(item);
  assert.equal(item.state_label, '待认领');
  assert.equal(item.unit.code, V1);
  assert.ok(item.unit.name);
  const text = JSON.stringify(item);
  assert.ok(!text.includes('13912345678'), 'phone masked');
  for (const k of ['contact', 'created_by', 'assignee', 'code']) assert.ok(!(k in item), k);
  assert.equal((await as.anon('/api/v1/public/cases?type=problem')).status, 400);
  assert.equal((await as.anon('/api/v1/public/cases')).status, 400);
  assert.equal((await as.anon('/api/v1/public/cases?type=wish&unit=999999999999')).status, 404);
  assert.equal((await as.anon('/api/v1/public/cases/abc')).status, 400);
  // other townships see it on the board of their own county only by unit
  assert.ok(!(await board('wish', '411121101')).some((w) => w.id === id));
});

test('concurrent claims of one wish: exactly one wins, the others are refused', async () => {
  const { id } = await wish('困难家庭需要两床棉被');
  assert.equal((await step(as.grid, id, { transition: 'list' })).status, 200);
  const claimants = [as.grid, as.grid2, as.town, as.admin, as.grid, as.grid2, as.town, as.admin];
  const results = await Promise.all(claimants.map((who, i) =>
    step(who, id, { transition: 'claim', assignee: `认领人${i}`, note: i % 2 ? '企业认领' : '党员认领' })));
  const won = results.filter((r) => r.status === 200);
  assert.equal(won.length, 1, results.map((r) => r.status).join(','));
  for (const r of results.filter((x) => x.status !== 200)) {
    assert.ok([400, 409].includes(r.status), `${r.status} ${JSON.stringify(r.body)}`);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
  }
  assert.equal(count(`SELECT count(*) FROM case_events WHERE case_id = ${id} AND transition = 'claim'`), 1);
  const got = (await as.admin(`/api/v1/items/${id}`)).body;
  assert.equal(got.state, 'claimed');
  assert.equal(got.assignee, won[0].body.assignee);
  // out of scope: another township cannot claim or read it
  const { id: id2 } = await wish('需要一套课外读物');
  assert.equal((await step(as.grid, id2, { transition: 'list' })).status, 200);
  assert.ok([403, 404].includes((await step(as.other, id2, { transition: 'claim', assignee: '外乡镇', note: '单位认领' })).status));
  // a claim names the claimant
  const bare = await step(as.grid, id2, { transition: 'claim', note: '党员认领' });
  assert.equal(bare.status, 400);
  assert.equal(bare.body.error.field, 'assignee');
});

test('delivered with evidence, confirmed by the beneficiary, closed by the township; counted', async () => {
  const { id, code } = await wish('希望有一台上网课的旧电脑');
  assert.equal((await step(as.grid, id, { transition: 'list' })).status, 200);
  assert.equal((await step(as.grid, id, { transition: 'claim', assignee: '舞泉食品有限公司', note: '企业认领' })).status, 200);
  assert.equal((await step(as.grid, id, { transition: 'deliver' })).body.error.field, 'evidence');
  const upload = await as.grid('/api/v1/files', { method: 'POST', body: Buffer.from('%PDF-1.4\n%%EOF\n') });
  assert.equal(upload.status, 201);
  assert.equal((await step(as.grid, id, { transition: 'deliver', files: [{ sha256: upload.body.sha256, name: '送达照片.pdf' }] })).status, 200);
  // staff cannot confirm for the resident through the resident's step
  assert.equal((await step(as.grid, id, { transition: 'confirm', rating: 5 })).status, 403);
  const rated = await send(as.anon, 'POST', `/api/v1/public/requests/${code}/rating`, { rating: 5, note: '谢谢' });
  assert.equal(rated.status, 200, JSON.stringify(rated.body));
  assert.equal(rated.body.state_label, '已反馈');
  // the village cannot close its own wish; the township does
  assert.equal((await step(as.grid, id, { transition: 'close' })).status, 403);
  assert.equal((await step(as.town, id, { transition: 'close' })).status, 200);
  const done = (await board()).find((w) => w.id === id);
  assert.equal(done.state_label, '已销号');
  const posted = await as.admin(`/api/v1/analytics?expr=%23%7Bwishes.posted%7D&unit=${COUNTY}&period=${YEAR}`);
  assert.equal(posted.status, 200, JSON.stringify(posted.body));
  assert.equal(posted.body.value, count(`SELECT count(*) FROM cases WHERE kind = 'wish'`));
  const closed = await as.admin(`/api/v1/analytics?expr=%23%7Bwishes.done%7D&unit=${V1}&period=${YEAR}`);
  assert.equal(closed.body.value, 1);
});

test('四议两公开: quorum and majority from attendance and votes; bad counts refused, nothing written', async () => {
  const made = await send(as.grid, 'POST', '/api/v1/items', { type: 'deliberation', title: '村内道路硬化', description: '主干道硬化 1.2 公里', unit: V1 });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const id = made.body.id;
  const events = () => count(`SELECT count(*) FROM case_events WHERE case_id = ${id}`);
  const n0 = events();
  const refused = async (body, field, re) => {
    const r = await step(as.grid, id, body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.field, field);
    assert.match(r.body.error.message, re);
  };
  const meet = (transition, entitled, present, agreeing) => ({ transition, note: '会议记录', entitled, present, agreeing });
  await refused(meet('consult', 7, 8, 5), 'present', /实到人数（8）不能多于应到人数（7）/);
  await refused(meet('consult', 7, 6, 7), 'agreeing', /投票数不能超过到会人数/);
  await refused(meet('consult', 7, 3, 3), 'present', /1\/2 以上到会/);
  await refused(meet('consult', 7, 6, 3), 'agreeing', /过半数同意/);
  await refused({ transition: 'consult', entitled: 7, present: 6, agreeing: 5 }, 'note', /说明|填写/);
  await refused(meet('consult', 7, 6, 'x'), 'agreeing', /整数|不认识/);
  assert.equal(events(), n0, 'nothing written');
  assert.equal((await as.grid(`/api/v1/items/${id}`)).body.state, 'proposed');
  assert.equal((await step(as.grid, id, meet('consult', 7, 6, 5))).status, 200);
  // 党员大会: two thirds present (45 → at least 30), more than half of those present agree
  await refused(meet('review', 45, 29, 29), 'present', /2\/3 以上到会/);
  await refused(meet('review', 45, 30, 15), 'agreeing', /过半数同意/);
  assert.equal((await step(as.grid, id, meet('review', 45, 30, 16))).status, 200);
  assert.equal((await step(as.grid, id, meet('resolve', 31, 28, 25))).status, 200);
  const recorded = (await as.grid(`/api/v1/items/${id}`)).body;
  assert.equal(recorded.state, 'resolved');
  assert.equal((await as.anon(`/api/v1/public/cases/${id}`)).status, 404, 'not public before 决议公开');
  assert.equal((await step(as.grid, id, { transition: 'announce', note: '决议：硬化主干道，预算 36 万元' })).status, 200);
  const pub = await as.anon(`/api/v1/public/cases/${id}`);
  assert.equal(pub.status, 200, JSON.stringify(pub.body));
  assert.equal(pub.body.state_label, '决议已公开');
  const resolve = pub.body.steps.find((s) => s.label === '村民代表会议决议');
  assert.deepEqual(resolve.numbers, [{ label: '应到人数', value: 31 }, { label: '实到人数', value: 28 }, { label: '赞成人数', value: 25 }]);
  assert.ok(!JSON.stringify(pub.body).includes('grid'), 'no actor');
  assert.ok((await board('deliberation', COUNTY)).some((c) => c.id === id));
  assert.equal((await step(as.grid, id, { transition: 'implement', evidence: '施工合同与验收单' })).status, 200);
  assert.equal((await step(as.grid, id, { transition: 'publicise', note: '实施结果已公开' })).status, 200);
  assert.equal((await as.anon(`/api/v1/public/cases/${id}`)).body.state_label, '实施结果已公开');
  const issues = await as.admin(`/api/v1/analytics?expr=%23%7Bdeliberation.issues%7D&unit=${TOWN}&period=${YEAR}`);
  assert.equal(issues.status, 200, JSON.stringify(issues.body));
  assert.equal(issues.body.value, 1);
});

test('deliberation.disputes counts disputes resolved (化解)', async () => {
  const d = (await send(as.grid, 'POST', '/api/v1/items', { type: 'dispute', title: '宅基地边界', unit: V1 })).body.id;
  assert.equal((await step(as.grid, d, { transition: 'mediate' })).status, 200);
  assert.equal((await step(as.grid, d, { transition: 'resolve', note: '双方达成协议' })).status, 200);
  const r = await as.admin(`/api/v1/analytics?expr=%23%7Bdeliberation.disputes%7D&unit=${COUNTY}&period=${YEAR}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.value, 1);
});
