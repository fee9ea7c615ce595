// 干部队伍 (app/cadres.h): a reserve pool with entry criteria from
// data/cadres.json (age, education) refused by name with nothing written,
// statistics by age band and education and the computed elements
// cadres.reserves / .young / .college rolled up; trainings and exams as
// events with a pass mark, make-up exams only for those who failed and the
// person's hours per year; 三岗十八级 grades computed from post, years,
// degree and certificate, the pay report as JSON and CSV; scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, sql, jicengOk, ROOT, idNumber } from '../lib/server.js';

const COUNTY = '411121';
const TOWN = '411121100';
const V1 = '411121100201';
const YEAR = new Date().getFullYear();
let TOWN2;
let srv;
const as = {};
const ids = {};

const send = (who, method, p, body) => who(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) });
const count = (t) => Number(sql(srv.dataDir, `SELECT count(*) FROM ${t};`).trim());
// a birth date `age` years ago, a month earlier in the year so the age is whole
const born = (age) => `${YEAR - age}0101`;

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  const towns = (await srv.api(`/api/v1/units/${COUNTY}/children?limit=100`)).body.items;
  TOWN2 = towns.find((t) => t.code !== TOWN).code;
  addUser(srv.dataDir, 'town2', 'township_admin', TOWN2);
  const token = tokenFor(srv.dataDir, 'town2');
  as.town2 = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  as.admin = srv.api;
  let n = 0;
  for (const [name, age, education] of [['李青年', 28, '本科'], ['张中年', 40, '高中'], ['王大龄', 52, '大专'], ['赵初中', 30, '初中'], ['陈硕士', 33, '硕士']]) {
    const r = await send(as.admin, 'POST', '/api/v1/persons', { name, unit: V1, education, id_number: idNumber(`411121${born(age)}${String(100 + ++n)}`) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids[name] = r.body.id;
  }
});
after(() => srv?.stop());

test('rules come from data/cadres.json', async () => {
  const r = await as.admin('/api/v1/cadres/rules');
  assert.equal(r.status, 200);
  assert.equal(r.body.reserves.max_age, 45);
  assert.equal(r.body.pass_mark, 60);
  assert.equal(r.body.grades.count, 18);
  assert.equal(r.body.posts.length, 3);
  for (const p of r.body.posts) assert.equal(p.pay.length, 18);
});

