// 健康服务 write forms in real Chromium on a phone-size screen: a township
// administrator registers a facility with GCJ-02 coordinates, creates a
// team led by a doctor picked by name, signs a resident picked by name,
// then stops the contract with a standard reason — each through its
// dialog, each checked in the lists that follow (names, never codes).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, tokenFor, api } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, PHONE } from './browser.js';

const TOWN = '411121100';
const V1 = '411121100201';
let srv;
let browser;
let pw;

before(async () => {
  srv = await startServer();
  pw = addUser(srv.dataDir, 'town', 'township_admin', TOWN);
  const token = tokenFor(srv.dataDir, 'town');
  for (const [name, birth] of [['张医生', '1975-03-01'], ['李秀英', '1950-05-01']]) {
    const r = await api(srv.url, '/api/v1/persons', {
      method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, unit: V1, sex: '女', birth_date: birth }),
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  browser = await launch();
});
after(async () => {
  await browser?.close();
  srv?.stop();
});

test('健康服务 forms (phone): facility, team, contract and its stop', async (t) => {
  const { page, context, problems } = await openPage(browser, t, PHONE);
  await signIn(context, srv.url, 'town', pw);
  await page.goto(`${srv.url}/#/health?tab=teams&unit=${TOWN}`);
  await page.getByText('还没有登记机构。').waitFor();

  await page.getByRole('button', { name: '登记机构' }).click();
  let dialog = page.getByRole('dialog', { name: '登记医疗卫生机构' });
  await dialog.getByLabel('机构名称').fill('舞泉镇卫生院');
  await dialog.getByLabel('坐标系').selectOption('gcj02');
  await dialog.getByLabel('纬度').fill('51.5');
  await dialog.getByLabel('经度').fill('-0.12');
  await dialog.getByRole('button', { name: '登记' }).click();
  await dialog.getByText(/不在中国境内/).waitFor();
  await dialog.getByLabel('纬度').fill('33.43942');
  await dialog.getByLabel('经度').fill('113.61017');
  await page.screenshot({ path: path.join(SHOTS, 'phone-health-facility-form.png'), fullPage: true });
  await dialog.getByRole('button', { name: '登记' }).click();
  await page.locator('[data-list="facilities"] li').filter({ hasText: '舞泉镇卫生院（乡镇卫生院）' }).waitFor();

  await page.getByRole('button', { name: '新建团队' }).click();
  dialog = page.getByRole('dialog', { name: '新建家庭医生团队' });
  await dialog.getByLabel('团队名称').fill('家庭医生第一团队');
  await dialog.getByLabel('团队负责人（医生）姓名').fill('张医');
  const leader = dialog.getByLabel('团队负责人（医生）', { exact: true });
  await leader.locator('option', { hasText: '张医生' }).waitFor({ state: 'attached' });
  assert.equal(await leader.locator('option').count(), 1);
  await dialog.getByRole('button', { name: '新建' }).click();
  await page.getByText('家庭医生第一团队（舞泉镇卫生院）').waitFor();

  await page.getByRole('link', { name: '签约居民' }).click();
  await page.getByText('这里还没有家庭医生签约。').waitFor();
  await page.getByRole('button', { name: '签约居民' }).click();
  dialog = page.getByRole('dialog', { name: '家庭医生签约' });
  await dialog.getByLabel('居民姓名').fill('李秀');
  await dialog.getByLabel('居民', { exact: true }).locator('option', { hasText: '李秀英' }).waitFor({ state: 'attached' });
  await dialog.getByLabel('服务包').selectOption({ label: '老年人个性化服务包' });
  await page.screenshot({ path: path.join(SHOTS, 'phone-health-contract-form.png'), fullPage: true });
  await dialog.getByRole('button', { name: '签约' }).click();
  const row = page.locator('[data-table="contracts"] tbody tr').filter({ hasText: '李秀英' });
  await row.filter({ hasText: '生效' }).waitFor();
  assert.match(await row.innerText(), /家庭医生第一团队[\s\S]*老年人个性化服务包/);

  await row.getByRole('button', { name: '解约' }).click();
  dialog = page.getByRole('dialog', { name: '解约：李秀英' });
  await dialog.getByLabel('解约原因').selectOption({ label: '迁出本辖区' });
  await dialog.getByRole('button', { name: '解约' }).click();
  await page.locator('[data-table="contracts"] tbody tr').filter({ hasText: '已解约（迁出本辖区）' }).waitFor();
  assert.doesNotMatch(await page.locator('.health').innerText(), /null|undefined|township_hospital|moved|411121/);
  await page.screenshot({ path: path.join(SHOTS, 'phone-health-contracts.png'), fullPage: true });
  // the one 400 is the refused coordinates outside China
  assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), []);
});
