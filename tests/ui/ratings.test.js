// "五星"支部创建 in real Chromium: the secretary of 大杨庄村 declares 争创三星,
// self-assesses (scores, 是/否, a note, a photo as evidence; a score over
// the maximum and submitting too early are refused at the field the server
// names) and submits; the 舞泉镇 reviewer finds it in the 待乡镇初审 queue,
// adjusts one score with a reason and accepts it, and the timeline tells
// the story. The county then approves, publishes and — the notice period
// set in the past with sqlite3 — names it through the API, another village
// goes into public notice (开始公示 on the page, whose dialog asks for the
// step's input 公示天数), and the residents' page 五星支部公示 lists both
// without signing in. The dashboard's distribution, per-star shares and
// ranking for 舞泉镇 and 舞阳县 match the API; the schemes and pairings pages
// show; the county records and resolves an objection, withdraws a star, and
// a creation checklist is generated; and the unit page, the dashboard and
// the public page fit a phone.
// Screenshots go to tests/out/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, addUser, tokenFor, api, freshDataDir, jicengOk, ROOT, chinaDay } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';

const SCHEME = 'village-2026';
const COUNTY = '411121'; // 舞阳县
const TOWN = '411121100'; // 舞泉镇
const V1 = '411121100201'; // 大杨庄村
const V2 = '411121100202'; // 高庄村
const V3 = '411121100203'; // 双庙村
const V1_NAME = '大杨庄村村民委员会';
const V2_NAME = '高庄村村民委员会';
let srv;
let browser;
let scheme;
const pw = {};
const tokens = {};

