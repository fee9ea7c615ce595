// items.js — 台账事项 ('#/items?type=…&state=…&overdue=1&unit=…&batch=…'):
// the work items owned inside a unit (by default the caller's scope),
// newest first, page by page, filtered by type, state and overdue (or one
// batch: an imported ledger); 导出 Excel/CSV of the same selection; 新建事项
// in a dialog whose 期限 starts at the type's default deadline; 导入台账
// (items/ledger.js). '#/items/ID' is one item (items/detail.js).
import { h } from '../ui/dom.js';
import { getJSON, sendJSON, apiUrl } from '../api.js';
import { pagedList } from '../ui/paged-list.js';
import { openDialog } from '../ui/dialog.js';
import { field, input, select } from '../ui/form.js';
import { unitField } from '../ui/unit-field.js';
import { loading, errorAlert } from '../ui/notice.js';
import { currentUser, hasPerm } from '../session.js';
import { exportButtons } from '../ui/export-buttons.js';
import { loadTypes, PRIORITIES, stars, deadlineText, stateTag } from './items/common.js';
import { importLedger } from './items/ledger.js';

const PAGE = 50;

// What the last import said, shown once on the page it opens.
let flash = null;

export async function render(main, context) {
  if (context.params.length > 0) {
    const { renderItem } = await import('./items/detail.js');
    if (!context.signal.aborted) renderItem(main, context);
    return;
  }
  const { query, signal } = context;
  const me = currentUser();
  const filters = {
    type: (query.get('type') ?? '').trim(),
    state: (query.get('state') ?? '').trim(),
    overdue: query.get('overdue') === '1',
    unit: (query.get('unit') ?? '').trim(),
    batch: /^\d{1,18}$/.test(query.get('batch') ?? '') ? query.get('batch') : '',
  };
  const create = hasPerm('items:create') ? h('button', { type: 'button', class: 'button primary' }, '新建事项') : null;
  const importButton = hasPerm('items:create') ? h('button', { type: 'button', class: 'button' }, '导入台账') : null;
  const message = flash ? h('p', { class: 'import-ok', role: 'status' }, flash) : null;
  flash = null;
  main.append(h('header', { class: 'card page-header' },
    h('div', { class: 'section-head' }, h('h1', {}, '台账事项'), h('div', { class: 'head-actions' }, importButton, create)),
    message,
    h('p', { class: 'muted' }, '问题清单、交办任务、群众诉求、安全隐患、矛盾纠纷和议事事项，最新的在前；点击标题查看办理过程。')));
  const notice = loading();
  main.append(notice);
  let types;
  try {
    types = await loadTypes();
  } catch (error) {
    if (signal.aborted) return;
    notice.replaceWith(errorAlert(error));
    return;
  }
  if (signal.aborted) return;
  notice.remove();
  create?.addEventListener('click', () => createItem({ types, me, button: create, signal }));
  importButton?.addEventListener('click', () => importLedger({
    types: creatableTypes(types),
    type: filters.type,
    button: importButton,
    signal,
    onImported({ batch, created, type }) {
      flash = `已导入 ${created} 条${types.find((t) => t.code === type)?.name ?? '事项'}，下面是本次导入的事项。`;
      location.hash = `#/items?batch=${batch}`;
    },
  }));

  const filtered = filters.type || filters.state || filters.overdue || filters.unit || filters.batch;
  const selection = { type: filters.type, state: filters.state, overdue: filters.overdue ? 1 : null, unit: filters.unit, batch: filters.batch };
  main.append(
    filterForm({ filters, types, scope: me.scope?.code ?? '', signal }),
    h('section', { class: 'card', 'aria-labelledby': 'list-title' },
      h('div', { class: 'section-head' },
        h('h2', { id: 'list-title' }, filters.batch ? '本批事项' : filtered ? '符合条件的事项' : '全部事项'),
        filtered ? h('a', { href: '#/items' }, '清除筛选') : null),
      // The same selection as a ledger (台账) for Excel.
      exportButtons({ path: '/api/v1/items/export', params: selection, name: '台账事项', signal }),
      pagedList({
        fetchPage: (after) => getJSON(apiUrl('/api/v1/items', { ...selection, limit: PAGE, after }), { signal }),
        renderItem: itemRow,
        emptyText: filtered ? '没有符合条件的事项。' : '暂无事项。',
        signal,
        list: h('ul', { class: 'unit-list item-list' }),
      })));
}

// One item: type, title (opening it), owner unit, state, deadline, rating.
function itemRow(item) {
  return h('li', { class: 'item-row', 'data-id': item.id },
    h('div', { class: 'user-title' },
      h('span', { class: 'tag tag-type' }, item.type_name ?? item.type),
      h('a', { class: 'item-title', href: `#/items/${item.id}` }, item.title),
      stateTag(item)),
    h('p', { class: 'user-meta' },
      h('span', {}, item.owner_unit?.name ?? ''),
      deadlineText(item),
      item.rating !== null && item.rating !== undefined ? h('span', {}, '评价 ', stars(item.rating)) : null));
}

function stateOptions(type) {
  return [{ value: '', label: '全部状态' }, ...(type?.states ?? []).map((s) => ({ value: s.code, label: s.label }))];
}

