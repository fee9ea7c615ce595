// Names, not codes, in real Chromium: a timeline and 提交人 show people's
// display names, never their login names; formulas and codes wait behind
// 显示公式和代码 for anyone but an administrator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, freshDataDir, jicengOk, passwordFile, tokenFor, api } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP } from './browser.js';
import { xlsxOf, rowsOf } from '../lib/xlsx.js';
import fs from 'node:fs';

const TOWN = '411121100';
const V1 = '411121100201';
let srv;
let browser;
const pw = {};
const as = {};

before(async () => {
  const dir = freshDataDir(['41']);
  for (const [name, role, scope, shown] of [['town_ui', 'township_admin', TOWN, '王敏'], ['grid_ui', 'grid_worker', V1, '赵网格']]) {
    pw[name] = `Pw-${name.length}-names-2026-ok`;
    jicengOk(['--data', dir, 'user', 'add', name, '--role', role, '--scope', scope, '--display-name', shown,
      '--password-file', passwordFile(pw[name]), '--own-password']);
  }
  [srv, browser] = await Promise.all([startServer({ dataDir: dir }), launch()]);
  for (const name of ['town_ui', 'grid_ui']) {
    const token = tokenFor(dir, name);
    as[name] = (p, body) => api(srv.url, p, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  }
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('a timeline and 提交人 show display names, not login names', async (t) => {
  const made = await as.grid_ui('/api/v1/items', { type: 'problem', title: '村口路灯损坏', unit: V1, measures: '更换灯泡' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const id = made.body.id;
  await as.grid_ui(`/api/v1/items/${id}/transitions`, { transition: 'start' });
  await as.grid_ui(`/api/v1/items/${id}/comments`, { note: '已联系电工' });

  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'town_ui', pw.town_ui);
  await page.goto(`${srv.url}/#/items/${id}`);
  const actors = page.locator('.timeline .timeline-actor');
  await actors.first().waitFor();
  assert.deepEqual(await actors.allInnerTexts(), ['赵网格', '赵网格', '赵网格']);
  const fields = await page.locator('.item-fields').innerText();
  assert.match(fields, /提交人\s*赵网格/);
  const text = await page.locator('main').innerText();
  assert.ok(!text.includes('grid_ui'), 'no login name on the page');
  await page.screenshot({ path: path.join(SHOTS, 'desktop-item-names.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('创建标准: a township user sees the criteria by name; formulas and codes on request', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'town_ui', pw.town_ui);
  await page.goto(`${srv.url}/#/schemes`);
  await page.locator('#scheme-title').waitFor();
  const formula = page.locator('.criterion-formula').first();
  assert.equal(await formula.isVisible(), false, 'formulas wait behind the toggle');
  assert.equal(await page.locator('.scheme .code').first().isVisible(), false, 'the scheme code too');
  await page.getByRole('button', { name: '显示公式和代码' }).click();
  await formula.waitFor();
  assert.match(await formula.innerText(), /#\{/);
  // the choice is kept in this browser
  await page.reload();
  await page.locator('.criterion-formula').first().waitFor();
  await page.getByRole('button', { name: '隐藏公式和代码' }).click();
  assert.equal(await page.locator('.criterion-formula').first().isVisible(), false);
  assert.deepEqual(problems, []);
});

test('用户管理 批量导入: a bad list says every refused row; a good one downloads the one-time passwords', async (t) => {
  const { page, context, problems } = await openPage(browser, t, { ...DESKTOP, acceptDownloads: true });
  await signIn(context, srv.url, 'town_ui', pw.town_ui);
  await page.goto(`${srv.url}/#/users`);
  await page.getByRole('button', { name: '批量导入' }).click();
  const dialog = page.getByRole('dialog', { name: '批量导入用户' });
  const head = ['登录名', '姓名', '角色', '管辖单位'];
  await dialog.getByLabel('用户名单').setInputFiles({ name: 'bad.xlsx', mimeType: 'application/octet-stream',
    buffer: xlsxOf([head, ['wg_a', '网格甲', '网格员', V1], ['wg_b', '网格乙', '县级管理员', V1], ['wg_c', '网格丙', '网格员', '没有这个村']]) });
  await dialog.getByRole('button', { name: '导入', exact: true }).click();
  const alert = dialog.getByRole('alert');
  await alert.waitFor();
  const said = await alert.innerText();
  assert.match(said, /2 行有错，整个文件未导入/);
  assert.match(said, /第 3 行“角色”/);
  assert.match(said, /第 4 行“管辖单位”/);

  await dialog.getByLabel('用户名单').setInputFiles({ name: 'good.xlsx', mimeType: 'application/octet-stream',
    buffer: xlsxOf([head, ['wg_a', '网格甲', '网格员', V1], ['wg_b', '网格乙', '网格员', `舞泉镇/${(await srv.api(`/api/v1/units/${V1}`)).body.name}`]]) });
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: '导入', exact: true }).click()]);
  assert.equal(download.suggestedFilename(), '一次性密码.xlsx');
  const rows = rowsOf(fs.readFileSync(await download.path()));
  assert.deepEqual(rows.slice(1).map((r) => r.slice(0, 3)), [['wg_a', '网格甲', '网格员'], ['wg_b', '网格乙', '网格员']]);
  await page.getByText('已导入 2 个用户').waitFor();
  // the refused list (403: a role beyond one's own) is the only console error
  assert.deepEqual(problems.filter((p) => !/status of 403/.test(p)), []);
});
