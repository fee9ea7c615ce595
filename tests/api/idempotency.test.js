// Writes made with an Idempotency-Key (app/idempotency.h): a repeat of the
// request gets the first answer and writes nothing more — at once, under
// concurrent repeats, and after a restart; a key used for another request,
// or malformed, is refused; a request that failed left nothing, so its key
// may carry the corrected request. Counted in the database, not trusted
// from the answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql, api, addUser, tokenFor, idNumber } from '../lib/server.js';

const V1 = '411121100201';
let srv;

before(async () => {
  srv = await startServer({ provinces: ['41'] });
});
after(() => srv?.stop());

let serial = 100;
const person = () => ({ name: `幂等${serial}`, unit: V1, sex: '男', id_number: idNumber(`41112119700101${String(serial++).padStart(3, '0')}`) });
const post = (body, key) =>
  srv.api('/api/v1/persons', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
    body: JSON.stringify(body),
  });
const persons = () => Number(sql(srv.dataDir, 'SELECT count(*) FROM persons;').trim());

test('a repeat gets the first answer and writes nothing more', async () => {
  const body = person();
  const n = persons();
  const first = await post(body, 'k-repeat-1');
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal(first.headers.get('idempotent-replayed'), null);
  const again = await post(body, 'k-repeat-1');
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(again.body, first.body);
  assert.equal(persons(), n + 1);
  // without a key the same request is a new write (here refused: the ID number exists)
  assert.equal((await post(body)).status, 409);
  assert.equal(persons(), n + 1);
});

test('a key used for another request, or malformed, is refused and writes nothing', async () => {
  const body = person();
  assert.equal((await post(body, 'k-other-1')).status, 201);
  const n = persons();
  const other = await post(person(), 'k-other-1');
  assert.equal(other.status, 400);
  assert.equal(other.body.error.field, 'Idempotency-Key');
  assert.match(other.body.error.message, /另一个请求/);
  for (const bad of ['x'.repeat(129), 'has space']) {
    const r = await post(person(), bad);
    assert.equal(r.status, 400, bad);
    assert.equal(r.body.error.field, 'Idempotency-Key');
  }
  assert.equal(persons(), n);
});

test('a failed request leaves nothing: its key carries the corrected request', async () => {
  const body = person();
  const wrong = await post({ ...body, id_number: '411121197001010000' }, 'k-fix-1');
  assert.equal(wrong.status, 400);
  const n = persons();
  const right = await post(body, 'k-fix-1');
  assert.equal(right.status, 201, JSON.stringify(right.body));
  assert.equal(persons(), n + 1);
});

test('concurrent repeats of one request: exactly one write', async () => {
  const body = person();
  const n = persons();
  const answers = await Promise.all(Array.from({ length: 12 }, () => post(body, 'k-race-1')));
  assert.equal(persons(), n + 1);
  const created = answers.filter((r) => r.status === 201);
  assert.ok(created.length >= 1, JSON.stringify(answers.map((r) => r.status)));
  // the others get its answer, or "being answered" — never the refusal of a second write
  for (const r of answers)
    assert.ok(r.status === 201 || (r.status === 409 && /Idempotency-Key/.test(r.body.error.message)), `${r.status} ${JSON.stringify(r.body)}`);
  for (const r of created) assert.equal(r.body.id, created[0].body.id);
  // once the first has answered, every repeat is its answer
  const later = await post(body, 'k-race-1');
  assert.equal(later.status, 201);
  assert.equal(later.body.id, created[0].body.id);
});

test('the answer outlives a restart', async () => {
  const body = person();
  const first = await post(body, 'k-restart-1');
  assert.equal(first.status, 201);
  const n = persons();
  const dir = srv.dataDir;
  await srv.stop();
  srv = await startServer({ dataDir: dir });
  const again = await post(body, 'k-restart-1');
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(again.body, first.body);
  assert.equal(persons(), n);
});

test('keys are per user: the same key from another user is their own request', async () => {
  const body = person();
  assert.equal((await post(body, 'k-user-1')).status, 201);
  addUser(srv.dataDir, 'town', 'township_admin', '411121100');
  const token = tokenFor(srv.dataDir, 'town');
  const theirs = await api(srv.url, '/api/v1/persons', {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': 'k-user-1' },
    body: JSON.stringify(body),
  });
  // run as a new write (refused: the person exists), not the first user's answer
  assert.equal(theirs.status, 409, JSON.stringify(theirs.body));
  assert.equal(theirs.headers.get('idempotent-replayed'), null);
});
