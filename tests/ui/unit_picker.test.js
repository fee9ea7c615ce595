// The unit picker (web/ui/unit-field.js) in real Chromium: on 五星创建 a
// county officer types part of a name and chooses with the keyboard or the
// mouse, narrows a common name with the township ("辛安 郝庄"), walks down
// the tree from their county, pastes a code, and is stopped when a name
// typed was not chosen; a resident reaches 舞阳县郝庄村 on the request page
// by name among Henan's 35 郝庄 and by walking province › city › county ›
// township, on a phone too. Screenshots go to tests/out/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP } from './browser.js';

const COUNTY = '411121'; // 舞阳县
const XINAN = '411121104'; // 辛安镇
const HAOZHUANG = '411121104211'; // 郝庄村, 辛安镇
const PHONE_375 = { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
let srv;
let browser;
let pw;

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  pw = addUser(srv.dataDir, 'wuyang', 'county_admin', COUNTY);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function ratingsPage(t, options = DESKTOP) {
  const opened = await openPage(browser, t, options);
  await signIn(opened.context, srv.url, 'wuyang', pw);
  await opened.page.goto(srv.url + '/#/ratings');
  await opened.page.getByRole('heading', { name: '五星创建', level: 1 }).waitFor();
  return opened;
}

const unitBox = (page) => page.getByRole('combobox', { name: '单位', exact: true });
const chosen = (page) => page.locator('.field[data-field="unit"] .unit-chosen');

// 查询 renders the page again for the new address: wait for the new form,
// so what the test types next goes into it, not into the one being replaced.
async function query(page, url) {
  const old = await unitBox(page).elementHandle();
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL(url);
  await page.waitForFunction((box) => !box.isConnected, old);
  await unitBox(page).waitFor();
}

async function noHorizontalScroll(page) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= width, `page is ${scroll}px wide in a ${width}px viewport`);
}

test('五星创建: a unit chosen by part of its name, with the keyboard and the mouse', async (t) => {
  const { page, problems } = await ratingsPage(t);
  // The scope reads by name and path once looked up; the code only beside it.
  await chosen(page).filter({ hasText: '河南省 › 漯河市 › 舞阳县' }).waitFor();
  assert.equal(await unitBox(page).inputValue(), '舞阳县');
  assert.match(await chosen(page).innerText(), /河南省 › 漯河市 › 舞阳县\s*411121/);

  // Part of a name: every match in the county, each with its path.
  await unitBox(page).fill('庄');
  const options = page.getByRole('listbox', { name: '查找结果' }).getByRole('option');
  await options.first().waitFor();
  assert.ok(await options.count() > 5);
  assert.match(await options.first().innerText(), /庄[\s\S]*河南省 › 漯河市 › 舞阳县 › /);
  // ↓ ↓ ↑ moves, Enter chooses the second match.
  const second = await options.nth(1).getAttribute('data-code');
  await unitBox(page).press('ArrowDown');
  await unitBox(page).press('ArrowDown');
  await unitBox(page).press('ArrowUp');
  assert.equal(await options.nth(1).getAttribute('aria-selected'), 'true');
  await unitBox(page).press('Enter');
  assert.equal(await page.locator('input[name="unit"]').inputValue(), second);
  assert.equal(await page.getByRole('listbox').isVisible(), false);

  // Words along the path: the township, then the village's name.
  await unitBox(page).fill('辛安 郝庄');
  await page.waitForFunction(() => document.querySelectorAll('.unit-option').length === 1);
  const one = page.getByRole('option', { name: /郝庄村村民委员会/ });
  assert.match(await one.innerText(), /河南省 › 漯河市 › 舞阳县 › 辛安镇/);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-unit-picker.png') });
  await one.click();
  assert.equal(await unitBox(page).inputValue(), '郝庄村村民委员会');
  assert.match(await chosen(page).innerText(), new RegExp(`辛安镇 › 郝庄村村民委员会\\s*${HAOZHUANG}`));
  await query(page, new RegExp(`#/ratings\\?unit=${HAOZHUANG}&`));

  // Esc closes the list and goes back to the unit chosen.
  await chosen(page).filter({ hasText: '辛安镇 › 郝庄村' }).waitFor();
  await unitBox(page).fill('双庙');
  await options.first().waitFor();
  await unitBox(page).press('Escape');
  assert.equal(await page.getByRole('listbox').isVisible(), false);
  assert.equal(await unitBox(page).inputValue(), '郝庄村村民委员会');
  assert.deepEqual(problems, []);
});

