// bell.js — the header's bell: how many notifications are unread, asked
// again when the page changes, when a page marks some read ('jiceng:read'
// on document) and every minute; it opens 消息通知 ('#/notifications').
import { h } from './ui/dom.js';
import { getJSON } from './api.js';

const EVERY_MS = 60_000;

export function setupBell() {
  const count = h('span', { class: 'bell-count', hidden: true });
  const link = h('a', { href: '#/notifications', class: 'bell', 'aria-label': '消息通知', title: '消息通知' },
    h('img', { src: new URL('icons/bell.svg', import.meta.url).href, alt: '', width: 22, height: 22 }), count);
  let timer = null;

  async function refresh() {
    try {
      const { unread } = await getJSON('/api/v1/notifications?limit=1');
      count.textContent = unread > 99 ? '99+' : String(unread);
      count.hidden = unread === 0;
      link.setAttribute('aria-label', unread ? `消息通知，${unread} 条未读` : '消息通知');
    } catch {
      // A lost connection or an ended session: the status line and the
      // login redirect say so; the bell keeps its last count.
    }
  }

  return {
    element: link,
    start() {
      this.stop();
      refresh();
      timer = setInterval(refresh, EVERY_MS);
      window.addEventListener('hashchange', refresh);
      document.addEventListener('jiceng:read', refresh);
    },
    stop() {
      clearInterval(timer);
      timer = null;
      window.removeEventListener('hashchange', refresh);
      document.removeEventListener('jiceng:read', refresh);
    },
  };
}

// Tells the bell that something was marked read.
export const readSomething = () => document.dispatchEvent(new Event('jiceng:read'));
