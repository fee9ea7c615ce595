// The first load, in real Chromium on loopback: the login page and 工作台
// (the landing page after signing in) from a cold cache — what crosses the
// wire (compressed bytes, counted by Chromium's network layer), how many
// requests, no ECharts (only pages with charts load it) — and the second
// visit, where the assets come from the cache and index.html is a 304.
//
// Bytes and request counts are asserted, and compared with the same page
// loaded without compression in the same run (a reference the machine's
// load cannot skew). The time to the page being drawn is measured inside
// the page (performance.now() when its heading appears) and reported. The
// requirement, ≤ 1 s, is asserted on the best of three cold loads when the
// machine has CPU to spare (load average below its cores); on a machine
// busier than that (shared CI), milliseconds measure the neighbours, so
// only 3 s is asserted and the figure reported.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { startServer, addUser } from '../lib/server.js';
import { launch, SHOTS, DESKTOP } from './browser.js';

let srv;
let browser;
let password;

// Limits for what a cold load may transfer (headers included). Measured
// at 38 KB in 23 requests (login) and 47 KB in 37 (工作台) with gzip,
// 89 and 99 KB without; the limits leave room for the UI to grow a little.
const LOGIN_LIMIT = 60 * 1024;
const DESK_LIMIT = 70 * 1024;
const REQUEST_LIMIT = 45;

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  password = addUser(srv.dataDir, 'wuquan', 'township_admin', '411121100');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

// Records every request the page's network layer finishes: URL, status,
// bytes received (headers and compressed body), served from the cache.
async function recorder(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const seen = new Map();
  cdp.on('Network.requestWillBeSent', (e) => seen.set(e.requestId, { url: e.request.url, start: e.timestamp, bytes: 0, status: 0, cached: false }));
  cdp.on('Network.responseReceived', (e) => {
    const r = seen.get(e.requestId);
    if (r) Object.assign(r, { status: e.response.status, cached: r.cached || e.response.fromDiskCache, encoding: e.response.headers['Content-Encoding'] ?? e.response.headers['content-encoding'] });
  });
  // The status on the wire (a revalidated answer is reported above as the
  // cached 200 it confirmed; this says 304).
  cdp.on('Network.responseReceivedExtraInfo', (e) => {
    const r = seen.get(e.requestId);
    if (r) r.wire = e.statusCode;
  });
  cdp.on('Network.requestServedFromCache', (e) => {
    const r = seen.get(e.requestId);
    if (r) r.cached = true;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = seen.get(e.requestId);
    if (r) r.bytes = e.encodedDataLength;
  });
  return {
    cdp,
    all: () => [...seen.values()],
    network: () => [...seen.values()].filter((r) => !r.cached && !r.url.startsWith('data:')),
    reset: () => seen.clear(),
  };
}

