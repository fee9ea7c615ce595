// The units endpoints against a real server holding all of Henan (41) from
// the national division table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, api, divisionSubset } from '../lib/server.js';

let srv;
let get;
before(async () => {
  srv = await startServer({ provinces: ['41'] });
  get = (p) => srv.api(p);
});
after(() => srv.stop());

// Counts per level straight from the fixture files, for cross-checking.
function fixtureCounts() {
  const dir = divisionSubset(['41']);
  const lines = (f) => fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n').length - 1;
  return {
    city: lines('cities.csv'),
    county: lines('areas.csv'),
    township: lines('streets.csv'),
    village: lines('villages.csv'),
  };
}

test('health reports the number of units loaded', async () => {
  const c = fixtureCounts();
  const r = await get('/api/v1/health');
  assert.equal(r.status, 200);
  assert.equal(r.body.status, 'ok');
  assert.match(r.body.version, /^\d+\.\d+\.\d+$/);
  assert.equal(r.body.units, 1 + c.city + c.county + c.township + c.village);
});

test('a county: level, parent, path, counts', async () => {
  const r = await get('/api/v1/units/411121');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, {
    code: '411121',
    name: '舞阳县',
    level: 'county',
    kind: null,
    kind_label: null,
    parent: '4111',
    path: [
      { code: '41', name: '河南省' },
      { code: '4111', name: '漯河市' },
      { code: '411121', name: '舞阳县' },
    ],
    child_count: 14,
    subtree_count: 412,
  });
});

test('kinds follow the statistical code ranges', async () => {
  const town = await get('/api/v1/units/411121100');
  assert.equal(town.body.level, 'township');
  assert.equal(town.body.kind, 'town');
  assert.equal(town.body.kind_label, '镇');
  const village = await get('/api/v1/units/411121100201');
  assert.equal(village.body.level, 'village');
  assert.equal(village.body.kind, 'village');
  assert.equal(village.body.path.length, 5);
  assert.equal(village.body.child_count, 0);
  const province = await get('/api/v1/units/41');
  assert.equal(province.body.parent, null);
  assert.deepEqual(province.body.path, [{ code: '41', name: '河南省' }]);
});

test('unknown codes are 404, malformed codes 400, never a crash', async () => {
  const missing = await get('/api/v1/units/411199');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'not_found');
  assert.match(missing.body.error.message, /411199/);
  for (const bad of ['4x', '41112', '4111211002011', '9', '%E8%88%9E', 'x'.repeat(5000), '1'.repeat(3000)]) {
    const r = await get('/api/v1/units/' + bad);
    assert.equal(r.status, 400, bad.slice(0, 20));
    assert.equal(r.body.error.code, 'invalid');
    assert.equal(r.body.error.field, 'code');
  }
  for (const sub of ['children', 'summary', 'children?after=41']) {
    assert.equal((await get('/api/v1/units/4x/' + sub)).status, 400, sub);
    assert.equal((await get('/api/v1/units/411199/' + sub)).status, 404, sub);
  }
  const other = await get('/api/v1/units/42'); // valid code, province not loaded
  assert.equal(other.status, 404);
});

test('children: all 14 townships of 舞阳县 in code order', async () => {
  const r = await get('/api/v1/units/411121/children');
  assert.equal(r.status, 200);
  assert.equal(r.body.items.length, 14);
  assert.equal(r.body.next, null);
  const codes = r.body.items.map((u) => u.code);
  assert.deepEqual(codes, [...codes].sort());
  assert.ok(codes.every((c) => c.startsWith('411121') && c.length === 9));
  assert.equal(r.body.items[0].name, '舞泉镇');
  assert.equal(r.body.items[0].path, undefined);
  const sum = r.body.items.reduce((s, u) => s + u.child_count, 0);
  assert.equal(sum, 398);
});

test('children pagination: pages join up exactly, edges included', async () => {
  const all = (await get('/api/v1/units/411121/children?limit=1000')).body.items.map((u) => u.code);
  for (const limit of [1, 5, 7, 13, 14]) {
    const seen = [];
    let after = null;
    for (let pages = 0; pages < 20; pages++) {
      const q = `?limit=${limit}` + (after ? `&after=${after}` : '');
      const r = await get('/api/v1/units/411121/children' + q);
      assert.equal(r.status, 200);
      assert.ok(r.body.items.length <= limit);
      seen.push(...r.body.items.map((u) => u.code));
      after = r.body.next;
      if (!after) break;
      assert.equal(after, seen.at(-1));
    }
    assert.deepEqual(seen, all, `limit ${limit}`);
  }
  // after the last child: an empty page
  const last = await get(`/api/v1/units/411121/children?after=${all.at(-1)}`);
  assert.deepEqual(last.body, { items: [], next: null });
  // a leaf has no children
  const leaf = await get('/api/v1/units/411121100201/children');
  assert.deepEqual(leaf.body, { items: [], next: null });
});

