// `jiceng demo --county CODE`: a synthetic year of the five-star campaign in
// one county (舞阳县 411121), checked through the API: every village rated,
// every state of the cycle present, the second run writes nothing, the same
// seed gives the same county, and bad arguments are usage errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, freshDataDir, divisionSubset, jiceng, jicengOk, ROOT } from '../lib/server.js';

const COUNTY = '411121';
const SCHEME = 'village-2026';
const STATES = ['declared', 'returned', 'submitted', 'township_passed', 'county_passed', 'notice', 'named'];
const SUMMARY = `/api/v1/ratings/summary?scheme=${SCHEME}&unit=${COUNTY}`;
let dir, srv, first;

// Villages of the county in the imported division table.
const villages = () => fs.readFileSync(path.join(divisionSubset(['41']), 'villages.csv'), 'utf8')
  .split('\n').filter((l) => l.startsWith(COUNTY)).length;

// Number of audit records, from `jiceng audit verify`.
const auditCount = (d) => Number(jicengOk(['--data', d, 'audit', 'verify']).match(/共 (\d+) 条/)[1]);

// Every rating in one state (following the pages).
async function ratingsIn(server, state) {
  const out = [];
  let after = '';
  for (;;) {
    const r = await server.api(`/api/v1/ratings?scheme=${SCHEME}&unit=${COUNTY}&state=${state}&limit=200${after}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    out.push(...r.body.items);
    if (!r.body.next) return out;
    after = `&after=${r.body.next}`;
  }
}

function filled(seed) {
  const d = freshDataDir(['41']);
  jicengOk(['--data', d, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  const out = jicengOk(['--data', d, 'demo', '--county', COUNTY, '--seed', String(seed)]);
  return { d, out };
}

before(async () => {
  ({ d: dir, out: first } = filled(7));
  srv = await startServer({ dataDir: dir });
});
after(() => srv?.stop());

test('the first run fills the county and says what it wrote', () => {
  assert.match(first, /舞阳县 \(411121\), 2026, seed 7/);
  assert.match(first, new RegExp(`units: +${villages()} in 14 townships`));
  assert.match(first, /已命名 \d+/);
  assert.match(first, /checklists: +[1-9]\d* units/);
  assert.match(first, /inspections: [1-9]\d* target\(s\) in the 双随机 registry, 2 plan\(s\) drawn/);
});

test('双随机: two plans drawn, most results in, one overdue, each draw verifying', async () => {
  const r = await srv.api('/api/v1/public/inspections');
  assert.equal(r.status, 200);
  assert.equal(r.body.items.length, 2);
  assert.ok(r.body.completion > 0.5 && r.body.completion < 1, `completion ${r.body.completion}`);
  assert.equal(r.body.items.reduce((n, p) => n + p.overdue, 0), 1);
  for (const p of r.body.items) {
    const v = await srv.api(`/api/v1/public/inspections/draws/${p.draw.id}/verify`);
    assert.equal(v.body.same, true, v.body.differences);
  }
  // each drawn check is a 双随机抽查 case whose state follows its result
  let drawn = 0;
  for (const p of r.body.items) {
    const plan = (await srv.api(`/api/v1/inspections/plans/${p.id}`)).body;
    drawn += plan.checks.length;
    for (const c of plan.checks) {
      assert.ok(c.case_id, `check ${c.id} has its case`);
      const it = (await srv.api(`/api/v1/items/${c.case_id}`)).body;
      assert.equal(it.source_check.id, c.id);
      assert.equal(it.state, c.published_on ? 'published' : c.result ? 'checked' : 'pending', `check ${c.id}`);
    }
  }
  const cases = await srv.api(`/api/v1/items?type=inspection&unit=${COUNTY}&limit=500`);
  assert.equal(cases.body.items.length, drawn);
});

test('发展党员 at every stage and transfers of each outcome, consistent with the memberships', async () => {
  assert.match(first, /pipeline: +16 发展党员 cases at every stage, 3 组织关系转接/);
  const dev = await srv.api(`/api/v1/party/cases?unit=${COUNTY}&kind=development&limit=2000`);
  assert.equal(dev.status, 200);
  const stages = new Set(dev.body.cases.map((c) => c.stage));
  for (const s of ['applicant', 'activist', 'candidate', 'probationary', 'formal']) assert.ok(stages.has(s), s);
  assert.ok(dev.body.cases.some((c) => c.state === 'archived'));
  // each case's stage is the person's current party membership stage
  for (const c of dev.body.cases.slice(0, 8)) {
    const p = await srv.api(`/api/v1/persons/${c.person.id}`);
    const now = p.body.memberships.filter((m) => m.kind === 'party_member' && !m.to);
    assert.deepEqual(now.map((m) => m.stage), [c.stage], `${c.person.name}`);
  }
  const tr = await srv.api(`/api/v1/party/cases?unit=${COUNTY}&kind=transfer`);
  assert.deepEqual(tr.body.cases.map((c) => [c.state, c.overdue]).sort(),
    [['accepted', false], ['issued', false], ['issued', true]]);
});

test('a second run writes nothing', () => {
  const before = auditCount(dir);
  const r = jiceng(['--data', dir, 'demo', '--county', COUNTY, '--seed', '7']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /already filled/);
  assert.equal(auditCount(dir), before);
});

test('every village is rated; levels sum to the units', async () => {
  const r = await srv.api(SUMMARY);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const n = villages();
  assert.ok(n > 300, `${n} villages`);
  assert.equal(r.body.units, n);
  assert.equal(r.body.declared, n);
  const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
  assert.equal(sum(r.body.levels), n);
  assert.equal(sum(r.body.targets), n);
  assert.equal(r.body.targets['0'] ?? 0, 0, 'every unit declared a target');
  assert.ok(r.body.named > n / 2, `${r.body.named} named`);
  assert.ok(r.body.levels['5'] > 0 && r.body.levels['1'] > 0, JSON.stringify(r.body.levels));
  assert.equal(r.body.townships.length, 14);
});

test('ratings in every state of the cycle', async () => {
  let total = 0;
  for (const state of STATES) {
    const items = await ratingsIn(srv, state);
    assert.ok(items.length > 0, `no rating in state ${state}`);
    for (const it of items) assert.equal(it.state, state);
    total += items.length;
  }
  assert.equal(total, villages());
});

test('objections, withdrawn stars, pairs and checklists are there', async () => {
  const get = async (it) => (await srv.api(`/api/v1/ratings/${it.unit.code}?scheme=${SCHEME}`)).body;
  const notice = await Promise.all((await ratingsIn(srv, 'notice')).map(get));
  const objections = notice.flatMap((r) => r.objections);
  assert.deepEqual([objections.length, objections.filter((o) => o.resolved_at).length], [2, 1]);
  const named = await Promise.all((await ratingsIn(srv, 'named')).map(get));
  const withdrawn = named.flatMap((r) => r.stars.filter((s) => s.withdrawn));
  assert.equal(withdrawn.length, 2);
  for (const s of withdrawn) assert.match(s.withdrawn.reason, /摘星/);
  const pairs = await srv.api(`/api/v1/pairings?scheme=${SCHEME}&unit=${COUNTY}`);
  assert.equal(pairs.status, 200, JSON.stringify(pairs.body));
  assert.ok(pairs.body.items.length > 0);
  const items = await srv.api(`/api/v1/items?unit=${COUNTY}&type=problem&limit=200`);
  assert.equal(items.status, 200, JSON.stringify(items.body));
  assert.ok(items.body.items.length > 0, 'creation checklist items');
  assert.ok(items.body.items.some((it) => it.state !== 'open'), 'some moved along');
  for (const type of ['dispatch', 'request', 'hazard']) {
    const r = await srv.api(`/api/v1/items?unit=${COUNTY}&type=${type}&limit=5`);
    assert.ok(r.body.items.length > 0, `no ${type} items`);
  }
});

test('checked data: the finished months of every other township approved; the rules find warnings only', async () => {
  const approvals = Number(first.match(/approvals: +(\d+) period\(s\) of (\d+) townships/)[1]);
  const year = Number(first.match(/\), (\d{4}), seed/)[1]);
  const rules = (await srv.api('/api/v1/rules')).body.items;
  assert.ok(rules.length >= 2, 'the shipped rules');
  const report = (await srv.api(`/api/v1/validation?unit=${COUNTY}&period=${year}`)).body;
  assert.equal(report.units, villages());
  assert.equal(report.errors, 0, JSON.stringify(report.items.slice(0, 3)));
  assert.ok(report.items.every((v) => v.severity === 'warning'));
  if (!approvals) return; // January of the scheme's year: no month is over yet
  const january = (await srv.api(`/api/v1/approvals?unit=${COUNTY}&period=${year}-01`)).body.items;
  assert.equal(january.length, 7);
  for (const a of january) assert.equal(a.unit.code.length, 9, 'townships');
  const village = (await srv.api(`/api/v1/units/${january[0].unit.code}/children?limit=1`)).body.items[0].code;
  const locked = await srv.api('/api/v1/values', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify([{ element: 'requests.received', unit: village, period: `${year}-01`, value: 1 }]) });
  assert.equal(locked.status, 409);
  assert.match(locked.body.error.message, /已锁定/);
});

test('the same seed gives the same county', async () => {
  const { d } = filled(7);
  const other = await startServer({ dataDir: d });
  try {
    const a = (await srv.api(SUMMARY)).body;
    const b = (await other.api(SUMMARY)).body;
    assert.deepEqual(b, a);
    const ledger = (s) => s.api(`${SUMMARY}&format=csv`).then((r) => r.body);
    assert.equal(await ledger(other), await ledger(srv), 'the per-unit ledger too');
  } finally {
    await other.stop();
  }
});

test('bad arguments are usage errors; an unknown county is a failure', () => {
  for (const args of [[], ['--county'], ['--county', 'abc'], ['--county', '4111'], ['--county', COUNTY, '--year', '1800'],
    ['--county', COUNTY, '--seed', '-1'], ['--county', COUNTY, '--seed', 'x'], ['--county', COUNTY, 'extra']]) {
    const r = jiceng(['--data', dir, 'demo', ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /usage: jiceng .*demo --county CODE/, args.join(' '));
  }
  const r = jiceng(['--data', dir, 'demo', '--county', '419999']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /no county with the code 419999/);
});

test('without the data elements it says which are missing and writes nothing', () => {
  const d = freshDataDir(['41']);
  const r = jiceng(['--data', d, 'demo', '--county', COUNTY]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not defined: households, population.*import elements data\/definitions\.json/);
  assert.equal(jiceng(['--data', d, 'demo', '--county', COUNTY]).status, 1, 'still nothing written');
});

test('party organisations and rosters: party.members counts them, like the persons list', async () => {
  const m = first.match(/party: +(\d+) organisations, (\d+) persons on the rosters, (\d+) members/);
  assert.ok(m, first);
  assert.equal(Number(m[1]), villages() + 14, 'a branch per village, a committee per township');
  const counted = await srv.api(`/api/v1/analytics?expr=%23%7Bparty.members%7D&unit=${COUNTY}&period=2026`);
  assert.equal(counted.status, 200, JSON.stringify(counted.body));
  assert.equal(counted.body.value, Number(m[3]));
  const town = await srv.api(`/api/v1/analytics?expr=%23%7Bparty.members%7D&unit=${COUNTY}&period=2026&by=children`);
  const t = town.body.children[0];
  const villagesOf = await srv.api(`/api/v1/analytics?expr=%23%7Bparty.members%7D&unit=${t.code}&period=2026&by=children`);
  const v = villagesOf.body.children.find((x) => x.value > 0);
  let listed = 0;
  let next = '';
  do {
    const r = await srv.api(`/api/v1/persons?unit=${v.code}&membership=party_member&limit=500${next ? `&after=${next}` : ''}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    listed += r.body.items.length;
    next = r.body.next;
  } while (next);
  assert.equal(listed, v.value, `${v.name}: the list and party.members agree`);
  const report = await srv.api(`/api/v1/party/orgs/report?unit=${COUNTY}`);
  assert.equal(report.status, 200);
  assert.ok(report.body.terms.some((x) => x.overdue), 'some villages are still due for 换届');
});

