// 工作台, the bell and 通知公告 in real Chromium: a village secretary signs in
// and lands on the desk, where the township's task waits (due soon) and the
// bell counts it; opening it from 消息通知 clears the bell. The township
// publishes a notice to its villages with an attachment; the secretary reads
// it on a phone, and the township sees 已读 1 with the reader's unit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, chinaDay, tokenFor, api } from '../lib/server.js';
import { launch, openPage, signIn, signInByForm, SHOTS, DESKTOP, PHONE } from './browser.js';

const TOWN = '411121100';
const V1 = '411121100201'; // 大杨庄村
let srv;
let browser;
const pw = {};
let taskId;

before(async () => {
  srv = await startServer();
  pw.town = addUser(srv.dataDir, 'town', 'township_admin', TOWN);
  pw.dayang = addUser(srv.dataDir, 'dayang', 'village_secretary', V1);
  addUser(srv.dataDir, 'gaozhuang', 'village_secretary', '411121100202');
  const token = tokenFor(srv.dataDir, 'town');
  const created = await api(srv.url, '/api/v1/items', {
    method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'dispatch', title: '统计冬季取暖困难户', unit: V1, deadline: chinaDay(1) }),
  });
  assert.equal(created.status, 201);
  taskId = created.body.id;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const heading = (page) => page.getByRole('heading', { level: 1 });

test('the village lands on its desk: the task waits, the bell counts it, opening it reads it', async (t) => {
  const { page, problems } = await openPage(browser, t, DESKTOP);
  await page.goto(srv.url + '/');
  await signInByForm(page, 'dayang', pw.dayang);
  await heading(page).filter({ hasText: '工作台' }).waitFor();
  assert.match(page.url(), /#\/desk$/);
  const todo = page.locator('.desk-card').filter({ hasText: '待我办理' });
  await todo.getByRole('link', { name: /交办任务 · 已交办\s*1/ }).waitFor();
  assert.match(await todo.innerText(), /即将到期 1/);
  assert.match(await page.locator('.desk-due').innerText(), new RegExp(`统计冬季取暖困难户[\\s\\S]*截止 ${chinaDay(1)}`));
  const bell = page.getByRole('link', { name: '消息通知，1 条未读' });
  await bell.waitFor();
  assert.equal(await page.locator('.bell-count').innerText(), '1');
  assert.doesNotMatch(await page.locator('#main').innerText(), /null|undefined|dispatch|issued/);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-desk.png'), fullPage: true });

  await bell.click();
  await heading(page).filter({ hasText: '消息通知' }).waitFor();
  const row = page.locator('.notification-list li.unread');
  assert.match(await row.innerText(), /交办任务[\s\S]*统计冬季取暖困难户[\s\S]*大杨庄村村民委员会[\s\S]*新建/);
  await row.getByRole('link', { name: '统计冬季取暖困难户' }).click();
  await page.waitForURL(new RegExp(`#/items/${taskId}$`));
  await heading(page).filter({ hasText: '统计冬季取暖困难户' }).waitFor();
  await page.getByRole('link', { name: '消息通知', exact: true }).waitFor();
  assert.equal(await page.locator('.bell-count').isVisible(), false);
  assert.deepEqual(problems, []);
});

test('通知公告: the township publishes with an attachment, the village reads it on a phone, receipts show it', async (t) => {
  const town = await openPage(browser, t, DESKTOP);
  await signIn(town.context, srv.url, 'town', pw.town);
  await town.page.goto(srv.url + '/#/notices');
  await heading(town.page).filter({ hasText: '通知公告' }).waitFor();
  await town.page.getByRole('button', { name: '发布通知' }).click();
  const dialog = town.page.getByRole('dialog');
  assert.equal(await dialog.getByLabel('发给').inputValue(), '舞泉镇', 'the unit by name, the picker starts at the sender’s scope');
  await dialog.getByLabel('标题').fill('关于做好冬季安全生产的通知');
  await dialog.getByLabel('正文').fill('各村：\n请于本周五前完成安全隐患排查。');
  await dialog.getByLabel(/附件/).setInputFiles({
    name: '排查表.png', mimeType: 'image/png',
    buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
  });
  await dialog.getByRole('button', { name: '发布' }).click();
  await heading(town.page).filter({ hasText: '关于做好冬季安全生产的通知' }).waitFor();
  const receipts = town.page.locator('section').filter({ hasText: '阅读情况' });
  await receipts.getByRole('heading', { name: '阅读情况：已读 0 / 2' }).waitFor();

  const village = await openPage(browser, t, PHONE);
  await signIn(village.context, srv.url, 'dayang', pw.dayang);
  await village.page.goto(srv.url + '/#/notices');
  const item = village.page.locator('.notice-list li.unread');
  await item.getByRole('link', { name: '关于做好冬季安全生产的通知' }).click();
  await heading(village.page).filter({ hasText: '关于做好冬季安全生产的通知' }).waitFor();
  assert.match(await village.page.locator('.notice-body').innerText(), /请于本周五前完成安全隐患排查/);
  await village.page.getByRole('link', { name: /排查表\.png/ }).waitFor();
  assert.equal(await village.page.locator('section').filter({ hasText: '阅读情况' }).count(), 0, 'receipts are the sender\'s');
  await village.page.screenshot({ path: path.join(SHOTS, 'phone-notice.png'), fullPage: true });

  await town.page.reload();
  await receipts.getByRole('heading', { name: '阅读情况：已读 1 / 2' }).waitFor();
  const line = receipts.locator('tr').filter({ hasText: '大杨庄村村民委员会' });
  assert.match(await line.innerText(), /dayang（/);
  assert.match(await receipts.locator('tr').filter({ hasText: '高庄村村民委员会' }).innerText(), /gaozhuang/);
  await town.page.screenshot({ path: path.join(SHOTS, 'desktop-notice-receipts.png'), fullPage: true });
  assert.deepEqual(town.problems, []);
  assert.deepEqual(village.problems, []);
});
