// paged-list.js — a list filled page by page from an API that answers
// {items, next}: "加载更多" asks for the page after `next` and appends it.
import { h } from './dom.js';
import { formatCount } from '../labels.js';
import { loading, empty, errorAlert } from './notice.js';

// fetchPage(after) returns a promise of one page (after is null for the
// first); renderItem(item) returns the element appended to `list` (an <li>
// of the default <ul>; a table passes itself as list and renders a <tbody>
// per item); total, when known, is shown as "已显示 50 个，共 74 个".
export function pagedList({ fetchPage, renderItem, emptyText, total = null, signal,
  list = h('ul', { class: 'unit-list' }) }) {
  const notices = h('div');
  const progress = h('p', { class: 'list-progress' });
  const more = h('button', { type: 'button', class: 'button load-more', hidden: true }, '加载更多');
  let next = null;
  let shown = 0;

  async function load(fromButton) {
    more.hidden = true;
    notices.replaceChildren(loading());
    try {
      const page = await fetchPage(next);
      if (signal.aborted) return;
      const items = page.items.map(renderItem);
      list.append(...items);
      shown += items.length;
      next = page.next;
      list.hidden = shown === 0;
      notices.replaceChildren(...(shown ? [] : [empty(emptyText)]));
      // Keep keyboard users in place: the button they pressed may be gone.
      if (fromButton) items[0]?.querySelector('a, button')?.focus();
    } catch (error) {
      if (signal.aborted) return;
      notices.replaceChildren(errorAlert(error));
      more.textContent = '重试';
      more.hidden = false;
      return;
    }
    more.textContent = '加载更多';
    more.hidden = next === null;
    progress.textContent = total !== null && next !== null
      ? `已显示 ${formatCount(shown)} 个，共 ${formatCount(total)} 个`
      : '';
  }

  more.addEventListener('click', () => load(true));
  load(false);
  return h('div', { class: 'paged-list' }, list, notices, progress, more);
}
