// Work items in real Chromium: a grid worker files a 问题清单 item, the
// township rectifies it step by step (完成整改 asks for evidence, and the
// server's refusal of an empty one shows at the field) and 销号; a resident's
// request (群众诉求) is accepted, dispatched, resolved and rated 5 stars by
// the grid worker who submitted it; the 月讲评 page ranks the villages with
// a chart; and the pages fit a phone. Screenshots go to tests/out/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, addUser, chinaDay, ROOT } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';

const TOWN = '411121100'; // 舞泉镇
const V1 = '411121100201'; // 大杨庄村
let srv;
let browser;
const pw = {};
const ids = {};

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  pw.wangge = addUser(srv.dataDir, 'wangge', 'grid_worker', V1);
  pw.wuquan = addUser(srv.dataDir, 'wuquan', 'township_admin', TOWN);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const heading = (page) => page.getByRole('heading', { level: 1 });
// Failed requests the tests cause on purpose (a step refused for its input).
const unexpected = (problems) => problems.filter((p) => !/Failed to load resource: .* status of 400/.test(p));

async function assertNoHorizontalScroll(page) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= width, `page is ${scroll}px wide in a ${width}px viewport`);
}

async function as(t, user, options = DESKTOP) {
  const opened = await openPage(browser, t, options);
  await signIn(opened.context, srv.url, user, pw[user]);
  return opened;
}

// Creates an item through the 新建事项 dialog; resolves to its id.
async function createItem(page, { type, title, category = null, deadline = null }) {
  await page.goto(srv.url + '/#/items');
  await page.getByRole('button', { name: '新建事项' }).click();
  const dialog = page.getByRole('dialog', { name: '新建事项' });
  await dialog.getByLabel('类型').selectOption({ label: type });
  await dialog.getByLabel('标题').fill(title);
  await assert.doesNotReject(dialog.getByText('大杨庄村村民委员会').waitFor());
  if (category) await dialog.getByLabel('类别').selectOption(category);
  if (deadline) await dialog.getByLabel('期限').fill(deadline);
  await dialog.getByLabel('整改措施').fill('每周两次集中清运');
  await dialog.getByRole('button', { name: '创建' }).click();
  await heading(page).filter({ hasText: title }).waitFor();
  return Number(new URL(page.url()).hash.split('/')[2]);
}

// Takes the step whose button is `label` on the item page showing; a step
// the kind marks irreversible asks `confirm` in a dialog first.
async function step(page, label, state, confirm = null) {
  await page.locator('.item-steps').getByRole('button', { name: label, exact: true }).click();
  if (confirm) {
    const dialog = page.getByRole('dialog', { name: label });
    assert.match(await dialog.locator('.dialog-intro').innerText(), confirm);
    await dialog.getByRole('button', { name: label, exact: true }).click();
  }
  if (state) await page.getByRole('status').filter({ hasText: `当前状态：${state}` }).waitFor();
}