test('五星创建: a unit chosen by walking down the tree, a code pasted, a name not chosen', async (t) => {
  const { page, problems } = await ratingsPage(t);
  await page.getByRole('button', { name: '逐级选择' }).click();
  const tree = page.getByRole('group', { name: '逐级选择单位' });
  // The top is the officer's county.
  await tree.getByRole('button', { name: '打开“舞阳县”的下级单位' }).click();
  await tree.getByRole('button', { name: '打开“辛安镇”的下级单位' }).click();
  await tree.getByRole('navigation').getByText('辛安镇').waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'desktop-unit-picker-tree.png') });
  await tree.getByRole('button', { name: '郝庄村村民委员会', exact: true }).click();
  assert.equal(await tree.isVisible(), false);
  assert.equal(await page.locator('input[name="unit"]').inputValue(), HAOZHUANG);
  assert.match(await chosen(page).innerText(), /河南省 › 漯河市 › 舞阳县 › 辛安镇 › 郝庄村村民委员会/);
  // Back up the trail: 全部 › 舞阳县 › 辛安镇, then the township itself.
  await page.getByRole('button', { name: '逐级选择' }).click();
  await tree.getByRole('button', { name: '舞阳县', exact: true }).click();
  await tree.getByRole('button', { name: '辛安镇', exact: true }).click();
  await query(page, new RegExp(`#/ratings\\?unit=${XINAN}&`));

  // A clerk pastes a code: it is taken, and its unit shows.
  await unitBox(page).fill('411121100');
  await chosen(page).filter({ hasText: '舞泉镇' }).waitFor();
  await query(page, /#\/ratings\?unit=411121100&/);

  // A name typed but not chosen does not submit.
  const before = page.url();
  await unitBox(page).fill('郝庄');
  await page.getByRole('button', { name: '查询' }).click();
  const error = page.locator('.field[data-field="unit"] .field-error');
  await error.waitFor();
  assert.match(await error.innerText(), /请从查找结果中选择单位/);
  assert.equal(page.url(), before);
  assert.deepEqual(problems, []);
});

test('提交诉求: a resident reaches 舞阳县郝庄村 by name and place, or down the tree', async (t) => {
  const { page, problems } = await openPage(browser, t, DESKTOP);
  await page.goto(srv.url + '/#/request');
  const box = page.getByRole('combobox', { name: '所在村（社区）' });
  const options = page.getByRole('listbox', { name: '查找结果' }).getByRole('option');
  // 35 villages of Henan hold 郝庄: a page of them, and more to come.
  await box.fill('郝庄');
  await options.first().waitFor();
  assert.equal(await options.count(), 21);
  assert.equal(await options.last().innerText(), '更多结果…');
  await options.last().click();
  await page.waitForFunction(() => document.querySelectorAll('.unit-option:not(.unit-option-more)').length > 20);
  // The county in front narrows it to one.
  await box.fill('舞阳 郝庄');
  await page.waitForFunction(() => document.querySelectorAll('.unit-option').length === 1);
  assert.match(await options.first().innerText(), /河南省 › 漯河市 › 舞阳县 › 辛安镇/);
  assert.doesNotMatch(await options.first().innerText(), /411121/, 'residents see no codes');
  await box.press('Enter');
  assert.equal(await page.locator('input[name="unit"]').inputValue(), HAOZHUANG);

  // Or down the tree: province › city › county › township › village.
  await box.fill('');
  await page.getByRole('button', { name: '逐级选择' }).click();
  const tree = page.getByRole('group', { name: '逐级选择单位' });
  for (const name of ['河南省', '漯河市', '舞阳县', '辛安镇']) {
    await tree.getByRole('button', { name: `打开“${name}”的下级单位` }).click();
  }
  await tree.getByRole('button', { name: '郝庄村村民委员会' }).click();
  assert.equal(await page.locator('input[name="unit"]').inputValue(), HAOZHUANG);
  assert.match(await page.locator('.unit-chosen').innerText(), /河南省 › 漯河市 › 舞阳县 › 辛安镇 › 郝庄村村民委员会/);

  await page.getByLabel('诉求类别').selectOption('道路交通');
  await page.getByLabel('问题描述').fill('村西头的桥栏杆松动，孩子上学经过很危险');
  await page.getByRole('button', { name: '提交诉求' }).click();
  await page.getByText('您的诉求已提交给郝庄村村民委员会。').waitFor();
  assert.deepEqual(problems, []);
});

test('phone (375 px): the picker fits, by name and down the tree', async (t) => {
  const { page, problems } = await openPage(browser, t, PHONE_375);
  await page.goto(srv.url + '/#/request');
  const box = page.getByRole('combobox', { name: '所在村（社区）' });
  await box.fill('舞阳 郝庄');
  await page.getByRole('option', { name: /郝庄村村民委员会/ }).tap();
  assert.equal(await page.locator('input[name="unit"]').inputValue(), HAOZHUANG);
  await page.getByRole('button', { name: '逐级选择' }).tap();
  const tree = page.getByRole('group', { name: '逐级选择单位' });
  await tree.getByRole('button', { name: '打开“河南省”的下级单位' }).tap();
  await tree.getByRole('button', { name: '打开“漯河市”的下级单位' }).waitFor();
  await noHorizontalScroll(page);
  await page.screenshot({ path: path.join(SHOTS, 'phone-unit-picker.png'), fullPage: true });

  const staff = await ratingsPage(t, PHONE_375);
  await unitBox(staff.page).fill('郝庄');
  await staff.page.getByRole('option').first().waitFor();
  await noHorizontalScroll(staff.page);
  await staff.page.screenshot({ path: path.join(SHOTS, 'phone-unit-picker-staff.png'), fullPage: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(staff.problems, []);
});
