// A new kind of case is one JSON file: written into a folder named by
// kinds_dir (JICENG_KINDS_DIR), it runs on the case engine through the
// items API with no new C — states, transitions, a named guard — and a
// file naming what the engine does not have stops the start, saying
// where.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, tempDir, jiceng, addUser, login, api } from '../lib/server.js';

// 合理化建议: a resident's or a cadre's suggestion, adopted or declined by
// someone other than whoever made it (four eyes: the not_submitter guard).
const SUGGESTION = {
  code: 'suggestion',
  name: '合理化建议',
  create_perm: 'items:create',
  initial: 'submitted',
  categories: ['村务管理', '产业发展', '其他'],
  states: [
    { code: 'submitted', label: '待研究' },
    { code: 'studying', label: '研究中' },
    { code: 'adopted', label: '已采纳', final: true },
    { code: 'declined', label: '未采纳', final: true },
  ],
  transitions: [
    { code: 'study', label: '开始研究', from: ['submitted'], to: 'studying', perm: 'items:handle' },
    { code: 'adopt', label: '采纳', from: ['studying'], to: 'adopted', perm: 'items:review', needs: ['note'], guards: ['not_submitter'] },
    { code: 'decline', label: '不予采纳', from: ['studying'], to: 'declined', perm: 'items:review', needs: ['note'] },
  ],
};

let srv, kinds, town;
const TOWN = '411121100';

before(async () => {
  kinds = tempDir('jiceng-kinds-');
  fs.writeFileSync(path.join(kinds, 'suggestion.json'), JSON.stringify(SUGGESTION, null, 2));
  srv = await startServer({ env: { JICENG_KINDS_DIR: kinds } });
  const password = addUser(srv.dataDir, 'wuquan', 'township_admin', TOWN);
  town = await login(srv.url, 'wuquan', password);
});
after(() => srv?.stop());

