// audit.js — 操作日志 ('#/audit?unit=…&user=…&since=YYYY-MM-DD'): the
// audit trail inside the caller's scope, newest first, page by page, in
// Chinese. Each record is a row: time, the person (display name), what they
// did (a phrase from labels.js, a case's step by its kind's own label), what
// it concerned, the unit (name, code muted) and the client; 详情 opens what
// changed: the changed fields only, by their Chinese names, values in words
// (units by name, states by label, 是/否), with the record as kept (JSON)
// under 原始记录. Everything is text: nothing in a record becomes markup.
// This is how the trail is shown, never what it records (docs/security.md).
import { h } from '../ui/dom.js';
import { getJSON, apiUrl } from '../api.js';
import { pagedList } from '../ui/paged-list.js';
import { field, input } from '../ui/form.js';
import { unitField } from '../ui/unit-field.js';
import { formatTime, AUDIT_ACTIONS, AUDIT_SUBJECTS, AUDIT_STEPS, AUDIT_FIELDS, AUDIT_REASONS } from '../labels.js';

const PAGE = 50;

const COLUMNS = ['时间', '操作人', '操作', '对象', '单位', '客户端'];

// A local calendar day as the UTC instant its midnight is, the form the
// API's since= takes.
function sinceParam(day) {
  const t = new Date(`${day}T00:00:00`);
  return Number.isNaN(t.getTime()) ? day : t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const orDash = (text) => (text === null || text === undefined || text === '' ? '—' : String(text));

export async function render(main, { query, signal }) {
  const filters = {
    unit: (query.get('unit') ?? '').trim(),
    user: (query.get('user') ?? '').trim(),
    since: (query.get('since') ?? '').trim(),
  };
  const filtered = filters.unit || filters.user || filters.since;
  const words = await caseWords(signal); // before any row: a step is named, never shown as its code
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
          renderItem: (record) => recordRows(record, words),
          emptyText: filtered ? '没有符合条件的记录。' : '暂无记录。',
          signal,
          list: table,
        }))));
}

// The labels of the kinds' steps and states (GET /api/v1/item-types and
// /api/v1/party/cases), for records of cases, once both have answered;
// without them steps read by AUDIT_STEPS and states stay unlabelled.
// {steps: {code: label}, states: {code: label}, partySteps: {code: label}}.
async function caseWords(signal) {
  const words = { steps: {}, states: {}, partySteps: {} };
  const items = getJSON('/api/v1/item-types', { signal }).then(({ items }) => {
    for (const t of items) {
      for (const s of t.states ?? []) words.states[s.code] ??= s.label;
      for (const tr of t.transitions ?? []) words.steps[tr.code] ??= tr.label;
    }
  }, () => {});
  // … and of the cases about a person (发展党员, 组织关系转接)
  const party = getJSON('/api/v1/party/cases?limit=1', { signal }).then(({ kinds }) => {
    for (const t of kinds) {
      for (const s of t.states) words.states[s.code] ??= s.label;
      for (const tr of t.steps) words.partySteps[tr.code] ??= tr.label;
    }
  }, () => {});
  await Promise.all([items, party]);
  return words;
}

// "登录", "事项：签收办理", or the code itself when nothing names it.
export function actionText(action, words = { steps: {} }) {
  if (AUDIT_ACTIONS[action]) return AUDIT_ACTIONS[action];
  const [subject, step] = action.split('.');
  const label = (subject === 'party_case' ? words.partySteps?.[step] : null) ?? words.steps[step] ?? AUDIT_STEPS[step];
  if (AUDIT_SUBJECTS[subject] && label) return `${AUDIT_SUBJECTS[subject]}：${label}`;
  return action;
}

// What a record concerns: a person by name, a case by its number.
function entityText(record) {
  const [type, id] = (record.entity ?? '').split(/:(.*)/s);
  if (type === 'user') return record.entity_name ? `用户 ${record.entity_name}` : `用户 ${id}`;
  if (type === 'token') return `访问令牌 #${id}`;
  if (type === 'edition') return `区划调整 #${id}`;
  if (type === 'roles') return '角色与权限';
  if (AUDIT_SUBJECTS[type]) return `${AUDIT_SUBJECTS[type]} ${/^\d+$/.test(id) ? `#${id}` : id}`;
  return record.entity || '—';
}

// A unit as people read it: name, code muted (code alone when unnamed).
const unitText = (name, code) => (name
  ? h('span', {}, name, ' ', h('span', { class: 'code muted' }, code))
  : h('span', { class: 'code' }, code));

