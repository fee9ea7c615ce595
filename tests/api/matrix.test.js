// The permission matrix: every route of the route table (`jiceng routes`)
// × every role × a unit inside the user's scope, its parent and a sibling.
// Generated from the table, so a new route is covered as soon as it exists.
// Expected: anonymous → 401; a role without the route's permission → 403;
// in scope → served (not 401/403/404); outside → 404 for reads (existence
// is not revealed) and 403 for writes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, jiceng, jicengOk, addUser, tokenFor } from '../lib/server.js';

// Each role at a realistic depth of the tree (舞阳县 and below).
const ROLES = {
  admin: '',
  county_admin: '411121',
  township_admin: '411121100',
  village_secretary: '411121100201',
  grid_worker: '411121100201',
  observer: '411121',
};

let srv;
let routes;
const actors = {}; // role → {token, perms, scope}
const targets = {}; // role → {own, ancestor, sibling} unit codes
let serial = 0;

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  routes = JSON.parse(jicengOk(['routes'])).filter((r) => r.perm !== 'public');
  const roles = (await srv.api('/api/v1/roles')).body.items;
  for (const [role, scope] of Object.entries(ROLES)) {
    const name = role === 'admin' ? 'admin' : `m_${role}`;
    if (role !== 'admin') addUser(srv.dataDir, name, role, scope);
    actors[role] = {
      token: role === 'admin' ? srv.token : tokenFor(srv.dataDir, name),
      perms: roles.find((r) => r.code === role).permissions,
    };
    if (!scope) {
      targets[role] = { own: '411121100' };
      continue;
    }
    const unit = (await srv.api('/api/v1/units/' + scope)).body;
    const siblings = (await srv.api(`/api/v1/units/${unit.parent}/children?limit=1000`)).body.items;
    targets[role] = {
      own: scope,
      ancestor: unit.parent,
      sibling: siblings.find((s) => s.code !== scope).code,
    };
  }
  // A user scoped to each target, for the routes addressing a user by name.
  // A data element any unit may report, for the routes that write values.
  const el = await srv.api('/api/v1/elements', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: 'm.num', name: '矩阵', value_type: 'number', aggregation: 'sum', period_type: 'year' }),
  });
  assert.equal(el.status, 201);
  const upload = await srv.api('/api/v1/files', { method: 'POST', body: PDF });
  assert.equal(upload.status, 201, JSON.stringify(upload.body));
  fileDigest = upload.body.sha256;
  const codes = new Set(Object.values(targets).flatMap((t) => Object.values(t)));
  for (const code of codes) {
    addUser(srv.dataDir, `t_${code}`, 'observer', code);
    const item = await srv.api('/api/v1/items', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'problem', title: '矩阵事项', unit: code }),
    });
    assert.equal(item.status, 201, JSON.stringify(item.body));
    itemIds[code] = item.body.id;
    const micro = await srv.api('/api/v1/microprojects', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ unit: code, title: '矩阵微项目', budget: 100 }),
    });
    assert.equal(micro.status, 201, JSON.stringify(micro.body));
    microIds[code] = micro.body.id;
    const evaluation = await srv.api('/api/v1/evaluations', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(BODIES['POST /api/v1/evaluations'](code)),
    });
    assert.equal(evaluation.status, 201, JSON.stringify(evaluation.body));
    evaluationIds[code] = evaluation.body.id;
    const contest = await srv.api('/api/v1/contests', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(BODIES['POST /api/v1/contests'](code)),
    });
    assert.equal(contest.status, 201, JSON.stringify(contest.body));
    contestIds[code] = contest.body.id;
    const idea = await srv.api(`/api/v1/contests/${contest.body.id}/ideas`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: '矩阵金点子', text: '做法' }),
    });
    assert.equal(idea.status, 201, JSON.stringify(idea.body));
    contestIdeas[code] = idea.body.id;
    await rateVillageUnder(code);
    const attached = await srv.api(`/api/v1/items/${item.body.id}/comments`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ files: [{ sha256: fileDigest, name: '矩阵.pdf' }] }),
    });
    assert.equal(attached.status, 201, JSON.stringify(attached.body));
    const notice = await srv.api('/api/v1/notices', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ unit: code, title: '矩阵通知', body: '矩阵', files: [{ sha256: fileDigest, name: '矩阵.pdf' }] }),
    });
    assert.equal(notice.status, 201, JSON.stringify(notice.body));
    noticeIds[code] = notice.body.id;
    const facility = await srv.api('/api/v1/health/facilities', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ unit: code, type: 'village_clinic', name: '矩阵卫生室' }),
    });
    assert.equal(facility.status, 201, JSON.stringify(facility.body));
    facilityIds[code] = facility.body.id;
    // A person with a resident membership, a household and a party branch
    // in the target unit, each with a membership to end ({mid}).
    const json = (p, body) => srv.api(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const person = await json('/api/v1/persons', { name: '矩阵人员', unit: code });
    assert.equal(person.status, 201, JSON.stringify(person.body));
    const unitMs = await json(`/api/v1/persons/${person.body.id}/memberships`, { kind: 'volunteer', unit: code, from: '2020-01-01' });
    assert.equal(unitMs.status, 201, JSON.stringify(unitMs.body));
    const household = await json('/api/v1/households', { unit: code, address: '矩阵' });
    assert.equal(household.status, 201, JSON.stringify(household.body));
    const org = await json('/api/v1/party/orgs', { name: '矩阵党支部', type: 'branch', unit: code });
    assert.equal(org.status, 201, JSON.stringify(org.body));
    const member = await json(`/api/v1/party/orgs/${org.body.id}/members`, { person: person.body.id, kind: 'party_member', stage: 'activist', from: '2020-01-01' });
    assert.equal(member.status, 201, JSON.stringify(member.body));
    // A party member of the branch and nothing else, for the points and dues
    // routes (the person above gains memberships elsewhere as the matrix runs).
    const formal = await json('/api/v1/persons', { name: '矩阵党员', unit: code });
    assert.equal(formal.status, 201, JSON.stringify(formal.body));
    const joined = await json(`/api/v1/party/orgs/${org.body.id}/members`, { person: formal.body.id, kind: 'party_member', stage: 'formal', from: '2020-01-01' });
    assert.equal(joined.status, 201, JSON.stringify(joined.body));
    // … and an applicant's 发展党员 case in that branch ({id} of /party/cases)
    const applicant = await json('/api/v1/persons', { name: '矩阵申请人', unit: code });
    assert.equal(applicant.status, 201, JSON.stringify(applicant.body));
    const pipeline = await json('/api/v1/party/cases', { kind: 'development', person: applicant.body.id, org: org.body.id, on: '2020-01-01' });
    assert.equal(pipeline.status, 201, JSON.stringify(pipeline.body));
    const event = await json('/api/v1/events', { org: org.body.id, type: 'committee_meeting', status: 'held', starts_at: '2026-01-05', topic: '矩阵支委会',
      participants: [{ person: person.body.id, attendance: 'present' }], files: [{ sha256: fileDigest, name: '矩阵.pdf' }] });
    assert.equal(event.status, 201, JSON.stringify(event.body));
    const project = await json('/api/v1/projects', { unit: code, name: '矩阵项目', nature: 'industry', owner_unit: code, total_wan: 100, starts_on: '2020-01-01', ends_on: '2030-12-31' });
    assert.equal(project.status, 201, JSON.stringify(project.body));
    const milestone = await json(`/api/v1/projects/${project.body.id}/milestones`, { name: '矩阵节点', planned_on: '2030-01-01' });
    assert.equal(milestone.status, 201, JSON.stringify(milestone.body));
    const exam = await json('/api/v1/events', { type: 'exam', unit: code, status: 'held', starts_at: '2026-01-09', topic: '矩阵考试' });
    assert.equal(exam.status, 201, JSON.stringify(exam.body));
    people[code] = { person: person.body.id, household: household.body.id, org: org.body.id,
      personMs: unitMs.body.memberships.at(-1).id, orgMs: member.body.members.at(-1).id, member: formal.body.id,
      case: pipeline.body.id, event: event.body.id, project: project.body.id, milestone: milestone.body.milestones[0].id,
      exam: exam.body.id };
    // 双随机: a target and two inspectors here, a plan of one check drawn ({id} of /inspections/…)
    departmentId ??= (await json('/api/v1/evaluation-departments', { unit: '411121', name: '矩阵县直部门' })).body.id;
    inspectionItem ??= (await json('/api/v1/inspections/items', { code: 'matrix', name: '矩阵事项', basis: '矩阵', ratio_permille: 10, frequency: '每年' })).body.id;
    const target = await json('/api/v1/inspections/targets', { name: '矩阵对象', kind: '企业', unit: code });
    assert.equal(target.status, 201, JSON.stringify(target.body));
    let inspector;
    for (const k of [1, 2]) inspector = await json('/api/v1/inspections/inspectors', { name: `矩阵检查员${k}`, department: '矩阵', unit: code });
    const plan = await json('/api/v1/inspections/plans', { name: '矩阵计划', item: inspectionItem, unit: code, target_count: 1, deadline: '2099-12-31' });
    assert.equal(plan.status, 201, JSON.stringify(plan.body));
    const drawn = await json(`/api/v1/inspections/plans/${plan.body.id}/draw`, {});
    assert.equal(drawn.status, 201, JSON.stringify(drawn.body));
    inspections[code] = { target: target.body.id, inspector: inspector.body.id, plan: plan.body.id, check: drawn.body.checks[0].id };
  }
});
after(() => srv?.stop());

