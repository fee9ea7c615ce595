// 志愿服务 in real Chromium: on a phone the activity's organiser signs a
// volunteer in and another out (travel excluded; the sign-out credits the
// time bank), then the list shows hours and coins and the printable
// certificate shows the name, the masked ID-card number, hours by year and
// the unit — never a code; teams and members imported from an Excel 名单
// through the page, a person not in the registry refused with the advice
// to import them in 花名册 first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, tokenFor, api, chinaDay, idNumber } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';
import { xlsxOf } from '../lib/xlsx.js';

const TOWN = '411121100';
const V1 = '411121100201';
let srv;
let browser;
const pw = {};
const ids = {};
let ev;

before(async () => {
  srv = await startServer();
  pw.town = addUser(srv.dataDir, 'town', 'township_admin', TOWN);
  const token = tokenFor(srv.dataDir, 'town');
  const post = async (p, body) => {
    const r = await api(srv.url, p, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.ok([200, 201].includes(r.status), `${p} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  let n = 0;
  for (const name of ['李春花', '孙建国']) ids[name] = (await post('/api/v1/persons', { name, unit: V1, id_number: idNumber(`41112119800202${String(300 + ++n)}`) })).id;
  const team = (await post('/api/v1/volunteers/teams', { unit: TOWN, name: '新时代文明实践志愿服务队', leader: ids['李春花'] })).id;
  await post(`/api/v1/persons/${ids['孙建国']}/volunteer/teams`, { team });
  ev = (await post('/api/v1/events', { type: 'volunteer', unit: V1, status: 'held', starts_at: `${chinaDay()}T00:00`, topic: '敬老院义务劳动' })).id;
  // signed in at midnight (the test assumes it runs after 00:00 China time)
  await post(`/api/v1/events/${ev}/volunteers/signin`, { person: ids['孙建国'], at: `${chinaDay()}T00:00` });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('phone: the organiser signs a volunteer in and another out', async (t) => {
  const { page, context, problems } = await openPage(browser, t, PHONE);
  await signIn(context, srv.url, 'town', pw.town);
  await page.goto(`${srv.url}/#/volunteers/sign/${ev}`);
  await page.getByRole('heading', { name: /签到表/ }).waitFor();
  await page.getByRole('button', { name: '李春花 签到' }).click();
  await page.locator('li.sign-row[data-person="' + ids['李春花'] + '"]').getByText('已签到').waitFor();
  const row = page.locator('li.sign-row[data-person="' + ids['孙建国'] + '"]');
  await row.getByLabel('孙建国的路途时间（分钟）').fill('0');
  await row.getByRole('button', { name: '签退' }).click();
  await page.locator('li.sign-row[data-person="' + ids['孙建国'] + '"]').getByText('已签退').waitFor();
  const text = await page.locator('#main').innerText();
  assert.doesNotMatch(text, /null|undefined|411121\d|volunteer/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page scrolls sideways: ${width}px`);
  await page.screenshot({ path: path.join(SHOTS, 'phone-volunteers-sign.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('the volunteer list and the printable certificate', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'town', pw.town);
  await page.goto(`${srv.url}/#/volunteers?unit=${TOWN}`);
  await page.getByRole('heading', { name: '志愿服务队', exact: true }).waitFor();
  const list = await page.locator('#main').innerText();
  assert.match(list, /孙建国/);
  assert.match(list, /新时代文明实践志愿服务队/);
  assert.match(list, /敬老院义务劳动/);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-volunteers.png'), fullPage: true });
  await page.locator(`tr[data-person="${ids['孙建国']}"]`).getByRole('link', { name: '服务证明与时间银行' }).click();
  await page.getByRole('heading', { name: '志愿服务证明' }).waitFor();
  const cert = await page.locator('article.certificate').innerText();
  assert.match(cert, /孙建国/);
  assert.match(cert, /\*{4,}/, 'the ID-card number masked');
  assert.match(cert, /新时代文明实践志愿服务队/);
  assert.match(cert, /未达星级/);
  assert.match(cert, new RegExp(`${chinaDay().slice(0, 4)} 年`));
  assert.doesNotMatch(cert, /411121\d|null|undefined/, "no unit code (the masked number starts with the region)");
  const whole = await page.locator('#main').innerText();
  assert.match(whole, /时间银行余额/);
  assert.doesNotMatch(whole, /null|undefined/);
  await page.getByRole('button', { name: '打印证明' }).waitFor();
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: path.join(SHOTS, 'print-volunteer-certificate.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('导入: teams and members from an Excel 名单', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'town', pw.town);
  await page.goto(`${srv.url}/#/volunteers`);
  await page.getByRole('heading', { name: '志愿服务队' }).waitFor();
  await page.getByRole('button', { name: '导入', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: '导入志愿服务队' });
  await dialog.getByText('导入到：舞泉镇').waitFor();
  const head = ['队伍名称', '所属单位', '队员姓名', '身份证号'];
  const bad = xlsxOf([head, ['巾帼志愿服务队', '大杨庄村村民委员会', '李春花', idNumber('41112119800202301')],
    ['巾帼志愿服务队', '大杨庄村村民委员会', '没登记', idNumber('41112119800202399')]]);
  await dialog.getByLabel('文件').setInputFiles({ name: '名单.xlsx', mimeType: 'application/octet-stream', buffer: bad });
  await dialog.getByRole('button', { name: '导入', exact: true }).click();
  const table = dialog.locator('table.row-errors');
  await table.waitFor();
  assert.match(await table.innerText(), /第 3 行\s+身份证号\s+.*花名册/);
  const good = xlsxOf([head, ['巾帼志愿服务队', '大杨庄村村民委员会', '李春花', idNumber('41112119800202301')],
    ['巾帼志愿服务队', '大杨庄村村民委员会', '孙建国', idNumber('41112119800202302')]]);
  await dialog.getByLabel('文件').setInputFiles({ name: '名单.xlsx', mimeType: 'application/octet-stream', buffer: good });
  await dialog.getByRole('button', { name: '导入', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '新建服务队 1 支，加入队员 2 人' }).waitFor();
  await page.getByRole('rowheader', { name: '巾帼志愿服务队' }).waitFor();
  assert.match(await page.locator('tr', { hasText: '巾帼志愿服务队' }).innerText(), /大杨庄村村民委员会.*2 人：/s);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-volunteers-imported.png'), fullPage: true });
  assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), [], 'only the refused file');
});
