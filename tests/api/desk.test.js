// 工作台 and notifications: a task dispatched to a village waits on the
// village's desk and tells its accounts; finished, it waits for the
// township's 验收 and tells the township; opening it or marking it read
// clears the bell. Then the webhook: every notification is POSTed to a
// gateway, signed, retried until it answers 2xx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { startServer, api, addUser, tokenFor, chinaDay, freshDataDir, jicengOk, passwordFile } from '../lib/server.js';

const TOWN = '411121100';
const V1 = '411121100201';
const V2 = '411121100202';
let srv;
const as = {};

function bearer(url, dir, name) {
  const token = tokenFor(dir, name);
  return (p, init = {}) => api(url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
}
const post = (who, p, body) => who(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

before(async () => {
  srv = await startServer();
  const users = {
    town: ['township_admin', TOWN], sec1: ['village_secretary', V1], grid1: ['grid_worker', V1],
    sec2: ['village_secretary', V2], county: ['county_admin', '411121'],
  };
  for (const [name, [role, scope]] of Object.entries(users)) {
    addUser(srv.dataDir, name, role, scope);
    as[name] = bearer(srv.url, srv.dataDir, name);
  }
});
after(() => srv?.stop());

const row = (rows, kind, state) => rows.find((r) => r.kind === kind && r.state === state);

test('a dispatched task waits on the village desk, then on the township\'s for 验收', async () => {
  const created = await post(as.town, '/api/v1/items', { type: 'dispatch', title: '排查村内危房', unit: V1, deadline: chinaDay(2) });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;

  // The village hears of it; the township that sent it does not.
  const heard = (await as.sec1('/api/v1/notifications')).body;
  assert.equal(heard.unread, 1);
  assert.deepEqual(
    (({ kind, kind_name, what, title, link, read }) => ({ kind, kind_name, what, title, link, read }))(heard.items[0]),
    { kind: 'dispatch', kind_name: '交办任务', what: '新建', title: '排查村内危房', link: `#/items/${id}`, read: false });
  assert.equal(heard.items[0].unit.code, V1);
  assert.equal((await as.grid1('/api/v1/notifications')).body.unread, 1, 'every account of the village that handles it');
  assert.equal((await as.town('/api/v1/notifications')).body.unread, 0);
  assert.equal((await as.sec2('/api/v1/notifications')).body.unread, 0, 'not the next village');

  // The village's desk: to do, due soon, listed by deadline.
  let desk = (await as.sec1('/api/v1/desk')).body;
  assert.equal(desk.unit.code, V1);
  assert.equal(desk.today, chinaDay(0));
  assert.deepEqual(row(desk.todo, 'dispatch', 'issued'),
    { kind: 'dispatch', kind_name: '交办任务', subject: 'item', state: 'issued', state_label: '已交办', count: 1, overdue: 0, due_soon: 1 });
  assert.deepEqual(desk.due.map((d) => [d.id, d.deadline, d.overdue]), [[id, chinaDay(2), false]]);
  assert.equal(desk.unread, 1);
  assert.equal(row((await as.town('/api/v1/desk')).body.review, 'dispatch', 'issued'), undefined, 'nothing to check yet');

  for (const [step, extra] of [['start', {}], ['complete', { note: '已排查 12 户，\n发现 2 处危房' }]]) {
    const r = await post(as.sec1, `/api/v1/items/${id}/transitions`, { transition: step, ...extra });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
  desk = (await as.sec1('/api/v1/desk')).body;
  assert.equal(row(desk.todo, 'dispatch', 'completed'), undefined, 'finished: no longer the village\'s');
  assert.deepEqual(desk.due, []);

  // Now the township checks it: on its desk and in its bell, with the step.
  const town = (await as.town('/api/v1/desk')).body;
  assert.equal(row(town.review, 'dispatch', 'completed').count, 1);
  assert.equal(row(town.review, 'dispatch', 'completed').state_label, '已办结');
  const told = (await as.town('/api/v1/notifications?unread=1')).body;
  assert.equal(told.unread, 1);
  assert.equal(told.items[0].what, '办结');
  assert.equal((await as.county('/api/v1/notifications')).body.unread, 0, 'only the nearest unit that reviews is told');

  // Opening the task reads what was said about it.
  assert.equal((await as.town(`/api/v1/items/${id}`)).status, 200);
  assert.equal((await as.town('/api/v1/notifications')).body.unread, 0);
});

test('notifications: marked read one by one or all at once, only one\'s own', async () => {
  const a = await post(as.town, '/api/v1/items', { type: 'dispatch', title: '整理党员花名册', unit: V2 });
  const b = await post(as.town, '/api/v1/items', { type: 'dispatch', title: '更新村务公开栏', unit: V2 });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  const list = (await as.sec2('/api/v1/notifications?limit=1')).body;
  assert.equal(list.unread, 2);
  assert.equal(list.items.length, 1);
  assert.equal(list.items[0].title, '更新村务公开栏', 'newest first');
  const next = (await as.sec2(`/api/v1/notifications?limit=1&after=${list.next}`)).body;
  assert.equal(next.items[0].title, '整理党员花名册');

  const theirs = await post(as.sec1, '/api/v1/notifications/read', { id: list.items[0].id });
  assert.equal(theirs.body.marked, 0, 'another\'s notification is not touched');
  const one = await post(as.sec2, '/api/v1/notifications/read', { id: list.items[0].id });
  assert.deepEqual(one.body, { marked: 1, unread: 1 });
  const all = await post(as.sec2, '/api/v1/notifications/read', { all: true });
  assert.deepEqual(all.body, { marked: 1, unread: 0 });

  for (const bad of [{}, { id: 'x' }, { id: 0 }, { id: 1.5 }, { id: 1, all: true }, { all: false }, { what: 1 }]) {
    const r = await post(as.sec2, '/api/v1/notifications/read', bad);
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/, 'a message a person can read');
  }
  assert.equal((await as.sec2('/api/v1/notifications?limit=0')).status, 400);
  assert.equal((await as.sec2('/api/v1/notifications?after=abc')).status, 400);
  assert.equal((await api(srv.url, '/api/v1/desk')).status, 401, 'a desk needs a login');
});

// A gateway on loopback: answers `status` (a function of the attempt).
function gateway(status) {
  const got = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = status(got.length);
      res.end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ got, url: `http://127.0.0.1:${server.address().port}/hook`, close: () => server.close() })));
}