// Routes addressing a unit's five-star rating ({unit}) take a village with a
// rating inside the target unit (outside the actor's own scope when the
// target is an ancestor), with the test file attached to one answer.
const SCHEME = 'village-2026';
const villages = {}; // target code → its village
async function firstVillage(code, avoid) {
  const unit = (await srv.api('/api/v1/units/' + code)).body;
  if (unit.kind === 'village') return unit.code;
  const children = (await srv.api(`/api/v1/units/${code}/children?limit=1000`)).body.items;
  for (const c of children) {
    if (avoid && avoid.startsWith(c.code)) continue;
    if (c.kind === 'village') return c.code;
    const found = c.child_count > 0 && c.level !== 'village' ? await firstVillage(c.code, avoid) : null;
    if (found) return found;
  }
  return null;
}
async function rateVillageUnder(code) {
  const own = Object.values(targets).find((t) => t.ancestor === code)?.own;
  const village = await firstVillage(code, own);
  villages[code] = village;
  const post = (p, method, body) => srv.api(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const declared = await post('/api/v1/ratings', 'POST', { scheme: SCHEME, unit: village, target: 3 });
  assert.ok([201, 409].includes(declared.status), JSON.stringify(declared.body));
  const answered = await post(`/api/v1/ratings/${village}/answers?scheme=${SCHEME}`, 'PUT', {
    indicators: [{ code: 'party.organisation', score: 1, files: [{ sha256: fileDigest, name: '矩阵.pdf' }] }],
  });
  assert.ok([200, 400].includes(answered.status), JSON.stringify(answered.body));
}

// The request a route gets for a target unit.
// A body each writing route accepts when the caller may write there.
const BODIES = {
  'PATCH /api/v1/users/{name}': () => ({ display_name: '矩阵测试' }),
  'POST /api/v1/users': (code) => ({ username: `new_${++serial}`, password: 'Matrix-pass-2026x', role: 'observer', scope: code }),
  'POST /api/v1/values': (code) => [{ element: 'm.num', unit: code, period: '2023', value: 1 }],
  'POST /api/v1/elements': () => ({ code: `m.e${++serial}`, name: '矩阵', value_type: 'number', aggregation: 'sum', period_type: 'year' }),
  'POST /api/v1/indicators': () => ({ code: `m.i${++serial}`, name: '矩阵', formula: '#{m.num} * 2' }),
  'POST /api/v1/rules': () => ({ code: `m.r${++serial}`, message: '矩阵', left: '#{m.num}', operator: '>=', right: '0' }),
  'POST /api/v1/items': (code) => ({ type: 'problem', title: '矩阵', unit: code }),
  'POST /api/v1/items/batch': (code) => ({ type: 'dispatch', title: '矩阵交办', units: [code] }),
  'POST /api/v1/items/{id}/transitions': () => ({ transition: 'start' }),
  'POST /api/v1/items/{id}/comments': () => ({ note: '矩阵' }),
  'POST /api/v1/items/{id}/reassign': () => ({ assignee: `矩阵${++serial}`, note: '矩阵' }),
  'POST /api/v1/ratings': (code) => ({ scheme: SCHEME, unit: code, target: 1 }),
  'PUT /api/v1/ratings/{unit}/answers': () => ({ indicators: [{ code: 'party.organisation', score: 2 }] }),
  'POST /api/v1/ratings/{unit}/adjustments': () => ({ code: 'party.organisation', score: 3, reason: '矩阵' }),
  'POST /api/v1/ratings/{unit}/transitions': () => ({ transition: 'accept' }),
  'POST /api/v1/ratings/{unit}/objections': () => ({ text: '矩阵' }),
  'POST /api/v1/ratings/{unit}/objections/{id}/resolution': () => ({ resolution: '矩阵', upheld: false }),
  'POST /api/v1/ratings/{unit}/withdrawals': () => ({ star: 'party', reason: '矩阵' }),
  'POST /api/v1/ratings/{unit}/checklist': () => ({}),
  'PUT /api/v1/pairings': () => ({ pairs: [] }),
  'POST /api/v1/notifications/read': () => ({ all: true }),
  'POST /api/v1/notices': (code) => ({ unit: code, title: '矩阵通知', body: '矩阵' }),
  'POST /api/v1/notices/{id}/read': () => ({}),
  'POST /api/v1/persons': (code) => ({ name: `矩阵${++serial}`, unit: code }),
  'PATCH /api/v1/persons/{id}': () => ({ education: '高中' }),
  'POST /api/v1/persons/{id}/memberships': (code) => ({ kind: 'grid_worker', unit: code, from: `2021-01-${String(++serial % 28 + 1).padStart(2, '0')}` }),
  'POST /api/v1/persons/{id}/memberships/{mid}/end': () => ({ to: '2099-01-01' }),
  'POST /api/v1/households': (code) => ({ unit: code, address: '矩阵' }),
  'PATCH /api/v1/households/{id}': () => ({ address: `矩阵${++serial}` }),
  'POST /api/v1/households/{id}/members': () => ({ person: people[Object.keys(people)[0]].person, relation: 'other', from: `19${String(++serial % 90 + 10)}-01-01` }),
  'POST /api/v1/evaluation-departments': (code) => ({ unit: code, name: `矩阵部门${++serial}` }),
  'PATCH /api/v1/evaluation-departments/{id}': () => ({ name: `矩阵部门${++serial}` }),
  'POST /api/v1/contests': (code) => ({ name: `矩阵比武${++serial}`, year: 2025, unit: code, contestants: [{ name: '矩阵选手', unit: code }], judges: [{ name: '矩阵评委', unit: code }] }),
  'POST /api/v1/contests/{id}/judge-codes': () => ({ judge: 1 }),
  'POST /api/v1/contests/{id}/rounds': () => ({ contestant: 1, action: 'open' }),
  'POST /api/v1/contests/{id}/site-scores': () => ({ scores: [{ contestant: 1, score: 80 }] }),
  'POST /api/v1/contests/{id}/ideas': () => ({ title: `矩阵金点子${++serial}`, text: '做法' }),
  'POST /api/v1/contests/{id}/votes': (code) => ({ idea: contestIdeas[code] }),
  'POST /api/v1/evaluations': (code) => ({ name: `矩阵评议${++serial}`, year: 2025, kind: 'units', form: 'satisfaction', rule: 'weighted_mean',
    unit: code, groups: [{ name: '全体', weight: 100, raters: 1 }], subjects: [{ name: '矩阵对象' }] }),
  'POST /api/v1/events': (code) => ({ type: 'volunteer', unit: code, status: 'planned', starts_at: '2026-01-01', topic: `矩阵${++serial}` }),
  'PATCH /api/v1/events/{id}': () => ({ notes: `矩阵${++serial}` }),
  'PUT /api/v1/events/{id}/attendance': () => ({ participants: [] }),
  'POST /api/v1/persons/{id}/timebank/transfers': () => ({ to: 1, coins: 1 }),
  'POST /api/v1/persons/{id}/timebank/redemptions': () => ({ rule: 'haircut' }),
  'POST /api/v1/volunteers/teams': (code) => ({ unit: code, name: `矩阵志愿队${++serial}` }),
  'POST /api/v1/share/posts': (code) => ({ unit: code, kind: 'need', category: 'time', from: '2030-01-01', to: '2030-01-02', title: `矩阵共享${++serial}` }),
  'POST /api/v1/persons/{id}/volunteer/teams': () => ({ team: 1 }),
  'POST /api/v1/events/{id}/volunteers/signin': () => ({ person: 1 }),
  'POST /api/v1/events/{id}/volunteers/signout': () => ({ person: 1 }),
  'POST /api/v1/cadres/reserves': (code) => ({ unit: code, year: 2025, person: 1, post: '矩阵' }),
  'PUT /api/v1/cadres/exams/{id}/scores': () => ({ scores: [] }),
  'POST /api/v1/cadres/exams/{id}/makeups': () => ({ starts_at: '2026-01-02T09:00' }),
  'POST /api/v1/cadres/workers': (code) => ({ unit: code, person: 1, post: 'member', start_date: '2020-01-01', degree: 'none' }),
  'POST /api/v1/projects': (code) => ({ unit: code, name: `矩阵项目${++serial}`, nature: 'industry', owner_unit: code, total_wan: 100, starts_on: '2020-01-01', ends_on: '2030-12-31' }),
  'POST /api/v1/microprojects': (code) => ({ unit: code, title: `矩阵微项目${++serial}`, budget: 100 }),
  'POST /api/v1/microprojects/{id}/participants': () => ({ kind: 'person', name: `矩阵${++serial}`, count: 1 }),
  'POST /api/v1/microprojects/{id}/wishes': () => ({ wishes: [] }),
  'POST /api/v1/projects/{id}/plans': () => ({ year: 2021, plan_wan: 1 }),
  'POST /api/v1/projects/{id}/reports': () => ({ month: '2021-01', invested_wan: 0 }),
  'POST /api/v1/projects/{id}/milestones': () => ({ name: `矩阵节点${++serial}`, planned_on: '2030-01-01' }),
  'POST /api/v1/projects/{id}/milestones/{mid}/done': () => ({ done_on: '2021-01-01' }),
  'POST /api/v1/party/orgs': (code) => ({ name: `矩阵${++serial}`, type: 'group', unit: code }),
  'PATCH /api/v1/party/orgs/{id}': () => ({ term_years: 3 }),
  'POST /api/v1/party/orgs/{id}/members': () => ({ person: people[Object.keys(people)[0]].person, kind: 'committee', stage: 'other', from: '2022-01-01' }),
  'POST /api/v1/party/orgs/{id}/members/{mid}/end': () => ({ to: '2099-01-01' }),
  'POST /api/v1/party/orgs/{id}/members/{mid}/stage': () => ({ stage: 'candidate', from: `2030-01-${String(++serial % 28 + 1).padStart(2, '0')}` }),
  'POST /api/v1/points/{id}/transitions': () => ({ transition: 'approve' }),
  'POST /api/v1/persons/{id}/points': () => ({ rule: 'study', evidence: '矩阵' }),
  'POST /api/v1/me/points': () => ({ rule: 'study', evidence: '矩阵' }),
  'PUT /api/v1/persons/{id}/dues/basis': () => ({ category: 'student' }),
  'POST /api/v1/persons/{id}/dues/payments': () => ({ months: ['2020-01'], amount_fen: 20, method: 'cash' }),
  'POST /api/v1/party/cases': (code) => ({ kind: 'development', person: people[code].person, org: people[code].org }),
  'POST /api/v1/party/cases/{id}/transitions': () => ({ transition: 'talk', on: '2020-01-20', note: '矩阵谈话' }),
  'POST /api/v1/health/facilities': (code) => ({ unit: code, type: 'village_clinic', name: `矩阵${++serial}`, lat: 33.4, lng: 113.6 }),
  'PATCH /api/v1/health/facilities/{id}': () => ({ name: `矩阵机构${++serial}` }),
  'PUT /api/v1/health/points': (code) => ({ unit: code, lat: 33.4, lng: 113.6 }),
  'POST /api/v1/health/teams': (code) => ({ unit: code, facility: 1, name: `矩阵${++serial}` }),
  'POST /api/v1/persons/{id}/health/stop': () => ({ reason: 'moved' }),
  'PUT /api/v1/persons/{id}/health/tags': () => ({ tags: ['hypertension'] }),
  'POST /api/v1/inspections/targets': (code) => ({ name: `矩阵对象${++serial}`, kind: '企业', unit: code }),
  'POST /api/v1/inspections/inspectors': (code) => ({ name: `矩阵检查员${++serial}`, department: '矩阵', unit: code }),
  'POST /api/v1/inspections/plans': (code) => ({ name: `矩阵计划${++serial}`, item: inspectionItem, unit: code, deadline: '2099-12-31' }),
};
const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');
const RAW = { 'POST /api/v1/files': () => PDF }; // routes whose body is a file
const itemIds = {}; // unit code → a work item it owns, with a file attached
const microIds = {}; // unit code → a micro-project (微项目) it owns
const people = {}; // unit code → {person, household, org, personMs, orgMs, member, case, event} ids there
const noticeIds = {}; // unit code → a notice sent to it, with the file attached
const evaluationIds = {}; // unit code → an evaluation campaign it organises
const contestIds = {}; // unit code → a contest (擂台比武) it organises
const contestIdeas = {}; // unit code → a 金点子 of that contest
const facilityIds = {}; // unit code → a 医疗卫生机构 there
const inspections = {}; // unit code → {target, inspector, plan, check} ids of 双随机 there
let inspectionItem;
let departmentId; // a department of the county's 述职评议 register
let fileDigest;

function freshTokenId(user) {
  jicengOk(['--data', srv.dataDir, 'user', 'enable', user]); // DELETE /api/v1/users/{name} disabled it
  const out = jiceng(['--data', srv.dataDir, 'token', 'create', '--user', user]);
  return out.stderr.match(/token (\d+)/)[1];
}

function requestFor(route, code) {
  // A user's token: a fresh one for each request, since a revoked one is gone.
  const ids = route.path.startsWith('/api/v1/notices/') ? noticeIds : itemIds;
  let id = route.path.endsWith('/tokens/{id}') ? freshTokenId(`t_${code}`) : ids[code];
  let mid = '';
  if (route.path.startsWith('/api/v1/persons/')) [id, mid] = [people[code].person, people[code].personMs];
  // (after the member writes, the first unit's person is in other units' scopes: read a formal member no write touches)
  if (/^\/api\/v1\/persons\/\{id\}\/(points|dues|health|timebank|volunteer|evaluations|cadre)/.test(route.path)) id = people[code].member;
  if (route.path.startsWith('/api/v1/households/')) id = people[code].household;
  if (route.path.startsWith('/api/v1/party/orgs/')) [id, mid] = [people[code].org, people[code].orgMs];
  if (route.path.startsWith('/api/v1/party/cases/')) id = people[code].case;
  if (route.path.startsWith('/api/v1/events/')) id = people[code].event;
  if (route.path.startsWith('/api/v1/cadres/exams/')) id = people[code].exam;
  if (route.path.startsWith('/api/v1/evaluations/')) id = evaluationIds[code];
  if (route.path.startsWith('/api/v1/contests/')) id = contestIds[code];
  if (route.path.startsWith('/api/v1/evaluation-departments/')) id = departmentId;
  if (route.path.startsWith('/api/v1/microprojects/')) id = microIds[code];
  if (route.path.startsWith('/api/v1/health/facilities/')) id = facilityIds[code];
  if (route.path.startsWith('/api/v1/projects/')) [id, mid] = [people[code].project, people[code].milestone];
  const insp = route.path.match(/^\/api\/v1\/inspections\/(items|targets|inspectors|plans|checks)\//);
  if (insp) id = insp[1] === 'items' ? inspectionItem : inspections[code][{ targets: 'target', inspectors: 'inspector', plans: 'plan', checks: 'check' }[insp[1]]];
  let path = route.path.replace('{mid}', mid).replace('{code}', code).replace('{name}', `t_${code}`).replace('{id}', id)
    .replace('{sha256}', fileDigest).replace('{unit}', villages[code]).replace('{scheme}', SCHEME);
  if (route.scope === 'query') path += `?unit=${code}`;
  if (/^\/api\/v1\/(ratings|pairings)/.test(route.path)) path += `${path.includes('?') ? '&' : '?'}scheme=${SCHEME}`;
  const init = { method: route.method, headers: {} };
  const body = BODIES[`${route.method} ${route.path}`];
  const raw = RAW[`${route.method} ${route.path}`];
  if (body) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body(code));
  } else if (raw) {
    init.headers['Content-Type'] = 'application/pdf';
    init.body = raw();
  }
  return { path, init };
}