function filterForm({ filters, types, scope, signal }) {
  const typeSelect = select('type', [{ value: '', label: '全部类型' }, ...types.map((t) => ({ value: t.code, label: t.name }))], filters.type);
  const stateSelect = select('state', stateOptions(types.find((t) => t.code === filters.type)), filters.state);
  stateSelect.disabled = !filters.type;
  typeSelect.addEventListener('change', () => {
    stateSelect.replaceChildren(...stateOptions(types.find((t) => t.code === typeSelect.value))
      .map((o) => h('option', { value: o.value }, o.label)));
    stateSelect.disabled = !typeSelect.value;
  });
  const overdue = h('input', { type: 'checkbox', name: 'overdue', checked: filters.overdue });
  const form = h('form', { class: 'card filters', role: 'search', 'aria-label': '筛选事项', novalidate: true },
    field('类型', typeSelect),
    field('状态', stateSelect, { hint: '先选类型' }),
    unitField({ name: 'unit', label: '单位', value: filters.unit || scope, signal, emptyText: '全部' }),
    h('div', { class: 'field check-field', 'data-field': 'overdue' }, h('label', {}, overdue, '只看超期')),
    h('div', { class: 'filters-submit' }, h('button', { type: 'submit', class: 'button primary' }, '筛选')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    if (typeSelect.value) params.set('type', typeSelect.value);
    if (typeSelect.value && stateSelect.value) params.set('state', stateSelect.value);
    if (overdue.checked) params.set('overdue', '1');
    const unit = form.elements.unit.value.trim();
    if (unit && unit !== scope) params.set('unit', unit);
    const text = params.toString();
    location.hash = text ? `#/items?${text}` : '#/items';
  });
  return form;
}

// The category of a type: its list when it has one, else free text.
function categoryField(type) {
  const control = type?.categories?.length
    ? select('category', [{ value: '', label: '请选择' }, ...type.categories.map((c) => ({ value: c, label: c }))], '')
    : input('category', { maxlength: 32, autocomplete: 'off' });
  return field('类别', control, { hint: type?.categories?.length ? null : '选填' });
}

// The types this reader may create: 交办任务 needs items:dispatch; a type
// residents file (群众诉求, create_perm "public") is open to staff too.
const creatableTypes = (types) => types.filter((t) => t.code !== 'dispatch' || hasPerm('items:dispatch'));

// "默认 30 天" for a type with a default deadline (kinds' deadline_days).
const deadlineHint = (type) => (type?.default_deadline
  ? `默认 ${type.deadline_days} 天（${type.default_deadline}），可修改`
  : '此类型没有默认期限，可不填');

// 新建事项: the server checks everything and names the field it refuses.
function createItem({ types, me, button, signal }) {
  const creatable = creatableTypes(types);
  const typeSelect = select('type', creatable.map((t) => ({ value: t.code, label: t.name })), creatable[0]?.code);
  let category = categoryField(creatable[0]);
  // 期限 starts at the type's default and follows the type until the
  // reader sets a date of their own.
  const deadline = input('deadline', { type: 'date', value: creatable[0]?.default_deadline ?? '' });
  const deadlineField = field('期限', deadline, { hint: deadlineHint(creatable[0]) });
  let ownDeadline = false;
  deadline.addEventListener('input', () => { ownDeadline = true; });
  typeSelect.addEventListener('change', () => {
    const type = creatable.find((t) => t.code === typeSelect.value);
    const next = categoryField(type);
    category.replaceWith(next);
    category = next;
    if (!ownDeadline) deadline.value = type?.default_deadline ?? '';
    deadlineField.querySelector('.field-hint').textContent = deadlineHint(type);
  });
  const immediate = h('input', { type: 'checkbox', name: 'immediate' });
  openDialog({
    title: '新建事项',
    fields: [
      field('类型', typeSelect),
      field('标题', input('title', { maxlength: 100, autocomplete: 'off' })),
      unitField({ name: 'unit', label: '单位', value: me.scope?.code ?? '', signal }),
      category,
      h('div', { class: 'field-pair' },
        deadlineField,
        field('优先级', select('priority', PRIORITIES, '2'))),
      field('整改措施', h('textarea', { name: 'measures', class: 'input', rows: 2, maxlength: 1000 })),
      field('描述', h('textarea', { name: 'description', class: 'input', rows: 3, maxlength: 2000 })),
      h('div', { class: 'field check-field', 'data-field': 'immediate' }, h('label', {}, immediate, '立行立改')),
    ],
    submitText: '创建',
    busyText: '正在创建…',
    required: [['title', '请填写标题']],
    returnFocus: () => button,
    signal,
    async onSubmit(form) {
      const value = (name) => form.elements[name].value.trim();
      const body = { type: typeSelect.value, title: value('title'), priority: Number(value('priority')), immediate: immediate.checked };
      for (const name of ['unit', 'category', 'deadline', 'measures', 'description']) {
        if (value(name)) body[name] = value(name);
      }
      const created = await sendJSON('POST', '/api/v1/items', body);
      location.hash = `#/items/${created.id}`;
    },
  });
}
