// Signing in and what follows in real Chromium: the login page, scope in
// the tree browser, menu rows by permission, 用户管理 and 操作日志.
// Screenshots go to tests/out/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, freshDataDir, addUser, jicengOk, passwordFile, login, api } from '../lib/server.js';
import { launch, openPage, signIn, signInByForm, SHOTS, DESKTOP, PHONE } from './browser.js';

let srv;
let browser;
const pw = {};

before(async () => {
  const dir = freshDataDir(['41']);
  pw.wuquan = 'Wq-township-2026-pass';
  jicengOk(['--data', dir, 'user', 'add', 'wuquan', '--role', 'township_admin', '--scope', '411121100',
    '--display-name', '李芳', '--password-file', passwordFile(pw.wuquan), '--own-password']);
  pw.guancha = addUser(dir, 'guancha', 'observer', '41');
  pw.wangge = addUser(dir, 'wangge', 'grid_worker', '411121100');
  pw.locktest = addUser(dir, 'locktest', 'observer', '41');
  [srv, browser] = await Promise.all([startServer({ dataDir: dir }), launch()]);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const heading = (page) => page.getByRole('heading', { level: 1 });
const alertBox = (page) => page.getByRole('alert');
const mainNav = (page) => page.getByRole('navigation', { name: '主导航' });
const breadcrumb = (page) => page.locator('nav.breadcrumb');
const listItems = (page) => page.getByRole('region', { name: /下级单位|管辖单位|省级单位|搜索结果/ }).locator('.unit-list > li');
const userItem = (page, name) => page.locator('.user-list > li').filter({ has: page.locator('.user-name', { hasText: name }) });

async function assertNoHorizontalScroll(page) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= width, `page is ${scroll}px wide in a ${width}px viewport`);
}

const focusedName = (page) => page.evaluate(() => document.activeElement?.getAttribute('name'));