test('问题清单: filed by the grid worker, rectified with evidence and 销号 by the township', async (t) => {
  const grid = await as(t, 'wangge');
  ids.problem = await createItem(grid.page, { type: '问题清单', title: '村委会院内垃圾清理不及时', deadline: '2099-12-31' });
  assert.ok(ids.problem > 0);
  await grid.page.getByText('待整改').first().waitFor();
  // The list shows it with its owner unit and state.
  await grid.page.goto(srv.url + '/#/items');
  const row = grid.page.locator('.item-row', { hasText: '村委会院内垃圾清理不及时' });
  await row.waitFor();
  for (const text of ['问题清单', '大杨庄村村民委员会', '待整改', '期限 2099-12-31']) assert.match(await row.innerText(), new RegExp(text));
  assert.deepEqual(unexpected(grid.problems), []);

  const { page, problems } = await as(t, 'wuquan');
  await page.goto(`${srv.url}/#/items/${ids.problem}`);
  await heading(page).filter({ hasText: '村委会院内垃圾清理不及时' }).waitFor();
  await step(page, '开始整改', '整改中');
  await page.locator('.item-steps').getByRole('button', { name: '完成整改' }).click();
  const dialog = page.getByRole('dialog', { name: '完成整改' });
  const evidence = dialog.getByLabel('佐证材料');
  await evidence.waitFor();
  assert.equal(await dialog.locator('textarea, input').count(), 2, 'the form asks for the evidence only: words, files or both');
  await dialog.getByRole('button', { name: '完成整改' }).click();
  const error = dialog.locator('.field[data-field="evidence"] .field-error');
  await error.waitFor();
  assert.match(await error.innerText(), /佐证|evidence/);
  await evidence.fill('清运记录照片 3 张');
  const photo = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: 64, height: 48 } });
  await dialog.getByLabel('附件（照片或 PDF）').setInputFiles({ name: '清运现场.png', mimeType: 'image/png', buffer: photo });
  await dialog.getByRole('button', { name: '完成整改' }).click();
  await page.getByRole('status').filter({ hasText: '当前状态：已完成' }).waitFor();
  // The photo is on the timeline and loads from the server.
  const thumb = page.locator('.timeline-event img.file-thumb');
  await thumb.waitFor();
  assert.equal(await thumb.getAttribute('alt'), '清运现场.png');
  await page.waitForFunction(() => document.querySelector('.timeline-event img.file-thumb')?.naturalWidth === 64);
  // 销号 asks first; 取消 sends nothing.
  await page.locator('.item-steps').getByRole('button', { name: '销号', exact: true }).click();
  const ask = page.getByRole('dialog', { name: '销号' });
  await ask.getByRole('button', { name: '取消' }).click();
  await ask.waitFor({ state: 'detached' });
  assert.match(await page.locator('.item-header, #main').first().innerText(), /已完成/);
  await step(page, '销号', '已销号', /销号后此事项即办结，不能再办理。确定销号吗？/);
  const events = page.locator('.timeline-event');
  assert.equal(await events.count(), 4);
  assert.deepEqual(await page.locator('.timeline-step').allInnerTexts(), ['提交', '开始整改', '完成整改', '销号']);
  assert.match(await events.nth(2).innerText(), /清运记录照片 3 张/);
  assert.match(await events.nth(2).innerText(), /wuquan/);
  await page.getByText('此事项已办结，不能再办理。').waitFor();
  assert.doesNotMatch(await page.locator('#main').innerText(), /null|undefined/);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-item.png'), fullPage: true });
  assert.deepEqual(unexpected(problems), []);
  assert.ok(problems.length >= 1, 'the refused step was a 400');
});

test('群众诉求: accepted, dispatched, resolved, rated 5 stars by the submitter', async (t) => {
  const grid = await as(t, 'wangge');
  ids.request = await createItem(grid.page, { type: '群众诉求', title: '路灯不亮', category: '道路交通' });
  await grid.page.getByText('道路交通').waitFor();
  // The village handles its own requests; rating comes only once resolved.
  await grid.page.locator('.item-steps').getByRole('button', { name: '受理', exact: true }).waitFor();
  assert.equal(await grid.page.locator('.item-steps').getByRole('button', { name: '评价', exact: true }).count(), 0);

  const { page, problems } = await as(t, 'wuquan');
  await page.goto(`${srv.url}/#/items/${ids.request}`);
  await step(page, '受理', '已受理');
  await page.locator('.item-steps').getByRole('button', { name: '派单' }).click();
  let dialog = page.getByRole('dialog', { name: '派单' });
  await dialog.getByLabel('承办人').fill('网格员张三');
  await dialog.getByRole('button', { name: '派单' }).click();
  await page.getByRole('status').filter({ hasText: '当前状态：已派单' }).waitFor();
  await page.locator('.item-steps').getByRole('button', { name: '办结', exact: true }).click();
  dialog = page.getByRole('dialog', { name: '办结' });
  await dialog.getByLabel('说明').fill('已更换灯泡');
  await dialog.getByRole('button', { name: '办结' }).click();
  await page.getByRole('status').filter({ hasText: '当前状态：已办结' }).waitFor();
  assert.equal(await page.locator('.item-steps').getByRole('button', { name: '评价', exact: true }).count(), 0, 'only the submitter rates');
  assert.deepEqual(problems, []);

  await grid.page.goto(`${srv.url}/#/items/${ids.request}`);
  await grid.page.reload();
  await step(grid.page, '评价');
  dialog = grid.page.getByRole('dialog', { name: '评价' });
  await dialog.getByRole('radio', { name: '5 星' }).check();
  await dialog.getByRole('button', { name: '评价' }).click();
  await grid.page.getByRole('status').filter({ hasText: '当前状态：已评价' }).waitFor();
  await grid.page.locator('.item-fields').getByRole('img', { name: '5 星' }).waitFor();
  assert.match(await grid.page.locator('.timeline-event').last().innerText(), /评价/);
  assert.match(await grid.page.locator('.item-fields').innerText(), /网格员张三/);
  // The list shows the rating too.
  await grid.page.goto(srv.url + '/#/items?type=request');
  await grid.page.locator('.item-row', { hasText: '路灯不亮' }).getByRole('img', { name: '5 星' }).waitFor();
  assert.deepEqual(unexpected(grid.problems), []);
  // Rated, the township closes it.
  await page.reload();
  await step(page, '关闭', '已关闭', /确定关闭吗？/);
  assert.deepEqual(problems, []);
});

