// dispatch.js — 周交办 ('#/dispatch'): the county or township office issues
// one 交办任务 to many units at once (POST /api/v1/items/batch): a title,
// what is asked, a deadline (by default a week from today), a priority, and
// the units, ticked from the direct children of a parent unit (by default
// the caller's scope). The server checks everything; its refusal shows at
// the field it names, or above the form.
//
// '#/dispatch/ID' (also '#/dispatch?batch=ID') follows a batch: its items
// one row per unit (GET /api/v1/items?batch=ID, every page), each with its
// state, deadline and 超期, and a count of how far they have got, read from
// the type's state machine rather than from fixed state codes.
import { h } from '../ui/dom.js';
import { getJSON, sendJSON, apiUrl } from '../api.js';
import { field, input, select, submitForm, checkRequired, uniqueId } from '../ui/form.js';
import { unitField } from '../ui/unit-field.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { formatTime } from '../labels.js';
import { currentUser } from '../session.js';
import { loadTypes, PRIORITIES, deadlineText, stateTag } from './items/common.js';

const BATCH_MAX = 2000; // units in one batch (the API's limit)
const CHILDREN_PAGE = 1000; // the children API's largest page
const ITEMS_PAGE = 500; // the items API's largest page

export async function render(main, context) {
  const batch = context.params[0] ?? context.query.get('batch');
  if (batch) {
    renderBatch(main, { ...context, batch });
    return;
  }
  renderForm(main, context);
}

// 'YYYY-MM-DD', local time, `days` after today.
export function dateAfter(days, now = new Date()) {
  const t = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
  const p = (n) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())}`;
}

// The direct children of `code`, page after page, at most BATCH_MAX;
// resolves to {units, more} (more: there were others beyond).
async function fetchChildren(code, signal) {
  const units = [];
  let after = null;
  do {
    const page = await getJSON(apiUrl(`/api/v1/units/${encodeURIComponent(code)}/children`,
      { limit: CHILDREN_PAGE, after }), { signal });
    units.push(...page.items);
    after = page.next ?? null;
  } while (after !== null && units.length < BATCH_MAX);
  return { units: units.slice(0, BATCH_MAX), more: after !== null || units.length > BATCH_MAX };
}

function renderForm(main, { signal }) {
  const me = currentUser();
  main.append(h('header', { class: 'card page-header' },
    h('h1', {}, '周交办'),
    h('p', { class: 'muted' }, '把同一项交办任务一次下发给多个单位，各单位签收办理；交办后可查看每个单位的办理进度。')));

  const alertBox = h('div', { class: 'form-alert' });
  const submit = h('button', { type: 'submit', class: 'button primary' }, '交办');
  const picker = unitPicker({ scope: me.scope?.code ?? '', signal });
  const form = h('form', { class: 'card dispatch-form', 'aria-labelledby': 'dispatch-title', novalidate: true },
    h('h2', { id: 'dispatch-title' }, '新的交办任务'),
    alertBox,
    field('任务标题', input('title', { maxlength: 100, autocomplete: 'off' })),
    field('任务要求', h('textarea', { name: 'description', class: 'input', rows: 3, maxlength: 2000 }),
      { hint: '选填：要做什么、做到什么程度' }),
    h('div', { class: 'field-pair' },
      field('期限', input('deadline', { type: 'date', value: dateAfter(7) }), { hint: '默认一周后' }),
      field('优先级', select('priority', PRIORITIES, '2'))),
    picker.node,
    h('div', { class: 'form-actions' }, submit));
  main.append(form);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    await submitForm(form, {
      button: submit,
      alertBox,
      busyText: '正在交办…',
      action: async () => {
        if (!checkRequired(form, [['title', '请填写任务标题']])) return false;
        const value = (name) => form.elements[name].value.trim();
        const body = { type: 'dispatch', title: value('title'), priority: Number(value('priority')), units: picker.selected() };
        for (const name of ['description', 'deadline']) {
          if (value(name)) body[name] = value(name);
        }
        let answer;
        try {
          answer = await sendJSON('POST', '/api/v1/items/batch', body);
        } catch (error) {
          // The checklist has no single control to mark; its error shows under it.
          if (error.field !== 'units') throw error;
          picker.showError(error.message);
          return false;
        }
        if (!signal.aborted) location.hash = `#/dispatch/${answer.batch}`;
        return true;
      },
    });
  });
}

