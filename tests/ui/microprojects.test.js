// 心愿与议事 in real Chromium at phone size: a village secretary claims a
// checked wish, enters a meeting's attendance and votes (the quorum rule's
// refusal shows at the 实到人数 field; corrected, the stage moves on), makes
// a micro-project packaging a wish (a budget of 0 refused at its field),
// records an enterprise taking part; delivered (API), the project is on
// 微项目公开 with the wish it met. Names, never codes; no sideways scroll.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, tokenFor, api } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, PHONE } from './browser.js';

const V1 = '411121100201'; // 大杨庄村
let srv;
let browser;
let pw;
let call;

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  pw = addUser(srv.dataDir, 'sec', 'village_secretary', V1);
  const token = tokenFor(srv.dataDir, 'sec');
  call = async (method, p, body) => {
    const res = await api(srv.url, p, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
    assert.ok(res.status === 200 || res.status === 201, `${p}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  for (const title of ['留守儿童想要一个新书包', '独居老人希望更换灯泡']) {
    const w = await call('POST', '/api/v1/items', { type: 'wish', title, unit: V1, category: '其他' });
    await call('POST', `/api/v1/items/${w.id}/transitions`, { transition: 'list' });
  }
  await call('POST', '/api/v1/items', { type: 'deliberation', title: '村内主干道硬化', unit: V1 });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function noSideways(page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth }));
  assert.ok(scroll <= width, `page is ${scroll}px wide in a ${width}px viewport`);
}

test('phone: claim a wish, a meeting with the quorum rule, a micro-project with a participant', async (t) => {
  const { page, context, problems } = await openPage(browser, t, PHONE);
  await signIn(context, srv.url, 'sec', pw);
  await page.goto(`${srv.url}/#/community`);
  await page.getByRole('heading', { name: '微心愿（未办结）' }).waitFor();
  await noSideways(page);
  await page.screenshot({ path: path.join(SHOTS, 'phone-community.png'), fullPage: true });

  // claim
  const bag = page.locator('li.community-case').filter({ hasText: '留守儿童想要一个新书包' });
  await bag.getByRole('button', { name: '认领' }).click();
  await bag.getByLabel('认领人或责任人').fill('舞泉食品有限公司');
  await bag.getByLabel('说明').fill('企业认领');
  await bag.locator('form').getByRole('button', { name: '认领' }).click();
  await page.locator('li.community-case').filter({ hasText: '留守儿童想要一个新书包' }).getByText('已认领', { exact: true }).waitFor();

  // a meeting below quorum: refused at the field; corrected, the stage moves on
  const road = () => page.locator('li.community-case').filter({ hasText: '村内主干道硬化' });
  await road().getByRole('button', { name: '村两委会议商议' }).click();
  await road().getByLabel('应到人数').fill('7');
  await road().getByLabel('实到人数').fill('3');
  await road().getByLabel('赞成人数').fill('3');
  await road().getByLabel('说明').fill('两委会议');
  await road().locator('form').getByRole('button', { name: '村两委会议商议' }).click();
  const error = road().locator('[data-field="present"] .field-error');
  await error.waitFor();
  assert.match(await error.innerText(), /到会/);
  await page.screenshot({ path: path.join(SHOTS, 'phone-community-quorum.png'), fullPage: true });
  await road().getByLabel('实到人数').fill('6');
  await road().getByLabel('赞成人数').fill('5');
  await road().locator('form').getByRole('button', { name: '村两委会议商议' }).click();
  await road().getByText('村两委已商议', { exact: true }).waitFor();

  // a micro-project: budget 0 refused at its field, then made with a wish
  const form = page.getByRole('form', { name: '新建微项目' });
  await form.getByLabel('项目名称').fill('温暖过冬微项目');
  await form.getByLabel('预算（元）').fill('0');
  await form.getByLabel('独居老人希望更换灯泡').check();
  await form.getByRole('button', { name: '新建微项目' }).click();
  await form.locator('[data-field="budget"] .field-error').waitFor();
  assert.match(await form.locator('[data-field="budget"] .field-error').innerText(), /预算/);
  await form.getByLabel('预算（元）').fill('5000');
  await form.getByRole('button', { name: '新建微项目' }).click();
  await page.getByRole('link', { name: '温暖过冬微项目' }).click();
  await page.getByRole('heading', { name: '纳入的心愿（1）' }).waitFor();
  const part = page.getByRole('form', { name: '登记参与方' });
  await part.getByLabel('类别').selectOption('enterprise');
  await part.getByLabel('名称或姓名').fill('舞泉食品有限公司');
  await part.getByLabel('参与人次').fill('12');
  await part.getByRole('button', { name: '登记参与' }).click();
  await page.getByRole('heading', { name: '参与方（1）' }).waitFor();
  const text = await page.locator('#main').innerText();
  assert.match(text, /企业 · 舞泉食品有限公司 · 12 人次/);
  assert.match(text, /预算 5,000 元/);
  assert.doesNotMatch(text, /null|undefined|411121\d|microproject|enterprise/);
  await noSideways(page);
  await page.screenshot({ path: path.join(SHOTS, 'phone-community-project.png'), fullPage: true });
  // the two refusals above (quorum, budget) are the only failed requests
  assert.deepEqual(problems.filter((p) => !/Failed to load resource: .* status of 400/.test(p)), []);
});

test('微项目公开: a delivered project with the wish it met, at phone size', async (t) => {
  const list = await call('GET', `/api/v1/microprojects?unit=${V1}`);
  const p = list.items.find((x) => x.title === '温暖过冬微项目');
  assert.ok(p, 'made by the test before');
  await call('POST', `/api/v1/items/${p.id}/transitions`, { transition: 'approve', note: '村民代表会议通过' });
  await call('POST', `/api/v1/items/${p.id}/transitions`, { transition: 'start', assignee: '王支书' });
  await call('POST', `/api/v1/items/${p.id}/transitions`, { transition: 'deliver', evidence: '灯泡已更换，照片存档' });
  const { page, problems } = await openPage(browser, t, PHONE);
  await page.goto(`${srv.url}/#/public/microprojects?unit=${V1}`);
  const card = page.locator('article[data-project]').filter({ hasText: '温暖过冬微项目' });
  await card.waitFor();
  const text = await card.innerText();
  assert.match(text, /已交付/);
  assert.match(text, /独居老人希望更换灯泡/);
  assert.match(text, /参与 12 人次/);
  assert.doesNotMatch(await page.locator('#main').innerText(), /舞泉食品|null|undefined|411121\d/);
  await noSideways(page);
  await page.screenshot({ path: path.join(SHOTS, 'phone-public-microprojects.png'), fullPage: true });
  assert.deepEqual(problems, []);
});
