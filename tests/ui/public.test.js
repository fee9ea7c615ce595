// The residents' pages in real Chromium, without signing in: a resident
// submits a request (群众诉求) for 大杨庄村 and gets a tracking code; the
// village's grid worker accepts, dispatches and resolves it (through the
// API, with a bearer token); the resident follows it by the code, sees
// 已办结 and rates it 5 stars; an unknown code says so; and both pages fit
// a phone. Screenshots go to tests/out/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, tokenFor, api } from '../lib/server.js';
import { launch, openPage, SHOTS, DESKTOP, PHONE } from './browser.js';

const V1 = '411121100201'; // 大杨庄村
const DESCRIPTION = '村东头路灯坏了一个多月，晚上出行不便';
let srv;
let browser;
let gridToken;
let code;

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  addUser(srv.dataDir, 'grid1', 'grid_worker', V1);
  gridToken = tokenFor(srv.dataDir, 'grid1');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const heading = (page) => page.getByRole('heading', { level: 1 });
// Failed requests the tests cause on purpose: refused input, unknown codes,
// and "who is signed in?" asked before signing in (browser.js drops that one).
const unexpected = (problems) => problems.filter((p) => !/Failed to load resource: .* status of (400|404)/.test(p));

async function assertNoHorizontalScroll(page) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= width, `page is ${scroll}px wide in a ${width}px viewport`);
}

// The grid worker's step on the item, through the API.
async function gridStep(id, transition, extra = {}) {
  const res = await api(srv.url, `/api/v1/items/${id}/transitions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${gridToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ transition, ...extra }),
  });
  assert.ok(res.status === 200 || res.status === 201, `${transition}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

test('login page links to the residents\' pages, which open without signing in', async (t) => {
  const { page, problems } = await openPage(browser, t, DESKTOP);
  await page.goto(srv.url + '/#/units');
  await heading(page).filter({ hasText: '登录' }).waitFor();
  await page.getByRole('link', { name: '群众诉求：提交与查询' }).click();
  await heading(page).filter({ hasText: '提交诉求' }).waitFor();
  assert.match(page.url(), /#\/request$/);
  // Not in the (hidden) staff menu.
  assert.equal(await page.locator('#app-nav a').count(), 0);
  await page.goto(srv.url + '/#/track');
  await heading(page).filter({ hasText: '查询进度' }).waitFor();
  assert.match(page.url(), /#\/track$/);
  assert.deepEqual(problems, []);
});

test('a resident submits a request for 大杨庄村 and gets a tracking code', async (t) => {
  const { page, problems } = await openPage(browser, t, DESKTOP);
  await page.goto(srv.url + '/#/request');
  await heading(page).filter({ hasText: '提交诉求' }).waitFor();
  // Nothing chosen yet: the form says what is missing, at its field.
  await page.getByRole('button', { name: '提交诉求' }).click();
  const unitError = page.locator('.field[data-field="unit"] .field-error');
  await unitError.waitFor();
  assert.match(await unitError.innerText(), /村或社区/);

  await page.getByLabel('所在村（社区）').fill('大杨庄');
  // Several villages share the name; the path tells them apart.
  const choice = page.getByRole('option', { name: /大杨庄村.*舞阳县 › 舞泉镇/ });
  await choice.waitFor();
  assert.ok(await page.getByRole('option').count() > 1);
  await choice.click();
  assert.equal(await page.locator('input[name="unit"]').inputValue(), V1);
  assert.match(await page.locator('.unit-chosen').innerText(), /舞阳县 › 舞泉镇 › 大杨庄村村民委员会/);
  await page.waitForFunction(() => document.querySelectorAll('select[name="category"] option').length > 1);
  const categories = await page.locator('select[name="category"] option').allInnerTexts();
  assert.ok(categories.includes('道路交通'), categories.join(','));
  await page.getByLabel('诉求类别').selectOption('道路交通');
  // The description is required.
  await page.getByRole('button', { name: '提交诉求' }).click();
  const descError = page.locator('.field[data-field="description"] .field-error');
  await descError.waitFor();
  assert.match(await descError.innerText(), /描述/);
  await page.getByLabel('问题描述').fill(DESCRIPTION);
  await page.getByLabel('具体地点（选填）').fill('村东头路口');
  await page.getByLabel('联系电话（选填）').fill('13800000000');
  await page.getByText('仅用于回访，不会公开').waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'public-request.png'), fullPage: true });
  await page.getByRole('button', { name: '提交诉求' }).click();

  await heading(page).filter({ hasText: '提交成功' }).waitFor();
  await page.getByText('请记下查询码').waitFor();
  code = (await page.locator('.public-code').innerText()).trim();
  assert.match(code, /^[A-Z0-9]{6,}$/);
  const link = page.getByRole('link', { name: '查看办理进度' });
  assert.equal(await link.getAttribute('href'), `#/track/${code}`);
  await page.screenshot({ path: path.join(SHOTS, 'public-request-done.png'), fullPage: true });
  await link.click();
  await page.locator('.public-state').filter({ hasText: '当前状态' }).waitFor();
  assert.match(await page.locator('.public-fields').innerText(), /大杨庄村/);
  assert.match(await page.locator('.timeline-event').first().innerText(), /提交/);
  assert.equal(await page.getByRole('heading', { name: '评价办理结果' }).count(), 0, 'not yet rateable');
  assert.doesNotMatch(await page.locator('#main').innerText(), /13800000000/, 'the phone stays private');
  assert.deepEqual(problems, []);
});

test('the grid worker handles it; the resident sees 已办结 and rates 5 stars', async (t) => {
  assert.ok(code, 'the submit test ran');
  // Find the item behind the code among the village's requests.
  const list = await api(srv.url, '/api/v1/items?type=request', { headers: { Authorization: `Bearer ${gridToken}` } });
  assert.equal(list.status, 200, JSON.stringify(list.body));
  const item = list.body.items.find((i) => i.tracking_code === code)
    ?? list.body.items.find((i) => DESCRIPTION.startsWith(i.title));
  assert.ok(item, 'the request is in the grid worker\'s list');
  await gridStep(item.id, 'accept');
  await gridStep(item.id, 'dispatch', { assignee: '网格员张三' });
  await gridStep(item.id, 'resolve', { note: '已更换灯泡' });

  const { page, problems } = await openPage(browser, t, DESKTOP);
  await page.goto(`${srv.url}/#/track/${code.toLowerCase()}`);
  await page.locator('.public-state').filter({ hasText: '已办结' }).waitFor();
  const steps = await page.locator('.timeline-step').allInnerTexts();
  assert.equal(steps[0], '提交');
  assert.ok(steps.length >= 4, steps.join(','));
  assert.match(await page.locator('.timeline').innerText(), /已更换灯泡/);
  assert.doesNotMatch(await page.locator('#main').innerText(), /null|undefined/);
  await page.screenshot({ path: path.join(SHOTS, 'public-track.png'), fullPage: true });

  const form = page.locator('.public-rating');
  await form.getByRole('heading', { name: '评价办理结果' }).waitFor();
  // No stars chosen: the form asks for them.
  await form.getByRole('button', { name: '提交评价' }).click();
  await form.locator('.field[data-field="rating"] .field-error').waitFor();
  await form.getByRole('radio', { name: '5 星' }).check();
  await form.getByLabel('意见或建议（选填）').fill('修得很快，谢谢');
  await form.getByRole('button', { name: '提交评价' }).click();
  await page.getByRole('status').filter({ hasText: '感谢您的评价' }).waitFor();
  await page.locator('.public-fields').getByRole('img', { name: '5 星' }).waitFor();
  assert.equal(await page.locator('.public-rating').count(), 0, 'rated once only');
  // Still rated after reloading.
  await page.reload();
  await page.locator('.public-fields').getByRole('img', { name: '5 星' }).waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'public-track-rated.png'), fullPage: true });
  assert.doesNotMatch(await page.locator('#main').innerText(), /null|undefined/);
  assert.deepEqual(problems, []);
});

