// Shared by the browser tests: Chromium, pages that record console errors
// and CSP violations, and signing in. Not a test file itself (node --test
// runs only *.test.js here).
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from '../lib/server.js';

export const SHOTS = path.join(ROOT, 'tests/out/screenshots');
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic', '--no-first-run',
];
export const DESKTOP = { viewport: { width: 1280, height: 800 } };
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

export function launch() {
  fs.mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

// The 401s the UI asks for on purpose: "who is signed in?" before signing
// in, and a refused password. Chromium logs every failed request as a
// console error; these are answers, not faults.
const EXPECTED_401 = /\/api\/v1\/(me|session)$/;

// A fresh page in its own context (own cookies) that records console
// errors, uncaught exceptions and CSP violations (which Chromium also
// reports as console errors) in `problems`.
export async function openPage(browser, t, options) {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });
  t.after(() => context.close());
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const problems = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (/Failed to load resource: .* status of 401/.test(m.text()) && EXPECTED_401.test(m.location().url)) return;
    problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)));
  return { page, context, problems };
}

// Signs the page's context in through the API (the cookie lands in the
// context), for tests about something other than the login page.
export async function signIn(context, base, username, password) {
  const res = await context.request.post(base + '/api/v1/session', { data: { username, password } });
  if (res.status() !== 200) throw new Error(`sign-in as ${username}: ${res.status()} ${await res.text()}`);
}

// Signs in through the login form the page is showing.
export async function signInByForm(page, username, password) {
  await page.getByRole('heading', { name: '登录', level: 1 }).waitFor();
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}
