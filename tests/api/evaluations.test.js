// The evaluation engine and secret ballots (app/evaluations.h, issue 16):
// a campaign with weighted rater groups (weights not adding up to 100 % →
// 400), one-time codes, the ballot contract of POST /api/v1/ballots (201,
// the same code again 409, after closing 409, a score out of range 4xx
// writing nothing, concurrent casts of one code: exactly one wins), the
// unlinkability of the stored ballots (read in the database), turnout live
// and results only after closing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, PG, jicengOk, ROOT } from '../lib/server.js';
import { rowsOf } from '../lib/xlsx.js';

const COUNTY = '411121';
const TOWN = '411121100';
let srv;
const as = {};

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  for (const [name, role, scope] of [['town', 'township_admin', TOWN], ['observer', 'observer', `${TOWN}201`]]) {
    addUser(srv.dataDir, name, role, scope);
    const token = tokenFor(srv.dataDir, name);
    as[name] = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  }
  as.admin = srv.api;
  as.anon = (p, init = {}) => api(srv.url, p, init);
});
after(() => srv?.stop());

const send = (who, method, p, body) => who(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const count = (q) => Number(sql(srv.dataDir, q).trim());
const GROUPS = [{ name: '乡镇（街道）', weight: 40, raters: 3 }, { name: '村/社区书记', weight: 40, raters: 3 }, { name: '党员群众代表', weight: 20, raters: 4 }];
const SUBJECTS = [{ name: '县委组织部' }, { name: '县民政局' }, { name: '县农业农村局' }];

async function campaign(extra = {}) {
  const r = await send(as.admin, 'POST', '/api/v1/evaluations', {
    name: '2025年度县直部门述职评议', year: 2025, kind: 'departments', form: 'satisfaction', rule: 'weighted_mean',
    unit: COUNTY, groups: GROUPS, subjects: SUBJECTS, ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
const cast = (code, answers) => send(as.anon, 'POST', '/api/v1/ballots', { code, answers });

test('forms and rules come from data/evaluations.json', async () => {
  const r = await as.observer('/api/v1/evaluation-forms');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const sat = r.body.forms.find((f) => f.code === 'satisfaction');
  assert.deepEqual(sat.grades.map((g) => g.name), ['满意', '基本满意', '不满意', '不了解']);
  assert.equal(sat.grades.find((g) => g.name === '不了解').valid, false);
  assert.deepEqual(r.body.forms.find((f) => f.code === 'member_review').grades.map((g) => g.name), ['优秀', '合格', '基本合格', '不合格']);
  assert.ok(r.body.rules.some((x) => x.code === 'trimmed_mean'));
});

test('weights that do not add up to 100 %, bad forms and subjects out of scope are refused, writing nothing', async () => {
  const before = count('SELECT count(*) FROM eval_campaigns;');
  const bad = [
    { groups: [{ name: 'a', weight: 40, raters: 1 }, { name: 'b', weight: 40, raters: 1 }, { name: 'c', weight: 30, raters: 1 }] },
    { form: 'nope' }, { rule: 'median' }, { subjects: [] }, { year: 1990 }, { kind: 'x' },
    { groups: [{ name: 'a', weight: 100, raters: 999999 }] },
  ];
  for (const extra of bad) {
    const r = await send(as.admin, 'POST', '/api/v1/evaluations', {
      name: '坏评议', year: 2025, kind: 'departments', form: 'satisfaction', rule: 'weighted_mean', unit: COUNTY, groups: GROUPS, subjects: SUBJECTS, ...extra });
    assert.equal(r.status, 400, `${JSON.stringify(extra)} → ${r.status} ${JSON.stringify(r.body)}`);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
  }
  const out = await send(as.town, 'POST', '/api/v1/evaluations', {
    name: '越权', year: 2025, kind: 'departments', form: 'satisfaction', rule: 'weighted_mean', unit: COUNTY, groups: GROUPS, subjects: SUBJECTS });
  assert.equal(out.status, 403, JSON.stringify(out.body));
  assert.equal(count('SELECT count(*) FROM eval_campaigns;'), before);
  assert.equal(count('SELECT count(*) FROM eval_codes;') >= 0, true);
});

test('the ballot contract: 201 once, 409 again, 4xx out of range writing nothing, 409 after closing; results only after closing', async () => {
  const c = await campaign();
  assert.equal(c.codes.length, 10);
  assert.ok(c.codes.every((k) => /^[A-Z2-9]{12}$/.test(k.code)));
  // only keyed hashes are stored
  for (const k of c.codes) assert.equal(count(`SELECT count(*) FROM eval_codes WHERE hash = '${k.code}';`), 0);
  const [a, b] = c.codes;
  const form = await as.anon(`/api/v1/ballots/${a.code.toLowerCase()}`);
  assert.equal(form.status, 200, JSON.stringify(form.body));
  assert.deepEqual(form.body.subjects.map((s) => s.name), SUBJECTS.map((s) => s.name));
  assert.equal(form.body.group, '乡镇（街道）');

  const answers = [{ subject: 0, grade: 'satisfied' }, { subject: 1, grade: 'fair' }, { subject: 2, grade: 'unknown' }];
  const bad = await cast(a.code, [{ subject: 0, grade: 'great' }]);
  assert.equal(bad.status, 400, JSON.stringify(bad.body));
  const unknown = await cast(a.code, [{ subject: 7, grade: 'fair' }]);
  assert.equal(unknown.status, 400);
  assert.equal(count(`SELECT count(*) FROM eval_ballots WHERE campaign_id = ${c.id};`), 0);
  const ok = await cast(a.code, answers);
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  const again = await cast(a.code, answers);
  assert.equal(again.status, 409, JSON.stringify(again.body));
  const nope = await cast('ABCDEFGHJKMN', answers);
  assert.equal(nope.status, 404);
  assert.equal(count(`SELECT count(*) FROM eval_ballots WHERE campaign_id = ${c.id};`), 1);

  // turnout live, results hidden (and no workbook of them)
  assert.equal((await as.admin(`/api/v1/evaluations/${c.id}?format=xlsx`)).status, 409);
  assert.equal((await as.admin(`/api/v1/evaluations/${c.id}?format=pdf`)).status, 400);
  const live = await as.admin(`/api/v1/evaluations/${c.id}`);
  assert.equal(live.status, 200, JSON.stringify(live.body));
  assert.deepEqual(live.body.groups.map((g) => [g.issued, g.cast]), [[3, 1], [3, 0], [4, 0]]);
  assert.equal(live.body.results, null);

  // one more in another group, then close
  assert.equal((await cast(c.codes[3].code, [{ subject: 0, grade: 'unsatisfied' }, { subject: 1, grade: 'satisfied' }])).status, 201);
  const closed = await send(as.admin, 'POST', `/api/v1/evaluations/${c.id}/close`, {});
  assert.equal(closed.status, 200, JSON.stringify(closed.body));
  const late = await cast(b.code, answers);
  assert.equal(late.status, 409, JSON.stringify(late.body));
  // weighted mean of valid votes: 县委组织部 (0.4·100 + 0.4·30)/0.8 = 65; 县民政局 (0.4·70 + 0.4·100)/0.8 = 85
  const res = closed.body.results;
  assert.deepEqual(res.map((r) => [r.name, r.score, r.rank]), [['县民政局', 85, 1], ['县委组织部', 65, 2], ['县农业农村局', null, 0]]);
  assert.equal(res.find((r) => r.name === '县农业农村局').invalid, 1);
  const pub = await as.anon(`/api/v1/public/evaluations/${c.id}`);
  assert.equal(pub.status, 200);
  assert.equal(pub.body.results[0].name, '县民政局');
  // the results as a workbook: the page's rows, by rank
  const x = await fetch(`${srv.url}/api/v1/evaluations/${c.id}?format=xlsx`, { headers: { Authorization: `Bearer ${tokenFor(srv.dataDir, 'admin')}` } });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  const rows = rowsOf(Buffer.from(await x.arrayBuffer()));
  assert.deepEqual(rows[0].slice(0, 3), ['名次', '评议对象', '得分']);
  assert.deepEqual(rows.slice(1).map((r) => [String(r[0] ?? ''), r[1], String(r[2] ?? '')]), [['1', '县民政局', '85'], ['2', '县委组织部', '65'], ['', '县农业农村局', '']]);
});

test('numeric scores per criterion: out of range → 400, nothing written; trimmed mean', async () => {
  const c = await campaign({ form: 'judges', rule: 'trimmed_mean', groups: [{ name: '评委', weight: 100, raters: 4 }], subjects: [{ name: '县财政局' }] });
  const out = await cast(c.codes[0].code, [{ subject: 0, scores: { duty: 41, results: 30, conduct: 10 } }]);
  assert.equal(out.status, 400, JSON.stringify(out.body));
  assert.match(out.body.error.message, /履职尽责/);
  assert.equal(count(`SELECT count(*) FROM eval_ballots WHERE campaign_id = ${c.id};`), 0);
  assert.equal(count(`SELECT count(*) FROM eval_codes WHERE campaign_id = ${c.id} AND used = 1;`), 0);
  const totals = [[40, 40, 20], [30, 30, 10], [35, 35, 15], [10, 10, 0]]; // 100, 70, 85, 20 → trimmed (70+85)/2
  for (let i = 0; i < 4; i++) {
    const [duty, results, conduct] = totals[i];
    const r = await cast(c.codes[i].code, [{ subject: 0, scores: { duty, results, conduct } }]);
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const closed = await send(as.admin, 'POST', `/api/v1/evaluations/${c.id}/close`, {});
  assert.equal(closed.body.results[0].score, 77.5);
  assert.equal(closed.body.results[0].follow_up, false);
});

test('concurrent casts of one code: exactly one wins', async () => {
  const c = await campaign({ groups: [{ name: '全体', weight: 100, raters: 2 }] });
  const code = c.codes[0].code;
  const rs = await Promise.all(Array.from({ length: 12 }, () => cast(code, [{ subject: 0, grade: 'satisfied' }])));
  const statuses = rs.map((r) => r.status).sort();
  assert.equal(statuses.filter((s) => s === 201).length, 1, statuses.join(','));
  assert.ok(statuses.every((s) => s === 201 || s === 409), statuses.join(','));
  assert.equal(count(`SELECT count(*) FROM eval_ballots WHERE campaign_id = ${c.id};`), 1);
});

test('ballots cast together commit together: a used code among them fails alone, every other ballot is kept', async () => {
  const c = await campaign({ groups: [{ name: '全体', weight: 100, raters: 24 }] });
  const codes = c.codes.map((x) => x.code);
  assert.equal((await cast(codes[0], [{ subject: 0, grade: 'satisfied' }])).status, 201);
  const audits = count(`SELECT count(*) FROM audit WHERE action = 'evaluation.ballot';`);
  // 23 fresh codes, the used one three times and a fresh one twice, all at once
  const batch = [...codes.slice(1), codes[0], codes[0], codes[0], codes[5]];
  const rs = await Promise.all(batch.map((code) => cast(code, [{ subject: 1, grade: 'fair' }])));
  const by = (code) => rs.filter((_, i) => batch[i] === code).map((r) => r.status).sort();
  assert.deepEqual(by(codes[0]), [409, 409, 409]);
  assert.deepEqual(by(codes[5]), [201, 409]);
  for (const code of codes.slice(1)) if (code !== codes[5]) assert.deepEqual(by(code), [201], code);
  assert.equal(count(`SELECT count(*) FROM eval_ballots WHERE campaign_id = ${c.id};`), 24);
  assert.equal(count(`SELECT count(*) FROM eval_codes WHERE campaign_id = ${c.id} AND used = 1;`), 24);
  assert.equal(count(`SELECT count(*) FROM audit WHERE action = 'evaluation.ballot';`) - audits, 23);
});

test('a server stopped while ballots are in flight answers no more than it stored and exits cleanly', async () => {
  // the ballots wait for their commit on suspended connections (http_defer):
  // stopping must answer them before libmicrohttpd stops
  const c = await campaign({ groups: [{ name: '全体', weight: 100, raters: 60 }] });
  const other = await startServer({ dataDir: srv.dataDir });
  const castOn = (code) => api(other.url, '/api/v1/ballots', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code, answers: [{ subject: 0, grade: 'fair' }] }) }).catch(() => null);
  const casts = c.codes.map((k) => castOn(k.code));
  await new Promise((r) => setTimeout(r, 30));
  await other.stop(); // throws unless the server exits with 0 (and without leaks under ASan)
  const rs = await Promise.all(casts);
  const stored = count(`SELECT count(*) FROM eval_ballots WHERE campaign_id = ${c.id};`);
  const answered = rs.filter((r) => r && r.status === 201).length;
  assert.ok(answered <= stored, `${answered} answered 201, ${stored} stored`);
  assert.equal(count(`SELECT count(*) FROM eval_codes WHERE campaign_id = ${c.id} AND used = 1;`), stored);
  assert.ok(rs.every((r) => !r || r.status === 201), rs.map((r) => r?.status).join(','));
});

test('a stored ballot cannot be linked to its rater: no code, no time, a random id', async () => {
  const c = await campaign({ groups: [{ name: '全体', weight: 100, raters: 6 }] });
  for (const k of c.codes) assert.equal((await cast(k.code, [{ subject: 0, grade: 'fair' }])).status, 201);
  const columns = (t) => sql(srv.dataDir, PG
    ? `SELECT column_name FROM information_schema.columns WHERE table_name = '${t}' ORDER BY ordinal_position;`
    : `SELECT name FROM pragma_table_info('${t}') ORDER BY cid;`).trim().split('\n');
  assert.deepEqual(columns('eval_ballots'), ['id', 'campaign_id', 'grp', 'answers']);
  assert.deepEqual(columns('eval_codes'), ['hash', 'campaign_id', 'grp', 'used']);
  const ids = sql(srv.dataDir, `SELECT id FROM eval_ballots WHERE campaign_id = ${c.id};`).trim().split('\n');
  assert.equal(ids.length, 6);
  assert.ok(ids.every((id) => /^[0-9a-f]{32}$/.test(id)));
  // no rowid ordering to follow: the table has no rowid at all
  if (!PG) assert.throws(() => sql(srv.dataDir, 'SELECT rowid FROM eval_ballots;'), /no such column/);
  // the audit trail records that a ballot was cast, never which
  const audit = sql(srv.dataDir, "SELECT entity, after_json FROM audit WHERE action = 'evaluation.ballot';");
  for (const k of c.codes) assert.ok(!audit.includes(k.code));
  for (const id of ids) assert.ok(!audit.includes(id));
});

test('wrong codes are rate-limited per address; valid casts are not counted', async () => {
  const c = await campaign({ groups: [{ name: '全体', weight: 100, raters: 6 }] });
  const limited = await startServer({ dataDir: srv.dataDir, env: { JICENG_LOGIN_RATE: '3' } });
  try {
    const post = (code) => api(limited.url, '/api/v1/ballots', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code, answers: [{ subject: 0, grade: 'fair' }] }) });
    for (let i = 0; i < 4; i++) assert.equal((await post(c.codes[i].code)).status, 201); // more than 3, all valid
    for (let i = 0; i < 3; i++) assert.equal((await post(`WRQNGC${i}DE2222`.replace(/[01]/g, '3').slice(0, 12))).status, 404);
    const blocked = await post(c.codes[4].code);
    assert.equal(blocked.status, 429, JSON.stringify(blocked.body));
    assert.match(blocked.body.error.message, /一分钟后再试/);
  } finally {
    await limited.stop();
  }
});

