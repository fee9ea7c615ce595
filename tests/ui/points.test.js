// 党员积分 and 党费 in real Chromium: a township administrator approves a
// claim in 党员管理 › 积分 and sees the ranking with 笑脸 / 呆脸 / 哭脸, finds a
// member in arrears and the yearly publication under 党费, records a
// payment on the member's page; a 党员 on a phone sees their own points and
// dues in 我的档案 (with the points a meeting's sign-in earned) and claims an item.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, tokenFor, api, chinaDay } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';

const TOWN = '411121100';
const V1 = '411121100201'; // 大杨庄村
const TODAY = chinaDay();
const YEAR = Number(TODAY.slice(0, 4));
let srv;
let browser;
const pw = {};
const ids = {};

before(async () => {
  srv = await startServer();
  pw.town = addUser(srv.dataDir, 'town', 'township_admin', TOWN);
  pw.member = addUser(srv.dataDir, 'zhangmember', 'party_member', V1);
  const token = tokenFor(srv.dataDir, 'town');
  const send = async (p, body, method = 'POST') => {
    const r = await api(srv.url, p, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.ok([200, 201].includes(r.status), `${p} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const branch = await send('/api/v1/party/orgs', { name: '中共大杨庄村支部委员会', type: 'branch', unit: V1 });
  for (const [name, account] of [['张建国', 'zhangmember'], ['李秀英'], ['王志强']]) {
    const p = await send('/api/v1/persons', { name, unit: V1, ...(account ? { account } : {}) });
    ids[name] = p.id;
    await send(`/api/v1/party/orgs/${branch.id}/members`, { person: p.id, kind: 'party_member', stage: 'formal', from: `${YEAR - 3}-07-01` });
  }
  // 李秀英: two deductions → 60, 哭脸; 王志强: a claim waiting for approval
  for (let i = 0; i < 2; i++) {
    const c = await send(`/api/v1/persons/${ids['李秀英']}/points`, { rule: 'discipline', day: TODAY, evidence: '支部委员会决定' });
    await send(`/api/v1/points/${c.id}/transitions`, { transition: 'approve' });
  }
  await send(`/api/v1/persons/${ids['王志强']}/points`, { rule: 'volunteer', day: TODAY, evidence: '敬老院义务劳动' });
  // 张建国 attended today's 主题党日: 2 points with the sign-in
  await send('/api/v1/events', { org: branch.id, type: 'theme_day', status: 'held', starts_at: TODAY, topic: '主题党日', actions: ['dues', 'oath', 'charter', 'study'], participants: [{ person: ids['张建国'], attendance: 'present' }] });
  // dues: 李秀英 has owed since last January; 张建国 is a farmer paying 0.5 元
  await send(`/api/v1/persons/${ids['李秀英']}/dues/basis`, { year: YEAR - 1, category: 'retired', income_fen: 400000 }, 'PUT');
  await send(`/api/v1/persons/${ids['张建国']}/dues/basis`, { year: YEAR, category: 'farmer' }, 'PUT');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const heading = (page) => page.getByRole('heading', { level: 1 });

test('党员管理 › 积分 and 党费: approve, rank with faces, arrears, publication, a payment', async (t) => {
  const { page, context } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'town', pw.town);
  await page.goto(`${srv.url}/#/party?tab=points&unit=${V1}`);
  await heading(page).filter({ hasText: '党员管理' }).waitFor();
  const queue = page.locator('ul.points-queue');
  const waiting = queue.locator('li', { hasText: '王志强' });
  await waiting.waitFor();
  assert.match(await waiting.innerText(), /参加志愿服务[\s\S]*\+3 分[\s\S]*待审/);
  await waiting.getByRole('button', { name: '通过' }).click();
  await queue.locator('li', { hasText: '已通过' }).waitFor();
  await page.reload();
  const ranking = page.locator('ol.points-ranking');
  await ranking.locator('li').first().waitFor();
  const rows = await ranking.locator('li').allInnerTexts();
  assert.match(rows[0], /第 1 名\s*王志强\s*83 分[\s\S]*呆脸 · 合格/);
  assert.match(rows.at(-1), /李秀英\s*60 分[\s\S]*哭脸 · 不合格/);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-party-points.png'), fullPage: true });

  await page.getByRole('navigation', { name: '党员管理' }).getByRole('link', { name: '党费' }).click();
  const arrears = page.locator('ul.dues-arrears');
  await arrears.locator('li').first().waitFor();
  assert.match(await arrears.locator('li', { hasText: '李秀英' }).innerText(), /连续 \d+ 个月未交/);
  assert.equal(await arrears.locator('li.overdue', { hasText: '李秀英' }).count(), 1, 'flagged after 6 months');
  await page.locator('table.dues-publication').waitFor();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 Excel' }).click();
  assert.match((await download).suggestedFilename(), /^dues-\d{4}-411121100201\.xlsx$/);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-party-dues.png'), fullPage: true });

  // a member's page: points and why, dues by month; record this month's dues
  await page.goto(`${srv.url}/#/persons/${ids['张建国']}`);
  const form = page.getByRole('form', { name: '登记党费交纳' });
  await form.waitFor();
  await form.getByLabel(TODAY.slice(0, 7)).check();
  assert.equal(await form.getByLabel('金额（元）').inputValue(), '0.50');
  await form.getByRole('button', { name: '登记交纳' }).click();
  await page.locator('table.dues-months tr.paid', { hasText: TODAY.slice(0, 7) }).waitFor();
  assert.match(await page.locator('table.dues-months tr.paid').innerText(), /0\.50 元[\s\S]*现金/);
});

test('我的档案 on a phone: my points and dues, and a claim', async (t) => {
  const { page, context } = await openPage(browser, t, PHONE);
  await signIn(context, srv.url, 'zhangmember', pw.member);
  await page.goto(`${srv.url}/#/mine`);
  await heading(page).filter({ hasText: '张建国' }).waitFor();
  const summary = page.locator('.points-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /82 分[\s\S]*呆脸/);
  const earned = page.locator('ul.points-entries li', { hasText: '参加主题党日' });
  assert.match(await earned.innerText(), /\+2 分[\s\S]*通过[\s\S]*出席活动，自动记分/);
  const claim = page.getByRole('form', { name: '申报积分' });
  await claim.getByLabel('积分项目').selectOption({ index: 0 });
  await claim.getByLabel('佐证说明').fill('参加镇党委集中学习，笔记两页');
  await claim.getByRole('button', { name: '申报积分' }).click();
  await page.locator('ul.points-entries li[data-state="pending"]').waitFor();
  assert.match(await page.locator('ul.points-entries').innerText(), /参加集中学习[\s\S]*待审/);
  assert.equal(await page.getByRole('button', { name: '通过' }).count(), 0, 'a member does not approve');
  assert.match(await page.locator('table.dues-months').innerText(), /0\.50 元/);
  await page.screenshot({ path: path.join(SHOTS, 'phone-mine-points.png'), fullPage: true });
});
