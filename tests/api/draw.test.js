// 双随机: `jiceng draw run` and `jiceng draw verify` (the contract): an
// untouched draw verifies (exit 0, the same targets and inspectors printed),
// a draw altered in the database does not (exit 1, naming the difference);
// a plan with too few inspectors after 回避 is refused and writes nothing;
// the result equals the independent re-implementation tools/draw_verify.py.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { jiceng, tempDir, ROOT, PG, sql as runSql, startServer, passwordFile, ADMIN_PASSWORD } from '../lib/server.js';

// SQLite or PostgreSQL (JICENG_TEST_DB=postgres), through the data directory
const sql = (dir, q) => runSql(dir, q).trim();
const concat = PG ? "string_agg(i.inspector_id::text, ' ' ORDER BY i.seq)" : "group_concat(i.inspector_id, ' ')";

function setup() {
  const dir = tempDir();
  const units = path.join(dir, 'units.csv');
  fs.writeFileSync(units, 'code,name,parent_code\n41,河南省,\n4111,漯河市,41\n411121,舞阳县,4111\n');
  assert.equal(jiceng(['--data', dir, 'init', '--admin-password-file', passwordFile(ADMIN_PASSWORD)]).status, 0);
  assert.equal(jiceng(['--data', dir, 'import', 'units', units]).status, 0);
  const db = dir;
  sql(db, `
    INSERT INTO inspection_items (code, name, basis, ratio_permille, frequency)
      VALUES ('food', '食品经营抽查', '《中华人民共和国食品安全法》', 50, '每年一次');
    WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 200)
      INSERT INTO inspection_targets (name, kind, unit) SELECT '商户' || n, '个体工商户', '411121' FROM k;
    WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 6)
      INSERT INTO inspectors (name, department, unit) SELECT '检查员' || n, '市场监管所', '411121' FROM k;
    INSERT INTO inspection_links VALUES (1, 5, '近亲属'), (2, 5, '近亲属'), (3, 5, '曾任职');
    INSERT INTO inspection_plans (name, item_id, unit, ratio_permille, per_target, deadline, created_by, created_at)
      VALUES ('2026年食品经营抽查', 1, '411121', 50, 2, '2026-12-31', 'admin', '2026-12-01');
    INSERT INTO inspection_plans (name, item_id, unit, target_count, per_target, deadline, created_by, created_at)
      VALUES ('全覆盖检查', 1, '411121', 200, 4, '2026-12-31', 'admin', '2026-12-01');`);
  return { dir, db };
}

test('draw run, verify untouched (exit 0), altered (exit 1 naming the row)', () => {
  const { dir, db } = setup();
  const run = jiceng(['--data', dir, 'draw', 'run', '1', '--public', '2026-12-04T09:00:00+08:00']);
  assert.equal(run.status, 0, run.stderr);
  const id = run.stdout.trim();
  assert.equal(sql(db, 'SELECT count(*) FROM inspection_checks'), '10'); // 5 % of 200
  const ok = jiceng(['--data', dir, 'draw', 'verify', id]);
  assert.equal(ok.status, 0, ok.stderr);
  const lines = ok.stdout.split('\n').filter((l) => /^\d+:/.test(l));
  assert.equal(lines.length, 10);
  // the printed draw is the stored one
  const stored = sql(db, `SELECT c.target_id || ':' || ${concat}
      FROM inspection_checks c JOIN inspection_check_inspectors i ON i.check_id = c.id
      WHERE c.draw_id = ${id} GROUP BY c.id ORDER BY c.seq`).split('\n');
  assert.deepEqual(lines.map((l) => l.replace(': ', ':')), stored);
  // 回避: inspectors 1, 2, 3 never check target 5
  assert.equal(sql(db, `SELECT count(*) FROM inspection_checks c JOIN inspection_check_inspectors i
      ON i.check_id = c.id WHERE c.target_id = 5 AND i.inspector_id IN (1, 2, 3)`), '0');
  // the same as the independent re-implementation from the stored inputs
  const [t, ins, links] = sql(db, `SELECT targets, inspectors, links FROM inspection_draws WHERE id = ${id}`).split('|');
  const py = execFileSync('python3', [path.join(ROOT, 'tools/draw_verify.py'), '1',
    '2026-12-04T09:00:00+08:00', '10', '2', t, ins, links], { encoding: 'utf8' });
  assert.deepEqual(py.split('\n').filter((l) => /^\d+:/.test(l)), lines);
  assert.equal(jiceng(['--data', dir, 'draw', 'verify', id]).stdout, ok.stdout, 'identical when re-run');
  // a plan is drawn once
  const again = jiceng(['--data', dir, 'draw', 'run', '1']);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /已经摇号/);
  // alter one inspector of the third target
  sql(db, `UPDATE inspection_check_inspectors SET inspector_id = CASE WHEN inspector_id = 6 THEN 5 ELSE 6 END
      WHERE seq = 1 AND check_id = (SELECT id FROM inspection_checks WHERE draw_id = ${id} AND seq = 3)`);
  const bad = jiceng(['--data', dir, 'draw', 'verify', id]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /第 3 个检查对象的第 1 名执法检查人员：记录为 \d+，重新摇号为 \d+/);
  // alter the published snapshot
  sql(db, `UPDATE inspection_draws SET targets = replace(targets, ',200', '') WHERE id = ${id}`);
  const snap = jiceng(['--data', dir, 'draw', 'verify', id]);
  assert.equal(snap.status, 1);
  assert.match(snap.stderr, /名录库快照的摘要/);
  assert.equal(jiceng(['--data', dir, 'draw', 'verify', '999']).status, 1);
  assert.equal(jiceng(['--data', dir, 'draw', 'verify', 'x']).status, 2);
});

