// The grid worker's app offline, in real Chromium on a phone-size screen
// (issue 18): 网格工作台 is their landing page; the app opens offline after a
// reload (service worker) with their data; a day's work recorded offline
// (visits, a hazard with a photo, a request) arrives exactly once; a flaky
// network (requests refused, answers lost after the server wrote) still
// ends with every record exactly once; killing the server with SIGKILL in
// the middle of a sync and starting it again on the same data loses
// nothing and doubles nothing; a household edited offline while someone
// else changed it shows both versions and the worker chooses; the records
// of one subject (a request's progress notes) arrive in the order made
// while other subjects' go at the same time, and a conflict holds back
// only its own subject's later records.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { startServer, BIN, api, freshDataDir, tokenFor, chinaDay } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, PHONE } from './browser.js';
import { V1, seedGrid, addHouseholds, enqueueVisits, outboxStates, waitSynced, visitCounts, freePort } from './offline_helpers.js';

let srv;
let browser;
let seed;

before(async () => {
  srv = await startServer();
  seed = await seedGrid(srv);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const heading = (page, name) => page.getByRole('heading', { level: 1, name });
// A tiny PNG (1×1, red) as a "photo" from the camera.
const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

async function items(type) {
  const r = await srv.api(`/api/v1/items?unit=${V1}&type=${type}&limit=100`);
  assert.equal(r.status, 200);
  return r.body.items;
}

test('网格工作台 opens offline after a reload, with the worker\'s cached data', async (t) => {
  const { page, context, problems } = await openPage(browser, t, PHONE);
  await signIn(context, srv.url, 'wangge', seed.pw);
  await page.goto(srv.url + '/');
  await heading(page, '网格工作台').waitFor();
  assert.match(page.url(), /#\/field$/, 'the grid worker lands on 网格工作台');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.reload(); // now under the service worker: every answer cached
  await heading(page, '网格工作台').waitFor();
  await page.locator('[data-household]').first().waitFor();
  assert.ok(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), 'the page is controlled by sw.js');

  // Changed on the server while the phone is offline: the phone shows its copy.
  const r = await seed.send('/api/v1/households', { unit: seed.grid, address: '西街 1 号' });
  assert.equal(r.status, 201);
  await context.setOffline(true);
  await page.reload();
  await heading(page, '网格工作台').waitFor();
  await page.getByText('当前离线').waitFor();
  await page.locator('[data-household]').first().waitFor();
  const list = await page.locator('.field-list').allInnerTexts();
  assert.match(list.join('\n'), /东街 8 号/);
  assert.doesNotMatch(list.join('\n'), /西街 1 号/, 'offline, the list is the cached copy');
  await page.screenshot({ path: path.join(SHOTS, 'phone-field-offline.png'), fullPage: true });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width}px wide on a phone`);
  await context.setOffline(false);
  await page.reload();
  await page.getByText('西街 1 号').waitFor();
  assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|net::/.test(p)), []);
});

test('a day\'s work recorded offline arrives exactly once', async (t) => {
  const { page, context } = await openPage(browser, t, PHONE);
  await signIn(context, srv.url, 'wangge', seed.pw);
  await page.goto(srv.url + '/#/field');
  await heading(page, '网格工作台').waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.reload(); // under the service worker: the pages and lists it keeps
  await page.locator('.field-report').waitFor();
  await page.locator('[data-household]').first().waitFor();
  await page.goto(srv.url + '/#/visit');
  await heading(page, '走访').waitFor();
  await page.locator('.visit-form form').waitFor();
  await context.setOffline(true);
  const form = page.locator('.visit-form form');
  for (const text of ['离线日 走访一', '离线日 走访二']) {
    await form.getByLabel('了解到的情况').fill(text);
    await form.getByRole('button', { name: '保存走访' }).click();
    await page.getByText(/已存在手机上/).waitFor();
  }
  await page.goto(srv.url + '/#/field');
  await heading(page, '网格工作台').waitFor();
  const report = page.locator('.field-report');
  await report.waitFor();
  await report.getByLabel('标题').fill('离线日 楼道堆放杂物');
  await report.getByLabel('地点').fill('东街 8 号楼道');
  await report.getByLabel('现场照片').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PHOTO });
  await report.getByRole('button', { name: '保存' }).click();
  await page.getByText(/已保存「离线日 楼道堆放杂物」/).waitFor();
  await report.getByLabel('类别').selectOption('request');
  await report.getByLabel('标题').fill('离线日 路灯不亮');
  await report.getByRole('button', { name: '保存' }).click();
  await page.getByText(/已保存「离线日 路灯不亮」/).waitFor();
  await page.locator('.outbox-summary').filter({ hasText: '待同步 4' }).waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'phone-field-outbox-pending.png'), fullPage: true });
  assert.equal((await visitCounts(srv, '离线日')).size, 0, 'nothing reached the server offline');

  await context.setOffline(false); // the online event starts the sync
  await page.locator('.outbox-summary').filter({ hasText: '已同步 4' }).waitFor({ timeout: 30000 });
  await page.screenshot({ path: path.join(SHOTS, 'phone-field-outbox-synced.png'), fullPage: true });
  await page.getByRole('button', { name: '立即同步' }).click(); // nothing more to send
  await page.reload();
  await heading(page, '网格工作台').waitFor();
  const visits = await visitCounts(srv, '离线日');
  assert.deepEqual([...visits.entries()].sort(), [['离线日 走访一', 1], ['离线日 走访二', 1]]);
  const hazards = (await items('hazard')).filter((x) => x.title === '离线日 楼道堆放杂物');
  assert.equal(hazards.length, 1);
  const detail = await srv.api(`/api/v1/items/${hazards[0].id}`);
  const photos = detail.body.timeline.flatMap((e) => e.files ?? []);
  assert.equal(photos.length, 1, 'the photo, uploaded first, is attached once');
  assert.equal(photos[0].type, 'image/jpeg', 'resized on the phone to a JPEG');
  assert.equal((await items('request')).filter((x) => x.title === '离线日 路灯不亮').length, 1);
});

test('a flaky network still ends with every record exactly once', async (t) => {
  const { page, context } = await openPage(browser, t, { ...PHONE, serviceWorkers: 'block' });
  await signIn(context, srv.url, 'wangge', seed.pw);
  await page.goto(srv.url + '/#/field');
  await heading(page, '网格工作台').waitFor();
  let refused = 0;
  let lost = 0;
  let seeded = 7;
  const random = () => ((seeded = (seeded * 1103515245 + 12345) % 2147483648) / 2147483648);
  await page.route('**/api/v1/visits**', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const roll = random();
    if (roll < 0.3) {
      refused++;
      return route.abort('connectionreset'); // never reached the server
    }
    if (roll < 0.6) {
      lost++;
      await route.fetch(); // the server wrote it…
      return route.abort('timedout'); // …and the answer was lost
    }
    if (roll < 0.7) await new Promise((r) => setTimeout(r, 300)); // slow
    return route.continue();
  });
  await enqueueVisits(page, { n: 20, tag: '抖动网络', person: seed.person, home: seed.home });
  const states = await waitSynced(page, 120000);
  assert.deepEqual(states, { pending: 0, synced: 20, failed: 0, conflict: 0 });
  assert.ok(refused > 0 && lost > 0, `the network failed both ways (${refused} refused, ${lost} lost)`);
  const visits = await visitCounts(srv, '抖动网络');
  assert.equal(visits.size, 20);
  for (const [text, n] of visits) assert.equal(n, 1, `${text} arrived ${n} times`);
});

test('SIGKILL of the server mid-sync loses nothing and doubles nothing', async (t) => {
  // A server of its own on a fixed port, so the restarted one has the same
  // origin (the outbox lives in the origin's IndexedDB), on its own data.
  const dir = freshDataDir();
  const token = tokenFor(dir, 'admin');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const own = {
    dataDir: dir,
    api: (p, init = {}) => api(base, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } }),
  };
  const start = () => {
    const child = spawn(BIN, ['--data', dir, 'serve', '--listen', `127.0.0.1:${port}`], {
      env: { ...process.env, JICENG_LOG: 'warn', JICENG_LOGIN_RATE: '100000', JICENG_MAX_CONNECTIONS_PER_ADDRESS: '100000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => { out += d; if (/serving http/.test(out)) resolve(child); });
      child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
  };
  let child = await start();
  t.after(() => child.kill('SIGTERM'));
  const mine = await seedGrid(own, 'wangge3');
  const { page, context } = await openPage(browser, t, { ...PHONE, serviceWorkers: 'block' });
  await signIn(context, base, 'wangge3', mine.pw);
  await page.goto(base + '/#/field');
  await heading(page, '网格工作台').waitFor();
  await context.setOffline(true);
  await enqueueVisits(page, { n: 60, tag: '断电', person: mine.person, home: mine.home });
  await context.setOffline(false);
  await page.evaluate(() => dispatchEvent(new Event('online')));
  // Kill it once some, not all, have arrived.
  for (;;) {
    const got = (await visitCounts(own, '断电')).size;
    if (got >= 5) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  child.removeAllListeners('exit');
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  child = await start();
  const arrived = (await visitCounts(own, '断电')).size;
  assert.ok(arrived < 60, `killed mid-sync (${arrived} of 60 had arrived)`);
  await page.evaluate(() => dispatchEvent(new Event('online')));
  const states = await waitSynced(page, 120000);
  assert.deepEqual(states, { pending: 0, synced: 60, failed: 0, conflict: 0 });
  const visits = await visitCounts(own, '断电');
  assert.equal(visits.size, 60);
  for (const [text, n] of visits) assert.equal(n, 1, `${text} arrived ${n} times`);
});

test('a household changed on the server meanwhile: both versions shown, the worker chooses', async (t) => {
  const { page, context } = await openPage(browser, t, PHONE);
  await signIn(context, srv.url, 'wangge', seed.pw);
  await page.goto(srv.url + '/#/field');
  await heading(page, '网格工作台').waitFor();
  const item = page.locator(`[data-household="${seed.home}"]`);
  await item.waitFor();
  const before = (await srv.api(`/api/v1/households/${seed.home}`)).body;
  await context.setOffline(true);
  await item.getByRole('button', { name: '修改' }).click();
  await item.getByLabel('地址').fill('东街 8 号（新楼）');
  await item.getByRole('button', { name: '保存修改' }).click();
  // Meanwhile at the office:
  let r = await seed.send(`/api/v1/households/${seed.home}`, { address: '东街 8-1 号', base_version: before.version }, 'PATCH');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await context.setOffline(false);
  const conflict = page.locator('.outbox-conflict').first();
  await conflict.waitFor({ timeout: 30000 });
  const table = await conflict.locator('table.conflict').innerText();
  assert.match(table, /东街 8 号（新楼）/);
  assert.match(table, /东街 8-1 号/);
  await page.screenshot({ path: path.join(SHOTS, 'phone-field-conflict.png'), fullPage: true });
  assert.equal((await srv.api(`/api/v1/households/${seed.home}`)).body.address, '东街 8-1 号', 'not overwritten');
  await conflict.getByRole('button', { name: '保留我的' }).click();
  await page.locator('.outbox-conflict').waitFor({ state: 'detached', timeout: 30000 });
  r = await srv.api(`/api/v1/households/${seed.home}`);
  assert.equal(r.body.address, '东街 8 号（新楼）');
  assert.equal(r.body.version, before.version + 2);
});

// The office's side of the tests below: a party organisation of V1 with
// two members and a meeting held today (its sign-in sheet), and requests.
async function seedActivity() {
  let r = await seed.send('/api/v1/party/orgs', { name: '大杨庄村党支部', type: 'branch', unit: V1, founded_on: '2020-01-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const org = r.body.id;
  const members = [];
  for (const name of ['李党员', '赵党员']) {
    r = await seed.send('/api/v1/persons', { name, unit: V1, sex: '男' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    members.push(r.body.id);
    r = await seed.send(`/api/v1/party/orgs/${org}/members`, { person: r.body.id, kind: 'party_member', stage: 'formal', from: '2015-07-01' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  r = await seed.send('/api/v1/events', { org, type: 'branch_assembly', status: 'held', starts_at: `${chinaDay()}T09:00`, topic: '离线签到 支部党员大会' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return { event: r.body.id, members };
}

async function request(title) {
  const r = await seed.send('/api/v1/items', { type: 'request', title, unit: V1 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

const notesOf = async (id) => (await srv.api(`/api/v1/items/${id}`)).body.timeline.map((e) => e.note).filter(Boolean);

test('offline attendance and a request\'s progress arrive exactly once', async (t) => {
  const { event, members } = await seedActivity();
  const req = await request('离线进展 修补村道');
  const { page, context } = await openPage(browser, t, PHONE);
  await signIn(context, srv.url, 'wangge', seed.pw);
  await page.goto(srv.url + '/#/field');
  await heading(page, '网格工作台').waitFor();
  const sheetRow = page.locator(`[data-event="${event}"]`);
  await sheetRow.waitFor();
  const itemRow = page.locator(`[data-item="${req.id}"]`);
  await itemRow.waitFor();
  await context.setOffline(true);

  await sheetRow.getByRole('button', { name: '签到', exact: true }).click();
  await sheetRow.getByRole('radiogroup', { name: '李党员' }).getByLabel('出席').check();
  await sheetRow.getByRole('radiogroup', { name: '赵党员' }).getByLabel('请假').check();
  await sheetRow.getByRole('button', { name: '保存签到' }).click();
  await sheetRow.getByText(/签到已保存在手机上（出席 1 人）/).waitFor();

  await itemRow.getByRole('button', { name: '记录进展' }).click();
  await itemRow.getByLabel('进展情况').fill('已联系施工队，明天修补');
  await itemRow.getByRole('button', { name: '保存进展' }).click();
  await itemRow.getByText(/进展已保存在手机上/).waitFor();
  await page.locator('.outbox-summary').filter({ hasText: '待同步 2' }).waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'phone-field-attendance-pending.png'), fullPage: true });

  await context.setOffline(false);
  await page.locator('.outbox-summary').filter({ hasText: '待同步 0' }).waitFor({ timeout: 30000 });
  assert.equal(await page.locator('.outbox-failed, .outbox-conflict').count(), 0);
  await page.getByRole('button', { name: '立即同步' }).click();
  const e = (await srv.api(`/api/v1/events/${event}`)).body;
  assert.deepEqual(e.participants.map((p) => [p.person, p.attendance]).sort(),
    [[members[0], 'present'], [members[1], 'leave']].sort());
  assert.deepEqual(await notesOf(req.id), ['已联系施工队，明天修补'], 'the note arrived once');
});

test('a request handled at the office meanwhile: both versions shown, the worker chooses either way', async (t) => {
  const keep = await request('冲突 保留我的');
  const drop = await request('冲突 采用服务器的');
  const { page, context } = await openPage(browser, t, PHONE);
  await signIn(context, srv.url, 'wangge', seed.pw);
  await page.goto(srv.url + '/#/field');
  await heading(page, '网格工作台').waitFor();
  await context.setOffline(true);
  for (const [x, note] of [[keep, '我的进展：已上门'], [drop, '我的进展：待协调']]) {
    const row = page.locator(`[data-item="${x.id}"]`);
    await row.getByRole('button', { name: '记录进展' }).click();
    await row.getByLabel('进展情况').fill(note);
    await row.getByRole('button', { name: '保存进展' }).click();
    await row.getByText(/进展已保存在手机上/).waitFor();
  }
  // Meanwhile at the office: both accepted.
  for (const x of [keep, drop]) {
    const r = await seed.send(`/api/v1/items/${x.id}/transitions`, { transition: 'accept', note: '办公室已受理' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
  await context.setOffline(false);
  const conflicts = page.locator('.outbox-conflict');
  await conflicts.nth(1).waitFor({ timeout: 30000 });
  const box = (title) => conflicts.filter({ hasText: title });
  const table = await box('冲突 保留我的').locator('table.conflict').innerText();
  assert.match(table, /已提交/);
  assert.match(table, /已受理/);
  assert.match(table, /我的进展：已上门/);
  assert.match(table, /办公室已受理/);
  await page.screenshot({ path: path.join(SHOTS, 'phone-field-request-conflict.png'), fullPage: true });
  assert.deepEqual(await notesOf(keep.id), ['办公室已受理'], 'not written over a state the worker did not see');

  await box('冲突 保留我的').getByRole('button', { name: '保留我的' }).click();
  await box('冲突 保留我的').waitFor({ state: 'detached', timeout: 30000 });
  await box('冲突 采用服务器的').getByRole('button', { name: '采用服务器的' }).click();
  await box('冲突 采用服务器的').waitFor({ state: 'detached', timeout: 30000 });
  assert.deepEqual(await notesOf(keep.id), ['办公室已受理', '我的进展：已上门'], 'mine, once, after theirs');
  assert.deepEqual(await notesOf(drop.id), ['办公室已受理'], 'the server\'s kept, mine dropped');
  assert.equal((await srv.api(`/api/v1/items/${keep.id}`)).body.version, 3);
});

// Records put into the page's outbox as the pages make them.
function enqueueAll(page, writes) {
  return page.evaluate(async (writes) => {
    const base = document.querySelector('script[type="module"]').src;
    const { enqueue } = await import(new URL('offline/outbox.js', base).href);
    for (const w of writes) await enqueue(w);
  }, writes);
}

const noteOn = (item, note, extra = {}) => ({
  kind: 'item-note', label: `进展：${item.title}`, method: 'POST',
  url: `/api/v1/items/${item.id}/comments`, body: { note, ...extra },
});

// Waits until the page's outbox counts are want (polling).
async function waitStates(page, want, timeoutMs = 60000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await outboxStates(page);
    if (JSON.stringify(s) === JSON.stringify(want)) return;
    if (Date.now() > until) throw new Error(`outbox ${JSON.stringify(s)}, waited for ${JSON.stringify(want)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a request\'s two progress notes arrive in order while other households\' visits go at the same time', async (t) => {
  const req = await request('顺序 排水沟堵塞');
  const homes = await addHouseholds(seed, 8, '北街');
  const { page, context } = await openPage(browser, t, { ...PHONE, serviceWorkers: 'block' });
  await signIn(context, srv.url, 'wangge', seed.pw);
  await page.goto(srv.url + '/#/field');
  await heading(page, '网格工作台').waitFor();
  // What reached the server, in order. The first note's answer is held
  // until the visits have theirs: one record in flight at a time would
  // never get there.
  const log = [];
  const answered = (what) => log.filter((x) => x === what).length;
  await page.route('**/api/v1/visits**', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const response = await route.fetch();
    log.push('visit');
    return route.fulfill({ response });
  });
  await page.route(`**/api/v1/items/${req.id}/comments`, async (route) => {
    const first = route.request().postDataJSON().note === '第一次：已到现场查看';
    log.push(first ? 'first sent' : 'second sent');
    const response = await route.fetch();
    if (first) {
      const until = Date.now() + 20000;
      while (answered('visit') < homes.length && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    }
    log.push(first ? 'first answered' : 'second answered');
    return route.fulfill({ response });
  });
  await context.setOffline(true);
  await enqueueAll(page, [noteOn(req, '第一次：已到现场查看')]);
  await enqueueVisits(page, { n: homes.length, tag: '顺序', person: seed.person, homes });
  await enqueueAll(page, [noteOn(req, '第二次：已联系疏通')]);
  await context.setOffline(false);
  await waitSynced(page);
  assert.deepEqual(await outboxStates(page), { pending: 0, synced: homes.length + 2, failed: 0, conflict: 0 });
  assert.deepEqual(log.filter((x) => x !== 'visit'), ['first sent', 'first answered', 'second sent', 'second answered'],
    'the second note was sent only once the first had its answer');
  const meanwhile = log.slice(0, log.indexOf('first answered')).filter((x) => x === 'visit').length;
  assert.equal(meanwhile, homes.length, `the visits were answered while the first note waited: ${log}`);
  assert.deepEqual(await notesOf(req.id), ['第一次：已到现场查看', '第二次：已联系疏通'], 'the server saw them in order');
  const visits = await visitCounts(srv, '顺序');
  assert.equal(visits.size, homes.length);
  for (const [text, n] of visits) assert.equal(n, 1, `${text} arrived ${n} times`);
});

test('a conflict holds back only its own request\'s later notes, until the worker chooses', async (t) => {
  const held = await request('顺序 冲突在前');
  const other = await request('顺序 另一件');
  const { page, context } = await openPage(browser, t, { ...PHONE, serviceWorkers: 'block' });
  await signIn(context, srv.url, 'wangge', seed.pw);
  await page.goto(srv.url + '/#/field');
  await heading(page, '网格工作台').waitFor();
  await context.setOffline(true);
  await enqueueAll(page, [
    noteOn(held, '按旧情况写的进展', { base_version: held.version }),
    noteOn(held, '之后的进展'),
    noteOn(other, '另一件的进展'),
  ]);
  // Meanwhile at the office:
  const r = await seed.send(`/api/v1/items/${held.id}/transitions`, { transition: 'accept', note: '办公室已受理' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await context.setOffline(false);
  await waitStates(page, { pending: 1, synced: 1, failed: 0, conflict: 1 });
  await page.getByText('等「进展：顺序 冲突在前」处理后再发送').waitFor({ timeout: 30000 });
  assert.deepEqual(await notesOf(other.id), ['另一件的进展'], 'the other request\'s note went');
  assert.deepEqual(await notesOf(held.id), ['办公室已受理'], 'the later note waits behind the conflict');
  await page.screenshot({ path: path.join(SHOTS, 'phone-field-held-behind-conflict.png'), fullPage: true });
  const box = page.locator('.outbox-conflict').filter({ hasText: '顺序 冲突在前' });
  await box.getByRole('button', { name: '保留我的' }).click();
  await waitStates(page, { pending: 0, synced: 3, failed: 0, conflict: 0 });
  assert.deepEqual(await notesOf(held.id), ['办公室已受理', '按旧情况写的进展', '之后的进展'], 'mine, then the later one, in order');
});
