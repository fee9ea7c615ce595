// 健康服务 in real Chromium: a township administrator opens the page from
// the menu and sees coverage by key group with the villages below, then
// the 30-minute circle — the scatter (ECharts, no map tiles), the estimate
// settings next to the figures and the uncovered list; the same on a
// phone-size screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, addUser, tokenFor, api } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, DESKTOP, PHONE } from './browser.js';

const TOWN = '411121100';
const V1 = '411121100201';
const V2 = '411121100202';
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
  const fac = await send('/api/v1/health/facilities', { unit: TOWN, type: 'township_hospital', name: '舞泉镇卫生院', lat: 33.44, lng: 113.61 });
  const team = await send('/api/v1/health/teams', { unit: TOWN, facility: fac.id, name: '第一家庭医生团队' });
  await send('/api/v1/health/points', { unit: V1, lat: 33.45, lng: 113.62 }, 'PUT');
  await send('/api/v1/health/points', { unit: V2, lat: 34.3, lng: 113.62 }, 'PUT');
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  for (const [name, birth, unit] of [['张老汉', '1945-03-01', V1], ['李小宝', `${today.slice(0, 4) - 2}-01-01`, V2], ['王建国', '1980-01-01', V2]]) {
    const p = await send('/api/v1/persons', { name, unit, sex: '男', birth_date: birth });
    if (name !== '李小宝') await send(`/api/v1/persons/${p.id}/health/contracts`, { team: team.id, start_date: today });
  }
  browser = await launch();
});
after(async () => {
  await browser?.close();
  srv?.stop();
});

for (const [label, size] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`健康服务 (${label}): coverage by key group, the circle with its estimate and uncovered list`, async (t) => {
    const { page, context, problems } = await openPage(browser, t, size);
    await signIn(context, srv.url, 'town', pw.town);
    await page.goto(`${srv.url}/#/health?unit=${TOWN}`);
    await page.getByRole('heading', { level: 1, name: '健康服务' }).waitFor();
    await page.locator('[data-figure="contracts"]').waitFor();
    assert.match(await page.locator('[data-figure="residents"]').innerText(), /3/);
    assert.match(await page.locator('[data-figure="contracts"]').innerText(), /2[\s\S]*66\.7%/);
    const groups = await page.locator('[data-table="groups"] tbody').innerText();
    assert.match(groups, /65岁及以上老年人\s+1\s+1\s+100\.0%/);
    assert.match(groups, /0～6岁儿童\s+1\s+0\s+0\.0%/);
    if (label === 'desktop') await page.screenshot({ path: path.join(SHOTS, 'desktop-health.png'), fullPage: true });
    await page.getByRole('link', { name: '30分钟服务圈' }).click();
    await page.locator('.health-scatter canvas').first().waitFor();
    assert.match(await page.locator('[data-estimate]').innerText(), /估算.*绕行系数 1\.4.*30 千米\/小时/);
    assert.match(await page.locator('[data-figure="within"]').innerText(), /1[\s\S]*估算/);
    assert.equal(await page.locator('[data-list="uncovered"] li').count(), 1);
    if (label === 'desktop') {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出未覆盖名单（CSV）' }).click()]);
      const csv = fs.readFileSync(await file.path(), 'utf8');
      assert.match(csv, /^\ufeff"村（社区）","人数","说明"\r\n"[^"]+","2","30分钟内没有医疗卫生机构（估算/);
    }
    assert.doesNotMatch(await page.locator('.health').innerText(), /null|undefined|township_hospital|411121/);
    await page.screenshot({ path: path.join(SHOTS, `${label}-health-circle.png`), fullPage: true });
    assert.deepEqual(problems, []);
  });
}
