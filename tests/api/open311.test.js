// Open311 GeoReport v2 conformance, written from the specification
// (https://wiki.open311.org/GeoReport_v2) and exercised with plain HTTP:
// every endpoint, the required fields, the standard's field names and its
// error format ([{"code","description"}]), mapped onto 群众诉求 items.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, jiceng, jicengOk } from '../lib/server.js';

let srv;
let key;
const V1 = '411121100201';
const BASE = '/open311/v2';

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  const r = jiceng(['--data', srv.dataDir, 'open311', 'key', 'create', '--name', '12345热线']);
  assert.equal(r.status, 0, r.stderr);
  key = r.stdout.trim();
  assert.match(key, /^o311[0-9a-f]{64}$/);
});
after(() => srv?.stop());

const get = async (path) => {
  const res = await fetch(srv.url + BASE + path);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
};
const submit = async (fields) => {
  const res = await fetch(srv.url + BASE + '/requests.json', {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, body: await res.json() };
};
const isError = (r, status) => {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.ok(Array.isArray(r.body) && r.body.length === 1, JSON.stringify(r.body));
  assert.equal(r.body[0].code, status);
  assert.equal(typeof r.body[0].description, 'string');
};

test('GET services.json: a list of services with the standard fields', async () => {
  const r = await get('/services.json');
  assert.equal(r.status, 200);
  assert.match(r.type, /application\/json/);
  assert.ok(r.body.length >= 5);
  for (const s of r.body) {
    for (const f of ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']) assert.ok(f in s, f);
    assert.equal(s.metadata, false);
    assert.ok(['realtime', 'batch', 'blackbox'].includes(s.type));
  }
  assert.ok(r.body.some((s) => s.service_code === '道路交通'));
});

test('GET services/{service_code}.json: the definition; unknown codes and formats are errors', async () => {
  const r = await get('/services/' + encodeURIComponent('道路交通') + '.json');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { service_code: '道路交通', attributes: [] });
  isError(await get('/services/nope.json'), 404);
  const xml = await fetch(srv.url + BASE + '/services.xml');
  assert.equal(xml.status, 404);
});

test('POST requests.json: api_key, service_code and a location are required', async () => {
  const ok = { api_key: key, service_code: '道路交通', jurisdiction_id: V1, lat: '33.437', long: '113.610', description: '村口路灯不亮，晚上出行不便', first_name: '张', phone: '13812345678' };
  isError(await submit({ ...ok, api_key: '' }), 401);
  isError(await submit({ ...ok, api_key: 'o311' + '0'.repeat(64) }), 401);
  isError(await submit({ ...ok, service_code: '' }), 400);
  isError(await submit({ ...ok, service_code: 'nope' }), 400);
  isError(await submit({ ...ok, lat: '', long: '' }), 400);
  isError(await submit({ ...ok, lat: '95' }), 400);
  isError(await submit({ ...ok, long: '' }), 400);
  isError(await submit({ ...ok, jurisdiction_id: '' }), 400);
  isError(await submit({ ...ok, jurisdiction_id: '999999' }), 400);

  const r = await submit(ok);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.length, 1);
  assert.match(r.body[0].service_request_id, /^\d+$/);
  assert.match(r.body[0].token, /^[A-Z2-9]{10}$/);
  assert.ok('service_notice' in r.body[0] && 'account_id' in r.body[0]);

  const address = await submit({ api_key: key, service_code: '环境卫生', jurisdiction_id: V1, address_string: '大杨庄村东头垃圾池', description: '垃圾池满了' });
  assert.equal(address.status, 201);
});