const isWrite = (route) => !['GET', 'HEAD'].includes(route.method);
// Routes whose permission acts only with a whole-country scope: elements
// and indicators are one national catalogue (app/data.c).
const WHOLE_COUNTRY = new Set(['POST /api/v1/elements', 'POST /api/v1/indicators']);
// Rows of the county's register of departments, addressed by id: only users
// whose scope holds the county reach them.
const COUNTY_REGISTER = new Set(['PATCH /api/v1/evaluation-departments/{id}']);

test('every route refuses anonymous requests with 401', async () => {
  for (const route of routes) {
    const { path, init } = requestFor(route, '411121100');
    const r = await api(srv.url, path, init);
    assert.equal(r.status, 401, `${route.method} ${route.path}`);
    assert.equal(r.body.error.code, 'unauthorized');
  }
});

test('every route × every role × own, ancestor and sibling units', async () => {
  let checked = 0;
  for (const route of routes) {
    for (const [role, actor] of Object.entries(actors)) {
      const kinds = route.scope === 'none' ? ['own'] : Object.keys(targets[role]);
      for (const kind of kinds) {
        const code = targets[role][kind];
        const { path, init } = requestFor(route, code);
        init.headers.Authorization = `Bearer ${actor.token}`;
        const r = await api(srv.url, path, init);
        const where = `${role} ${route.method} ${path} (${kind})`;
        assert.ok(r.status < 500, `${where} → ${r.status}`);
        if (route.perm !== 'login' && !actor.perms.includes(route.perm)) {
          assert.equal(r.status, 403, where);
        } else if (WHOLE_COUNTRY.has(`${route.method} ${route.path}`) && ROLES[role] !== '') {
          assert.equal(r.status, 403, `${where}: needs a whole-country scope`);
        } else if (kind === 'own' && COUNTY_REGISTER.has(`${route.method} ${route.path}`) && ROLES[role].length > 6) {
          assert.equal(r.status, 404, `${where}: the county's register is outside a township's scope`);
        } else if (kind === 'own') {
          assert.ok(![401, 403, 404].includes(r.status), `${where} → ${r.status} ${JSON.stringify(r.body)}`);
        } else {
          assert.equal(r.status, isWrite(route) ? 403 : 404, where);
          // Nothing about the unit leaks: not its name, not its children.
          const unitName = (await srv.api('/api/v1/units/' + code)).body.name;
          assert.ok(!JSON.stringify(r.body).includes(unitName), `${where} leaks ${unitName}`);
        }
        checked++;
      }
    }
  }
  assert.ok(checked >= routes.length * Object.keys(ROLES).length, `only ${checked} checks`);
});

