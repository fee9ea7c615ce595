// 擂台比武 (app/contests.h): a county contest with secretaries of four
// villages and four judges; judges score on the phone page with their
// code; a judge of the contestant's village or who declared 回避 is
// refused, as are scores out of range, a non-judge's code and scores before
// the round opens or after it closes — with nothing written; the live
// screen shows each judge's total as it arrives and the trimmed mean once
// all have scored; totals combine stage and site visit by the contest's
// weights (which must add up to 100); ranks, awards and funds are
// computed; 金点子 take one vote per user; scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, addUser, tokenFor, sql, idNumber } from '../lib/server.js';
import { rowsOf } from '../lib/xlsx.js';

const COUNTY = '411121';
const TOWN = '411121100';
let TOWN2;
let villages;
let srv;
const as = {};
const people = [];

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  const towns = (await srv.api(`/api/v1/units/${COUNTY}/children?limit=100`)).body.items;
  TOWN2 = towns.find((t) => t.code !== TOWN).code;
  villages = (await srv.api(`/api/v1/units/${TOWN}/children?limit=100`)).body.items.slice(0, 4).map((v) => v.code);
  addUser(srv.dataDir, 'town2', 'township_admin', TOWN2);
  const token = tokenFor(srv.dataDir, 'town2');
  as.town2 = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  addUser(srv.dataDir, 'viewer', 'observer', COUNTY);
  const vt = tokenFor(srv.dataDir, 'viewer');
  as.viewer = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${vt}`, ...init.headers } });
  as.admin = srv.api;
  let n = 0;
  for (const [i, name] of ['张书记', '李书记', '王书记', '赵书记'].entries()) {
    const r = await send(as.admin, 'POST', '/api/v1/persons', { name, unit: villages[i], id_number: idNumber(`41112119750101${String(200 + ++n)}`) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    people.push(r.body.id);
  }
});
after(() => srv?.stop());

const send = (who, method, p, body) => who(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) });
const anon = (method, p, body) => api(srv.url, p, body === undefined ? { method } : { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const count = (t) => Number(sql(srv.dataDir, `SELECT count(*) FROM ${t};`).trim());

const contestBody = (extra = {}) => ({
  name: '2025年村党组织书记擂台比武', year: 2025, unit: COUNTY,
  contestants: people.map((person) => ({ person })),
  judges: [
    { name: '评委甲', unit: COUNTY },
    { name: '评委乙', unit: COUNTY },
    { name: '评委丙', unit: COUNTY, recuse: [2] },
    { name: '评委丁', unit: villages[0] },
  ],
  ...extra,
});

let id;
let codes;

test('a contest: weights must add up to 100, bad bodies refused, nothing written', async () => {
  const bad = await send(as.admin, 'POST', '/api/v1/contests', contestBody({ weights: { stage: 60, site: 50 } }));
  assert.equal(bad.status, 400, JSON.stringify(bad.body));
  assert.match(bad.body.error.message, /合计须为 100/);
  for (const extra of [{ judges: [] }, { contestants: [{ person: 999999 }] }, { criteria: [{ name: '甲', max: -1 }] }, { year: 1800 }, { name: '' }, { contestants: [{ name: '某人' }] }]) {
    const r = await send(as.admin, 'POST', '/api/v1/contests', contestBody(extra));
    assert.equal(r.status, 400, `${JSON.stringify(extra)} → ${JSON.stringify(r.body)}`);
  }
  assert.equal(count('contests'), 0);
  assert.equal(count('contest_judges'), 0);
  const outside = await send(as.town2, 'POST', '/api/v1/contests', contestBody({ unit: TOWN }));
  assert.equal(outside.status, 403);

  const r = await send(as.admin, 'POST', '/api/v1/contests', contestBody());
  assert.equal(r.status, 201, JSON.stringify(r.body));
  id = r.body.id;
  codes = r.body.judges.map((j) => j.code);
  assert.equal(codes.length, 4);
  assert.deepEqual(r.body.judges.map((j) => j.name), ['评委甲', '评委乙', '评委丙', '评委丁']);
  // only keyed hashes of the codes are stored
  const stored = sql(srv.dataDir, 'SELECT code_hash FROM contest_judges;');
  for (const c of codes) assert.ok(!stored.includes(c));
  const got = (await as.admin(`/api/v1/contests/${id}`)).body;
  assert.deepEqual(got.weights, { stage: 50, site: 50 }, 'defaults from data/contests.json');
  assert.equal(got.criteria.length, 3);
  assert.equal(got.contestants[0].name, '张书记');
  assert.ok(got.contestants[0].unit.name);
  assert.equal(got.contestants[0].judges_expected, 3, 'the judge of the same village is out');
  assert.equal(got.contestants[1].judges_expected, 3, 'the judge who declared 回避 is out');
  assert.equal(got.contestants[2].judges_expected, 4);
});

test('judges score on the phone page: bad input refused with the rule, nothing written', async () => {
  const page = await anon('GET', `/api/v1/judging/${codes[3]}`);
  assert.equal(page.status, 200, JSON.stringify(page.body));
  assert.equal(page.body.judge, '评委丁');
  assert.equal(page.body.contestants[0].may_score, false);
  assert.match(page.body.contestants[0].blocked, /同属一个单位/);
  assert.equal((await anon('GET', '/api/v1/judging/AAAA-BBBB-CCCC')).status, 403);

  const score = (code, contestant, scores) => anon('POST', `/api/v1/judging/${code}/scores`, { contestant, scores });
  let r = await score(codes[0], 1, [30, 20, 25]);
  assert.equal(r.status, 409, 'not on stage yet');
  assert.match(r.body.error.message, /尚未上场/);
  r = await send(as.admin, 'POST', `/api/v1/contests/${id}/rounds`, { contestant: 1, action: 'open' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.current, 1);

  const refused = [
    [codes[0], 1, [41, 20, 25], 400, /0 至 40/],
    [codes[0], 1, [30, 20], 400, /3 个分数/],
    [codes[0], 1, [30, -1, 25], 400, /0 至 30/],
    [codes[0], 9, [30, 20, 25], 400, /没有这名选手/],
    [codes[3], 1, [30, 20, 25], 403, /同属一个单位/],
    ['ZZZZZZZZZZZZ', 1, [30, 20, 25], 403, /评委码无效/],
  ];
  for (const [code, c, s, status, rule] of refused) {
    r = await score(code, c, s);
    assert.equal(r.status, status, `${c} ${s} → ${JSON.stringify(r.body)}`);
    assert.match(r.body.error.message, rule);
  }
  assert.equal(count('contest_scores'), 0, 'nothing written');

  r = await score(codes[0], 1, [30, 20, 25]);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  let screen = (await anon('GET', `/api/v1/public/contests/${id}/screen`)).body;
  assert.equal(screen.current.name, '张书记');
  assert.deepEqual(screen.current.judges.map((j) => j.total), [75, null, null]);
  assert.equal(screen.current.stage_score, null, 'no stage score until every judge scored');
  assert.ok(!JSON.stringify(screen).includes(villages[0]), 'names, not codes');

  assert.equal((await score(codes[1], 1, [35, 25, 25])).status, 201);
  assert.equal((await score(codes[2], 1, [20, 20, 20])).status, 201);
  screen = (await anon('GET', `/api/v1/public/contests/${id}/screen`)).body;
  assert.deepEqual(screen.current.judges.map((j) => j.total), [75, 85, 60]);
  assert.equal(screen.current.stage_score, 75, 'trimmed mean: 85 and 60 dropped');
  // a correction until the round closes
  assert.equal((await score(codes[0], 1, [40, 30, 30])).status, 201);
  screen = (await anon('GET', `/api/v1/public/contests/${id}/screen`)).body;
  assert.equal(screen.current.stage_score, 85);
  assert.equal(count('contest_scores'), 3);
  r = await send(as.admin, 'POST', `/api/v1/contests/${id}/rounds`, { contestant: 1, action: 'close' });
  assert.equal(r.status, 200);
  r = await score(codes[1], 1, [10, 10, 10]);
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, /已结束/);
});

test('totals by weight, ranks, awards and funds are computed', async () => {
  const score = (code, contestant, scores) => anon('POST', `/api/v1/judging/${code}/scores`, { contestant, scores });
  // contestant 2: judges 甲 乙 丁 (丙 declared 回避)
  await send(as.admin, 'POST', `/api/v1/contests/${id}/rounds`, { contestant: 2, action: 'open' });
  const recused = await score(codes[2], 2, [30, 20, 20]);
  assert.equal(recused.status, 403);
  assert.match(recused.body.error.message, /回避/);
  for (const [k, s] of [[0, [30, 20, 20]], [1, [30, 25, 25]], [3, [20, 20, 20]]]) assert.equal((await score(codes[k], 2, s)).status, 201);
  await send(as.admin, 'POST', `/api/v1/contests/${id}/rounds`, { contestant: 2, action: 'close' });
  const bad = await send(as.admin, 'POST', `/api/v1/contests/${id}/site-scores`, { scores: [{ contestant: 1, score: 90 }, { contestant: 2, score: 101 }] });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /0 至 100/);
  assert.equal(Number(sql(srv.dataDir, 'SELECT count(*) FROM contest_contestants WHERE site_score IS NOT NULL;').trim()), 0, 'nothing written');
  const r = await send(as.admin, 'POST', `/api/v1/contests/${id}/site-scores`, { scores: [{ contestant: 1, score: 90 }, { contestant: 2, score: 80 }] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const [c1, c2, c3] = r.body.contestants;
  assert.equal(c1.stage_score, 85);
  assert.equal(c1.total, 87.5); // 85 × 50% + 90 × 50%
  assert.equal(c2.stage_score, 70);
  assert.equal(c2.total, 75);
  assert.deepEqual([c1.rank, c2.rank, c3.rank], [1, 2, 0]);
  assert.equal(c1.award, '一等奖');
  assert.equal(c1.fund, 15000);
  assert.equal(c3.award, null);
  assert.equal(r.body.funds_total, 30000);
  // the same results as a workbook, by rank, the unranked last
  const x = await fetch(`${srv.url}/api/v1/contests/${id}?format=xlsx`, { headers: { Authorization: `Bearer ${tokenFor(srv.dataDir, 'admin')}` } });
  assert.equal(x.status, 200);
  const rows = rowsOf(Buffer.from(await x.arrayBuffer()));
  assert.deepEqual(rows[0], ['名次', '选手', '单位', '现场比武得分', '实地察看得分', '总分', '奖项', '扶持资金（元）']);
  assert.deepEqual(rows[1].map(String).slice(0, 2).concat(rows[1].map(String).slice(3)), ['1', c1.name, '85', '90', '87.5', '一等奖', '15000']);
  assert.equal(rows[2][1], c2.name);
  assert.equal(rows.length, 1 + r.body.contestants.length);
  assert.equal((await as.admin(`/api/v1/contests/${id}?format=doc`)).status, 400);
});

test('金点子: tags, one vote per user; scope', async () => {
  const bad = await send(as.admin, 'POST', `/api/v1/contests/${id}/ideas`, { title: '', text: '做法' });
  assert.equal(bad.status, 400);
  const r = await send(as.admin, 'POST', `/api/v1/contests/${id}/ideas`, { title: '支部+合作社', text: '村党支部领办合作社，带动集体增收。', tags: ['集体经济'], contestant: 1 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal((await send(as.viewer, 'POST', `/api/v1/contests/${id}/votes`, { idea: r.body.id })).status, 201);
  const again = await send(as.viewer, 'POST', `/api/v1/contests/${id}/votes`, { idea: r.body.id });
  assert.equal(again.status, 409);
  assert.match(again.body.error.message, /每人一票/);
  const got = (await as.viewer(`/api/v1/contests/${id}`)).body;
  assert.equal(got.ideas[0].votes, 1);
  assert.equal(got.ideas[0].voted, true);
  assert.equal(got.ideas[0].contestant, '张书记');
  assert.deepEqual(got.ideas[0].tags, ['集体经济']);
  // another township sees nothing of a county contest
  assert.equal((await as.town2(`/api/v1/contests/${id}`)).status, 404);
  assert.equal((await send(as.town2, 'POST', `/api/v1/contests/${id}/rounds`, { contestant: 3, action: 'open' })).status, 403);
  assert.equal((await as.town2('/api/v1/contests')).body.items.length, 0);
  assert.equal((await as.admin('/api/v1/contests?year=2025')).body.items.length, 1);
  assert.equal((await anon('GET', '/api/v1/public/contests/999/screen')).status, 404);
});

test('a lost judge code is issued again: the old one stops working, the scores stay; refused out of scope and once the contest is over', async () => {
  const c = await send(as.admin, 'POST', '/api/v1/contests', contestBody({ name: '补发评委码测试' }));
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const old = c.body.judges[0].code;
  await send(as.admin, 'POST', `/api/v1/contests/${c.body.id}/rounds`, { contestant: 2, action: 'open' });
  assert.equal((await anon('POST', `/api/v1/judging/${old}/scores`, { contestant: 2, scores: [30, 20, 20] })).status, 201);
  const audits = count('audit');
  for (const [body, status] of [[{ judge: 9 }, 404], [{ judge: 0 }, 400], [{ judge: '1' }, 400], [{ judge: 1, x: 1 }, 400]])
    assert.equal((await send(as.admin, 'POST', `/api/v1/contests/${c.body.id}/judge-codes`, body)).status, status, JSON.stringify(body));
  assert.equal((await send(as.town2, 'POST', `/api/v1/contests/${c.body.id}/judge-codes`, { judge: 1 })).status, 403);
  assert.equal(count('audit'), audits);
  const r = await send(as.admin, 'POST', `/api/v1/contests/${c.body.id}/judge-codes`, { judge: 1 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.name, '评委甲');
  assert.notEqual(r.body.code, old);
  assert.equal((await anon('GET', `/api/v1/judging/${old}`)).status, 403);
  const page = await anon('GET', `/api/v1/judging/${r.body.code}`);
  assert.equal(page.status, 200);
  assert.deepEqual(page.body.contestants.find((x) => x.seq === 2).mine, [30, 20, 20]);
  assert.ok(!sql(srv.dataDir, "SELECT * FROM audit WHERE action = 'contest.judge_code';").includes(r.body.code));
  for (const seq of [1, 2, 3, 4]) {
    await send(as.admin, 'POST', `/api/v1/contests/${c.body.id}/rounds`, { contestant: seq, action: 'open' });
    await send(as.admin, 'POST', `/api/v1/contests/${c.body.id}/rounds`, { contestant: seq, action: 'close' });
  }
  const over = await send(as.admin, 'POST', `/api/v1/contests/${c.body.id}/judge-codes`, { judge: 1 });
  assert.equal(over.status, 409);
  assert.match(over.body.error.message, /已结束/);
});
