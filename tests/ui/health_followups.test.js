// 健康服务 › 随访 in real Chromium: a township administrator sees the
// follow-up figures counted from the records and the due-visit list (names
// and village names, never codes), records a follow-up from the list in the
// 记录随访 dialog (a missing doctor and a phone number in the note refused
// first), sees the quarter done, and downloads the list as Excel; on a
// desktop and a phone-size screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, addUser, tokenFor, api } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';

const TOWN = '411121100';
const V1 = '411121100201';
let srv;
let browser;
const pw = {};

before(async () => {
  srv = await startServer();
  pw.town = addUser(srv.dataDir, 'town', 'township_admin', TOWN);
  const token = tokenFor(srv.dataDir, 'town');
  const send = async (p, body, method = 'POST') => {
    const r = await api(srv.url, p, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.ok([200, 201].includes(r.status), JSON.stringify(r.body));
    return r.body;
  };
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  const year = Number(today.slice(0, 4));
  const fac = await send('/api/v1/health/facilities', { unit: TOWN, type: 'township_hospital', name: '舞泉镇卫生院' });
  const team = await send('/api/v1/health/teams', { unit: TOWN, facility: fac.id, name: '第一家庭医生团队' });
  for (const name of ['张高压', '王糖友']) {
    const p = await send('/api/v1/persons', { name, unit: V1, sex: '男', birth_date: '1960-01-01' });
    await send(`/api/v1/persons/${p.id}/health/tags`, { tags: [name === '张高压' ? 'hypertension' : 'diabetes'] }, 'PUT');
    await send(`/api/v1/persons/${p.id}/health/contracts`, { team: team.id, start_date: `${year - 1}-12-01`, end_date: `${year + 1}-11-30` });
  }
  browser = await launch();
});
after(async () => {
  await browser?.close();
  srv?.stop();
});

for (const [label, size] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`健康服务 › 随访 (${label}): figures, the due-visit list, recording a follow-up, the Excel export`, async (t) => {
    const { page, context, problems } = await openPage(browser, t, size);
    await signIn(context, srv.url, 'town', pw.town);
    await page.goto(`${srv.url}/#/health?unit=${TOWN}`);
    await page.getByRole('heading', { level: 1, name: '健康服务' }).waitFor();
    await page.getByRole('link', { name: '随访', exact: true }).click();
    await page.locator('[data-figure="people"]').waitFor();
    assert.match(await page.locator('[data-figure="people"]').innerText(), /2/);
    assert.match(await page.locator('[data-list="duties"]').innerText(), /高血压患者每季度面对面随访1次/);
    const name = label === 'desktop' ? '张高压' : '王糖友';
    const row = page.locator('[data-table="followups"] tbody tr').filter({ hasText: name });
    assert.match(await row.innerText(), /大杨庄村村民委员会[\s\S]*待随访[\s\S]*本年无/);
    await row.getByRole('button', { name: '记录随访' }).click();
    const dialog = page.getByRole('dialog', { name: `记录随访：${name}` });
    await dialog.getByLabel('随访方式').selectOption({ label: '家庭访视' });
    await dialog.getByLabel('随访情况').fill('家属电话 13812345678');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.getByText(/请填写随访医生/).waitFor();
    await dialog.getByLabel('随访医生').fill('李医生');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.getByText(/随访情况中不要写身份证号或手机号/).waitFor();
    await dialog.getByLabel('随访情况').fill('血压 135/85，规律服药');
    if (label === 'phone') await page.screenshot({ path: path.join(SHOTS, 'phone-health-followup-form.png'), fullPage: true });
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.locator('[data-table="followups"] tbody tr').filter({ hasText: name }).filter({ hasText: '已随访' }).waitFor();
    // the desktop run recorded the first follow-up, the phone run the second
    assert.equal(await page.locator('[data-figure="done"] .rating-figure-value').innerText(), label === 'desktop' ? '1' : '2');
    if (label === 'desktop') {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出待随访名单（Excel）' }).click()]);
      const bytes = fs.readFileSync(await file.path());
      assert.equal(bytes.subarray(0, 2).toString(), 'PK');
      assert.match(file.suggestedFilename(), /\.xlsx$/);
    }
    assert.doesNotMatch(await page.locator('.health').innerText(), /null|undefined|hypertension|clinic|411121/);
    await page.screenshot({ path: path.join(SHOTS, `${label}-health-followups.png`), fullPage: true });
    // the one 400 is the refused phone number in the note
    assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), []);
  });
}
