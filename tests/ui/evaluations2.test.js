// 述职评议, part two, in real Chromium: a county administrator keeps the
// register of county departments (登记, 撤销), issues more codes for a
// running campaign (printable code sheet), closes it and follows the 整改
// case and the public results page; on a phone anyone reads the public
// results (ranks, scores, 限期整改) without signing in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, tokenFor, api } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';

const COUNTY = '411121';
let srv;
let browser;
let pw;
let campaign;
let token;

const call = (method, p, body) => api(srv.url, p, {
  method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

before(async () => {
  srv = await startServer();
  pw = addUser(srv.dataDir, 'county', 'county_admin', COUNTY);
  token = tokenFor(srv.dataDir, 'county');
  const r = await call('POST', '/api/v1/evaluations', { name: '2025年度县直部门述职评议', year: 2025, kind: 'departments', form: 'satisfaction', rule: 'weighted_mean',
    unit: COUNTY, groups: [{ name: '乡镇（街道）', weight: 100, raters: 2 }], subjects: [{ name: '县交通运输局' }, { name: '县水利局' }] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  campaign = r.body;
  for (const code of campaign.codes.map((c) => c.code)) {
    const v = await api(srv.url, '/api/v1/ballots', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code, answers: [{ subject: 0, grade: 'satisfied' }, { subject: 1, grade: 'unsatisfied' }] }) });
    assert.equal(v.status, 201, JSON.stringify(v.body));
  }
  browser = await launch();
});
after(async () => {
  await browser?.close();
  srv?.stop();
});

test('desktop: the department register, more codes as a code sheet, closing with an 整改 case', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'county', pw);
  await page.goto(`${srv.url}/#/evaluations`);
  const register = page.locator('section.evaluation-departments');
  await register.getByText('还没有登记县直部门').waitFor();
  await register.getByLabel('部门名称').fill('县财政局');
  await register.getByRole('button', { name: '登记部门' }).click();
  await register.getByRole('cell', { name: '县财政局' }).waitFor();
  await register.getByRole('button', { name: '撤销' }).click();
  await register.getByRole('cell', { name: '已撤销' }).waitFor();
  assert.doesNotMatch(await register.innerText(), /411121/); // names, not codes
  await page.screenshot({ path: path.join(SHOTS, 'desktop-evaluation-departments.png'), fullPage: true });

  await page.goto(`${srv.url}/#/evaluations/${campaign.id}`);
  const more = page.getByRole('form', { name: '补发评议码' });
  await more.getByLabel('补发个数').fill('2');
  await more.getByRole('button', { name: '补发' }).click();
  await page.getByText('已补发 2 个、作废 0 个评议码').waitFor();
  assert.equal(await page.locator('.code-slip').count(), 2);
  assert.match(await page.locator('.code-slip').first().innerText(), /[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-evaluation-codes.png'), fullPage: true });
  await page.getByRole('button', { name: '刷新参评情况' }).click();
  await page.getByRole('button', { name: '结束评议并计分' }).click();
  await page.getByRole('heading', { name: '评议结果' }).waitFor();
  const rows = await page.locator('table.evaluation-results tbody tr').allInnerTexts();
  assert.match(rows[0], /1\s+县交通运输局\s+100/);
  assert.match(rows[1], /2\s+县水利局\s+30/);
  await page.getByRole('link', { name: '整改事项' }).click();
  await page.getByText('书面整改报告').first().waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'desktop-evaluation-rectify.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('phone: the public results page after closing, without signing in', async (t) => {
  const { page, problems } = await openPage(browser, t, PHONE);
  await page.goto(`${srv.url}/#/public/evaluations/${campaign.id}`);
  await page.getByRole('heading', { name: '2025年度县直部门述职评议' }).waitFor();
  const text = await page.locator('#main').innerText();
  assert.match(text, /公示期至 \d{4}-\d\d-\d\d/);
  assert.match(text, /县水利局\s+30\s+限期整改/);
  assert.doesNotMatch(text, /null|undefined|satisfied|weighted_mean/);
  await page.screenshot({ path: path.join(SHOTS, 'phone-evaluation-public.png'), fullPage: true });
  assert.deepEqual(problems, []);
});