// YYYY-MM-DD in the pages' time zone, `days` from today.
function day(days = 0) {
  const t = new Date(Date.now() + days * 86400000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(t);
}

test('signed out: only the login page, which returns to the address asked for', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await page.goto(srv.url + '/#/units/411121?q=' + encodeURIComponent('村'));
  await page.waitForURL(/#\/login\?next=/);
  const next = new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('next');
  assert.equal(decodeURI(next), '/units/411121?q=村');
  await heading(page).filter({ hasText: '登录' }).waitFor();
  assert.equal(await page.title(), '登录 · 基层治理平台');
  assert.equal(await focusedName(page), 'username');
  assert.equal(await mainNav(page).isVisible(), false);
  assert.equal(await page.getByRole('button', { name: '退出登录' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: '菜单' }).isVisible(), false);
  await page.getByText('登录后将返回您刚才访问的页面。').waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'desktop-login.png') });

  // Nothing typed: said in words, cursor in the empty field.
  await page.getByRole('button', { name: '登录', exact: true }).click();
  assert.equal(await alertBox(page).innerText(), '请输入用户名');
  assert.equal(await focusedName(page), 'username');

  // A wrong password: the server's message (the same for an unknown name),
  // the password emptied and focused for the next try.
  const { status, body } = await login(srv.url, 'nobody-at-all', 'Not-the-password-1');
  assert.equal(status, 401);
  await signInByForm(page, 'guancha', 'Not-the-password-1');
  await alertBox(page).filter({ hasText: body.error.message }).waitFor();
  assert.equal(await page.getByLabel('密码').inputValue(), '');
  assert.equal(await focusedName(page), 'password');
  assert.equal(await page.getByRole('button', { name: '登录', exact: true }).isEnabled(), true);

  await page.getByLabel('密码').fill(pw.guancha);
  await page.getByLabel('密码').press('Enter');
  await page.waitForURL(/#\/units\/411121\?q=/);
  await page.getByText('在“舞阳县”内搜索“村”').waitFor();
  const header = page.locator('header.app-header');
  // Made without a 显示名称: the role stands in for it, never the login.
  await header.locator('.user-role').filter({ hasText: '河南省' }).waitFor();
  assert.equal(await header.locator('.user-display').innerText(), '只读观察员');
  assert.doesNotMatch(await header.innerText(), /guancha/);
  // An observer reads units and data only; the other pages say 无权访问.
  assert.deepEqual(await mainNav(page).getByRole('link').allTextContents(), ['工作台', '通知公告', '组织体系', '台账事项', '月讲评', '五星创建', '支部联建', '创建标准', '党员管理', '一户一档', '述职评议', '擂台比武', '网格管理', '包联', '健康服务', '双随机', '共享小区', '心愿与议事', '志愿服务', '干部队伍', '重点项目', '统计分析', '数据元']);
  await page.goto(srv.url + '/#/entry');
  await heading(page).filter({ hasText: '无权访问' }).waitFor();
  await page.goto(srv.url + '/#/users');
  await heading(page).filter({ hasText: '无权访问' }).waitFor();
  await page.getByRole('link', { name: '返回首页' }).click();
  await page.waitForURL(/#\/desk$/);

  // A reload keeps the session (the cookie) and gets the CSRF token again.
  await page.goto(srv.url + '/#/units/411121');
  await page.reload();
  await heading(page).filter({ hasText: '舞阳县' }).waitFor();
  // Scope 河南省: 全国 is above it (plain text), 河南省 and 漯河市 are links.
  assert.deepEqual(await breadcrumb(page).getByRole('link').allTextContents(), ['河南省', '漯河市']);
  // Already signed in, the login page sends the reader on.
  await page.goto(srv.url + '/#/login');
  await page.waitForURL(/#\/desk$/);
  assert.equal((await context.request.get(srv.url + '/api/v1/me')).status(), 200);

  assert.deepEqual(problems, []);
});

test('a locked account answers like any wrong sign-in, and says it may be locked', async (t) => {
  const { page, problems } = await openPage(browser, t, DESKTOP);
  await page.goto(srv.url + '/#/login');
  const messages = [];
  for (let i = 1; i <= 5; i++) {
    await signInByForm(page, 'locktest', `Wrong-password-${i}x`);
    await page.getByRole('button', { name: '登录', exact: true }).and(page.locator(':enabled')).waitFor();
    await alertBox(page).waitFor();
    messages.push(await alertBox(page).innerText());
  }
  assert.match(messages[0], /用户名或密码错误[\s\S]*暂时锁定\s*15\s*分钟/);
  await signInByForm(page, 'locktest', pw.locktest);
  await page.getByRole('button', { name: '登录', exact: true }).and(page.locator(':enabled')).waitFor();
  await alertBox(page).waitFor();
  assert.equal(await alertBox(page).innerText(), messages[0], 'nothing tells a locked account from a wrong password');
  assert.match(page.url(), /#\/login$/);
  // 401 is logged by Chromium like any failed request.
  assert.deepEqual(problems.filter((p) => !/status of 401/.test(p)), []);
});

test('用户管理: a user\'s access tokens are listed and revoked', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  const token = jicengOk(['--data', srv.dataDir, 'token', 'create', '--user', 'wangge', '--label', '数据上报脚本']).trim();
  const me = () => api(srv.url, '/api/v1/me', { headers: { Authorization: `Bearer ${token}` } });
  assert.equal((await me()).status, 200);
  await signIn(context, srv.url, 'wuquan', pw.wuquan);
  await page.goto(srv.url + '/#/users?q=wangge');
  const item = page.locator('.user-list > li').filter({ hasText: 'wangge' });
  await item.getByRole('button', { name: /^访问令牌：/ }).click();
  const dialog = page.getByRole('dialog', { name: /的访问令牌$/ });
  await dialog.waitFor();
  const row = dialog.locator('.token-list > li').filter({ hasText: '数据上报脚本' });
  await row.waitFor();
  assert.match(await row.innerText(), /有效/);
  assert.ok(!(await dialog.innerText()).includes(token.slice(4, 16)), 'the secret is never shown');
  await page.screenshot({ path: path.join(SHOTS, 'desktop-users-tokens.png') });
  await row.getByRole('button', { name: /^吊销令牌/ }).click();
  await dialog.getByText(/已吊销令牌 \d+/).waitFor();
  await dialog.locator('.token-list > li').filter({ hasText: '已吊销' }).waitFor();
  assert.equal((await me()).status, 401);
  await dialog.getByRole('button', { name: '完成' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement.dataset.action), 'tokens');
  assert.deepEqual(problems, []);
});

test('phone: the login page fits, and the signed-in header shows who', async (t) => {
  const { page, problems } = await openPage(browser, t, PHONE);
  await page.goto(srv.url + '/');
  await page.waitForURL(/#\/login$/);
  await heading(page).filter({ hasText: '登录' }).waitFor();
  await assertNoHorizontalScroll(page);
  await page.screenshot({ path: path.join(SHOTS, 'phone-login.png') });
  await page.getByLabel('用户名').fill('wuquan');
  await page.getByLabel('密码').fill(pw.wuquan);
  await page.getByRole('button', { name: '登录', exact: true }).tap();
  await heading(page).filter({ hasText: '工作台' }).waitFor();
  const box = page.locator('header.app-header .user-box');
  assert.equal(await box.locator('.user-display').innerText(), '李芳');
  assert.equal(await box.locator('.user-role').innerText(), '乡镇管理员 · 舞泉镇');
  assert.equal(await box.getByRole('button', { name: '退出登录' }).isVisible(), true);
  await assertNoHorizontalScroll(page);
  await page.getByRole('button', { name: '菜单' }).tap();
  await mainNav(page).getByRole('link', { name: '用户管理' }).waitFor({ state: 'visible' });
  await page.screenshot({ path: path.join(SHOTS, 'phone-signed-in-menu.png') });
  assert.deepEqual(problems, []);
});

test('township user: only 舞泉镇 and below; signing out returns to the login page', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await page.goto(srv.url + '/');
  await signInByForm(page, 'wuquan', pw.wuquan);
  await page.waitForURL(/#\/desk$/); // everyone lands on 工作台
  await page.goto(srv.url + '/#/units');
  await heading(page).filter({ hasText: '管辖范围' }).waitFor();
  await listItems(page).first().waitFor();
  assert.deepEqual(await listItems(page).locator('.unit-name').allTextContents(), ['舞泉镇']);
  assert.equal(await breadcrumb(page).count(), 0);
  assert.doesNotMatch(await page.locator('main').innerText(), /null|undefined/);
  assert.deepEqual(await mainNav(page).getByRole('link').allTextContents(),
    ['工作台', '通知公告', '组织体系', '台账事项', '周交办', '月讲评', '五星创建', '支部联建', '创建标准', '党员管理', '一户一档', '述职评议', '擂台比武', '网格管理', '走访', '包联', '健康服务', '双随机', '共享小区', '心愿与议事', '志愿服务', '干部队伍', '重点项目', '数据填报', '统计分析', '数据元', '用户管理', '操作日志']);

  await listItems(page).first().getByRole('link').click();
  await heading(page).filter({ hasText: '舞泉镇' }).waitFor();
  assert.deepEqual(await breadcrumb(page).locator('li').allTextContents(), ['全国', '河南省', '漯河市', '舞阳县', '舞泉镇']);
  assert.equal(await breadcrumb(page).getByRole('link').count(), 0, 'ancestors above the scope are plain text');
  await listItems(page).first().getByRole('link').click();
  await page.waitForURL(/#\/units\/411121100\d{3}$/);
  await page.locator('.unit-header .tag-level').filter({ hasText: '村(社区)' }).waitFor();
  assert.deepEqual(await breadcrumb(page).getByRole('link').allTextContents(), ['舞泉镇']);

  // Searching from the top stays inside the scope.
  await mainNav(page).getByRole('link', { name: '组织体系' }).click();
  await heading(page).filter({ hasText: '管辖范围' }).waitFor();
  await page.getByRole('searchbox', { name: '搜索单位' }).fill('村');
  await page.getByRole('searchbox', { name: '搜索单位' }).press('Enter');
  await page.getByText('在管辖范围内搜索“村”').waitFor();
  await listItems(page).first().waitFor();
  const codes = await listItems(page).locator('.code').allTextContents();
  assert.ok(codes.length > 0 && codes.every((c) => c.startsWith('411121100')), codes.join());

  // Outside the scope: the server's 404 message; 全国 is not a link.
  const session = await login(srv.url, 'wuquan', pw.wuquan);
  const outside = await api(srv.url, '/api/v1/units/411121', { headers: { Cookie: session.cookie } });
  assert.equal(outside.status, 404);
  await page.goto(srv.url + '/#/units/411121');
  await alertBox(page).filter({ hasText: outside.body.error.message }).waitFor();
  assert.equal(await breadcrumb(page).getByRole('link').count(), 0);
  await page.screenshot({ path: path.join(SHOTS, 'desktop-out-of-scope.png') });

  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL(/#\/login$/);
  await heading(page).filter({ hasText: '登录' }).waitFor();
  assert.equal(await mainNav(page).isVisible(), false);
  assert.equal(await page.getByRole('button', { name: '退出登录' }).count(), 0);
  assert.equal((await context.request.get(srv.url + '/api/v1/me')).status(), 401);
  await page.goto(srv.url + '/#/units/411121100');
  await page.waitForURL(/#\/login\?next=%2Funits%2F411121100$/);

  assert.deepEqual(problems.filter((p) => !/status of 404/.test(p)), []);
});

test('a session that ends meanwhile leads to the login page and back', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'wuquan', pw.wuquan);
  await page.goto(srv.url + '/#/units/411121100');
  await heading(page).filter({ hasText: '舞泉镇' }).waitFor();
  await context.clearCookies(); // as if it expired on the server
  await listItems(page).first().getByRole('link').click();
  await page.waitForURL(/#\/login\?next=%2Funits%2F411121100\d{3}$/);
  assert.equal(await mainNav(page).isVisible(), false);
  await signInByForm(page, 'wuquan', pw.wuquan);
  await page.waitForURL(/#\/units\/411121100\d{3}$/);
  await page.locator('.unit-header .tag-level').filter({ hasText: '村(社区)' }).waitFor();
  assert.deepEqual(problems.filter((p) => !/status of 401/.test(p)), []);
});

test('a role without a page in the menu sees 无权访问 there', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'wangge', pw.wangge);
  await page.goto(srv.url + '/');
  await page.waitForURL(/#\/field$/); // a grid worker lands on 网格工作台
  await heading(page).filter({ hasText: '工作台' }).waitFor();
  assert.deepEqual(await mainNav(page).getByRole('link').allTextContents(), ['网格工作台', '工作台', '通知公告', '组织体系', '台账事项', '月讲评', '五星创建', '支部联建', '创建标准', '党员管理', '一户一档', '述职评议', '擂台比武', '网格管理', '走访', '包联', '健康服务', '共享小区', '心愿与议事', '志愿服务', '干部队伍', '重点项目', '数据填报', '统计分析', '数据元']);
  for (const hash of ['#/users', '#/audit']) {
    await page.goto(`${srv.url}/${hash}`);
    await heading(page).filter({ hasText: '无权访问' }).waitFor();
    assert.equal(await page.title(), '无权访问 · 基层治理平台');
  }
  assert.deepEqual(problems, []);
});

test('用户管理: create (a weak password is refused at its field), edit, reset, disable; the new user signs in', async (t) => {
  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'admin', srv.adminPassword);
  const { body: villages } = await srv.api('/api/v1/units/411121100/children?limit=1');
  const village = villages.items[0];

  await page.goto(srv.url + '/#/units');
  await mainNav(page).getByRole('link', { name: '用户管理' }).click();
  await heading(page).filter({ hasText: '用户管理' }).waitFor();
  await userItem(page, '李芳').waitFor();
  assert.match(await userItem(page, '李芳').innerText(), /wuquan[\s\S]*乡镇管理员[\s\S]*管辖范围：舞泉镇/);
  // No 停用 for oneself.
  const own = page.locator('.user-list > li').filter({ hasText: '本人' });
  assert.equal(await own.getByRole('button', { name: /停用/ }).count(), 0);

  const create = page.getByRole('button', { name: '新建用户' });
  await create.click();
  const dialog = page.getByRole('dialog', { name: '新建用户' });
  await dialog.waitFor();
  const roleNames = await dialog.getByLabel('角色').locator('option').allTextContents();
  assert.deepEqual(roleNames, ['系统管理员', '县级管理员', '乡镇管理员', '村(社区)书记', '网格员', '只读观察员', '党员']);
  await dialog.getByLabel('登录名').fill('zhangwei');
  await dialog.getByLabel('显示名称').fill('张伟');
  await dialog.getByLabel('初始密码').fill('zhangwei-2026-abc');
  await dialog.getByLabel('角色').selectOption({ label: '村(社区)书记' });
  // The scope by name: the township in front tells the village apart.
  await dialog.getByLabel('管辖范围').fill(`舞泉 ${village.name.slice(0, 3)}`);
  await dialog.getByRole('option', { name: new RegExp(`${village.name}.*舞阳县 › 舞泉镇`) }).click();
  await dialog.getByText(`河南省 › 漯河市 › 舞阳县 › 舞泉镇 › ${village.name}`).waitFor();
  await dialog.getByLabel('手机号').fill('13812345678');
  await dialog.getByRole('button', { name: '创建' }).click();

  const passwordError = dialog.locator('.field[data-field="password"] .field-error');
  await passwordError.waitFor();
  assert.match(await passwordError.innerText(), /登录名/);
  assert.equal(await dialog.getByLabel('初始密码').getAttribute('aria-invalid'), 'true');
  assert.equal(await focusedName(page), 'password');
  assert.equal(await dialog.getByRole('alert').count(), 0, 'a field error is not a general alert');
  await page.screenshot({ path: path.join(SHOTS, 'desktop-users-create.png') });

  const password = 'Lx7-spring-2026-ok';
  await dialog.getByLabel('初始密码').fill(password);
  await dialog.getByRole('button', { name: '创建' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByText('已创建用户“张伟”（登录名 zhangwei）').waitFor();
  assert.equal(await create.evaluate((b) => b === document.activeElement), true, 'focus returns to 新建用户');
  const item = userItem(page, '张伟');
  const text = await item.innerText();
  for (const part of ['zhangwei', '村(社区)书记', `管辖范围：${village.name}`, '手机：138****5678', '从未登录']) {
    assert.ok(text.includes(part), `${part} in ${text}`);
  }
  await page.screenshot({ path: path.join(SHOTS, 'desktop-users.png'), fullPage: true });

  // Search by name.
  await page.getByRole('searchbox', { name: '搜索用户' }).fill('张');
  await page.getByRole('button', { name: '筛选' }).click();
  await page.waitForURL(/#\/users\?q=/);
  await page.getByRole('heading', { name: '符合条件的用户' }).waitFor();
  await userItem(page, '张伟').waitFor();
  assert.equal(await page.locator('.user-list > li').count(), 1);

  // Edit: another role.
  await item.getByRole('button', { name: '编辑：张伟' }).click();
  const edit = page.getByRole('dialog', { name: '编辑用户“张伟”' });
  await edit.getByLabel('角色').selectOption({ label: '网格员' });
  await edit.getByRole('button', { name: '保存' }).click();
  await edit.waitFor({ state: 'detached' });
  await page.getByText('已保存用户“张伟”的修改').waitFor();
  await item.locator('.tag', { hasText: '网格员' }).waitFor();
  assert.equal(await focusedName(page), null);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.action), 'edit');

  // Reset the password: the policy again shows at the field.
  await item.getByRole('button', { name: '重置密码：张伟' }).click();
  const reset = page.getByRole('dialog', { name: '重置“张伟”的密码' });
  await reset.getByLabel('新密码').fill('1234567890');
  await reset.getByRole('button', { name: '重置密码' }).click();
  await reset.locator('.field[data-field="password"] .field-error').waitFor();
  const newPassword = 'Qm4-autumn-2026-ok';
  await reset.getByLabel('新密码').fill(newPassword);
  await reset.getByRole('button', { name: '重置密码' }).click();
  await reset.waitFor({ state: 'detached' });
  await page.getByText('已重置用户“张伟”的密码').waitFor();

  // Disable (after a confirmation) and enable again.
  await item.getByRole('button', { name: '停用：张伟' }).click();
  const confirm = page.getByRole('dialog', { name: '停用用户“张伟”？' });
  await confirm.getByRole('button', { name: '停用' }).click();
  await confirm.waitFor({ state: 'detached' });
  await item.locator('.tag', { hasText: '已停用' }).waitFor();
  const disabled = await srv.api('/api/v1/users/zhangwei');
  assert.equal(disabled.body.disabled, true);
  await item.getByRole('button', { name: '启用：张伟' }).click();
  await item.getByRole('button', { name: '停用：张伟' }).waitFor();
  assert.equal(await item.locator('.tag', { hasText: '已停用' }).count(), 0);

  // The new user signs in with the password the administrator set: only
  // 修改密码 opens, with no menu, until they choose their own.
  assert.match(await item.innerText(), /待本人改密码/);
  const { page: other, problems: otherProblems } = await openPage(browser, t, DESKTOP);
  await other.goto(srv.url + '/');
  await signInByForm(other, 'zhangwei', newPassword);
  await other.waitForURL(/#\/password\?next=%2Ffield$/); // a grid worker: 网格工作台
  await heading(other).filter({ hasText: '修改密码' }).waitFor();
  await other.getByText('张伟，您的密码是管理员设置的').waitFor();
  assert.equal(await mainNav(other).getByRole('link').count(), 0);
  await other.goto(srv.url + '/#/units');
  await other.waitForURL(/#\/password\?next=%2Funits$/);
  await other.getByLabel('当前密码（管理员给您的初始密码）').fill(newPassword);
  await other.getByLabel('新密码', { exact: true }).fill('Zw-own-choice-2026');
  await other.getByLabel('再次输入新密码').fill('Zw-own-choice-2027');
  await other.getByRole('button', { name: '修改密码' }).click();
  await other.getByText('两次输入的新密码不一致').waitFor();
  await other.getByLabel('再次输入新密码').fill('Zw-own-choice-2026');
  await other.screenshot({ path: path.join(SHOTS, 'desktop-password-first.png') });
  await other.getByRole('button', { name: '修改密码' }).click();
  // Then the page asked for opens, with the menu, and sees their village.
  await other.waitForURL(/#\/units$/);
  await other.locator('header.app-header').getByRole('link', { name: '修改密码' }).waitFor();
  assert.ok(await mainNav(other).getByRole('link').count() > 0);
  assert.equal((await login(srv.url, 'zhangwei', 'Zw-own-choice-2026')).user.must_change_password, false);
  await other.goto(srv.url + '/#/desk');
  await other.locator('header.app-header').getByText(`网格员 · ${village.name}`).waitFor();
  await other.goto(srv.url + '/#/units');
  await listItems(other).first().waitFor();
  assert.deepEqual(await listItems(other).locator('.unit-name').allTextContents(), [village.name]);

  // The refused passwords (400) are the only console errors Chromium may log.
  assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), []);
  assert.deepEqual(otherProblems, []);
});

test('操作日志: login records, filters, and before/after as text', async (t) => {
  const session = await login(srv.url, 'wuquan', pw.wuquan);
  assert.equal(session.status, 200);
  const logout = await api(srv.url, '/api/v1/session', {
    method: 'DELETE', headers: { Cookie: session.cookie, 'X-CSRF-Token': session.csrf },
  });
  assert.equal(logout.status, 204);
  // A user created through the API gives a record with details; its
  // display name would be markup if it were ever parsed as HTML.
  const made = await srv.api('/api/v1/users', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      username: 'audit-demo', display_name: '<b>演示</b>', password: 'Rt5-winter-2026-ok', role: 'observer', scope: '411121',
    }),
  });
  assert.equal(made.status, 201);
  const changed = await srv.api('/api/v1/users/audit-demo', {
    method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ role: 'grid_worker', disabled: true }),
  });
  assert.equal(changed.status, 200);

  const { page, context, problems } = await openPage(browser, t, DESKTOP);
  await signIn(context, srv.url, 'admin', srv.adminPassword);
  await page.goto(srv.url + '/#/units');
  await mainNav(page).getByRole('link', { name: '操作日志' }).click();
  await heading(page).filter({ hasText: '操作日志' }).waitFor();
  const records = page.locator('.audit-table tbody.audit-record');
  await records.first().waitFor();

  // Newest first: this page's own sign-in, then the user made above — in
  // Chinese, by people's names, units by name with the code after.
  const cells = (row) => row.locator('tr').first().locator('td').allInnerTexts();
  const [first, second, third] = [await cells(records.nth(0)), await cells(records.nth(1)), await cells(records.nth(2))];
  assert.deepEqual([first[1], first[2], first[3]], ['系统管理员', '登录', '用户 系统管理员']);
  assert.deepEqual([second[1], second[2], second[3]], ['系统管理员', '停用用户', '用户 <b>演示</b>']);
  assert.deepEqual([third[1], third[2], third[3], third[4].split('\n')], ['系统管理员', '新建用户', '用户 <b>演示</b>', ['舞阳县', '411121']]);
  assert.match(first[0], new RegExp(`^${day()} \\d\\d:\\d\\d:\\d\\d$`));
  assert.equal(await records.nth(0).getByText('admin', { exact: true }).count(), 0, 'no login name in front');

  // 详情 of the change: only what changed, by field names, values in words.
  const toggle = records.nth(1).getByRole('button', { name: /^详情/ });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  const diff = await records.nth(1).locator('.audit-diff tbody tr').evaluateAll((all) => all.map((r) => [...r.cells].map((c) => c.innerText)));
  assert.deepEqual(diff.find((r) => r[0] === '角色'), ['角色', '只读观察员', '网格员']);
  assert.deepEqual(diff.find((r) => r[0] === '停用'), ['停用', '否', '是']);
  assert.ok(!diff.some((r) => r[0] === '姓名' || r[0] === '登录名'), 'unchanged fields are left out');
  assert.ok(!diff.some((r) => /observer|grid_worker/.test(r.join())), 'no role codes');
  await page.screenshot({ path: path.join(SHOTS, 'desktop-audit.png'), fullPage: true });
  await toggle.click();

  // A creation lists what was set; the record as kept is under 原始记录.
  const created = records.nth(2);
  await created.getByRole('button', { name: /^详情/ }).click();
  const createdRows = await created.locator('.audit-diff tbody tr').evaluateAll((all) => all.map((r) => [...r.cells].map((c) => c.innerText)));
  assert.deepEqual(createdRows.find((r) => r[0] === '管辖范围'), ['管辖范围', '舞阳县\n411121']);
  assert.deepEqual(createdRows.find((r) => r[0] === '姓名'), ['姓名', '<b>演示</b>']);
  await created.getByText('原始记录（JSON）').click();
  const json = created.locator('pre');
  assert.equal(await json.nth(0).innerText(), '（无）');
  const after = JSON.parse(await json.nth(1).innerText());
  assert.equal(after.username, 'audit-demo');
  assert.equal(after.display_name, '<b>演示</b>');
  assert.equal(await page.locator('.audit-table b').count(), 0, 'JSON shown as text, never as markup');

  // Filter by user: wuquan's sign-ins (and failures elsewhere in this file).
  await page.getByLabel('操作人', { exact: true }).fill('wuquan');
  await page.getByRole('button', { name: '筛选' }).click();
  await page.waitForURL(/#\/audit\?user=wuquan$/);
  await page.getByRole('heading', { name: '符合条件的记录' }).waitFor();
  await records.first().waitFor();
  const rows = await records.evaluateAll((all) => all.map((r) => [...r.rows[0].cells].map((c) => c.innerText)));
  assert.ok(rows.length >= 2, `${rows.length} records`);
  assert.ok(rows.every((r) => r[1] === '李芳'), JSON.stringify(rows));
  const actions = new Set(rows.map((r) => r[2]));
  assert.ok(actions.has('登录') && actions.has('退出登录'), [...actions].join());

  // Filter by unit and time: nothing from tomorrow on.
  await page.getByLabel('单位', { exact: true }).fill('411121');
  await page.getByLabel('起始日期', { exact: true }).fill(day(1));
  await page.getByRole('button', { name: '筛选' }).click();
  await page.getByText('没有符合条件的记录。').waitFor();
  await page.getByLabel('起始日期', { exact: true }).fill(day(0));
  await page.getByRole('button', { name: '筛选' }).click();
  await page.waitForURL(new RegExp(`since=${day(0)}`));
  await records.first().waitFor();
  assert.ok((await records.count()) >= 1);
  await page.getByRole('link', { name: '清除筛选' }).click();
  await page.getByRole('heading', { name: '全部记录' }).waitFor();

  assert.deepEqual(problems, []);
});
