// 周交办 and printing in real Chromium: the county office dispatches one
// task to three villages of 舞泉镇 (picked from the township's children,
// with 全选/全不选 and the count), lands on the batch's progress page (3 未签收),
// a village secretary signs for theirs on the item page and the progress
// reads 办理中 1; dispatching to no unit shows the server's refusal at the
// checklist and creates nothing. The 月讲评 page in print media hides the
// menu and the forms and prints its title line, the chart as an image and
// the table. Screenshots (and the printed PDF) go to tests/out/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, chinaDay } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';

const TOWN = '411121100'; // 舞泉镇
const VILLAGES = [
  ['411121100201', '大杨庄村村民委员会'],
  ['411121100202', '高庄村村民委员会'],
  ['411121100203', '双庙村村民委员会'],
];
const TITLE = '本周开展人居环境集中整治';
let srv;
let browser;
const pw = {};
const ids = {};

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  pw.wuyang = addUser(srv.dataDir, 'wuyang', 'county_admin', '411121'); // 舞阳县
  pw.dayang = addUser(srv.dataDir, 'dayang', 'village_secretary', VILLAGES[0][0]);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const heading = (page) => page.getByRole('heading', { level: 1 });
const mainNav = (page) => page.getByRole('navigation', { name: '主导航' });
// Failed requests the tests cause on purpose (a batch refused for its input).
const unexpected = (problems) => problems.filter((p) => !/Failed to load resource: .* status of 400/.test(p));

async function as(t, user, options = DESKTOP) {
  const opened = await openPage(browser, t, options);
  await signIn(opened.context, srv.url, user, pw[user]);
  return opened;
}

// The dispatch items (交办任务) the administrator sees, through the API.
async function dispatchItems(query = '') {
  const { status, body } = await srv.api(`/api/v1/items?type=dispatch&limit=500${query}`);
  assert.equal(status, 200);
  return body.items;
}

