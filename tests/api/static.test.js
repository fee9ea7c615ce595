// The embedded web UI's delivery: gzip to clients that accept it and the
// same bytes as they are to the others, versioned asset addresses cached
// for ever, index.html and bare names revalidated with ETag → 304, and
// only GET/HEAD. node:http (not fetch) so nothing is decompressed or
// cached behind the test's back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer, ROOT } from '../lib/server.js';

let srv;
before(async () => {
  srv = await startServer({ provinces: ['41'] });
});
after(() => srv.stop());

function get(path, headers = {}, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request(srv.url + path, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

async function version() {
  const page = (await get('/')).body.toString();
  const m = page.match(/src="v\/([0-9a-f]{12})\/app\.js"/);
  assert.ok(m, 'index.html names app.js under v/VERSION/');
  assert.doesNotMatch(page, /@VERSION@/);
  return m[1];
}

test('gzip when accepted, identity when not, each with its own ETag', async () => {
  const plain = await get('/');
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.headers.vary, 'Accept-Encoding');
  const zipped = await get('/', { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.equal(zipped.headers.vary, 'Accept-Encoding');
  assert.deepEqual(zlib.gunzipSync(zipped.body), plain.body);
  assert.ok(zipped.body.length < plain.body.length);
  assert.equal(Number(zipped.headers['content-length']), zipped.body.length);
  assert.notEqual(zipped.headers.etag, plain.headers.etag);
  // What Accept-Encoding says, read as RFC 9110 reads it.
  for (const [ae, gz] of [
    ['gzip', true], ['GZIP', true], ['x-gzip', true], ['*', true], ['br;q=1, gzip;q=0.5', true],
    ['gzip;q=0', false], ['gzip; q=0.0, *', false], ['*;q=0', false], ['br', false], ['identity', false], ['', false],
  ]) {
    const r = await get('/', { 'Accept-Encoding': ae });
    assert.equal(r.headers['content-encoding'], gz ? 'gzip' : undefined, `Accept-Encoding: ${ae}`);
    assert.deepEqual(gz ? zlib.gunzipSync(r.body) : r.body, plain.body, ae);
  }
  // ECharts, the largest file, shrinks to about a third.
  const v = await version();
  const big = await get(`/v/${v}/vendor/echarts.min.js`);
  const small = await get(`/v/${v}/vendor/echarts.min.js`, { 'Accept-Encoding': 'gzip' });
  assert.equal(small.headers['content-encoding'], 'gzip');
  assert.ok(small.body.length < big.body.length * 0.4, `${small.body.length} of ${big.body.length}`);
  assert.deepEqual(zlib.gunzipSync(small.body), big.body);
});

test('versioned assets are immutable; index.html and bare names revalidate', async () => {
  const v = await version();
  const index = await get('/');
  assert.equal(index.headers['cache-control'], 'no-cache');
  assert.match(index.headers['content-type'], /text\/html/);
  for (const name of ['app.js', 'style.css', 'icon.svg', 'icons/desk.svg', 'views/desk.js', 'vendor/echarts.min.js']) {
    const r = await get(`/v/${v}/${name}`, { 'Accept-Encoding': 'gzip' });
    assert.equal(r.status, 200, name);
    assert.equal(r.headers['cache-control'], IMMUTABLE, name);
    const bare = await get(`/${name}`);
    assert.equal(bare.status, 200, name);
    assert.equal(bare.headers['cache-control'], 'no-cache', name);
    assert.ok(bare.headers.etag, name);
  }
  assert.match((await get(`/v/${v}/app.js`)).headers['content-type'], /text\/javascript/);
  assert.match((await get(`/v/${v}/style.css`)).headers['content-type'], /text\/css/);
  // A page still open from an older build asks for its version: served,
  // but not cached for ever (it is today's file, not that build's).
  const old = await get('/v/000000000000/app.js');
  assert.equal(old.status, 200);
  assert.equal(old.headers['cache-control'], 'no-cache');
  // index.html is never immutable, whatever the address.
  assert.equal((await get(`/v/${v}/index.html`)).headers['cache-control'], 'no-cache');
  for (const p of ['/v/', `/v/${v}`, `/v/${v}/`, `/v/${v}/nope.js`, `/v/${v}/v/${v}/app.js`]) {
    const r = await get(p);
    assert.ok(r.status === 404 || (p === `/v/${v}/` && r.status === 200), `${p} → ${r.status}`);
  }
});

test('ETag and If-None-Match → 304 without a body, per encoding', async () => {
  const v = await version();
  for (const path of ['/', '/index.html', '/app.js', `/v/${v}/app.js`]) {
    for (const ae of ['gzip', 'identity']) {
      const first = await get(path, { 'Accept-Encoding': ae });
      const etag = first.headers.etag;
      assert.match(etag, /^"[0-9a-f]{16}(-gz)?"$/, path);
      const again = await get(path, { 'Accept-Encoding': ae, 'If-None-Match': etag });
      assert.equal(again.status, 304, `${path} ${ae}`);
      assert.equal(again.body.length, 0);
      assert.equal(again.headers.etag, etag);
      assert.ok(again.headers['cache-control']);
      // A list, a weak form and * match too; another ETag does not.
      assert.equal((await get(path, { 'Accept-Encoding': ae, 'If-None-Match': `"0000000000000000", ${etag}` })).status, 304);
      assert.equal((await get(path, { 'Accept-Encoding': ae, 'If-None-Match': `W/${etag}` })).status, 304);
      assert.equal((await get(path, { 'Accept-Encoding': ae, 'If-None-Match': '*' })).status, 304);
      assert.equal((await get(path, { 'Accept-Encoding': ae, 'If-None-Match': '"0000000000000000"' })).status, 200);
    }
    // The gzip form's ETag does not validate the identity form.
    const gzTag = (await get(path, { 'Accept-Encoding': 'gzip' })).headers.etag;
    const other = await get(path, { 'If-None-Match': gzTag });
    assert.equal(other.status, 200, path);
    assert.equal(other.headers['content-encoding'], undefined);
  }
});

test('only GET and HEAD; HEAD has the headers and no body', async () => {
  const v = await version();
  for (const path of ['/', '/index.html', `/v/${v}/app.js`, '/style.css']) {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const r = await get(path, { 'Content-Length': '0' }, method);
      assert.equal(r.status, 405, `${method} ${path}`);
      assert.equal(r.headers.allow, 'GET, HEAD');
      assert.match(JSON.parse(r.body).error.message, /网页只支持 GET 和 HEAD/);
    }
    const head = await get(path, { 'Accept-Encoding': 'gzip' }, 'HEAD');
    assert.equal(head.status, 200, path);
    assert.equal(head.body.length, 0);
    assert.equal(head.headers['content-encoding'], 'gzip');
    assert.ok(head.headers.etag);
  }
});

// The modules a static import reaches from `entries` (paths relative to web/).
function closure(entries) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = fs.readFileSync(path.join(ROOT, 'web', file), 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?(?:from\s*)?'(\.{1,2}\/[^']+)'/gm)) {
      visit(path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1])));
    }
  };
  entries.forEach(visit);
  return seen;
}

test('index.html preloads every module of the first page, no more', async () => {
  const page = fs.readFileSync(path.join(ROOT, 'web/index.html'), 'utf8');
  const preloaded = [...page.matchAll(/<link rel="modulepreload" href="v\/@VERSION@\/([^"]+)">/g)].map((m) => m[1]);
  const needed = closure(['app.js', 'views/login.js', 'views/desk.js']);
  needed.delete('app.js'); // the <script> itself
  assert.deepEqual([...preloaded].sort(), [...needed].sort(),
    'the modulepreload links of web/index.html must list what app.js, views/login.js and views/desk.js import');
  assert.equal(new Set(preloaded).size, preloaded.length);
  // Served under the version, like everything else.
  const v = await version();
  const served = (await get('/')).body.toString();
  for (const file of preloaded) assert.ok(served.includes(`href="v/${v}/${file}"`), file);
});