async function until(what, ok, ms = 20000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('the webhook: each notification POSTed, signed, and retried until the gateway takes it', async () => {
  const hook = await gateway((n) => (n === 1 ? 503 : 200)); // down once, then up
  const dir = freshDataDir();
  const s = await startServer({ dataDir: dir, env: { JICENG_WEBHOOK_URL: hook.url, JICENG_WEBHOOK_SECRET: 's3cret-gateway', JICENG_WEBHOOK_RETRY: '1' } });
  try {
    addUser(dir, 'town', 'township_admin', TOWN);
    jicengOk(['--data', dir, 'user', 'add', 'sec1', '--role', 'village_secretary', '--scope', V1, '--phone', '13800138000', '--password-file', passwordFile('Pw-gateway-2026-x')]);
    const town = bearer(s.url, dir, 'town');
    const r = await post(town, '/api/v1/items', { type: 'dispatch', title: '清理河道垃圾', unit: V1 });
    assert.equal(r.status, 201);
    await until('a second delivery', () => hook.got.length >= 2);
    const [first, second] = hook.got;
    assert.equal(first.body, second.body, 'the retry sends the same rows');
    const sig = crypto.createHmac('sha256', 's3cret-gateway').update(second.body).digest('hex');
    assert.equal(second.headers['x-jiceng-signature'], `sha256=${sig}`);
    assert.equal(second.headers['content-type'], 'application/json');
    const { notifications } = JSON.parse(second.body);
    assert.equal(notifications.length, 1);
    const n = notifications[0];
    assert.equal(n.user, 'sec1');
    assert.equal(n.unit, V1);
    assert.equal(n.unit_name, '大杨庄村村民委员会');
    assert.equal(n.what, '新建');
    assert.equal(n.title, '清理河道垃圾');
    assert.equal(n.link, `#/items/${r.body.id}`);
    assert.match(n.text, /大杨庄村村民委员会：新建「清理河道垃圾」/);
    assert.ok(!/13800138000/.test(second.body), 'no phone number leaves');
    await new Promise((res) => setTimeout(res, 2500));
    assert.equal(hook.got.length, 2, 'delivered: not sent again');
  } finally {
    await s.stop();
    hook.close();
  }
});

test('a webhook address that is not http(s) stops the start', async () => {
  await assert.rejects(startServer({ env: { JICENG_WEBHOOK_URL: 'ftp://gateway/hook' } }), /webhook_url/);
});
