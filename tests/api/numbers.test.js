// Numbers that a double cannot hold are refused with 400 wherever they come
// in — JSON bodies (values, priorities, ratings, scores, days), ledger
// cells, formula literals — instead of being stored as 0 or infinity.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql } from '../lib/server.js';

const V1 = '411121100201';
const SCHEME = 'village-2026';
let srv;

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  const el = await json('POST', '/api/v1/elements', { code: 'n.count', name: '户数', value_type: 'number', aggregation: 'sum', period_type: 'year' });
  assert.equal(el.status, 201, JSON.stringify(el.body));
});
after(() => srv?.stop());

// Raw JSON text: JSON.stringify cannot write 1e-400.
const raw = (method, p, text) => srv.api(p, { method, headers: { 'Content-Type': 'application/json' }, body: text });
const json = (method, p, body) => raw(method, p, JSON.stringify(body));

function refused(r, field, what) {
  assert.equal(r.status, 400, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
  if (field !== undefined) assert.equal(r.body.error.field, field, what);
  assert.match(r.body.error.message, /超出可表示的范围|数值超出范围|数字|数值/, what);
}

test('values: an underflow is refused, not stored as 0; an overflow is refused', async () => {
  for (const v of ['1e-400', '-1e-400', '2.5e-310', '1e999', '-1e400'])
    refused(await raw('POST', '/api/v1/values', `[{"element":"n.count","unit":"${V1}","period":"2026","value":${v}}]`), 'value', v);
  assert.equal(sql(srv.dataDir, "SELECT count(*) FROM data_values WHERE element = 'n.count';").trim(), '0', 'nothing stored');
  const ok = await raw('POST', '/api/v1/values', `[{"element":"n.count","unit":"${V1}","period":"2026","value":0e-400}]`);
  assert.equal(ok.status, 200, 'zero written small is zero');
});

test('ledger cells: 1e-400 names its row instead of becoming 0', async () => {
  const r = await srv.api('/api/v1/values/import?period=2026', { method: 'POST', body: Buffer.from(`单位代码,n.count\n${V1},1e-400\n`) });
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.body.error.line, 2);
});

test('items, ratings and steps: priorities, scores, ratings and days', async () => {
  refused(await raw('POST', '/api/v1/items', `{"type":"problem","title":"x","unit":"${V1}","priority":1e999}`), 'priority', 'priority');
  const declared = await json('POST', '/api/v1/ratings', { scheme: SCHEME, unit: V1, target: 3 });
  assert.equal(declared.status, 201, JSON.stringify(declared.body));
  refused(await raw('POST', '/api/v1/ratings', `{"scheme":"${SCHEME}","unit":"411121100202","target":1e-400}`), 'target', 'target');
  refused(await raw('PUT', `/api/v1/ratings/${V1}/answers?scheme=${SCHEME}`, '{"indicators":[{"code":"party.organisation","score":1e-400}]}'), 'score', 'score');
  const rating = (await srv.api(`/api/v1/ratings/${V1}?scheme=${SCHEME}`)).body;
  assert.equal(rating.indicators.find((i) => i.code === 'party.organisation').answer, null, 'no score stored');
  refused(await raw('POST', `/api/v1/ratings/${V1}/transitions?scheme=${SCHEME}`, '{"transition":"publish","days":99999999999999999999}'), 'days', 'days');
  const item = await json('POST', '/api/v1/items', { type: 'request', title: '路灯', unit: V1 });
  assert.equal(item.status, 201);
  refused(await raw('POST', `/api/v1/items/${item.body.id}/transitions`, '{"transition":"accept","rating":1e-999}'), 'rating', 'rating');
});

test('formula literals: 1e-400 is an error at its column, not 0', async () => {
  const ind = await json('POST', '/api/v1/indicators', { code: 'n.tiny', name: '极小', formula: '#{n.count} * 1e-400' });
  assert.equal(ind.status, 400, JSON.stringify(ind.body));
  assert.equal(ind.body.error.field, 'formula');
  assert.match(ind.body.error.message, /第 14 个字符处：数值超出范围/);
  const a = await srv.api('/api/v1/analytics?' + new URLSearchParams({ expr: '1e-400 + #{n.count}', unit: V1, period: '2026' }));
  assert.equal(a.status, 400, JSON.stringify(a.body));
});
