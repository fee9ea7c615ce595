// password.js — 修改密码 ('#/password?next=…'): the old password, the new one
// twice. Everyone reaches it from the user box; a user whose password
// someone else set (the initial one, a reset, a bulk import) is sent here
// and reaches nothing else until they have chosen their own (router.js).
// The policy is the server's: its refusal shows under the field it names.
import { h } from '../ui/dom.js';
import { field, input, submitForm, showFieldError, checkRequired } from '../ui/form.js';
import { changePassword, currentUser, mustChangePassword, safeNext } from '../session.js';
import { homePath } from '../nav.js';

export function render(main, { query, setTitle }) {
  setTitle('修改密码');
  const forced = mustChangePassword();
  const next = safeNext(query.get('next'));
  const pw = (name, autocomplete) => input(name, { type: 'password', autocomplete, maxlength: 256, required: true });
  const oldPassword = pw('old_password', 'current-password');
  const newPassword = pw('new_password', 'new-password');
  const again = pw('new_password_again', 'new-password');
  const alertBox = h('div', { class: 'form-alert' });
  const submit = h('button', { type: 'submit', class: 'button primary' }, '修改密码');
  const form = h('form', { class: 'password-form', novalidate: true, 'aria-labelledby': 'password-title' },
    alertBox,
    field(forced ? '当前密码（管理员给您的初始密码）' : '原密码', oldPassword),
    field('新密码', newPassword, { hint: '至少 10 个字符，不能包含登录名，不能是常见密码' }),
    field('再次输入新密码', again),
    submit);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    const ok = await submitForm(form, {
      button: submit, alertBox, busyText: '正在保存…',
      async action() {
        if (!checkRequired(form, [['old_password', '请输入原密码'], ['new_password', '请输入新密码'], ['new_password_again', '请再次输入新密码']])) return false;
        if (newPassword.value !== again.value) {
          showFieldError(form, 'new_password_again', '两次输入的新密码不一致');
          return false;
        }
        await changePassword(oldPassword.value, newPassword.value);
        return true;
      },
    });
    if (!ok) return;
    form.reset();
    if (forced) {
      location.replace('#' + (next ?? homePath() ?? '/'));
      return;
    }
    alertBox.replaceChildren(h('p', { class: 'alert success', role: 'status' }, '密码已修改。您在其他设备上的登录已退出。'));
  });

  const user = currentUser();
  main.append(
    h('section', { class: 'card password-card' },
      h('h1', { id: 'password-title' }, '修改密码'),
      forced
        ? h('p', { class: 'alert warning', role: 'alert' },
          `${user.display_name}，您的密码是管理员设置的，请先设置一个只有您自己知道的新密码，然后才能使用系统。`)
        : h('p', { class: 'muted' }, '修改后，您在其他设备上的登录和访问令牌都会失效。'),
      form));
  oldPassword.focus();
}