test('who signs in: five accounts with one-time passwords in a private file, a notice, the member linked to their record', async () => {
  assert.match(first, /accounts: +5 with one-time passwords in .*demo-accounts\.txt/);
  const file = path.join(dir, 'demo-accounts.txt');
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  const rows = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).slice(1).map((l) => l.split('\t'));
  assert.deepEqual(rows.map((r) => r[3]), ['xian411121', 'zhen411121', 'shuji411121', 'wangge411121', 'dangyuan411121']);
  for (const r of rows) assert.ok(!first.includes(r[4]) && !srv.stderr.includes(r[4]), 'no password printed or logged');
  const signIn = async ([, , , login, password], own) => {
    const s = await login_(login, password);
    assert.equal(s.status, 200, JSON.stringify(s.body));
    assert.equal(s.body.user.must_change_password, true, `${login} chooses a password first`);
    const changed = await call(s, 'POST', '/api/v1/me/password', { old_password: password, new_password: own });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    return login_(login, own);
  };
  const member = await signIn(rows[4], 'Demo-member-2026-own');
  const mine = await call(member, 'GET', '/api/v1/me/person');
  assert.equal(mine.status, 200);
  assert.equal(mine.body.person.name, rows[4][2]);
  assert.equal(mine.body.person.memberships[0].kind, 'party_member');
  const town = await signIn(rows[1], 'Demo-town-2026-own');
  const notices = await call(town, 'GET', '/api/v1/notices');
  assert.equal(notices.status, 200);
  assert.match(notices.body.items[0].title, /“五星”支部创建评星定级/);
  assert.match(JSON.stringify(notices.body.items[0].sender), /刘建国/, 'sent by the county persona, by name');
});