const post = (who, p, body) => api(srv.url, p, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', Cookie: who.cookie, 'X-CSRF-Token': who.csrf },
  body: JSON.stringify(body),
});
const asAdmin = (p, body) => srv.api(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

test('a kind from a JSON file is offered and runs through the items API', async () => {
  const types = (await srv.api('/api/v1/item-types')).body.items;
  const t = types.find((x) => x.code === 'suggestion');
  assert.ok(t, 'the new kind is listed');
  assert.equal(t.name, '合理化建议');
  assert.deepEqual(t.states.map((s) => [s.code, s.final]), [['submitted', false], ['studying', false], ['adopted', true], ['declined', true]]);
  assert.ok(!types.some((x) => x.code === 'rating'), 'ratings are cases, but not items');

  const created = await asAdmin('/api/v1/items', { type: 'suggestion', title: '村口增设快递代收点', category: '村务管理', unit: '411121100201' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.state, 'submitted');
  assert.equal(created.body.state_label, '待研究');
  const id = created.body.id;
  assert.equal((await asAdmin('/api/v1/items', { type: 'suggestion', title: 'x', category: '交通', unit: '411121100201' })).status, 400, 'categories are the file\'s');

  const studied = await asAdmin(`/api/v1/items/${id}/transitions`, { transition: 'study' });
  assert.equal(studied.status, 200, JSON.stringify(studied.body));
  assert.deepEqual(studied.body.available.map((s) => s.code), ['adopt', 'decline']);

  // The guard named in the file: whoever submitted it may not adopt it.
  const own = await asAdmin(`/api/v1/items/${id}/transitions`, { transition: 'adopt', note: '采纳' });
  assert.equal(own.status, 403);
  assert.match(own.body.error.message, /提交人不能自己采纳/);
  // needs: a note
  const bare = await post(town, `/api/v1/items/${id}/transitions`, { transition: 'adopt' });
  assert.equal(bare.status, 400);
  assert.equal(bare.body.error.field, 'note');
  const adopted = await post(town, `/api/v1/items/${id}/transitions`, { transition: 'adopt', note: '经两委研究，予以采纳' });
  assert.equal(adopted.status, 200, JSON.stringify(adopted.body));
  assert.equal(adopted.body.state, 'adopted');
  assert.equal(adopted.body.final, true);
  assert.ok(adopted.body.closed_at);
  assert.deepEqual(adopted.body.timeline.map((e) => [e.kind, e.label, e.actor]),
    [['create', '提交', 'admin'], ['transition', '开始研究', 'admin'], ['transition', '采纳', 'wuquan']]);
  assert.deepEqual(adopted.body.available, []);

  // Listed, filtered and exported like any item; audited like any step.
  const listed = (await srv.api(`/api/v1/items?type=suggestion&unit=${TOWN}`)).body.items;
  assert.deepEqual(listed.map((x) => x.id), [id]);
  const audit = (await srv.api('/api/v1/audit?limit=20')).body.items.map((a) => a.action);
  assert.ok(audit.includes('item.adopt'));
});

test('a review step ("by": "above") is the units\' over the owner, never the owner\'s own', async () => {
  const county = await login(srv.url, 'wuyang', addUser(srv.dataDir, 'wuyang', 'county_admin', '411121'));
  const created = await asAdmin('/api/v1/items', { type: 'problem', title: '镇机关食堂台账不全', category: '组织建设', unit: TOWN });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  for (const step of [{ transition: 'start' }, { transition: 'finish', evidence: '台账已补齐，见镇党政办存档' }])
    assert.equal((await post(town, `/api/v1/items/${id}/transitions`, step)).status, 200);
  const mine = await api(srv.url, `/api/v1/items/${id}`, { headers: { Cookie: town.cookie } });
  assert.deepEqual(mine.body.available.map((s) => s.code), [], 'the township does not see 销号 on its own item');
  const own = await post(town, `/api/v1/items/${id}/transitions`, { transition: 'verify' });
  assert.equal(own.status, 403);
  assert.match(own.body.error.message, /须由上级单位办理，本单位不能自己销号/);
  const above = await api(srv.url, `/api/v1/items/${id}`, { headers: { Cookie: county.cookie } });
  assert.deepEqual(above.body.available.map((s) => s.code), ['verify', 'reopen']);
  assert.equal((await post(county, `/api/v1/items/${id}/transitions`, { transition: 'verify' })).status, 200);
});

// Starts any command that opens the app with these kind files; returns its stderr.
function openWith(files) {
  const dir = tempDir('jiceng-kinds-');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const r = jiceng(['--data', srv.dataDir, 'audit', 'verify'], { env: { ...process.env, JICENG_KINDS_DIR: dir } });
  return { status: r.status, stderr: r.stderr, dir };
}

test('a kind naming what the engine does not have stops the start, with its file and line', () => {
  const bad = (change) => JSON.stringify(change(structuredClone(SUGGESTION)), null, 2);
  const cases = [
    [bad((k) => { k.transitions[1].guards = ['not_submiter']; return k; }), /suggestion\.json:\d+: transitions\[1\]\.guards\[0\]: 不认识的条件 "not_submiter"/],
    [bad((k) => { k.transitions[1].guards = ['answers_complete']; return k; }), /"answers_complete" 只能用于 subject 为 "rating" 的类型/],
    [bad((k) => { k.transitions[1].effects = ['open_notice']; k.subject = 'rating'; return k; }), /转入的状态是公示中（notice），"adopted" 不是/],
    [bad((k) => { k.transitions[1].perm = 'items:adopt'; return k; }), /transitions\[1\]\.perm: 没有权限 "items:adopt"/],
    [bad((k) => { k.states.push({ code: 'lost', label: '遗失' }); return k; }), /states\[4\]: 状态 "lost" 无法从初始状态 "submitted" 到达/],
    [bad((k) => { k.code = 'problem'; return k; }), /类型代码 "problem" 已被使用/],
    [bad((k) => { k.subject = 'meeting'; return k; }), /subject: 不认识的对象 "meeting"/],
    ['{"code": "x",\n"name" "y"}', /suggestion\.json:2:/],
  ];
  for (const [text, want] of cases) {
    const r = openWith({ 'suggestion.json': text });
    assert.equal(r.status, 1, text);
    assert.match(r.stderr, want);
    assert.ok(r.stderr.includes(r.dir), 'the message names the folder');
  }
  // The line is the offending member's.
  const text = bad((k) => { k.transitions[2].guards = ['nobody']; return k; });
  const line = text.split('\n').findIndex((l) => l.includes('"nobody"')) + 1;
  assert.match(openWith({ 'suggestion.json': text }).stderr, new RegExp(`suggestion\\.json:${line}: `));
});
