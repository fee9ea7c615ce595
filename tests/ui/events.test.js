// 组织生活 in real Chromium: a township administrator sees the villages'
// compliance ranking (ECharts) and each branch's calendar (months × duties,
// 已开 / 逾期 / 未到期) computed from held events; on a phone a village
// secretary records a 主题党日 with its 4+X actions and ticks the sign-in
// sheet of the branch's members, saved in one write.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, tokenFor, api, jicengOk, ROOT } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';

const TOWN = '411121100';
const V1 = '411121100201'; // 大杨庄村
const V2 = '411121100202';
let srv;
let browser;
const pw = {};
const ids = {};
const year = new Date().getFullYear();
const month = new Date().getMonth() + 1;
const pad = (n) => String(n).padStart(2, '0');

before(async () => {
  srv = await startServer();
  jicengOk(['--data', srv.dataDir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  pw.town = addUser(srv.dataDir, 'town', 'township_admin', TOWN);
  pw.sec = addUser(srv.dataDir, 'sec', 'village_secretary', V1);
  const token = tokenFor(srv.dataDir, 'town');
  const post = async (p, body, method = 'POST') => {
    const r = await api(srv.url, p, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.ok([200, 201].includes(r.status), JSON.stringify(r.body));
    return r.body;
  };
  ids.branch = (await post('/api/v1/party/orgs', { name: '中共大杨庄村支部委员会', type: 'branch', unit: V1, founded_on: '2020-01-01' })).id;
  ids.branch2 = (await post('/api/v1/party/orgs', { name: '中共二村支部委员会', type: 'branch', unit: V2, founded_on: '2020-01-01' })).id;
  for (const [name, stage] of [['张建国', 'formal'], ['李秀英', 'probationary'], ['王志强', 'formal']]) {
    const p = await post('/api/v1/persons', { name, unit: V1, sex: '男', birth_date: '1975-05-01' });
    ids[name] = p.id;
    await post(`/api/v1/party/orgs/${ids.branch}/members`, { person: p.id, kind: 'party_member', stage, from: '2019-01-01' });
  }
  // 大杨庄村: a 支委会 in January, none in February; 二村: both months
  await post('/api/v1/events', { org: ids.branch, type: 'committee_meeting', status: 'held', starts_at: `${year}-01-10`, topic: '一月支委会' });
  for (const m of [1, 2]) await post('/api/v1/events', { org: ids.branch2, type: 'committee_meeting', status: 'held', starts_at: `${year}-${pad(m)}-10`, topic: `${m}月支委会` });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('组织生活: the villages ranked by compliance, each branch\'s calendar', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'town', pw.town);
  await page.goto(`${srv.url}/#/party?unit=${TOWN}`);
  await page.getByRole('link', { name: '组织生活' }).click();
  await page.waitForURL(/tab=life/);
  const cal = page.locator(`table.life-calendar[data-org="${ids.branch}"]`);
  await cal.waitFor();
  const committee = cal.locator('tr[data-duty="branch.committee"] td');
  assert.equal(await committee.nth(0).getAttribute('data-state'), 'done', 'January held');
  if (month > 2) assert.equal(await committee.nth(1).getAttribute('data-state'), 'missed', 'February ended without one');
  assert.equal(await committee.nth(month - 1).getAttribute('data-state'), 'pending', 'this month is not overdue');
  assert.match(await cal.locator('caption').innerText(), /应开 \d+，已开 1，逾期 \d+/);
  // the ranking: 二村 above 大杨庄村 (more of its duties held)
  const chart = page.locator('.party-life .chart canvas');
  await chart.first().waitFor();
  const table = page.locator('.party-life table').first();
  await table.waitFor();
  const names = await page.locator('.party-life table').first().locator('tbody tr').allInnerTexts();
  const v2 = (await api(srv.url, `/api/v1/units/${V2}`, { headers: { Authorization: `Bearer ${tokenFor(srv.dataDir, 'town')}` } })).body.name;
  const at = (name) => names.findIndex((row) => row.includes(name.replace(/(村民|居民)委员会$/, '')));
  assert.ok(at(v2) >= 0 && at(v2) < at('大杨庄村'), `ranked by compliance: ${names.join(' | ')}`);
  assert.doesNotMatch(await page.locator('#main').innerText(), /null|undefined|committee_meeting|branch\.committee/);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-party-life.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('phone: record a 主题党日 and tick the sign-in sheet', async (t) => {
  const { page, context, problems } = await openPage(browser, t, PHONE);
  await signIn(context, srv.url, 'sec', pw.sec);
  await page.goto(`${srv.url}/#/party/events/new?org=${ids.branch}`);
  await page.getByRole('heading', { name: '计划或登记活动' }).waitFor();
  await page.getByLabel('活动类型').selectOption({ label: '主题党日' });
  assert.equal(await page.getByLabel('缴纳党费（规定）').isChecked(), true, 'required actions are ticked');
  await page.getByLabel('志愿服务').check();
  await page.getByLabel('主题').fill('学习党章主题党日');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByRole('heading', { name: '学习党章主题党日' }).waitFor();
  assert.match(await page.locator('#main').innerText(), /已完成：缴纳党费、重温入党誓词、诵读党章、集中学习、志愿服务/);
  const sheet = page.locator('form.sign-in');
  await sheet.getByRole('radiogroup', { name: '张建国' }).getByLabel('出席').check();
  await sheet.getByRole('radiogroup', { name: '李秀英' }).getByLabel('出席').check();
  await sheet.getByRole('radiogroup', { name: '王志强' }).getByLabel('请假').check();
  assert.match(await sheet.getByRole('status').first().innerText(), /出席 2 人/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page scrolls sideways: ${width}px`);
  await page.getByRole('button', { name: '保存签到' }).click();
  await page.getByText('已保存签到：出席 2 人，共 3 人').waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'phone-sign-in.png'), fullPage: true });
  const id = page.url().match(/events\/(\d+)/)[1];
  const r = await api(srv.url, `/api/v1/events/${id}`, { headers: { Authorization: `Bearer ${tokenFor(srv.dataDir, 'town')}` } });
  assert.deepEqual(r.body.participants.map((p) => [p.name, p.attendance]).sort(), [['张建国', 'present'], ['李秀英', 'present'], ['王志强', 'leave']].sort());
  // 一人一档 lists it
  await page.goto(`${srv.url}/#/persons/${ids['王志强']}`);
  const line = page.locator('.person-events li').first();
  await line.waitFor();
  assert.match(await line.innerText(), /学习党章主题党日 · 主题党日 · 中共大杨庄村支部委员会 请假/);
  assert.deepEqual(problems, []);
});
