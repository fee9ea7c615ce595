// 党员管理 › 统计 in real Chromium: a township administrator opens the tab,
// sees the summary figures, the four charts with their tables and the
// villages by name with the township's own members and the total; the
// Excel export downloads; on a phone the page does not scroll sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, tokenFor, api } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';

const TOWN = '411121100';
const V1 = '411121100201'; // 大杨庄村
const YEAR = new Date().getFullYear() - 1;
const DATE = `${YEAR}-12-31`;
let srv;
let browser;
let villageName;
const pw = {};

before(async () => {
  srv = await startServer();
  pw.town = addUser(srv.dataDir, 'town', 'township_admin', TOWN);
  const token = tokenFor(srv.dataDir, 'town');
  const call = async (p, body) => {
    const r = await api(srv.url, p, { method: body ? 'POST' : 'GET', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
    assert.ok([200, 201].includes(r.status), JSON.stringify(r.body));
    return r.body;
  };
  villageName = (await call(`/api/v1/units/${V1}`)).name;
  const branch = await call('/api/v1/party/orgs', { name: '中共大杨庄村支部委员会', type: 'branch', unit: V1, founded_on: '1990-01-01' });
  const own = await call('/api/v1/party/orgs', { name: '中共舞泉镇机关支部委员会', type: 'branch', unit: TOWN, founded_on: '1990-01-01' });
  const people = [
    [branch, '张建国', '男', '1962-05-01', '高中', '汉族', 'formal', '1990-07-01'],
    [branch, '李秀英', '女', '1996-03-01', '大专', '回族', 'probationary', `${YEAR}-06-01`],
    [branch, '王志强', '男', '1988-09-01', '本科', '汉族', 'formal', '2012-07-01'],
    [branch, '赵敏', '女', '2001-11-01', '本科', '汉族', 'activist', `${YEAR}-03-01`],
    [own, '刘洋', '男', '1979-01-15', '研究生', '汉族', 'formal', '2005-07-01'],
  ];
  for (const [org, name, sex, birth, education, ethnicity, stage, from] of people) {
    const p = await call('/api/v1/persons', { name, unit: org.unit.code, sex, birth_date: birth, education, ethnicity });
    await call(`/api/v1/party/orgs/${org.id}/members`, { person: p.id, kind: 'party_member', stage, from });
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const figure = (page, key) => page.locator(`[data-figure="${key}"] .rating-figure-value`);

test('统计: figures, charts and the villages of a township', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'town', pw.town);
  await page.goto(`${srv.url}/#/party?unit=${TOWN}`);
  await page.getByRole('navigation', { name: '党员管理' }).getByRole('link', { name: '统计' }).click();
  await page.waitForURL(/tab=stats/);
  await page.getByLabel('统计日期').fill(DATE);
  await page.getByRole('button', { name: '查看' }).click();
  await page.waitForURL(new RegExp(`date=${DATE}`));
  await figure(page, 'members').waitFor();
  assert.equal(await figure(page, 'members').innerText(), '4', '3 formal and 1 probationary');
  assert.equal(await figure(page, 'women').innerText(), '1');
  assert.equal(await figure(page, 'minority').innerText(), '1');
  assert.equal(await figure(page, 'higher').innerText(), '3', '大专, 本科, 研究生');
  assert.equal(await figure(page, 'admitted').innerText(), '1');
  assert.match(await page.locator('[data-figure="admitted"]').innerText(), new RegExp(`${YEAR} 年新发展[\\s\\S]*平均 ${YEAR - 1996} 岁`));
  // four charts drawn, each with its table
  for (const key of ['stages', 'age', 'education', 'sex']) {
    const card = page.locator(`[data-chart="${key}"]`);
    await card.locator('canvas').first().waitFor();
    assert.ok(await card.locator('table tr').count() > 0, key);
  }
  assert.match(await page.locator('[data-chart="stages"] table').innerText(), /入党积极分子\s+1[\s\S]*正式党员\s+3/);
  assert.match(await page.locator('[data-chart="education"] table').innerText(), /大学本科\s+1/);
  // by child unit: names, the township's own row first, the total
  const table = page.locator('table.stats-children');
  const rows = await table.locator('tbody tr').allInnerTexts();
  assert.match(rows[0], /（本级）\s+1\b/);
  const village = rows.find((r) => r.startsWith(villageName));
  assert.ok(village, 'the village by its name');
  assert.match(village, new RegExp(`^${villageName}\\s+3\\s`));
  assert.match(await table.locator('tfoot').innerText(), /合计\s+4\s/);
  assert.doesNotMatch(await page.locator('#main').innerText(), /null|undefined|probationary|41112110020\d/);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-party-stats.png'), fullPage: true });
  // the export
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: '导出 Excel' }).click();
  assert.match((await download).suggestedFilename(), /党员统计.*\.xlsx$/);
  assert.deepEqual(problems, []);
});

test('统计 on a phone: readable, no sideways scrolling', async (t) => {
  const { page, context, problems } = await openPage(browser, t, PHONE);
  await signIn(context, srv.url, 'town', pw.town);
  await page.goto(`${srv.url}/#/party?tab=stats&unit=${TOWN}&date=${DATE}`);
  await page.locator('[data-chart="sex"] canvas').first().waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page scrolls sideways: ${width}px`);
  const box = await page.locator('[data-chart="education"] canvas').first().boundingBox();
  assert.ok(box.width > 250, 'a chart takes the phone\'s width');
  await page.screenshot({ path: path.join(SHOTS, 'phone-party-stats.png'), fullPage: true });
  assert.deepEqual(problems, []);
});
