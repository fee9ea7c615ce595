// A user's API tokens and sessions end with what should end them: a new
// password (API and command line), a new role or scope, being disabled
// (enabling again does not bring them back); and an administrator lists and
// revokes a user's tokens within their scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login, addUser, tokenFor, jiceng, jicengOk, passwordFile } from '../lib/server.js';

let srv;
let town; // township administrator's session: manages users in 411121100
before(async () => {
  srv = await startServer({ provinces: ['41'] });
  const pw = addUser(srv.dataDir, 'town', 'township_admin', '411121100');
  town = await login(srv.url, 'town', pw);
});
after(() => srv?.stop());

const asTown = (path, { method = 'GET', body } = {}) =>
  api(srv.url, path, {
    method,
    headers: { Cookie: town.cookie, 'X-CSRF-Token': town.csrf, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
const me = (token) => api(srv.url, '/api/v1/me', { headers: { Authorization: `Bearer ${token}` } });
const meCookie = (s) => api(srv.url, '/api/v1/me', { headers: { Cookie: s.cookie } });

// A fresh user with a token and a session, both answering.
async function withCredentials(name, role = 'grid_worker', scope = '411121100201') {
  const pw = addUser(srv.dataDir, name, role, scope);
  const token = tokenFor(srv.dataDir, name);
  const session = await login(srv.url, name, pw);
  assert.equal((await me(token)).status, 200);
  assert.equal((await meCookie(session)).status, 200);
  return { pw, token, session };
}

async function assertEnded({ token, session }, why) {
  const t = await me(token);
  assert.equal(t.status, 401, `token after ${why}`);
  assert.match(t.body.error.message, /吊销/);
  assert.equal((await meCookie(session)).status, 401, `session after ${why}`);
}

test('a password reset through the API ends tokens and sessions', async () => {
  const c = await withCredentials('tk_pw');
  const r = await asTown('/api/v1/users/tk_pw', { method: 'PATCH', body: { password: 'Brand-new-pass-2026' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await assertEnded(c, 'password reset (API)');
});

test('jiceng user passwd ends tokens and sessions', async () => {
  const c = await withCredentials('tk_cli');
  jicengOk(['--data', srv.dataDir, 'user', 'passwd', 'tk_cli', '--password-file', passwordFile('Brand-new-pass-2026')]);
  await assertEnded(c, 'jiceng user passwd');
});

test('a new role or a new scope ends tokens and sessions', async () => {
  const role = await withCredentials('tk_role');
  assert.equal((await asTown('/api/v1/users/tk_role', { method: 'PATCH', body: { role: 'observer' } })).status, 200);
  await assertEnded(role, 'role change');
  const scope = await withCredentials('tk_scope');
  assert.equal((await asTown('/api/v1/users/tk_scope', { method: 'PATCH', body: { scope: '411121100202' } })).status, 200);
  await assertEnded(scope, 'scope change');
  // A change of name only ends nothing, and the new name shows at once.
  const name = await withCredentials('tk_name');
  assert.equal((await asTown('/api/v1/users/tk_name', { method: 'PATCH', body: { display_name: '新名字' } })).status, 200);
  const still = await me(name.token);
  assert.equal(still.status, 200);
  assert.equal(still.body.user.display_name, '新名字');
  assert.equal((await meCookie(name.session)).status, 200);
});

test('disable then enable: the old tokens stay revoked', async () => {
  const c = await withCredentials('tk_off');
  assert.equal((await asTown('/api/v1/users/tk_off', { method: 'DELETE' })).status, 200);
  assert.equal((await asTown('/api/v1/users/tk_off', { method: 'PATCH', body: { disabled: false } })).status, 200);
  await assertEnded(c, 'disable → enable');
  // The command line's disable and enable as well.
  const d = await withCredentials('tk_off2');
  jicengOk(['--data', srv.dataDir, 'user', 'disable', 'tk_off2']);
  jicengOk(['--data', srv.dataDir, 'user', 'enable', 'tk_off2']);
  await assertEnded(d, 'jiceng user disable → enable');
  // Each revocation is in the audit trail, with what caused it.
  const audit = (await srv.api('/api/v1/audit?limit=200')).body.items;
  const revoked = audit.filter((r) => r.action === 'token.revoke' && r.entity.startsWith('user:tk_'));
  assert.ok(revoked.some((r) => r.entity === 'user:tk_off' && r.after.by === 'user.disable' && r.user === 'town'));
  assert.ok(revoked.some((r) => r.entity === 'user:tk_pw' && r.after.tokens === 1));
});

test('list and revoke a user\'s tokens through the API, within one\'s scope', async () => {
  const c = await withCredentials('tk_list');
  const second = tokenFor(srv.dataDir, 'tk_list');
  const list = await asTown('/api/v1/users/tk_list/tokens');
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 2);
  const [newest, oldest] = list.body.items;
  assert.ok(newest.id > oldest.id);
  assert.deepEqual(Object.keys(newest).sort(), ['created_at', 'id', 'label', 'revoked_at']);
  assert.equal(newest.revoked_at, null);
  assert.ok(!JSON.stringify(list.body).includes(second.slice(4, 20)), 'no secret in the list');

  const del = await asTown(`/api/v1/users/tk_list/tokens/${oldest.id}`, { method: 'DELETE' });
  assert.equal(del.status, 204);
  assert.equal((await me(c.token)).status, 401);
  assert.equal((await me(second)).status, 200, 'the other token still answers');
  assert.equal((await meCookie(c.session)).status, 200, 'sessions are not tokens');
  const after = (await asTown('/api/v1/users/tk_list/tokens')).body.items;
  assert.ok(after.find((t) => t.id === oldest.id).revoked_at);
  assert.equal((await asTown(`/api/v1/users/tk_list/tokens/${oldest.id}`, { method: 'DELETE' })).status, 404);
  assert.equal((await asTown('/api/v1/users/tk_list/tokens/nonsense', { method: 'DELETE' })).status, 404);

  // Another user's token id under this user's name is not theirs to revoke.
  const other = await withCredentials('tk_other');
  const otherId = (await asTown('/api/v1/users/tk_other/tokens')).body.items[0].id;
  assert.equal((await asTown(`/api/v1/users/tk_list/tokens/${otherId}`, { method: 'DELETE' })).status, 404);
  assert.equal((await me(other.token)).status, 200);

  // Outside the caller's scope: 404 to read, 403 to write; admin's own tokens too.
  addUser(srv.dataDir, 'tk_far', 'grid_worker', '411121101');
  const farToken = tokenFor(srv.dataDir, 'tk_far');
  assert.equal((await asTown('/api/v1/users/tk_far/tokens')).status, 404);
  const farId = (await srv.api('/api/v1/users/tk_far/tokens')).body.items[0].id;
  assert.equal((await asTown(`/api/v1/users/tk_far/tokens/${farId}`, { method: 'DELETE' })).status, 403);
  assert.equal((await me(farToken)).status, 200);
  assert.equal((await asTown('/api/v1/users/admin/tokens')).status, 404);

  // A role without users:manage may not.
  const grid = await api(srv.url, '/api/v1/users/tk_list/tokens', { headers: { Authorization: `Bearer ${second}` } });
  assert.equal(grid.status, 403);

  const audit = (await srv.api('/api/v1/audit?limit=50')).body.items;
  assert.ok(audit.some((r) => r.action === 'token.revoke' && r.entity === `token:${oldest.id}` && r.user === 'town'));
  assert.equal(jiceng(['--data', srv.dataDir, 'audit', 'verify']).status, 0);
});

test('jiceng token revoke is refused by the running server at once', async () => {
  const out = jiceng(['--data', srv.dataDir, 'token', 'create', '--user', 'town']);
  const token = out.stdout.trim();
  const id = out.stderr.match(/token (\d+)/)[1];
  for (let i = 0; i < 3; i++) assert.equal((await me(token)).status, 200); // now kept in memory
  jicengOk(['--data', srv.dataDir, 'token', 'revoke', id]);
  assert.equal((await me(token)).status, 401);
});
