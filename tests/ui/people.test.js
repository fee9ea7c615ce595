// 党员管理, 一人一档, 一户一档 and 我的档案 in real Chromium: a township
// administrator opens the roster (filtered by stage, on a phone too), a
// member's record in time order, the branch with its posts and members and
// the 应建尽建/换届 report; a 党员 account sees only its own record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, tokenFor, api } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';

const TOWN = '411121100';
const V1 = '411121100201'; // 大杨庄村
let srv;
let browser;
const pw = {};
const ids = {};

before(async () => {
  srv = await startServer();
  pw.town = addUser(srv.dataDir, 'town', 'township_admin', TOWN);
  pw.member = addUser(srv.dataDir, 'zhangmember', 'party_member', V1);
  const token = tokenFor(srv.dataDir, 'town');
  const post = async (p, body, method = 'POST') => {
    const r = await api(srv.url, p, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.ok([200, 201].includes(r.status), JSON.stringify(r.body));
    return r.body;
  };
  const branch = await post('/api/v1/party/orgs', { name: '中共大杨庄村支部委员会', type: 'branch', unit: V1, term_start: '2021-03-15' });
  ids.branch = branch.id;
  const people = [['张建国', 'formal', '1998-07-01'], ['李秀英', 'probationary', '2025-09-01'], ['王志强', 'activist', '2025-03-01']];
  for (const [name, stage, from] of people) {
    const p = await post('/api/v1/persons', { name, unit: V1, sex: name === '李秀英' ? '女' : '男', birth_date: '1975-05-01', phone: '13812345678' });
    ids[name] = p.id;
    await post(`/api/v1/party/orgs/${branch.id}/members`, { person: p.id, kind: 'party_member', stage, from });
  }
  await post(`/api/v1/party/orgs/${branch.id}/members`, { person: ids['张建国'], kind: 'committee', stage: 'secretary', from: '2021-03-15' });
  await post(`/api/v1/persons/${ids['张建国']}/memberships`, { kind: 'grid_worker', unit: V1, from: '2022-01-01', to: '2024-01-01' });
  await post(`/api/v1/persons/${ids['张建国']}`, { account: 'zhangmember' }, 'PATCH');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const heading = (page) => page.getByRole('heading', { level: 1 });
const mainNav = (page) => page.getByRole('navigation', { name: '主导航' });

test('党员管理: the roster by stage, a person\'s record, the branch and the report', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'town', pw.town);
  await page.goto(srv.url + '/#/desk');
  assert.equal(await mainNav(page).getByRole('link', { name: '我的档案' }).count(), 0, 'staff have no 我的档案');
  await mainNav(page).getByRole('link', { name: '党员管理' }).click();
  await heading(page).filter({ hasText: '党员管理' }).waitFor();
  const roster = page.locator('ul.roster');
  await roster.locator('li').first().waitFor();
  assert.deepEqual((await roster.locator('li .user-title a').allTextContents()).sort(), ['张建国', '李秀英'].sort(),
    'members are the formal and probationary ones');
  assert.match(await roster.innerText(), /正式党员[\s\S]*138\*\*\*\*5678/);
  assert.doesNotMatch(await roster.innerText(), /13812345678/);
  await page.getByLabel('发展阶段').selectOption({ label: '入党积极分子' });
  await page.getByRole('button', { name: '查看' }).click();
  await page.waitForURL(/stage=activist/);
  await roster.locator('li', { hasText: '王志强' }).waitFor();
  assert.equal(await roster.locator('li').count(), 1);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-party-roster.png'), fullPage: true });

  // 一人一档: every membership in time order.
  await page.goto(`${srv.url}/#/persons/${ids['张建国']}`);
  await heading(page).filter({ hasText: '张建国' }).waitFor();
  const lines = await page.locator('.person-timeline li').allInnerTexts();
  assert.equal(lines.length, 3);
  assert.match(lines[0], /1998-07-01 起 党员（正式党员）/);
  assert.match(lines[1], /2021-03-15 起 党组织班子成员（书记）/);
  assert.match(lines[2], /2022-01-01 至 2024-01-01 网格员/);
  assert.match(await page.locator('.person-card').innerText(), /手机号\s*13812345678/, 'the township has pii:read');
  await page.screenshot({ path: path.join(SHOTS, 'desktop-person.png'), fullPage: true });

  // The branch: posts and members; then the report.
  await page.locator('.person-timeline a').first().click();
  await heading(page).filter({ hasText: '中共大杨庄村支部委员会' }).waitFor();
  assert.match(await page.locator('#main').innerText(), /书记\s*张建国/);
  assert.match(await page.locator('#main').innerText(), /正式党员 1 人，党员 2 人/);
  assert.match(await page.locator('#main').innerText(), /2026-03-15 届满/);
  await page.goto(`${srv.url}/#/party?tab=report&unit=${TOWN}`);
  const setup = page.locator('.setup-findings li').first();
  await setup.waitFor();
  assert.match(await setup.innerText(), /中共大杨庄村支部委员会[\s\S]*正式党员 1 人[\s\S]*不足 3 人/);
  assert.match(await page.locator('.terms li').first().innerText(), /已超期 \d+ 天/);
  assert.doesNotMatch(await page.locator('#main').innerText(), /null|undefined|branch\.formal_min|probationary/);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-party-report.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('phone: the roster fits; a 党员 sees only the own record', async (t) => {
  const { page, context, problems } = await openPage(browser, t, PHONE);
  await signIn(context, srv.url, 'town', pw.town);
  await page.goto(`${srv.url}/#/party?unit=${V1}`);
  await page.locator('ul.roster li').first().waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page scrolls sideways: ${width}px`);
  await page.screenshot({ path: path.join(SHOTS, 'phone-party-roster.png'), fullPage: true });
  assert.deepEqual(problems, []);

  const mine = await openPage(browser, t, PHONE);
  await signIn(mine.context, srv.url, 'zhangmember', pw.member);
  await mine.page.goto(`${srv.url}/#/mine`);
  await heading(mine.page).filter({ hasText: '张建国' }).waitFor();
  assert.equal(await mine.page.locator('.person-timeline li').count(), 3);
  assert.equal(await mine.page.getByRole('link', { name: '党员管理' }).count(), 0, 'no roster for a member');
  assert.equal(await mine.page.locator('#app-nav a', { hasText: '我的档案' }).count(), 1);
  await mine.page.goto(`${srv.url}/#/persons/${ids['李秀英']}`);
  await mine.page.locator('#main').filter({ hasText: /没有权限|无权|不能/ }).waitFor();
  assert.doesNotMatch(await mine.page.locator('#main').innerText(), /李秀英/);
  await mine.page.screenshot({ path: path.join(SHOTS, 'phone-mine.png'), fullPage: true });
});