test('月讲评: the township\'s month ranks its villages, with a chart and the exports', async (t) => {
  const { page, problems } = await as(t, 'wuquan');
  const month = chinaDay().slice(0, 7);
  await page.goto(`${srv.url}/#/review?month=${month}`);
  await heading(page).filter({ hasText: '月讲评' }).waitFor();
  const table = page.locator('.review-table');
  await table.waitFor();
  assert.deepEqual(await table.locator('thead th').allInnerTexts(),
    ['排名', '单位', '受理', '办结', '按时办结', '超期', '重新整改', '按时办结率', '平均办理天数', '群众满意度']);
  const village = table.locator('tbody tr', { hasText: '大杨庄村村民委员会' });
  const cells = await village.locator('td').allInnerTexts();
  // rank, received 2, done 2 (销号, 关闭), both on time, none overdue or reopened, 100 %, …, rated 5
  assert.deepEqual(cells.slice(0, 7), ['1', '2', '2', '2', '0', '0', '100%']);
  assert.equal(cells.at(-1), '5');
  const total = await table.locator('tfoot td').allInnerTexts();
  assert.deepEqual(total.slice(1, 4), ['2', '2', '2']);
  await page.locator('.chart canvas').first().waitFor();
  // The current month is the default.
  await page.goto(`${srv.url}/#/review`);
  await page.waitForFunction(() => document.querySelector('input[name="month"]')?.value);
  assert.equal(await page.locator('input[name="month"]').inputValue(), month);
  await page.goto(`${srv.url}/#/review?month=${month}`);
  await page.locator('.chart canvas').first().waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 CSV' }).click()]);
  assert.match(download.suggestedFilename(), /月讲评.*\.csv$/);
  // The same review over this ISO week (周讲评), chosen in the form.
  const d = new Date(`${chinaDay()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 4 - (d.getUTCDay() || 7));
  const week = `${d.getUTCFullYear()}-W${String(Math.ceil(((d - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000 + 1) / 7)).padStart(2, '0')}`;
  await page.getByLabel('讲评周期').selectOption('week');
  await page.getByLabel('周', { exact: true }).fill(week);
  await page.getByRole('button', { name: '查询' }).click();
  await heading(page).filter({ hasText: '周讲评' }).waitFor();
  await page.waitForFunction((w) => location.hash.includes(`week=${w}`), week);
  const weekRow = page.locator('.review-table tbody tr', { hasText: '大杨庄村村民委员会' });
  await weekRow.waitFor();
  assert.deepEqual((await weekRow.locator('td').allInnerTexts()).slice(1, 3), ['2', '2'], 'both items were received and done this week');
  await page.goto(`${srv.url}/#/review?month=${month}`);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-review.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

// After the 月讲评 test, whose counts it would change.
test('转办 to another person with a reason, and a photo in a comment', async (t) => {
  const created = await srv.api('/api/v1/items', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'problem', title: '村道路灯损坏', unit: V1, assignee: '张三' }),
  });
  assert.equal(created.status, 201);
  const { page, problems } = await as(t, 'wuquan');
  await page.goto(`${srv.url}/#/items/${created.body.id}`);
  await page.locator('.item-steps').getByRole('button', { name: '转办' }).click();
  const dialog = page.getByRole('dialog', { name: '转办' });
  await dialog.getByLabel('承办人').fill('李四');
  await dialog.getByRole('button', { name: '转办' }).click();
  await dialog.getByText('请说明转办原因').waitFor(); // checked before anything is sent
  await dialog.getByLabel('转办原因').fill('张三外出培训');
  await dialog.getByRole('button', { name: '转办' }).click();
  await page.getByRole('status').filter({ hasText: '已转办' }).waitFor();
  const last = page.locator('.timeline-event').last();
  assert.match(await last.innerText(), /转办[\s\S]*张三外出培训[\s\S]*承办人：张三 → 李四/);
  assert.match(await page.locator('.item-fields').innerText(), /承办人\s*李四/);

  const form = page.locator('form.comment-form');
  const photo = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: 32, height: 32 } });
  await form.getByLabel('附件（照片或 PDF）').setInputFiles({ name: '路灯.png', mimeType: 'image/png', buffer: photo });
  await form.getByRole('button', { name: '添加留言' }).click();
  await page.getByRole('status').filter({ hasText: '已添加留言' }).waitFor();
  await page.locator('.timeline-event').last().locator('img[alt="路灯.png"]').waitFor();
  assert.deepEqual(problems, []);
});

