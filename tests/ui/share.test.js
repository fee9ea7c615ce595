// 共享小区 in real Chromium. On a phone, a resident of 大杨庄村 posts a need
// without signing in and gets a confirmation code; the board of the village
// shows it without the phone. On a desktop, the village's grid worker opens
// 共享小区, asks for the suggested offers of that need, matches the first
// and confirms both sides; the record shows 已完成 — names, never codes.
// Screenshots go to tests/out/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, tokenFor, api, chinaDay } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';

const V1 = '411121100201'; // 大杨庄村
const NEED = '下午放学需要人帮忙接孩子';
let srv;
let browser;
let token;
const pw = {};

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  pw.grid = addUser(srv.dataDir, 'grid1', 'grid_worker', V1);
  token = tokenFor(srv.dataDir, 'grid1');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const heading = (page) => page.getByRole('heading', { level: 1 });
const call = async (method, p, body) => {
  const res = await api(srv.url, p, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  assert.ok(res.status === 200 || res.status === 201, `${p}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

async function noHorizontalScroll(page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth }));
  assert.ok(scroll <= width, `page is ${scroll}px wide in a ${width}px viewport`);
}

test('phone: a resident posts a need and sees it on the board without the phone', async (t) => {
  const { page, problems } = await openPage(browser, t, PHONE);
  await page.goto(srv.url + '/#/public/share');
  await heading(page).filter({ hasText: '共享小区' }).waitFor();
  await page.getByRole('link', { name: '我要发布' }).click();
  await heading(page).filter({ hasText: '发布需求或服务' }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('select[name="category"] option').length > 1);
  await page.getByLabel('类别').selectOption('time');
  await page.getByLabel('所在社区（村）').fill('大杨庄');
  await page.getByRole('option', { name: /大杨庄村.*舞阳县 › 舞泉镇/ }).click();
  await page.getByLabel('楼栋（选填）').fill('3号楼');
  await page.getByLabel('标题').fill(NEED);
  await page.getByLabel('手机号码').fill('13800001234');
  await noHorizontalScroll(page);
  await page.screenshot({ path: path.join(SHOTS, 'share-new-phone.png'), fullPage: true });
  await page.getByRole('button', { name: '发布' }).click();
  await heading(page).filter({ hasText: '已发布' }).waitFor();
  const code = (await page.locator('.public-code').innerText()).trim();
  assert.match(code, /^[2-9A-Z]{10}$/);

  await page.goto(`${srv.url}/#/public/share?unit=${V1}`);
  const card = page.locator('.share-post').filter({ hasText: NEED });
  await card.waitFor();
  assert.match(await card.innerText(), /需求/);
  assert.match(await card.innerText(), /3号楼/);
  const text = await page.locator('#main').innerText();
  assert.doesNotMatch(text, /13800001234|138\*|null|undefined|411121/);
  await noHorizontalScroll(page);
  await page.screenshot({ path: path.join(SHOTS, 'share-board-phone.png'), fullPage: true });

  await page.goto(`${srv.url}/#/public/share/mine?code=${code}`);
  await page.getByText('正在为您对接').waitFor();
  assert.deepEqual(problems, []);
});

test('desktop: the grid worker matches the need with a suggested offer and confirms both sides', async (t) => {
  await call('POST', '/api/v1/share/posts', { kind: 'offer', category: 'time', unit: V1, building: '3号楼', from: chinaDay(0), to: chinaDay(20), title: '退休教师，下午有空可接送孩子' });
  await call('POST', '/api/v1/share/posts', { kind: 'offer', category: 'time', unit: V1, from: chinaDay(0), to: chinaDay(20), title: '周末可帮忙照看孩子' });
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'grid1', pw.grid);
  await page.goto(`${srv.url}/#/share`);
  const need = page.locator('.share-post').filter({ hasText: NEED });
  await need.waitFor();
  assert.match(await need.innerText(), /138\*\*\*\*1234/);
  assert.match(await need.innerText(), /居民发布/);
  await need.getByRole('button', { name: '推荐的服务' }).click();
  const first = need.locator('[data-suggestion]').first();
  await first.waitFor();
  assert.match(await first.innerText(), /退休教师/, 'same building first');
  await page.screenshot({ path: path.join(SHOTS, 'share-suggestions.png'), fullPage: true });
  await first.getByRole('button', { name: '撮合' }).click();
  const record = page.locator('[data-match]').first();
  await record.waitFor();
  assert.match(await record.innerText(), /进行中/);
  await record.getByRole('button', { name: '代为确认' }).click();
  await page.waitForFunction(() => /已确认/.test(document.querySelector('[data-match]')?.innerText ?? ''));
  await page.locator('[data-match]').first().getByRole('button', { name: '代为确认' }).click();
  await page.waitForFunction(() => /已完成/.test(document.querySelector('[data-match]')?.innerText ?? ''));
  const text = await page.locator('#main').innerText();
  assert.doesNotMatch(text, /13800001234|null|undefined|411121\d|need|offer/);
  await page.screenshot({ path: path.join(SHOTS, 'share-staff.png'), fullPage: true });
  assert.deepEqual(problems, []);
});
