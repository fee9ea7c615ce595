// login.js — 登录 ('#/login?next=…'), the only page before signing in.
// Failures (wrong password, locked account…) show the server's message in
// an alert and put the cursor back where the reader has to act; success
// opens `next` or the first page.
import { h } from '../ui/dom.js';
import { errorAlert } from '../ui/notice.js';
import { field, input } from '../ui/form.js';
import { login, safeNext } from '../session.js';
import { homePath } from '../nav.js';

export function render(main, { query, setTitle }) {
  setTitle('登录');
  const next = safeNext(query.get('next'));
  const username = input('username', {
    autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', maxlength: 64, required: true,
  });
  const password = input('password', {
    type: 'password', autocomplete: 'current-password', maxlength: 256, required: true,
  });
  const alertBox = h('div', { class: 'form-alert' });
  const submit = h('button', { type: 'submit', class: 'button primary login-submit' }, '登录');
  const form = h('form', { class: 'login-form', novalidate: true, 'aria-labelledby': 'login-title' },
    alertBox,
    field('用户名', username),
    field('密码', password),
    submit);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    alertBox.replaceChildren();
    if (!username.value.trim() || !password.value) {
      const missing = username.value.trim() ? password : username;
      alertBox.append(errorAlert(new Error(missing === username ? '请输入用户名' : '请输入密码')));
      missing.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = '正在登录…';
    try {
      await login(username.value.trim(), password.value);
    } catch (error) {
      submit.disabled = false;
      submit.textContent = '登录';
      alertBox.append(errorAlert(error));
      password.value = '';
      password.focus();
      return;
    }
    location.replace('#' + (next ?? homePath() ?? '/'));
  });

  main.append(
    h('section', { class: 'card login-card' },
      h('h1', { id: 'login-title' }, '登录'),
      h('p', { class: 'muted login-intro' }, '请使用管理员为您开通的账号登录基层治理平台。'),
      next ? h('p', { class: 'login-next' }, '登录后将返回您刚才访问的页面。') : null,
      form,
      h('p', { class: 'login-public' },
        h('a', { href: '#/request' }, '群众诉求：提交与查询'),
        h('a', { href: '#/public/ratings' }, '五星支部公示'))));
  username.focus();
}
