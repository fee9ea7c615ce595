// desk.js — 工作台 ('#/desk'), the page after signing in: what awaits the
// reader now (GET /api/v1/desk) — work of their own unit to do, work below
// to check (验收, 审核), the nearest deadlines, 督办 — then the latest
// notifications and notices. Every count links to the list behind it.
import { h } from '../ui/dom.js';
import { getJSON, apiUrl } from '../api.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { formatCount, formatTime } from '../labels.js';
import { currentUser } from '../session.js';

// The list behind a row: items by type and state; ratings' and point
// claims' own pages.
function rowHref(row, unit) {
  if (row.subject === 'rating') return apiUrl('#/ratings', { unit });
  if (row.subject === 'points') return apiUrl('#/party', { tab: 'points', unit });
  if (row.subject === 'person') return apiUrl('#/party/pipeline', { kind: row.kind, unit });
  return apiUrl('#/items', { type: row.kind, state: row.state, unit });
}

function countRows(rows, unit, { deadlines }) {
  return h('ul', { class: 'desk-rows' }, rows.map((row) => h('li', {},
    h('a', { href: rowHref(row, unit) },
      h('span', { class: 'desk-what' }, `${row.kind_name} · ${row.state_label}`),
      h('strong', { class: 'desk-count' }, formatCount(row.count))),
    deadlines && (row.overdue || row.due_soon) ? h('p', { class: 'desk-deadlines' },
      row.overdue ? h('span', { class: 'tag tag-overdue' }, `超期 ${formatCount(row.overdue)}`) : null,
      row.due_soon ? h('span', { class: 'tag tag-soon' }, `即将到期 ${formatCount(row.due_soon)}`) : null) : null)));
}

function section(title, body, more = null) {
  return h('section', { class: 'card desk-card' },
    h('div', { class: 'section-head' }, h('h2', {}, title), more), body);
}

function dueList(due) {
  return h('ol', { class: 'desk-due' }, due.map((d) => h('li', {},
    h('a', { href: d.subject === 'person' ? `#/party/cases/${d.id}` : `#/items/${d.id}` }, d.title),
    h('span', { class: 'muted' }, ` ${d.kind_name} · ${d.state_label} · `),
    h('span', { class: d.overdue ? 'overdue' : '' }, `${d.overdue ? '已超期' : '截止'} ${d.deadline}`))));
}

function latest(items, hrefOf, textOf, emptyText) {
  if (!items.length) return empty(emptyText);
  return h('ul', { class: 'desk-latest' }, items.map((x) => h('li', { class: x.unread ? 'unread' : '' },
    h('a', { href: hrefOf(x) }, textOf(x)),
    h('span', { class: 'muted' }, ` ${formatTime(x.at)}`))));
}

export async function render(main, { signal }) {
  const me = currentUser();
  const unit = me.scope?.code ?? '';
  main.append(h('header', { class: 'card page-header' },
    h('h1', {}, '工作台'),
    h('p', { class: 'muted' }, `${me.display_name}，${me.scope?.name ?? '全国'}：待办理、待审核的事项和最近的消息。`)));
  const notice = loading();
  main.append(notice);
  let desk, notes, notices;
  try {
    [desk, notes, notices] = await Promise.all([
      getJSON('/api/v1/desk', { signal }),
      getJSON('/api/v1/notifications?limit=5', { signal }),
      getJSON('/api/v1/notices?limit=5', { signal }),
    ]);
  } catch (error) {
    if (!signal.aborted) notice.replaceWith(errorAlert(error));
    return;
  }
  if (signal.aborted) return;
  notice.remove();

  const todoTotal = desk.todo.reduce((n, r) => n + r.count, 0);
  const reviewTotal = desk.review.reduce((n, r) => n + r.count, 0);
  main.append(h('div', { class: 'desk-grid' },
    section(`待我办理 ${formatCount(todoTotal)}`,
      desk.todo.length ? countRows(desk.todo, unit, { deadlines: true }) : empty('本单位没有待办理的事项。')),
    section(`待我审核 ${formatCount(reviewTotal)}`,
      desk.review.length ? countRows(desk.review, unit, { deadlines: false }) : empty('下级单位没有等待审核的事项。')),
    desk.due.length ? section('最近截止', dueList(desk.due)) : null,
    desk.escalated ? section('督办', h('p', {},
      h('a', { href: apiUrl('#/items', { unit }) }, `上报到本单位督办的事项 ${formatCount(desk.escalated)} 件`))) : null,
    section(`消息通知${desk.unread ? `（${formatCount(desk.unread)} 条未读）` : ''}`,
      latest(notes.items.map((n) => ({ ...n, unread: !n.read })), (n) => n.link,
        (n) => `${n.unit?.name ?? ''} ${n.what}：${n.title}`, '暂无消息。'),
      h('a', { href: '#/notifications' }, '全部消息')),
    section('通知公告',
      latest(notices.items.map((n) => ({ ...n, at: n.created_at, unread: !n.read_at })), (n) => `#/notices/${n.id}`,
        (n) => n.title, '暂无通知。'),
      h('a', { href: '#/notices' }, '全部通知'))));
}
