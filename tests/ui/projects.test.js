// 重点项目 in real Chromium: a county user sees the roll-up and the register
// (figures computed by the server), opens a project with its months and
// milestones (a late one marked 逾期 with its problem case), and on a phone
// a township administrator reports the month; a month not yet begun is
// refused with the rule's message next to the form; the register imported
// from an Excel 台账 through the page (a refused file lists its bad rows).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, tokenFor, api, chinaDay } from '../lib/server.js';
import { xlsxOf } from '../lib/xlsx.js';
import { launch, openPage, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';

const COUNTY = '411121';
const TOWN = '411121100';
let srv;
let browser;
const pw = {};
let id;
const year = Number(chinaDay().slice(0, 4));

before(async () => {
  srv = await startServer();
  pw.county = addUser(srv.dataDir, 'county', 'county_admin', COUNTY);
  pw.town = addUser(srv.dataDir, 'town', 'township_admin', TOWN);
  const token = tokenFor(srv.dataDir, 'county');
  const post = async (p, body) => {
    const r = await api(srv.url, p, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.ok([200, 201].includes(r.status), JSON.stringify(r.body));
    return r.body;
  };
  id = (await post('/api/v1/projects', { unit: TOWN, name: '食品产业园标准化厂房', scale: '厂房 12 万平方米', nature: 'industry', owner_unit: TOWN,
    total_wan: 52000, starts_on: `${year - 1}-03-01`, ends_on: `${year + 1}-12-31` })).id;
  await post(`/api/v1/projects/${id}/plans`, { year: year - 1, plan_wan: 20000 });
  await post(`/api/v1/projects/${id}/reports`, { month: `${year - 1}-11`, invested_wan: 1500, progress: '主体施工' });
  await post(`/api/v1/projects/${id}/milestones`, { name: '主体完工', planned_on: chinaDay(-5) });
  await post(`/api/v1/projects/${id}/milestones`, { name: '竣工验收', planned_on: chinaDay(120) });
  await post(`/api/v1/projects/alerts?unit=${COUNTY}`, {});
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('重点项目: the roll-up, the register and a project with its late milestone', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'county', pw.county);
  await page.goto(`${srv.url}/#/projects?month=${year - 1}-11`);
  await page.getByRole('heading', { name: `重点项目汇总（${year - 1}-11）` }).waitFor();
  const text = await page.locator('#main').innerText();
  assert.match(text, /5\.20 亿元/);
  assert.match(text, /7\.5%/, 'year to date ÷ the year\'s plan');
  await page.getByRole('link', { name: '食品产业园标准化厂房' }).click();
  await page.getByRole('heading', { name: /工期节点/ }).waitFor();
  const late = page.locator('li[data-alert="late"]');
  assert.match(await late.innerText(), /主体完工.*逾期/);
  assert.equal(await late.getByRole('link', { name: '查看问题清单' }).count(), 1);
  assert.doesNotMatch(await page.locator('#main').innerText(), /null|undefined|industry|411121/);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-projects.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('phone: a township reports the month; a month not yet begun is refused', async (t) => {
  const { page, context, problems } = await openPage(browser, t, PHONE);
  await signIn(context, srv.url, 'town', pw.town);
  await page.goto(`${srv.url}/#/projects/${id}`);
  const form = page.getByRole('form', { name: '报送月报' });
  await form.waitFor();
  const next = new Date(Date.UTC(year, Number(chinaDay().slice(5, 7)), 1)).toISOString().slice(0, 7);
  await form.getByLabel('月份').fill(next);
  await form.getByLabel('本月完成投资（万元）').fill('100');
  await form.getByRole('button', { name: '报送月报' }).click();
  await page.getByText(/尚未开始/).waitFor();
  await form.getByLabel('月份').fill(chinaDay().slice(0, 7));
  await form.getByLabel('本月完成投资（万元）').fill('800');
  await form.getByLabel('形象进度').fill('钢结构吊装');
  await form.getByRole('button', { name: '报送月报' }).click();
  await page.getByRole('cell', { name: '钢结构吊装' }).waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page scrolls sideways: ${width}px`);
  await page.screenshot({ path: path.join(SHOTS, 'phone-projects.png'), fullPage: true });
  assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), [], 'only the refused month');
});

test('导入: the register from an Excel 台账, a bad row listed first', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'county', pw.county);
  await page.goto(`${srv.url}/#/projects?month=${year}-01`);
  await page.getByRole('heading', { name: '项目台账' }).waitFor();
  await page.getByRole('button', { name: '导入', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: '导入重点项目台账' });
  await dialog.getByText('导入到：舞阳县').waitFor();
  const head = ['项目名称', '建设地点', '项目性质', '责任单位', '总投资（万元）', '开工日期', '计划竣工日期'];
  const bad = xlsxOf([head, ['县城供水厂扩建', '舞阳县', '基础设施', '舞泉镇', '6000', `${year}-01-01`, `${year + 1}-12-31`],
    ['农贸市场改造', '舞泉镇', '民生保障', '没有的局', '-3', `${year}-01-01`, `${year}-12-31`]]);
  await dialog.getByLabel('文件').setInputFiles({ name: '台账.xlsx', mimeType: 'application/octet-stream', buffer: bad });
  await dialog.getByRole('button', { name: '导入', exact: true }).click();
  const table = dialog.locator('table.row-errors');
  await table.waitFor();
  assert.match(await dialog.locator('.import-errors').innerText(), /共 1 行有误/);
  assert.deepEqual(await table.locator('tbody tr td:nth-child(2)').allTextContents(), ['责任单位']);
  const good = xlsxOf([head, ['县城供水厂扩建', '舞阳县', '基础设施', '舞泉镇', '6000', `${year}-01-01`, `${year + 1}-12-31`],
    ['农贸市场改造', '舞泉镇', '民生保障', '舞泉镇', '300', `${year}-01-01`, `${year}-12-31`]]);
  await dialog.getByLabel('文件').setInputFiles({ name: '台账.xlsx', mimeType: 'application/octet-stream', buffer: good });
  await dialog.getByRole('button', { name: '导入', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '新登记重点项目 2 个' }).waitFor();
  await page.getByRole('link', { name: '县城供水厂扩建' }).waitFor();
  assert.equal(await page.getByRole('link', { name: '农贸市场改造' }).count(), 1);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-projects-imported.png'), fullPage: true });
  assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), [], 'only the refused file');
});
