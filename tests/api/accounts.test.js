// Accounts: a password someone else set must be changed at the first
// sign-in (the gate), changing one's own password, and many users at once
// from an Excel file with one-time passwords, all rows or none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, api, login, addUser, tokenFor, tempDir, jiceng, jicengOk, passwordFile, sql } from '../lib/server.js';
import { xlsxOf, rowsOf } from '../lib/xlsx.js';

const COUNTY = '411121'; // 舞阳县
let srv;
let countyPw;
before(async () => {
  srv = await startServer({ provinces: ['41'] });
  countyPw = addUser(srv.dataDir, 'wuyang', 'county_admin', COUNTY);
});
after(() => srv?.stop());

function as(s, p, { method = 'GET', body, headers = {} } = {}) {
  const h = { Cookie: s.cookie, ...headers };
  if (body !== undefined && !Buffer.isBuffer(body)) h['Content-Type'] = 'application/json';
  if (method !== 'GET') h['X-CSRF-Token'] = s.csrf;
  return api(srv.url, p, { method, headers: h, body: body === undefined || Buffer.isBuffer(body) ? body : JSON.stringify(body) });
}

const create = (body) => srv.api('/api/v1/users', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

test('a password set by someone else reaches only 修改密码 until the user chooses their own', async () => {
  const made = await create({ username: 'chu_shi', display_name: '初始', password: 'Given-by-admin-2026', role: 'observer', scope: COUNTY });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.must_change_password, true);
  const s = await login(srv.url, 'chu_shi', 'Given-by-admin-2026');
  assert.equal(s.status, 200);
  assert.equal(s.user.must_change_password, true);
  const other = await login(srv.url, 'chu_shi', 'Given-by-admin-2026'); // a second browser

  // everything but /me, logout and the change answers 403 with a machine code
  for (const p of ['/api/v1/units/411121', '/api/v1/desk', '/api/v1/items', '/api/v1/notifications']) {
    const r = await as(s, p);
    assert.equal(r.status, 403, p);
    assert.equal(r.body.error.code, 'password_change_required');
    assert.match(r.body.error.message, /请先修改密码/);
  }
  assert.equal((await as(s, '/api/v1/me')).status, 200);
  // a bearer token of the same account meets the same gate
  const token = tokenFor(srv.dataDir, 'chu_shi');
  const viaToken = await api(srv.url, '/api/v1/units/411121', { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(viaToken.body.error.code, 'password_change_required');

  // refusals say which field and why, and change nothing
  const change = (body) => as(s, '/api/v1/me/password', { method: 'POST', body });
  let r = await change({ old_password: 'wrong-one-2026-x', new_password: 'Mine-own-choice-2026' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'old_password');
  r = await change({ old_password: 'Given-by-admin-2026', new_password: 'short' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'new_password');
  assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
  r = await change({ old_password: 'Given-by-admin-2026', new_password: 'Given-by-admin-2026' });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /不能与原密码相同/);
  r = await change({ old_password: 'Given-by-admin-2026' });
  assert.equal(r.status, 400);
  r = await change({ old_password: 'Given-by-admin-2026', new_password: 'Mine-own-choice-2026', extra: 1 });
  assert.equal(r.status, 400);
  assert.equal((await as(s, '/api/v1/units/411121')).status, 403, 'still gated after refusals');

  r = await change({ old_password: 'Given-by-admin-2026', new_password: 'Mine-own-choice-2026' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.user.must_change_password, false);
  // this session goes on, ungated; the other session and the token are ended
  assert.equal((await as(s, '/api/v1/units/411121')).status, 200);
  assert.equal((await as(other, '/api/v1/me')).status, 401);
  assert.equal((await api(srv.url, '/api/v1/me', { headers: { Authorization: `Bearer ${token}` } })).status, 401);
  assert.equal((await login(srv.url, 'chu_shi', 'Given-by-admin-2026')).status, 401);
  const again = await login(srv.url, 'chu_shi', 'Mine-own-choice-2026');
  assert.equal(again.user.must_change_password, false);

  // audited without the password, and the trail still verifies against the rows
  const rec = (await srv.api('/api/v1/audit?limit=20')).body.items.find((x) => x.action === 'user.password');
  assert.ok(rec, 'user.password recorded');
  assert.equal(rec.user, 'chu_shi');
  assert.ok(!JSON.stringify(rec).includes('Mine-own-choice'));
  assert.equal(jiceng(['--data', srv.dataDir, 'audit', 'verify']).status, 0);
});

test('a reset by an administrator (API or CLI) gates again; --own-password does not', async () => {
  await create({ username: 'chong_zhi', display_name: '重置', password: 'First-given-2026x', role: 'observer', scope: COUNTY });
  let s = await login(srv.url, 'chong_zhi', 'First-given-2026x');
  await as(s, '/api/v1/me/password', { method: 'POST', body: { old_password: 'First-given-2026x', new_password: 'Own-choice-one-2026' } });
  assert.equal((await as(s, '/api/v1/units/411121')).status, 200);

  const reset = await srv.api('/api/v1/users/chong_zhi', { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ password: 'Reset-by-admin-2026' }) });
  assert.equal(reset.status, 200);
  assert.equal(reset.body.must_change_password, true);
  assert.equal((await as(s, '/api/v1/me')).status, 401, 'the reset ends the sessions');
  s = await login(srv.url, 'chong_zhi', 'Reset-by-admin-2026');
  assert.equal((await as(s, '/api/v1/units/411121')).body.error.code, 'password_change_required');

  jicengOk(['--data', srv.dataDir, 'user', 'passwd', 'chong_zhi', '--password-file', passwordFile('Cli-reset-pass-2026')]);
  s = await login(srv.url, 'chong_zhi', 'Cli-reset-pass-2026');
  assert.equal(s.user.must_change_password, true);
  jicengOk(['--data', srv.dataDir, 'user', 'passwd', 'chong_zhi', '--own-password', '--password-file', passwordFile('Cli-own-pass-2026x')]);
  s = await login(srv.url, 'chong_zhi', 'Cli-own-pass-2026x');
  assert.equal(s.user.must_change_password, false);
  assert.equal((await as(s, '/api/v1/units/411121')).status, 200);
  // changing one's own password from one's own profile needs no second change
  const self = await as(s, '/api/v1/me/password', { method: 'POST', body: { old_password: 'Cli-own-pass-2026x', new_password: 'Another-own-2026xy' } });
  assert.equal(self.body.user.must_change_password, false);
});

test('init leaves the one-time administrator password in a file; admin must change it, then the file goes', async () => {
  const dir = tempDir();
  const out = jicengOk(['--data', dir, 'init']);
  const file = path.join(dir, 'admin-password.txt');
  assert.match(out, new RegExp(`one-time password is in ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  const pw = fs.readFileSync(file, 'utf8').trim();
  assert.match(pw, /^[A-Za-z2-9]{16}$/);
  assert.ok(!out.includes(pw), 'the password itself is not printed');
  const own = await startServer({ dataDir: dir });
  try {
    const s = await login(own.url, 'admin', pw);
    assert.equal(s.user.must_change_password, true);
    const r = await api(own.url, '/api/v1/me/password', { method: 'POST', headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json' }, body: JSON.stringify({ old_password: pw, new_password: 'Chosen-by-root-2026x' }) });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(!fs.existsSync(file), 'the one-time password file is removed once changed');
  } finally {
    await own.stop();
  }
});

// 舞阳县's villages, with "乡镇/村" where that names one village only.
async function villages() {
  const towns = (await srv.api(`/api/v1/units/${COUNTY}/children?limit=500`)).body.items;
  const out = [];
  for (const t of towns) {
    const vs = (await srv.api(`/api/v1/units/${t.code}/children?limit=500`)).body.items;
    for (const v of vs) out.push({ code: v.code, path: `${t.name}/${v.name}` });
  }
  const seen = new Map();
  for (const v of out) seen.set(v.path, (seen.get(v.path) || 0) + 1);
  return out.map((v) => ({ ...v, unique: seen.get(v.path) === 1 }));
}

test('a county imports its 400 village secretaries at once, each with a one-time password', async () => {
  const vs = await villages();
  assert.ok(vs.length > 100, `${vs.length} villages`);
  const rows = [['登录名', '姓名', '角色', '管辖单位', '手机']];
  for (let i = 0; i < 400; i++) {
    const v = vs[i % vs.length];
    rows.push([`cun${String(i).padStart(3, '0')}`, `书记${i}`, '村(社区)书记', i % 2 && v.unique ? v.path : v.code, i === 7 ? '13800138007' : '']);
  }
  const s = await login(srv.url, 'wuyang', countyPw);
  const t0 = Date.now();
  const r = await fetch(srv.url + '/api/v1/users/import?name=' + encodeURIComponent('书记名单.xlsx'), {
    method: 'POST', headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf }, body: xlsxOf(rows),
  });
  const buf = Buffer.from(await r.arrayBuffer());
  assert.equal(r.status, 201, buf.toString());
  assert.ok(Date.now() - t0 < 60000);
  assert.equal(r.headers.get('x-users-created'), '400');
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  const sheet = rowsOf(buf);
  assert.deepEqual(sheet[0], ['登录名', '姓名', '角色', '管辖单位', '一次性密码']);
  assert.equal(sheet.length, 401);
  assert.equal(sheet[1][0], 'cun000');
  assert.equal(sheet[1][2], '村(社区)书记');
  assert.match(sheet[1][4], /^[A-Za-z2-9]{16}$/);
  assert.equal(new Set(sheet.slice(1).map((x) => x[4])).size, 400);

  // each signs in with theirs and must choose their own first
  const [, name, , , pw] = sheet[8];
  const u = await login(srv.url, 'cun007', pw);
  assert.equal(u.status, 200);
  assert.equal(u.user.display_name, name);
  assert.equal(u.user.scope.code, vs[7 % vs.length].code);
  assert.equal(u.user.must_change_password, true);
  assert.equal(u.user.phone, '138****8007');
  assert.equal((await as(u, '/api/v1/units/411121')).body.error.code, 'password_change_required');

  // audited per user and for the file, never with a password; the trail verifies
  const recs = (await srv.api('/api/v1/audit?limit=200')).body.items;
  const imp = recs.find((x) => x.action === 'user.import');
  assert.equal(imp.user, 'wuyang');
  assert.equal(imp.after.users, 400);
  assert.ok(recs.some((x) => x.action === 'user.create' && x.entity === 'user:cun399'));
  const logs = fs.readdirSync(srv.dataDir).filter((f) => f.endsWith('.log'))
    .map((f) => fs.readFileSync(path.join(srv.dataDir, f), 'utf8')).join('') + srv.stderr;
  assert.ok(!logs.includes(pw), 'no one-time password in any log');
  assert.equal(jiceng(['--data', srv.dataDir, 'audit', 'verify']).status, 0);

  // the template names the columns
  const tpl = await fetch(srv.url + '/api/v1/users/import/template', { headers: { Cookie: s.cookie } });
  assert.equal(tpl.status, 200);
  assert.deepEqual(rowsOf(Buffer.from(await tpl.arrayBuffer()))[0], ['登录名', '姓名', '角色', '管辖单位', '手机']);
});

test('one bad row refuses the whole file, naming row and column in Chinese', async () => {
  const vs = await villages();
  const s = await login(srv.url, 'wuyang', countyPw);
  const count = async () => Number(sql(srv.dataDir, 'SELECT count(*) FROM users;').trim());
  const before = await count();
  const good = (i) => [`bad${i}`, `张${i}`, '村(社区)书记', vs[i].code, ''];
  const cases = [
    { bad: ['bad_x', '甲', '村(社区)书记', '没有这个村', ''], code: 'invalid', col: '管辖单位', msg: /没有名为“没有这个村”的单位/ },
    { bad: ['bad_x', '乙', '村(社区)书记', '411103', ''], code: 'forbidden', col: '管辖单位', msg: /不在您的管辖范围内/ },
    { bad: ['bad_x', '丙', '村(社区)书记', '郾城区', ''], code: 'forbidden', col: '管辖单位', msg: /不在您的管辖范围内/ },
    { bad: ['bad_x', '丁', '系统管理员', vs[0].code, ''], code: 'forbidden', col: '角色', msg: /不能授予比自己权限更高的角色/ },
    { bad: ['bad_x', '戊', '村长', vs[0].code, ''], code: 'invalid', col: '角色', msg: /没有角色“村长”/ },
    { bad: ['bad1', '己', '村(社区)书记', vs[0].code, ''], code: 'conflict', col: '登录名', msg: /与第 2 行重复/ },
    { bad: ['cun000', '庚', '村(社区)书记', vs[0].code, ''], code: 'conflict', col: '登录名', msg: /已被使用/ },
    { bad: ['bad_x', '辛', '村(社区)书记', vs[0].code, '12345'], code: 'invalid', col: '手机', msg: /./ },
    { bad: ['Bad X', '壬', '村(社区)书记', vs[0].code, ''], code: 'invalid', col: '登录名', msg: /登录名须为/ },
  ];
  for (const c of cases) {
    const rows = [['登录名', '姓名', '角色', '管辖单位', '手机'], good(1), good(2), c.bad, good(3)];
    const r = await as(s, '/api/v1/users/import?name=bad.xlsx', { method: 'POST', body: xlsxOf(rows) });
    assert.equal(r.body.error?.code, c.code, `${c.bad}: ${JSON.stringify(r.body)}`);
    assert.ok(r.status >= 400 && r.status < 500);
    assert.match(r.body.error.message, new RegExp(`第 4 行“${c.col.replace(/[()]/g, '\\$&')}”`), r.body.error.message);
    assert.match(r.body.error.message, c.msg);
    assert.equal(r.body.error.line, 4);
  }
  // every refused row is listed, not just the first
  const many = [['登录名', '姓名', '角色', '管辖单位', '手机'], good(1), ['x_a', '甲', '村长', vs[0].code, ''],
    good(2), ['x_b', '乙', '村(社区)书记', '没有这个村', ''], ['cun001', '丙', '网格员', vs[0].code, '']];
  const all = await as(s, '/api/v1/users/import?name=many.xlsx', { method: 'POST', body: xlsxOf(many) });
  assert.equal(all.status, 400, JSON.stringify(all.body));
  assert.match(all.body.error.message, /^3 行有错，整个文件未导入；第一处：第 3 行“角色”/);
  assert.equal(all.body.row_errors_total, 3);
  assert.deepEqual(all.body.row_errors.map((e) => [e.line, e.column]), [[3, '角色'], [5, '管辖单位'], [6, '登录名']]);
  assert.match(all.body.row_errors[2].message, /cun001 已被使用/);

  // a missing column and an empty file are refused too
  let r = await as(s, '/api/v1/users/import', { method: 'POST', body: xlsxOf([['登录名', '姓名', '角色'], ['a1x', '甲', '网格员']]) });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /缺少“管辖单位”列/);
  r = await as(s, '/api/v1/users/import', { method: 'POST', body: Buffer.alloc(0) });
  assert.equal(r.status, 400);
  assert.equal(await count(), before, 'nothing was written');
  assert.equal((await srv.api('/api/v1/users?q=bad1')).body.items.length, 0);

  // a village secretary may import but only grid workers in its village;
  // an observer may not import at all
  const v = vs[0].code;
  const secPw = addUser(srv.dataDir, 'sec_import', 'village_secretary', v);
  const sec = await login(srv.url, 'sec_import', secPw);
  r = await as(sec, '/api/v1/users/import', { method: 'POST', body: xlsxOf([['登录名', '姓名', '角色', '管辖单位'], ['wg_one', '网格一', '网格员', v], ['wg_two', '网格二', '县级管理员', v]]) });
  assert.equal(r.status, 403);
  assert.match(r.body.error.message, /第 3 行“角色”/);
  const obsPw = addUser(srv.dataDir, 'obs_import', 'observer', COUNTY);
  const obs = await login(srv.url, 'obs_import', obsPw);
  r = await as(obs, '/api/v1/users/import', { method: 'POST', body: xlsxOf([['登录名', '姓名', '角色', '管辖单位'], ['wg_3', '网格三', '网格员', v]]) });
  assert.equal(r.status, 403);
});

test('a UTF-8 CSV works too, and `jiceng user import` writes the passwords to a private file', () => {
  const dir = tempDir('jiceng-import-');
  const csv = path.join(dir, 'users.csv');
  fs.writeFileSync(csv, '\ufeff登录名,姓名,角色,管辖单位\ncli_one,命令行一,网格员,411121100\ncli_two,命令行二,只读观察员,舞阳县\n');
  const out = jicengOk(['--data', srv.dataDir, 'user', 'import', csv]);
  const dest = csv + '.passwords.xlsx';
  assert.match(out, /2 users created/);
  assert.equal(fs.statSync(dest).mode & 0o777, 0o600);
  const rows = rowsOf(fs.readFileSync(dest));
  assert.deepEqual(rows.slice(1).map((r) => [r[0], r[2], r[3]]), [['cli_one', '网格员', '舞泉镇'], ['cli_two', '只读观察员', '舞阳县']]);
  assert.ok(!out.includes(rows[1][4]));
  const bad = jiceng(['--data', srv.dataDir, 'user', 'import', csv]);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /第 2 行“登录名”.*已被使用/);
});