// Beyond routes: the units, partners and files a request names in its body
// or gets back in fields follow the same scope.
test('fields: helper units, pairing partners, attached files, definitions', async () => {
  const json = (actor, p, method, body) => api(srv.url, p, {
    method, headers: { Authorization: `Bearer ${actor.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  // A pair across two townships of 舞阳县: the weak village in the township
  // the scoped roles hold, the strong one in its sibling township.
  const weak = await firstVillage(targets.village_secretary.own);
  const strong = await firstVillage(targets.township_admin.sibling);
  const saved = await srv.api(`/api/v1/pairings?scheme=${SCHEME}&unit=411121`, {
    method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ pairs: [{ strong, weak }] }),
  });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const strongName = (await srv.api('/api/v1/units/' + strong)).body.name;
  // A file only the administrator uploaded, attached to each target's item.
  const secret = await srv.api('/api/v1/files', { method: 'POST', body: Buffer.from('%PDF-1.4\n% 仅管理员上传\n%%EOF\n') });
  assert.equal(secret.status, 201);
  for (const id of Object.values(itemIds)) {
    const r = await srv.api(`/api/v1/items/${id}/comments`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ files: [{ sha256: secret.body.sha256, name: '机密.pdf' }] }),
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  let checked = 0;
  for (const [role, actor] of Object.entries(actors)) {
    const scope = ROLES[role];
    const { own, sibling } = targets[role];
    const outside = sibling ?? null;
    const can = (perm) => actor.perms.includes(perm);
    if (can('items:create') && outside) {
      // helper_unit outside the scope: refused on create and on 转办, before
      // its existence is looked up (an unknown code outside answers alike).
      for (const helper of [outside, outside.slice(0, -1) + (outside.endsWith('9') ? '8' : '9')]) {
        const r = await json(actor, '/api/v1/items', 'POST', { type: 'problem', title: '字段矩阵', unit: own, helper_unit: helper });
        assert.equal(r.status, 403, `${role} helper_unit ${helper} → ${r.status} ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.field, 'helper_unit');
      }
      const mine = await json(actor, '/api/v1/items', 'POST', { type: 'problem', title: '字段矩阵', unit: own, helper_unit: own });
      assert.equal(mine.status, 201, `${role} helper_unit in scope: ${JSON.stringify(mine.body)}`);
      if (can('items:handle')) {
        const moved = await json(actor, `/api/v1/items/${mine.body.id}/reassign`, 'POST', { helper_unit: outside, note: '矩阵' });
        assert.equal(moved.status, 403, `${role} reassign helper_unit outside → ${moved.status}`);
        // A file uploaded by someone else: its digest attaches nothing to a
        // new item, and answers exactly as a digest never uploaded; the item
        // that already holds it may have it attached again.
        const attach = (id, sha) => json(actor, `/api/v1/items/${id}/comments`, 'POST', { files: [{ sha256: sha, name: '矩阵.pdf' }] });
        const foreign = await attach(mine.body.id, secret.body.sha256);
        const unknown = await attach(mine.body.id, 'e'.repeat(64));
        assert.equal(foreign.status, 400, `${role} attaches another's upload → ${foreign.status}`);
        assert.deepEqual(foreign.body, unknown.body, 'another\'s file and an unknown digest answer alike');
        assert.equal(foreign.body.error.field, 'files[0].sha256');
        assert.equal((await attach(itemIds[own], secret.body.sha256)).status, 201, `${role} re-attaches to the item holding it`);
        if (can('files:upload')) {
          const own_pdf = Buffer.from(`%PDF-1.4\n% ${role}\n%%EOF\n`);
          const up = await api(srv.url, '/api/v1/files', { method: 'POST', headers: { Authorization: `Bearer ${actor.token}` }, body: own_pdf });
          assert.equal(up.status, 201);
          assert.equal((await attach(mine.body.id, up.body.sha256)).status, 201, `${role} attaches its own upload`);
        }
      }
      checked++;
    }
    if (can('ratings:read') && scope.startsWith('411121100')) {
      // The partner village of another township: named, its rating not shown.
      const list = await json(actor, `/api/v1/pairings?scheme=${SCHEME}&unit=${scope}`, 'GET');
      assert.equal(list.status, 200, `${role} pairings`);
      const pair = list.body.items.find((p) => p.weak.code === weak);
      assert.ok(pair, `${role} sees the pair of ${weak}`);
      assert.deepEqual(pair.strong, { code: strong, name: strongName, readable: false, level: null, target: null, state: null, state_label: null, final: false });
      assert.equal(pair.weak.readable, true);
      checked++;
    }
    if (can('data:define')) {
      const el = await json(actor, '/api/v1/elements', 'POST', { code: `m.f${++serial}`, name: '矩阵', value_type: 'number', aggregation: 'sum', period_type: 'year' });
      const ind = await json(actor, '/api/v1/indicators', 'POST', { code: `m.g${++serial}`, name: '矩阵', formula: '#{m.num}' });
      assert.equal(el.status, scope ? 403 : 201, `${role} defines an element`);
      assert.equal(ind.status, scope ? 403 : 201, `${role} defines an indicator`);
      checked++;
    }
  }
  const admin = (await srv.api(`/api/v1/pairings?scheme=${SCHEME}&unit=411121`)).body.items.find((p) => p.weak.code === weak);
  assert.equal(admin.strong.readable, true, 'the county sees both sides');
  assert.ok(checked >= 8, `only ${checked} checks`);
});
