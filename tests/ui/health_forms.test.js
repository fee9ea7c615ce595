// 健康服务 write forms in real Chromium on a phone-size screen: a township
// administrator registers a facility with GCJ-02 coordinates, creates a
// team led by a doctor picked by name, signs a resident picked by name,
// then stops the contract with a standard reason — each through its
// dialog, each checked in the lists that follow (names, never codes).
// Then on a desktop: facilities imported from a sheet (a bad row listed in
// the dialog, nothing imported; then a good file) and one edited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, tokenFor, api } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, PHONE, DESKTOP } from './browser.js';

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

test('健康服务 facilities: import a sheet (a refused row listed first) and edit one', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'town', pw);
  await page.goto(`${srv.url}/#/health?tab=teams&unit=${TOWN}`);
  await page.locator('[data-list="facilities"]').waitFor();
  const head = '机构名称,机构类型,所在单位,纬度,经度,坐标系\n';
  const file = (text) => ({ name: '机构.csv', mimeType: 'text/csv', buffer: Buffer.from(head + text) });

  await page.getByRole('button', { name: '导入机构' }).click();
  const dialog = page.getByRole('dialog', { name: '导入机构表' });
  await dialog.getByLabel('文件').setInputFiles(file(`大杨庄村卫生室,村卫生室,${V1},33.45,113.61,WGS-84\n伦敦诊所,村卫生室,${V1},51.5,-0.12,WGS-84\n`));
  await dialog.getByRole('button', { name: '导入', exact: true }).click();
  const refused = dialog.locator('table.row-errors tbody tr');
  await refused.first().waitFor();
  assert.equal(await refused.count(), 1);
  assert.match(await refused.first().innerText(), /第 3 行[\s\S]*纬度[\s\S]*不在中国境内/);
  assert.equal(await page.locator('[data-list="facilities"] li').filter({ hasText: '大杨庄村卫生室' }).count(), 0);
  await page.screenshot({ path: path.join(SHOTS, 'health-facilities-import-refused.png'), fullPage: true });
  await dialog.getByLabel('文件').setInputFiles(file(`大杨庄村卫生室,村卫生室,${V1},33.45,113.61,WGS-84\n`));
  await dialog.getByRole('button', { name: '导入', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('status').filter({ hasText: '导入机构 1 条' }).waitFor();
  const item = page.locator('[data-list="facilities"] li').filter({ hasText: '大杨庄村卫生室（村卫生室）' });
  await item.waitFor();

  await item.getByRole('button', { name: '编辑 大杨庄村卫生室' }).click();
  const edit = page.getByRole('dialog', { name: '编辑机构：大杨庄村卫生室' });
  assert.equal(await edit.getByLabel('纬度').inputValue(), '33.450000');
  await edit.getByLabel('机构名称').fill('大杨庄村卫生所');
  await edit.getByLabel('纬度').fill('60');
  await edit.getByRole('button', { name: '保存' }).click();
  await edit.getByText(/不在中国境内/).waitFor();
  await edit.getByLabel('纬度').fill('33.46');
  await edit.getByRole('button', { name: '保存' }).click();
  await page.locator('[data-list="facilities"] li').filter({ hasText: '大杨庄村卫生所（村卫生室）' }).waitFor();
  const list = await page.locator('[data-list="facilities"]').innerText();
  assert.doesNotMatch(list, /大杨庄村卫生室|null|undefined|village_clinic/);
  await page.screenshot({ path: path.join(SHOTS, 'health-facility-edited.png'), fullPage: true });
  // the 400s are the refused file and the refused latitude
  assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), []);
});