before(async () => {
  const dir = freshDataDir(['41']);
  jicengOk(['--data', dir, 'import', 'elements', path.join(ROOT, 'data/definitions.json')]);
  pw.cun = addUser(dir, 'cun', 'village_secretary', V1);
  pw.wuquan = addUser(dir, 'wuquan', 'township_admin', TOWN);
  pw.wuyang = addUser(dir, 'wuyang', 'county_admin', COUNTY);
  tokens.wuyang = tokenFor(dir, 'wuyang');
  [srv, browser] = await Promise.all([startServer({ dataDir: dir }), launch()]);
  const got = await srv.api(`/api/v1/schemes/${SCHEME}`);
  assert.equal(got.status, 200, JSON.stringify(got.body));
  scheme = got.body;
  // The year's data of 大杨庄村 and 高庄村: the formula indicators of
  // 支部过硬星, 产业兴旺星 and 生态宜居星 score in full.
  const values = [V1, V2].flatMap((unit) => Object.entries({
    'branch.standardised': 1, population: 1500, 'income.collective': 60,
    'investment.done': 95, 'investment.planned': 100, 'toilet.sanitary': 450, households: 480,
  }).map(([element, value]) => ({ element, unit, period: '2026', value })));
  const put = await srv.api('/api/v1/values', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(values),
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  // 60 formal members in each (party.members is counted from the rosters),
  // through the API so that the server's kept answers follow.
  const post = async (p, body) => {
    const r = await srv.api(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  for (const unit of [V1, V2]) {
    const branch = await post('/api/v1/party/orgs', { name: `${unit}党支部`, type: 'branch', unit });
    for (let i = 0; i < 60; i++) {
      const p = await post('/api/v1/persons', { name: `党员${i + 1}`, unit });
      await post(`/api/v1/party/orgs/${branch.id}/members`, { person: p.id, kind: 'party_member', stage: 'formal', from: '2020-07-01' });
    }
  }
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const heading = (page) => page.getByRole('heading', { level: 1 });
// Failed requests the tests cause on purpose (answers refused for their input).
const unexpected = (problems) => problems.filter((p) => !/Failed to load resource: .* status of 400/.test(p));
const status = (page) => page.locator('.action-status');
const item = (page, code) => page.locator(`.answer-item[data-code="${code}"]`);
const stateTag = (page) => page.locator('.rating-header [data-state]');

async function assertNoHorizontalScroll(page) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= width, `page is ${scroll}px wide in a ${width}px viewport`);
}

async function as(t, user, options = DESKTOP) {
  const opened = await openPage(browser, t, options);
  await signIn(opened.context, srv.url, user, pw[user]);
  return opened;
}

// A call as the county administrator (bearer token); asserts success.
async function county(pathAndQuery, body, method = body === undefined ? 'GET' : 'POST') {
  const res = await api(srv.url, pathAndQuery, {
    method,
    headers: { Authorization: `Bearer ${tokens.wuyang}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(res.status === 200 || res.status === 201, `${method} ${pathAndQuery}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

// The deployment's date `plus` days from now, YYYY-MM-DD (Asia/Shanghai).
const localDate = (plus) => chinaDay(plus);

const ratingPath = (unit, rest = '') => `/api/v1/ratings/${unit}${rest}?scheme=${SCHEME}`;
const step = (unit, transition, extra = {}) => county(ratingPath(unit, '/transitions'), { transition, ...extra });

// Every answer of the scheme given: full marks, 是, and no veto.
function fullAnswers() {
  const indicators = [];
  const vetoes = [];
  for (const star of scheme.categories) {
    for (const ind of star.indicators) {
      if (ind.kind === 'assessed') indicators.push({ code: ind.code, score: ind.max });
      if (ind.kind === 'yesno') indicators.push({ code: ind.code, yes: true });
    }
    for (const veto of star.vetoes) if (veto.kind === 'yesno') vetoes.push({ code: veto.code, yes: false });
  }
  return { indicators, vetoes };
}

test('a village declares 争创三星, self-assesses with a photo and submits; the township adjusts and accepts', async (t) => {
  const { page, problems } = await as(t, 'cun');
  await page.goto(srv.url + '/#/ratings');
  await heading(page).filter({ hasText: '五星创建' }).waitFor();
  await page.getByRole('link', { name: `进入${V1_NAME}的创建页面` }).click();
  await heading(page).filter({ hasText: V1_NAME }).waitFor();
  assert.match(page.url(), new RegExp(`#/ratings/${V1}\\?scheme=${SCHEME}$`));
  // Not declared yet: the stars from data alone, and the declaration form.
  assert.match(await page.locator('.rating-header').innerText(), /未申报/);
  const declare = page.locator('form.declare-form');
  await declare.getByRole('button', { name: '申报目标' }).click();
  await declare.getByText('请选择争创星级').waitFor(); // checked before anything is sent
  await declare.getByLabel('争创星级').selectOption({ label: '争创三星' });
  await declare.getByRole('button', { name: '申报目标' }).click();
  await status(page).filter({ hasText: '已申报：争创三星' }).waitFor();
  assert.equal(await stateTag(page).innerText(), '自评中');
  assert.match(await page.locator('.rating-header').innerText(), /创建目标\s*争创三星/);

  // Submitting asks first; before answering, the server names the first indicator.
  await page.locator('.rating-steps').getByRole('button', { name: '提交自评' }).click();
  const confirm = page.getByRole('dialog', { name: '提交自评' });
  assert.match(await confirm.innerText(), /确定提交自评吗？/);
  await confirm.getByRole('button', { name: '取消' }).click();
  await confirm.waitFor({ state: 'detached' });
  assert.equal(await stateTag(page).innerText(), '自评中', 'cancelled: nothing sent');
  await page.locator('.rating-steps').getByRole('button', { name: '提交自评' }).click();
  await confirm.getByRole('button', { name: '提交自评' }).click();
  const organisation = item(page, 'party.organisation');
  await organisation.locator('.field-error').filter({ hasText: '组织体系健全' }).waitFor();
  assert.equal(await stateTag(page).innerText(), '自评中');

  // A score above the maximum is refused at its input.
  const score = organisation.getByLabel('评分（0–20 分）');
  await score.fill('25');
  await page.getByRole('button', { name: '保存自评' }).click();
  await organisation.locator('.field-error').filter({ hasText: /0 到 20/ }).waitFor();
  assert.equal(await score.getAttribute('aria-invalid'), 'true');

  // The whole self-assessment: full marks but 组织体系健全 18 with a note and a photo.
  for (const input of await page.locator('.answer-item[data-kind="assessed"] input[type="number"]').all()) {
    await input.fill(await input.getAttribute('max'));
  }
  for (const choice of await page.locator('.answer-item[data-kind="yesno"]:not(.veto-item)').getByRole('radio', { name: '是' }).all()) {
    await choice.check();
  }
  for (const choice of await page.locator('.veto-item[data-kind="yesno"]').getByRole('radio', { name: '否' }).all()) {
    await choice.check();
  }
  await score.fill('18');
  await organisation.getByLabel('说明').fill('两委班子配备齐全，党小组设置待完善');
  const photo = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: 64, height: 48 } });
  await organisation.getByLabel('佐证材料（照片或 PDF）').setInputFiles({ name: '班子合影.png', mimeType: 'image/png', buffer: photo });
  await page.getByRole('button', { name: '保存自评' }).click();
  await status(page).filter({ hasText: '已保存自评' }).waitFor();
  const thumb = item(page, 'party.organisation').locator('img.file-thumb');
  await thumb.waitFor();
  assert.equal(await thumb.getAttribute('alt'), '班子合影.png');
  await page.waitForFunction(() => document.querySelector('.answer-item[data-code="party.organisation"] img.file-thumb')?.naturalWidth === 64);
  assert.equal(await item(page, 'party.organisation').getByLabel('评分（0–20 分）').inputValue(), '18');
  // 组织生活 is computed from the meetings held, not ticked
  assert.equal(await item(page, 'party.life').getByRole('radio').count(), 0);
  assert.match(await item(page, 'party.life').innerText(), /数据计算[\s\S]*得分 15 \/ 15/);
  // 支部过硬星: 18 + 20 (standardised) + 15 + 15 (members) + 15 + 15 = 98.
  const party = page.locator('.star-result[data-star="party"]');
  assert.match(await party.innerText(), /98 \/ 85 分/);
  assert.match(await party.innerText(), /已达标/);
  assert.match(await page.locator('.star-result[data-star="safety"]').innerText(), /未达标[\s\S]*数据缺失/);
  assert.match(await page.locator('.rating-header').innerText(), /当前星级\s*★★★☆☆ 三星/);

  await page.locator('.rating-steps').getByRole('button', { name: '提交自评' }).click();
  await page.getByRole('dialog', { name: '提交自评' }).getByRole('button', { name: '提交自评' }).click();
  await status(page).filter({ hasText: '已提交自评，当前状态：待乡镇初审' }).waitFor();
  assert.equal(await stateTag(page).innerText(), '待乡镇初审');
  assert.equal(await page.getByRole('button', { name: '保存自评' }).count(), 0, 'submitted answers are read-only');
  assert.match(await item(page, 'party.organisation').locator('.answer-text').innerText(), /自评 18 分[\s\S]*两委班子配备齐全/);
  assert.equal(await page.locator('[data-adjust]').count(), 0, 'the village does not review itself');
  await page.screenshot({ path: path.join(SHOTS, 'desktop-rating-submitted.png'), fullPage: true });
  assert.deepEqual(unexpected(problems), []);
  assert.ok(problems.length >= 2, 'the refused submit and save were 400s');

  // The township: the queue, one adjustment with its reason, 初审通过.
  const town = await as(t, 'wuquan');
  await town.page.goto(srv.url + '/#/ratings');
  const queue = town.page.locator('[data-queue="submitted"]');
  await queue.getByRole('link', { name: V1_NAME }).click();
  await heading(town.page).filter({ hasText: V1_NAME }).waitFor();
  assert.equal(await stateTag(town.page).innerText(), '待乡镇初审');
  await item(town.page, 'party.organisation').getByRole('button', { name: '调整' }).click();
  const dialog = town.page.getByRole('dialog', { name: '调整：组织体系健全' });
  await dialog.getByLabel('新的评分（0–20 分）').fill('15');
  await dialog.getByRole('button', { name: '确认调整' }).click();
  await dialog.getByText('请填写调整理由').waitFor();
  await dialog.getByLabel('调整理由').fill('党小组设置不规范，扣 5 分');
  await dialog.getByRole('button', { name: '确认调整' }).click();
  await status(town.page).filter({ hasText: '已调整：组织体系健全' }).waitFor();
  const adjusted = item(town.page, 'party.organisation');
  assert.match(await adjusted.innerText(), /得分 15 \/ 20/);
  await adjusted.locator('.tag-adjusted').waitFor();
  assert.match(await town.page.locator('.star-result[data-star="party"]').innerText(), /95 \/ 85 分/);
  await town.page.locator('.rating-steps').getByRole('button', { name: '初审通过' }).click();
  await status(town.page).filter({ hasText: '已初审通过，当前状态：待县级复审' }).waitFor();
  assert.equal(await stateTag(town.page).innerText(), '待县级复审');
  assert.equal(await town.page.locator('.rating-steps [data-step="approve"]').count(), 0, 'the county approves');

  // The refused save and submit left no trace; the labels are the server's.
  assert.deepEqual(await town.page.locator('.timeline-step').allInnerTexts(), ['提交', '自评', '提交自评', '调整评分', '初审通过']);
  const events = town.page.locator('.timeline-event');
  const adjustment = events.filter({ hasText: '调整评分' });
  assert.match(await adjustment.innerText(), /wuquan[\s\S]*党小组设置不规范，扣 5 分[\s\S]*组织体系健全：18 分 → 15 分/);
  // Who took each step, from which state to which (the server labels them;
  // never a bare state code).
  assert.match(await events.filter({ hasText: '提交自评' }).innerText(), /cun[\s\S]*提交自评[\s\S]*自评中 → 待乡镇初审/);
  assert.match(await events.last().innerText(), /wuquan[\s\S]*初审通过[\s\S]*待乡镇初审 → 待县级复审/);
  assert.doesNotMatch(await town.page.locator('.timeline').innerText(), /declared|submitted|township_passed/);
  assert.doesNotMatch(await town.page.locator('#main').innerText(), /null|undefined|NaN/);
  // The queue is empty now; the county's has it.
  await town.page.goto(srv.url + '/#/ratings');
  await town.page.locator('[data-queue="submitted"]').getByText('暂无待审核的单位。').waitFor();
  await town.page.screenshot({ path: path.join(SHOTS, 'desktop-rating-accepted.png'), fullPage: true });
  assert.deepEqual(town.problems, []);
});

test('named and in notice: the residents\' page lists them without signing in', async (t) => {
  const before = await county(ratingPath(V1));
  assert.equal(before.rating.state, 'township_passed');
  await step(V1, 'approve');
  await step(V1, 'publish', { days: 5 });
  execFileSync('sqlite3', [path.join(srv.dataDir, 'jiceng.db')],
    { input: `UPDATE case_ratings SET notice_until = '2026-01-01' WHERE unit = '${V1}';` });
  const named = await step(V1, 'name');
  assert.equal(named.rating.state, 'named');
  assert.equal(named.level, 3);
  // 高庄村: declared, answered in full, reviewed and in public notice.
  await county('/api/v1/ratings', { scheme: SCHEME, unit: V2, target: 5 });
  await county(ratingPath(V2, '/answers'), fullAnswers(), 'PUT');
  for (const transition of ['submit', 'accept', 'approve']) await step(V2, transition);
  // 开始公示 on the page: the dialog asks for the step's input 公示天数
  // with its range and default, as the API describes it.
  const countyPage = await as(t, 'wuyang');
  await countyPage.page.goto(`${srv.url}/#/ratings/${V2}?scheme=${SCHEME}`);
  await countyPage.page.locator('.rating-steps').getByRole('button', { name: '开始公示' }).click();
  const publish = countyPage.page.getByRole('dialog', { name: '开始公示' });
  const days = publish.getByLabel('公示天数');
  assert.deepEqual([await days.getAttribute('min'), await days.getAttribute('max'), await days.inputValue()], ['1', '30', '5']);
  await days.fill('7');
  const lastDay = [localDate(6)]; // seven days, today included
  await publish.getByRole('button', { name: '开始公示' }).click();
  await status(countyPage.page).filter({ hasText: '已开始公示，当前状态：公示中' }).waitFor();
  const notice = await county(ratingPath(V2));
  const until = notice.rating.notice_until;
  assert.match(until, /^\d{4}-\d{2}-\d{2}$/);
  lastDay.push(localDate(6));
  assert.ok(lastDay.includes(until), `${until} is not one of ${lastDay}`);
  assert.match(await countyPage.page.locator('.rating-header').innerText(), new RegExp(`公示截止\\s*${until}（公示中）`));
  await countyPage.page.locator('#objections-title').waitFor();
  assert.deepEqual(countyPage.problems, []);

  const { page, problems } = await openPage(browser, t, DESKTOP);
  await page.goto(srv.url + '/#/login');
  await page.getByRole('link', { name: '五星支部公示' }).click();
  await heading(page).filter({ hasText: '舞阳县' }).waitFor();
  const row = page.locator('.public-named-table tbody tr', { hasText: V1_NAME });
  await row.waitFor();
  const cells = await row.locator('th, td').allInnerTexts();
  assert.match(cells[0], new RegExp(V1_NAME));
  assert.equal(cells[1], '舞泉镇');
  await row.getByRole('img', { name: '3 星' }).waitFor();
  assert.equal(cells[3], '支部过硬星、产业兴旺星、生态宜居星');
  const open = page.locator('.notice-row', { hasText: V2_NAME });
  assert.match(await open.innerText(), new RegExp(`拟命名[\\s\\S]*三星[\\s\\S]*公示截止：${until}`));
  await open.getByRole('img', { name: '3 星' }).waitFor();
  assert.equal(await page.locator('.notice-row').count(), 1);
  assert.deepEqual(await page.getByRole('navigation', { name: '群众服务' }).getByRole('link').allInnerTexts(),
    ['提交新的诉求', '已提交过？查询办理进度', '双随机抽查公示', '微心愿', '议事公开', '共享小区', '微项目公开', '工作人员登录']);
  // A village's name leads to its county.
  await page.getByLabel('查找其他县（区）').fill('大杨庄');
  await page.getByRole('option', { name: /大杨庄村/ }).first().click();
  await page.waitForURL(/#\/public\/ratings\?unit=\d{6}/);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-public-ratings.png'), fullPage: true });
  assert.deepEqual(problems, []);

  // The unit page shows the named result to its village.
  const village = await as(t, 'cun');
  await village.page.goto(`${srv.url}/#/ratings/${V1}?scheme=${SCHEME}`);
  await heading(village.page).filter({ hasText: V1_NAME }).waitFor();
  assert.equal(await stateTag(village.page).innerText(), '已命名');
  assert.match(await village.page.locator('.rating-header').innerText(), /命名星级\s*★★★☆☆ 三星/);
  assert.deepEqual(village.problems, []);
});

test('dashboard: distribution, per-star shares and ranking match the API for 舞泉镇 and 舞阳县', async (t) => {
  // One more declaration, so targets differ from levels.
  await county('/api/v1/ratings', { scheme: SCHEME, unit: V3, target: 2 });
  const { page, problems } = await as(t, 'wuyang');
  for (const unit of [TOWN, COUNTY]) {
    const { body: sum } = await srv.api(`/api/v1/ratings/summary?scheme=${SCHEME}&unit=${unit}`);
    await page.goto(`${srv.url}/#/ratings?unit=${unit}&scheme=${SCHEME}`);
    await page.locator('#summary-title').filter({ hasText: sum.unit.name }).waitFor();
    const figures = await page.locator('.rating-figure-value').allInnerTexts();
    assert.deepEqual(figures, [sum.units, sum.declared, sum.named].map(String));
    // 五星 … 一星, 未评星, 合计
    const levels = await page.locator('.level-table tbody tr').evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.innerText)));
    assert.deepEqual(levels.map((r) => r[0]), ['五星', '四星', '三星', '二星', '一星', '未评星']);
    assert.deepEqual(levels.map((r) => Number(r[1])), [5, 4, 3, 2, 1, 0].map((n) => sum.levels[n]));
    assert.equal(levels[2][2], `${(sum.levels[3] / sum.units * 100).toFixed(2)}%`);
    assert.equal(sum.levels[3], 1, '大杨庄村 is named 三星');
    await page.locator('.level-chart canvas').first().waitFor();
    for (const star of scheme.categories) {
      const row = page.locator(`.star-table tr[data-star="${star.name}"]`);
      const { won, meets_now: meets } = sum.stars[star.name];
      const cells = await row.locator('td').allInnerTexts();
      assert.deepEqual(cells, [String(won), String(meets), `${meets} / ${sum.units}（${(meets / sum.units * 100).toFixed(2)}%）`]);
    }
    assert.equal(sum.stars['支部过硬星'].won, 1);
    assert.ok(sum.stars['生态宜居星'].meets_now >= 2, '大杨庄村 and 高庄村 meet 生态宜居星');
    const targets = await page.locator('.target-table tbody tr').evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.innerText)));
    assert.deepEqual(targets.map((r) => [Number(r[1]), Number(r[2])]), [5, 4, 3, 2, 1, 0].map((n) => [sum.targets[n], sum.levels[n]]));
    const ranking = await page.locator('.township-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.unit));
    assert.deepEqual(ranking, sum.townships.map((x) => x.code));
  }
  // In the county, 舞泉镇 leads the ranking.
  const first = page.locator('.township-table tbody tr').first();
  assert.match(await first.innerText(), /舞泉镇/);
  // The ledger downloads.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 CSV' }).click()]);
  assert.match(download.suggestedFilename(), /舞阳县-五星创建-2026\.csv$/);
  // The list of every rating in the subtree opens a unit.
  const all = page.locator('.rating-list').last();
  await all.locator('.rating-row').first().waitFor();
  assert.deepEqual(await all.locator('.rating-row').evaluateAll((rows) => rows.map((r) => r.dataset.unit)), [V1, V2, V3]);
  assert.match(await all.locator(`.rating-row[data-unit="${V2}"]`).innerText(), /公示中[\s\S]*争创五星/);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-ratings-dashboard.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('创建标准 and 支部联建 show the scheme and the county\'s pairs', async (t) => {
  const { page, problems } = await as(t, 'wuyang');
  await page.goto(srv.url + '/#/schemes');
  await page.locator('#scheme-title').filter({ hasText: scheme.name }).waitFor();
  const party = page.locator('.scheme-star[data-star="party"]');
  assert.match(await party.innerText(), /支部过硬星[\s\S]*前置星[\s\S]*达标分 85 分/);
  const formula = party.locator('.criterion[data-code="party.standard"]');
  assert.match(await formula.innerText(), /数据计算[\s\S]*20 分[\s\S]*#\{branch\.standardised\} = 1/);
  assert.match(await party.locator('.veto-list').innerText(), /被确定为软弱涣散党组织/);
  assert.equal(await page.locator('.scheme-star').count(), scheme.categories.length);

  await page.goto(`${srv.url}/#/pairings?unit=${COUNTY}&scheme=${SCHEME}`);
  await page.getByText('尚未确定结对。').waitFor();
  await page.getByRole('button', { name: '生成建议' }).click();
  const { body: suggestion } = await srv.api(`/api/v1/pairings/suggest?scheme=${SCHEME}&unit=${COUNTY}`);
  const rows = page.locator('.pair-edit-table tbody tr');
  if (suggestion.pairs.length === 0) {
    await page.getByText(/没有可结对的单位/).waitFor();
  } else {
    await rows.first().waitFor();
    assert.equal(await rows.count(), suggestion.pairs.length);
    await page.getByRole('button', { name: '保存' }).click();
    await status(page).filter({ hasText: `已保存 ${suggestion.pairs.length} 对结对` }).waitFor();
    await page.locator('.pair-table tbody tr').first().waitFor();
    const { body: saved } = await srv.api(`/api/v1/pairings?scheme=${SCHEME}&unit=${COUNTY}`);
    assert.equal(await page.locator('.pair-table tbody tr').count(), saved.items.length);
    // Each weak unit's state as the server labels it.
    assert.doesNotMatch(await page.locator('.pair-table').innerText(), /declared|submitted|notice|named/);
  }
  assert.deepEqual(problems, []);
});

// After the dashboard test, whose figures 摘星 would change.
test('the county records and resolves an objection, withdraws a star; a creation checklist', async (t) => {
  const { page, problems } = await as(t, 'wuyang');
  // 异议 on 高庄村 during its notice.
  await page.goto(`${srv.url}/#/ratings/${V2}?scheme=${SCHEME}`);
  await heading(page).filter({ hasText: V2_NAME }).waitFor();
  const objections = page.locator('section[aria-labelledby="objections-title"]');
  await objections.getByLabel('异议内容').fill('有群众反映村务公开不及时');
  await objections.getByRole('button', { name: '登记异议' }).click();
  await status(page).filter({ hasText: '已登记异议' }).waitFor();
  const objection = objections.locator('.objection');
  assert.match(await objection.innerText(), /待处理[\s\S]*wuyang[\s\S]*有群众反映村务公开不及时/);
  await objection.getByRole('button', { name: '处理' }).click();
  const resolve = page.getByRole('dialog', { name: '处理异议' });
  await resolve.getByLabel('处理结果').fill('经核查已按季度公开');
  await resolve.getByRole('button', { name: '确认处理' }).click();
  await status(page).filter({ hasText: '已处理异议' }).waitFor();
  assert.match(await objections.locator('.objection').innerText(), /异议不成立[\s\S]*处理结果：经核查已按季度公开/);
  assert.deepEqual((await page.locator('.timeline-step').allInnerTexts()).slice(-2), ['登记异议', '处理异议']);

  // 摘星 on 大杨庄村: 生态宜居星 goes, the level drops to 二星.
  await page.goto(`${srv.url}/#/ratings/${V1}?scheme=${SCHEME}`);
  await page.locator('.rating-steps').getByRole('button', { name: '摘星' }).click();
  const withdraw = page.getByRole('dialog', { name: '摘星' });
  await withdraw.getByLabel('摘除的星').selectOption({ label: '生态宜居星' });
  await withdraw.getByLabel('摘星理由').fill('发现垃圾堆放点未及时清理');
  await withdraw.getByRole('button', { name: '摘星' }).click();
  await status(page).filter({ hasText: '已摘除生态宜居星' }).waitFor();
  assert.match(await page.locator('.rating-header').innerText(), /命名星级\s*★★☆☆☆ 二星/);
  assert.match(await page.locator('.star-result[data-star="ecology"]').innerText(), /已摘星[\s\S]*摘星理由：发现垃圾堆放点未及时清理/);
  assert.equal((await county(ratingPath(V1))).level, 2);

  // 创建清单 for 双庙村 (争创二星): the gaps become items with a done count.
  await page.goto(`${srv.url}/#/ratings/${V3}?scheme=${SCHEME}`);
  await page.locator('.rating-steps').getByRole('button', { name: '生成创建清单' }).click();
  const checklist = page.getByRole('dialog', { name: '生成创建清单' });
  await checklist.getByLabel('责任人').fill('张书记');
  await checklist.getByLabel('完成期限').fill('2026-12-31');
  await checklist.getByRole('button', { name: '生成清单' }).click();
  await status(page).filter({ hasText: /已生成创建清单，共 \d+ 项/ }).waitFor();
  const { rating } = await county(ratingPath(V3));
  assert.ok(rating.checklist_batch);
  const { body: batch } = await srv.api(`/api/v1/items?batch=${rating.checklist_batch}&limit=500`);
  assert.ok(batch.items.length > 0);
  await page.locator('.checklist-summary').filter({ hasText: `共 ${batch.items.length} 项，已完成 0 项` }).waitFor();
  const first = page.locator('.checklist-items .item-row').first();
  assert.match(await first.innerText(), /责任人 张书记[\s\S]*期限 2026-12-31/);
  assert.equal(await page.locator('.rating-steps [data-step="checklist"]').count(), 0, 'one checklist per rating');
  await first.getByRole('link').click();
  await page.waitForURL(/#\/items\/\d+$/);
  await heading(page).filter({ hasText: batch.items.find((i) => i.id === Number(page.url().split('/').pop())).title }).waitFor();
  assert.deepEqual(problems, []);
});

test('phone: the unit page, the dashboard and the public page fit the screen', async (t) => {
  const { page, problems } = await as(t, 'wuquan', PHONE);
  await page.goto(`${srv.url}/#/ratings/${V2}?scheme=${SCHEME}`);
  await page.locator('.answer-item').first().waitFor();
  await page.locator('.timeline-event').first().waitFor();
  await assertNoHorizontalScroll(page);
  await page.screenshot({ path: path.join(SHOTS, 'phone-rating-unit.png'), fullPage: true });
  await page.goto(`${srv.url}/#/ratings?unit=${TOWN}&scheme=${SCHEME}`);
  await page.locator('.level-chart canvas').first().waitFor();
  await page.locator('.township-table').waitFor();
  await assertNoHorizontalScroll(page);
  await page.screenshot({ path: path.join(SHOTS, 'phone-ratings-dashboard.png'), fullPage: true });
  assert.deepEqual(problems, []);

  const village = await as(t, 'cun', PHONE);
  await village.page.goto(`${srv.url}/#/ratings/${V1}?scheme=${SCHEME}`);
  await village.page.locator('.answer-item').first().waitFor();
  await assertNoHorizontalScroll(village.page);
  assert.deepEqual(village.problems, []);

  const resident = await openPage(browser, t, PHONE);
  await resident.page.goto(srv.url + '/#/public/ratings');
  await resident.page.locator('.public-named-table').waitFor();
  await assertNoHorizontalScroll(resident.page);
  await resident.page.screenshot({ path: path.join(SHOTS, 'phone-public-ratings.png'), fullPage: true });
  assert.deepEqual(resident.problems, []);
});
