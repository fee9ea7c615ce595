// The tree browser (组织体系) and the application shell in real Chromium,
// against a real server holding all of Henan from the national division
// table, signed in as the whole-country administrator. Screenshots go to
// tests/out/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from '../lib/server.js';
import { launch, openPage as open, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';

let srv;
let browser;

before(async () => {
  [srv, browser] = await Promise.all([startServer({ provinces: ['41'] }), launch()]);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

// A fresh page signed in as admin; problems collects console errors,
// uncaught exceptions and CSP violations.
async function openPage(t, options) {
  const { page, context, problems } = await open(browser, t, options);
  await signIn(context, srv.url, 'admin', srv.adminPassword);
  return { page, problems };
}

const breadcrumbTexts = (page) => page.locator('nav.breadcrumb li').allTextContents();
const listItems = (page) => page.getByRole('region', { name: /下级单位|省级单位|搜索结果/ }).locator('.unit-list > li');
const heading = (page) => page.getByRole('heading', { level: 1 });

async function assertNoHorizontalScroll(page) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= width, `page is ${scroll}px wide in a ${width}px viewport`);
}

test('desktop: search a county, walk down to a village', async (t) => {
  const { page, problems } = await openPage(t, DESKTOP);
  await page.goto(srv.url + '/');
  await page.waitForURL(/#\/desk$/); // everyone lands on 工作台
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '组织体系' }).click();
  await page.waitForURL(/#\/units$/);
  await assert.doesNotReject(heading(page).filter({ hasText: '全国' }).waitFor());
  assert.equal(await page.locator('header').first().getByText('基层治理平台').count(), 1);
  await page.getByText(/jiceng \d+\.\d+\.\d+ · 已载入 55,164 个单位/).waitFor();
  assert.deepEqual(await listItems(page).locator('.unit-name').allTextContents(), ['河南省']);
  assert.equal(await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '组织体系' })
    .getAttribute('aria-current'), 'page');
  assert.equal(await page.getByRole('button', { name: '菜单' }).isVisible(), false);

  await page.getByRole('searchbox', { name: '搜索单位' }).fill('舞阳县');
  await page.keyboard.press('Enter');
  const result = listItems(page).filter({ hasText: '舞阳县' });
  await result.waitFor();
  assert.equal(await listItems(page).count(), 1);
  assert.match(await result.innerText(), /县\(区\)/);
  assert.match(await result.innerText(), /411121/);
  assert.equal(await result.locator('.unit-path').innerText(), '河南省 › 漯河市 › 舞阳县');

  await result.getByRole('link').click();
  await page.waitForURL(/#\/units\/411121$/);
  await heading(page).filter({ hasText: '舞阳县' }).waitFor();
  assert.deepEqual(await breadcrumbTexts(page), ['全国', '河南省', '漯河市', '舞阳县']);
  await page.getByText('14 个乡镇(街道) · 398 个村(社区)').waitFor();
  await page.getByText('其中 镇 10 · 乡 4 · 村 398').waitFor();
  const townships = listItems(page);
  await townships.first().waitFor();
  assert.equal(await townships.count(), 14);
  for (const tag of await townships.locator('.tag').allTextContents()) assert.match(tag, /^(镇|乡|街道)$/);
  assert.equal(await page.getByRole('button', { name: '加载更多' }).isVisible(), false);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-county.png'), fullPage: true });

  await townships.filter({ hasText: '舞泉镇' }).getByRole('link').click();
  await heading(page).filter({ hasText: '舞泉镇' }).waitFor();
  assert.deepEqual(await breadcrumbTexts(page), ['全国', '河南省', '漯河市', '舞阳县', '舞泉镇']);
  const villages = listItems(page);
  await villages.first().waitFor();
  assert.equal(await villages.count(), 14);

  // Back to the county via the breadcrumb and down again: the links work both ways.
  await page.locator('nav.breadcrumb').getByRole('link', { name: '舞阳县' }).click();
  await heading(page).filter({ hasText: '舞阳县' }).waitFor();
  await page.goBack();
  await heading(page).filter({ hasText: '舞泉镇' }).waitFor();

  await listItems(page).first().getByRole('link').click();
  await page.waitForURL(/#\/units\/\d{12}$/);
  await page.locator('.unit-header .tag-level').filter({ hasText: '村(社区)' }).waitFor();
  const crumbs = await breadcrumbTexts(page);
  assert.equal(crumbs.length, 6, `全国 plus the 5 levels: ${crumbs}`);
  assert.deepEqual(crumbs.slice(0, 5), ['全国', '河南省', '漯河市', '舞阳县', '舞泉镇']);
  assert.equal(crumbs[5], await heading(page).innerText());
  assert.match(await page.locator('.unit-header .tag:not(.tag-level)').innerText(), /^(村|社区)$/);
  await page.getByText('暂无下级单位').first().waitFor();
  assert.match(await page.title(), new RegExp(`^${crumbs[5]} · 基层治理平台$`));
  await page.screenshot({ path: path.join(SHOTS, 'desktop-village.png'), fullPage: true });

  assert.deepEqual(problems, []);
});

test('desktop: search within a unit and everywhere', async (t) => {
  const { page, problems } = await openPage(t, DESKTOP);
  await page.goto(srv.url + '/#/units/411121');
  await heading(page).filter({ hasText: '舞阳县' }).waitFor();
  await page.getByRole('searchbox', { name: '搜索单位' }).fill('舞');
  await page.getByRole('button', { name: '搜索' }).click();
  await page.getByText('在“舞阳县”内搜索“舞”').waitFor();
  await listItems(page).nth(2).waitFor();
  assert.deepEqual(await listItems(page).locator('.unit-name').allTextContents(), ['舞阳县', '舞泉镇', '北舞渡镇']);
  assert.equal(await listItems(page).nth(1).locator('.unit-path').innerText(), '河南省 › 漯河市 › 舞阳县 › 舞泉镇');
  assert.deepEqual(await listItems(page).nth(1).locator('.tag').allTextContents(), ['乡镇(街道)', '镇']);

  // Unticking the scope searches all of Henan, which adds 舞钢市 (平顶山).
  await page.getByRole('checkbox', { name: '只在“舞阳县”内搜索' }).uncheck();
  await page.getByRole('searchbox', { name: '搜索单位' }).press('Enter');
  await page.getByText('在全部单位中搜索“舞”').waitFor();
  await listItems(page).nth(3).waitFor();
  assert.deepEqual(await listItems(page).locator('.unit-name').allTextContents(), ['舞钢市', '舞阳县', '舞泉镇', '北舞渡镇']);
  assert.equal(await page.getByRole('button', { name: '加载更多' }).isVisible(), false);

  // Nothing found is said in words.
  await page.getByRole('searchbox', { name: '搜索单位' }).fill('不存在的地名');
  await page.getByRole('searchbox', { name: '搜索单位' }).press('Enter');
  await page.getByText('没有名称或代码包含“不存在的地名”的单位。').waitFor();
  assert.equal(await listItems(page).count(), 0);

  // A search with more than one page: 20 results, then 20 more appended.
  await page.goto(srv.url + '/#/units/411121?q=' + encodeURIComponent('村'));
  await listItems(page).nth(19).waitFor();
  assert.equal(await listItems(page).count(), 20);
  const firstPage = await listItems(page).locator('.code').allTextContents();
  await page.getByRole('button', { name: '加载更多' }).click();
  await listItems(page).nth(39).waitFor();
  const codes = await listItems(page).locator('.code').allTextContents();
  assert.deepEqual(codes.slice(0, 20), firstPage);
  assert.equal(new Set(codes).size, codes.length);
  assert.ok(codes.every((c) => c.startsWith('411121')), 'results stay inside 舞阳县');

  await page.getByRole('link', { name: '返回下级单位列表' }).click();
  await page.waitForURL(/#\/units\/411121$/);
  await page.getByRole('heading', { name: '下级单位' }).waitFor();

  assert.deepEqual(problems, []);
});

test('desktop: "加载更多" appends the next page of children', async (t) => {
  const { page, problems } = await openPage(t, DESKTOP);
  const { body: town } = await srv.api('/api/v1/units/410928100'); // 城关镇, 濮阳县: 74 villages
  assert.equal(town.child_count, 74);
  await page.goto(srv.url + '/#/units/410928100');
  await heading(page).filter({ hasText: '城关镇' }).waitFor();
  const more = page.getByRole('button', { name: '加载更多' });
  await more.waitFor();
  assert.equal(await listItems(page).count(), 50);
  await page.getByText('已显示 50 个，共 74 个').waitFor();

  await more.click();
  await listItems(page).nth(73).waitFor();
  assert.equal(await listItems(page).count(), 74);
  assert.equal(await more.isVisible(), false);
  const codes = await listItems(page).locator('.code').allTextContents();
  assert.equal(new Set(codes).size, 74);
  assert.deepEqual(codes, [...codes].sort());
  // Focus moves to the first appended village, not back to the top.
  assert.equal(await page.evaluate(() => document.activeElement.closest('li').querySelector('.code').textContent), codes[50]);

  assert.deepEqual(problems, []);
});

test('phone: the menu folds away and the tree is usable', async (t) => {
  const { page, problems } = await openPage(t, PHONE);
  await page.goto(srv.url + '/#/units');
  await heading(page).filter({ hasText: '全国' }).waitFor();
  const menuButton = page.getByRole('button', { name: '菜单' });
  const navLink = page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '组织体系' });
  assert.equal(await menuButton.getAttribute('aria-expanded'), 'false');
  assert.equal(await navLink.isVisible(), false);
  await assertNoHorizontalScroll(page);

  await menuButton.tap();
  assert.equal(await menuButton.getAttribute('aria-expanded'), 'true');
  await navLink.waitFor({ state: 'visible' });
  await page.screenshot({ path: path.join(SHOTS, 'phone-menu.png') });

  // Keyboard: Escape closes and returns focus to the button; Enter reopens.
  await page.keyboard.press('Escape');
  assert.equal(await menuButton.getAttribute('aria-expanded'), 'false');
  assert.equal(await menuButton.evaluate((b) => b === document.activeElement), true);
  await page.keyboard.press('Enter');
  assert.equal(await menuButton.getAttribute('aria-expanded'), 'true');
  await navLink.tap();
  assert.equal(await menuButton.getAttribute('aria-expanded'), 'false');
  await navLink.waitFor({ state: 'hidden' });

  await listItems(page).filter({ hasText: '河南省' }).getByRole('link').tap();
  await heading(page).filter({ hasText: '河南省' }).waitFor();
  await listItems(page).nth(17).waitFor();
  assert.equal(await listItems(page).count(), 18);
  await listItems(page).filter({ hasText: '漯河市' }).getByRole('link').tap();
  await heading(page).filter({ hasText: '漯河市' }).waitFor();

  await page.getByRole('searchbox', { name: '搜索单位' }).fill('舞阳');
  await page.getByRole('button', { name: '搜索' }).tap();
  const result = listItems(page).filter({ hasText: '舞阳县' });
  await result.waitFor();
  await result.getByRole('link').tap();
  await heading(page).filter({ hasText: '舞阳县' }).waitFor();
  await listItems(page).nth(13).waitFor();
  await page.getByText('14 个乡镇(街道) · 398 个村(社区)').waitFor();
  await assertNoHorizontalScroll(page);
  await page.screenshot({ path: path.join(SHOTS, 'phone-county.png'), fullPage: true });

  assert.deepEqual(problems, []);
});

