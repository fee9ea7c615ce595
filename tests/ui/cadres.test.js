// 干部队伍 in real Chromium at phone size, as a township clerk: a person who
// meets data/cadres.json's criteria enters the reserve pool (statistics move),
// one who does not is refused at the 人员 field by the criterion's name;
// an exam's scores entered on its page, the one who failed gets a make-up;
// a community worker registered, their 三岗十八级 grade and pay in the
// report. Names, never codes; no sideways scroll.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, addUser, tokenFor, api, idNumber } from '../lib/server.js';
import { launch, openPage, signIn, SHOTS, PHONE } from './browser.js';

const TOWN = '411121100'; // 舞泉镇
const YEAR = new Date().getFullYear();
let srv;
let browser;
let pw;
let call;
const ids = {};

before(async () => {
  srv = await startServer({ provinces: ['41'] });
  pw = addUser(srv.dataDir, 'clerk', 'township_admin', TOWN);
  const token = tokenFor(srv.dataDir, 'clerk');
  call = async (method, p, body) => {
    const res = await api(srv.url, p, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
    assert.ok(res.status === 200 || res.status === 201, `${p}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  let n = 0;
  for (const [name, age, education] of [['李青年', 28, '本科'], ['赵初中', 30, '初中'], ['陈社工', 33, '本科']]) {
    const born = `${YEAR - age}0101`;
    const p = await call('POST', '/api/v1/persons', { name, unit: TOWN, education, id_number: idNumber(`411121${born}${String(100 + ++n)}`) });
    ids[name] = p.id;
  }
  ids.exam = (await call('POST', '/api/v1/events', { type: 'exam', unit: TOWN, status: 'held', starts_at: `${YEAR}-01-09`, topic: '党建知识考试' })).id;
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

test('phone: reserve pool, an exam with a make-up, a community worker\'s grade and pay', async (t) => {
  const { page, context, problems } = await openPage(browser, t, PHONE);
  await signIn(context, srv.url, 'clerk', pw);
  await page.goto(`${srv.url}/#/cadres?unit=${TOWN}`);
  await page.getByRole('heading', { name: `${YEAR} 年后备干部库` }).waitFor();
  await noSideways(page);

  // below the education criterion: refused at the field, nothing added
  const pool = page.getByRole('form', { name: '后备干部入库' });
  await pool.getByLabel('人员').selectOption({ label: '赵初中' });
  await pool.getByLabel('拟任岗位').fill('村党支部书记');
  await pool.getByRole('button', { name: '入库' }).click();
  const error = pool.locator('[data-field="person"] .field-error');
  await error.waitFor();
  assert.match(await error.innerText(), /学历/);
  // meeting the criteria: in the table, counted as young
  await pool.getByLabel('人员').selectOption({ label: '李青年' });
  await pool.getByRole('button', { name: '入库' }).click();
  await page.locator('table.reserves').getByRole('link', { name: '李青年' }).waitFor();
  assert.match(await page.locator('.cadre-stats').innerText(), /1\s*人[\s\S]*35 岁及以下 1 人/);

  // the exam: 李青年 passes, 陈社工 fails and gets a make-up
  await page.getByRole('link', { name: '党建知识考试' }).click();
  const scores = page.getByRole('form', { name: '登记成绩' });
  await scores.getByLabel('李青年的成绩').fill('86');
  await scores.getByLabel('陈社工的成绩').fill('52');
  await scores.getByRole('button', { name: '保存成绩' }).click();
  await page.getByText('合格 1 人，不合格 1 人').waitFor();
  const makeup = page.getByRole('form', { name: '安排补考' });
  await makeup.getByLabel('补考时间').fill(`${YEAR}-01-16T09:00`);
  await makeup.getByRole('button', { name: '安排补考' }).click();
  await page.getByText('本场为补考').waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'phone-cadres-makeup.png'), fullPage: true });

  // a community worker: 副职 (starts at 4), 6 full years (+3), 本科 (+1), 社会工作师 (+2) → 10
  const rules = await call('GET', '/api/v1/cadres/rules');
  const deputy = rules.posts.find((p) => p.code === 'deputy');
  await page.goto(`${srv.url}/#/cadres?unit=${TOWN}`);
  const worker = page.getByRole('form', { name: '登记社区工作者' });
  await worker.getByLabel('人员').selectOption({ label: '陈社工' });
  await worker.getByLabel('岗位').selectOption({ label: deputy.name });
  await worker.getByLabel('参加社区工作时间').fill(`${YEAR - 6}-01-01`);
  await worker.getByLabel('学历').selectOption({ label: '大学本科' });
  await worker.getByLabel('职业资格').selectOption({ label: '社会工作师' });
  await worker.getByRole('button', { name: '登记' }).click();
  const row = page.locator('table.pay-report tr', { hasText: '陈社工' });
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, /10 级/);
  assert.match(text, new RegExp(deputy.pay[9].toLocaleString('zh-CN')));
  await noSideways(page);
  await page.screenshot({ path: path.join(SHOTS, 'phone-cadres.png'), fullPage: true });
  await page.locator('table.grade-table').screenshot({ path: path.join(SHOTS, 'phone-cadres-grades.png') });
  const main = await page.locator('#main').innerText();
  assert.doesNotMatch(main, /null|undefined|411121\d|deputy|bachelor|social_worker/);
  // the refusal made on purpose is the only failed request
  assert.deepEqual(problems.filter((p) => !/Failed to load resource: .* status of 400/.test(p)), []);
});
