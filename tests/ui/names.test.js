// Names, not codes, in real Chromium: a timeline and 提交人 show people's
// display names, never their login names; formulas and codes wait behind
// 显示公式和代码 for anyone but an administrator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, freshDataDir, jicengOk, passwordFile, tokenFor, api } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP } from './browser.js';

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
