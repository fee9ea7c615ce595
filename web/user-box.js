// user-box.js — the header's corner while signed in: the bell (bell.js),
// who (display name), as what (role and scope), 修改密码 and 退出登录.
import { h } from './ui/dom.js';
import { setupBell } from './bell.js';

export const scopeName = (user) => user.scope?.name ?? '全国';

// A name left as the login name (an account made without 显示名称) is not
// shown: people see names, not logins; the role stands in for it.
function whoLines(user) {
  const named = user.display_name && user.display_name !== user.username;
  return [
    h('span', { class: 'user-display' }, named ? user.display_name : user.role_name),
    h('span', { class: 'user-role' }, named ? `${user.role_name} · ${scopeName(user)}` : scopeName(user)),
  ];
}

export function setupUserBox(box, { onLogout }) {
  const button = h('button', { type: 'button', class: 'logout-button' }, '退出登录');
  const bell = setupBell();
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await onLogout();
    } finally {
      button.disabled = false;
    }
  });

  return {
    // Shows the user, or hides the box (null).
    show(user) {
      box.hidden = !user;
      if (!user) {
        bell.stop();
        box.replaceChildren();
        return;
      }
      // The bell would only hear "change your password first" until then.
      if (user.must_change_password) bell.stop();
      else bell.start();
      box.replaceChildren(
        user.must_change_password ? '' : bell.element,
        h('p', { class: 'user-who' }, ...whoLines(user)),
        h('a', { class: 'password-link', href: '#/password' }, '修改密码'),
        button);
    },
  };
}
