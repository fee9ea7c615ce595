// notifications.js — 消息通知 ('#/notifications', the bell's page): what
// reached the reader, newest first, unread ones marked; opening one marks
// it read and goes to what it is about; 全部标为已读 clears the bell.
import { h } from '../ui/dom.js';
import { getJSON, sendJSON, apiUrl } from '../api.js';
import { pagedList } from '../ui/paged-list.js';
import { errorAlert } from '../ui/notice.js';
import { formatTime } from '../labels.js';
import { readSomething } from '../bell.js';

const PAGE = 30;

export function render(main, { query, signal }) {
  const unreadOnly = query.get('unread') === '1';
  const allRead = h('button', { type: 'button', class: 'button' }, '全部标为已读');
  const alertBox = h('div');
  main.append(h('header', { class: 'card page-header' },
    h('div', { class: 'section-head' }, h('h1', {}, '消息通知'), allRead),
    h('p', { class: 'muted' }, '需要您办理或审核的事项、收到的通知公告；点击打开并标为已读。'),
    h('p', {}, unreadOnly ? h('a', { href: '#/notifications' }, '查看全部') : h('a', { href: '#/notifications?unread=1' }, '只看未读')),
    alertBox));

  const list = h('ul', { class: 'unit-list notification-list' });
  allRead.addEventListener('click', async () => {
    allRead.disabled = true;
    try {
      await sendJSON('POST', '/api/v1/notifications/read', { all: true }, { signal });
      for (const li of list.querySelectorAll('.unread')) li.classList.remove('unread');
      readSomething();
    } catch (error) {
      if (!signal.aborted) alertBox.replaceChildren(errorAlert(error));
    } finally {
      allRead.disabled = false;
    }
  });

  function row(n) {
    const link = h('a', { href: n.link }, n.title);
    link.addEventListener('click', async (event) => {
      if (n.read) return;
      event.preventDefault();
      try {
        await sendJSON('POST', '/api/v1/notifications/read', { id: n.id }, { signal });
        readSomething();
      } catch {
        // Not marked: it stays unread, and the page opens anyway.
      }
      location.hash = n.link;
    });
    return h('li', { class: n.read ? '' : 'unread', 'data-id': n.id },
      h('div', { class: 'user-title' },
        h('span', { class: 'tag tag-type' }, n.kind_name),
        link,
        n.read ? null : h('span', { class: 'tag tag-unread' }, '未读')),
      h('p', { class: 'user-meta' },
        h('span', {}, n.unit?.name ?? ''),
        h('span', {}, n.what),
        h('span', {}, formatTime(n.at))));
  }

  main.append(h('section', { class: 'card' }, pagedList({
    fetchPage: (after) => getJSON(apiUrl('/api/v1/notifications', { unread: unreadOnly ? 1 : null, limit: PAGE, after }), { signal }),
    renderItem: row,
    emptyText: unreadOnly ? '没有未读消息。' : '暂无消息。',
    signal,
    list,
  })));
}
