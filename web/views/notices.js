// notices.js — 通知公告 ('#/notices?box=received|sent'): the notices the
// reader received (unread ones marked) or, for those who send them, the
// ones sent within their scope with how many have read them; 发布通知 in a
// dialog. '#/notices/ID' is one notice: opening it is the reader's receipt;
// the sender's unit and those above see who has read it, unit by unit.
import { h } from '../ui/dom.js';
import { getJSON, sendJSON, apiUrl } from '../api.js';
import { pagedList } from '../ui/paged-list.js';
import { openDialog } from '../ui/dialog.js';
import { field, input } from '../ui/form.js';
import { unitField } from '../ui/unit-field.js';
import { filesField, uploadFiles, fileList } from '../ui/upload.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { formatCount, formatTime } from '../labels.js';
import { currentUser, hasPerm } from '../session.js';
import { readSomething } from '../bell.js';

const PAGE = 30;

export async function render(main, context) {
  if (context.params.length > 0) return renderNotice(main, context);
  const { query, signal } = context;
  const sender = hasPerm('notices:send');
  const sent = sender && query.get('box') === 'sent';
  const create = sender ? h('button', { type: 'button', class: 'button primary' }, '发布通知') : null;
  main.append(h('header', { class: 'card page-header' },
    h('div', { class: 'section-head' }, h('h1', {}, '通知公告'), create),
    h('p', { class: 'muted' }, '上级单位发给本单位的通知；可发通知的单位还能看到发出的通知和阅读情况。'),
    sender ? h('nav', { class: 'tabs', 'aria-label': '收到的和发出的' },
      h('a', { href: '#/notices', 'aria-current': sent ? null : 'page' }, '收到的'),
      h('a', { href: '#/notices?box=sent', 'aria-current': sent ? 'page' : null }, '发出的')) : null));
  create?.addEventListener('click', () => compose({ button: create, signal }));

  main.append(h('section', { class: 'card' }, pagedList({
    fetchPage: (after) => getJSON(apiUrl('/api/v1/notices', { box: sent ? 'sent' : null, limit: PAGE, after }), { signal }),
    renderItem: (n) => h('li', { class: !sent && !n.read_at ? 'unread' : '', 'data-id': n.id },
      h('div', { class: 'user-title' },
        h('a', { href: `#/notices/${n.id}` }, n.title),
        !sent && !n.read_at ? h('span', { class: 'tag tag-unread' }, '未读') : null),
      h('p', { class: 'user-meta' },
        h('span', {}, `${n.from_unit?.name ?? '平台'} ${n.sender}`),
        h('span', {}, formatTime(n.created_at)),
        sent ? h('span', {}, `发至${n.unit.name} · 已读 ${formatCount(n.read)}/${formatCount(n.recipients)}`) : null)),
    emptyText: sent ? '还没有发出的通知。' : '暂无通知。',
    signal,
    list: h('ul', { class: 'unit-list notice-list' }),
  })));
}

function compose({ button, signal }) {
  const me = currentUser();
  openDialog({
    title: '发布通知',
    intro: '通知发给所选单位及其下级单位的全部账号（不含您自己）；每人打开即记为已读。',
    fields: [
      unitField({ name: 'unit', label: '发给', value: me.scope?.code ?? '', signal }),
      field('标题', input('title', { maxlength: 200, required: true })),
      field('正文', h('textarea', { name: 'body', class: 'input', rows: 8, required: true })),
      filesField(),
    ],
    required: [['unit', '请选择接收通知的单位'], ['title', '请填写标题'], ['body', '请填写正文']],
    submitText: '发布',
    busyText: '正在发布…',
    returnFocus: () => button,
    signal,
    async onSubmit(form) {
      const files = await uploadFiles(form.elements.files, { signal });
      const sent = await sendJSON('POST', '/api/v1/notices', {
        unit: form.elements.unit.value.trim(),
        title: form.elements.title.value.trim(),
        body: form.elements.body.value.trim(),
        files,
      }, { signal });
      location.hash = `#/notices/${sent.id}`;
    },
  });
}

async function renderNotice(main, { params, signal, setTitle }) {
  const back = h('a', { href: '#/notices', class: 'back-link' }, '‹ 通知公告');
  const notice = loading();
  main.append(back, notice);
  let n;
  try {
    n = await getJSON(`/api/v1/notices/${encodeURIComponent(params[0])}`, { signal });
    if (n.recipient && !n.read_at) {
      n = await sendJSON('POST', `/api/v1/notices/${n.id}/read`, {}, { signal });
      readSomething();
    }
  } catch (error) {
    if (!signal.aborted) notice.replaceWith(errorAlert(error.status === 404 ? new Error('没有这条通知，或它不是发给您的') : error));
    return;
  }
  if (signal.aborted) return;
  setTitle(n.title);
  notice.replaceWith(h('article', { class: 'card notice-article' },
    h('h1', {}, n.title),
    h('p', { class: 'muted' }, `${n.from_unit?.name ?? '平台'} ${n.sender} · ${formatTime(n.created_at)} · 发至${n.unit.name}`),
    h('div', { class: 'notice-body' }, n.body.split('\n').map((line) => h('p', {}, line))),
    n.files.length ? h('h2', {}, '附件') : null,
    fileList(n.files)));
  if (n.receipts) main.append(await receipts(n, signal));
}

// Who has read it: per unit, read and unread names.
async function receipts(n, signal) {
  const box = h('section', { class: 'card', 'aria-labelledby': 'receipts-title' },
    h('h2', { id: 'receipts-title' }, `阅读情况：已读 ${formatCount(n.read)} / ${formatCount(n.recipients)}`));
  try {
    const { items } = await getJSON(`/api/v1/notices/${n.id}/receipts`, { signal });
    const byUnit = new Map();
    for (const r of items) {
      const key = r.unit?.name ?? '平台';
      if (!byUnit.has(key)) byUnit.set(key, []);
      byUnit.get(key).push(r);
    }
    box.append(items.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'audit-table receipts' },
      h('thead', {}, h('tr', {}, h('th', {}, '单位'), h('th', {}, '已读'), h('th', {}, '未读'))),
      h('tbody', {}, [...byUnit].map(([unit, rs]) => h('tr', {},
        h('td', {}, unit),
        h('td', {}, rs.filter((r) => r.read_at).map((r) => `${r.display_name}（${formatTime(r.read_at)}）`).join('、') || '—'),
        h('td', { class: rs.some((r) => !r.read_at) ? 'overdue' : '' }, rs.filter((r) => !r.read_at).map((r) => r.display_name).join('、') || '—')))))) : empty('没有接收人。'));
  } catch (error) {
    if (!signal.aborted) box.append(errorAlert(error));
  }
  return box;
}
