// offline.mjs — issue 18's two figures, measured on a release build:
//
// 1. Syncing BENCH_OFFLINE_RECORDS (500) queued visits over loopback: the
//    real outbox (web/offline/outbox.js) in headless Chromium, filled while
//    offline, timed from the online event to the last record 已同步 (target
//    ≤ 5 s). The visits go in turn to BENCH_OFFLINE_HOUSEHOLDS (50)
//    households of the worker's grid, a day's round: the outbox sends the
//    visits of one household in order and up to 5 households at once (1
//    household: all in one lane, one after another). References, same run:
//    the same POST /api/v1/visits with Idempotency-Keys from node, one after
//    another (the floor the server sets for the one-lane order) and 5 at a
//    time (the floor for the outbox's 5 lanes).
// 2. The app shell's compressed size: every file the service worker caches
//    on install (index.html and the modules of the grid worker's pages, read
//    back from its cache), fetched with Accept-Encoding: gzip, bytes on the
//    wire summed (target ≤ 300 KB). Each file is listed.
//
//   JICENG_BIN=build-r/jiceng node bench/offline.mjs [RESULTS.md]
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { startServer, login } from '../tests/lib/server.js';
import { launch, openPage, signIn, PHONE } from '../tests/ui/browser.js';
import { V1, seedGrid, addHouseholds, visitBody, enqueueVisits, waitSynced, visitCounts } from '../tests/ui/offline_helpers.js';

const N = Number(process.env.BENCH_OFFLINE_RECORDS || 500);
const HOUSEHOLDS = Number(process.env.BENCH_OFFLINE_HOUSEHOLDS || 50);
const WIDTH = 5; // LANES in web/offline/outbox.js
const out = [];
const say = (line) => { console.log(line); out.push(line); };

const srv = await startServer();
const browser = await launch();
const fakeT = { after: () => {} };
try {
  const seed = await seedGrid(srv);
  const homes = [seed.home, ...await addHouseholds(seed, HOUSEHOLDS - 1)];
  // References: the same writes straight from node, one after another and
  // WIDTH at a time.
  const session = await login(srv.url, 'wangge', seed.pw);
  const post = async (tag, i) => {
    const r = await fetch(`${srv.url}/api/v1/visits?unit=${V1}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: session.cookie, 'X-CSRF-Token': session.csrf, 'Idempotency-Key': randomUUID() },
      body: JSON.stringify(visitBody({ tag, person: seed.person, homes }, i)),
    });
    if (r.status !== 201) throw new Error(`reference POST: ${r.status} ${await r.text()}`);
  };
  let t0 = performance.now();
  for (let i = 0; i < N; i++) await post('参照', i);
  const reference = performance.now() - t0;
  t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: WIDTH }, async () => {
    while (next < N) await post('参照并发', next++);
  }));
  const referenceWide = performance.now() - t0;

  const { page, context } = await openPage(browser, fakeT, { ...PHONE, serviceWorkers: 'block' });
  await signIn(context, srv.url, 'wangge', seed.pw);
  await page.goto(srv.url + '/#/field');
  await page.getByRole('heading', { level: 1, name: '网格工作台' }).waitFor();
  await context.setOffline(true);
  await enqueueVisits(page, { n: N, tag: '基准', person: seed.person, homes });
  t0 = performance.now();
  await context.setOffline(false);
  const states = await waitSynced(page, 300000);
  const sync = performance.now() - t0;
  const arrived = await visitCounts(srv, '基准');
  const once = arrived.size === N && [...arrived.values()].every((n) => n === 1);
  say(`| sync ${N} queued visits to ${HOUSEHOLDS} households, outbox in Chromium (s) | ${(sync / 1000).toFixed(2)} | ${(reference / 1000).toFixed(2)} node, one by one; ${(referenceWide / 1000).toFixed(2)} node, ${WIDTH} at a time | ≤ 5 s | ${sync <= 5000 ? 'met' : '**MISSED**'} |`);
  say(`| each exactly once on the server | ${once ? 'yes' : 'NO'} (${JSON.stringify(states)}) | | | ${once ? 'met' : '**MISSED**'} |`);

  // The shell: what sw.js cached on install.
  await context.close();
  const ctx2 = await browser.newContext({ ...PHONE });
  const p2 = await ctx2.newPage();
  await signIn(ctx2, srv.url, 'wangge', seed.pw);
  await p2.goto(srv.url + '/');
  await p2.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  const urls = await p2.evaluate(async () => {
    const name = (await caches.keys()).find((k) => k.startsWith('jiceng-shell-'));
    return (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
  });
  let total = 0;
  const rows = [];
  for (const u of urls.sort()) {
    const r = await fetch(srv.url + u, { headers: { 'Accept-Encoding': 'gzip' } });
    const wire = Number(r.headers.get('content-length') ?? (await r.arrayBuffer()).byteLength);
    total += wire;
    rows.push(`${u.replace(/^\/v\/[^/]+\//, '')} ${wire}`);
  }
  say(`| app shell, ${urls.length} files cached by sw.js, gzip bytes on the wire (KB) | ${(total / 1024).toFixed(1)} | | ≤ 300 KB | ${total <= 300 * 1024 ? 'met' : '**MISSED**'} |`);
  say(`files: ${rows.join(', ')}`);
  await ctx2.close();
} finally {
  await browser.close();
  await srv.stop();
}
if (process.argv[2]) fs.appendFileSync(process.argv[2], out.join('\n') + '\n');
