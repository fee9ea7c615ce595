// 区划调整 in real Chromium: an administrator compares a new edition of
// Henan's division table (put in DATA/editions/2024 on the server) with the
// tree, decides where each removed unit went — one suggested by the server,
// one typed —, applies it, and then finds the retired village's page saying
// where its work went and the renamed village's page showing its former
// name. Screenshots go to tests/out/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, divisionSubset } from '../lib/server.js';
import { launch, openPage as open, signIn, SHOTS, DESKTOP } from './browser.js';

const [MERGED, INTO, MOVED, RENAMED] = ['411121100201', '411121100202', '411121100203', '411121100204'];
const MOVED_TO = '411121101290';
let srv;
let browser;

// Henan's 2023 files with a village merged, one moved, one renamed.
function edition(into) {
  const src = divisionSubset(['41']);
  fs.mkdirSync(into, { recursive: true });
  for (const f of ['provinces.csv', 'cities.csv', 'areas.csv', 'streets.csv'])
    fs.copyFileSync(path.join(src, f), path.join(into, f));
  const [head, ...rows] = fs.readFileSync(path.join(src, 'villages.csv'), 'utf8').split('\n').filter(Boolean);
  const out = rows.flatMap((l) => {
    const code = l.slice(0, 12);
    if (code === MERGED) return [];
    if (code === MOVED) return [l.replace(MOVED, MOVED_TO).replace(',411121100,', ',411121101,')];
    if (code === RENAMED) return [l.replace('张楼村村民委员会', '张楼社区居民委员会')];
    return [l];
  });
  fs.writeFileSync(path.join(into, 'villages.csv'), [head, ...out].join('\n') + '\n');
}

before(async () => {
  [srv, browser] = await Promise.all([startServer({ provinces: ['41'] }), launch()]);
  edition(path.join(srv.dataDir, 'editions', '2024'));
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('compare an edition, decide, apply; the units show their history', async (t) => {
  const { page, context, problems } = await open(browser, t, DESKTOP);
  await signIn(context, srv.url, 'admin', srv.adminPassword);
  await page.goto(srv.url + '/#/divisions');
  await page.getByRole('heading', { name: '区划调整', level: 1 }).waitFor();
  await page.getByLabel('服务器上的区划文件夹').selectOption('2024');
  await page.getByRole('button', { name: '比较差异' }).click();
  const diff = page.locator('#edition-diff');
  await diff.getByText(/新增 1，更名 1，类型变更 0，撤销 2/).waitFor();
  // the moved village: the server suggests its new code; the merged one needs a decision
  assert.equal(await page.getByLabel('双庙村村民委员会 的去向代码').inputValue(), MOVED_TO);
  assert.equal(await page.getByLabel('大杨庄村村民委员会 的去向代码').inputValue(), '');
  await page.screenshot({ path: path.join(SHOTS, 'divisions-diff.png'), fullPage: true });
  await page.getByRole('button', { name: '应用调整' }).click();
  await page.getByRole('alert').getByText(/还有 1 个被撤销的单位没有写明去向：大杨庄村村民委员会/).waitFor();
  await page.getByLabel('大杨庄村村民委员会 的去向代码').fill(INTO);
  await page.getByRole('button', { name: '应用调整' }).click();
  await page.locator('#edition-applied').getByText(/并入 1，迁移 1/).waitFor();

  await page.goto(srv.url + `/#/units/${MERGED}`);
  const note = page.getByRole('note');
  await note.getByText(/此单位已于 \d{4}-\d{2}-\d{2} 撤销，工作移交 高庄村村民委员会/).waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'divisions-retired.png'), fullPage: true });
  await note.getByRole('link', { name: '高庄村村民委员会' }).click();
  await page.waitForURL(new RegExp(`#/units/${INTO}$`));
  await page.locator('.unit-history').getByRole('link', { name: '大杨庄村村民委员会' }).waitFor();

  await page.goto(srv.url + `/#/units/${RENAMED}`);
  await page.getByRole('heading', { name: '张楼社区居民委员会', level: 1 }).waitFor();
  await page.locator('.history-names').getByText(/张楼村村民委员会（最初 至 \d{4}-\d{2}-\d{2}）/).waitFor();

  // the township no longer lists the merged or moved villages
  await page.goto(srv.url + '/#/units/411121100');
  await page.getByRole('heading', { name: '舞泉镇', level: 1 }).waitFor();
  await page.getByText('高庄村村民委员会').first().waitFor();
  assert.equal(await page.getByText('大杨庄村村民委员会').count(), 0);
  assert.equal(await page.getByText('双庙村村民委员会').count(), 0);
  assert.deepEqual(problems, []);
});