// The units to dispatch to: a parent unit (unit-field.js) and a checklist
// of its direct children with 全选 / 全不选 and the number ticked; choosing
// another parent lists its children.
function unitPicker({ scope, signal }) {
  const parent = unitField({
    name: 'parent', label: '上级单位', value: scope, signal, hint: '交办给它的直接下级单位', onChange: () => load(),
  });
  const parentCode = parent.querySelector('input[name="parent"]');
  const parentBox = parent.querySelector('input[role="combobox"]');
  const list = h('ul', { class: 'unit-choices', hidden: true });
  const status = h('div', { class: 'unit-choices-status' });
  const count = h('p', { class: 'unit-choices-count', 'aria-live': 'polite' });
  const all = h('button', { type: 'button', class: 'button small' }, '全选');
  const none = h('button', { type: 'button', class: 'button small' }, '全不选');
  const error = h('p', { class: 'field-error', id: uniqueId('units-error'), hidden: true });
  const boxes = () => [...list.querySelectorAll('input[type="checkbox"]')];
  let asked = null;

  function updateCount() {
    const total = boxes().length;
    const ticked = boxes().filter((b) => b.checked).length;
    count.textContent = total ? `已选 ${ticked} 个，共 ${total} 个` : '';
    all.disabled = total === 0 || ticked === total;
    none.disabled = ticked === 0;
  }

  function setAll(checked) {
    for (const box of boxes()) box.checked = checked;
    updateCount();
  }

  async function load() {
    const code = parentCode.value;
    asked = code;
    list.replaceChildren();
    list.hidden = true;
    updateCount();
    if (!/^\d{2,18}$/.test(code)) {
      status.replaceChildren(empty('请先选择上级单位。'));
      return;
    }
    status.replaceChildren(loading('正在加载下级单位…'));
    let answer;
    try {
      answer = await fetchChildren(code, signal);
    } catch (failure) {
      if (signal.aborted || asked !== code) return;
      status.replaceChildren(errorAlert(failure.status === 404 ? new Error('未找到此单位，或它不在您的管辖范围内') : failure));
      return;
    }
    if (signal.aborted || asked !== code) return;
    list.replaceChildren(...answer.units.map((u) => h('li', {},
      h('label', { class: 'unit-choice' },
        h('input', { type: 'checkbox', name: 'units', value: u.code }),
        h('span', { class: 'unit-choice-name' }, u.name),
        h('span', { class: 'code' }, u.code)))));
    list.hidden = answer.units.length === 0;
    status.replaceChildren(...(answer.units.length === 0 ? [empty('此单位没有下级单位。')]
      : answer.more ? [h('p', { class: 'muted' }, `下级单位较多，只列出前 ${BATCH_MAX} 个。`)] : []));
    updateCount();
  }

  all.addEventListener('click', () => setAll(true));
  none.addEventListener('click', () => setAll(false));
  list.addEventListener('change', () => {
    error.hidden = true;
    updateCount();
  });
  load();

  const node = h('div', { class: 'unit-picker' },
    parent,
    h('fieldset', { class: 'field', 'data-field': 'units', 'aria-describedby': error.id },
      h('legend', {}, '交办单位'),
      h('div', { class: 'unit-choices-actions' }, all, none, count),
      status,
      list,
      error));
  return {
    node,
    selected: () => boxes().filter((b) => b.checked).map((b) => b.value),
    showError(message) {
      error.textContent = message;
      error.hidden = false;
      (boxes()[0] ?? parentBox).focus();
    },
  };
}

// Every item of the batch inside the caller's scope (at most BATCH_MAX).
async function fetchBatch(batch, signal) {
  const items = [];
  let after = null;
  do {
    const page = await getJSON(apiUrl('/api/v1/items', { batch, limit: ITEMS_PAGE, after }), { signal });
    // people: the display names of the logins in the page (created_by)
    items.push(...page.items.map((item) => ({ ...item, created_by_name: page.people?.[item.created_by] })));
    after = page.next ?? null;
  } while (after !== null && items.length < BATCH_MAX);
  return items;
}

