// HTTP behaviour shared by every route: errors, methods, headers, the
// static UI, traversal attempts and malformed requests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, api } from '../lib/server.js';

let srv;
before(async () => {
  srv = await startServer({ provinces: ['41'] });
});
after(() => srv.stop());

// Sends bytes exactly as given (no URL normalisation) and returns the
// status line and the whole response text.
function raw(request) {
  const { hostname, port } = new URL(srv.url);
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: hostname, port: Number(port) }, () => sock.end(request));
    let data = '';
    sock.setEncoding('latin1');
    sock.on('data', (d) => (data += d));
    sock.on('end', () => resolve({ status: Number(data.split(' ')[1]), text: data }));
    sock.on('error', reject);
    sock.setTimeout(10000, () => reject(new Error('timeout')));
  });
}

test('unknown API paths are JSON 404s', async () => {
  for (const p of ['/api/v1/nope', '/api/v1/units/41/nope', '/api', '/api/v2/health', '/api/v1/health/']) {
    const r = await srv.api(p);
    assert.equal(r.status, 404, p);
    assert.equal(r.body.error.code, 'not_found');
    assert.ok(r.body.error.message.length > 0);
  }
});

test('wrong methods are 405 with an Allow header', async () => {
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    const r = await srv.api('/api/v1/units/41', { method });
    assert.equal(r.status, 405, method);
    assert.equal(r.body.error.code, 'method_not_allowed');
    assert.equal(r.headers.get('allow'), 'GET, HEAD');
  }
  const page = await srv.api('/', { method: 'POST' });
  assert.equal(page.status, 405);
});

test('HEAD answers like GET without a body', async () => {
  const r = await fetch(srv.url + '/api/v1/units/41', { method: 'HEAD', headers: { Authorization: `Bearer ${srv.token}` } });
  assert.equal(r.status, 200);
  assert.equal(await r.text(), '');
});

test('security headers on every response', async () => {
  for (const p of ['/', '/api/v1/health', '/api/v1/units/4x', '/api/v1/me', '/missing']) {
    const r = await fetch(srv.url + p);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', p);
    assert.equal(r.headers.get('x-frame-options'), 'DENY', p);
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer', p);
    assert.match(r.headers.get('content-security-policy'), /default-src 'self'/, p);
    assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/, p);
  }
});

test('the web UI is served with revalidation', async () => {
  const r = await fetch(srv.url + '/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/html/);
  assert.match(await r.text(), /<html lang="zh-CN"/);
  const etag = r.headers.get('etag');
  assert.ok(etag);
  const again = await fetch(srv.url + '/', { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  assert.equal((await fetch(srv.url + '/index.html')).status, 200);
  assert.equal((await fetch(srv.url + '/no-such-page.html')).status, 404);
});

test('traversal attempts never escape the embedded files', async () => {
  for (const p of [
    '/../../../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/..%2f..%2f..%2fetc%2fpasswd',
    '/%252e%252e/etc/passwd',
    '//etc/passwd',
    '/./index.html/../../src/cli/main.c',
    '/index.html%00.js',
    '/CMakeLists.txt',
    '/web/index.html',
  ]) {
    const r = await raw(`GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.ok(r.status === 404 || r.status === 400, `${p} → ${r.status}`);
    assert.doesNotMatch(r.text, /root:|#include/, p);
  }
});

test('malformed requests get a 4xx and the server keeps serving', async () => {
  const bad = [
    'GARBAGE\r\n\r\n',
    'GET\r\n\r\n',
    'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
    'GET /api/v1/health HTTP/1.1\r\n' + 'X-Long: ' + 'a'.repeat(100000) + '\r\n\r\n',
    'POST /api/v1/units/41 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nab',
    'GET /api/v1/units/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /api/v1/units?q=%ZZ HTTP/1.1\r\nHost: x\r\n\r\n',
  ];
  for (const req of bad) {
    const r = await raw(req).catch(() => ({ status: 0 }));
    // a closed connection (no status) is fine; 505 is the answer to an unknown HTTP version
    const ok = !(r.status >= 500) || (r.status === 505 && req.includes('HTTP/9.9'));
    assert.ok(ok, `${JSON.stringify(req.slice(0, 40))} → ${r.status}`);
  }
  const health = await srv.api('/api/v1/health');
  assert.equal(health.status, 200);
});

test('an oversized body is 413 and nothing is read past the limit', async () => {
  const r = await srv.api('/api/v1/units/41', { method: 'POST', body: 'x'.repeat(9 * 1024 * 1024) });
  assert.equal(r.status, 413);
  assert.equal(r.body.error.code, 'too_large');
});

// The head alone, with a declared length above max_body and no body at all:
// the answer must come without the server waiting for (or inviting) the body.
test('a declared Content-Length above max_body is refused before the body is read', async () => {
  const { hostname, port } = new URL(srv.url);
  for (const expect of ['', 'Expect: 100-continue\r\n']) {
    const t0 = performance.now();
    const text = await new Promise((resolve, reject) => {
      const sock = net.connect({ host: hostname, port: Number(port) }, () =>
        sock.write(`POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${expect}` +
          `Content-Length: ${1024 * 1024 * 1024}\r\n\r\n`));
      let data = '';
      sock.setEncoding('latin1');
      sock.on('data', (d) => {
        data += d;
        if (data.includes('}}')) sock.destroy();
      });
      sock.on('close', () => resolve(data));
      sock.on('error', reject);
      setTimeout(() => { sock.destroy(); resolve(data); }, 3000);
    });
    assert.match(text, /^HTTP\/1\.1 413 /, JSON.stringify(text.slice(0, 80)));
    assert.doesNotMatch(text, /100 Continue/);
    assert.match(text, /"too_large"/);
    assert.ok(performance.now() - t0 < 2000, 'answered at once');
  }
});

test('many concurrent requests are all answered', async () => {
  const codes = ['41', '4111', '411121', '411121100', '411121100201'];
  const results = await Promise.all(
    Array.from({ length: 300 }, (_, i) => srv.api('/api/v1/units/' + codes[i % codes.length])),
  );
  assert.ok(results.every((r) => r.status === 200));
  assert.ok(results.every((r, i) => r.body.code === codes[i % codes.length]));
});
