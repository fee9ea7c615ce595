// 网格管理 split and assign, 包联's 万企兴万村 records and a 群众诉求's source
// visit in real Chromium: a township administrator ticks households into a
// new grid, makes a villager 网格员 picked by name (never an id), records a
// pair's year, and sees on the case the visit it came from; the grid page
// on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, chinaDay } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';

const TOWN = '411121100';
const V1 = '411121100201';
let srv;
let browser;
let pw;
let grid;
let caseId;
const homes = [];

const send = (p, body) => srv.api(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

before(async () => {
  srv = await startServer();
  pw = addUser(srv.dataDir, 'town', 'township_admin', TOWN);
  let r = await send(`/api/v1/grids?unit=${V1}`, { name: '西片网格' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  grid = r.body.code;
  for (const address of ['西街 1 号', '西街 2 号', '西街 3 号']) {
    r = await send('/api/v1/households', { unit: grid, address });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    homes.push(r.body.id);
  }
  r = await send('/api/v1/persons', { name: '李网格', unit: V1, sex: '女' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const li = r.body.id;
  r = await send(`/api/v1/contacts?unit=${V1}`, { duty: 'enterprise.village', person: li, target: V1, partner: '舞阳盐化有限公司', from: `${chinaDay().slice(0, 4)}-01-01` });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await send(`/api/v1/visits?unit=${V1}`, { person: li, household: homes[0], day: chinaDay(), method: 'home', needs: '排水沟堵塞', raise: true });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  caseId = r.body.case_id;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('网格管理: split a grid by ticking households, assign a 网格员 by name', async (t) => {
  const { page, context } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'town', pw);
  await page.goto(`${srv.url}/#/grids?unit=${V1}`);
  const row = page.locator(`[data-grid="${grid}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /3 户没有党员联系/);
  await row.getByText('拆分网格').click();
  const split = row.locator('form.grid-split');
  await split.waitFor();
  await split.getByLabel('新网格名称').fill('西片二网格');
  await split.getByLabel(/西街 2 号/).check();
  await split.getByLabel(/西街 3 号/).check();
  await page.screenshot({ path: path.join(SHOTS, 'desktop-grids-split.png'), fullPage: true });
  await split.getByRole('button', { name: '拆分' }).click();
  await page.locator('.grid-name', { hasText: '西片二网格' }).waitFor();
  const rows = await page.locator('.grid-row').allInnerTexts();
  assert.ok(rows.some((x) => /西片网格/.test(x) && /1 户/.test(x)), rows.join('\n'));
  assert.ok(rows.some((x) => /西片二网格/.test(x) && /2 户/.test(x)), rows.join('\n'));
  const again = page.locator(`[data-grid="${grid}"]`);
  await again.getByText('安排网格员、楼栋长').click();
  const assign = again.locator('form.grid-assign');
  await assign.waitFor();
  const options = await assign.getByLabel('人员').locator('option').allInnerTexts();
  assert.ok(options.some((o) => /李网格/.test(o)), options.join(','));
  assert.ok(options.every((o) => !/^\d+$/.test(o)), 'people are picked by name, not id');
  await assign.getByLabel('人员').selectOption({ label: options.find((o) => /李网格/.test(o)) });
  await assign.getByRole('button', { name: '安排' }).click();
  await page.waitForFunction((code) => /网格员和楼栋长 1 人/.test(document.querySelector(`[data-grid="${code}"]`)?.innerText ?? ''), grid);
  assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(grid));
});

test('包联: a 万企兴万村 pair\'s year recorded; the case shows its source visit', async (t) => {
  const { page, context } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'town', pw);
  await page.goto(`${srv.url}/#/contacts?unit=${V1}`);
  const pair = page.locator('.pairs-table tbody tr').first();
  await pair.waitFor();
  assert.match(await pair.innerText(), /舞阳盐化有限公司/);
  await pair.getByLabel('项目（个）').fill('2');
  await pair.getByLabel('带动就业（人）').fill('30');
  await pair.getByLabel('采购（万元）').fill('8.5');
  await pair.getByRole('button', { name: '保存' }).click();
  await pair.getByText('已保存').waitFor();
  await page.reload();
  await page.getByText(/项目 2 个，带动就业 30 人，采购 8.5 万元/).waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'desktop-contacts-pairs.png'), fullPage: true });
  await page.goto(`${srv.url}/#/items/${caseId}`);
  await page.getByText('来源走访').waitFor();
  assert.match(await page.locator('.item-fields').innerText(), /李网格入户走访 大杨庄村 西街 1 号|李网格入户走访 .*西街 1 号/);
});

test('网格管理 on a phone', async (t) => {
  const { page, context } = await openPage(browser, t, PHONE);
  await signIn(context, srv.url, 'town', pw);
  await page.goto(`${srv.url}/#/grids?unit=${V1}`);
  await page.locator(`[data-grid="${grid}"]`).waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width}px wide on a phone`);
  await page.screenshot({ path: path.join(SHOTS, 'phone-grids.png'), fullPage: true });
});
