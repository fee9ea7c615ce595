// 发展党员 and 组织关系转接 in real Chromium: a township administrator
// registers an application from the person's page, takes the talk step
// (first too late: the 1-month rule shows next to the date), sees the
// person on the board (看板) under 入党申请人 with the next step and its
// date, on a phone too; issues a transfer, which the receiving township
// accepts from its transfers list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, tokenFor, api, sql } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';

const TOWN = '411121100';
const V1 = '411121100201'; // 大杨庄村
let TOWN2, V3;
let srv;
let browser;
const pw = {};
const ids = {};
const unexpected = (problems) => problems.filter((p) => !/Failed to load resource: .* status of 400/.test(p));

before(async () => {
  srv = await startServer();
  TOWN2 = sql(srv.dataDir, `SELECT code FROM units WHERE code LIKE '411121___' AND length(code) = 9 AND code <> '${TOWN}' ORDER BY code LIMIT 1;`).trim();
  V3 = sql(srv.dataDir, `SELECT code FROM units WHERE code LIKE '${TOWN2}___' AND length(code) = 12 ORDER BY code LIMIT 1;`).trim();
  pw.town = addUser(srv.dataDir, 'town', 'township_admin', TOWN);
  pw.town2 = addUser(srv.dataDir, 'town2', 'township_admin', TOWN2);
  const token = tokenFor(srv.dataDir, 'town');
  const post = async (p, body, auth = token) => {
    const r = await api(srv.url, p, { method: 'POST', headers: { Authorization: `Bearer ${auth}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.ok([200, 201].includes(r.status), JSON.stringify(r.body));
    return r.body;
  };
  ids.branch = (await post('/api/v1/party/orgs', { name: '中共大杨庄村支部委员会', type: 'branch', unit: V1 })).id;
  ids.branch2 = (await post('/api/v1/party/orgs', { name: '中共接收村支部委员会', type: 'branch', unit: V3 }, srv.token)).id;
  ids.applicant = (await post('/api/v1/persons', { name: '赵申请', unit: V1, sex: '女', birth_date: '2000-05-01' })).id;
  ids.member = (await post('/api/v1/persons', { name: '钱党员', unit: V1, sex: '男', birth_date: '1980-05-01' })).id;
  await post(`/api/v1/party/orgs/${ids.branch}/members`, { person: ids.member, kind: 'party_member', stage: 'formal', from: '2010-07-01' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const heading = (page) => page.getByRole('heading', { level: 1 });

test('发展党员: application, a dated step refused then taken, the board', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'town', pw.town);
  await page.goto(`${srv.url}/#/persons/${ids.applicant}`);
  await heading(page).filter({ hasText: '赵申请' }).waitFor();
  assert.doesNotMatch(await page.locator('main').innerText(), /null|undefined/);
  await page.getByRole('button', { name: '登记入党申请' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('递交入党申请书的日期').fill('2024-01-10');
  await dialog.getByRole('button', { name: '登记' }).click();
  await page.waitForURL(/#\/party\/cases\/\d+/);
  await heading(page).filter({ hasText: '发展党员' }).waitFor();
  assert.match(await page.locator('.pipeline-steps').innerText(), /递交入党申请书 2024-01-10[\s\S]*派人谈话.*2024-02-10 前/);

  // the talk more than a month later: refused, the rule next to the date
  await page.getByRole('button', { name: '派人谈话' }).click();
  await dialog.getByLabel('日期').fill('2024-03-01');
  await dialog.getByLabel('说明').fill('支部书记谈话');
  await dialog.getByRole('button', { name: '派人谈话' }).click();
  await dialog.locator('.field-error', { hasText: '1 个月内' }).waitFor();
  await dialog.getByLabel('日期').fill('2024-01-25');
  await dialog.getByRole('button', { name: '派人谈话' }).click();
  await page.locator('.pipeline-steps li.done', { hasText: '派人谈话 2024-01-25' }).waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'desktop-development-case.png'), fullPage: true });

  // the board: 赵申请 under 入党申请人, with the next step
  await page.goto(`${srv.url}/#/party/pipeline?unit=${TOWN}`);
  const column = page.getByRole('region', { name: '入党申请人' });
  await column.locator('.pipeline-card', { hasText: '赵申请' }).waitFor();
  assert.match(await column.innerText(), /下一步：确定为入党积极分子/);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-pipeline-board.png'), fullPage: true });

  // 操作日志 names the steps in Chinese
  await page.goto(`${srv.url}/#/audit`);
  await page.getByText('党员事项：派人谈话').first().waitFor();
  assert.deepEqual(unexpected(problems), []);
});

test('the board on a phone', async (t) => {
  const { page, context, problems } = await openPage(browser, t, PHONE);
  await signIn(context, srv.url, 'town', pw.town);
  await page.goto(`${srv.url}/#/party/pipeline?unit=${TOWN}`);
  await page.locator('.pipeline-card', { hasText: '赵申请' }).waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390 + 1, `the page does not scroll sideways (${width})`);
  await page.screenshot({ path: path.join(SHOTS, 'phone-pipeline-board.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('组织关系转接: issued by the sending township, accepted by the receiving one', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'town', pw.town);
  await page.goto(`${srv.url}/#/persons/${ids.member}`);
  await heading(page).filter({ hasText: '钱党员' }).waitFor();
  await page.getByRole('button', { name: '开具组织关系介绍信' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('接收的党组织编号').fill(String(ids.branch2));
  await dialog.getByRole('button', { name: '开具' }).click();
  await page.waitForURL(/#\/party\/cases\/\d+/);
  await page.getByText('中共大杨庄村支部委员会 → 中共接收村支部委员会').waitFor();
  assert.equal(await page.getByRole('button', { name: '接收并回执' }).count(), 0, 'the sender cannot accept');

  const other = await openPage(browser, t, PHONE);
  await signIn(other.context, srv.url, 'town2', pw.town2);
  await other.page.goto(`${srv.url}/#/party/pipeline?kind=transfer`);
  await other.page.locator('ul.transfers li', { hasText: '钱党员' }).getByRole('link').click();
  await other.page.getByRole('button', { name: '接收并回执' }).click();
  const confirm = other.page.getByRole('dialog');
  await confirm.getByText('确定接收吗').waitFor();
  await confirm.getByRole('button', { name: '接收并回执' }).click();
  await other.page.locator('.tag', { hasText: '已接收（已回执）' }).waitFor();
  assert.doesNotMatch(await other.page.locator('main').innerText(), /null|undefined/);
  await other.page.screenshot({ path: path.join(SHOTS, 'phone-transfer-accepted.png'), fullPage: true });
  const r = await api(srv.url, `/api/v1/persons/${ids.member}`, { headers: { Authorization: `Bearer ${srv.token}` } });
  const current = r.body.memberships.filter((m) => m.kind === 'party_member' && !m.to);
  assert.deepEqual(current.map((m) => m.org), [ids.branch2]);
  assert.deepEqual(unexpected(problems), []);
  assert.deepEqual(unexpected(other.problems), []);
});
