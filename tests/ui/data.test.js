// Data in real Chromium: 数据填报 (the grid, saving only what changed, a
// refused value shown at its cell, ledger import), 统计分析 (the figure, the
// ranking, the ECharts chart, drilling down, exports) and 数据元 (defining
// elements and indicators), on a desktop and a phone. Figures as in
// tests/api/data.test.js: 舞泉镇's villages 411121100201…203 with 100/200/300
// households and 90/150/300 sanitary toilets in 2023 make 90 %.
// Screenshots go to tests/out/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, freshDataDir, addUser, jicengOk, tokenFor, api, ROOT } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';

let srv;
let browser;
let town; // bearer fetch as the 舞泉镇 township administrator
const pw = {};
const V = (n) => `4111211002${String(n).padStart(2, '0')}`; // villages 411121100201…
const fixture = (f) => path.join(ROOT, 'tests/fixtures', f);
const shipped = JSON.parse(fs.readFileSync(path.join(ROOT, 'data/definitions.json'), 'utf8'));

before(async () => {
  const dir = freshDataDir(['41']);
  jicengOk(['--data', dir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  pw.wuquan = addUser(dir, 'wuquan', 'township_admin', '411121100');
  pw.guancha = addUser(dir, 'guancha', 'observer', '411121');
  const token = tokenFor(dir, 'wuquan');
  town = (p, init = {}) => api(srv.url, p, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  [srv, browser] = await Promise.all([startServer({ dataDir: dir }), launch()]);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const heading = (page) => page.getByRole('heading', { level: 1 });
const mainNav = (page) => page.getByRole('navigation', { name: '主导航' });
// A grid cell by the village's short name and the element's name.
const cell = (page, unit, element) => page.locator('.entry-grid').getByLabel(`${unit} ${element}`, { exact: true });
const focusedLabel = (page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
const gridStatus = (page) => page.locator('.grid-actions .action-status');
const thisYear = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());

// The values entered in 舞泉镇 for a period, as {'unit|element': value}.
async function saved(period) {
  const { body } = await srv.api(`/api/v1/values?unit=411121100&period=${period}&limit=1000`);
  return Object.fromEntries(body.items.map((v) => [`${v.unit}|${v.element}`, v.value]));
}

// The 2023 figures through the API, the same as the entry test leaves
// them, so the tests reading them stand alone.
async function seed2023() {
  const seed = await town('/api/v1/values', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify([[1, 100, 90], [2, 200, 150], [3, 300, 300]].flatMap(([n, households, toilets]) => [
      { element: 'households', unit: V(n), period: '2023', value: households },
      { element: 'toilet.sanitary', unit: V(n), period: '2023', value: toilets },
    ])),
  });
  assert.equal(seed.status, 200, JSON.stringify(seed.body));
}

async function assertNoHorizontalScroll(page) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= width, `page is ${scroll}px wide in a ${width}px viewport`);
}

// Failed requests the tests cause on purpose (refused values, formulas…).
const unexpected = (problems, statuses = '400') =>
  problems.filter((p) => !new RegExp(`Failed to load resource: .* status of (${statuses})`).test(p));

test('数据填报: keyboard entry, only the changed cells saved, reloaded; a refused value shows at its cell', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'wuquan', pw.wuquan);
  await page.goto(srv.url + '/#/units');
  await mainNav(page).getByRole('link', { name: '数据填报' }).click();
  await heading(page).filter({ hasText: '数据填报' }).waitFor();
  // By default the scope unit and this year.
  await page.getByRole('heading', { name: `舞泉镇 · ${thisYear}年` }).waitFor();
  await page.getByLabel('年份').selectOption('2023');
  await page.getByRole('button', { name: '打开' }).click();
  await page.waitForURL(/#\/entry\?unit=411121100&period=2023$/);
  await page.getByRole('heading', { name: '舞泉镇 · 2023年' }).waitFor();
  await page.getByText('14 个村(社区) · 11 个数据元').waitFor();

  // Rows: the 14 villages; columns: the yearly elements entered at village
  // level (or any level), never the monthly ones.
  const rows = page.locator('.entry-grid tbody tr');
  assert.equal(await rows.count(), 14);
  assert.deepEqual(await rows.locator('.grid-unit').evaluateAll((all) => all.slice(0, 3).map((e) => e.textContent)),
    ['大杨庄村', '高庄村', '双庙村']);
  const columns = await page.locator('.entry-grid thead .grid-element').allTextContents();
  assert.equal(columns.length, 11);
  assert.ok(!columns.includes('党员人数'), 'computed from the rosters, never entered');
  for (const name of ['户数', '卫生厕所户数', '常住人口', '计划投资', '党支部标准化规范化建设达标']) assert.ok(columns.includes(name), name);
  assert.ok(!columns.includes('受理群众诉求件数'));
  assert.equal(await cell(page, '大杨庄村', '户数').getAttribute('inputmode'), 'decimal');
  assert.equal(await page.locator('details.element-picker summary').innerText(), '已选 11 项，共 11 项（点击修改）');

  // Enter goes down a column, the arrows across and up, Escape restores.
  await cell(page, '大杨庄村', '户数').click();
  await page.keyboard.type('100');
  await page.keyboard.press('Enter');
  assert.equal(await focusedLabel(page), '高庄村 户数');
  await page.keyboard.type('200');
  await cell(page, '高庄村', '卫生厕所户数').click();
  await page.keyboard.type('150');
  await page.keyboard.press('ArrowUp');
  assert.equal(await focusedLabel(page), '大杨庄村 卫生厕所户数');
  await page.keyboard.type('90');
  await page.keyboard.press('ArrowLeft'); // inside the text: the caret moves, not the focus
  assert.equal(await focusedLabel(page), '大杨庄村 卫生厕所户数');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await focusedLabel(page), '大杨庄村 常住人口');
  await page.keyboard.type('5');
  await gridStatus(page).filter({ hasText: '已修改 5 项，尚未保存' }).waitFor();
  await page.keyboard.press('Escape');
  assert.equal(await cell(page, '大杨庄村', '常住人口').inputValue(), '');
  await gridStatus(page).filter({ hasText: '已修改 4 项，尚未保存' }).waitFor();
  assert.equal(await page.locator('.entry-grid td.changed').count(), 4);

  // 保存 sends the four changed cells in one request.
  const request = page.waitForRequest((r) => r.url().endsWith('/api/v1/values') && r.method() === 'POST');
  await page.getByRole('button', { name: '保存' }).click();
  const sent = JSON.parse((await request).postData());
  assert.deepEqual(sent.map((v) => [v.unit, v.element, v.period, v.value]).sort(), [
    [V(1), 'households', '2023', 100], [V(1), 'toilet.sanitary', '2023', 90],
    [V(2), 'households', '2023', 200], [V(2), 'toilet.sanitary', '2023', 150],
  ].sort());
  await gridStatus(page).filter({ hasText: '已保存 4 项修改' }).waitFor();
  assert.equal(await page.locator('.entry-grid td.changed').count(), 0);
  assert.deepEqual(await saved('2023'), {
    [`${V(1)}|households`]: 100, [`${V(1)}|toilet.sanitary`]: 90, [`${V(2)}|households`]: 200, [`${V(2)}|toilet.sanitary`]: 150,
  });

  // A reload shows what was saved.
  await page.reload();
  await page.getByRole('heading', { name: '舞泉镇 · 2023年' }).waitFor();
  await page.locator('.entry-grid').waitFor();
  assert.equal(await cell(page, '大杨庄村', '户数').inputValue(), '100');
  assert.equal(await cell(page, '高庄村', '户数').inputValue(), '200');
  assert.equal(await cell(page, '大杨庄村', '卫生厕所户数').inputValue(), '90');
  assert.equal(await cell(page, '高庄村', '卫生厕所户数').inputValue(), '150');

  // 10.5 households: the server refuses item 2, shown at that cell; the
  // other change (item 1) is not written either.
  await cell(page, '大杨庄村', '常住人口').fill('500');
  await cell(page, '双庙村', '户数').fill('10.5');
  await page.getByRole('button', { name: '保存' }).click();
  const bad = cell(page, '双庙村', '户数');
  const cellError = page.locator('.entry-grid td.has-error .cell-error');
  await cellError.waitFor();
  assert.equal(await page.locator('.entry-grid td.has-error').count(), 1);
  assert.match(await cellError.innerText(), /须为整数，收到 10\.5/);
  assert.equal(await bad.getAttribute('aria-invalid'), 'true');
  assert.equal(await focusedLabel(page), '双庙村 户数');
  assert.equal(await page.locator('.entry-grid td.has-error').evaluate((td) => td.contains(document.activeElement)), true);
  assert.match(await page.getByRole('alert').innerText(), /未能保存，所有修改均未写入：双庙村“户数”/);
  assert.equal((await saved('2023'))[`${V(1)}|population`], undefined, 'nothing was written');
  await page.screenshot({ path: path.join(SHOTS, 'desktop-entry-error.png') });

  // Text that is no number is caught before sending.
  await bad.fill('三百');
  await page.getByRole('button', { name: '保存' }).click();
  await cellError.filter({ hasText: '请填写数字' }).waitFor();

  // Corrected: saved; an emptied cell deletes its value.
  await bad.fill('300');
  assert.equal(await page.locator('.entry-grid td.has-error').count(), 0, 'editing clears the error');
  await cell(page, '双庙村', '卫生厕所户数').fill('300');
  await cell(page, '大杨庄村', '常住人口').fill('');
  await cell(page, '张楼村', '注册志愿者人数').fill('12');
  await cell(page, '张楼村', '党支部标准化规范化建设达标').selectOption({ label: '是' });
  await page.getByRole('button', { name: '保存' }).click();
  await gridStatus(page).filter({ hasText: '已保存 4 项修改' }).waitFor();
  let now = await saved('2023');
  assert.equal(now[`${V(3)}|households`], 300);
  assert.equal(now[`${V(4)}|volunteers`], 12);
  assert.equal(now[`${V(4)}|branch.standardised`], 1);
  assert.equal(now[`${V(1)}|population`], undefined);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-entry.png'), fullPage: true });

  await cell(page, '张楼村', '注册志愿者人数').fill('');
  await cell(page, '张楼村', '党支部标准化规范化建设达标').selectOption({ label: '—' });
  await cell(page, '张楼村', '注册志愿者人数').press('Control+s');
  await gridStatus(page).filter({ hasText: '已保存 2 项修改' }).waitFor();
  now = await saved('2023');
  assert.equal(now[`${V(4)}|volunteers`], undefined);
  assert.equal(now[`${V(4)}|branch.standardised`], undefined);
  assert.equal(Object.keys(now).length, 6);

  // A village's own grid: 下级 is offered only for units with children;
  // the trail leads back.
  assert.equal(await page.locator('.entry-grid tbody a').count(), 0);
  await page.goto(srv.url + '/#/entry?unit=' + V(1) + '&period=2023');
  await page.getByText('本单位没有下级单位，填报本单位的数据').waitFor();
  await page.locator('.entry-grid').waitFor(); // shown once its values are read
  assert.equal(await cell(page, '大杨庄村', '户数').inputValue(), '100');
  await page.getByRole('navigation', { name: '单位位置' }).getByRole('link', { name: '舞泉镇' }).click();
  await page.waitForURL(/#\/entry\?unit=411121100&period=2023$/);
  await page.locator('.entry-grid').waitFor();

  assert.deepEqual(unexpected(problems), []);
});

test('数据填报: a GB18030 ledger imported through the upload; a bad one changes nothing', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'wuquan', pw.wuquan);
  await page.goto(srv.url + '/#/entry?period=2024');
  await page.getByRole('heading', { name: '舞泉镇 · 2024年' }).waitFor();
  await page.locator('.entry-grid').waitFor();
  assert.equal(await cell(page, '大杨庄村', '户数').inputValue(), '');
  await page.getByText('台账格式说明').click();
  await page.getByText(/第一行为表头：“单位代码”（必填）/).waitFor();

  // The template is the grid as a CSV ledger.
  const [template] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载本表模板（CSV）' }).click()]);
  assert.equal(template.suggestedFilename(), '舞泉镇-2024-填报模板.csv');
  const lines = fs.readFileSync(await template.path(), 'utf8').replace(/^\ufeff/, '').split('\r\n');
  assert.match(lines[0], /^单位代码,单位名称,.*户数/);
  assert.equal(lines[1].split(',')[0], V(1));

  await page.getByLabel('台账文件').setInputFiles(fixture('ledger-wuquan-gb18030.csv'));
  await page.getByRole('button', { name: '导入台账' }).click();
  await page.getByText('已导入“ledger-wuquan-gb18030.csv”：共 7 项数据，其中 7 项有变化。').waitFor();
  // The grid shows the imported values.
  await page.waitForFunction(() => document.querySelector('.entry-grid [aria-label="大杨庄村 户数"]')?.value === '412');
  assert.equal(await cell(page, '高庄村', '户数').inputValue(), '1030');
  assert.equal(await cell(page, '大杨庄村', '村集体经济收入').inputValue(), '62.5');
  assert.equal(await cell(page, '双庙村', '卫生厕所户数').inputValue(), '');
  await page.screenshot({ path: path.join(SHOTS, 'desktop-entry-import.png'), fullPage: true });

  // Row 3, column C is not a number: the message names them, nothing is written.
  await page.getByLabel('台账文件').setInputFiles(fixture('ledger-bad-number.csv'));
  await page.getByRole('button', { name: '导入台账' }).click();
  const alert = page.locator('.import-result').getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /导入失败，台账中的数据均未写入：.*第 3 行 C 列/);
  assert.equal((await saved('2024'))[`${V(1)}|households`], 412);

  // Unsaved edits first: the import waits.
  await cell(page, '张楼村', '户数').fill('7');
  await page.getByLabel('台账文件').setInputFiles(fixture('ledger-wuquan-gb18030.csv'));
  await page.getByRole('button', { name: '导入台账' }).click();
  await page.getByText('表格中有尚未保存的修改，请先保存或撤销，再导入台账。').waitFor();
  await page.getByRole('button', { name: '撤销修改' }).click();
  assert.equal(await cell(page, '张楼村', '户数').inputValue(), '');

  assert.deepEqual(unexpected(problems), []);
});

