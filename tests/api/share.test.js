// 共享小区 (app/share.h): needs and offers posted by staff and by residents
// (phone sealed, shown masked, never on the public board), every bad-input
// rule refused with nothing written, suggestions (same category, same
// community, overlapping window; same building first, then the longest
// overlap), a match taking both posts, two matches of one offer at once
// (exactly one wins), confirmations by staff and by the resident's code,
// and the contract element matches.done rolled up like any element.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, jicengOk, ROOT, chinaDay } from '../lib/server.js';

const COUNTY = '411121';
const TOWN = '411121100';
const V1 = '411121100201';
let V2; // another village of TOWN
let TOWN2;
let srv;
const as = {};

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  const towns = (await srv.api(`/api/v1/units/${COUNTY}/children?limit=100`)).body.items;
  TOWN2 = towns.find((t) => t.code !== TOWN).code;
  V2 = (await srv.api(`/api/v1/units/${TOWN}/children?limit=100`)).body.items.find((v) => v.code !== V1).code;
  addUser(srv.dataDir, 'town2', 'township_admin', TOWN2);
  const token = tokenFor(srv.dataDir, 'town2');
  as.town2 = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  as.admin = srv.api;
  as.anon = (p, init = {}) => api(srv.url, p, init);
});
after(() => srv?.stop());

const send = (who, method, p, body) => who(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) });
const count = (t) => Number(sql(srv.dataDir, `SELECT count(*) FROM ${t};`).trim());
const post = (fields, who = as.admin) => send(who, 'POST', '/api/v1/share/posts', {
  kind: 'need', category: 'skill', unit: V1, from: chinaDay(0), to: chinaDay(10), title: '水管维修', ...fields,
});
const ok = async (p) => {
  const r = await p;
  assert.ok(r.status === 201 || r.status === 200, JSON.stringify(r.body));
  return r.body;
};

