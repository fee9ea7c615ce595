// 微心愿 and 议事公开 in real Chromium, without signing in: a resident posts a
// wish for 大杨庄村 and gets a tracking code; once the village checks it
// (API) the wish is on the board without the phone; a 四议两公开
// deliberation walked through its three meetings (API) shows on 议事公开
// with each meeting's attendance and votes; both pages fit a phone.
// Screenshots go to tests/out/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, tokenFor, api } from '../lib/server.js';
import { launch, openPage, SHOTS, DESKTOP, PHONE } from './browser.js';

const V1 = '411121100201'; // 大杨庄村
const WISH = '留守儿童想要一个新书包';
let srv;
let browser;
let token;

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  addUser(srv.dataDir, 'grid1', 'grid_worker', V1);
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

test('a resident posts a wish; checked, it is on the board without the phone', async (t) => {
  const { page, problems } = await openPage(browser, t, DESKTOP);
  await page.goto(srv.url + '/#/wishes');
  await heading(page).filter({ hasText: '微心愿' }).waitFor();
  await page.getByRole('link', { name: '我要许愿' }).click();
  await heading(page).filter({ hasText: '我要许愿' }).waitFor();
  await page.getByLabel('所在村（社区）').fill('大杨庄');
  await page.getByRole('option', { name: /大杨庄村.*舞阳县 › 舞泉镇/ }).click();
  await page.waitForFunction(() => document.querySelectorAll('select[name="category"] option').length > 1);
  await page.getByLabel('心愿类别').selectOption('学习用品');
  await page.getByLabel('心愿内容').fill(WISH);
  await page.getByLabel('联系电话（选填）').fill('13800000000');
  await page.screenshot({ path: path.join(SHOTS, 'wish-new.png'), fullPage: true });
  await page.getByRole('button', { name: '提交心愿' }).click();
  await heading(page).filter({ hasText: '心愿已提交' }).waitFor();
  const code = (await page.locator('.public-code').innerText()).trim();
  assert.match(code, /^[A-Z0-9]{6,}$/);

  const item = (await call('GET', '/api/v1/items?type=wish')).items.find((i) => i.title === WISH);
  assert.ok(item);
  await call('POST', `/api/v1/items/${item.id}/transitions`, { transition: 'list' });
  await page.goto(`${srv.url}/#/wishes?unit=${V1}`);
  const card = page.locator('.wish-card').filter({ hasText: WISH });
  await card.waitFor();
  assert.match(await card.innerText(), /待认领/);
  assert.match(await card.innerText(), /大杨庄村/);
  const text = await page.locator('#main').innerText();
  assert.doesNotMatch(text, /13800000000|null|undefined|411121/);
  await page.screenshot({ path: path.join(SHOTS, 'wishes-board.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('议事公开: the resolution with each meeting\'s attendance and votes; phone size', async (t) => {
  const made = await call('POST', '/api/v1/items', { type: 'deliberation', title: '村内主干道硬化', description: '主干道硬化 1.2 公里', unit: V1 });
  const meet = (transition, entitled, present, agreeing) =>
    call('POST', `/api/v1/items/${made.id}/transitions`, { transition, note: '会议记录已归档', entitled, present, agreeing });
  await meet('consult', 7, 7, 6);
  await meet('review', 45, 38, 33);
  await meet('resolve', 31, 28, 25);
  await call('POST', `/api/v1/items/${made.id}/transitions`, { transition: 'announce', note: '决议：硬化主干道，预算 36 万元' });

  const { page, problems } = await openPage(browser, t, PHONE);
  await page.goto(`${srv.url}/#/deliberations?unit=${V1}`);
  await heading(page).filter({ hasText: '议事公开' }).waitFor();
  await page.getByRole('link', { name: '村内主干道硬化' }).click();
  await heading(page).filter({ hasText: '村内主干道硬化' }).waitFor();
  const steps = await page.locator('.public-steps li').allInnerTexts();
  assert.ok(steps.some((s) => /村民代表会议决议/.test(s) && /应到人数 31，实到人数 28，赞成人数 25/.test(s)), steps.join('\n'));
  assert.ok(steps.some((s) => /决议公开/.test(s) && /预算 36 万元/.test(s)));
  assert.doesNotMatch(await page.locator('#main').innerText(), /grid1|null|undefined/);
  await noHorizontalScroll(page);
  await page.screenshot({ path: path.join(SHOTS, 'deliberation-public-phone.png'), fullPage: true });
  await page.goto(`${srv.url}/#/wishes?unit=${V1}`);
  await page.locator('.wish-card').first().waitFor();
  await noHorizontalScroll(page);
  await page.screenshot({ path: path.join(SHOTS, 'wishes-board-phone.png'), fullPage: true });
  assert.deepEqual(problems, []);
});