test('数据填报: quarters and months offer the elements of their kind', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'wuquan', pw.wuquan);
  await page.goto(srv.url + '/#/entry?period=2023');
  await page.locator('.entry-grid').waitFor();
  await page.getByLabel('周期').selectOption({ label: '季度' });
  assert.equal(await page.getByLabel('月份').isVisible(), false);
  await page.getByLabel('季度').selectOption({ label: '第二季度' });
  await page.getByRole('button', { name: '打开' }).click();
  await page.waitForURL(/#\/entry\?unit=411121100&period=2023Q2$/);
  await page.getByRole('heading', { name: '舞泉镇 · 2023年第二季度' }).waitFor();
  assert.deepEqual(await page.locator('.entry-grid thead .grid-element').allTextContents(), ['群众满意度']);
  // A percentage above 100 is refused at its cell; 95% is fine.
  await cell(page, '大杨庄村', '群众满意度').fill('101');
  await page.getByRole('button', { name: '保存' }).click();
  await page.locator('.entry-grid td.has-error .cell-error').waitFor();
  await cell(page, '大杨庄村', '群众满意度').fill('95%');
  await page.getByRole('button', { name: '保存' }).click();
  await gridStatus(page).filter({ hasText: '已保存 1 项修改' }).waitFor();
  assert.equal((await saved('2023Q2'))[`${V(1)}|satisfaction`], 95);

  // Months: the monthly elements; choosing fewer of them is kept in the address.
  await page.getByLabel('周期').selectOption({ label: '月度' });
  await page.getByLabel('月份').selectOption({ label: '7月' });
  await page.locator('details.element-picker summary').click();
  await page.getByRole('checkbox', { name: /排查安全隐患数/ }).uncheck();
  await page.getByRole('checkbox', { name: /整改安全隐患数/ }).uncheck();
  // The work-item figures (jiceng items figures) are monthly too.
  for (const name of [/^受理事项数/, /^办结事项数/, /^按时办结事项数/, /^超期事项数/])
    await page.getByRole('checkbox', { name }).uncheck();
  assert.equal(await page.locator('details.element-picker summary').innerText(), '已选 2 项，共 8 项（点击修改）');
  await page.getByRole('button', { name: '打开' }).click();
  await page.waitForURL(/#\/entry\?unit=411121100&period=2023-07&elements=/);
  await page.getByRole('heading', { name: '舞泉镇 · 2023年7月' }).waitFor();
  assert.deepEqual(await page.locator('.entry-grid thead .grid-element').allTextContents(), ['受理群众诉求件数', '办结群众诉求件数']);

  // ISO weeks: the weekly elements; 2026 has a 53rd week, 2025 does not.
  await page.getByLabel('周期').selectOption({ label: '周' });
  await page.getByLabel('年份').selectOption('2026');
  assert.equal(await page.getByLabel('周', { exact: true }).locator('option').count(), 53);
  await page.getByLabel('年份').selectOption('2025');
  assert.equal(await page.getByLabel('周', { exact: true }).locator('option').count(), 52);
  await page.getByLabel('周', { exact: true }).selectOption({ label: '第48周' });
  await page.getByRole('button', { name: '打开' }).click();
  await page.waitForURL(/#\/entry\?unit=411121100&period=2025-W48/);
  await page.getByRole('heading', { name: '舞泉镇 · 2025年第48周' }).waitFor();
  assert.deepEqual(await page.locator('.entry-grid thead .grid-element').allTextContents(), ['本周办结事项数', '本周按时办结事项数', '本周超期事项数', '本周受理事项数']); // by code
  await cell(page, '大杨庄村', '本周受理事项数').fill('6');
  await page.getByRole('button', { name: '保存' }).click();
  await gridStatus(page).filter({ hasText: '已保存 1 项修改' }).waitFor();
  assert.equal((await saved('2025-W48'))[`${V(1)}|items.week.received`], 6);
  assert.deepEqual(unexpected(problems), []);
});

test('统计分析: the figure, the ranking, the chart, drilling down, exports and formulas of one\'s own', async (t) => {
  await seed2023();

  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'wuquan', pw.wuquan);
  await page.goto(srv.url + '/#/units');
  await mainNav(page).getByRole('link', { name: '统计分析' }).click();
  await heading(page).filter({ hasText: '统计分析' }).waitFor();
  await page.getByLabel('指标', { exact: true }).selectOption({ label: '卫生厕所普及率' });
  // A township user sees names first: the formula only after 显示公式和代码.
  const about = page.locator('.indicator-about');
  await about.getByText('百分比').waitFor();
  assert.equal(await about.locator('.tech').isVisible(), false);
  await page.getByRole('button', { name: '显示公式和代码' }).click();
  await about.locator('.tech', { hasText: '公式 #{toilet.sanitary} / #{households} * 100 ·' }).waitFor();
  assert.equal(await page.getByRole('button', { name: '隐藏公式和代码' }).getAttribute('aria-pressed'), 'true');
  await page.getByLabel('年份').selectOption('2023');
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL(/#\/analytics\?indicator=toilet\.rate&unit=411121100&period=2023$/);
  await page.getByRole('heading', { name: '舞泉镇 · 2023年' }).waitFor();
  assert.equal(await page.locator('.figure-value').innerText(), '90.0%');

  // Ranking: highest first, the villages without data last, as “—”.
  const ranking = page.locator('table.ranking tbody tr');
  assert.equal(await ranking.count(), 14);
  const table = await ranking.evaluateAll((all) => all.map((tr) => [tr.cells[0].textContent, tr.cells[1].querySelector('a').textContent, tr.cells[2].textContent]));
  assert.deepEqual(table.slice(0, 3), [
    ['1', '双庙村村民委员会', '100.0%'], ['2', '大杨庄村村民委员会', '90.0%'], ['3', '高庄村村民委员会', '75.0%'],
  ]);
  assert.ok(table.slice(3).every(([rank, , value]) => rank === '—' && value === '—'), JSON.stringify(table));
  await page.getByText('共 14 个，3 个有数据。').waitFor();

  // The chart: an ECharts canvas; hovering draws its tooltip on the canvas.
  const chart = page.locator('.chart');
  await chart.locator('canvas').first().waitFor();
  const box = await chart.boundingBox();
  assert.ok(box.width > 300 && box.height > 300, JSON.stringify(box));
  const bar = await page.evaluate(() => {
    const instance = window.echarts.getInstanceByDom(document.querySelector('.chart'));
    return instance.convertToPixel({ seriesIndex: 0 }, [50, '411121100203']); // halfway along 双庙村's bar
  });
  await page.mouse.move(box.x + bar[0], box.y + bar[1]);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-analytics.png'), fullPage: true });

  // Exports: the same view from the server, downloaded with the session cookie.
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 Excel' }).click()]);
  assert.equal(xlsx.suggestedFilename(), '舞泉镇-卫生厕所普及率-2023.xlsx');
  assert.equal(fs.readFileSync(await xlsx.path()).subarray(0, 4).toString('latin1'), 'PK\x03\x04');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 CSV' }).click()]);
  const csvLines = fs.readFileSync(await csv.path(), 'utf8').replace(/^\ufeff/, '').trim().split('\n');
  assert.equal(csvLines[0], '单位代码,单位名称,"卫生厕所普及率"');
  assert.equal(csvLines[1], '411121100,"舞泉镇",90', 'the unit\'s own total first');
  assert.equal(csvLines[2], `${V(3)},"双庙村村民委员会",100`);
  assert.equal(csvLines.length, 16);
  assert.match(await page.getByRole('link', { name: '导出 Excel' }).getAttribute('href'), /format=xlsx/);

  // Clicking a bar opens that village.
  await page.mouse.click(box.x + bar[0], box.y + bar[1]);
  await page.waitForURL(new RegExp(`unit=${V(3)}&period=2023$`));
  await page.getByRole('heading', { name: '双庙村村民委员会 · 2023年' }).waitFor();
  assert.equal(await page.locator('.figure-value').innerText(), '100.0%');
  await page.getByText('此单位没有下级单位。').waitFor();
  await page.getByRole('navigation', { name: '单位位置' }).getByRole('link', { name: '舞泉镇' }).click();
  // … and so does a name in the ranking.
  await ranking.nth(1).getByRole('link', { name: '大杨庄村村民委员会' }).click();
  await page.waitForURL(new RegExp(`unit=${V(1)}&period=2023$`));
  assert.equal(await page.locator('.figure-value').innerText(), '90.0%');

  // A formula of one's own: an error names its position at the field.
  await page.getByLabel('指标', { exact: true }).selectOption({ label: '自定义公式…' });
  const formula = page.getByLabel('公式');
  await formula.fill('#{households} * (2 +');
  await page.getByLabel('单位', { exact: true }).fill('411121100');
  await page.getByRole('button', { name: '查询' }).click();
  const formulaError = page.locator('.field[data-field="expr"] .field-error');
  await formulaError.waitFor();
  assert.match(await formulaError.innerText(), /^第 21 个字符处：/);
  assert.equal(await formula.getAttribute('aria-invalid'), 'true');
  await formula.fill('#{households}');
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL(/expr=%23%7Bhouseholds%7D&unit=411121100&period=2023$/);
  await page.locator('.figure-value').filter({ hasText: /^600$/ }).waitFor();
  assert.equal(await page.locator('.figure-title').innerText(), '户数');

  assert.deepEqual(unexpected(problems), []);
});

test('数据元: the lists in Chinese; defining an element and an indicator, errors at their fields', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'admin', srv.adminPassword);
  await page.goto(srv.url + '/#/units');
  await mainNav(page).getByRole('link', { name: '数据元' }).click();
  await heading(page).filter({ hasText: '数据元' }).waitFor();
  const elementRows = page.getByRole('region', { name: '数据元' }).locator('tbody tr');
  const indicatorRows = page.getByRole('region', { name: '指标' }).locator('tbody tr');
  await elementRows.first().waitFor();
  assert.equal(await elementRows.count(), shipped.elements.length);
  assert.equal(await indicatorRows.count(), shipped.indicators.length);
  const cells = (row) => row.locator('td').allInnerTexts();
  assert.deepEqual((await cells(page.locator('tr[data-code="items.week.done"]'))).slice(5, 6), ['周']);
  assert.deepEqual(await cells(page.locator('tr[data-code="households"]')),
    ['户数\n常住户数', 'households', '户', '整数', '求和', '年度', '村(社区)', '≥ 0']);
  assert.deepEqual((await cells(page.locator('tr[data-code="satisfaction"]'))).slice(3, 8),
    ['百分比', '平均', '季度', '村(社区)', '0–100']);
  assert.deepEqual((await cells(page.locator('tr[data-code="hazards.found"]'))).slice(5, 7), ['月度', '不限']);
  assert.deepEqual(await cells(page.locator('tr[data-code="toilet.rate"]')),
    ['卫生厕所普及率', 'toilet.rate', '#{toilet.sanitary} / #{households} * 100', '百分比，1 位小数', '%']);

  // A new element; its code taken is refused at 代码.
  const newElement = page.getByRole('button', { name: '新建数据元' });
  await newElement.click();
  const dialog = page.getByRole('dialog', { name: '新建数据元' });
  await dialog.getByLabel('名称').fill('硬化道路里程');
  await dialog.getByLabel('代码').fill('households');
  await dialog.getByLabel('计量单位').fill('公里');
  await dialog.getByLabel('值类型').selectOption({ label: '数值' });
  await dialog.getByLabel('填报周期').selectOption({ label: '年度' });
  await dialog.getByLabel('村(社区)').check();
  await dialog.getByLabel('下限').fill('0');
  await dialog.getByRole('button', { name: '创建' }).click();
  const codeError = dialog.locator('.field[data-field="code"] .field-error');
  await codeError.waitFor();
  assert.equal(await dialog.getByLabel('代码').getAttribute('aria-invalid'), 'true');
  await dialog.getByLabel('上限').fill('很多');
  await dialog.getByLabel('代码').fill('roads.km');
  await dialog.getByRole('button', { name: '创建' }).click();
  await dialog.locator('.field[data-field="max"] .field-error').filter({ hasText: '请填写数字' }).waitFor();
  await dialog.getByLabel('上限').fill('');
  await dialog.getByRole('button', { name: '创建' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByText('已新建数据元“硬化道路里程”（roads.km）').waitFor();
  assert.deepEqual(await cells(page.locator('tr[data-code="roads.km"]')),
    ['硬化道路里程', 'roads.km', '公里', '数值', '求和', '年度', '村(社区)', '≥ 0']);
  assert.equal(await newElement.evaluate((b) => b === document.activeElement), true, 'focus returns to 新建数据元');
  const { body: created } = await srv.api('/api/v1/elements');
  assert.deepEqual(created.items.find((e) => e.code === 'roads.km').levels, ['village']);

  // A new indicator: a broken formula is refused with the position of the fault.
  await page.getByRole('button', { name: '新建指标' }).click();
  const ind = page.getByRole('dialog', { name: '新建指标' });
  await ind.getByLabel('名称').fill('户均道路里程');
  await ind.getByLabel('代码').fill('roads.per.household');
  await ind.getByLabel('插入数据元').selectOption({ label: '硬化道路里程（roads.km）' });
  await ind.getByLabel('公式').press('End');
  await ind.getByLabel('公式').pressSequentially(' / (');
  assert.equal(await ind.getByLabel('公式').inputValue(), '#{roads.km} / (');
  await ind.getByRole('button', { name: '创建' }).click();
  const formulaError = ind.locator('.field[data-field="formula"] .field-error');
  await formulaError.waitFor();
  assert.match(await formulaError.innerText(), /^第 \d+ 个字符处：/);
  assert.equal(await ind.getByLabel('公式').getAttribute('aria-invalid'), 'true');
  await page.screenshot({ path: path.join(SHOTS, 'desktop-indicator-error.png') });
  await ind.getByLabel('公式').fill('#{roads.km} / #{households}');
  await ind.getByLabel('显示格式').selectOption({ label: '数值' });
  await ind.getByLabel('小数位数').selectOption({ label: '2 位' });
  await ind.getByLabel('计量单位').fill('公里/户');
  await ind.getByRole('button', { name: '创建' }).click();
  await ind.waitFor({ state: 'detached' });
  await page.getByText('已新建指标“户均道路里程”（roads.per.household）').waitFor();
  assert.deepEqual(await cells(page.locator('tr[data-code="roads.per.household"]')),
    ['户均道路里程', 'roads.per.household', '#{roads.km} / #{households}', '数值，2 位小数', '公里/户']);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-elements.png'), fullPage: true });

  // Without data:define the lists show, the buttons do not; an observer
  // may read data but not enter it.
  const { page: other, context: otherContext, problems: otherProblems } = await openPage(browser, t, DESKTOP);
  await signIn(otherContext, srv.url, 'guancha', pw.guancha);
  await other.goto(srv.url + '/#/elements');
  await other.locator('tr[data-code="roads.km"]').waitFor();
  assert.equal(await other.getByRole('button', { name: /新建/ }).count(), 0);
  assert.deepEqual(await mainNav(other).getByRole('link').allTextContents(), ['工作台', '通知公告', '组织体系', '台账事项', '月讲评', '五星创建', '支部联建', '创建标准', '党员管理', '一户一档', '述职评议', '擂台比武', '网格管理', '包联', '健康服务', '双随机', '共享小区', '心愿与议事', '志愿服务', '干部队伍', '重点项目', '统计分析', '数据元']);

  assert.deepEqual(unexpected(problems, '400|409'), []);
  assert.deepEqual(otherProblems, []);
});

test('a whole-country user starts by picking a unit', async (t) => {
  await seed2023();
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'admin', srv.adminPassword);
  await page.goto(srv.url + '/#/analytics?indicator=toilet.rate&period=2023');
  await page.getByRole('heading', { name: '选择单位' }).waitFor();
  await page.getByRole('link', { name: '河南省' }).click();
  await page.waitForURL(/#\/analytics\?indicator=toilet\.rate&unit=41&period=2023$/);
  await page.getByRole('heading', { name: '河南省 · 2023年' }).waitFor();
  assert.equal(await page.locator('.figure-value').innerText(), '90.0%');
  assert.equal(await page.locator('table.ranking tbody tr').count(), 18);

  await page.goto(srv.url + '/#/entry?period=2023');
  await page.getByRole('heading', { name: '选择单位' }).waitFor();
  await page.getByRole('link', { name: '河南省' }).click();
  await page.waitForURL(/#\/entry\?unit=41&period=2023$/);
  // The cities enter only the elements of any level.
  await page.getByText('18 个市 · 2 个数据元').waitFor();
  assert.deepEqual(await page.locator('.entry-grid thead .grid-element').allTextContents(), ['完成投资', '计划投资']);
  // 下级 opens a city's own grid.
  await page.locator('.entry-grid tbody tr').filter({ hasText: '漯河市' }).getByRole('link', { name: '下级' }).click();
  await page.waitForURL(/#\/entry\?unit=4111&period=2023$/);
  await page.getByRole('heading', { name: '漯河市 · 2023年' }).waitFor();
  assert.deepEqual(problems, []);
});

test('phone: the grid scrolls inside its card, the analytics page fits', async (t) => {
  const { page, context, problems } = await openPage(browser, t, PHONE);
  await signIn(context, srv.url, 'wuquan', pw.wuquan);
  await page.goto(srv.url + '/#/entry?unit=411121100&period=2023');
  await page.getByRole('heading', { name: '舞泉镇 · 2023年' }).waitFor();
  await page.locator('.entry-grid').waitFor();
  await assertNoHorizontalScroll(page);
  const scroller = await page.locator('.grid-scroll').evaluate((e) => ({ scroll: e.scrollWidth, width: e.clientWidth }));
  assert.ok(scroller.scroll > scroller.width, `the grid scrolls sideways: ${JSON.stringify(scroller)}`);
  const input = cell(page, '大杨庄村', '户数');
  await input.scrollIntoViewIfNeeded();
  await input.tap();
  assert.equal(await focusedLabel(page), '大杨庄村 户数');
  // The unit column stays in view while the grid scrolls.
  await page.locator('.grid-scroll').evaluate((e) => { e.scrollLeft = e.scrollWidth; });
  const rowHead = await page.locator('.entry-grid tbody th').first().boundingBox();
  assert.ok(rowHead.x >= 0 && rowHead.x < 40, JSON.stringify(rowHead));
  await page.locator('.grid-scroll').evaluate((e) => { e.scrollLeft = 0; });
  await assertNoHorizontalScroll(page);
  await page.screenshot({ path: path.join(SHOTS, 'phone-entry.png'), fullPage: true });

  await page.goto(srv.url + '/#/analytics?indicator=toilet.rate&unit=411121100&period=2023');
  await page.locator('.figure-value').filter({ hasText: '90.0%' }).waitFor();
  await page.locator('.chart canvas').first().waitFor();
  await assertNoHorizontalScroll(page);
  await page.screenshot({ path: path.join(SHOTS, 'phone-analytics.png'), fullPage: true });

  await page.goto(srv.url + '/#/elements');
  await page.locator('tr[data-code="households"]').waitFor();
  await assertNoHorizontalScroll(page);

  assert.deepEqual(problems, []);
});

test('phone: one village\'s grid is a form, a label above each input, the same messages', async (t) => {
  const { page, context, problems } = await openPage(browser, t, PHONE);
  await signIn(context, srv.url, 'wuquan', pw.wuquan);
  await page.goto(`${srv.url}/#/entry?unit=${V(1)}&period=2023`);
  await page.getByRole('heading', { name: '大杨庄村村民委员会 · 2023年' }).waitFor();
  await page.locator('.entry-grid.single-unit').waitFor();
  await assertNoHorizontalScroll(page);
  const scroller = await page.locator('.grid-scroll').evaluate((e) => ({ scroll: e.scrollWidth, width: e.clientWidth }));
  assert.ok(scroller.scroll <= scroller.width, `the form does not scroll sideways: ${JSON.stringify(scroller)}`);
  // One field per element: its label (a real <label>) above its input, the full width.
  const households = page.getByRole('textbox', { name: '大杨庄村 户数' });
  const label = page.locator('label.cell-label', { hasText: '户数' }).first();
  assert.equal(await label.getAttribute('for'), await households.getAttribute('id'));
  const [l, i] = [await label.boundingBox(), await households.boundingBox()];
  assert.ok(l.y + l.height <= i.y + 1, `label above input: ${JSON.stringify({ l, i })}`);
  assert.ok(Math.abs(l.x - i.x) < 2 && i.width > 300, `aligned and wide: ${JSON.stringify({ l, i })}`);
  assert.equal(await page.locator('.entry-grid thead').isVisible(), false);
  // The same checks and messages as the grid: under the input.
  await households.scrollIntoViewIfNeeded();
  await households.fill('一百');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  const error = page.locator('td', { has: households }).locator('.cell-error');
  await error.filter({ hasText: '请填写数字' }).waitFor();
  const e = await error.boundingBox();
  assert.ok(e.y >= (await households.boundingBox()).y + i.height - 1, 'the message is under the input');
  assert.equal(await households.getAttribute('aria-invalid'), 'true');
  await page.getByRole('alert').filter({ hasText: '有 1 个单元格填写有误' }).waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'phone-entry-form.png'), fullPage: true });
  // Mended, it saves like the grid.
  await households.fill('120');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await gridStatus(page).filter({ hasText: '已保存 1 项修改' }).waitFor();
  assert.equal((await saved('2023'))[`${V(1)}|households`], 120);
  // On a desktop the same unit is a one-row grid, the labels hidden.
  const desk = await openPage(browser, t, DESKTOP);
  await signIn(desk.context, srv.url, 'wuquan', pw.wuquan);
  await desk.page.goto(`${srv.url}/#/entry?unit=${V(1)}&period=2023`);
  await desk.page.locator('.entry-grid.single-unit thead').waitFor();
  assert.equal(await desk.page.locator('label.cell-label').first().isVisible(), false);
  assert.deepEqual(problems, []);
  assert.deepEqual(desk.problems, []);
});