test('phone: the list, an item and the review fit the screen', async (t) => {
  const { page, problems } = await as(t, 'wuquan', PHONE);
  await page.goto(srv.url + '/#/items');
  await page.locator('.item-row').first().waitFor();
  await assertNoHorizontalScroll(page);
  await page.screenshot({ path: path.join(SHOTS, 'phone-items.png'), fullPage: true });
  await page.goto(`${srv.url}/#/items/${ids.request}`);
  await page.locator('.timeline-event').first().waitFor();
  await assertNoHorizontalScroll(page);
  await page.goto(`${srv.url}/#/review?month=${chinaDay().slice(0, 7)}`);
  await page.locator('.review-table').waitFor();
  await page.locator('.chart canvas').first().waitFor();
  await assertNoHorizontalScroll(page);
  assert.deepEqual(problems, []);
});

// Last: it adds items to 舞泉镇's month.
test('台账事项: export of the filtered list, an Excel ledger imported (row errors in a table), default deadlines', async (t) => {
  const seeded = await srv.api('/api/v1/items', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'problem', title: '变压器围栏破损', unit: V1 }),
  });
  assert.equal(seeded.status, 201);
  assert.equal(seeded.body.deadline, chinaDay(30), 'the type\'s default deadline');
  const { page, problems } = await as(t, 'wuquan');
  await page.goto(`${srv.url}/#/items?type=problem`);
  await page.locator('.item-row').first().waitFor();
  // 导出 CSV: the list as filtered, from the server.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 CSV' }).click()]);
  assert.match(csv.suggestedFilename(), /^台账事项\.csv$/);
  const lines = fs.readFileSync(await csv.path(), 'utf8').replace(/^\ufeff/, '').trim().split(/\r?\n/);
  assert.match(lines[0], /^编号,类型,标题,/);
  assert.ok(lines.length > 1);
  for (const line of lines.slice(1)) assert.match(line, /^"?\d+"?,"?问题清单"?,/, 'only the type filtered on');
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 Excel' }).click()]);
  assert.equal(fs.readFileSync(await xlsx.path()).subarray(0, 2).toString(), 'PK');

  // 导入台账: the template, then a ledger with three bad rows — all listed, nothing written.
  const count = async () => (await srv.api(`/api/v1/items?unit=${TOWN}&type=problem&limit=500`)).body.items.length;
  const before = await count();
  await page.getByRole('button', { name: '导入台账' }).click();
  const dialog = page.getByRole('dialog', { name: '导入台账' });
  const [template] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: '下载导入模板' }).click()]);
  assert.equal(template.suggestedFilename(), '台账导入模板-问题清单.csv');
  assert.match(fs.readFileSync(await template.path(), 'utf8'), /^\ufeff标题,涉及单位代码,责任单位代码,帮扶单位代码,责任人,整改措施,类别,期限,优先级,问题描述,立行立改\r\n$/);
  await dialog.getByRole('button', { name: '导入', exact: true }).click();
  await dialog.getByText('请先选择要导入的台账文件').waitFor();
  await dialog.getByLabel('台账文件').setInputFiles(path.join(ROOT, 'tests/fixtures/items-wuquan-bad.xlsx'));
  await dialog.getByRole('button', { name: '导入', exact: true }).click();
  const table = dialog.locator('table.row-errors');
  await table.waitFor();
  assert.match(await dialog.locator('.import-errors').innerText(), /共 3 行有误，台账中的事项均未导入/);
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.deepEqual(rows.map((r) => r.slice(0, 2)), [['第 3 行', '标题'], ['第 4 行', '期限'], ['第 5 行', '涉及单位代码']]);
  assert.match(rows[1][2], /2026-12-31/);
  assert.match(rows[2][2], /管辖范围/);
  await dialog.screenshot({ path: path.join(SHOTS, 'desktop-items-import-errors.png') });
  assert.equal(await count(), before, 'nothing was written');

  // The mended ledger: all three rows, then the batch on the list.
  await dialog.getByLabel('台账文件').setInputFiles(path.join(ROOT, 'tests/fixtures/items-wuquan.xlsx'));
  await dialog.getByRole('button', { name: '导入', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '已导入 3 条问题清单' }).waitFor();
  await page.getByRole('heading', { name: '本批事项' }).waitFor();
  assert.match(page.url(), /#\/items\?batch=\d+$/);
  await page.locator('.item-row').nth(2).waitFor();
  assert.equal(await page.locator('.item-row').count(), 3);
  assert.equal(await count(), before + 3);
  // 路灯损坏 had no 期限: the type's default, 30 days in China's days.
  assert.match(await page.locator('.item-row', { hasText: '路灯损坏' }).innerText(), new RegExp(`期限 ${chinaDay(30)}`));
  assert.match(await page.locator('.item-row', { hasText: '村道破损需修补' }).innerText(), /期限 2027-01-15/);

  // 新建事项: 期限 starts at the type's default and follows the type.
  await page.getByRole('button', { name: '新建事项' }).click();
  const create = page.getByRole('dialog', { name: '新建事项' });
  const deadline = create.getByLabel('期限');
  await create.getByLabel('类型').selectOption({ label: '问题清单' });
  assert.equal(await deadline.inputValue(), chinaDay(30));
  assert.match(await create.locator('.field[data-field="deadline"] .field-hint').innerText(), /默认 30 天/);
  await create.getByLabel('类型').selectOption({ label: '交办任务' });
  assert.equal(await deadline.inputValue(), chinaDay(7));
  await create.getByLabel('类型').selectOption({ label: '议事事项' });
  assert.equal(await deadline.inputValue(), '');
  await create.getByLabel('类型').selectOption({ label: '矛盾纠纷' });
  await deadline.fill('2027-02-01');
  await create.getByLabel('类型').selectOption({ label: '安全隐患' });
  assert.equal(await deadline.inputValue(), '2027-02-01', 'a date of one\'s own stays');
  await create.getByLabel('标题').fill('桥梁护栏松动');
  await create.getByRole('button', { name: '创建' }).click();
  await heading(page).filter({ hasText: '桥梁护栏松动' }).waitFor();
  assert.match(await page.locator('#main').innerText(), /2027-02-01/);
  assert.deepEqual(unexpected(problems), []);
});

