// Signing in and what a signed-in user may do: sessions and their cookie,
// CSRF, lockout, idle expiry, rate limit, bearer tokens, user management
// within one's scope, personal data masked, listings filtered by scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, api, login, addUser, tokenFor, jiceng, jicengOk, passwordFile, sql, ADMIN_PASSWORD } from '../lib/server.js';

let srv;
let townPw;
before(async () => {
  srv = await startServer({ provinces: ['41'] });
  townPw = addUser(srv.dataDir, 'wuquan', 'township_admin', '411121100');
});
after(() => srv?.stop());

// fetch with a session: cookie plus, for unsafe methods, the CSRF token.
function as(session, path, { method = 'GET', body, csrf = session.csrf } = {}) {
  const headers = { Cookie: session.cookie };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (csrf !== null && method !== 'GET') headers['X-CSRF-Token'] = csrf;
  return api(srv.url, path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

test('login sets an HttpOnly SameSite=Strict cookie; /me and logout', async () => {
  const res = await fetch(srv.url + '/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'wuquan', password: townPw }),
  });
  assert.equal(res.status, 200);
  const cookie = res.headers.get('set-cookie');
  assert.match(cookie, /^jiceng_session=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Strict$/);
  const body = await res.json();
  assert.match(body.csrf, /^[0-9a-f]{32}$/);
  assert.equal(body.user.username, 'wuquan');
  assert.equal(body.user.role_name, '乡镇管理员');
  assert.deepEqual(body.user.scope, { code: '411121100', name: '舞泉镇' });
  assert.ok(!/password_hash|argon2/.test(JSON.stringify(body)));
  assert.equal(body.user.must_change_password, false); // added with --own-password

  const s = { cookie: cookie.split(';')[0], csrf: body.csrf };
  const me = await as(s, '/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.csrf, body.csrf);
  assert.equal((await as(s, '/api/v1/session', { method: 'DELETE' })).status, 204);
  const after = await as(s, '/api/v1/me');
  assert.equal(after.status, 401);
  assert.match(after.body.error.message, /登录/);
});

test('wrong name and wrong password get the same answer; bad bodies are 400/415', async () => {
  const a = await login(srv.url, 'wuquan', 'not-the-password-1');
  const b = await login(srv.url, 'nobody-here', 'not-the-password-1');
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.equal(a.body.error.message, b.body.error.message);
  assert.equal(a.cookie, '');
  const post = (body, type = 'application/json') =>
    api(srv.url, '/api/v1/session', { method: 'POST', headers: { 'Content-Type': type }, body });
  assert.equal((await post('{"username":"a"')).status, 400);
  assert.equal((await post('[1,2]')).status, 400);
  assert.equal((await post('{"username":"a","password":"b","x":1}')).body.error.field, 'x');
  assert.equal((await post('{"username":1,"password":"b"}')).body.error.field, 'username');
  assert.equal((await post('{"username":"a","password":"b"}', 'text/plain')).status, 415);
  assert.equal((await post('{"username":"","password":"b"}')).body.error.field, 'username');
});

// Signs in from a given loopback address (127.0.0.x: every one reaches
// the server on 127.0.0.1), so that tests can be two clients.
function loginFrom(localAddress, username, password) {
  const { hostname, port } = new URL(srv.url);
  const body = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, localAddress, method: 'POST', path: '/api/v1/session',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('five wrong passwords lock the account from that address only, even for the right one', async () => {
  const pw = addUser(srv.dataDir, 'lockme', 'observer', '411121');
  for (let i = 1; i <= 5; i++) assert.equal((await loginFrom('127.0.0.3', 'lockme', 'wrong-password-x' + i)).status, 401);
  const right = await loginFrom('127.0.0.3', 'lockme', pw);
  assert.equal(right.status, 401, 'locked from this address, and not told so');
  // A stranger elsewhere did this: the user, from their own address, still signs in.
  assert.equal((await loginFrom('127.0.0.4', 'lockme', pw)).status, 200);
  const audit = (await srv.api('/api/v1/audit?user=lockme&limit=50')).body.items;
  assert.ok(audit.some((r) => r.action === 'session.lock' && r.client === '127.0.0.3'), JSON.stringify(audit));
  assert.ok(audit.some((r) => r.action === 'session.fail' && r.after.reason === 'locked'));
  // An administrator resetting the password lifts the lock.
  jicengOk(['--data', srv.dataDir, 'user', 'passwd', 'lockme', '--password-file', passwordFile('Fresh-start-2026x')]);
  assert.equal((await loginFrom('127.0.0.3', 'lockme', 'Fresh-start-2026x')).status, 200);
});

test('every refused sign-in answers alike: status, message and time; each is audited', async () => {
  const pw = addUser(srv.dataDir, 'enum_off', 'observer', '411121');
  addUser(srv.dataDir, 'enum_locked', 'observer', '411121');
  const lockedPw = 'Pw-11-test-2026x';
  jicengOk(['--data', srv.dataDir, 'user', 'disable', 'enum_off']);
  for (let i = 0; i < 5; i++) await loginFrom('127.0.0.5', 'enum_locked', 'wrong-password-y' + i);
  const cases = {
    unknown: ['enum_nobody', 'whatever-123456'],
    password: ['wuquan', 'not-the-password-1'],
    disabled: ['enum_off', pw],
    locked: ['enum_locked', lockedPw],
  };
  const seen = {};
  const times = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  // The cases take turns, so a burst of load on the machine falls on all alike.
  for (let i = 0; i < 3; i++) {
    for (const [name, [user, password]] of Object.entries(cases)) {
      const t0 = performance.now();
      const r = await loginFrom('127.0.0.5', user, password);
      times[name].push(performance.now() - t0);
      assert.equal(r.status, 401, `${name}: ${JSON.stringify(r.body)}`);
      seen[name] = r.body.error.message;
    }
  }
  for (const name of Object.keys(cases)) seen[name + ':ms'] = times[name].sort((a, b) => a - b)[1];
  const messages = new Set(Object.keys(cases).map((k) => seen[k]));
  assert.equal(messages.size, 1, JSON.stringify(seen));
  // One password hash verified and one write for each: no case is quicker or slower.
  const base = seen['password:ms'];
  for (const k of Object.keys(cases))
    assert.ok(seen[k + ':ms'] > base * 0.5 && seen[k + ':ms'] < base * 2, JSON.stringify(seen));
  const audit = (await srv.api('/api/v1/audit?limit=200')).body.items.filter((r) => r.client === '127.0.0.5');
  const reasons = new Set(audit.filter((r) => r.action === 'session.fail').map((r) => r.after.reason));
  assert.deepEqual([...reasons].sort(), ['disabled', 'locked', 'password', 'unknown']);
  // Disabled users were not locked by it: enabling lets them in.
  jicengOk(['--data', srv.dataDir, 'user', 'enable', 'enum_off']);
  assert.equal((await loginFrom('127.0.0.6', 'enum_off', pw)).status, 200);
});

test('CSRF: a cookie session needs the token on unsafe methods', async () => {
  const s = await login(srv.url, 'admin', ADMIN_PASSWORD);
  const body = { username: 'csrf_user', password: 'Csrf-test-2026x', role: 'observer', scope: '411121' };
  const missing = await as(s, '/api/v1/users', { method: 'POST', body, csrf: null });
  assert.equal(missing.status, 403);
  assert.match(missing.body.error.message, /CSRF/);
  assert.equal((await as(s, '/api/v1/users', { method: 'POST', body, csrf: 'f'.repeat(32) })).status, 403);
  assert.equal((await as(s, '/api/v1/users', { method: 'POST', body, csrf: '' })).status, 403);
  // Nothing was written by the refused requests.
  assert.equal((await srv.api('/api/v1/users?q=csrf_user')).body.items.length, 0);
  assert.equal((await as(s, '/api/v1/users', { method: 'POST', body })).status, 201);
  // Another session's token does not fit this one.
  const other = await login(srv.url, 'admin', ADMIN_PASSWORD);
  const cross = await as(s, '/api/v1/users/csrf_user', { method: 'PATCH', body: { display_name: 'x' }, csrf: other.csrf });
  assert.equal(cross.status, 403);
});

test('idle sessions expire (session_idle seconds)', async () => {
  const short = await startServer({ dataDir: srv.dataDir, env: { JICENG_SESSION_IDLE: '1' } });
  try {
    const s = await login(short.url, 'wuquan', townPw);
    const me = () => api(short.url, '/api/v1/me', { headers: { Cookie: s.cookie } });
    assert.equal((await me()).status, 200);
    await new Promise((r) => setTimeout(r, 2500));
    const late = await me();
    assert.equal(late.status, 401);
    assert.match(late.body.error.message, /过期/);
  } finally {
    await short.stop();
  }
});

test('login attempts per address are rate limited', async () => {
  const limited = await startServer({ dataDir: srv.dataDir, env: { JICENG_LOGIN_RATE: '3' } });
  try {
    // On PostgreSQL the count is shared by every server of the database
    // (tests/api/twoserver.test.js): the other tests' logins start from 0.
    // The attempts must fall in one minute, which is what is counted.
    const sec = new Date().getSeconds();
    if (sec > 50) await new Promise((r) => setTimeout(r, (61 - sec) * 1000));
    sql(srv.dataDir, 'DELETE FROM rate_attempts');
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await login(limited.url, 'nobody-' + i, 'whatever-123456')).status);
    assert.deepEqual(codes, [401, 401, 401, 429, 429]);
    // The address's first refusal of the minute is audited (once, not each).
    const throttled = (await srv.api('/api/v1/audit?limit=50')).body.items.filter((r) => r.action === 'session.throttle');
    assert.equal(throttled.length, 1);
  } finally {
    await limited.stop();
  }
});

// Attempts are counted per calendar minute: a group of them that must land
// in one minute starts early enough in it (a failed sign-in takes seconds
// on a loaded machine).
async function earlyInMinute() {
  const s = new Date().getSeconds();
  if (s > 40) await new Promise((resolve) => setTimeout(resolve, (61 - s) * 1000));
}

test('behind a trusted reverse proxy, X-Forwarded-For names the client; otherwise it is ignored', async () => {
  const attempt = (url, forwarded) => fetch(url + '/api/v1/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': forwarded },
    body: JSON.stringify({ username: 'nobody', password: 'whatever-123456' }),
  }).then((r) => r.status);
  const behind = await startServer({ dataDir: srv.dataDir, env: { JICENG_LOGIN_RATE: '2', JICENG_TRUSTED_PROXIES: '127.0.0.1' } });
  try {
    sql(srv.dataDir, 'DELETE FROM rate_attempts');
    // Two clients through the proxy each have their own count; a forged
    // left part of the header does not change whose count it is.
    await earlyInMinute();
    const a = [];
    for (let i = 0; i < 3; i++) a.push(await attempt(behind.url, `6.6.6.${i}, 203.0.113.7`));
    await earlyInMinute();
    const b = [];
    for (let i = 0; i < 3; i++) b.push(await attempt(behind.url, '198.51.100.9'));
    assert.deepEqual([a, b], [[401, 401, 429], [401, 401, 429]]);
  } finally {
    await behind.stop();
  }
  const direct = await startServer({ dataDir: srv.dataDir, env: { JICENG_LOGIN_RATE: '2' } });
  try {
    sql(srv.dataDir, 'DELETE FROM rate_attempts');
    await earlyInMinute();
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push(await attempt(direct.url, `192.0.2.${i}`));
    assert.deepEqual(codes, [401, 401, 429], 'an untrusted peer cannot pick its address');
  } finally {
    await direct.stop();
  }
});