// In the page from its first script: the time the heading `text` appears.
function markWhenDrawn(page, text) {
  return page.addInitScript((heading) => {
    new MutationObserver((_, observer) => {
      const h1 = document.querySelector('#main h1');
      if (h1 && h1.textContent.includes(heading)) {
        window.__drawnAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true, characterData: true });
  }, text);
}

// One cold load of `hash` in a fresh context (empty cache), signed in or
// not; identity: ask for uncompressed answers (the reference).
async function coldLoad({ hash, heading, signedIn, identity = false, keep = false }) {
  // HTTP caching alone: the service worker (its cache, tests/ui/offline.test.js)
  // would answer the second visit itself and add its own fetches.
  const context = await browser.newContext({ ...DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', serviceWorkers: 'block' });
  if (signedIn) {
    const res = await context.request.post(srv.url + '/api/v1/session', { data: { username: 'wuquan', password } });
    assert.equal(res.status(), 200);
  }
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  const net = await recorder(page);
  if (identity) await net.cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
  await markWhenDrawn(page, heading);
  await page.goto(`${srv.url}/${hash}`);
  await page.waitForFunction(() => window.__drawnAt !== undefined, null, { timeout: 10000 });
  await page.waitForLoadState('networkidle');
  const drawnAt = await page.evaluate(() => window.__drawnAt);
  const requests = net.network();
  const result = {
    ms: Math.round(drawnAt),
    bytes: requests.reduce((sum, r) => sum + r.bytes, 0),
    count: requests.length,
    requests,
    problems,
  };
  if (keep) return { ...result, context, page, net };
  await context.close();
  return result;
}

async function check({ name, hash, heading, signedIn, limit }) {
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await coldLoad({ hash, heading, signedIn }));
  const reference = await coldLoad({ hash, heading, signedIn, identity: true });
  const best = Math.min(...runs.map((r) => r.ms));
  const first = runs[0];
  console.log(`# ${name}: cold load ${runs.map((r) => r.ms).join(' / ')} ms (best ${best} ms), ` +
    `${first.count} requests, ${(first.bytes / 1024).toFixed(1)} KB transferred; ` +
    `without compression ${(reference.bytes / 1024).toFixed(1)} KB (${reference.ms} ms)`);
  for (const run of runs) {
    assert.deepEqual(run.problems, []);
    assert.equal(run.requests.filter((r) => /echarts/.test(r.url)).length, 0, 'ECharts is not loaded');
    assert.ok(run.bytes <= limit, `${name}: ${run.bytes} bytes transferred, limit ${limit}`);
    assert.ok(run.count <= REQUEST_LIMIT, `${name}: ${run.count} requests`);
    assert.ok(run.requests.every((r) => r.status === 200 || r.status === 401), JSON.stringify(run.requests.filter((r) => r.status !== 200 && r.status !== 401)));
  }
  // Every script and stylesheet came gzipped, from a versioned address.
  for (const r of first.requests.filter((x) => /\.(js|css)$/.test(x.url))) {
    assert.equal(r.encoding, 'gzip', r.url);
    assert.match(new URL(r.url).pathname, /^\/v\/[0-9a-f]{12}\//, r.url);
  }
  // The same requests without compression weigh twice as much (headers,
  // the same either way, are a good part of a small file's answer).
  assert.equal(reference.count, first.count);
  assert.ok(first.bytes * 2 < reference.bytes, `gzip ${first.bytes} B against identity ${reference.bytes} B`);
  // Every module was asked for at once (index.html preloads them): none
  // waits for another to arrive before it is requested.
  const firstApi = Math.min(...first.requests.filter((r) => r.url.includes('/api/')).map((r) => r.start));
  const late = first.requests.filter((r) => r.url.endsWith('.js') && r.start > firstApi);
  assert.deepEqual(late.map((r) => r.url), [], 'modules requested after the first API call');
  const load = os.loadavg()[0] / os.cpus().length;
  const budget = load < 1 ? 1000 : 3000;
  console.log(`# ${name}: load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores: asserting ≤ ${budget} ms`);
  assert.ok(best <= budget, `${name}: best cold load ${best} ms, the requirement is ≤ 1 s`);
  return first;
}

test('the login page loads cold in under a second, compressed, without ECharts', async () => {
  await check({ name: '登录页', hash: '', heading: '登录', signedIn: false, limit: LOGIN_LIMIT });
});

test('工作台 after signing in loads cold in under a second, compressed, without ECharts', async () => {
  await check({ name: '工作台', hash: '#/desk', heading: '工作台', signedIn: true, limit: DESK_LIMIT });
});

test('the second visit: assets from the cache, index.html revalidated (304)', async () => {
  const cold = await coldLoad({ hash: '#/desk', heading: '工作台', signedIn: true, keep: true });
  const { context, page, net } = cold;
  await page.goto('about:blank');
  net.reset();
  await page.goto(`${srv.url}/#/desk`);
  await page.waitForFunction(() => window.__drawnAt !== undefined);
  await page.waitForLoadState('networkidle');
  const warm = net.network();
  const drawnAt = await page.evaluate(() => window.__drawnAt);
  const statics = warm.filter((r) => !new URL(r.url).pathname.startsWith('/api/'));
  console.log(`# 工作台, second visit: ${Math.round(drawnAt)} ms, ${warm.length} requests over the network ` +
    `(${statics.length} for the UI), ${(warm.reduce((s, r) => s + r.bytes, 0) / 1024).toFixed(1)} KB`);
  // Only the page itself went to the server, and came back 304.
  assert.deepEqual(statics.map((r) => [new URL(r.url).pathname, r.wire]), [['/', 304]]);
  assert.ok(statics[0].bytes < 700, `a 304 carries headers only: ${statics[0].bytes} B`);
  const fromCache = net.all().filter((r) => r.cached && /\/v\/[0-9a-f]{12}\//.test(r.url));
  assert.ok(fromCache.length >= 10, `assets from the cache: ${fromCache.length}`);
  assert.ok(warm.reduce((s, r) => s + r.bytes, 0) < cold.bytes / 5);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-desk-warm.png') });
  await context.close();
});