test('GET requests/{id}.json and tokens/{token}.json: one request, the standard fields, no personal data', async () => {
  const made = await submit({ api_key: key, service_code: '治安', jurisdiction_id: V1, address_string: '村委会', description: '夜间有陌生车辆', phone: '13900001111', email: 'a@example.com' });
  const id = made.body[0].service_request_id;
  const r = await get(`/requests/${id}.json?api_key=${key}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.length, 1);
  const req = r.body[0];
  for (const f of ['service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice', 'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url']) assert.ok(f in req, f);
  assert.equal(req.service_request_id, id);
  assert.equal(req.status, 'open');
  assert.equal(req.status_notes, '已提交');
  assert.equal(req.address, '村委会');
  assert.equal(req.agency_responsible, '大杨庄村村民委员会');
  assert.match(req.requested_datetime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const text = JSON.stringify(r.body);
  assert.ok(!text.includes('13900001111') && !text.includes('a@example.com'), 'contact details are never returned');
  const token = await get(`/tokens/${made.body[0].token}.json?api_key=${key}`);
  assert.deepEqual(token.body, [{ service_request_id: id, token: made.body[0].token }]);
  isError(await get(`/tokens/NOSUCHCODE.json?api_key=${key}`), 404);
  isError(await get(`/requests/999999.json?api_key=${key}`), 404);
  isError(await get(`/requests/${id}.json`), 401);
});

test('GET requests.json: filters by id list, service, status, dates and jurisdiction', async () => {
  const all = (await get(`/requests.json?api_key=${key}`)).body;
  assert.ok(all.length >= 3);
  const [a, b] = all.map((r) => r.service_request_id);
  assert.deepEqual((await get(`/requests.json?api_key=${key}&service_request_id=${a},${b}`)).body.map((r) => r.service_request_id).sort(), [a, b].sort());
  assert.ok((await get(`/requests.json?api_key=${key}&service_code=${encodeURIComponent('环境卫生')}`)).body.every((r) => r.service_code === '环境卫生'));
  assert.equal((await get(`/requests.json?api_key=${key}&status=closed`)).body.length, 0);
  assert.equal((await get(`/requests.json?api_key=${key}&start_date=2999-01-01T00:00:00Z`)).body.length, 0);
  assert.equal((await get(`/requests.json?api_key=${key}&jurisdiction_id=411121101`)).body.length, 0);
  isError(await get(`/requests.json?api_key=${key}&status=maybe`), 400);
  isError(await get('/requests.json'), 401);
});

test('a request submitted through Open311 is a 群众诉求 item the township works on, and closes', async () => {
  const made = await submit({ api_key: key, service_code: '供水供电', jurisdiction_id: V1, address_string: '大杨庄村 3 组', description: '停水两天' });
  const id = made.body[0].service_request_id;
  const item = (await srv.api(`/api/v1/items/${id}`)).body;
  assert.equal(item.type, 'request');
  assert.equal(item.category, '供水供电');
  assert.equal(item.created_by, 'open311:12345热线');
  const stepTo = (body) => srv.api(`/api/v1/items/${id}/transitions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal((await stepTo({ transition: 'accept' })).status, 200);
  assert.equal((await stepTo({ transition: 'dispatch', assignee: '供水站' })).status, 200);
  assert.equal((await stepTo({ transition: 'resolve', note: '管道已修复' })).status, 200);
  assert.equal((await stepTo({ transition: 'close_unrated', note: '群众未评价，电话回访满意' })).status, 200);
  const r = (await get(`/requests/${id}.json?api_key=${key}`)).body[0];
  assert.equal(r.status, 'closed');
});

test('a revoked key stops working at once', async () => {
  const r = jiceng(['--data', srv.dataDir, 'open311', 'key', 'create', '--name', 'temp']);
  const temp = r.stdout.trim();
  const kid = r.stderr.match(/key (\d+)/)[1];
  assert.equal((await get(`/requests.json?api_key=${temp}`)).status, 200);
  jicengOk(['--data', srv.dataDir, 'open311', 'key', 'revoke', kid]);
  isError(await get(`/requests.json?api_key=${temp}`), 401);
  assert.equal(jiceng(['--data', srv.dataDir, 'open311', 'key', 'revoke', kid]).status, 1);
  assert.equal(jiceng(['--data', srv.dataDir, 'open311', 'key', 'create']).status, 2);
});