// How far an item has got: 'done' once final or when no step of the
// owner unit (items:handle) leaves its state — it waits only for the
// reviewer —, 'new' in its type's first state (not yet signed for),
// 'doing' otherwise.
export function progressOf(item, types) {
  if (item.final) return 'done';
  const type = types.find((t) => t.code === item.type);
  if (!type) return 'doing';
  if (item.state === type.initial) return 'new';
  const ownStep = type.transitions.some((tr) => tr.perm === 'items:handle' && tr.from.includes(item.state));
  return ownStep ? 'doing' : 'done';
}

export function summaryText(items, types) {
  const n = { done: 0, doing: 0, new: 0 };
  for (const item of items) n[progressOf(item, types)]++;
  const overdue = items.filter((item) => item.overdue).length;
  return `共 ${items.length} 个单位：已办结 ${n.done}，办理中 ${n.doing}，未签收 ${n.new}，超期 ${overdue}`;
}

function renderBatch(main, { batch, signal, setTitle }) {
  const back = h('p', { class: 'back-link' }, h('a', { href: '#/dispatch' }, '‹ 返回周交办'));
  const body = h('div', {}, loading());
  main.append(back, body);

  async function show() {
    let items;
    let types;
    try {
      if (!/^\d{1,18}$/.test(batch)) throw new Error('交办批次的编号应为数字');
      [items, types] = await Promise.all([fetchBatch(batch, signal), loadTypes()]);
    } catch (error) {
      if (signal.aborted) return;
      body.replaceChildren(errorAlert(error));
      return;
    }
    if (signal.aborted) return;
    if (items.length === 0) {
      body.replaceChildren(errorAlert(new Error('没有这个交办批次，或其中的事项都不在您的管辖范围内')));
      return;
    }
    items.sort((a, b) => (a.owner_unit?.code ?? '').localeCompare(b.owner_unit?.code ?? ''));
    const first = items[0];
    setTitle(first.title);
    const refresh = h('button', { type: 'button', class: 'button small' }, '刷新');
    refresh.addEventListener('click', () => {
      refresh.disabled = true;
      show();
    });
    body.replaceChildren(
      h('header', { class: 'card page-header' },
        h('div', { class: 'user-title' },
          h('span', { class: 'tag tag-type' }, first.type_name ?? first.type),
          h('span', { class: 'muted' }, `批次 ${batch}`)),
        h('h1', { class: 'item-heading' }, first.title),
        h('p', { class: 'user-meta' },
          deadlineText({ deadline: first.deadline }),
          first.created_by ? h('span', {}, `交办人 ${first.created_by_name ?? first.created_by}`) : null,
          first.created_at ? h('span', {}, `交办时间 ${formatTime(first.created_at)}`) : null),
        first.description ? h('p', { class: 'batch-description' }, first.description) : null),
      h('section', { class: 'card', 'aria-labelledby': 'batch-progress-title' },
        h('div', { class: 'section-head' },
          h('h2', { id: 'batch-progress-title' }, '办理进度'),
          refresh),
        h('p', { class: 'batch-summary', role: 'status' }, summaryText(items, types)),
        batchTable(items)));
  }

  show();
}

function batchTable(items) {
  return h('div', { class: 'table-scroll' },
    h('table', { class: 'data-table batch-table' },
      h('caption', { class: 'visually-hidden' }, '各单位的办理情况，点击单位名称查看事项'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, '单位'),
        h('th', { scope: 'col' }, '状态'),
        h('th', { scope: 'col' }, '期限'),
        h('th', { scope: 'col' }, '承办人'))),
      h('tbody', {}, items.map((item) => h('tr', { 'data-id': item.id, 'data-unit': item.owner_unit?.code ?? '' },
        h('th', { scope: 'row', class: 'name-cell' },
          h('a', { href: `#/items/${item.id}` }, item.owner_unit?.name ?? `事项 ${item.id}`),
          item.owner_unit ? h('span', { class: 'code' }, item.owner_unit.code) : null),
        h('td', {}, stateTag(item)),
        h('td', {}, deadlineText(item, '')),
        h('td', {}, item.assignee || '—'))))));
}
