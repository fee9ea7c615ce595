// 通知公告: a township announces to all its villages with an attachment;
// every account below receives it once, reading is the receipt, the
// township (and the county) see who has read it, nobody outside sees it;
// a bad notice is refused whole.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, tokenFor, jicengOk, passwordFile } from '../lib/server.js';

const COUNTY = '411121';
const TOWN = '411121100';
const V1 = '411121100201';
const V2 = '411121100202';
const OTHER_TOWN = '411121101';
let srv;
const as = {};

const post = (who, p, body) => who(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
// The smallest PNG: what an upload must really be.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

before(async () => {
  srv = await startServer();
  const users = {
    town: ['township_admin', TOWN], sec1: ['village_secretary', V1], grid1: ['grid_worker', V1],
    sec2: ['village_secretary', V2], outsider: ['village_secretary', '411121101201'],
    county: ['county_admin', COUNTY], town2: ['township_admin', OTHER_TOWN],
  };
  for (const [name, [role, scope]] of Object.entries(users)) {
    const shown = name === 'town' ? ['--display-name', '王敏（舞泉镇组织委员）'] : [];
    jicengOk(['--data', srv.dataDir, 'user', 'add', name, '--role', role, '--scope', scope, ...shown,
      '--password-file', passwordFile(`Pw-notice-${role.length}-2026x`), '--own-password']);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
});
after(() => srv?.stop());

test('a township\'s notice reaches every account below it, with receipts', async () => {
  const up = await as.town('/api/v1/files', { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: PNG });
  assert.equal(up.status, 201, JSON.stringify(up.body));
  const sent = await post(as.town, '/api/v1/notices', {
    unit: TOWN, title: '关于开展冬季防火安全检查的通知', body: '各村：\r\n请于12月10日前完成辖区防火检查。', files: [{ sha256: up.body.sha256, name: '检查表.png' }],
  });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  const n = sent.body;
  assert.equal(n.recipients, 3, 'sec1, grid1, sec2: not the sender, not another township');
  assert.equal(n.read, 0);
  assert.deepEqual(n.unit, { code: TOWN, name: '舞泉镇' });
  assert.equal(n.receipts, true);
  assert.equal(n.files[0].name, '检查表.png');

  // Received: in the list, in the bell, readable with its attachment.
  const box = (await as.sec1('/api/v1/notices')).body.items;
  assert.deepEqual(box.map((x) => [x.id, x.title, x.read_at]), [[n.id, '关于开展冬季防火安全检查的通知', null]]);
  assert.equal(box[0].sender, '王敏（舞泉镇组织委员）', 'the sender by name, not login');
  const bell = (await as.sec1('/api/v1/notifications')).body;
  assert.equal(bell.unread, 1);
  assert.equal(bell.items[0].link, `#/notices/${n.id}`);
  assert.equal(bell.items[0].kind_name, '通知公告');
  const got = await as.sec1(`/api/v1/notices/${n.id}`);
  assert.equal(got.body.body, '各村：\n请于12月10日前完成辖区防火检查。', 'lines kept, \\r\\n read as \\n');
  assert.equal(got.body.receipts, false, 'a village does not see who read a township\'s notice');
  const file = await as.sec1(n.files[0].url);
  assert.equal(file.status, 200);
  assert.equal(file.headers.get('content-type'), 'image/png');

  // Reading is the receipt, once.
  const read = await post(as.sec1, `/api/v1/notices/${n.id}/read`, {});
  assert.equal(read.status, 200);
  assert.ok(read.body.read_at);
  assert.equal((await post(as.sec1, `/api/v1/notices/${n.id}/read`, {})).body.read_at, read.body.read_at);
  assert.equal((await as.sec1('/api/v1/notifications')).body.unread, 0);
  const receipts = (await as.town(`/api/v1/notices/${n.id}/receipts`)).body;
  assert.equal(receipts.total, 3);
  assert.equal(receipts.read, 1);
  assert.deepEqual(receipts.items.filter((r) => r.read_at).map((r) => r.unit.code), [V1]);
  assert.equal((await as.county(`/api/v1/notices/${n.id}/receipts`)).body.read, 1, 'the county oversees it');
  assert.equal((await as.town('/api/v1/notices?box=sent')).body.items[0].read, 1);

  // Outside: neither the notice nor its file nor its receipts.
  for (const p of [`/api/v1/notices/${n.id}`, n.files[0].url, `/api/v1/notices/${n.id}/receipts`])
    assert.equal((await as.town2(p)).status, 404, p);
  assert.deepEqual((await as.outsider('/api/v1/notices')).body.items, []);
  assert.equal((await post(as.outsider, `/api/v1/notices/${n.id}/read`, {})).status, 404);
  assert.equal((await as.sec1(`/api/v1/notices/${n.id}/receipts`)).status, 403);
  assert.equal((await as.sec1('/api/v1/notices?box=sent')).body.items.length, 0);
});

test('a bad notice is refused whole, saying why', async () => {
  const before = (await as.town('/api/v1/notices?box=sent')).body.items.length;
  const cases = [
    [{ unit: TOWN, title: '', body: '正文' }, 400, 'title'],
    [{ unit: TOWN, title: '标题', body: '' }, 400, 'body'],
    [{ unit: TOWN, title: 'x'.repeat(201), body: '正文' }, 400, 'title'],
    [{ unit: TOWN, title: '标题\n第二行', body: '正文' }, 400, 'title'],
    [{ unit: TOWN, title: '标题', body: '正文\u0007' }, 400, 'body'],
    [{ unit: TOWN, title: '标题', body: '正文', files: [{ sha256: 'a'.repeat(64), name: 'x.pdf' }] }, 400, 'files[0].sha256'],
    [{ unit: TOWN, title: '标题', body: '正文', extra: 1 }, 400, 'extra'],
    [{ unit: '411121101', title: '标题', body: '正文' }, 403, null],
    [{ unit: '411121100299', title: '标题', body: '正文' }, 404, null],
  ];
  for (const [body, status, field] of cases) {
    const r = await post(as.town, '/api/v1/notices', body);
    assert.equal(r.status, status, JSON.stringify(body) + ' → ' + JSON.stringify(r.body));
    if (field) assert.equal(r.body.error.field, field);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
  }
  // A unit with nobody to receive it: refused, nothing written.
  const empty = await post(as.town, '/api/v1/notices', { unit: '411121100203', title: '标题', body: '正文' });
  assert.equal(empty.status, 400);
  assert.match(empty.body.error.message, /还没有可以接收通知的账号/);
  assert.equal((await as.town('/api/v1/notices?box=sent')).body.items.length, before);
  assert.equal((await post(as.grid1, '/api/v1/notices', { unit: V1, title: '标题', body: '正文' })).status, 403, 'a grid worker does not send notices');
  assert.equal((await as.sec1('/api/v1/notices?box=outbox')).status, 400);
  assert.equal((await as.sec1('/api/v1/notices/abc')).status, 400);
  assert.equal((await as.sec1('/api/v1/notices/999999')).status, 404);
});