test('the session cookie is Secure when a trusted proxy says the request came over HTTPS', async () => {
  const signIn = (url, headers) => fetch(url + '/api/v1/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ username: 'wuquan', password: townPw }),
  }).then((r) => r.headers.get('set-cookie'));
  const behind = await startServer({ dataDir: srv.dataDir, env: { JICENG_TRUSTED_PROXIES: '127.0.0.1' } });
  try {
    assert.match(await signIn(behind.url, { 'X-Forwarded-Proto': 'https' }), /; HttpOnly; SameSite=Strict; Secure$/);
    assert.doesNotMatch(await signIn(behind.url, { 'X-Forwarded-Proto': 'http' }), /Secure/);
    assert.doesNotMatch(await signIn(behind.url, {}), /Secure/);
  } finally {
    await behind.stop();
  }
  // From an untrusted peer the header says nothing.
  assert.doesNotMatch(await signIn(srv.url, { 'X-Forwarded-Proto': 'https' }), /Secure/);
});

test('bearer tokens: no CSRF needed, revocable, bad ones refused', async () => {
  const out = jiceng(['--data', srv.dataDir, 'token', 'create', '--user', 'wuquan']);
  assert.equal(out.status, 0);
  const token = out.stdout.trim();
  assert.match(token, /^jct_[0-9a-f]{64}$/);
  const id = out.stderr.match(/token (\d+)/)[1];
  const get = (t) => api(srv.url, '/api/v1/me', { headers: { Authorization: `Bearer ${t}` } });
  assert.equal((await get(token)).body.user.username, 'wuquan');
  const patch = await api(srv.url, '/api/v1/users/wuquan', {
    method: 'PATCH', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ display_name: '舞泉镇管理员' }),
  });
  assert.equal(patch.status, 200);
  assert.equal(patch.body.display_name, '舞泉镇管理员');
  assert.equal(jiceng(['--data', srv.dataDir, 'token', 'revoke', id]).status, 0);
  const revoked = await get(token);
  assert.equal(revoked.status, 401);
  assert.match(revoked.body.error.message, /吊销/);
  assert.equal(jiceng(['--data', srv.dataDir, 'token', 'revoke', id]).status, 1);
  for (const bad of ['jct_' + '0'.repeat(64), 'nonsense', '']) assert.equal((await get(bad)).status, 401);
  const basic = await api(srv.url, '/api/v1/me', { headers: { Authorization: 'Basic YTpi' } });
  assert.equal(basic.status, 401);
});

