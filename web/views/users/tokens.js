// tokens.js — 访问令牌 of one user in a dialog (views/users.js): the
// tokens scripts use for the API, newest first, each with its label, when
// it was made and whether it still works, and 吊销 for the valid ones.
// The secret itself is never shown (only its owner saw it, once, when the
// command line made it). Revoking takes effect on every server at once.
import { h } from '../../ui/dom.js';
import { getJSON, sendJSON } from '../../api.js';
import { openDialog } from '../../ui/dialog.js';
import { formatTime } from '../../labels.js';

export function openTokens({ user, url, returnFocus, signal }) {
  const status = h('p', { class: 'action-status', role: 'status' });
  const list = h('ul', { class: 'unit-list user-list token-list', 'aria-label': '访问令牌列表' });
  const loading = h('p', { class: 'muted' }, '正在读取…');

  function tokenItem(token) {
    const li = h('li', { class: 'user-item', 'data-token': String(token.id) });
    const state = token.revoked_at
      ? h('span', { class: 'tag tag-off' }, '已吊销')
      : h('span', { class: 'tag tag-level' }, '有效');
    const meta = h('p', { class: 'user-meta' },
      h('span', {}, `编号 ${token.id}`),
      h('span', {}, `创建于 ${formatTime(token.created_at)}`),
      token.revoked_at ? h('span', {}, `吊销于 ${formatTime(token.revoked_at)}`) : null);
    let revoke = null;
    if (!token.revoked_at) {
      revoke = h('button', { type: 'button', class: 'button small danger',
        'aria-label': `吊销令牌 ${token.id}（${token.label}）` }, '吊销');
      revoke.addEventListener('click', async () => {
        revoke.disabled = true;
        try {
          await sendJSON('DELETE', `${url}/${token.id}`);
          const fresh = tokenItem({ ...token, revoked_at: new Date().toISOString() });
          li.replaceWith(fresh);
          status.textContent = `已吊销令牌 ${token.id}，使用它的脚本将无法再访问`;
          fresh.closest('dialog')?.querySelector('button[type="submit"]')?.focus();
        } catch (error) {
          revoke.disabled = false;
          status.textContent = `吊销失败：${error.message}`;
        }
      });
    }
    li.append(
      h('div', { class: 'user-title' }, h('span', { class: 'user-name' }, token.label), state),
      meta,
      revoke ? h('div', { class: 'user-actions' }, revoke) : null);
    return li;
  }

  openDialog({
    title: `“${user.display_name}”的访问令牌`,
    intro: '脚本用访问令牌调用接口，权限与该用户相同。重置密码、调整角色或管辖范围、停用账号都会吊销全部令牌。',
    fields: [status, loading, list],
    submitText: '完成',
    busyText: '…',
    returnFocus,
    signal,
    onSubmit: () => true,
  });

  getJSON(url, { signal }).then(({ items }) => {
    loading.replaceWith(items.length ? '' : h('p', { class: 'muted' }, '该用户没有访问令牌。'));
    list.append(...items.map(tokenItem));
  }, (error) => {
    loading.textContent = `无法读取访问令牌：${error.message}`;
  });
}