test('reserve pool: criteria refused by name, nothing written; statistics and computed elements', async () => {
  const add = (person, post = '村党支部书记', who = as.admin, unit = TOWN) => send(who, 'POST', '/api/v1/cadres/reserves', { unit, year: YEAR, person, post });
  for (const name of ['李青年', '张中年', '陈硕士']) {
    const r = await add(ids[name]);
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const before = count('cadre_reserves');
  const old = await add(ids['王大龄']);
  assert.equal(old.status, 400, JSON.stringify(old.body));
  assert.match(old.body.error.message, /年龄 45 周岁以下.*52 岁/);
  const edu = await add(ids['赵初中']);
  assert.equal(edu.status, 400);
  assert.match(edu.body.error.message, /高中及以上学历.*初中/);
  assert.equal((await add(ids['李青年'])).status, 409, 'once per pool');
  assert.equal((await add(ids['李青年'], '')).status, 400, 'a post is required');
  assert.equal((await send(as.admin, 'POST', '/api/v1/cadres/reserves', { unit: TOWN, year: 1800, person: ids['李青年'], post: 'x' })).status, 400);
  assert.equal((await send(as.admin, 'POST', '/api/v1/cadres/reserves', { unit: TOWN, year: YEAR, person: ids['李青年'], post: 'x', extra: 1 })).status, 400);
  assert.equal((await add(ids['赵初中'], '委员', as.town2, TOWN)).status, 403, 'out of scope');
  assert.equal((await add(ids['李青年'], '委员', as.town2, TOWN2)).status, 400, 'a person out of scope');
  assert.equal(count('cadre_reserves'), before, 'nothing written');

  const r = await as.admin(`/api/v1/cadres/reserves?unit=${COUNTY}&year=${YEAR}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.stats.total, 3);
  assert.equal(r.body.stats.young, 2);
  assert.equal(r.body.stats.college, 2);
  assert.deepEqual(r.body.items.map((i) => i.person.name).sort(), ['张中年', '李青年', '陈硕士']);
  assert.equal(r.body.items[0].unit.name.length > 0, true);
  assert.equal(JSON.stringify(r.body).includes('id_number'), false);
  assert.equal((await as.town2(`/api/v1/cadres/reserves?year=${YEAR}`)).body.items.length, 0);

  for (const [code, want] of [['cadres.reserves', 3], ['cadres.reserves.young', 2], ['cadres.reserves.college', 2]]) {
    const v = await as.admin(`/api/v1/analytics?expr=${encodeURIComponent(`#{${code}}`)}&unit=${COUNTY}&period=${YEAR}`);
    assert.equal(v.status, 200, JSON.stringify(v.body));
    assert.equal(v.body.value, want, `${code}: ${JSON.stringify(v.body)}`);
  }
});

test('trainings and exams: pass mark, make-up only for those who failed, hours per year', async () => {
  const day = `${YEAR}-01-05`;
  const ev = async (type, d, topic, participants) => {
    const r = await send(as.admin, 'POST', '/api/v1/events', { type, unit: V1, status: 'held', starts_at: `${d}T09:00`, topic, participants });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
  };
  const P = ids['李青年'], Q = ids['张中年'];
  const training = await ev('training', day, '周一培训：基层治理', [{ person: P, attendance: 'present', values: { hours: 4 } }, { person: Q, attendance: 'present', values: { hours: 4 } }]);
  await ev('training', `${YEAR}-01-12`, '周一培训：党建', [{ person: P, attendance: 'present', values: { hours: 3 } }]);
  const exam = await ev('exam', `${YEAR}-01-09`, '周五考试');
  const put = (id, scores) => send(as.admin, 'PUT', `/api/v1/cadres/exams/${id}/scores`, { scores });
  assert.equal((await put(exam, [{ person: P, score: 101 }])).status, 400, 'score out of range');
  assert.equal((await put(exam, [{ person: P, score: 80 }, { person: P, score: 70 }])).status, 400, 'a person twice');
  const scored = await put(exam, [{ person: P, score: 85 }, { person: Q, score: 52 }]);
  assert.equal(scored.status, 200, JSON.stringify(scored.body));
  assert.equal(scored.body.passed, 1);
  assert.equal(scored.body.failed, 1);
  const mk = await send(as.admin, 'POST', `/api/v1/cadres/exams/${exam}/makeups`, { starts_at: `${YEAR}-01-16T09:00` });
  assert.equal(mk.status, 201, JSON.stringify(mk.body));
  const makeup = mk.body.id;
  const bad = await put(makeup, [{ person: P, score: 90 }]);
  assert.equal(bad.status, 400, 'a make-up for someone who passed');
  assert.match(bad.body.error.message, /李青年.*已合格/);
  assert.equal((await put(makeup, [{ person: Q, score: 75 }])).status, 200);
  const x = await as.admin(`/api/v1/cadres/exams/${makeup}`);
  assert.equal(x.body.makeup_of, exam);
  assert.equal(x.body.scores[0].passed, true);
  assert.equal((await send(as.admin, 'POST', `/api/v1/cadres/exams/${makeup}/makeups`, { starts_at: `${YEAR}-01-20T09:00` })).status, 400, 'no make-up of a make-up');
  assert.equal((await put(training, [{ person: P, score: 50 }])).status, 400, 'not an exam');

  const p = await as.admin(`/api/v1/persons/${P}/cadre`);
  assert.equal(p.status, 200);
  assert.deepEqual(p.body.training, [{ year: YEAR, trainings: 2, hours: 7 }]);
  assert.equal(p.body.exams.length, 1);
  const q = (await as.admin(`/api/v1/persons/${Q}/cadre`)).body;
  assert.deepEqual(q.exams.map((e) => [e.score, e.passed, e.makeup_of]), [[52, false, null], [75, true, exam]]);
});

test('三岗十八级: grade computed from post, years, degree and certificate; pay report', async () => {
  const add = (person, post, start_date, degree = 'bachelor', certificate = 'none') => send(as.admin, 'POST', '/api/v1/cadres/workers', { unit: V1, person, post, start_date, degree, certificate });
  // chief starts at 7; 6 full years / 2 = +3; bachelor +1; 社会工作师 +2 = 13
  const a = await add(ids['李青年'], 'chief', `${YEAR - 6}-01-01`, 'bachelor', 'social_worker');
  assert.equal(a.status, 201, JSON.stringify(a.body));
  // member starts at 1, 40 years → capped at 18
  assert.equal((await add(ids['张中年'], 'member', `${YEAR - 40}-01-01`, 'none')).status, 201);
  const before = count('cadre_workers');
  const bad = await add(ids['陈硕士'], 'janitor', `${YEAR - 1}-01-01`);
  assert.equal(bad.status, 400, 'an unknown post');
  assert.match(bad.body.error.message, /三岗/);
  assert.equal((await add(ids['陈硕士'], 'member', '2999-01-01')).status, 400, 'a start in the future');
  assert.equal((await add(ids['陈硕士'], 'member', `${YEAR - 1}-01-01`, 'phd')).status, 400, 'an unknown degree');
  assert.equal((await add(ids['李青年'], 'member', `${YEAR - 1}-01-01`)).status, 409, 'once a worker');
  assert.equal(count('cadre_workers'), before);

  const r = await as.admin(`/api/v1/cadres/workers?unit=${COUNTY}&date=${YEAR}-06-30`);
  assert.equal(r.status, 200);
  const rules = (await as.admin('/api/v1/cadres/rules')).body;
  const byName = Object.fromEntries(r.body.items.map((i) => [i.person.name, i]));
  assert.equal(byName['李青年'].grade, 13);
  assert.equal(byName['李青年'].years, 6);
  assert.equal(byName['李青年'].pay, rules.posts[0].pay[12]);
  assert.equal(byName['张中年'].grade, 18);
  assert.equal(r.body.total, rules.posts[0].pay[12] + rules.posts[2].pay[17]);
  assert.equal(byName['李青年'].post.startsWith('正职'), true, 'names, not codes');

  const csv = await as.admin(`/api/v1/cadres/workers?unit=${COUNTY}&date=${YEAR}-06-30&format=csv`);
  assert.equal(csv.status, 200);
  const text = typeof csv.body === 'string' ? csv.body : csv.text;
  assert.match(text, /李青年/);
  assert.match(text, /合计/);
  assert.equal((await as.admin(`/api/v1/cadres/workers?unit=${COUNTY}&format=pdf`)).status, 400);
  assert.equal((await as.admin(`/api/v1/cadres/workers?unit=${COUNTY}&date=2026-02-30`)).status, 400);
  assert.equal((await as.town2('/api/v1/cadres/workers')).body.items.length, 0, 'scope');
});