test('wide screens: the list, the review and the grid use the screen\'s width', async (t) => {
  const { page, problems } = await as(t, 'wuquan', { viewport: { width: 1920, height: 1000 } });
  for (const [hash, selector] of [['#/items', '.item-row'], [`#/review?month=${chinaDay().slice(0, 7)}`, '.review-table']]) {
    await page.goto(`${srv.url}/${hash}`);
    await page.locator(selector).first().waitFor();
    const { main, card } = await page.evaluate((sel) => ({
      main: document.querySelector('#main').getBoundingClientRect().width,
      card: document.querySelector(sel).closest('.card').getBoundingClientRect().width,
    }), selector);
    assert.ok(main > 1500, `${hash}: main is ${main}px wide on a 1920px screen`);
    assert.ok(card > 1400, `${hash}: the card is ${card}px wide`);
  }
  const scroll = await page.locator('.review-table').evaluate((e) => {
    const box = e.closest('.table-scroll');
    return { scroll: box.scrollWidth, width: box.clientWidth };
  });
  assert.ok(scroll.scroll <= scroll.width, `no sideways scroll on a wide screen: ${JSON.stringify(scroll)}`);
  await page.screenshot({ path: path.join(SHOTS, 'wide-review.png') });
  assert.deepEqual(problems, []);
});