test('staff and residents post; the phone is sealed, masked for staff, absent on the board', async () => {
  const staff = await ok(post({ kind: 'offer', building: '3号楼', contact: '13812345678' }));
  assert.equal(staff.contact, '138****5678');
  assert.equal(staff.category.name, '技能');
  assert.equal(staff.unit.name.length > 0, true);
  assert.equal(staff.by_resident, false);
  const res = await send(as.anon, 'POST', '/api/v1/public/share', {
    kind: 'need', category: 'goods', unit: V1, building: '2号楼', from: chinaDay(0), to: chinaDay(5),
    title: '借轮椅', body: '母亲腿伤，需借用轮椅两周', contact: '139 0000 1111',
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.match(res.body.code, /^[2-9A-Z]{10}$/);
  const stored = sql(srv.dataDir, `SELECT contact_sealed || ' ' || contact_masked || ' ' || code_hash FROM share_posts WHERE id = ${res.body.id};`);
  assert.ok(!stored.includes('13900001111') && !stored.includes(res.body.code), 'sealed, hashed');
  assert.ok(stored.includes('139****1111'));
  const list = await ok(as.admin(`/api/v1/share/posts?unit=${TOWN}`));
  assert.ok(!JSON.stringify(list).includes('13900001111'));
  assert.equal(list.categories.length, 4);
  assert.equal(list.items.find((p) => p.id === res.body.id).by_resident, true);
  const board = await ok(as.anon(`/api/v1/public/share?unit=${V1}`));
  assert.ok(board.items.length >= 2);
  assert.ok(!JSON.stringify(board).includes('****'), 'no contact on the board');
  assert.ok(board.items.every((p) => !('contact' in p) && p.state === 'open'));
  const mine = await ok(as.anon(`/api/v1/public/share/${res.body.code}`));
  assert.equal(mine.post.title, '借轮椅');
  assert.equal(mine.match, null);
  assert.equal((await as.anon('/api/v1/public/share/AAAAAAAAAA')).status, 404);
  // the resident withdraws with the code; twice is a conflict
  assert.equal((await send(as.anon, 'POST', `/api/v1/public/share/${res.body.code}/close`)).body.post.state, 'closed');
  assert.equal((await send(as.anon, 'POST', `/api/v1/public/share/${res.body.code}/close`)).status, 409);
});

test('bad input: a 4xx naming the rule, nothing written', async () => {
  const before = count('share_posts');
  const audit = count('audit');
  const cases = [
    [{ category: 'cars' }, 400, 'category'],
    [{ kind: 'swap' }, 400, 'kind'],
    [{ from: chinaDay(5), to: chinaDay(1) }, 400, 'to'],
    [{ from: '2026-02-30' }, 400, 'from'],
    [{ from: chinaDay(-40), to: chinaDay(-30) }, 400, 'to'],
    [{ to: chinaDay(400) }, 400, 'to'],
    [{ unit: TOWN }, 400, 'unit'],
    [{ unit: '411121100299999' }, 400, 'unit'],
    [{ title: 'x'.repeat(121) }, 400, 'title'],
    [{ title: '' }, 400, 'title'],
    [{ body: '长'.repeat(700) }, 400, 'body'],
    [{ building: '楼'.repeat(20) }, 400, 'building'],
    [{ contact: '12345' }, 400, 'contact'],
    [{ extra: 1 }, 400, null],
  ];
  for (const [fields, status, field] of cases) {
    const r = await post(fields);
    assert.equal(r.status, status, `${JSON.stringify(fields)} → ${r.status} ${JSON.stringify(r.body)}`);
    assert.match(r.body.error.message, /\p{Script=Han}/u);
    if (field) assert.equal(r.body.error.field, field, JSON.stringify(r.body));
  }
  // a community outside the caller's scope
  assert.equal((await post({}, as.town2)).status, 403);
  // residents must leave a phone number
  const anon = await send(as.anon, 'POST', '/api/v1/public/share', { kind: 'need', category: 'time', unit: V1, from: chinaDay(0), to: chinaDay(3), title: '接孩子' });
  assert.equal(anon.status, 400);
  assert.equal(anon.body.error.field, 'contact');
  assert.equal(count('share_posts'), before, 'nothing written');
  assert.equal(count('audit'), audit, 'nothing audited');
});

test('suggestions: same category and community, overlapping; same building first, then the longest overlap', async () => {
  const need = await ok(post({ category: 'time', building: '5号楼', from: chinaDay(2), to: chinaDay(12), title: '下午接孩子' }));
  const near = await ok(post({ kind: 'offer', category: 'time', building: '5号楼', from: chinaDay(11), to: chinaDay(20), title: '同楼栋' }));
  const long = await ok(post({ kind: 'offer', category: 'time', building: '1号楼', from: chinaDay(0), to: chinaDay(30), title: '覆盖整段' }));
  const short = await ok(post({ kind: 'offer', category: 'time', from: chinaDay(3), to: chinaDay(4), title: '两天' }));
  await ok(post({ kind: 'offer', category: 'time', from: chinaDay(13), to: chinaDay(20), title: '不重叠' }));
  await ok(post({ kind: 'offer', category: 'goods', from: chinaDay(2), to: chinaDay(12), title: '别的类别' }));
  await ok(post({ kind: 'offer', category: 'time', unit: V2, from: chinaDay(2), to: chinaDay(12), title: '别的村' }));
  await ok(post({ kind: 'need', category: 'time', from: chinaDay(2), to: chinaDay(12), title: '另一需求' }));
  const s = await ok(as.admin(`/api/v1/share/suggestions?unit=${TOWN}&post=${need.id}`));
  assert.deepEqual(s.items.map((p) => p.id), [near.id, long.id, short.id]);
  assert.equal((await as.town2(`/api/v1/share/suggestions?unit=${TOWN2}&post=${need.id}`)).status, 404, 'out of scope');
  assert.equal((await as.admin(`/api/v1/share/suggestions?unit=${TOWN}`)).status, 400);
});

test('two matches of one offer at once: exactly one wins; confirmations by staff and by code', async () => {
  const offer = await ok(post({ kind: 'offer', category: 'space', title: '院子可借用', from: chinaDay(0), to: chinaDay(20) }));
  const needs = [];
  for (let i = 0; i < 6; i++) needs.push(await ok(post({ category: 'space', title: `场地${i}`, from: chinaDay(1), to: chinaDay(3) })));
  const matches = count('share_matches');
  const rs = await Promise.all(needs.map((n) => send(as.admin, 'POST', '/api/v1/share/matches', { need: n.id, offer: offer.id })));
  const statuses = rs.map((r) => r.status).sort();
  assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409], JSON.stringify(rs.map((r) => r.body)));
  assert.equal(count('share_matches'), matches + 1);
  const won = rs.find((r) => r.status === 201).body;
  const states = sql(srv.dataDir, `SELECT state FROM share_posts WHERE id IN (${needs.map((n) => n.id).join(',')}) ORDER BY state;`).trim().split('\n');
  assert.deepEqual(states, ['matched', 'open', 'open', 'open', 'open', 'open'], 'the losers stay open');
  // a need with an offer of another category, or a need for an offer: 400
  const other = await ok(post({ kind: 'offer', category: 'goods', title: '工具' }));
  assert.equal((await send(as.admin, 'POST', '/api/v1/share/matches', { need: needs[1].id, offer: other.id })).status, 400);
  assert.equal((await send(as.admin, 'POST', '/api/v1/share/matches', { need: other.id, offer: needs[1].id })).status, 400);
  assert.equal((await send(as.town2, 'POST', '/api/v1/share/matches', { need: needs[1].id, offer: other.id })).status, 400, 'out of scope: not found');
  // withdrawing a matched post: 409
  assert.equal((await send(as.admin, 'POST', '/api/v1/share/posts/close', { post: offer.id })).status, 409);
  // staff confirm the need side; a second time is a conflict; a bad rating is refused
  assert.equal((await send(as.admin, 'POST', '/api/v1/share/matches/confirm', { match: won.id, side: 'need', rating: 6 })).status, 400);
  const c1 = await ok(send(as.admin, 'POST', '/api/v1/share/matches/confirm', { match: won.id, side: 'need', rating: 5 }));
  assert.equal(c1.done, false);
  assert.equal((await send(as.admin, 'POST', '/api/v1/share/matches/confirm', { match: won.id, side: 'need', rating: 4 })).status, 409);
  const c2 = await ok(send(as.admin, 'POST', '/api/v1/share/matches/confirm', { match: won.id, side: 'offer', rating: 4 }));
  assert.equal(c2.done, true);
  assert.equal(c2.done_on, chinaDay(0));
  // a resident's need, matched by staff, confirmed with the code
  const res = await send(as.anon, 'POST', '/api/v1/public/share', { kind: 'need', category: 'goods', unit: V1, from: chinaDay(0), to: chinaDay(5), title: '借梯子', contact: '13700002222' });
  assert.equal(res.status, 201);
  assert.equal((await send(as.anon, 'POST', `/api/v1/public/share/${res.body.code}/confirm`, { rating: 5 })).status, 409, 'not matched yet');
  const m = await ok(send(as.admin, 'POST', '/api/v1/share/matches', { need: res.body.id, offer: other.id }));
  const mine = await ok(send(as.anon, 'POST', `/api/v1/public/share/${res.body.code}/confirm`, { rating: 5 }));
  assert.equal(mine.match.need.confirmed, true);
  assert.equal(mine.match.need.rating, 5);
  assert.equal(mine.match.done, false);
  await ok(send(as.admin, 'POST', '/api/v1/share/matches/confirm', { match: m.id, side: 'offer', rating: 5 }));
  const list = await ok(as.admin(`/api/v1/share/matches?unit=${V1}`));
  assert.equal(list.items.filter((x) => x.done).length, 2);
  assert.equal((await as.town2(`/api/v1/share/matches?unit=${V1}`)).status, 404);
});

test('matches.done, share.needs and share.offers roll up like any element', async () => {
  const year = chinaDay(0).slice(0, 4);
  const expr = (code, unit) => as.admin(`/api/v1/analytics?expr=${encodeURIComponent(`#{${code}}`)}&unit=${unit}&period=${year}`);
  const done = await expr('matches.done', COUNTY);
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.value, 2);
  assert.equal((await expr('matches.done', V1)).body.value, 2);
  assert.equal((await expr('matches.done', TOWN2)).body.value ?? 0, 0);
  const needs = Number(sql(srv.dataDir, "SELECT count(*) FROM share_posts WHERE kind = 'need';").trim());
  assert.equal((await expr('share.needs', COUNTY)).body.value, needs);
  const offers = Number(sql(srv.dataDir, "SELECT count(*) FROM share_posts WHERE kind = 'offer';").trim());
  assert.equal((await expr('share.offers', TOWN)).body.value, offers);
});
