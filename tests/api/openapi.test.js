// The OpenAPI document (GET /api/v1/openapi.json, src/api/openapi.c and
// openapi/*.json): served to anyone and cacheable; an OpenAPI 3.1 document
// whose every $ref resolves and whose schemas compile as JSON Schema
// 2020-12; every route of the route table in it (the table read from
// `jiceng routes` and from src/api/routes.c, not from the document); and
// real answers — successes and errors — of a server with the demo county,
// each checked against the schema the document gives for its operation,
// status and content type (ajv, draft 2020-12, formats checked).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { startServer, freshDataDir, jicengOk, addUser, tokenFor, login, chinaDay, ROOT } from '../lib/server.js';

const COUNTY = '411121';
const TOWN = '411121100'; // 舞泉镇
const VILLAGE = '411121100201'; // 大杨庄村, named in the demo
const SCHEME = 'village-2026';
const BASE = 'https://jiceng.invalid/openapi'; // the components' schemas, as one JSON Schema
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');
const ERROR_CODES = { 400: 'invalid', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 413: 'too_large', 415: 'unsupported', 429: 'rate_limited', default: 'internal' };

let srv, doc, ajv, routes, town, watch, openKey;
const answered = new Map(); // operationId → Set of statuses checked against the document

// ---- the document as data ----