test('user management stays within one\'s scope and power', async () => {
  const s = await login(srv.url, 'wuquan', townPw);
  const create = (body) => as(s, '/api/v1/users', { method: 'POST', body });
  const base = { password: 'Village-sec-2026x', role: 'village_secretary', scope: '411121100201' };
  const ok = await create({ ...base, username: 'zhang_san', display_name: '张三', phone: '+86 138-1234-5678' });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(ok.body.phone, '138****5678');
  assert.deepEqual(ok.body.scope, { code: '411121100201', name: '大杨庄村村民委员会' });

  const cases = [
    [{ ...base, username: 'aa1', scope: '411121101' }, 403, 'scope'], // a sibling township
    [{ ...base, username: 'aa2', scope: '411121' }, 403, 'scope'], // the county above
    [{ ...base, username: 'aa3', role: 'county_admin' }, 403, 'role'], // a stronger role
    [{ ...base, username: 'aa4', role: 'no_such_role' }, 400, 'role'],
    [{ ...base, username: 'zhang_san' }, 409, 'username'],
    [{ ...base, username: 'Bad Name!' }, 400, 'username'],
    [{ ...base, username: 'aa5', password: 'short' }, 400, 'password'],
    [{ ...base, username: 'aa6', password: 'aa6-is-my-name-2026' }, 400, 'password'],
    [{ ...base, username: 'aa7', password: 'qwertyuiop' }, 400, 'password'],
    [{ ...base, username: 'aa8', phone: '12345' }, 400, 'phone'],
    [{ ...base, username: 'aa9', scope: '411121100999' }, 400, 'scope'],
    [{ ...base, username: 'aa10', display_name: 'x'.repeat(40) }, 400, 'display_name'],
  ];
  for (const [body, status, field] of cases) {
    const r = await create(body);
    assert.equal(r.status, status, `${JSON.stringify(body)} → ${JSON.stringify(r.body)}`);
    if (r.body.error.field) assert.equal(r.body.error.field, field, JSON.stringify(r.body));
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
  }
  const listed = (await as(s, '/api/v1/users')).body.items.map((u) => u.username);
  assert.deepEqual(listed, ['wuquan', 'zhang_san']);
  assert.equal((await as(s, '/api/v1/users/admin', { method: 'PATCH', body: { display_name: 'x' } })).status, 403);
  assert.equal((await as(s, '/api/v1/users/wuquan', { method: 'PATCH', body: { role: 'observer' } })).status, 403);
  assert.equal((await as(s, '/api/v1/users/zhang_san', { method: 'PATCH', body: { scope: '411121101' } })).status, 403);
  assert.equal((await as(s, '/api/v1/users/zhang_san', { method: 'PATCH', body: { disabled: 'yes' } })).status, 400);

  // Disabling ends the user's sessions; enabling lets them in again.
  const z = await login(srv.url, 'zhang_san', base.password);
  assert.equal(z.status, 200);
  const off = await as(s, '/api/v1/users/zhang_san', { method: 'DELETE' });
  assert.equal(off.status, 200);
  assert.equal(off.body.disabled, true);
  assert.equal((await api(srv.url, '/api/v1/me', { headers: { Cookie: z.cookie } })).status, 401);
  assert.equal((await login(srv.url, 'zhang_san', base.password)).status, 401);
  assert.equal((await as(s, '/api/v1/users/zhang_san', { method: 'PATCH', body: { disabled: false } })).status, 200);
  assert.equal((await login(srv.url, 'zhang_san', base.password)).status, 200);

  // Reset password: the old one stops working.
  const reset = await as(s, '/api/v1/users/zhang_san', { method: 'PATCH', body: { password: 'Another-one-2026x' } });
  assert.equal(reset.status, 200);
  assert.equal((await login(srv.url, 'zhang_san', base.password)).status, 401);
  assert.equal((await login(srv.url, 'zhang_san', 'Another-one-2026x')).status, 200);

  // The roles offered are those the caller may hand out.
  const roles = (await as(s, '/api/v1/roles')).body.items.map((r) => r.code);
  assert.deepEqual(roles, ['township_admin', 'village_secretary', 'grid_worker', 'observer', 'party_member']);
});