test('children: bad parameters are 400 with the field named', async () => {
  for (const [q, field] of [
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=', 'limit'],
    ['limit=5.5', 'limit'],
    ['limit=-1', 'limit'],
    ['limit=99999999999999999999', 'limit'],
    ['after=411122100', 'after'], // exists, but a child of another county
    ['after=411121100201', 'after'], // a grandchild
    ['after=999', 'after'],
  ]) {
    const r = await get('/api/v1/units/411121/children?' + q);
    assert.equal(r.status, 400, q);
    assert.equal(r.body.error.field, field, q);
  }
});

test('summary counts every level below the unit', async () => {
  const c = fixtureCounts();
  const henan = await get('/api/v1/units/41/summary');
  assert.equal(henan.status, 200);
  assert.deepEqual(henan.body.counts, { ...c, grid: 0, building: 0 });
  const wuyang = await get('/api/v1/units/411121/summary');
  assert.deepEqual(wuyang.body.counts, { township: 14, village: 398, grid: 0, building: 0 });
  const kinds = Object.values(wuyang.body.kinds).reduce((a, b) => a + b, 0);
  assert.equal(kinds, 412);
  const leaf = await get('/api/v1/units/411121100201/summary');
  assert.deepEqual(leaf.body.counts, { grid: 0, building: 0 });
});

test('list without q gives the top of the tree', async () => {
  const r = await get('/api/v1/units');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.items.map((u) => u.code), ['41']);
  assert.equal(r.body.next, null);
  const one = await get('/api/v1/units?unit=411121');
  assert.deepEqual(one.body.items.map((u) => u.code), ['411121']);
});

test('search by name across the tree and within a subtree', async () => {
  const r = await get('/api/v1/units?q=' + encodeURIComponent('舞阳'));
  assert.equal(r.status, 200);
  const hit = r.body.items.find((u) => u.code === '411121');
  assert.ok(hit, 'finds 舞阳县');
  assert.deepEqual(hit.path.map((p) => p.name), ['河南省', '漯河市', '舞阳县']);
  assert.ok(r.body.items.every((u) => u.name.includes('舞阳')));

  const inside = await get('/api/v1/units?unit=411121&limit=100&q=' + encodeURIComponent('村'));
  assert.ok(inside.body.items.length > 0);
  assert.ok(inside.body.items.every((u) => u.code.startsWith('411121') && u.name.includes('村')));

  const none = await get('/api/v1/units?q=' + encodeURIComponent('不存在的地名'));
  assert.deepEqual(none.body, { items: [], next: null });
});

test('search by code prefix and paging through results', async () => {
  const r = await get('/api/v1/units?q=4111211002&limit=3');
  assert.equal(r.body.items.length, 3);
  assert.ok(r.body.items.every((u) => u.code.startsWith('4111211002')));
  const seen = r.body.items.map((u) => u.code);
  let after = r.body.next;
  while (after) {
    const page = await get(`/api/v1/units?q=4111211002&limit=3&after=${after}`);
    seen.push(...page.body.items.map((u) => u.code));
    after = page.body.next;
  }
  const all = await get('/api/v1/units?q=4111211002&limit=100');
  assert.deepEqual(seen, all.body.items.map((u) => u.code));
  assert.equal(new Set(seen).size, seen.length);
});

test('search: bad parameters are 400, unknown unit 404', async () => {
  assert.equal((await get('/api/v1/units?q=' + 'a'.repeat(101))).status, 400);
  assert.equal((await get('/api/v1/units?q=%FF%FE')).status, 400); // not UTF-8
  assert.equal((await get('/api/v1/units?q=a%01b')).status, 400); // control character
  assert.equal((await get('/api/v1/units?q=x&limit=101')).status, 400);
  assert.equal((await get('/api/v1/units?q=x&unit=4x')).status, 400);
  assert.equal((await get('/api/v1/units?q=x&unit=411199')).status, 404);
  assert.equal((await get('/api/v1/units?q=x&unit=411121&after=41')).status, 400); // outside the subtree
});
