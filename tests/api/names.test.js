// Names, not codes, in front of people: wherever the API hands out a login
// name kept in a case or the audit trail, the person's display name comes
// with it (actor_name, created_by_name, user_name, people), and a unit's
// code comes with its name (unit_name).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, tokenFor, jicengOk, passwordFile } from '../lib/server.js';

const TOWN = '411121100'; // 舞泉镇
const V1 = '411121100201'; // a village of 舞泉镇
let srv;
const as = {};

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  const users = { town_n: ['township_admin', TOWN, '王敏'], grid_n: ['grid_worker', V1, '赵网格'] };
  for (const [name, [role, scope, shown]] of Object.entries(users)) {
    jicengOk(['--data', srv.dataDir, 'user', 'add', name, '--role', role, '--scope', scope, '--display-name', shown,
      '--password-file', passwordFile(`Pw-names-${role.length}-2026x`), '--own-password']);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
});
after(() => srv?.stop());

const post = (who, p, body) => who(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

test('an item\'s timeline and its 提交人 carry display names; a list names its people', async () => {
  const created = await post(as.grid_n, '/api/v1/items', { type: 'problem', title: '路灯损坏', unit: V1, measures: '更换灯泡' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  assert.equal(created.body.created_by, 'grid_n');
  assert.equal(created.body.created_by_name, '赵网格');
  await post(as.grid_n, `/api/v1/items/${id}/transitions`, { transition: 'start' });
  await post(as.grid_n, `/api/v1/items/${id}/transitions`, { transition: 'finish', evidence: '照片' });
  const done = await post(as.town_n, `/api/v1/items/${id}/transitions`, { transition: 'verify', note: '已核查' });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.deepEqual(done.body.timeline.map((e) => [e.actor, e.actor_name]),
    [['grid_n', '赵网格'], ['grid_n', '赵网格'], ['grid_n', '赵网格'], ['town_n', '王敏']]);
  const fresh = await as.town_n(`/api/v1/items/${id}`);
  assert.equal(fresh.body.timeline.at(-1).actor_name, '王敏');
  assert.equal(fresh.body.created_by_name, '赵网格');

  const list = await as.town_n('/api/v1/items?limit=50');
  assert.equal(list.status, 200);
  assert.ok(list.body.items.some((i) => i.id === id));
  assert.equal(list.body.people.grid_n, '赵网格');

  // residents' view names nobody
  const rq = await api(srv.url, '/api/v1/public/requests', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ unit: V1, category: '道路交通', description: '路面坑洼需要修补', contact: '13800138000' }) });
  assert.equal(rq.status, 201, JSON.stringify(rq.body));
  const track = await api(srv.url, `/api/v1/public/requests/${rq.body.code}`);
  assert.ok(track.body.timeline.length > 0);
  assert.ok(track.body.timeline.every((e) => !('actor' in e) && !('actor_name' in e)));
});

test('操作日志 records come with the person\'s name, the unit\'s name and the user\'s name', async () => {
  const rename = await srv.api('/api/v1/users/grid_n', { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ display_name: '赵二' }) });
  assert.equal(rename.status, 200);
  const records = (await srv.api(`/api/v1/audit?unit=${TOWN}&limit=100`)).body.items;
  const upd = records.find((r) => r.action === 'user.update' && r.entity === 'user:grid_n');
  assert.equal(upd.user, 'admin');
  assert.equal(upd.user_name, '系统管理员');
  assert.equal(upd.entity_name, '赵二', 'the name people know the user by now');
  assert.equal(upd.unit, V1);
  assert.match(upd.unit_name, /大杨庄村/);
  // what was recorded is as it was: codes and images untouched
  assert.equal(upd.before.display_name, '赵网格');
  assert.equal(upd.after.display_name, '赵二');
  const step = records.find((r) => r.action === 'item.verify');
  assert.equal(step.user_name, '王敏');
  const cli = records.find((r) => r.user === 'cli');
  assert.equal(cli.user_name, '命令行');
  // a page of records reads each name once and pages on as before
  const page1 = await srv.api('/api/v1/audit?limit=2');
  assert.equal(page1.body.items.length, 2);
  const page2 = await srv.api(`/api/v1/audit?limit=2&after=${page1.body.next}`);
  assert.ok(page2.body.items[0].seq < page1.body.items[1].seq);
  assert.equal(jicengOk(['--data', srv.dataDir, 'audit', 'verify']).includes('jiceng'), true);
});