// 'YYYY-MM-DD' a week from today in the pages' time zone.
const weekFromToday = () =>
  new Date(Date.now() + 7 * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

const summary = (page) => page.locator('.batch-summary');

test('周交办: the county dispatches to three villages and follows the batch', async (t) => {
  const { page, problems } = await as(t, 'wuyang');
  await page.goto(srv.url + '/#/dispatch');
  await heading(page).filter({ hasText: '周交办' }).waitFor();
  assert.equal(await mainNav(page).getByRole('link', { name: '周交办' }).getAttribute('aria-current'), 'page');
  const form = page.locator('form.dispatch-form');
  // The parent defaults to the county, by name: its townships are listed.
  await form.locator('.unit-chosen').filter({ hasText: '河南省 › 漯河市 › 舞阳县' }).waitFor();
  assert.equal(await form.getByLabel('上级单位').inputValue(), '舞阳县');
  assert.equal(await form.locator('input[name="parent"]').inputValue(), '411121');
  await form.getByLabel('舞泉镇').waitFor();
  assert.equal(await form.getByLabel('期限').inputValue(), weekFromToday());
  assert.equal(await form.getByLabel('优先级').inputValue(), '2');

  // The township, chosen by name: its villages, all of its direct children.
  await form.getByLabel('上级单位').fill('舞泉');
  await form.getByRole('option', { name: /^舞泉镇/ }).click();
  assert.equal(await form.locator('input[name="parent"]').inputValue(), TOWN);
  await form.getByLabel(VILLAGES[0][1]).waitFor();
  const { body: children } = await srv.api(`/api/v1/units/${TOWN}/children?limit=1000`);
  const boxes = form.locator('.unit-choices input[type="checkbox"]');
  assert.equal(await boxes.count(), children.items.length);
  const count = form.locator('.unit-choices-count');
  assert.equal(await count.innerText(), `已选 0 个，共 ${children.items.length} 个`);
  await form.getByRole('button', { name: '全选' }).click();
  assert.equal(await count.innerText(), `已选 ${children.items.length} 个，共 ${children.items.length} 个`);
  await form.getByRole('button', { name: '全不选' }).click();
  assert.equal(await count.innerText(), `已选 0 个，共 ${children.items.length} 个`);

  // No unit ticked: the server's refusal shows at the checklist, nothing is created.
  await form.getByLabel('任务标题').fill(TITLE);
  await form.getByRole('button', { name: '交办' }).click();
  const error = form.locator('.field[data-field="units"] .field-error');
  await error.waitFor();
  assert.match(await error.innerText(), /请选择 1 到 \d+ 个单位/);
  assert.match(page.url(), /#\/dispatch$/);
  assert.deepEqual(await dispatchItems(), []);

  for (const [, name] of VILLAGES) await form.getByLabel(name).check();
  assert.equal(await count.innerText(), `已选 3 个，共 ${children.items.length} 个`);
  assert.equal(await error.isVisible(), false, 'ticking a unit clears the error');
  await page.screenshot({ path: path.join(SHOTS, 'desktop-dispatch-form.png'), fullPage: true });
  await form.getByLabel('任务要求').fill('清理房前屋后垃圾，周五前上报照片');
  await form.getByLabel('期限').fill('2099-12-31');
  await form.getByLabel('优先级').selectOption({ label: '紧急' });
  await form.getByRole('button', { name: '交办' }).click();

  // The progress page of the new batch.
  await page.waitForURL(/#\/dispatch\/\d+$/);
  ids.batch = Number(new URL(page.url()).hash.split('/')[2]);
  await heading(page).filter({ hasText: TITLE }).waitFor();
  await summary(page).filter({ hasText: '共 3 个单位：已办结 0，办理中 0，未签收 3，超期 0' }).waitFor();
  const rows = page.locator('.batch-table tbody tr');
  assert.equal(await rows.count(), 3);
  assert.deepEqual(await rows.locator('th a').allInnerTexts(), VILLAGES.map(([, name]) => name));
  for (const state of await rows.locator('td .tag').allInnerTexts()) assert.equal(state, '已交办');
  assert.match(await rows.first().innerText(), /2099-12-31/);
  assert.match(await page.locator('#main').innerText(), /清理房前屋后垃圾/);
  assert.doesNotMatch(await page.locator('#main').innerText(), /null|undefined/);

  // What the server holds: one item per village, owned by it, in the batch.
  const items = await dispatchItems(`&batch=${ids.batch}`);
  assert.deepEqual(items.map((i) => i.owner_unit.code).sort(), VILLAGES.map(([code]) => code));
  for (const item of items) {
    assert.equal(item.batch, ids.batch);
    assert.equal(item.deadline, '2099-12-31');
    assert.equal(item.priority, 1);
    assert.equal(item.state, 'issued');
  }
  ids.first = items.find((i) => i.owner_unit.code === VILLAGES[0][0]).id;
  assert.equal(await rows.first().getAttribute('data-id'), String(ids.first));
  await page.screenshot({ path: path.join(SHOTS, 'desktop-dispatch-batch.png'), fullPage: true });

  // The village secretary signs for theirs; no 周交办 for them, nor the batch link.
  const village = await as(t, 'dayang');
  await village.page.goto(`${srv.url}/#/items/${ids.first}`);
  await heading(village.page).filter({ hasText: TITLE }).waitFor();
  assert.equal(await mainNav(village.page).getByRole('link', { name: '周交办' }).count(), 0);
  assert.equal(await village.page.getByRole('link', { name: '同批交办' }).count(), 0);
  await village.page.locator('.item-steps').getByRole('button', { name: '签收办理' }).click();
  await village.page.getByRole('status').filter({ hasText: '当前状态：办理中' }).waitFor();
  await village.page.goto(`${srv.url}/#/dispatch/${ids.batch}`);
  await heading(village.page).filter({ hasText: '无权访问' }).waitFor();
  assert.deepEqual(village.problems, []);

  // The county sees it: 刷新 on the progress page.
  await page.getByRole('button', { name: '刷新' }).click();
  await summary(page).filter({ hasText: '共 3 个单位：已办结 0，办理中 1，未签收 2，超期 0' }).waitFor();
  assert.equal(await rows.first().locator('td .tag').innerText(), '办理中');

  // The item page links back to its batch.
  await rows.first().getByRole('link').click();
  await heading(page).filter({ hasText: TITLE }).waitFor();
  await page.getByRole('link', { name: '同批交办' }).click();
  await page.waitForURL(new RegExp(`#/dispatch/${ids.batch}$`));
  await summary(page).filter({ hasText: '办理中 1' }).waitFor();
  // ?batch= opens the same page.
  await page.goto(`${srv.url}/#/dispatch?batch=${ids.batch}`);
  await summary(page).filter({ hasText: '共 3 个单位' }).waitFor();
  await page.goto(`${srv.url}/#/dispatch/999999`);
  await page.getByRole('alert').filter({ hasText: '没有这个交办批次' }).waitFor();

  assert.deepEqual(unexpected(problems), []);
  assert.ok(problems.length >= 1, 'the refused batch was a 400');
});

test('周交办 on a phone: the form and the progress fit the screen', async (t) => {
  const { page, problems } = await as(t, 'wuyang', PHONE);
  await page.goto(`${srv.url}/#/dispatch/${ids.batch}`);
  await page.locator('.batch-table tbody tr').first().waitFor();
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
  assert.ok(await fits(), 'the progress page scrolls sideways');
  await page.goto(`${srv.url}/#/dispatch`);
  await page.locator('.unit-choices input').first().waitFor();
  assert.ok(await fits(), 'the form scrolls sideways');
  await page.screenshot({ path: path.join(SHOTS, 'phone-dispatch.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('月讲评 prints: no menu or forms, a title line, the chart as an image, the table', async (t) => {
  // One finished item, so that the month has an on-time rate and a chart.
  for (const [transition, extra] of [['complete', { note: '已整治完毕' }], ['verify', {}]]) {
    const { status } = await srv.api(`/api/v1/items/${ids.first}/transitions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ transition, ...extra }),
    });
    assert.equal(status, 200, transition);
  }
  const { page, problems } = await as(t, 'wuyang');
  const month = chinaDay().slice(0, 7);
  await page.goto(`${srv.url}/#/review?unit=${TOWN}&month=${month}`);
  const table = page.locator('.review-table');
  await table.waitFor();
  await page.locator('.chart-wrap.has-print-image').waitFor();
  const print = page.getByRole('button', { name: '打印' });
  assert.equal(await print.isVisible(), true);
  const title = page.locator('.print-title');
  assert.equal(await title.isVisible(), false, 'the print title is for paper only');
  await page.evaluate(() => {
    window.printed = 0;
    window.print = () => window.printed++;
  });
  await print.click();
  assert.equal(await page.evaluate(() => window.printed), 1);

  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('#app-nav').isVisible(), false);
  assert.equal(await page.locator('.app-header').isVisible(), false);
  assert.equal(await page.locator('form.filters').isVisible(), false);
  assert.equal(await heading(page).isVisible(), false, 'the screen header gives way to the title line');
  const hiddenPrint = page.getByRole('button', { name: '打印', includeHidden: true });
  assert.equal(await hiddenPrint.count(), 1, 'the print button is there, not on paper');
  assert.equal(await hiddenPrint.isVisible(), false);
  assert.equal(await page.getByRole('link', { name: '导出 Excel' }).isVisible(), false);
  assert.equal(await table.isVisible(), true);
  assert.equal(await title.isVisible(), true);
  assert.match(await title.innerText(), new RegExp(`舞泉镇.*${month.slice(0, 4)} 年 ${month.slice(5)} 月.*月讲评`));
  assert.equal(await page.locator('.chart').isVisible(), false);
  const still = page.locator('img.chart-print');
  assert.equal(await still.isVisible(), true);
  assert.match(await still.getAttribute('src'), /^data:image\/png;base64,/);
  const css = await table.evaluate((el) => {
    const cell = el.querySelector('tbody td');
    return {
      head: getComputedStyle(el.querySelector('thead')).display,
      row: getComputedStyle(el.querySelector('tbody tr')).breakInside,
      border: getComputedStyle(cell).borderTopStyle,
      width: el.getBoundingClientRect().width,
      main: document.getElementById('main').getBoundingClientRect().width,
    };
  });
  assert.equal(css.head, 'table-header-group');
  assert.equal(css.row, 'avoid');
  assert.equal(css.border, 'solid');
  assert.ok(css.width >= css.main - 1, `the table is ${css.width}px of ${css.main}px`);
  assert.match(await table.locator('tbody tr', { hasText: '大杨庄村村民委员会' }).innerText(), /100%/);
  await page.pdf({ path: path.join(SHOTS, 'review-print.pdf'), format: 'A4' });

  // Other pages print without the menu too.
  await page.goto(`${srv.url}/#/items/${ids.first}`);
  await page.locator('.timeline-event').first().waitFor();
  assert.equal(await page.locator('#app-nav').isVisible(), false);
  assert.equal(await page.locator('.item-fields').isVisible(), true);
  assert.equal(await page.locator('.back-link').isVisible(), false);
  assert.deepEqual(problems, []);
});