// The value a local $ref points at.
function pointer(ref) {
  assert.match(ref, /^#\//, `only local references: ${ref}`);
  let at = doc;
  for (const seg of ref.slice(2).split('/')) {
    const key = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    at = at?.[key];
  }
  return at;
}

const deref = (v) => {
  while (v && typeof v === 'object' && typeof v.$ref === 'string' && Object.keys(v).length === 1) v = pointer(v.$ref);
  return v;
};

// Every schema reference made absolute into the components' schema (BASE).
function absolute(v) {
  if (Array.isArray(v)) return v.map(absolute);
  if (!v || typeof v !== 'object') return v;
  const out = {};
  for (const [k, x] of Object.entries(v))
    out[k] = k === '$ref' && typeof x === 'string' && x.startsWith('#/components/schemas/')
      ? `${BASE}#/$defs/${x.slice('#/components/schemas/'.length)}` : absolute(x);
  return out;
}

const compiled = new WeakMap();
function validator(schema) {
  if (!compiled.has(schema)) compiled.set(schema, ajv.compile(absolute(schema)));
  return compiled.get(schema);
}

function matches(pattern, pathname) {
  const p = pattern.split('/'), s = pathname.split('/');
  return p.length === s.length && p.every((seg, i) => (seg.startsWith('{') ? s[i].length > 0 : seg === s[i]));
}

// ---- requests checked against the document ----

// Makes a request as `as` ('admin': bearer token; 'anon'; a {cookie, csrf}
// session; or a token), finds its route as the router does (the first of
// the table with this method and a matching pattern), and checks the answer
// against the document: the status documented (or default), the content
// type among the response's, a JSON body valid under its schema.
async function call(method, url, { as = 'admin', body, type, status } = {}) {
  const headers = {};
  if (as === 'admin') headers.Authorization = `Bearer ${srv.token}`;
  else if (as?.cookie) {
    headers.Cookie = as.cookie;
    if (method !== 'GET') headers['X-CSRF-Token'] = as.csrf;
  } else if (typeof as === 'string' && as !== 'anon') headers.Authorization = `Bearer ${as}`;
  let payload = body;
  if (body !== undefined && !Buffer.isBuffer(body) && typeof body !== 'string') {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  if (type) headers['Content-Type'] = type;
  const res = await fetch(srv.url + url, { method, headers, body: payload });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString();
  const where = `${method} ${url} → ${res.status}`;
  if (status !== undefined) assert.equal(res.status, status, `${where}: ${text.slice(0, 600)}`);
  const pathname = new URL(srv.url + url).pathname;
  const route = routes.find((r) => r.method === method && matches(r.path, pathname));
  assert.ok(route, `${where}: no route`);
  const op = doc.paths[route.path][method.toLowerCase()];
  const response = deref(op.responses[String(res.status)] ?? op.responses.default);
  assert.ok(response, `${where}: status not documented for ${op.operationId}`);
  const ctype = (res.headers.get('content-type') || '').split(';')[0].trim();
  let json;
  if (res.status === 204 || res.status === 304) {
    assert.equal(bytes.length, 0, where);
    assert.equal(response.content, undefined, `${where}: documented with a body`);
  } else {
    assert.ok(response.content, `${where}: ${op.operationId} documents no body`);
    const media = response.content[ctype] ?? response.content['*/*'];
    assert.ok(media, `${where}: ${ctype} is not among ${Object.keys(response.content)} of ${op.operationId}`);
    if (ctype === 'application/json') {
      json = JSON.parse(text);
      const validate = validator(media.schema);
      if (!validate(json))
        assert.fail(`${where} does not match ${op.operationId}:\n${ajv.errorsText(validate.errors, { separator: '\n' })}\n${text.slice(0, 1500)}`);
    }
  }
  if (!answered.has(op.operationId)) answered.set(op.operationId, new Set());
  answered.get(op.operationId).add(res.status);
  return { status: res.status, body: json ?? bytes, headers: res.headers };
}

const get = (url, opts) => call('GET', url, opts);
const post = (url, body, opts) => call('POST', url, { body, ...opts });
const q = encodeURIComponent;

before(async () => {
  const dir = freshDataDir(['41']);
  jicengOk(['--data', dir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  jicengOk(['--data', dir, 'demo', '--county', COUNTY, '--seed', '7']);
  addUser(dir, 'oa_town', 'township_admin', TOWN, 'Oa-town-2026-pass');
  addUser(dir, 'oa_watch', 'observer', COUNTY, 'Oa-watch-2026-pass');
  openKey = jicengOk(['--data', dir, 'open311', 'key', 'create', '--name', 'openapi-test']).trim();
  srv = await startServer({ dataDir: dir });
  routes = JSON.parse(jicengOk(['routes']));
  const res = await fetch(srv.url + '/api/v1/openapi.json');
  doc = await res.json();
  ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: BASE, $defs: absolute(doc.components.schemas) }); // checked against the meta-schema
  town = await login(srv.url, 'oa_town', 'Oa-town-2026-pass');
  watch = tokenFor(dir, 'oa_watch');
  assert.equal(town.status, 200);
});
after(() => srv?.stop());

// ---- the document ----

test('the document is public, JSON and cacheable (ETag, 304)', async () => {
  const res = await fetch(srv.url + '/api/v1/openapi.json');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.match(res.headers.get('cache-control'), /public/);
  assert.doesNotMatch(res.headers.get('cache-control'), /no-store/);
  const etag = res.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]+"$/);
  const again = await fetch(srv.url + '/api/v1/openapi.json', { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  assert.equal((await again.arrayBuffer()).byteLength, 0);
  await get('/api/v1/openapi.json', { as: 'anon', status: 200 });
  // other answers, errors too, stay out of caches
  assert.equal((await fetch(srv.url + '/api/v1/health')).headers.get('cache-control'), 'no-store');
  assert.equal((await fetch(srv.url + '/api/v1/desk')).headers.get('cache-control'), 'no-store');
});

test('it is an OpenAPI 3.1 document: info, servers, security, every $ref resolving, every schema compiling', async () => {
  assert.match(doc.openapi, /^3\.1\.\d+$/);
  assert.equal(doc.info.title, '基层治理平台 API');
  const health = await get('/api/v1/health', { as: 'anon', status: 200 });
  assert.equal(doc.info.version, health.body.version);
  assert.deepEqual(doc.servers.map((s) => s.url), ['/']);
  const { session, bearer } = doc.components.securitySchemes;
  assert.deepEqual([session.type, session.in, session.name], ['apiKey', 'cookie', 'jiceng_session']);
  assert.deepEqual([bearer.type, bearer.scheme], ['http', 'bearer']);
  assert.deepEqual(doc.security, [{ session: [] }, { bearer: [] }]);
  assert.ok(Object.keys(doc).every((k) => ['openapi', 'info', 'servers', 'security', 'tags', 'paths', 'components'].includes(k)));

  // every $ref resolves
  let refs = 0;
  (function walk(v) {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') {
        refs++;
        assert.notEqual(pointer(x), undefined, `$ref ${x} points at nothing`);
      } else walk(x);
    }
  })(doc);
  assert.ok(refs > 300);

  // every component schema compiles under draft 2020-12 (strict: no unknown keyword or format)
  for (const name of Object.keys(doc.components.schemas)) assert.ok(ajv.getSchema(`${BASE}#/$defs/${name}`), name);

  const tags = new Set(doc.tags.map((t) => t.name));
  const ids = new Set();
  for (const [pattern, item] of Object.entries(doc.paths)) {
    assert.match(pattern, /^\/(api\/v1|open311\/v2)\//);
    const vars = [...pattern.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(item)) {
      const where = `${method} ${pattern}`;
      assert.ok(['get', 'post', 'put', 'patch', 'delete'].includes(method), where);
      assert.ok(!ids.has(op.operationId), `${where}: operationId ${op.operationId} twice`);
      ids.add(op.operationId);
      assert.match(op.summary, /\p{Script=Han}/u, `${where}: a summary in Chinese`);
      assert.equal(typeof op['x-permission'], 'string', where);
      assert.ok(op.tags.every((t) => tags.has(t)), `${where}: tags`);
      // parameters: known locations, a schema, path ones exactly the template's
      const params = (op.parameters || []).map(deref);
      for (const p of params) {
        assert.ok(['query', 'path', 'header', 'cookie'].includes(p.in) && p.name && p.schema, `${where}: parameter ${JSON.stringify(p)}`);
        validator(p.schema);
      }
      assert.equal(new Set(params.map((p) => `${p.in}:${p.name}`)).size, params.length, `${where}: a parameter twice`);
      const inPath = params.filter((p) => p.in === 'path');
      assert.deepEqual(inPath.map((p) => p.name).sort(), [...vars].sort(), `${where}: path parameters`);
      assert.ok(inPath.every((p) => p.required === true), `${where}: path parameters are required`);
      if (op.requestBody) {
        assert.notEqual(method, 'get', where);
        for (const media of Object.values(deref(op.requestBody).content)) validator(media.schema);
      }
      // responses: a success; every body schema compiles; the errors are the shared error body
      const statuses = Object.keys(op.responses);
      assert.ok(statuses.some((s) => /^2\d\d$/.test(s)), `${where}: no 2xx response`);
      assert.ok(statuses.includes('default'), `${where}: no default response`);
      for (const status of statuses) {
        const response = deref(op.responses[status]);
        assert.equal(typeof response.description, 'string', `${where} ${status}: a description`);
        for (const media of Object.values(response.content || {})) validator(media.schema);
        if (!/^(4\d\d|5\d\d|default)$/.test(status)) continue;
        const schema = response.content?.['application/json']?.schema;
        assert.ok(schema, `${where} ${status}: an error body`);
        const sample = pattern.startsWith('/open311/')
          ? [{ code: status === 'default' ? 500 : Number(status), description: 'x' }]
          : { error: { code: ERROR_CODES[status], message: '说明', field: 'unit' } };
        assert.ok(validator(schema)(sample), `${where} ${status}: the shared error body does not fit`);
        if (!pattern.startsWith('/open311/'))
          assert.ok(!validator(schema)({ error: { code: ERROR_CODES[status], message: '说明' }, extra: 1 }), `${where} ${status}: the error body is loose`);
      }
      // what the table says: 401 for a login, 403 for a permission
      if (op['x-permission'] !== 'public') assert.ok(statuses.includes('401'), `${where}: no 401`);
      else assert.deepEqual(op.security, [], `${where}: public, no security`);
      if (!['public', 'login'].includes(op['x-permission'])) assert.ok(statuses.includes('403'), `${where}: no 403`);
    }
  }
});

test('every route of the route table is in the document, as the table declares it', () => {
  // the table as the binary has it
  const ops = Object.entries(doc.paths).flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`));
  assert.equal(ops.length, routes.length, 'as many operations as routes');
  for (const r of routes) {
    const op = doc.paths[r.path]?.[r.method.toLowerCase()];
    assert.ok(op, `${r.method} ${r.path} is missing from the document`);
    assert.equal(op['x-undocumented'], undefined, `${r.method} ${r.path}: no operation in openapi/`);
    assert.equal(op['x-permission'], r.perm, `${r.method} ${r.path}: x-permission`);
    assert.equal(op['x-scope'], r.scope, `${r.method} ${r.path}: x-scope`);
    const success = Object.keys(op.responses).filter((s) => /^2/.test(s)).map((s) => deref(op.responses[s]));
    assert.ok(success.every((s) => s.content || s === deref(op.responses['204'])), `${r.method} ${r.path}: a documented response body`);
  }
  // the table as the source has it: every row names its operation
  const source = fs.readFileSync(path.join(ROOT, 'src/api/routes.c'), 'utf8');
  const rows = [...source.matchAll(/\{HTTP_([A-Z]+),\s*"([^"]+)",[^{}]*?\}/g)];
  assert.equal(rows.length, routes.length, 'rows of routes.c');
  for (const [row, method, pattern] of rows) {
    const name = row.match(/"([a-z0-9_]+\.[a-z0-9_]+)"\s*\}$/);
    assert.ok(name, `routes.c: ${method} ${pattern} names no operation ("family.operation")`);
    assert.equal(doc.paths[pattern]?.[method.toLowerCase()]?.operationId, name[1], `${method} ${pattern}`);
  }
});

// ---- real answers ----

test('units, editions and sign-in', async () => {
  await get('/api/v1/units', { status: 200 });
  const found = await get(`/api/v1/units?q=${q('舞阳 郝庄')}&limit=5`, { status: 200 });
  assert.ok(found.body.items.length > 0);
  await get(`/api/v1/units?unit=${TOWN}&level=village&limit=3`, { status: 200 });
  await get(`/api/v1/units?unit=${TOWN}`, { status: 200 });
  await get('/api/v1/units?level=shire', { status: 400 });
  await get(`/api/v1/units/${VILLAGE}`, { status: 200 });
  await get('/api/v1/units/12x', { status: 400 });
  await get('/api/v1/units/419999', { status: 404 });
  await get(`/api/v1/units/${COUNTY}/history`, { status: 200 });
  await get(`/api/v1/units/${COUNTY}/children?limit=3`, { status: 200 });
  await get(`/api/v1/units/${COUNTY}/children?limit=0`, { status: 400 });
  await get(`/api/v1/units/${COUNTY}/summary`, { status: 200 });
  await get('/api/v1/units/editions', { status: 200 });
  await post('/api/v1/units/editions', { dry_run: true }, { status: 400 });
  await get('/api/v1/units/editions', { as: town, status: 403 });

  await post('/api/v1/session', { username: 'oa_town', password: 'wrong-password-1' }, { as: 'anon', status: 401 });
  await post('/api/v1/session', { username: 'oa_town' }, { as: 'anon', status: 400 });
  await post('/api/v1/session', 'username=x', { as: 'anon', type: 'application/x-www-form-urlencoded', status: 415 });
  const me = await get('/api/v1/me', { as: town, status: 200 });
  assert.equal(me.body.user.scope.code, TOWN);
  await get('/api/v1/me', { as: 'anon', status: 401 });
  await call('DELETE', '/api/v1/session', { status: 400 }); // a bearer token does not log out
  const other = await login(srv.url, 'oa_town', 'Oa-town-2026-pass');
  await post('/api/v1/session', { username: 'oa_town', password: 'Oa-town-2026-pass' }, { as: 'anon', status: 200 });
  await call('DELETE', '/api/v1/session', { as: other, status: 204 });
});

test('users, roles and tokens', async () => {
  await get('/api/v1/roles', { status: 200 });
  await get('/api/v1/users?limit=3', { status: 200 });
  await get(`/api/v1/users?unit=${COUNTY}`, { as: town, status: 404 });
  const made = await post('/api/v1/users', { username: 'oa_new', display_name: '新用户', password: 'Xq7-new-user-2026', role: 'village_secretary', scope: VILLAGE, phone: '13812345678' }, { as: town, status: 201 });
  assert.equal(made.body.phone, '138****5678');
  await post('/api/v1/users', { username: 'oa_new', password: 'Xq7-new-user-2026', role: 'village_secretary' }, { as: town, status: 409 });
  await post('/api/v1/users', { username: 'oa_boss', password: 'Xq7-new-user-2026', role: 'admin' }, { as: town, status: 403 });
  await get('/api/v1/users/oa_new', { status: 200 });
  await get('/api/v1/users/oa_new?reveal=phone', { status: 200 });
  await get('/api/v1/users/oa_new?reveal=email', { status: 400 });
  await get('/api/v1/users/nobody', { status: 404 });
  await call('PATCH', '/api/v1/users/oa_new', { body: { display_name: '大杨庄村书记' }, as: town, status: 200 });
  await call('PATCH', '/api/v1/users/oa_new', { body: { nickname: 'x' }, status: 400 });
  tokenFor(srv.dataDir, 'oa_new');
  const tokens = await get('/api/v1/users/oa_new/tokens', { status: 200 });
  await call('DELETE', `/api/v1/users/oa_new/tokens/${tokens.body.items[0].id}`, { status: 204 });
  await call('DELETE', '/api/v1/users/oa_new/tokens/99999', { status: 404 });
  const disabled = await call('DELETE', '/api/v1/users/oa_new', { as: town, status: 200 });
  assert.equal(disabled.body.disabled, true);
});

let upload;

test('files, the desk, notifications and notices', async () => {
  upload = (await post('/api/v1/files', PDF, { type: 'application/pdf', status: 201 })).body;
  await post('/api/v1/files', Buffer.from('MZ\x90\x00 not a document'), { type: 'application/octet-stream', status: 415 });
  await post('/api/v1/files', Buffer.alloc(0), { type: 'application/octet-stream', status: 400 });

  await get('/api/v1/desk', { as: town, status: 200 });
  await get('/api/v1/desk', { status: 200 });
  await get('/api/v1/desk', { as: 'anon', status: 401 });
  const list = await get('/api/v1/notifications?limit=2', { status: 200 });
  await get(`/api/v1/notifications?unread=1&limit=2&after=${list.body.next}`, { status: 200 });
  await get('/api/v1/notifications?unread=2', { status: 400 });
  await post('/api/v1/notifications/read', { id: list.body.items[0].id }, { status: 200 });
  await post('/api/v1/notifications/read', { all: true }, { as: town, status: 200 });
  await post('/api/v1/notifications/read', {}, { status: 400 });

  const notice = await post('/api/v1/notices', { unit: TOWN, title: '关于开展冬季安全检查的通知', body: '请各村于本周内完成。', files: [{ sha256: upload.sha256, name: '通知.pdf' }] }, { status: 201 });
  const id = notice.body.id;
  await post('/api/v1/notices', { unit: TOWN, title: '' }, { status: 400 });
  await post('/api/v1/notices', { unit: TOWN, title: 'x', body: 'y' }, { as: watch, status: 403 });
  await get('/api/v1/notices?box=sent&limit=5', { status: 200 });
  await get('/api/v1/notices', { as: town, status: 200 });
  await get('/api/v1/notices?box=inbox', { status: 400 });
  await get(`/api/v1/notices/${id}`, { as: town, status: 200 });
  const read = await post(`/api/v1/notices/${id}/read`, undefined, { as: town, status: 200 });
  assert.ok(read.body.read_at);
  await get(`/api/v1/notices/${id}/receipts`, { status: 200 });
  await get(`/api/v1/notices/${id}/files/${upload.sha256}`, { as: town, status: 200 });
  await get('/api/v1/notices/987654', { status: 404 });
  await get('/api/v1/notices/abc', { status: 400 });
});

let outsider; // a village outside the demo county: no rating, no approval yet

test('data: elements, indicators, values, ledgers, analytics', async () => {
  outsider = (await get('/api/v1/units?unit=411122&level=village&limit=1', { status: 200 })).body.items[0].code;
  await get('/api/v1/elements', { status: 200 });
  await post('/api/v1/elements', { code: 'oa.count', name: '测试计数', measure: '个', value_type: 'integer', aggregation: 'sum', period_type: 'year', levels: ['village'], min: 0 }, { status: 201 });
  await post('/api/v1/elements', { code: 'oa.count', name: '测试计数', value_type: 'integer', aggregation: 'sum', period_type: 'year' }, { status: 409 });
  await post('/api/v1/elements', { code: 'oa.bad', name: '坏', value_type: 'text', aggregation: 'sum', period_type: 'year' }, { status: 400 });
  await get('/api/v1/indicators', { status: 200 });
  await post('/api/v1/indicators', { code: 'oa.rate', name: '测试比率', formula: '#{oa.count} / #{population} * 100', format: 'percent', decimals: 1, measure: '%' }, { status: 201 });
  await post('/api/v1/indicators', { code: 'oa.rate2', name: '坏公式', formula: '#{nothing} +' }, { status: 400 });

  await get(`/api/v1/values?unit=${VILLAGE}&limit=3`, { status: 200 });
  await get(`/api/v1/values?unit=${VILLAGE}&period=2026&element=population`, { status: 200 });
  await get('/api/v1/values?after=nonsense', { status: 400 });
  const written = await post('/api/v1/values', [{ element: 'population', unit: outsider, period: '2025', value: 1000 }, { element: 'oa.count', unit: outsider, period: '2025', value: 7 }], { status: 200 });
  assert.deepEqual([written.body.received, written.body.changed], [2, 2]);
  const refused = await post('/api/v1/values', [{ element: 'doctor.contracts', unit: outsider, period: '2025', value: 5000 }], { status: 400 });
  assert.ok(refused.body.violations.length >= 1);
  await post('/api/v1/values', [{ element: 'population', unit: outsider, period: '2025' }], { status: 400 });
  await post('/api/v1/values', { element: 'population' }, { status: 400 });
  await post('/api/v1/values/import?period=2025&name=ledger.csv', Buffer.from('单位代码,户数\n' + outsider + ',300\n'), { type: 'text/csv', status: 200 });
  await post('/api/v1/values/import?period=2025', Buffer.from('名称,单位\nx,y\n'), { type: 'text/csv', status: 400 });

  const rate = await get(`/api/v1/analytics?indicator=doctor.rate&period=2026&unit=${COUNTY}&by=children&sort=desc`, { status: 200 });
  assert.equal(rate.body.children.length, 14);
  await get(`/api/v1/analytics?expr=${q('#{population}')}&period=2026&unit=${COUNTY}&by=level&level=village&limit=5`, { status: 200 });
  const count = await get(`/api/v1/analytics?expr=${q('#{branch.standardised} == 1')}&period=2026&unit=${COUNTY}&agg=count_true&level=village`, { status: 200 });
  assert.equal(count.body.of, 398);
  const csv = await get(`/api/v1/analytics?indicator=doctor.rate&period=2026&unit=${COUNTY}&by=children&format=csv`, { status: 200 });
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  await get(`/api/v1/analytics?indicator=doctor.rate&period=2026&unit=${COUNTY}&format=xlsx`, { status: 200 });
  await get(`/api/v1/analytics?indicator=doctor.rate&unit=${COUNTY}`, { status: 400 });
  await get('/api/v1/analytics?indicator=nothing&period=2026', { status: 404 });
});

test('checked data: rules, the validation report, approvals', async () => {
  await get('/api/v1/rules', { status: 200 });
  await post('/api/v1/rules', { code: 'oa.count.le.population', message: '测试计数不能多于常住人口', left: '#{oa.count}', operator: '<=', right: '#{population}', severity: 'warning' }, { status: 201 });
  await post('/api/v1/rules', { code: 'oa.bad', message: 'x', left: '#{oa.count}', operator: '=<', right: '1' }, { status: 400 });
  const warned = await post('/api/v1/values', [{ element: 'oa.count', unit: outsider, period: '2025', value: 2000 }], { status: 409 });
  assert.equal(warned.body.error.field, 'confirm');
  const confirmed = await post('/api/v1/values?confirm=true', [{ element: 'oa.count', unit: outsider, period: '2025', value: 2000 }], { status: 200 });
  assert.equal(confirmed.body.warnings.length, 1);
  const report = await get(`/api/v1/validation?unit=${COUNTY}&period=2026`, { status: 200 });
  assert.ok(report.body.items.length > 0);
  await get('/api/v1/validation?period=2025', { status: 200 });
  await get(`/api/v1/validation?unit=${COUNTY}`, { status: 400 });
  await get(`/api/v1/validation?unit=411122&period=2025`, { as: town, status: 404 });

  await get(`/api/v1/approvals?unit=${TOWN}&period=2026`, { status: 200 });
  await call('PUT', `/api/v1/approvals/${outsider}?period=2025`, { status: 201 });
  await call('PUT', `/api/v1/approvals/${outsider}?period=2025`, { status: 409 });
  await post('/api/v1/values', [{ element: 'population', unit: outsider, period: '2025', value: 999 }], { status: 409 });
  await get(`/api/v1/approvals?unit=${outsider}&period=2025`, { status: 200 });
  await call('DELETE', `/api/v1/approvals/${outsider}?period=2025`, { status: 204 });
  await call('DELETE', `/api/v1/approvals/${outsider}`, { status: 400 });
  await call('PUT', `/api/v1/approvals/${outsider}?period=2025`, { as: town, status: 403 });
});

test('work items: types, list, create, batch, steps, comments, files, review, ledgers', async () => {
  const types = await get('/api/v1/item-types', { status: 200 });
  assert.ok(types.body.items.some((t) => t.code === 'problem'));
  await get(`/api/v1/items?unit=${COUNTY}&limit=5`, { status: 200 });
  await get(`/api/v1/items?unit=${COUNTY}&type=request&state=accepted&limit=2&after=999999`, { status: 200 });
  await get(`/api/v1/items?unit=${COUNTY}&overdue=1`, { status: 200 });
  await get(`/api/v1/items?unit=${COUNTY}&escalated=1`, { status: 200 });
  await get('/api/v1/items?type=nothing', { status: 400 });
  await get('/api/v1/items?limit=501', { status: 400 });

  const item = (await post('/api/v1/items', { type: 'problem', title: '村道破损待修补', description: '联系人 13812345678', unit: VILLAGE, assignee: '张三', measures: '修补路面', priority: 1, deadline: chinaDay(10), location: '村东' }, { status: 201 })).body;
  await post('/api/v1/items', { type: 'problem', title: 'x', priority: 7 }, { status: 400 });
  await post('/api/v1/items', { type: 'problem', title: 'x', unit: '411122' }, { as: town, status: 403 });
  const batch = await post('/api/v1/items/batch', { type: 'dispatch', title: '本周交办：清理河道', description: '汛前清淤', deadline: chinaDay(7), priority: 2, units: [VILLAGE, '411121100202'] }, { status: 201 });
  assert.equal(batch.body.items.length, 2);
  await get(`/api/v1/items?batch=${batch.body.batch}`, { status: 200 });

  const full = await get(`/api/v1/items/${item.id}`, { status: 200 });
  assert.ok(full.body.available.some((s) => s.code === 'start'));
  await get(`/api/v1/items/${item.id}`, { as: town, status: 200 });
  await get('/api/v1/items/99999999', { status: 404 });
  await get('/api/v1/items/abc', { status: 404 });
  await post(`/api/v1/items/${item.id}/transitions`, { transition: 'start' }, { status: 200 });
  await post(`/api/v1/items/${item.id}/transitions`, { transition: 'finish' }, { status: 400 }); // evidence needed
  await post(`/api/v1/items/${item.id}/transitions`, { transition: 'finish', evidence: '已修补 30 米', files: [{ sha256: upload.sha256, name: '验收.pdf' }] }, { status: 200 });
  await post(`/api/v1/items/${item.id}/transitions`, { transition: 'fly' }, { status: 400 });
  const commented = await post(`/api/v1/items/${item.id}/comments`, { note: '附现场照片说明', files: [{ sha256: upload.sha256, name: '说明.pdf' }] }, { status: 201 });
  assert.ok(commented.body.timeline.some((e) => e.files.length > 0));
  await post(`/api/v1/items/${item.id}/comments`, { text: 'x' }, { status: 400 });
  await post(`/api/v1/items/${batch.body.items[0].id}/reassign`, { assignee: '李四', note: '转交李四办理' }, { status: 200 });
  await post(`/api/v1/items/${batch.body.items[0].id}/reassign`, { owner_unit: '411122', note: '转出' }, { as: town, status: 403 });
  await get(`/api/v1/items/${item.id}/files/${upload.sha256}`, { status: 200 });
  await get(`/api/v1/items/${item.id}/files/${'0'.repeat(64)}`, { status: 404 });

  const month = chinaDay().slice(0, 7);
  const review = await get(`/api/v1/items/review?unit=${COUNTY}&month=${month}`, { status: 200 });
  assert.equal(review.body.units.length, 14);
  await get(`/api/v1/items/review?unit=${COUNTY}&month=${month}&type=problem&format=csv`, { status: 200 });
  await get(`/api/v1/items/review?unit=${COUNTY}&week=2026-W48&format=xlsx`, { status: 200 });
  await get(`/api/v1/items/review?unit=${COUNTY}`, { status: 400 });
  await get(`/api/v1/items/export?unit=${TOWN}&format=csv`, { status: 200 });
  await get(`/api/v1/items/export?unit=${TOWN}&type=problem`, { status: 200 });
  await get('/api/v1/items/export?format=pdf', { status: 400 });
  const head = '标题,涉及单位代码,责任人,整改措施,期限,优先级,立行立改\n';
  const imported = await post('/api/v1/items/import?type=problem&name=list.csv', Buffer.from(head + `垃圾乱堆,${VILLAGE},李四,集中清运,${chinaDay(20)},一般,是\n`), { status: 201 });
  assert.equal(imported.body.created, 1);
  await post('/api/v1/items/import?type=problem', Buffer.from(head + `垃圾乱堆,${VILLAGE},李四,集中清运,31/12/2026,一般,是\n`), { status: 400 });
  await post('/api/v1/items', { type: 'problem', title: '观察员不能建' }, { as: watch, status: 403 });
});

test('ratings: schemes, lists, summary, a unit\'s rating and every step', async () => {
  const schemes = await get('/api/v1/schemes', { status: 200 });
  assert.ok(schemes.body.items.some((s) => s.code === SCHEME));
  const scheme = (await get(`/api/v1/schemes/${SCHEME}`, { status: 200 })).body;
  await get('/api/v1/schemes/nothing-1999', { status: 404 });
  const assessed = scheme.categories.flatMap((c) => c.indicators).find((i) => i.kind === 'assessed');

  const queue = await get(`/api/v1/ratings?scheme=${SCHEME}&unit=${COUNTY}&state=submitted&limit=2`, { status: 200 });
  await get(`/api/v1/ratings?scheme=${SCHEME}&unit=${COUNTY}&limit=3&after=${VILLAGE}`, { status: 200 });
  await get(`/api/v1/ratings?scheme=${SCHEME}&state=flying`, { status: 400 });
  await get('/api/v1/ratings', { status: 400 });
  await get(`/api/v1/ratings/summary?scheme=${SCHEME}&unit=${COUNTY}`, { status: 200 });
  await get(`/api/v1/ratings/summary?scheme=${SCHEME}`, { status: 200 });
  await get(`/api/v1/ratings/summary?scheme=${SCHEME}&unit=${COUNTY}&format=csv`, { status: 200 });
  await get(`/api/v1/ratings/summary?scheme=${SCHEME}&unit=${COUNTY}&format=pdf`, { status: 400 });

  const named = await get(`/api/v1/ratings/${VILLAGE}?scheme=${SCHEME}`, { status: 200 });
  assert.equal(named.body.named, true);
  await get(`/api/v1/ratings/${TOWN}?scheme=${SCHEME}`, { status: 400 }); // a township: the scheme does not apply
  await get(`/api/v1/ratings/${outsider}?scheme=${SCHEME}`, { status: 200 }); // no rating: computed from data
  await get(`/api/v1/ratings/${outsider}?scheme=${SCHEME}`, { as: town, status: 404 });

  // a new declaration, answers with evidence, a refused submission, the checklist
  await post('/api/v1/ratings', { scheme: SCHEME, unit: outsider, target: 3 }, { status: 201 });
  await post('/api/v1/ratings', { scheme: SCHEME, unit: outsider, target: 3 }, { status: 409 });
  await post('/api/v1/ratings', { scheme: SCHEME, unit: outsider }, { status: 400 });
  const answered_ = await call('PUT', `/api/v1/ratings/${outsider}/answers?scheme=${SCHEME}`, { body: { indicators: [{ code: assessed.code, score: 1, note: '已整改', files: [{ sha256: upload.sha256, name: '佐证.pdf' }] }] }, status: 200 });
  assert.equal(answered_.body.indicators.find((i) => i.code === assessed.code).files.length, 1);
  await call('PUT', `/api/v1/ratings/${outsider}/answers?scheme=${SCHEME}`, { body: { indicators: [{ code: 'nothing', score: 1 }] }, status: 400 });
  await get(`/api/v1/ratings/${outsider}/files/${upload.sha256}?scheme=${SCHEME}`, { status: 200 });
  await post(`/api/v1/ratings/${outsider}/transitions?scheme=${SCHEME}`, { transition: 'submit' }, { status: 400 }); // unanswered
  const list = await post(`/api/v1/ratings/${outsider}/checklist?scheme=${SCHEME}`, { deadline: chinaDay(30) }, { status: 201 });
  assert.ok(list.body.items.length > 0);

  // review steps on demo ratings: accept, adjust, object and resolve, withdraw a star
  const submitted = queue.body.items[0].unit.code;
  await post(`/api/v1/ratings/${submitted}/adjustments?scheme=${SCHEME}`, { code: assessed.code, score: 0, reason: '佐证材料不全' }, { status: 200 });
  await post(`/api/v1/ratings/${submitted}/adjustments?scheme=${SCHEME}`, { code: assessed.code, score: 999, reason: '过高' }, { status: 400 });
  await post(`/api/v1/ratings/${submitted}/transitions?scheme=${SCHEME}`, { transition: 'accept', note: '初审通过' }, { status: 200 });
  const inNotice = (await get(`/api/v1/ratings?scheme=${SCHEME}&unit=${COUNTY}&state=notice&limit=1`, { status: 200 })).body.items[0].unit.code;
  const objected = await post(`/api/v1/ratings/${inNotice}/objections?scheme=${SCHEME}`, { text: '群众反映村务公开不及时' }, { status: 201 });
  const objection = objected.body.objections.at(-1);
  await post(`/api/v1/ratings/${inNotice}/objections/${objection.id}/resolution?scheme=${SCHEME}`, { resolution: '经核实，公开及时，异议不成立', upheld: false }, { status: 200 });
  await post(`/api/v1/ratings/${inNotice}/objections/${objection.id}/resolution?scheme=${SCHEME}`, { resolution: '再次处理', upheld: false }, { status: 404 });
  await post(`/api/v1/ratings/${VILLAGE}/objections?scheme=${SCHEME}`, { text: '已命名，不在公示期' }, { status: 400 });
  // a named village that won a star (组织生活, computed from the demo's meetings, leaves some with none)
  let holder = null;
  for (const r of (await get(`/api/v1/ratings?scheme=${SCHEME}&unit=${COUNTY}&state=named&limit=100`, { status: 200 })).body.items) {
    holder = (await get(`/api/v1/ratings/${r.unit.code}?scheme=${SCHEME}`, { status: 200 })).body;
    if (holder.stars.some((s) => s.won && !s.withdrawn)) break;
  }
  const star = holder.stars.find((s) => s.won && !s.withdrawn);
  const withdrawn = await post(`/api/v1/ratings/${holder.unit.code}/withdrawals?scheme=${SCHEME}`, { star: star.code, reason: '发生安全事故' }, { status: 200 });
  assert.ok(withdrawn.body.stars.find((s) => s.code === star.code).withdrawn);
  await post(`/api/v1/ratings/${holder.unit.code}/withdrawals?scheme=${SCHEME}`, { star: star.code, reason: '再摘' }, { status: 400 });
  await post(`/api/v1/ratings/${VILLAGE}/transitions?scheme=${SCHEME}`, { transition: 'submit' }, { as: town, status: 400 });
});

test('pairings', async () => {
  const suggest = await get(`/api/v1/pairings/suggest?scheme=${SCHEME}&unit=${COUNTY}`, { status: 200 });
  assert.ok(suggest.body.pairs.length > 0);
  const pairs = await get(`/api/v1/pairings?scheme=${SCHEME}&unit=${COUNTY}`, { status: 200 });
  await get(`/api/v1/pairings?scheme=${SCHEME}&unit=${TOWN}`, { as: town, status: 200 });
  await get(`/api/v1/pairings?unit=${COUNTY}`, { status: 400 });
  const saved = await call('PUT', `/api/v1/pairings?scheme=${SCHEME}&unit=${COUNTY}`, { body: { pairs: pairs.body.items.map((p) => ({ strong: p.strong.code, weak: p.weak.code })) }, status: 200 });
  assert.equal(saved.body.items.length, pairs.body.items.length);
  await call('PUT', `/api/v1/pairings?scheme=${SCHEME}&unit=${COUNTY}`, { body: { pairs: 'all' }, status: 400 });
});

test('people, households and party organisations', async () => {
  const list = await get(`/api/v1/persons?unit=${VILLAGE}&limit=2`, { status: 200 });
  await get(`/api/v1/persons?unit=${VILLAGE}&membership=party_member&limit=2&after=${q(list.body.next)}`, { status: 200 });
  await get(`/api/v1/persons?unit=${VILLAGE}&limit=0`, { status: 400 });
  await get(`/api/v1/persons?unit=${COUNTY}`, { as: town, status: 404 });
  const exported = await get(`/api/v1/persons/export?unit=${VILLAGE}&membership=party_member`, { status: 200 });
  assert.equal(exported.body.subarray(0, 2).toString(), 'PK');
  const made = await post('/api/v1/persons', { name: '李明', unit: VILLAGE, sex: '男', id_number: '11010519491231002X', phone: '13812345678' }, { as: town, status: 201 });
  await post('/api/v1/persons', { name: '李明', unit: VILLAGE, id_number: '11010519491231002X' }, { as: town, status: 409 });
  await post('/api/v1/persons', { name: '王五', unit: VILLAGE, id_number: '110105194912310021' }, { as: town, status: 400 });
  const id = made.body.id;
  await get(`/api/v1/persons/${id}`, { as: town, status: 200 });
  await get('/api/v1/persons/99999999', { status: 404 });
  await call('PATCH', `/api/v1/persons/${id}`, { body: { education: '高中' }, as: town, status: 200 });
  const role = await post(`/api/v1/persons/${id}/memberships`, { kind: 'grid_worker', unit: VILLAGE, from: '2026-01-01' }, { as: town, status: 201 });
  const mid = role.body.memberships.find((m) => m.kind === 'grid_worker').id;
  await post(`/api/v1/persons/${id}/memberships/${mid}/end`, { to: '2025-01-01' }, { as: town, status: 400 });
  await post(`/api/v1/persons/${id}/memberships/${mid}/end`, { to: '2026-06-30', reason: '工作调动' }, { as: town, status: 200 });
  await get('/api/v1/me/person', { status: 200 });
  const home = await post('/api/v1/households', { unit: VILLAGE, address: '大杨庄村3组12号', tags: ['dibao'] }, { as: town, status: 201 });
  await post('/api/v1/households', { unit: VILLAGE, address: '大杨庄村3组13号', tags: ['nothing'] }, { as: town, status: 400 });
  await post(`/api/v1/households/${home.body.id}/members`, { person: id, relation: 'head', from: '2026-01-01' }, { as: town, status: 201 });
  await call('PATCH', `/api/v1/households/${home.body.id}`, { body: { head: id }, as: town, status: 200 });
  await get(`/api/v1/households/${home.body.id}`, { status: 200 });
  await get(`/api/v1/households?unit=${VILLAGE}&tag=dibao&limit=5`, { status: 200 });
  const orgs = await get(`/api/v1/party/orgs?unit=${VILLAGE}`, { status: 200 });
  const org = orgs.body.items[0].id;
  await get(`/api/v1/party/orgs/${org}`, { status: 200 });
  await get('/api/v1/party/orgs/99999999', { status: 404 });
  await get(`/api/v1/party/orgs/report?unit=${TOWN}&days=365`, { status: 200 });
  await get(`/api/v1/party/stats?unit=${TOWN}&by=children`, { status: 200 });
  await get(`/api/v1/party/stats?unit=${TOWN}&date=2026-02-30`, { status: 400 });
  const branch = await post('/api/v1/party/orgs', { name: '中共大杨庄村第二支部委员会', type: 'branch', unit: VILLAGE, parent: org, founded_on: '2026-01-01' }, { as: town, status: 201 });
  await call('PATCH', `/api/v1/party/orgs/${branch.body.id}`, { body: { term_start: '2026-01-01' }, as: town, status: 200 });
  const joined = await post(`/api/v1/party/orgs/${branch.body.id}/members`, { person: id, kind: 'party_member', stage: 'activist', from: '2026-02-01' }, { as: town, status: 201 });
  await post(`/api/v1/party/orgs/${branch.body.id}/members`, { person: id, kind: 'party_member', stage: 'formal', from: '2026-02-01' }, { as: town, status: 409 });
  const m = joined.body.members.find((x) => x.person === id).id;
  const next = await post(`/api/v1/party/orgs/${branch.body.id}/members/${m}/stage`, { stage: 'candidate', from: '2026-09-01' }, { as: town, status: 200 });
  const m2 = next.body.members.find((x) => x.person === id).id;
  await post(`/api/v1/party/orgs/${branch.body.id}/members/${m2}/end`, { to: '2026-10-01', reason: '组织关系转出' }, { as: town, status: 200 });
});

test('党员积分 and 党费', async () => {
  const year = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();
  const month = `${year}-${String(new Date(Date.now() + 8 * 3600e3).getUTCMonth() + 1).padStart(2, '0')}`;
  const made = await post('/api/v1/persons', { name: '积分党员', unit: VILLAGE }, { as: town, status: 201 });
  const id = made.body.id;
  const orgs = await get(`/api/v1/party/orgs?unit=${VILLAGE}`, { status: 200 });
  await post(`/api/v1/party/orgs/${orgs.body.items[0].id}/members`, { person: id, kind: 'party_member', stage: 'formal', from: `${year - 2}-01-01` }, { as: town, status: 201 });
  await get('/api/v1/points/rules', { as: watch, status: 200 });
  const claim = await post(`/api/v1/persons/${id}/points`, { rule: 'pioneer', day: `${year - 1}-05-01`, evidence: '抗洪抢险' }, { as: town, status: 201 });
  await post(`/api/v1/persons/${id}/points`, { rule: 'theme_day' }, { as: town, status: 400 });
  await post(`/api/v1/persons/${id}/points`, { rule: 'pioneer', day: `${year - 1}-05-02`, evidence: '再来' }, { as: town, status: 201 });
  await post(`/api/v1/persons/${id}/points`, { rule: 'pioneer', day: `${year - 1}-05-03`, evidence: '超上限' }, { as: town, status: 400 });
  await post(`/api/v1/points/${claim.body.id}/transitions`, { transition: 'approve' }, { as: town, status: 200 });
  await post(`/api/v1/points/${claim.body.id}/transitions`, { transition: 'reject', note: '已办结' }, { as: town, status: 400 });
  await get(`/api/v1/points?unit=${VILLAGE}&year=${year - 1}&open=true&limit=1`, { status: 200 });
  await get(`/api/v1/points?unit=${VILLAGE}&limit=0`, { status: 400 });
  await get(`/api/v1/persons/${id}/points?year=${year - 1}`, { status: 200 });
  await get(`/api/v1/points/ranking?unit=${TOWN}&year=${year - 1}`, { status: 200 });
  await get(`/api/v1/points/ranking?unit=${TOWN}&year=${year - 1}&month=5`, { status: 200 });
  await get('/api/v1/points/ranking?month=13', { status: 400 });
  await get('/api/v1/me/points', { status: 200 });
  await post('/api/v1/me/points', { rule: 'study', evidence: '学习笔记' }, { status: 400 });
  await get('/api/v1/dues/rates', { as: watch, status: 200 });
  await call('PUT', `/api/v1/persons/${id}/dues/basis`, { body: { year, category: 'employed', income_fen: 456789 }, as: town, status: 200 });
  await call('PUT', `/api/v1/persons/${id}/dues/basis`, { body: { year, category: 'farmer', amount_fen: 500 }, as: town, status: 400 });
  await post(`/api/v1/persons/${id}/dues/payments`, { months: [month], amount_fen: 4568, method: 'cash' }, { as: town, status: 201 });
  await post(`/api/v1/persons/${id}/dues/payments`, { months: [month], amount_fen: 4568, method: 'cash' }, { as: town, status: 409 });
  await get(`/api/v1/persons/${id}/dues?year=${year}`, { status: 200 });
  await get(`/api/v1/dues/arrears?unit=${TOWN}`, { status: 200 });
  await get('/api/v1/dues/arrears?month=soon', { status: 400 });
  await get(`/api/v1/dues/publication?unit=${VILLAGE}&year=${year}`, { status: 200 });
  const xlsx = await get(`/api/v1/dues/publication?unit=${VILLAGE}&year=${year}&format=xlsx`, { status: 200 });
  assert.equal(xlsx.body.subarray(0, 2).toString(), 'PK');
  await get('/api/v1/me/dues', { status: 200 });
});

test('发展党员 and 组织关系转接', async () => {
  const orgs = await get(`/api/v1/party/orgs?unit=${VILLAGE}`, { status: 200 });
  const org = orgs.body.items[0].id;
  const other = await post('/api/v1/party/orgs', { name: '中共大杨庄村第三支部委员会', type: 'branch', unit: VILLAGE, founded_on: '2020-01-01' }, { as: town, status: 201 });
  const made = await post('/api/v1/persons', { name: '赵入党', unit: VILLAGE, sex: '女' }, { as: town, status: 201 });
  const dev = await post('/api/v1/party/cases', { kind: 'development', person: made.body.id, org, on: '2025-01-02', note: '递交入党申请书' }, { as: town, status: 201 });
  await post('/api/v1/party/cases', { kind: 'development', person: made.body.id, org }, { as: town, status: 409 });
  await post('/api/v1/party/cases', { kind: 'development', person: made.body.id }, { as: town, status: 400 });
  await post(`/api/v1/party/cases/${dev.body.id}/transitions`, { transition: 'talk', on: '2025-03-01', note: '谈话' }, { as: town, status: 400 });
  await post(`/api/v1/party/cases/${dev.body.id}/transitions`, { transition: 'talk', on: '2025-01-20', note: '谈话' }, { as: town, status: 200 });
  await get(`/api/v1/party/cases/${dev.body.id}`, { status: 200 });
  await get('/api/v1/party/cases/99999999', { status: 404 });
  await get(`/api/v1/party/cases?unit=${TOWN}&kind=development&open=1`, { as: town, status: 200 });
  await get(`/api/v1/party/cases?unit=${TOWN}&kind=nope`, { as: town, status: 400 });
  await get(`/api/v1/persons/${made.body.id}`, { status: 200 });
  const member = await post('/api/v1/persons', { name: '钱转接', unit: VILLAGE, sex: '男' }, { as: town, status: 201 });
  await post(`/api/v1/party/orgs/${org}/members`, { person: member.body.id, kind: 'party_member', stage: 'formal', from: '2015-01-01' }, { as: town, status: 201 });
  const tr = await post('/api/v1/party/cases', { kind: 'transfer', person: member.body.id, org, to_org: other.body.id }, { as: town, status: 201 });
  await post(`/api/v1/party/cases/${tr.body.id}/transitions`, { transition: 'accept' }, { as: town, status: 200 });
  await get(`/api/v1/party/cases?unit=${TOWN}&kind=transfer`, { as: town, status: 200 });
  await get('/api/v1/desk', { as: town, status: 200 });
});

test('events, attendance and compliance', async () => {
  await get('/api/v1/event-types', { status: 200 });
  const orgs = await get(`/api/v1/party/orgs?unit=${VILLAGE}`, { status: 200 });
  const org = orgs.body.items.find((o) => o.type === 'branch') ?? orgs.body.items[0];
  const person = (await get(`/api/v1/persons?unit=${VILLAGE}&limit=1`, { status: 200 })).body.items[0].id;
  const file = await call('POST', '/api/v1/files', { body: PDF, type: 'application/pdf', status: 201 });
  const made = await post('/api/v1/events', { org: org.id, type: 'theme_day', status: 'held', starts_at: '2026-03-15T09:00', topic: '三月主题党日', place: '党群服务中心',
    actions: ['dues', 'oath', 'charter', 'study', 'service'], participants: [{ person, attendance: 'present' }], files: [{ sha256: file.body.sha256, name: '签到表.pdf' }] }, { as: town, status: 201 });
  await post('/api/v1/events', { org: org.id, type: 'theme_day', status: 'held', starts_at: '2026-03-15', topic: '缺动作', actions: ['dues'] }, { as: town, status: 400 });
  const id = made.body.id;
  await get(`/api/v1/events/${id}`, { status: 200 });
  await get('/api/v1/events/99999999', { status: 404 });
  await call('PATCH', `/api/v1/events/${id}`, { body: { notes: '学习党章' }, as: town, status: 200 });
  await call('PATCH', `/api/v1/events/${id}`, { body: { type: 'talk' }, as: town, status: 400 });
  await call('PUT', `/api/v1/events/${id}/attendance`, { body: { participants: [{ person, attendance: 'leave' }] }, as: town, status: 200 });
  await call('PUT', `/api/v1/events/${id}/attendance`, { body: { participants: [{ person, attendance: 'late' }] }, as: town, status: 400 });
  await get(`/api/v1/events/${id}/files/${file.body.sha256}`, { status: 200 });
  await get(`/api/v1/events/${id}/files/${'0'.repeat(64)}`, { status: 404 });
  const list = await get(`/api/v1/events?unit=${VILLAGE}&period=2026&limit=1`, { status: 200 });
  if (list.body.next) await get(`/api/v1/events?unit=${VILLAGE}&limit=1&after=${q(list.body.next)}`, { status: 200 });
  await get(`/api/v1/events?unit=${VILLAGE}&type=nope`, { status: 400 });
  await get(`/api/v1/compliance?unit=${TOWN}&period=2026`, { status: 200 });
  await get(`/api/v1/compliance?unit=${TOWN}&period=2026-W01`, { status: 400 });
  await get(`/api/v1/persons/${person}`, { status: 200 });
});

test('the audit trail', async () => {
  const page = await get('/api/v1/audit?limit=5', { status: 200 });
  assert.equal(page.body.items.length, 5);
  await get(`/api/v1/audit?unit=${TOWN}&user=admin&since=2026-01-01&limit=3&after=${page.body.next}`, { status: 200 });
  await get(`/api/v1/audit?unit=${TOWN}`, { as: town, status: 200 });
  await get('/api/v1/audit?since=yesterday', { status: 400 });
  await get('/api/v1/audit', { as: watch, status: 403 });
});

test('residents: find the village, submit, follow and rate a request; the named list', async () => {
  const found = await get(`/api/v1/public/units?q=${q('舞阳 大杨庄')}`, { as: 'anon', status: 200 });
  assert.ok(found.body.items.some((u) => u.code === VILLAGE));
  await get('/api/v1/public/units?level=province&limit=2', { as: 'anon', status: 200 });
  await get('/api/v1/public/units', { as: 'anon', status: 400 });
  await get('/api/v1/public/units?q=x&unit=419999', { as: 'anon', status: 404 });
  await get(`/api/v1/public/ratings?unit=${COUNTY}`, { as: 'anon', status: 200 });
  await get(`/api/v1/public/ratings?unit=${VILLAGE}`, { as: 'anon', status: 400 });
  const categories = await get('/api/v1/public/categories', { as: 'anon', status: 200 });

  const submitted = await post('/api/v1/public/requests', { unit: VILLAGE, category: categories.body.items[0], description: '村东路灯不亮已一周，电话 13812345678', location: '村东', contact: '13812345678' }, { as: 'anon', status: 201 });
  const code = submitted.body.code;
  await post('/api/v1/public/requests', { unit: TOWN, category: categories.body.items[0], description: '乡镇不行' }, { as: 'anon', status: 400 });
  const status = await get(`/api/v1/public/requests/${code}`, { as: 'anon', status: 200 });
  assert.doesNotMatch(status.body.description, /13812345678/);
  await get('/api/v1/public/requests/NOSUCHCODE', { as: 'anon', status: 404 });
  await post(`/api/v1/public/requests/${code}/rating`, { rating: 5 }, { as: 'anon', status: 400 }); // not resolved yet
  const item = (await get(`/api/v1/items?unit=${VILLAGE}&type=request&limit=20`, { status: 200 })).body.items.find((i) => i.tracking_code === code);
  await post(`/api/v1/items/${item.id}/transitions`, { transition: 'accept' }, { status: 200 });
  await post(`/api/v1/items/${item.id}/transitions`, { transition: 'dispatch', assignee: '王电工' }, { status: 200 });
  await post(`/api/v1/items/${item.id}/transitions`, { transition: 'resolve', note: '已更换灯泡' }, { status: 200 });
  await post(`/api/v1/public/requests/${code}/rating`, { rating: 9 }, { as: 'anon', status: 400 });
  const rated = await post(`/api/v1/public/requests/${code}/rating`, { rating: 5, note: '很快' }, { as: 'anon', status: 200 });
  assert.equal(rated.body.rating, 5);
});

test('Open311 GeoReport v2', async () => {
  const services = await get('/open311/v2/services.json', { as: 'anon', status: 200 });
  const service = services.body[0].service_code;
  await get(`/open311/v2/services/${q(service)}.json`, { as: 'anon', status: 200 });
  await get('/open311/v2/services/nothing.json', { as: 'anon', status: 404 });
  const form = new URLSearchParams({ api_key: openKey, service_code: service, jurisdiction_id: VILLAGE, address_string: '村委会门口', description: '下水道堵塞' });
  const made = await post('/open311/v2/requests.json', form.toString(), { as: 'anon', type: 'application/x-www-form-urlencoded', status: 201 });
  const { service_request_id: id, token } = made.body[0];
  const point = new URLSearchParams({ api_key: openKey, service_code: service, jurisdiction_id: VILLAGE, lat: '33.44', long: '113.61' });
  await post('/open311/v2/requests.json', point.toString(), { as: 'anon', type: 'application/x-www-form-urlencoded', status: 201 });
  await post('/open311/v2/requests.json', new URLSearchParams({ api_key: openKey, service_code: service }).toString(), { as: 'anon', type: 'application/x-www-form-urlencoded', status: 400 });
  await post('/open311/v2/requests.json', 'service_code=x', { as: 'anon', type: 'application/x-www-form-urlencoded', status: 401 });
  const found = await get(`/open311/v2/requests.json?api_key=${q(openKey)}&jurisdiction_id=${VILLAGE}&status=open`, { as: 'anon', status: 200 });
  assert.ok(found.body.some((r) => r.service_request_id === id && r.lat === null) && found.body.some((r) => r.lat !== null));
  await get(`/open311/v2/requests.json?api_key=${q(openKey)}&status=pending`, { as: 'anon', status: 400 });
  await get('/open311/v2/requests.json', { as: 'anon', status: 401 });
  await get(`/open311/v2/requests/${id}.json?api_key=${q(openKey)}`, { as: 'anon', status: 200 });
  await get(`/open311/v2/requests/99999999.json?api_key=${q(openKey)}`, { as: 'anon', status: 404 });
  await get(`/open311/v2/tokens/${token}.json?api_key=${q(openKey)}`, { as: 'anon', status: 200 });
  await get(`/open311/v2/tokens/${token}.json`, { as: 'anon', status: 401 });
});

test('grids, contact links and visits', async () => {
  const grid = await post(`/api/v1/grids?unit=${VILLAGE}`, { name: '文档网格' }, { as: town, status: 201 });
  await post('/api/v1/grids?unit=411121100', { name: '乡镇下' }, { as: town, status: 400 });
  const other = await post(`/api/v1/grids?unit=${VILLAGE}`, { name: '文档网格二' }, { as: town, status: 201 });
  const home = await post('/api/v1/households', { unit: VILLAGE, address: '网格1号' }, { as: town, status: 201 });
  await post(`/api/v1/grids/${grid.body.code}/households`, { household: home.body.id }, { as: town, status: 201 });
  await post(`/api/v1/grids/${grid.body.code}/households`, { household: 99999999 }, { as: town, status: 404 });
  await get(`/api/v1/grids?unit=${VILLAGE}`, { status: 200 });
  await get('/api/v1/grids?unit=999999', { status: 404 });
  const p = await post('/api/v1/persons', { name: '赵联户', unit: VILLAGE, sex: '男' }, { as: town, status: 201 });
  const link = await post(`/api/v1/contacts?unit=${VILLAGE}`, { duty: 'member.household', person: p.body.id, household: home.body.id, from: '2026-01-01' }, { as: town, status: 201 });
  await post(`/api/v1/contacts?unit=${VILLAGE}`, { duty: 'nothing', person: p.body.id, from: '2026-01-01' }, { as: town, status: 400 });
  const raised = await post(`/api/v1/visits?unit=${VILLAGE}`, { person: p.body.id, household: home.body.id, day: '2026-01-05', method: 'home', needs: '路灯坏了', raise: true }, { as: town, status: 201 });
  await get(`/api/v1/items/${raised.body.case_id}`, { status: 200 });
  const mentee = await post('/api/v1/persons', { name: '钱发展', unit: VILLAGE, sex: '女' }, { as: town, status: 201 });
  await post(`/api/v1/contacts?unit=${VILLAGE}`, { duty: 'mentor.new_member', person: p.body.id, mentee: mentee.body.id, from: '2026-01-01' }, { as: town, status: 201 });
  await post(`/api/v1/visits?unit=${VILLAGE}`, { person: p.body.id, mentee: mentee.body.id, day: '2026-01-06', method: 'online' }, { as: town, status: 201 });
  const pair = await post(`/api/v1/contacts?unit=${VILLAGE}`, { duty: 'enterprise.village', person: p.body.id, target: VILLAGE, partner: '文档企业', from: '2026-01-01' }, { as: town, status: 201 });
  await post(`/api/v1/contacts/${pair.body.id}/records`, { year: 2026, projects: 1, jobs: 5, purchases: 2.5, donations: 1 }, { as: town, status: 200 });
  await post(`/api/v1/contacts/${pair.body.id}/records`, { year: 2019, projects: 1 }, { as: town, status: 400 });
  await post('/api/v1/contacts/99999999/records', { year: 2026 }, { as: town, status: 404 });
  await get(`/api/v1/contacts/pairs?unit=${VILLAGE}&year=2026`, { status: 200 });
  await get(`/api/v1/contacts/pairs?unit=${VILLAGE}&year=1999`, { status: 400 });
  await post(`/api/v1/visits?unit=${VILLAGE}`, { person: p.body.id, household: home.body.id, day: '2026-01-05', method: 'fax' }, { as: town, status: 400 });
  await get(`/api/v1/visits?unit=${VILLAGE}`, { status: 200 });
  await get(`/api/v1/visits?unit=${VILLAGE}&limit=0`, { status: 400 });
  await get(`/api/v1/contacts?unit=${VILLAGE}&period=2026`, { status: 200 });
  await get(`/api/v1/contacts?unit=${VILLAGE}&period=2026-W01`, { status: 400 });
  await post(`/api/v1/contacts/${link.body.id}/end`, { to: '2026-12-31' }, { as: town, status: 200 });
  await post(`/api/v1/contacts/${link.body.id}/end`, { to: '2026-12-31' }, { as: town, status: 409 });
  await post(`/api/v1/grids/${other.body.code}/split`, { name: '拆分', households: [home.body.id] }, { as: town, status: 400 });
  await post(`/api/v1/grids/${grid.body.code}/split`, { name: '拆分', households: [home.body.id] }, { as: town, status: 201 });
  await post(`/api/v1/grids/${other.body.code}/merge`, { into: VILLAGE }, { as: town, status: 400 });
  await post(`/api/v1/grids/${other.body.code}/merge`, { into: grid.body.code }, { as: town, status: 201 });
});

test('双随机: registries, a plan, its draw and result, the public reads', async () => {
  const items = await get('/api/v1/inspections/items', { status: 200 });
  assert.ok(items.body.items.length >= 2, 'the demo wrote the 抽查事项清单');
  const item = await post('/api/v1/inspections/items', { code: 'doc-item', name: '文档事项', basis: '文档依据', ratio_permille: 10, frequency: '每年一次' }, { status: 201 });
  await post('/api/v1/inspections/items', { code: 'doc-item', name: '重复', basis: 'x', ratio_permille: 10, frequency: '每年' }, { status: 409 });
  await call('PATCH', `/api/v1/inspections/items/${item.body.id}`, { body: { frequency: '每两年一次' }, status: 200 });
  const t1 = await post('/api/v1/inspections/targets', { name: '文档商户一', kind: '企业', unit: TOWN }, { as: town, status: 201 });
  await post('/api/v1/inspections/targets', { name: '文档商户', kind: '企业', unit: TOWN, credit_code: '123' }, { as: town, status: 400 });
  await call('PATCH', `/api/v1/inspections/targets/${t1.body.id}`, { body: { name: '文档商户甲' }, as: town, status: 200 });
  await get(`/api/v1/inspections/targets?unit=${TOWN}`, { status: 200 });
  const i1 = await post('/api/v1/inspections/inspectors', { name: '文档检查员', department: '市场监管所', unit: TOWN }, { as: town, status: 201 });
  await call('PATCH', `/api/v1/inspections/inspectors/${i1.body.id}`, { body: { department: '市场监管局' }, as: town, status: 200 });
  await post('/api/v1/inspections/links', { inspector: i1.body.id, target: t1.body.id, reason: '近亲属' }, { as: town, status: 201 });
  await post('/api/v1/inspections/links', { inspector: i1.body.id, target: t1.body.id, remove: true }, { as: town, status: 200 });
  await post('/api/v1/inspections/links', { inspector: i1.body.id, target: t1.body.id, remove: true }, { as: town, status: 404 });
  await get(`/api/v1/inspections/inspectors?unit=${COUNTY}`, { status: 200 });
  const plan = await post('/api/v1/inspections/plans', { name: '文档计划', item: item.body.id, unit: COUNTY, target_count: 2, deadline: '2099-12-31', public_value: '文档公开值' }, { status: 201 });
  await post('/api/v1/inspections/plans', { name: '坏计划', item: item.body.id, unit: COUNTY, deadline: 'tomorrow' }, { status: 400 });
  await post(`/api/v1/inspections/plans/${plan.body.id}/draw`, { public_value: '别的' }, { status: 400 });
  const drawn = await post(`/api/v1/inspections/plans/${plan.body.id}/draw`, {}, { status: 201 });
  await post(`/api/v1/inspections/plans/${plan.body.id}/draw`, {}, { status: 409 });
  await post(`/api/v1/inspections/checks/${drawn.body.checks[0].id}/result`, { result: 'no_problem', checked_on: chinaDay(0) }, { status: 200 });
  await post(`/api/v1/inspections/checks/${drawn.body.checks[1].id}/result`, { result: 'nothing', checked_on: chinaDay(0) }, { status: 400 });
  await get(`/api/v1/inspections/plans?unit=${COUNTY}`, { as: watch, status: 200 });
  await get(`/api/v1/inspections/plans/${plan.body.id}`, { status: 200 });
  await get('/api/v1/inspections/plans/99999999', { status: 404 });
  const open = await get('/api/v1/public/inspections', { as: 'anon', status: 200 });
  assert.ok(open.body.items.length >= 3, 'the two plans of the demo and this one');
  await get(`/api/v1/public/inspections/plans/${plan.body.id}`, { as: 'anon', status: 200 });
  await get('/api/v1/public/inspections/plans/99999999', { as: 'anon', status: 404 });
  const v = await get(`/api/v1/public/inspections/draws/${drawn.body.draw.id}/verify`, { as: 'anon', status: 200 });
  assert.equal(v.body.same, true);
  await get('/api/v1/public/inspections/draws/99999999/verify', { as: 'anon', status: 404 });
});

test('微项目: list, create, get, wishes, participants, the public list', async () => {
  const list = await get(`/api/v1/microprojects?unit=${TOWN}`, { status: 200 });
  assert.ok(list.body.items.length >= 1, 'the demo wrote micro-projects');
  const made = await post('/api/v1/microprojects', { unit: VILLAGE, title: '文档微项目', budget: 3000 }, { status: 201 });
  await post('/api/v1/microprojects', { unit: VILLAGE, title: '坏预算', budget: 0 }, { status: 400 });
  await get(`/api/v1/microprojects/${made.body.id}`, { status: 200 });
  await get('/api/v1/microprojects/99999999', { status: 404 });
  await post(`/api/v1/microprojects/${made.body.id}/participants`, { kind: 'enterprise', name: '文档企业', count: 3 }, { status: 201 });
  await post(`/api/v1/microprojects/${made.body.id}/participants`, { kind: 'alien', name: '文档', count: 3 }, { status: 400 });
  await post(`/api/v1/microprojects/${made.body.id}/wishes`, { wishes: [99999999] }, { status: 400 });
  const held = list.body.items.find((p) => p.wish_count > 0);
  if (held) { // a wish another project of its village holds: 409
    const other = await post('/api/v1/microprojects', { unit: held.unit.code, title: '文档微项目二', budget: 3000 }, { status: 201 });
    const wish = (await get(`/api/v1/microprojects/${held.id}`, { status: 200 })).body.wishes[0].id;
    await post(`/api/v1/microprojects/${other.body.id}/wishes`, { wishes: [wish] }, { status: 409 });
  }
  await get(`/api/v1/public/microprojects?unit=${TOWN}`, { as: 'anon', status: 200 });
  await get('/api/v1/public/microprojects?unit=999999999999', { as: 'anon', status: 404 });
});

test('the answers checked cover the API, errors included', (t) => {
  const ops = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
  const missing = ops.filter((id) => !answered.has(id));
  const errors = [...answered.values()].reduce((n, s) => n + [...s].filter((x) => x >= 400).length, 0);
  t.diagnostic(`${answered.size} of ${ops.length} operations answered and checked; ${errors} error statuses; not exercised: ${missing.join(', ') || 'none'}`);
  assert.ok(answered.size >= 30, `only ${answered.size} operations checked`);
  assert.ok([...answered.values()].filter((s) => [...s].some((x) => x >= 400)).length >= 30, 'error answers of at least 30 operations');
});
