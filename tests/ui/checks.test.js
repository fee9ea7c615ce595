// Checked data in real Chromium: in 数据填报 a broken error rule shows at
// its cells and blocks the save, a warning asks 确认保存 and then saves;
// 审核 by the township locks a village's row (and the county's approval of
// the township the whole grid) until withdrawn; 数据校验 lists what breaks
// the rules. Screenshots go to tests/out/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, freshDataDir, addUser, jicengOk, api, ROOT } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP } from './browser.js';

const TOWN = '411121100';
const V1 = '411121100201'; // 大杨庄村
const V2 = '411121100202'; // 高庄村
const PERIOD = '2025';
let srv;
let browser;
const pw = {};

before(async () => {
  const dir = freshDataDir(['41']);
  jicengOk(['--data', dir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  pw.wuquan = addUser(dir, 'wuquan', 'township_admin', TOWN);
  pw.wuyang = addUser(dir, 'wuyang', 'county_admin', '411121');
  [srv, browser] = await Promise.all([startServer({ dataDir: dir }), launch()]);
  const seed = await srv.api('/api/v1/values', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify([{ element: 'population', unit: V1, period: PERIOD, value: 1000 },
      { element: 'population', unit: V2, period: PERIOD, value: 800 }]),
  });
  assert.equal(seed.status, 200, JSON.stringify(seed.body));
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const cell = (page, unit, element) => page.locator('.entry-grid').getByLabel(`${unit} ${element}`, { exact: true });
const gridStatus = (page) => page.locator('.grid-actions .action-status');
const td = (page, unit, element) => cell(page, unit, element).locator('xpath=..');
const saved = async (unit, element) =>
  (await srv.api(`/api/v1/values?unit=${unit}&element=${element}&period=${PERIOD}`)).body.items[0]?.value ?? null;
// Requests the tests make fail on purpose (a broken rule, a warning).
const unexpected = (problems) => problems.filter((p) => !/Failed to load resource: .* status of (400|409)/.test(p));

async function openGrid(page, unit = TOWN) {
  await page.goto(`${srv.url}/#/entry?unit=${unit}&period=${PERIOD}`);
  await page.locator('.entry-grid').waitFor();
  await page.locator('.entry-grid .cell-input').first().waitFor();
}

test('数据填报: an error rule blocks the save at its cells; a warning asks for confirmation', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'wuquan', pw.wuquan);
  await openGrid(page);
  assert.equal(await cell(page, '大杨庄村', '常住人口').inputValue(), '1000');

  // 1200 家庭医生签约 for 1000 people: an error, shown at both cells; nothing is written.
  await cell(page, '大杨庄村', '家庭医生签约人数').fill('1200');
  await cell(page, '高庄村', '户数').fill('300');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  const alert = page.getByRole('alert').filter({ hasText: '违反校验规则' });
  await alert.waitFor();
  assert.match(await alert.innerText(), /未能保存，所有修改均未写入：有 1 处违反校验规则/);
  assert.match(await alert.innerText(), /大杨庄村 （错误）家庭医生签约人数不能多于常住人口（1200 <= 1000 不成立）/);
  for (const element of ['家庭医生签约人数', '常住人口']) {
    assert.match(await td(page, '大杨庄村', element).getAttribute('class'), /has-error/, element);
    assert.match(await td(page, '大杨庄村', element).locator('.cell-error').innerText(), /家庭医生签约人数不能多于常住人口/);
  }
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), '大杨庄村 家庭医生签约人数');
  assert.equal(await saved(V1, 'doctor.contracts'), null);
  assert.equal(await saved(V2, 'households'), null, 'the other change is not written either');
  await page.screenshot({ path: path.join(SHOTS, 'desktop-entry-rule-error.png') });

  // Corrected, plus 党员人数 above 10 % of the population: a warning to confirm.
  await cell(page, '大杨庄村', '家庭医生签约人数').fill('900');
  assert.doesNotMatch(await td(page, '大杨庄村', '家庭医生签约人数').getAttribute('class'), /has-error/, 'editing clears it');
  await cell(page, '大杨庄村', '注册志愿者人数').fill('120');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  const warning = page.locator('.alert.warning');
  await warning.waitFor();
  assert.match(await warning.innerText(), /有 1 处校验警告，请核实数据/);
  assert.match(await warning.innerText(), /注册志愿者人数超过常住人口的 10%，请核实（120 <= 100 不成立）/);
  assert.match(await td(page, '大杨庄村', '注册志愿者人数').getAttribute('class'), /has-warning/);
  assert.match(await td(page, '大杨庄村', '常住人口').getAttribute('class'), /has-warning/, 'the last answer\'s error is gone');
  assert.equal(await saved(V1, 'volunteers'), null, 'not before it is confirmed');
  await page.screenshot({ path: path.join(SHOTS, 'desktop-entry-rule-warning.png') });
  // 返回修改 keeps the edits; 确认保存 sends them again with confirm=true.
  await warning.getByRole('button', { name: '返回修改' }).click();
  assert.equal(await warning.count(), 0);
  assert.equal(await cell(page, '大杨庄村', '注册志愿者人数').inputValue(), '120');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await warning.waitFor();
  const request = page.waitForRequest((r) => r.url().includes('/api/v1/values?confirm=true') && r.method() === 'POST');
  await warning.getByRole('button', { name: '确认保存' }).click();
  assert.equal((JSON.parse((await request).postData())).length, 3);
  await gridStatus(page).filter({ hasText: '已保存 3 项修改（已确认 1 处校验警告）' }).waitFor();
  assert.deepEqual([await saved(V1, 'doctor.contracts'), await saved(V1, 'volunteers'), await saved(V2, 'households')], [900, 120, 300]);
  assert.equal(await page.locator('.entry-grid td.has-warning, .entry-grid td.has-error').count(), 0);
  assert.deepEqual(unexpected(problems), []);
});