test('errors: the server\'s message in an alert, unknown pages say so', async (t) => {
  const { page, problems } = await openPage(t, DESKTOP);
  for (const code of ['999999', '4199']) {
    const { status, body } = await srv.api('/api/v1/units/' + code);
    assert.ok(status === 400 || status === 404, `${code}: ${status}`);
    await page.goto(`${srv.url}/#/units/${code}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.innerText(), body.error.message);
    assert.match(body.error.message, /[\u4e00-\u9fff]/);
  }
  await page.screenshot({ path: path.join(SHOTS, 'desktop-error.png') });

  await page.goto(`${srv.url}/#/nope`);
  await heading(page).filter({ hasText: '页面不存在' }).waitFor();
  assert.equal(await page.getByRole('link', { name: '组织体系' }).getAttribute('aria-current'), null);
  for (const hash of ['#/nope', '#/units/41/extra', '#/%E0%A4%A']) {
    await page.goto(`${srv.url}/${hash}`);
    await heading(page).filter({ hasText: '页面不存在' }).waitFor();
    await page.getByRole('link', { name: '返回首页' }).click();
    await heading(page).filter({ hasText: '工作台' }).waitFor();
  }

  // The failed API requests are the only console errors Chromium may log.
  const unexpected = problems.filter((p) => !/Failed to load resource: .* status of 40[04]/.test(p));
  assert.deepEqual(unexpected, []);
});