async function login_(username, password) {
  const res = await fetch(srv.url + '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
  return { status: res.status, body: await res.json(), cookie: (res.headers.get('set-cookie') || '').split(';')[0] };
}

async function call(s, method, url, body) {
  const headers = { Cookie: s.cookie };
  if (method !== 'GET') headers['X-CSRF-Token'] = s.body.csrf;
  if (body) headers['Content-Type'] = 'application/json';
  const res = await fetch(srv.url + url, { method, headers, body: body && JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

test('a year of meetings: compliance is computed from them and varies by township', async () => {
  const m = first.match(/meetings: +(\d+) events held .*?, (\d+) sign-ins/);
  assert.ok(m, first);
  const held = Number(m[1]);
  assert.ok(held > villages() * 10, `${held} events for ${villages()} villages`);
  const list = await srv.api(`/api/v1/events?unit=${COUNTY}&period=2026&limit=1`);
  assert.equal(list.status, 200, JSON.stringify(list.body));
  assert.equal(list.body.items[0].status, 'held');
  const expr = encodeURIComponent('#{party.meetings.held}/#{party.meetings.due}*100');
  const town = await srv.api(`/api/v1/analytics?expr=${expr}&unit=${COUNTY}&period=2026&by=children`);
  assert.equal(town.status, 200, JSON.stringify(town.body));
  const rates = town.body.children.map((c) => c.value);
  assert.ok(rates.every((x) => x > 40 && x < 100), rates.join(' '));
  assert.ok(Math.max(...rates) - Math.min(...rates) > 10, `compliance varies by township: ${rates.join(' ')}`);
  const rep = await srv.api(`/api/v1/compliance?unit=${COUNTY}&period=2026&limit=5`);
  assert.equal(rep.status, 200, JSON.stringify(rep.body));
  assert.ok(rep.body.missed > 0 && rep.body.held > rep.body.missed, JSON.stringify([rep.body.held, rep.body.missed]));
  const heldNow = await srv.api(`/api/v1/analytics?expr=%23%7Bparty.meetings.held%7D&unit=${COUNTY}&period=2026`);
  assert.equal(heldNow.body.value, rep.body.held, 'the element and the report count alike');
});

test('family doctors: facilities located in the county, key groups nearly all signed, a few stopped, some villages outside the circle', async () => {
  const line = first.match(/health: +(\d+) facilities, (\d+) family-doctor team\(s\), (\d+) village\(s\) located; (\d+) of (\d+) residents signed, (\d+) with health tags, (\d+) contract\(s\) stopped/);
  assert.ok(line, first);
  const [facilities, teams, located, signed, residents, , stopped] = line.slice(1).map(Number);
  assert.equal(teams, 14 * 3);
  assert.equal(located, villages());
  assert.ok(facilities > 14 && facilities < 14 + villages(), String(facilities));
  assert.ok(stopped > 0);
  const cov = await srv.api(`/api/v1/health/coverage?unit=${COUNTY}`);
  assert.equal(cov.status, 200, JSON.stringify(cov.body));
  assert.equal(cov.body.residents, residents);
  assert.equal(cov.body.contracts, signed - stopped);
  assert.ok(cov.body.keypop_rate >= 95, String(cov.body.keypop_rate));
  assert.ok(cov.body.rate < cov.body.keypop_rate);
  const fac = await srv.api(`/api/v1/health/facilities?unit=${COUNTY}`);
  assert.equal(fac.body.items.length, facilities);
  for (const f of fac.body.items) assert.ok(Math.abs(f.lat - 33.44) < 0.35 && Math.abs(f.lng - 113.61) < 0.4, JSON.stringify(f));
  const circle = await srv.api(`/api/v1/health/circle?unit=${COUNTY}`);
  assert.equal(circle.body.located, villages());
  assert.ok(circle.body.within > villages() * 0.9 && circle.body.within < villages(), String(circle.body.within));
});

test('随访: most quarters of the key groups followed up, some overdue; the element and the report count alike', async () => {
  const m = first.match(/followups: +(\d+) 随访/);
  assert.ok(m, first);
  const recorded = Number(m[1]);
  assert.ok(recorded > 0, first);
  const rep = await srv.api(`/api/v1/health/followups?unit=${COUNTY}`);
  assert.equal(rep.status, 200, JSON.stringify(rep.body));
  const { people, due, done, missed, listed_total: listed } = rep.body;
  // a phone call is no 面对面 follow-up, so not every record counts
  assert.ok(people > 0 && done > recorded / 2 && done <= recorded, JSON.stringify({ people, due, done, recorded }));
  // a quarter is due only under a contract (a follow-up is made by the signed
  // team), so none is missed before a contract began: done outnumber missed
  assert.ok(missed > 0 && done + missed === due && done > missed, JSON.stringify({ due, done, missed }));
  assert.ok(listed > 0, 'the due-visit list is never empty');
  assert.ok(rep.body.items.every((p) => p.name && p.unit_name && !/^\d+$/.test(p.unit_name)), JSON.stringify(rep.body.items[0]));
  const year = rep.body.on.slice(0, 4);
  for (const [key, value] of [['due', due], ['done', done]]) {
    const el = await srv.api(`/api/v1/analytics?expr=%23%7Bhealth.followups.${key}%7D&unit=${COUNTY}&period=${year}`);
    assert.equal(el.status, 200, JSON.stringify(el.body));
    assert.equal(el.body.value, value, `health.followups.${key}`);
  }
});

test('micro-wishes and 四议两公开 deliberations at every stage, on the public pages', async () => {
  const m = first.match(/community: +(\d+) 微心愿 \((\d+) closed\), (\d+) 议事事项/);
  assert.ok(m, first);
  assert.ok(Number(m[1]) > 0 && Number(m[2]) > 0 && Number(m[3]) > 0, m[0]);
  for (const s of ['collected', 'listed', 'claimed', 'delivered', 'confirmed', 'closed']) {
    const r = await srv.api(`/api/v1/items?type=wish&unit=${COUNTY}&state=${s}&limit=1`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.items.length, 1, s);
  }
  const board = await srv.api(`/api/v1/public/cases?type=wish&unit=${COUNTY}&limit=200`);
  assert.ok(board.body.items.length > 0);
  const pub = await srv.api(`/api/v1/public/cases?type=deliberation&unit=${COUNTY}`);
  assert.ok(pub.body.items.length > 0);
  const one = await srv.api(`/api/v1/public/cases/${pub.body.items[0].id}`);
  assert.equal(one.body.steps.filter((s) => s.numbers).length, 3, 'three meetings with their votes');
});

test('擂台比武: every award of the split given with its fund, the last contestant on stage for the screen, 金点子', async () => {
  assert.match(first, /contests: +1 擂台比武 of 24 village secretaries, 164 judges' score\(s\), 8 金点子/);
  const list = (await srv.api(`/api/v1/contests?year=2026`)).body.items;
  assert.equal(list.length, 1);
  const c = (await srv.api(`/api/v1/contests/${list[0].id}`)).body;
  assert.equal(c.contestants.length, 24);
  assert.deepEqual(c.awards.map((a) => a.awarded), [2, 4, 6, 8]);
  assert.equal(c.funds_total, 140000, '14万元 as in the seed');
  assert.equal(c.contestants.filter((p) => p.rank).length, 23);
  const screen = (await srv.api(`/api/v1/public/contests/${c.id}/screen`)).body;
  assert.equal(screen.current.seq, 24);
  assert.equal(screen.current.judges.filter((j) => j.total != null).length, 3);
  assert.equal(c.ideas.length, 8);
  assert.ok(c.ideas.every((i) => i.tags.length === 2 && i.contestant));
  assert.equal(c.ideas.reduce((s, i) => s + i.votes, 0), 3);
});
