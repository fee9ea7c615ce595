// 双随机 in real Chromium: a township administrator opens a plan announced
// with its public value, draws it on the page (the seed and the drawn
// targets with their inspectors appear), records a result; the public page,
// without signing in, lists the plan with its completion, shows the same
// draw, and its "重新摇号核对" re-runs it to the same result — also on a
// phone. On the registries page the 检查对象名录库 is imported from a sheet:
// a bad one lists its refused rows in the dialog, a good one adds the rows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';
import { xlsxOf } from '../lib/xlsx.js';

const TOWN = '411121100';
let srv;
let browser;
let pw;
let plan;

const send = (p, body) => srv.api(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

before(async () => {
  srv = await startServer();
  pw = addUser(srv.dataDir, 'town', 'township_admin', TOWN);
  let r = await send('/api/v1/inspections/items', { code: 'food', name: '食品经营者监督检查', basis: '《中华人民共和国食品安全法》', ratio_permille: 50, frequency: '每年一次' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const item = r.body.id;
  for (let k = 1; k <= 8; k++) {
    r = await send('/api/v1/inspections/targets', { name: `东街商户${k}`, kind: '个体工商户', unit: TOWN });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  for (const name of ['王建国', '李丽', '张伟', '刘敏']) {
    r = await send('/api/v1/inspections/inspectors', { name, department: '舞泉镇市场监管所', unit: TOWN });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const deadline = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
  r = await send('/api/v1/inspections/plans', { name: '舞泉镇食品经营抽查', item, unit: TOWN, target_count: 3, per_target: 2, deadline, public_value: '公开值-2026-12-04' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  plan = r.body.id;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('双随机: the published inputs, the draw on the page, a result recorded', async (t) => {
  const { page, context } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'town', pw);
  await page.goto(`${srv.url}/#/inspections?unit=${TOWN}`);
  const row = page.locator(`[data-plan="${plan}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /待摇号/);
  await row.getByRole('link').click();
  await page.getByText('公开值-2026-12-04').first().waitFor(); // shown before the draw
  assert.doesNotMatch(await page.locator('main').innerText(), /null|undefined/);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-inspections-before.png'), fullPage: true });
  await page.getByRole('button', { name: '开始摇号' }).click();
  await page.locator('.seed').waitFor();
  assert.match(await page.locator('.seed').innerText(), /^[0-9a-f]{64}$/);
  const checks = page.locator('table.inspection-checks tbody tr');
  await checks.first().waitFor();
  assert.equal(await checks.count(), 3);
  assert.match(await checks.first().innerText(), /东街商户\d/);
  assert.match(await checks.first().innerText(), /(王建国|李丽|张伟|刘敏)、/);
  const first = checks.first();
  await first.getByLabel('检查结果').selectOption('no_problem');
  await first.getByRole('button', { name: '录入' }).click();
  await page.locator('table.inspection-checks tbody tr').first().getByText('未发现问题').waitFor();
  assert.equal(await page.locator('.completion').first().innerText(), '33.33%');
  assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(TOWN));
  await page.screenshot({ path: path.join(SHOTS, 'desktop-inspections-drawn.png'), fullPage: true });
  // each check is a case: the recorded one has moved on and names its check
  const cases = (await srv.api(`/api/v1/items?type=inspection&unit=${TOWN}`)).body.items;
  assert.equal(cases.length, 3);
  const done = cases.find((c) => c.state !== 'pending');
  assert.ok(done, JSON.stringify(cases.map((c) => [c.state, c.state_label])));
  await page.goto(`${srv.url}/#/items/${done.id}`);
  await page.getByText(/检查对象 东街商户\d · 检查期限/).waitFor();
  assert.doesNotMatch(await page.locator('main').innerText(), /null|undefined/);
});

test('the public page without signing in: the plan, the draw, a re-run that agrees (phone)', async (t) => {
  const { page } = await openPage(browser, t, PHONE);
  await page.goto(`${srv.url}/#/public/inspections`);
  const row = page.locator(`[data-plan="${plan}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /舞泉镇食品经营抽查/);
  assert.match(await row.innerText(), /33\.33%/);
  await row.getByRole('link').click();
  await page.locator('table.public-inspection-checks tbody tr').first().waitFor();
  assert.equal(await page.locator('table.public-inspection-checks tbody tr').count(), 3);
  await page.getByRole('button', { name: '重新摇号核对' }).click();
  await page.getByText(/^一致：按公开的输入重新摇号/).waitFor();
  assert.match(await page.locator('main').innerText(), /docs\/architecture\.md/);
  assert.doesNotMatch(await page.locator('main').innerText(), /null|undefined/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width}px wide on a phone`);
  await page.screenshot({ path: path.join(SHOTS, 'phone-inspections-public.png'), fullPage: true });
});

test('检查对象名录库 imported from a sheet: refused rows listed, then the rows added', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'town', pw);
  await page.goto(`${srv.url}/#/inspections/registries`);
  const card = page.locator('section.card', { has: page.getByRole('heading', { name: /^检查对象名录库/ }) });
  await card.getByRole('button', { name: '下载模板' }).waitFor();
  await card.getByRole('button', { name: '导入' }).click();
  const dialog = page.getByRole('dialog', { name: '导入检查对象名录库' });
  await dialog.getByText('导入到：').waitFor();
  const head = ['名称', '类型', '统一社会信用代码', '所属单位'];
  const bad = xlsxOf([head, ['西街饭店', '个体工商户', '', ''], ['北街药店', '', '', ''], ['南街超市', '企业', '', '没有这个村']]);
  await dialog.getByLabel('文件').setInputFiles({ name: '检查对象.xlsx', mimeType: 'application/octet-stream', buffer: bad });
  await dialog.getByRole('button', { name: '导入', exact: true }).click();
  const table = dialog.locator('table.row-errors');
  await table.waitFor();
  assert.match(await dialog.locator('.import-errors').innerText(), /共 2 行有误/);
  assert.deepEqual(await table.locator('tbody tr td:nth-child(2)').allTextContents(), ['类型', '所属单位']);
  const good = xlsxOf([head, ['西街饭店', '个体工商户', '', ''], ['北街药店', '个体工商户', '', '']]);
  await dialog.getByLabel('文件').setInputFiles({ name: '检查对象.xlsx', mimeType: 'application/octet-stream', buffer: good });
  await dialog.getByRole('button', { name: '导入', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '已导入“检查对象.xlsx”：导入 2 行。' }).waitFor();
  const rows = page.locator('table.inspection-targets tbody tr');
  await rows.nth(9).waitFor(); // the page reloads after the import
  assert.equal(await rows.count(), 10);
  await page.locator('.targets-import').getByRole('status').filter({ hasText: '导入 2 行' }).waitFor();
  assert.match(await page.locator('table.inspection-targets').innerText(), /西街饭店[\s\S]*北街药店/);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-inspection-targets-imported.png'), fullPage: true });
  assert.deepEqual(problems.filter((p) => !/Failed to load resource: .* status of 400/.test(p)), [], 'only the refused file');
});
