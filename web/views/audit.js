// audit.js — 操作日志 ('#/audit?unit=…&user=…&since=YYYY-MM-DD'): the
// audit trail inside the caller's scope, newest first, page by page. Each
// record is a row (time, user, action, entity, unit, client) with 详情
// showing the before/after JSON — as text, so nothing in a record can
// become markup.
import { h } from '../ui/dom.js';
import { getJSON, apiUrl } from '../api.js';
import { pagedList } from '../ui/paged-list.js';
import { field, input } from '../ui/form.js';
import { unitField } from '../ui/unit-field.js';
import { formatTime } from '../labels.js';

const PAGE = 50;

// The actions the server records (src/app/*.c, src/api/*.c); others show
// as their code.
const ACTIONS = {
  'session.create': '登录',
  'session.fail': '登录失败',
  'session.lock': '登录失败，账号锁定',
  'session.delete': '退出登录',
  'token.create': '创建访问令牌',
  'token.revoke': '吊销访问令牌',
  'user.create': '新建用户',
  'user.update': '修改用户',
  'user.disable': '停用用户',
  'user.reveal_phone': '查看完整手机号',
  'element.create': '新建数据元素',
  'indicator.create': '新建指标',
  'values.write': '填报数据',
};

const COLUMNS = ['时间', '用户', '操作', '对象', '单位', '客户端'];

// A local calendar day as the UTC instant its midnight is, the form the
// API's since= takes.
function sinceParam(day) {
  const t = new Date(`${day}T00:00:00`);
  return Number.isNaN(t.getTime()) ? day : t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const orDash = (text) => (text === null || text === undefined || text === '' ? '—' : String(text));

export function render(main, { query, signal }) {
  const filters = {
    unit: (query.get('unit') ?? '').trim(),
    user: (query.get('user') ?? '').trim(),
    since: (query.get('since') ?? '').trim(),
  };
  const filtered = filters.unit || filters.user || filters.since;
  const table = h('table', { class: 'audit-table' },
    h('caption', { class: 'visually-hidden' }, '操作记录，最新的在前'),
    h('thead', {}, h('tr', {},
      COLUMNS.map((name) => h('th', { scope: 'col' }, name)),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, '详情')))));

  main.append(
    h('header', { class: 'card page-header' },
      h('h1', {}, '操作日志'),
      h('p', { class: 'muted' }, '登录、退出和每一次数据修改都会记录在此，最新的在前；记录不能修改或删除。')),
    filterForm(filters, signal),
    h('section', { class: 'card', 'aria-labelledby': 'list-title' },
      h('div', { class: 'section-head' },
        h('h2', { id: 'list-title' }, filtered ? '符合条件的记录' : '全部记录'),
        filtered ? h('a', { href: '#/audit' }, '清除筛选') : null),
      h('div', { class: 'table-scroll' },
        pagedList({
          fetchPage: (after) => getJSON(apiUrl('/api/v1/audit', {
            unit: filters.unit,
            user: filters.user,
            since: filters.since && sinceParam(filters.since),
            limit: PAGE,
            after,
          }), { signal }),
          renderItem: recordRows,
          emptyText: filtered ? '没有符合条件的记录。' : '暂无记录。',
          signal,
          list: table,
        }))));
}

// One record: its row, and a details row that 详情 opens.
function recordRows(record) {
  const action = ACTIONS[record.action];
  const hasDetails = record.before !== null || record.after !== null;
  const detailsId = `audit-${record.seq}`;
  const cell = (label, ...content) => h('td', { 'data-label': label }, ...content);
  let toggle = null;
  let details = null;
  if (hasDetails) {
    toggle = h('button', { type: 'button', class: 'button small', 'aria-expanded': 'false', 'aria-controls': detailsId,
      'aria-label': `详情：${action ?? record.action} ${record.entity}` }, '详情');
    details = h('tr', { class: 'audit-details', id: detailsId, hidden: true },
      h('td', { colspan: COLUMNS.length + 1 },
        h('div', { class: 'audit-json' },
          jsonBlock('修改前', record.before),
          jsonBlock('修改后', record.after))));
    toggle.addEventListener('click', () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      toggle.textContent = open ? '收起' : '详情';
      details.hidden = !open;
    });
  }
  return h('tbody', { class: 'audit-record' },
    h('tr', {},
      cell('时间', h('time', { datetime: record.at }, formatTime(record.at))),
      cell('用户', orDash(record.user)),
      cell('操作', action ?? record.action, action ? h('span', { class: 'code' }, record.action) : null),
      cell('对象', orDash(record.entity)),
      cell('单位', h('span', { class: 'code' }, orDash(record.unit))),
      cell('客户端', orDash(record.client)),
      h('td', { class: 'audit-toggle' }, toggle)),
    details);
}

function jsonBlock(title, value) {
  return h('div', {},
    h('h3', {}, title),
    h('pre', {}, value === null ? '（无）' : JSON.stringify(value, null, 2)));
}

function filterForm(filters, signal) {
  const user = input('user', {
    value: filters.user, maxlength: 32, autocomplete: 'off', autocapitalize: 'none', placeholder: '登录名',
  });
  const since = input('since', { type: 'date', value: filters.since });
  const form = h('form', { class: 'card filters', role: 'search', 'aria-label': '筛选操作记录' },
    unitField({ name: 'unit', label: '单位', value: filters.unit, emptyText: '全部', signal }),
    field('用户', user),
    field('起始日期', since),
    h('div', { class: 'filters-submit' }, h('button', { type: 'submit', class: 'button primary' }, '筛选')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const control of [form.elements.unit, user, since]) {
      if (control.value.trim()) params.set(control.name, control.value.trim());
    }
    const text = params.toString();
    location.hash = text ? `#/audit?${text}` : '#/audit';
  });
  return form;
}