test('too few inspectors after 回避: refused naming the rule, nothing written', () => {
  const { dir, db } = setup();
  const r = jiceng(['--data', dir, 'draw', 'run', '2']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /回避后可选派的执法检查人员不足：检查对象 5 需要 4 名，只有 3 名/);
  assert.equal(sql(db, 'SELECT count(*) FROM inspection_draws'), '0');
  assert.equal(sql(db, 'SELECT count(*) FROM inspection_checks'), '0');
  assert.equal(sql(db, "SELECT count(*) FROM audit WHERE action = 'inspection.draw'"), '0');
});

test('results: standard codes, the plan deadline, 20 working days on the holiday calendar', () => {
  const { dir, db } = setup();
  assert.equal(jiceng(['--data', dir, 'draw', 'run', '1']).status, 0);
  const check = sql(db, 'SELECT id FROM inspection_checks WHERE seq = 1');
  // checked on Friday 2025-09-26: 20 working days skip 国庆/中秋 (10-01..08) and count the
  // 调休 Sunday 09-28 and Saturday 10-11 → 2025-10-30 (国办发明电〔2024〕12号)
  const late = jiceng(['--data', dir, 'draw', 'result', check, '--result', 'no_problem',
    '--checked', '2025-09-26', '--published', '2025-10-31']);
  assert.equal(late.status, 1);
  assert.match(late.stderr, /20 个工作日内公示（期限 2025-10-30/);
  assert.equal(sql(db, `SELECT result FROM inspection_checks WHERE id = ${check}`), '');
  const bad = jiceng(['--data', dir, 'draw', 'result', check, '--result', 'bogus', '--checked', '2025-09-26']);
  assert.match(bad.stderr, /不是标准结果类型/);
  const after = jiceng(['--data', dir, 'draw', 'result', check, '--result', 'corrected', '--checked', '2027-01-04']);
  assert.match(after.stderr, /完成期限 2026-12-31/);
  const ok = jiceng(['--data', dir, 'draw', 'result', check, '--result', 'corrected',
    '--checked', '2025-09-26', '--published', '2025-10-30']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(sql(db, `SELECT result || ' ' || publish_by FROM inspection_checks WHERE id = ${check}`),
    'corrected 2025-10-30');
  assert.equal(sql(db, "SELECT count(*) FROM audit WHERE action = 'inspection.result'"), '1');
});

test('inspections.drawn and inspections.done as computed data elements, rolled up', async () => {
  const { dir } = setup();
  assert.equal(jiceng(['--data', dir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]).status, 0);
  assert.equal(jiceng(['--data', dir, 'draw', 'run', '1']).status, 0);
  const year = sql(dir, 'SELECT substr(drawn_at, 1, 4) FROM inspection_draws');
  const check = sql(dir, 'SELECT id FROM inspection_checks WHERE seq = 1');
  assert.equal(jiceng(['--data', dir, 'draw', 'result', check, '--result', 'no_problem',
    '--checked', `${year}-01-05`]).status, 0);
  const s = await startServer({ dataDir: dir });
  try {
    for (const [code, want] of [['inspections.drawn', 10], ['inspections.done', 1]]) {
      const r = await s.api(`/api/v1/analytics?expr=${encodeURIComponent(`#{${code}}`)}&unit=41&period=${year}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(JSON.stringify(r.body).includes(`"value":${want}`), true, JSON.stringify(r.body));
    }
  } finally {
    await s.stop();
  }
});