test('listings are filtered by scope: units, search, users, audit', async () => {
  const s = await login(srv.url, 'wuquan', townPw);
  const top = (await as(s, '/api/v1/units')).body;
  assert.deepEqual(top.items.map((u) => u.code), ['411121100']);
  assert.equal(top.next, null);
  const search = (await as(s, '/api/v1/units?q=' + encodeURIComponent('村'))).body.items;
  assert.ok(search.length > 0 && search.every((u) => u.code.startsWith('411121100')));
  assert.equal((await as(s, '/api/v1/units?q=' + encodeURIComponent('舞阳'))).body.items.length, 0);
  assert.equal((await as(s, '/api/v1/units?q=x&unit=411121')).status, 404);
  const users = (await as(s, '/api/v1/users')).body.items;
  assert.ok(users.every((u) => u.scope && u.scope.code.startsWith('411121100')));
  const audit = (await as(s, '/api/v1/audit?limit=200')).body.items;
  assert.ok(audit.length > 0);
  assert.ok(audit.every((r) => r.unit && r.unit.startsWith('411121100')), JSON.stringify(audit.slice(0, 3)));
});

test('phone numbers are sealed at rest, masked in answers, revealed only with pii:read (audited)', async () => {
  assert.equal((await srv.api('/api/v1/users/zhang_san')).body.phone, '138****5678');
  const full = await srv.api('/api/v1/users/zhang_san?reveal=phone');
  assert.equal(full.status, 200);
  assert.equal(full.body.phone, '13812345678');
  assert.equal((await srv.api('/api/v1/users/zhang_san?reveal=idcard')).status, 400);
  const sec = tokenFor(srv.dataDir, 'zhang_san'); // 村(社区)书记: users:manage without pii:read
  const denied = await api(srv.url, '/api/v1/users/zhang_san?reveal=phone', { headers: { Authorization: `Bearer ${sec}` } });
  assert.equal(denied.status, 403);
  const audit = (await srv.api('/api/v1/audit?limit=5')).body.items;
  assert.ok(audit.some((r) => r.action === 'user.reveal_phone' && r.entity === 'user:zhang_san' && r.user === 'admin'));

  const out = jiceng(['--data', srv.dataDir, 'user', 'list']);
  assert.ok(!out.stdout.includes('13812345678'));
  const dump = sql(srv.dataDir, 'SELECT phone_sealed, phone_hash FROM users WHERE phone_sealed IS NOT NULL');
  assert.ok(dump.length > 0);
  assert.ok(!dump.includes('13812345678') && !dump.includes('5678'), dump);
  assert.ok(!srv.stderr.includes('13812345678'));
});

test('every login, failure and user change is in a valid audit chain', async () => {
  const all = (await srv.api('/api/v1/audit?limit=200')).body.items;
  const actions = new Set(all.map((r) => r.action));
  for (const a of ['session.create', 'session.fail', 'session.lock', 'session.throttle', 'session.delete', 'user.create', 'user.update', 'user.disable', 'token.create', 'token.revoke'])
    assert.ok(actions.has(a), a);
  const fail = all.find((r) => r.action === 'session.fail');
  assert.equal(fail.client, '127.0.0.1');
  const created = all.find((r) => r.action === 'user.create' && r.entity === 'user:zhang_san');
  assert.equal(created.user, 'wuquan');
  assert.equal(created.after.phone, '138****5678');
  assert.equal(jiceng(['--data', srv.dataDir, 'audit', 'verify']).status, 0);
});
