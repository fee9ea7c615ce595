// 导入花名册 on 党员管理 and the 一户一档 list in real Chromium: a township
// administrator uploads a roster (a refused one first, its rows in a table;
// then a good one, whose counts show and whose members join the list), and
// opens 一户一档 from the menu: a unit's households, imported from a 住户表,
// each leading to its page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, idNumber } from '../lib/server.js';
import { xlsxOf } from '../lib/xlsx.js';
import { launch, openPage, signIn, SHOTS, DESKTOP } from './browser.js';

const TOWN = '411121100';
const V1 = '411121100201'; // 大杨庄村
let srv;
let browser;
let pw;


before(async () => {
  srv = await startServer();
  pw = addUser(srv.dataDir, 'town', 'township_admin', TOWN);
  const r = await srv.api('/api/v1/party/orgs', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: '大杨庄村党支部', type: 'branch', unit: V1 }) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const mainNav = (page) => page.getByRole('navigation', { name: '主导航' });
const HEAD = ['姓名', '性别', '身份证号', '党组织', '发展阶段', '起始日期'];

test('导入花名册: refused rows in a table, then the counts and the new members', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'town', pw);
  await page.goto(`${srv.url}/#/party?unit=${V1}`);
  await page.getByRole('heading', { level: 1 }).filter({ hasText: '党员管理' }).waitFor();
  await page.getByRole('button', { name: '导入花名册' }).click();
  const dialog = page.getByRole('dialog', { name: '导入花名册' });
  await dialog.getByText('导入到：大杨庄村').waitFor();
  const bad = xlsxOf([HEAD, ['刘一', '男', idNumber('41112119700101001'), '大杨庄村党支部', '正式党员', '1995-07-01'],
    ['陈二', '女', idNumber('41112119850612002').slice(0, 17) + 'Y', '大杨庄村党支部', '预备党员', '2025-10-01'],
    ['周三', '男', idNumber('41112119920304003'), '没有的支部', '正式党员', '2020-01-01']]);
  await dialog.getByLabel('文件').setInputFiles({ name: '花名册.xlsx', mimeType: 'application/octet-stream', buffer: bad });
  await dialog.getByRole('button', { name: '导入', exact: true }).click();
  const table = dialog.locator('table.row-errors');
  await table.waitFor();
  assert.match(await dialog.locator('.import-errors').innerText(), /共 2 行有误/);
  assert.deepEqual(await table.locator('tbody tr td:nth-child(2)').allTextContents(), ['身份证号', '党组织']);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-roster-import-refused.png') });
  const good = xlsxOf([HEAD, ['刘一', '男', idNumber('41112119700101001'), '大杨庄村党支部', '正式党员', '1995-07-01'],
    ['陈二', '女', idNumber('41112119850612002'), '大杨庄村党支部', '预备党员', '2025-10-01'],
    ['周三', '男', idNumber('41112119920304003'), '', '', '']]);
  await dialog.getByLabel('文件').setInputFiles({ name: '花名册.xlsx', mimeType: 'application/octet-stream', buffer: good });
  await dialog.getByRole('button', { name: '导入', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '新登记 3 人，已登记 0 人；新增党员身份 2 条' }).waitFor();
  const roster = page.locator('ul.roster');
  await roster.locator('li').nth(1).waitFor();
  assert.deepEqual((await roster.locator('li .user-title a').allTextContents()).sort(), ['刘一', '陈二'].sort());
  await page.screenshot({ path: path.join(SHOTS, 'desktop-roster-imported.png') });
  assert.deepEqual(problems.filter((p) => !/Failed to load resource: .* status of 400/.test(p)), [], 'only the refused file');
});

test('一户一档 from the menu: households imported, listed, each opening its page', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'town', pw);
  await page.goto(`${srv.url}/#/desk`);
  await mainNav(page).getByRole('link', { name: '一户一档' }).click();
  await page.getByRole('heading', { level: 1 }).filter({ hasText: '一户一档' }).waitFor();
  await page.getByText('这里还没有登记住户。').waitFor();
  // choose the village by name with the unit picker, then import
  await page.getByRole('combobox', { name: '单位', exact: true }).fill('大杨庄');
  const option = page.getByRole('listbox', { name: '查找结果' }).locator(`[data-code="${V1}"]`);
  await option.waitFor();
  await option.click();
  await page.getByRole('button', { name: '查看' }).click();
  await page.waitForURL(/households\?unit=411121100201/);
  await page.getByRole('button', { name: '导入', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: '导入住户表' });
  const file = xlsxOf([['户号', '地址', '户标签', '姓名', '与户主关系', '身份证号'],
    ['1', '幸福路 8 号', '低保', '赵大', '户主', idNumber('41112119700303011')],
    ['1', '', '', '钱二', '配偶', idNumber('41112119720404012')],
    ['2', '幸福路 9 号', '独居老人', '王奶奶', '户主', idNumber('41112119551010013')]]);
  await dialog.getByLabel('文件').setInputFiles({ name: '住户表.xlsx', mimeType: 'application/octet-stream', buffer: file });
  await dialog.getByRole('button', { name: '导入', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '新登记 2 户' }).waitFor();
  const list = page.locator('ul.households');
  await list.locator('li').nth(1).waitFor();
  assert.deepEqual(await list.locator('li .user-title a').allTextContents(), ['幸福路 8 号', '幸福路 9 号']);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-households.png') });
  await list.getByRole('link', { name: '幸福路 8 号' }).click();
  await page.getByRole('heading', { level: 1 }).filter({ hasText: '幸福路 8 号' }).waitFor();
  await page.getByText('户主：').waitFor();
  assert.match(await page.locator('main').innerText(), /钱二/);
  assert.deepEqual(problems, []);
});
