// ID-card and phone numbers typed into free text — a resident's request,
// titles, measures, notes, comments, file names, rating answers — are
// stored as typed, shown as typed to roles with pii:read, and masked
// (core/pii.c) on public pages and for everyone else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, addUser, tokenFor, sql, jiceng } from '../lib/server.js';

const V1 = '411121100201';
const SCHEME = 'village-2026';
const PHONE = '13812345678';
const PHONE_SPACED = '139 0000 1111';
const ID = '11010519491231002X';
const MASKED = { phone: '138****5678', spaced: '139****1111', id: '110105********002X' };
let srv;
const as = {};

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  const users = { town: ['township_admin', '411121100'], grid: ['grid_worker', V1], secretary: ['village_secretary', V1] };
  for (const [name, [role, scope]] of Object.entries(users)) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
});
after(() => srv?.stop());

const send = (who, method, p, body) => who(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const anon = (p, body) => api(srv.url, p, body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

function hidden(body, what) {
  const text = JSON.stringify(body);
  for (const raw of [PHONE, ID, PHONE_SPACED, '13900001111', '110105194912'])
    assert.ok(!text.includes(raw), `${what} shows ${raw}`);
}

let code;
let id;

test('a resident\'s request: masked on the tracking page and for roles without pii:read', async () => {
  const description = `村口路灯不亮，请回电${PHONE}或${PHONE_SPACED}，户主身份证${ID}。`;
  const made = await anon('/api/v1/public/requests', { unit: V1, category: '道路交通', description, location: `村口（联系 ${PHONE}）` });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  code = made.body.code;
  id = Number(sql(srv.dataDir, `SELECT id FROM cases WHERE tracking_code = '${code}';`).trim());
  assert.equal(sql(srv.dataDir, `SELECT description FROM cases WHERE id = ${id};`).trim(), description, 'stored as typed');

  const town = (await as.town(`/api/v1/items/${id}`)).body;
  assert.equal(town.description, description, 'pii:read sees it as typed');
  assert.match(town.location, new RegExp(PHONE));

  const grid = (await as.grid(`/api/v1/items/${id}`)).body;
  hidden(grid, 'item page without pii:read');
  assert.equal(grid.description, `村口路灯不亮，请回电${MASKED.phone}或${MASKED.spaced}，户主身份证${MASKED.id}。`);
  assert.equal(grid.location, `村口（联系 ${MASKED.phone}）`);
  hidden((await as.grid(`/api/v1/items?unit=${V1}`)).body, 'item list without pii:read');

  const pub = (await anon(`/api/v1/public/requests/${code}`)).body;
  hidden(pub, 'tracking page');
  assert.match(pub.description, /请回电138\*\*\*\*5678/);
});

test('timelines: notes, evidence, file names and reassignments', async () => {
  const step = (who, body) => send(who, 'POST', `/api/v1/items/${id}/transitions`, body);
  assert.equal((await step(as.town, { transition: 'accept' })).status, 200);
  const dispatched = await step(as.town, { transition: 'dispatch', assignee: `王五 ${PHONE}` });
  assert.equal(dispatched.status, 200, JSON.stringify(dispatched.body));
  const moved = await send(as.town, 'POST', `/api/v1/items/${id}/reassign`, { assignee: `赵六${PHONE_SPACED}`, note: `改由赵六负责，身份证 ${ID}` });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
  const pdf = await as.grid('/api/v1/files', { method: 'POST', body: Buffer.from('%PDF-1.4\n% 联系人\n%%EOF\n') });
  assert.equal(pdf.status, 201);
  const comment = await send(as.grid, 'POST', `/api/v1/items/${id}/comments`, { note: `已联系 ${PHONE}`, files: [{ sha256: pdf.body.sha256, name: `回访-${PHONE}.pdf` }] });
  assert.equal(comment.status, 201, JSON.stringify(comment.body));
  hidden(comment.body, 'the answer to a comment without pii:read');
  const resolved = await step(as.town, { transition: 'resolve', note: `已修复，回访电话 ${PHONE}` });
  assert.equal(resolved.status, 200);

  const grid = (await as.grid(`/api/v1/items/${id}`)).body;
  hidden(grid, 'timeline without pii:read');
  const reassign = grid.timeline.find((e) => e.kind === 'reassign');
  assert.deepEqual(reassign.changes.assignee, [`王五 ${MASKED.phone}`, `赵六${MASKED.spaced}`], 'changes keep their shape');
  assert.equal(grid.timeline.find((e) => e.kind === 'comment').files[0].name, `回访-${MASKED.phone}.pdf`);
  const town = (await as.town(`/api/v1/items/${id}`)).body;
  assert.ok(JSON.stringify(town).includes(ID) && JSON.stringify(town.timeline).includes(PHONE), 'pii:read sees the timeline as typed');

  const pub = (await anon(`/api/v1/public/requests/${code}`)).body;
  hidden(pub, 'public timeline');
  assert.ok(pub.timeline.some((e) => e.note === `已修复，回访电话 ${MASKED.phone}`));
});

test('exports and Open311 mask too', async () => {
  const grid = await as.grid(`/api/v1/items/export?unit=${V1}&format=csv`);
  assert.equal(grid.status, 200);
  hidden(grid.body, 'CSV export without pii:read');
  assert.ok(grid.body.includes(MASKED.phone));
  assert.ok((await as.town(`/api/v1/items/export?unit=${V1}&format=csv`)).body.includes(PHONE));
  const r = jiceng(['--data', srv.dataDir, 'open311', 'key', 'create', '--name', '12345热线']);
  assert.equal(r.status, 0, r.stderr);
  const list = await (await fetch(`${srv.url}/open311/v2/requests.json?api_key=${r.stdout.trim()}`)).json();
  assert.ok(list.length >= 1);
  hidden(list, 'Open311 requests');
});

test('rating pages: answer notes', async () => {
  assert.equal((await send(as.secretary, 'POST', '/api/v1/ratings', { scheme: SCHEME, unit: V1, target: 3 })).status, 201);
  const put = await send(as.secretary, 'PUT', `/api/v1/ratings/${V1}/answers?scheme=${SCHEME}`, {
    indicators: [{ code: 'party.organisation', score: 18, note: `支委会记录由 ${PHONE} 保管` }],
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  hidden(put.body, 'rating page of a village secretary');
  const note = (b) => b.indicators.find((i) => i.code === 'party.organisation').answer.note;
  assert.equal(note(put.body), `支委会记录由 ${MASKED.phone} 保管`);
  assert.equal(note((await as.town(`/api/v1/ratings/${V1}?scheme=${SCHEME}`)).body), `支委会记录由 ${PHONE} 保管`);
});

test('a resident\'s title never ends inside a number', async () => {
  const description = `${'这'.repeat(17)}电话${PHONE}，后面还有很多很多文字`;
  const made = await anon('/api/v1/public/requests', { unit: V1, category: '其他', description });
  assert.equal(made.status, 201);
  const title = sql(srv.dataDir, `SELECT title FROM cases WHERE tracking_code = '${made.body.code}';`).trim();
  assert.equal(title, `${'这'.repeat(17)}电话`, 'cut before the number, not through it');
});
