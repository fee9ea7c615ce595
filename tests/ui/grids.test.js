// 网格管理, 走访 on a phone and 包联 in real Chromium: a township
// administrator sees a village's grids with their size warning; on a phone
// logs a visit to a linked household, raising its need as a 群众诉求 in the
// same step (the visit lists the case); 包联 shows the link with names,
// never codes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';

const TOWN = '411121100';
const V1 = '411121100201'; // 大杨庄村
let srv;
let browser;
let pw;
let grid;

const send = (p, body) => srv.api(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

before(async () => {
  srv = await startServer();
  pw = addUser(srv.dataDir, 'town', 'township_admin', TOWN);
  let r = await send(`/api/v1/grids?unit=${V1}`, { name: '东片网格' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  grid = r.body.code;
  r = await send('/api/v1/households', { unit: grid, address: '东街 8 号' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const home = r.body.id;
  r = await send('/api/v1/persons', { name: '王联户', unit: V1, sex: '男' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await send(`/api/v1/contacts?unit=${V1}`, { duty: 'member.household', person: r.body.id, household: home, from: '2025-01-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('网格管理: the village\'s grids with households and the size warning', async (t) => {
  const { page, context } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'town', pw);
  await page.goto(`${srv.url}/#/grids?unit=${V1}`);
  await page.getByRole('heading', { level: 1, name: '网格管理' }).waitFor();
  const row = page.locator(`[data-grid="${grid}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /东片网格/);
  assert.match(await row.innerText(), /1 户/);
  assert.match(await row.innerText(), /少于 300 户/);
  assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(grid));
  await page.screenshot({ path: path.join(SHOTS, 'desktop-grids.png'), fullPage: true });
});

test('走访 on a phone: a visit with its need raised as a 群众诉求 in one step', async (t) => {
  const { page, context } = await openPage(browser, t, PHONE);
  await signIn(context, srv.url, 'town', pw);
  await page.goto(`${srv.url}/#/visit?unit=${V1}`);
  await page.getByRole('heading', { level: 1, name: '走访' }).waitFor();
  const form = page.locator('.visit-form form');
  await form.waitFor();
  assert.match(await form.getByLabel('走访对象').locator('option').first().innerText(), /东街 8 号 — 王联户/);
  await form.getByLabel('电话').check();
  await form.getByLabel('了解到的情况').fill('老人独居，身体尚可');
  await form.getByLabel('群众诉求', { exact: true }).fill('门前路灯不亮');
  await form.getByLabel('转为群众诉求').check();
  await page.screenshot({ path: path.join(SHOTS, 'phone-visit-form.png'), fullPage: true });
  await form.getByRole('button', { name: '保存走访' }).click();
  await page.getByText(/诉求已转为群众诉求/).waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width}px wide on a phone`);
  await page.reload();
  await page.locator('.visit-list li').first().waitFor();
  const item = page.locator('.visit-list li').first();
  assert.match(await item.innerText(), /电话/);
  assert.match(await item.getByRole('link').innerText(), /门前路灯不亮/);
  await page.screenshot({ path: path.join(SHOTS, 'phone-visit-saved.png'), fullPage: true });
});

test('包联: the link with names, its periods counted from the visits', async (t) => {
  const { page, context } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'town', pw);
  await page.goto(`${srv.url}/#/contacts?unit=${V1}&period=2025`);
  await page.getByRole('heading', { level: 1, name: '包联' }).waitFor();
  const row = page.locator('table.contacts-table tbody tr').first();
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, /党员联户每季度走访/);
  assert.match(text, /王联户/);
  assert.match(text, /东街 8 号/);
  assert.match(text, /逾期/); // no visit in 2025: four quarters missed
  await page.screenshot({ path: path.join(SHOTS, 'desktop-contacts.png'), fullPage: true });
});