test('an unknown code says 查询码不存在; codes can be typed in the form', async (t) => {
  const { page, problems } = await openPage(browser, t, DESKTOP);
  await page.goto(srv.url + '/#/track');
  await heading(page).filter({ hasText: '查询进度' }).waitFor();
  await page.getByRole('button', { name: '查询' }).click();
  await page.locator('.field[data-field="code"] .field-error').filter({ hasText: '请输入查询码' }).waitFor();
  await page.getByLabel('查询码').fill('ZZZZ 0000 00');
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByRole('alert').filter({ hasText: '不存在' }).waitFor();
  assert.match(await page.getByRole('alert').innerText(), /查询码 ZZZZ000000 不存在/);
  assert.match(page.url(), /#\/track\/ZZZZ000000$/);
  // The real code, typed in lower case, opens the request.
  await page.getByLabel('查询码').fill(code.toLowerCase());
  await page.getByRole('button', { name: '查询' }).click();
  // Rated by now (the test before).
  await page.locator('.public-fields').getByRole('img', { name: '5 星' }).waitFor();
  assert.equal(await page.getByRole('alert').count(), 0);
  assert.deepEqual(unexpected(problems), []);
  assert.equal(problems.length, 1, 'the unknown code was a 404');
});

test('signed in, the residents\' pages still open and stay out of the menu', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  const res = await context.request.post(srv.url + '/api/v1/session',
    { data: { username: 'admin', password: srv.adminPassword } });
  assert.equal(res.status(), 200);
  await page.goto(`${srv.url}/#/track/${code}`);
  await page.locator('.public-fields').getByRole('img', { name: '5 星' }).waitFor();
  const menu = await page.locator('#app-nav a').allInnerTexts();
  assert.ok(menu.length > 0);
  assert.ok(!menu.includes('提交诉求') && !menu.includes('查询进度'), menu.join(','));
  assert.equal(await page.getByRole('link', { name: '工作人员登录' }).count(), 0);
  assert.deepEqual(problems, []);
});

test('phone: both pages fit the screen', async (t) => {
  const { page, problems } = await openPage(browser, t, PHONE);
  await page.goto(srv.url + '/#/request');
  await page.getByLabel('所在村（社区）').fill('大杨庄');
  await page.getByRole('option').first().waitFor();
  await assertNoHorizontalScroll(page);
  await page.screenshot({ path: path.join(SHOTS, 'phone-public-request.png'), fullPage: true });
  await page.goto(`${srv.url}/#/track/${code}`);
  await page.locator('.timeline-event').first().waitFor();
  await assertNoHorizontalScroll(page);
  await page.screenshot({ path: path.join(SHOTS, 'phone-public-track.png'), fullPage: true });
  assert.deepEqual(problems, []);
});
