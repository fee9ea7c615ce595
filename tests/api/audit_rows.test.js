// The audit trail against someone who can write the database but not the
// key file: `jiceng audit verify` compares every current user, data value
// and case with the last after-image the trail holds of it, and names each
// row changed, added or deleted directly — a data value, a user's role or
// password, an item's state or text, a rating and its answers.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api, addUser, tokenFor, jiceng, jicengOk, sql, ROOT } from '../lib/server.js';

const V1 = '411121100201';
let dir; // a data directory with users, values, an item and a rating, its server stopped
let itemId;
let ratingId;

const verify = (d = dir, extra = []) => jiceng(['--data', d, 'audit', 'verify', ...extra]);
const one = (text) => sql(dir, text).trim();

before(async () => {
  const srv = await startServer({ provinces: ['41'] });
  dir = srv.dataDir;
  jicengOk(['--data', dir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  const as = {};
  for (const [name, role] of [['grid1', 'grid_worker'], ['sec1', 'village_secretary']]) {
    addUser(dir, name, role, V1);
    const token = tokenFor(dir, name);
    as[name] = (p, body) => api(srv.url, p, {
      method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
  }
  let r = await as.grid1('/api/v1/values', [{ element: 'households', unit: V1, period: '2023', value: 100 },
    { element: 'population', unit: V1, period: '2023', value: 420 }]);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await as.grid1('/api/v1/items', { type: 'problem', title: '村委会院内垃圾清理不及时', unit: V1 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  itemId = r.body.id;
  r = await as.grid1(`/api/v1/items/${itemId}/transitions`, { transition: 'start' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await as.sec1('/api/v1/ratings', { scheme: 'village-2026', unit: V1, target: 4 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  ratingId = Number(one(`SELECT case_id FROM case_ratings WHERE unit = '${V1}'`));
  await srv.stop(); // its last checkpoint covers everything above
});

test('an untouched trail verifies, keyed, against its checkpoints and its rows', () => {
  const r = verify();
  assert.equal(r.status, 0, r.stderr);
  const n = Number(one('SELECT count(*) FROM audit'));
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], `审计链完整：共 ${n} 条记录`);
  assert.match(lines[1], /^与 [1-9]\d* 个检查点一致（.*audit\.checkpoints）$/);
  assert.match(lines[2], /^现有数据与审计记录一致：3 个用户、2 个数据值、2 个事项$/);
  assert.equal(Number(one('SELECT count(*) FROM audit WHERE format <> 2')), 0, 'every record is MACed');
  // the case's after-image: what verify compares
  const after = JSON.parse(one(`SELECT after_json FROM audit WHERE action = 'item.start'`));
  assert.equal(after.case.id, itemId);
  assert.equal(after.case.state, 'in_progress');
  assert.match(after.case.digest, /^[0-9a-f]{32}$/);
});

// Runs `change`, expects verify to fail naming `problem`, runs `undo`,
// expects verify to pass again.
function caught(change, problem, undo) {
  sql(dir, change);
  const r = verify();
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, problem);
  assert.match(r.stderr, /现有数据与审计记录不符：发现 1 处问题（审计链本身完整/);
  sql(dir, undo);
  const again = verify();
  assert.equal(again.status, 0, again.stderr);
}

test('a data value changed, deleted or added in the database is named', () => {
  caught(`UPDATE data_values SET value = 150 WHERE element = 'households' AND unit = '${V1}'`,
    new RegExp(`数据值 households/${V1}/2023 为 150，与审计记录（第 \\d+ 条）中的 100 不符`),
    `UPDATE data_values SET value = 100 WHERE element = 'households' AND unit = '${V1}'`);
  caught(`DELETE FROM data_values WHERE element = 'population' AND unit = '${V1}'`,
    new RegExp(`数据值 population/${V1}/2023 在审计记录（第 \\d+ 条）中为 420，数据库中已没有`),
    `INSERT INTO data_values (element, unit, period, value, updated_by, updated_at) VALUES ('population', '${V1}', '2023', 420, 'grid1', 'x')`);
  caught(`INSERT INTO data_values (element, unit, period, value, updated_by, updated_at) VALUES ('population', '${V1}', '2024', 9, 'grid1', 'x')`,
    new RegExp(`数据值 population/${V1}/2024（9）没有任何审计记录`),
    `DELETE FROM data_values WHERE period = '2024'`);
});

test("a user's role, scope, state or password changed in the database is named", () => {
  caught("UPDATE users SET role = 'county_admin' WHERE username = 'grid1'",
    /用户 grid1 的角色为 county_admin，与审计记录（第 \d+ 条）中的 grid_worker 不符/,
    "UPDATE users SET role = 'grid_worker' WHERE username = 'grid1'");
  caught('UPDATE users SET scope = NULL WHERE username = \'grid1\'',
    new RegExp(`用户 grid1 的管辖范围为 全国，与审计记录（第 \\d+ 条）中的 ${V1} 不符`),
    `UPDATE users SET scope = '${V1}' WHERE username = 'grid1'`);
  caught("UPDATE users SET disabled = 1 WHERE username = 'sec1'", /用户 sec1 的停用状态为 停用/,
    "UPDATE users SET disabled = 0 WHERE username = 'sec1'");
  // Taking over an account by copying a known password hash into it.
  const own = one("SELECT password_hash FROM users WHERE username = 'grid1'");
  caught("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE username = 'admin') WHERE username = 'grid1'",
    /用户 grid1 的密码与审计记录（第 \d+ 条）不符（密码哈希被直接改动）/,
    `UPDATE users SET password_hash = '${own}' WHERE username = 'grid1'`);
  caught(`INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES ('mole', 'mole', 'admin', '${own}', 'x')`,
    /用户 mole 没有任何审计记录/, "DELETE FROM users WHERE username = 'mole'");
  // What the system itself changes without an after-image is not compared.
  sql(dir, "UPDATE users SET failed_logins = 3, last_login_at = 'x' WHERE username = 'grid1'");
  assert.equal(verify().status, 0);
});

test("an item's state or text and a rating changed in the database are named", () => {
  caught(`UPDATE cases SET state = 'verified', final = 1 WHERE id = ${itemId}`,
    new RegExp(`事项 #${itemId}（problem）的状态为 verified，与审计记录（第 \\d+ 条）中的 in_progress 不符`),
    `UPDATE cases SET state = 'in_progress', final = 0 WHERE id = ${itemId}`);
  caught(`UPDATE cases SET title = '已整改' WHERE id = ${itemId}`,
    new RegExp(`事项 #${itemId}（problem）的内容与审计记录（第 \\d+ 条）不符`),
    `UPDATE cases SET title = '村委会院内垃圾清理不及时' WHERE id = ${itemId}`);
  caught(`UPDATE case_ratings SET target = 5 WHERE case_id = ${ratingId}`,
    new RegExp(`事项 #${ratingId}（rating）的内容与审计记录（第 \\d+ 条）不符`),
    `UPDATE case_ratings SET target = 4 WHERE case_id = ${ratingId}`);
  caught(`INSERT INTO case_answers (case_id, code, score, updated_by, updated_at) VALUES (${ratingId}, 'party.x', 10, 'sec1', 'x')`,
    new RegExp(`事项 #${ratingId}（rating）的内容与审计记录`),
    `DELETE FROM case_answers WHERE case_id = ${ratingId}`);
});