test('the computed elements eval.ballots.issued / eval.ballots.cast roll up like any other', async () => {
  const c = await campaign({ unit: TOWN, groups: [{ name: '全体', weight: 100, raters: 5 }] });
  const ask = async (code, unit) => {
    const r = await as.admin(`/api/v1/analytics?expr=${encodeURIComponent(`#{${code}}`)}&unit=${unit}&period=2025`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.value;
  };
  assert.equal(await ask('eval.ballots.issued', TOWN), 5);
  assert.equal(await ask('eval.ballots.cast', TOWN), 0);
  for (const k of c.codes.slice(0, 2)) assert.equal((await cast(k.code, [{ subject: 0, grade: 'satisfied' }])).status, 201);
  assert.equal(await ask('eval.ballots.cast', TOWN), 2);
  // the county holds its own campaigns and the town's
  const county = await ask('eval.ballots.issued', COUNTY);
  assert.equal(county, count("SELECT count(*) FROM eval_codes k JOIN eval_campaigns c ON c.id = k.campaign_id WHERE c.year = 2025;"));
  // another year has none
  const r = await as.admin(`/api/v1/analytics?expr=${encodeURIComponent('#{eval.ballots.issued}')}&unit=${TOWN}&period=2024`);
  assert.ok(!r.body.value, JSON.stringify(r.body));
});