const UNIT_FIELDS = new Set(['scope', 'owner_unit', 'helper_unit', 'unit', 'escalated_to']);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// One value in words: 是/否, a unit by name, a state by label, a list joined.
function valueText(key, value, words) {
  if (value === null || value === undefined || value === '') return '（无）';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (key === 'password') return '（已设置，只保存指纹）';
  if (key === 'permissions' && Array.isArray(value)) return `${value.length} 项权限`;
  if (key === 'reason' && AUDIT_REASONS[value]) return AUDIT_REASONS[value];
  if (key === 'state' && words.states[value]) return words.states[value];
  if (isObject(value) && 'code' in value && 'name' in value) return unitText(value.name, value.code);
  if (UNIT_FIELDS.has(key) && typeof value === 'string') return unitText(null, value);
  if (Array.isArray(value)) return value.map((v) => (isObject(v) ? JSON.stringify(v) : String(v))).join('、') || '（无）';
  if (isObject(value)) return Object.entries(value).map(([k, v]) => `${AUDIT_FIELDS[k] ?? k}：${isObject(v) ? JSON.stringify(v) : v}`).join('；');
  return String(value);
}

// The changed fields: [{key, label, from, to}] — before and after compared
// field by field; a case's changes {"field": [from, to]} are pairs already.
export function changedFields(before, after) {
  const rows = [];
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const pairs = !isObject(before) && isObject(after)
    && Object.values(after).every((v) => Array.isArray(v) && v.length === 2);
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (pairs) rows.push({ key, from: a[key][0], to: a[key][1] });
    else if (JSON.stringify(b[key]) !== JSON.stringify(a[key])) rows.push({ key, from: b[key], to: a[key] });
  }
  if (!rows.length && before !== null && !isObject(before)) rows.push({ key: '', from: before, to: after });
  // a role reads by its name: its code is left out when the name is there
  const named = rows.some((r) => r.key === 'role_name');
  return rows.filter((r) => !(named && r.key === 'role')).map((r) => ({ ...r, label: AUDIT_FIELDS[r.key] ?? r.key }));
}

// One record: its row, and a details row that 详情 opens.
function recordRows(record, words) {
  const action = actionText(record.action, words);
  const hasDetails = record.before !== null || record.after !== null;
  const detailsId = `audit-${record.seq}`;
  const cell = (label, ...content) => h('td', { 'data-label': label }, ...content);
  let toggle = null;
  let details = null;
  if (hasDetails) {
    toggle = h('button', { type: 'button', class: 'button small', 'aria-expanded': 'false', 'aria-controls': detailsId,
      'aria-label': `详情：${action} ${entityText(record)}` }, '详情');
    const created = record.before === null;
    const rows = changedFields(record.before, record.after);
    details = h('tr', { class: 'audit-details', id: detailsId, hidden: true },
      h('td', { colspan: COLUMNS.length + 1 },
        rows.length ? h('table', { class: 'audit-diff' },
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, '项目'),
            created ? null : h('th', { scope: 'col' }, '修改前'),
            h('th', { scope: 'col' }, created ? '内容' : '修改后'))),
          h('tbody', {}, rows.map((r) => h('tr', {},
            h('th', { scope: 'row' }, r.label),
            created ? null : h('td', {}, valueText(r.key, r.from, words)),
            h('td', {}, valueText(r.key, r.to, words))))))
          : h('p', { class: 'muted' }, '没有字段变化。'),
        h('details', { class: 'audit-raw' },
          h('summary', {}, '原始记录（JSON）'),
          h('div', { class: 'audit-json' },
            jsonBlock('修改前', record.before),
            jsonBlock('修改后', record.after)))));
    toggle.addEventListener('click', () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      toggle.textContent = open ? '收起' : '详情';
      details.hidden = !open;
    });
  }
  const person = record.user_name || record.user;
  return h('tbody', { class: 'audit-record' },
    h('tr', {},
      cell('时间', h('time', { datetime: record.at }, formatTime(record.at))),
      cell('操作人', person ? h('span', { title: `登录名 ${record.user}` }, person) : '—'),
      cell('操作', action),
      cell('对象', entityText(record)),
      cell('单位', record.unit ? unitText(record.unit_name, record.unit) : '—'),
      cell('客户端', orDash(record.client === 'cli' ? '命令行' : record.client)),
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
    value: filters.user, maxlength: 32, autocomplete: 'off', autocapitalize: 'none', placeholder: '操作人的登录名',
  });
  const since = input('since', { type: 'date', value: filters.since });
  const form = h('form', { class: 'card filters', role: 'search', 'aria-label': '筛选操作记录' },
    unitField({ name: 'unit', label: '单位', value: filters.unit, emptyText: '全部', signal }),
    field('操作人', user, { hint: '填写登录名' }),
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