test('数据校验: reached from 数据填报, lists what breaks the rules', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'wuquan', pw.wuquan);
  await openGrid(page);
  await page.getByRole('link', { name: '数据校验' }).click();
  await page.waitForURL(new RegExp(`#/entry/checks\\?unit=${TOWN}&period=${PERIOD}$`));
  await page.getByRole('heading', { name: '数据校验', level: 1 }).waitFor();
  await page.getByRole('heading', { name: `舞泉镇 · ${PERIOD}年` }).waitFor();
  const summary = page.locator('.report-summary');
  assert.match(await summary.innerText(), /检查了 2 个单位的数据、6 条年度校验规则：错误 0 处，警告 1 处/);
  const rows = page.locator('.checks-table tbody tr');
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().innerText(), /大杨庄村[\s\S]*警告[\s\S]*注册志愿者人数超过常住人口的 10%[\s\S]*120[\s\S]*100/);
  await page.getByText('校验规则（8 条）').click();
  await page.getByText('家庭医生签约人数不能多于常住人口').waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'desktop-checks-report.png'), fullPage: true });
  await rows.first().getByRole('link', { name: '大杨庄村' }).click();
  await page.waitForURL(new RegExp(`#/entry\\?unit=${V1}&period=${PERIOD}$`));
  await page.locator('.entry-grid').waitFor();
  assert.deepEqual(problems, []);
});

test('审核: the township locks a village\'s row; the county\'s approval locks the whole grid', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'wuquan', pw.wuquan);
  await openGrid(page);
  const row = page.locator('.entry-grid tbody tr').filter({ hasText: '大杨庄村' });
  await row.getByRole('button', { name: '审核大杨庄村' }).click();
  await gridStatus(page).filter({ hasText: '已审核大杨庄村的数据' }).waitFor();
  const badge = row.locator('.grid-approval');
  assert.equal(await badge.innerText(), '已审核');
  assert.match(await badge.getAttribute('title'), /^已由wuquan于 \d{4}-\d\d-\d\d \d\d:\d\d 审核$/);
  assert.equal(await cell(page, '大杨庄村', '户数').getAttribute('readonly'), '');
  assert.equal(await cell(page, '大杨庄村', '党支部标准化规范化建设达标').isDisabled(), true);
  assert.equal(await cell(page, '高庄村', '户数').getAttribute('readonly'), null, 'other rows stay open');
  await cell(page, '大杨庄村', '户数').click();
  await page.keyboard.type('5');
  assert.equal(await cell(page, '大杨庄村', '户数').inputValue(), '', 'a locked cell takes no typing');
  await page.screenshot({ path: path.join(SHOTS, 'desktop-entry-approved-row.png') });

  // Withdrawn: open again.
  await row.getByRole('button', { name: '取消审核大杨庄村' }).click();
  await gridStatus(page).filter({ hasText: '已取消审核大杨庄村的数据' }).waitFor();
  assert.equal(await badge.isHidden(), true);
  assert.equal(await cell(page, '大杨庄村', '户数').getAttribute('readonly'), null);

  // The county approves the township: every row is locked, with no button.
  const county = await api(srv.url, `/api/v1/approvals/${TOWN}?period=${PERIOD}`, {
    method: 'PUT', headers: { Authorization: `Bearer ${srv.token}` },
  });
  assert.equal(county.status, 201);
  await page.reload();
  await page.locator('.entry-grid .cell-input').first().waitFor();
  const note = page.locator('.grid-lock');
  await note.waitFor();
  assert.match(await note.innerText(), /本表数据已由系统管理员于 .* 审核，已锁定/);
  assert.equal(await page.locator('.entry-grid .grid-approval:not([hidden])').count(), 14);
  assert.equal(await page.locator('.entry-grid .grid-approve').count(), 0);
  assert.equal(await cell(page, '高庄村', '户数').getAttribute('readonly'), '');
  await page.screenshot({ path: path.join(SHOTS, 'desktop-entry-approved-grid.png') });
  assert.deepEqual(problems, []);
});
