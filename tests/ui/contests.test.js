// 擂台比武 in real Chromium: on a phone a judge opens the scoring page by
// the code on their slip (#/judge/CODE), scores the contestant on stage,
// and the live screen (#/public/contests/ID, open beforehand and polling)
// shows the score at once; the judge of the contestant's own village is
// told why they may not score. A county administrator runs the session on
// the 擂台比武 page (上场, 结束打分, 实地察看得分), sees the results with
// ranks, awards and funds, and adds a 金点子 and votes for it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, tokenFor, api, idNumber } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';

const COUNTY = '411121';
const TOWN = '411121100';
let srv;
let browser;
let pw;
let call;
let contest;
let villages;

before(async () => {
  srv = await startServer();
  pw = addUser(srv.dataDir, 'county', 'county_admin', COUNTY);
  const token = tokenFor(srv.dataDir, 'county');
  call = (method, p, body) => api(srv.url, p, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  villages = (await call('GET', `/api/v1/units/${TOWN}/children?limit=100`)).body.items.slice(0, 3);
  const people = [];
  for (const [i, name] of ['张书记', '李书记', '王书记'].entries()) {
    const r = await call('POST', '/api/v1/persons', { name, unit: villages[i].code, id_number: idNumber(`41112119750101${300 + i}`) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    people.push(r.body.id);
  }
  const r = await call('POST', '/api/v1/contests', {
    name: '2025年村党组织书记擂台比武', year: 2025, unit: COUNTY,
    contestants: people.map((person) => ({ person })),
    judges: [{ name: '评委甲', unit: COUNTY }, { name: '评委乙', unit: COUNTY }, { name: '评委丙', unit: COUNTY }, { name: '评委丁', unit: villages[0].code }],
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  contest = r.body;
  assert.equal((await call('POST', `/api/v1/contests/${contest.id}/rounds`, { contestant: 1, action: 'open' })).status, 200);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  srv?.stop();
});

test('phone: a judge scores by code and the live screen shows it at once', async (t) => {
  const screen = await openPage(browser, t, DESKTOP);
  await screen.page.goto(`${srv.url}/#/public/contests/${contest.id}`);
  await screen.page.getByRole('heading', { name: '1 号选手 张书记' }).waitFor();
  assert.match(await screen.page.locator('.screen-judges').innerText(), /评委甲\s+待评/);

  const { page, problems } = await openPage(browser, t, PHONE);
  const [code] = contest.judges.map((j) => j.code);
  await page.goto(`${srv.url}/#/judge/${code.toLowerCase().replace(/(.{4})(?=.)/g, '$1-')}`);
  await page.getByRole('heading', { name: '2025年村党组织书记擂台比武' }).waitFor();
  await page.getByText('评委：评委甲').waitFor();
  const form = page.getByRole('form', { name: '为 张书记 打分' });
  await form.getByLabel('抓党建工作成效（0–40 分）').fill('45');
  await form.getByLabel('发展思路与举措（0–30 分）').fill('20');
  await form.getByLabel('现场表达与答辩（0–30 分）').fill('25');
  await form.getByRole('button', { name: '提交评分' }).click();
  await form.getByText('0 至 40').waitFor();
  await form.getByLabel('抓党建工作成效（0–40 分）').fill('30');
  await page.screenshot({ path: path.join(SHOTS, 'phone-judge.png'), fullPage: true });
  await form.getByRole('button', { name: '提交评分' }).click();
  await page.getByText('评分已提交').waitFor();
  assert.equal((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, true, 'no sideways scrolling on a phone');

  // the screen polls: the score is there within a few seconds
  await screen.page.locator('.screen-judges li.scored', { hasText: '75' }).waitFor({ timeout: 6000 });
  assert.match(await screen.page.locator('.screen-stage').innerText(), /已评 1 \/ 3/);
  await screen.page.screenshot({ path: path.join(SHOTS, 'desktop-contest-screen.png'), fullPage: true });

  // the judge of 张书记's own village is told why
  const other = await openPage(browser, t, PHONE);
  await other.page.goto(`${srv.url}/#/judge/${contest.judges[3].code}`);
  await other.page.getByText(/同属一个单位/).first().waitFor();
  assert.equal(await other.page.getByRole('button', { name: '提交评分' }).count(), 0);
  assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), []);
  assert.deepEqual(screen.problems, []);
  assert.deepEqual(other.problems, []);
});

test('擂台比武 page: session, site-visit scores, results with awards and funds, 金点子', async (t) => {
  const judge = (k, seq, scores) => api(srv.url, `/api/v1/judging/${contest.judges[k].code}/scores`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ contestant: seq, scores }) });
  assert.equal((await judge(1, 1, [35, 25, 25])).status, 201);
  assert.equal((await judge(2, 1, [20, 20, 20])).status, 201);
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'county', pw);
  await page.goto(`${srv.url}/#/contests`);
  await page.getByRole('link', { name: '擂台比武', exact: true }).first().waitFor();
  await page.getByRole('link', { name: '2025年村党组织书记擂台比武' }).click();
  await page.getByRole('heading', { name: '选手与上场' }).waitFor();
  const rounds = page.locator('table.contest-rounds tbody tr');
  assert.match(await rounds.nth(0).innerText(), /张书记[\s\S]*比武中[\s\S]*3\/3/);
  await rounds.nth(0).getByRole('button', { name: '结束打分' }).click();
  await rounds.nth(0).getByText('已结束').waitFor();
  await rounds.nth(1).getByRole('button', { name: '上场' }).click();
  await rounds.nth(1).getByText('比武中').waitFor();
  for (const k of [0, 1, 2, 3]) assert.equal((await judge(k, 2, [30, 20, 20])).status, 201);
  // the page looks again by itself: the scores come in without a reload
  await rounds.nth(1).getByText('4/4').waitFor({ timeout: 8000 });
  assert.match(await rounds.nth(1).innerText(), /评委丁 70/);

  const site = page.getByRole('form', { name: '实地察看得分' });
  await site.getByLabel('张书记（0–100 分）').fill('90');
  await site.getByLabel('李书记（0–100 分）').fill('80');
  await site.getByRole('button', { name: '保存实地察看得分' }).click();
  await page.locator('table.contest-results tbody tr').first().filter({ hasText: '一等奖' }).waitFor();
  const results = await page.locator('table.contest-results tbody tr').allInnerTexts();
  assert.match(results[0], /1\s+张书记[\s\S]*75\s+90\s+82\.5\s+一等奖\s+1\.5 万元/);
  assert.match(results[1], /2\s+李书记[\s\S]*70\s+80\s+75\s+一等奖/);
  assert.match(results[2], /—\s+王书记/);
  assert.match(await page.locator('section', { hasText: '奖项与扶持资金' }).innerText(), /合计\s+3 万元/);

  const idea = page.getByRole('form', { name: '收录金点子' });
  await idea.getByLabel('标题').fill('支部+合作社');
  await idea.getByLabel('具体做法').fill('村党支部领办合作社，带动集体增收。');
  await idea.getByLabel('标签（用逗号或空格分开）').fill('集体经济 产业');
  await idea.getByLabel('来自选手').selectOption({ label: '张书记' });
  await idea.getByRole('button', { name: '收录' }).click();
  const card = page.locator('.contest-idea', { hasText: '支部+合作社' });
  await card.getByText('0 票').waitFor();
  await card.getByRole('button', { name: '投一票' }).click();
  await page.locator('.contest-idea', { hasText: '支部+合作社' }).getByText('1 票').waitFor();
  assert.equal(await page.locator('.contest-idea', { hasText: '支部+合作社' }).getByRole('button', { name: '已投票' }).isDisabled(), true);
  await page.getByLabel('按标签筛选').selectOption('产业');
  assert.match(await page.locator('.contest-ideas').innerText(), /张书记/);
  assert.doesNotMatch(await page.locator('#main').innerText(), /null|undefined|waiting|411121/);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-contest.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('擂台比武 page: a contest is held from the form; the judges’ codes print once', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'county', pw);
  await page.goto(`${srv.url}/#/contests`);
  const form = page.getByRole('form', { name: '举办擂台比武' });
  await form.getByLabel('名称', { exact: true }).fill('2026年村党组织书记擂台比武');
  for (const [label, code] of [['主办单位', COUNTY], ['选手所在单位', TOWN]]) {
    const box = form.getByRole('combobox', { name: label });
    await box.fill(code);
    // a code typed is taken as it is once the search has found its unit
    await form.locator(`[role="option"][data-code="${code}"]`).waitFor({ state: 'attached' });
  }
  // leaving the field closes its list: the form below moves up
  await form.getByRole('checkbox', { name: /王书记/ }).waitFor();
  await form.getByText('参赛选手（按勾选顺序上场）').click();
  await form.getByRole('checkbox', { name: /王书记/ }).waitFor();
  await form.getByRole('checkbox', { name: /王书记/ }).check();
  await form.getByRole('checkbox', { name: /张书记/ }).check();
  await form.getByLabel('评委（每行一位）').fill('评委一\n评委二\n评委三');
  await form.getByLabel('现场比武权重 %').fill('60');
  await form.getByRole('button', { name: '举办并生成评委码' }).click();
  await form.getByText(/合计须为 100/).waitFor();
  await form.getByLabel('实地察看权重 %').fill('40');
  await form.getByRole('button', { name: '举办并生成评委码' }).click();
  await page.getByRole('heading', { name: '评委码（只显示这一次，请立即打印）' }).waitFor();
  const slips = await page.locator('.contest-codes .code-slip').allInnerTexts();
  assert.equal(slips.length, 3);
  assert.match(slips[0], /评委：评委一[\s\S]*[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}[\s\S]*#\/judge\//);
  await page.getByRole('link', { name: '进入比武' }).click();
  await page.getByRole('heading', { name: '选手与上场' }).waitFor();
  // in the order ticked: 王书记 goes on stage first
  assert.match(await page.locator('table.contest-rounds tbody tr').first().innerText(), /1\s+王书记/);
  assert.match(await page.locator('#main').innerText(), /现场比武 60% \+ 实地察看 40%/);
  // 评委一 lost the slip: a new code, shown once; the old one no longer opens the page
  const old = slips[0].match(/[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/)[0];
  await page.getByRole('row', { name: /评委一/ }).getByRole('button', { name: '补发评委码' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '补发' }).click();
  await page.getByRole('heading', { name: '评委一的新评委码（只显示这一次，请立即打印）' }).waitFor();
  const fresh = (await page.locator('.contest-codes .code-slip').innerText()).match(/[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/)[0];
  assert.notEqual(fresh, old);
  assert.equal((await api(srv.url, `/api/v1/judging/${old.replace(/-/g, '')}`)).status, 403);
  assert.equal((await api(srv.url, `/api/v1/judging/${fresh.replace(/-/g, '')}`)).status, 200);
  assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), []);
});
