// Finding units by name, as the unit picker does: every match carries its
// full path; words match along the path ("舞阳 郝庄" is the one 郝庄村 of
// 舞阳县 among Henan's 35); ?unit= and the reader's scope narrow it; ?level=
// keeps some levels and, without words, walks the tree; pages follow
// `next`. The residents' search does the same without an account.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, addUser, tokenFor } from '../lib/server.js';

const HAOZHUANG = '411121104211'; // 郝庄村, 辛安镇, 舞阳县
const XINAN = '411121104'; // 辛安镇
let srv;
let township; // a township_admin of 辛安镇

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  addUser(srv.dataDir, 'xinan', 'township_admin', XINAN);
  const token = tokenFor(srv.dataDir, 'xinan');
  township = (p) => api(srv.url, p, { headers: { Authorization: `Bearer ${token}` } });
});
after(() => srv?.stop());

const q = (text) => encodeURIComponent(text);
const codes = (r) => r.body.items.map((u) => u.code);
const anon = (p) => api(srv.url, p);

test('a name finds every match in the scope, each with its full path', async () => {
  const all = await srv.api(`/api/v1/units?q=${q('郝庄')}&limit=100`);
  assert.equal(all.status, 200);
  assert.ok(all.body.items.length >= 35, `${all.body.items.length} matches`);
  const hit = all.body.items.find((u) => u.code === HAOZHUANG);
  assert.deepEqual(hit.path.map((p) => p.name), ['河南省', '漯河市', '舞阳县', '辛安镇', '郝庄村村民委员会']);
  assert.deepEqual(hit.path.map((p) => p.code), ['41', '4111', '411121', XINAN, HAOZHUANG]);
  assert.equal(hit.level, 'village');

  // Words along the path: the county (or city, or township) and the name.
  for (const text of ['舞阳 郝庄', '郝庄 舞阳', '漯河 郝庄村', '辛安镇　郝庄', '河南省 › 漯河市 › 舞阳县 › 辛安镇 › 郝庄村']) {
    const r = await srv.api(`/api/v1/units?q=${q(text)}`);
    assert.deepEqual(codes(r), [HAOZHUANG], text);
  }
  assert.deepEqual(codes(await srv.api(`/api/v1/units?q=${q('舞阳 不存在')}`)), []);

  // ?unit= narrows; a township's user sees only their township's.
  assert.deepEqual(codes(await srv.api(`/api/v1/units?unit=411121&q=${q('郝庄')}`)), [HAOZHUANG]);
  assert.deepEqual(codes(await township(`/api/v1/units?q=${q('郝庄')}`)), [HAOZHUANG]);
  assert.deepEqual(codes(await township(`/api/v1/units?q=${q('舞泉')}`)), [], 'outside the scope');
  assert.equal((await township('/api/v1/units?unit=411121100&q=x')).status, 404);
  // A code pasted still finds its unit.
  assert.deepEqual(codes(await township(`/api/v1/units?q=${HAOZHUANG}`)), [HAOZHUANG]);
});

test('level keeps some levels; without words it walks the tree', async () => {
  const counties = await srv.api(`/api/v1/units?q=${q('舞阳')}&level=county`);
  assert.deepEqual(codes(counties), ['411121']);
  const townships = await srv.api('/api/v1/units?unit=411121&level=township&limit=100');
  assert.equal(townships.body.items.length, 14);
  assert.ok(townships.body.items.every((u) => u.level === 'township' && u.path.length === 4));
  assert.ok(townships.body.items.some((u) => u.code === XINAN && u.name === '辛安镇'));
  const mixed = await srv.api(`/api/v1/units?unit=${XINAN}&level=township,village&limit=3`);
  assert.deepEqual(codes(mixed)[0], XINAN);

  const bad = await srv.api('/api/v1/units?q=x&level=town');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'level');
  assert.match(bad.body.error.message, /层级/);
  const many = await srv.api(`/api/v1/units?q=${q('一 二 三 四 五 六 七 八 九')}`);
  assert.equal(many.status, 400);
  assert.equal(many.body.error.field, 'q');
  assert.match(many.body.error.message, /最多/);
});

test('pages of a search follow next to the end', async () => {
  const whole = codes(await srv.api(`/api/v1/units?unit=411121&q=${q('村')}&limit=100`));
  assert.ok(whole.length > 20);
  const seen = [];
  let after = null;
  do {
    const page = await srv.api(`/api/v1/units?unit=411121&q=${q('村')}&limit=7${after ? `&after=${after}` : ''}`);
    assert.equal(page.status, 200);
    seen.push(...codes(page));
    after = page.body.next;
  } while (after && seen.length < 200);
  assert.deepEqual(seen.slice(0, whole.length), whole);
});

test('residents: a village by name and place, or by walking down, without an account', async () => {
  const named = await anon(`/api/v1/public/units?q=${q('郝庄')}`);
  assert.equal(named.status, 200);
  assert.equal(named.body.items.length, 20, 'a page of the 35');
  assert.ok(named.body.next, 'and more');
  assert.ok(named.body.items.every((u) => u.level === 'village'));

  const one = await anon(`/api/v1/public/units?q=${q('舞阳 郝庄')}`);
  assert.deepEqual(one.body.items, [{
    code: HAOZHUANG, name: '郝庄村村民委员会', level: 'village', path: '河南省 › 漯河市 › 舞阳县 › 辛安镇',
  }]);
  assert.equal(one.body.next, null);
  assert.deepEqual(codes(await anon(`/api/v1/public/units?unit=411121&q=${q('郝庄')}`)), [HAOZHUANG]);

  // Walking down: province › city › county › township › village.
  const steps = [['', 'province', '41'], ['41', 'city', '4111'], ['4111', 'county', '411121'],
    ['411121', 'township', XINAN], [XINAN, 'village', HAOZHUANG]];
  for (const [unit, level, want] of steps) {
    const r = await anon(`/api/v1/public/units?level=${level}&limit=100${unit ? `&unit=${unit}` : ''}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(r.body.items.every((u) => u.level === level && u.code.startsWith(unit)), level);
    assert.ok(codes(r).includes(want), `${level} ${want}`);
  }

  assert.equal((await anon('/api/v1/public/units')).status, 400);
  assert.equal((await anon('/api/v1/public/units?unit=411121')).status, 400, 'a name or a level');
  assert.equal((await anon('/api/v1/public/units?q=x&unit=4x')).status, 400);
  assert.equal((await anon('/api/v1/public/units?q=x&unit=411199')).status, 404);
  assert.equal((await anon('/api/v1/public/units?level=nation')).status, 400);
});
