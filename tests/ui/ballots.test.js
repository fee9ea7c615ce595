// 无记名评议 in real Chromium: on a phone a rater opens the ballot by the
// code printed on their paper slip (#/ballot/CODE), rates each county
// department and sends it; the code is then used up. A township
// administrator sees the turnout live on the 述职评议 page, closes the
// campaign and sees the ranked results.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, tokenFor, api } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';

const TOWN = '411121100';
let srv;
let browser;
let pw;
let campaign;

before(async () => {
  srv = await startServer();
  pw = addUser(srv.dataDir, 'town', 'township_admin', TOWN);
  const token = tokenFor(srv.dataDir, 'town');
  const r = await api(srv.url, '/api/v1/evaluations', {
    method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: '2025年度站所述职评议', year: 2025, kind: 'departments', form: 'satisfaction', rule: 'weighted_mean',
      groups: [{ name: '村/社区书记', weight: 60, raters: 2 }, { name: '党员群众代表', weight: 40, raters: 2 }],
      subjects: [{ name: '乡镇财政所' }, { name: '乡镇派出所' }] }),
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  campaign = r.body;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  srv?.stop();
});

test('phone: a rater votes with a one-time code, which is then used up', async (t) => {
  const { page, problems } = await openPage(browser, t, PHONE);
  const code = campaign.codes[0].code;
  await page.goto(`${srv.url}/#/ballot/${code.toLowerCase()}`);
  await page.getByRole('heading', { name: '2025年度站所述职评议' }).waitFor();
  const first = page.getByRole('group', { name: '乡镇财政所' });
  const second = page.getByRole('group', { name: '乡镇派出所' });
  await first.getByLabel('满意', { exact: true }).check();
  await page.getByRole('button', { name: '提交选票' }).click();
  await page.getByText('还有 1 个评议对象没有评').waitFor();
  await second.getByLabel('不了解').check();
  await page.screenshot({ path: path.join(SHOTS, 'phone-ballot.png'), fullPage: true });
  await page.getByRole('button', { name: '提交选票' }).click();
  await page.getByRole('heading', { name: '投票成功' }).waitFor();
  // the same code again: refused with a message a person can act on
  await page.goto(`${srv.url}/#/ballot/${code}`);
  await page.reload();
  await page.getByText('已经投过票').waitFor();
  assert.deepEqual(problems.filter((p) => !/status of 409/.test(p)), []);
});

test('述职评议: turnout live, then closing shows the ranked results', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'town', pw);
  await page.goto(`${srv.url}/#/evaluations/${campaign.id}`);
  await page.getByRole('heading', { name: '参评情况' }).waitFor();
  assert.match(await page.locator('table').first().innerText(), /村\/社区书记\s+60%\s+2\s+1\s+50%/);
  await page.getByRole('button', { name: '结束评议并计分' }).click();
  await page.getByRole('heading', { name: '评议结果' }).waitFor();
  const rows = await page.locator('table').nth(1).locator('tbody tr').allInnerTexts();
  assert.match(rows[0], /1\s+乡镇财政所\s+100/);
  assert.doesNotMatch(await page.locator('#main').innerText(), /null|undefined|satisfied|weighted_mean|departments/);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-evaluation.png'), fullPage: true });
  assert.deepEqual(problems, []);
});
