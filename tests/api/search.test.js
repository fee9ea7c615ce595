// Name searches match the text typed, literally: `_` and `%` are characters,
// not LIKE wildcards, in the unit search (core/tree.c, a byte search), the
// residents' village search and the user search (instr() in SQL; strpos on
// PostgreSQL). No search builds a LIKE pattern from what a user typed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, api, freshDataDir, jicengOk, addUser } from '../lib/server.js';

const V1 = '411121100201';
let srv;

before(async () => {
  const dir = freshDataDir(['41']);
  const csv = path.join(dir, 'grids.csv');
  fs.writeFileSync(csv, [
    'code,name,parent_code,kind',
    `${V1}001,网格_1,${V1},网格`,
    `${V1}002,网格一,${V1},网格`,
    `${V1}003,100%幸福小区,${V1},小区`,
    `${V1}004,1000幸福小区,${V1},小区`,
  ].join('\n') + '\n');
  jicengOk(['--data', dir, 'import', 'units', csv]);
  for (const name of ['zhang_san', 'zhangxsan', 'li.si'])
    addUser(dir, name, 'observer', V1);
  srv = await startServer({ dataDir: dir });
  const named = await srv.api('/api/v1/users/li.si', {
    method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ display_name: '100%负责' }),
  });
  assert.equal(named.status, 200, JSON.stringify(named.body));
});
after(() => srv?.stop());

const names = async (p) => (await srv.api(p)).body.items.map((u) => u.name ?? u.username).sort();

test('unit search: _ and % are characters', async () => {
  const q = (text) => names(`/api/v1/units?unit=${V1}&q=${encodeURIComponent(text)}`);
  assert.deepEqual(await q('网格_'), ['网格_1']);
  assert.deepEqual(await q('_'), ['网格_1']);
  assert.deepEqual(await q('%幸福'), ['100%幸福小区']);
  assert.deepEqual(await q('100%'), ['100%幸福小区']);
  assert.deepEqual(await q('%'), ['100%幸福小区']);
  assert.deepEqual(await q('幸福'), ['100%幸福小区', '1000幸福小区']);
});

test('the residents\' village search and the user search too', async () => {
  const pub = (await api(srv.url, '/api/v1/public/units?q=' + encodeURIComponent('%'))).body.items;
  assert.deepEqual(pub.map((u) => u.name), ['100%幸福小区']);
  const users = async (text) => (await srv.api('/api/v1/users?q=' + encodeURIComponent(text))).body.items.map((u) => u.username).sort();
  assert.deepEqual(await users('g_s'), ['zhang_san']);
  assert.deepEqual(await users('_'), ['zhang_san']);
  assert.deepEqual(await users('%'), ['li.si']);
  assert.deepEqual(await users('100%'), ['li.si']);
  assert.deepEqual(await users('zhang%'), []);
});
