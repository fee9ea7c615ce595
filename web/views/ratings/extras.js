// extras.js — the lower parts of a unit's "五星"支部创建 page:
// - 异议: the objections recorded during the public notice (公示), 登记异议
//   for ratings:review while 公示中, 处理 (resolution, 异议成立) for
//   ratings:approve;
// - 创建清单: the creation checklist's work items (GET /api/v1/items?batch=,
//   every page) with how many are done, each opening its item;
// - 创建过程: the timeline (ui/timeline.js), naming the scheme's stars and
//   items, adjustments with their old and new values.
import { h } from '../../ui/dom.js';
import { getJSON, sendJSON, apiUrl } from '../../api.js';
import { openDialog } from '../../ui/dialog.js';
import { field, submitForm } from '../../ui/form.js';
import { loading, errorAlert, empty } from '../../ui/notice.js';
import { timelineSection as caseTimeline } from '../../ui/timeline.js';
import { formatTime } from '../../labels.js';
import { hasPerm } from '../../session.js';
import { deadlineText, stateTag } from '../items/common.js';

const ITEMS_PAGE = 500;

export function objectionsSection({ rating, page, signal }) {
  const r = rating.rating;
  const list = rating.objections ?? [];
  const open = Boolean(r?.notice);
  if (!open && list.length === 0) return null;
  const items = list.map((o) => {
    const resolve = !o.resolved_at && hasPerm('ratings:approve')
      ? h('button', { type: 'button', class: 'button small', 'data-resolve': o.id }, '处理') : null;
    resolve?.addEventListener('click', () => resolveDialog(o, resolve));
    return h('li', { class: 'objection', 'data-id': o.id },
      h('div', { class: 'user-title' },
        h('span', { class: o.resolved_at ? 'tag tag-final' : 'tag' }, o.resolved_at ? (o.upheld ? '异议成立' : '异议不成立') : '待处理'),
        h('span', { class: 'muted' }, `${o.recorded_by ?? ''} 登记于 ${formatTime(o.recorded_at)}`)),
      h('p', { class: 'objection-text' }, o.text),
      o.resolved_at ? h('p', { class: 'objection-resolution' }, `处理结果：${o.resolution ?? ''}`,
        h('span', { class: 'muted' }, `（${formatTime(o.resolved_at)}）`)) : null,
      resolve);
  });

  function resolveDialog(objection, button) {
    const upheld = h('input', { type: 'checkbox', name: 'upheld' });
    openDialog({
      title: '处理异议',
      intro: objection.text,
      fields: [
        field('处理结果', h('textarea', { name: 'resolution', class: 'input', rows: 3, maxlength: 2000 })),
        h('div', { class: 'field check-field', 'data-field': 'upheld' }, h('label', {}, upheld, '异议成立（随后退回修改）')),
      ],
      required: [['resolution', '请填写处理结果']],
      submitText: '确认处理',
      busyText: '正在提交…',
      returnFocus: () => document.querySelector('#objections-title') ?? button,
      signal,
      async onSubmit(form) {
        const answer = await sendJSON('POST', page.at(`/objections/${encodeURIComponent(objection.id)}/resolution`),
          { resolution: form.elements.resolution.value.trim(), upheld: upheld.checked });
        if (signal.aborted) return;
        page.show(answer, { message: upheld.checked ? '已处理异议：异议成立，请退回修改' : '已处理异议', focus: '#objections-title' });
      },
    });
  }

  return h('section', { class: 'card', 'aria-labelledby': 'objections-title' },
    h('h2', { id: 'objections-title', tabindex: '-1' }, '异议'),
    open ? h('p', { class: 'muted' }, `公示期至 ${r.notice_until ?? ''}；公示期间收到的异议在此登记，处理完毕后方可命名。`) : null,
    list.length ? h('ul', { class: 'objection-list' }, items) : empty('公示期间尚未收到异议。'),
    open && hasPerm('ratings:review') ? objectionForm(page, signal) : null);
}

// 登记异议: the text of an objection received.
function objectionForm(page, signal) {
  const alertBox = h('div', {});
  const text = h('textarea', { name: 'text', class: 'input', rows: 3, maxlength: 2000 });
  const submit = h('button', { type: 'submit', class: 'button' }, '登记异议');
  const form = h('form', { class: 'objection-form', novalidate: true, 'aria-label': '登记异议' },
    alertBox,
    field('异议内容', text, { hint: '记录反映人反映的问题（不记录反映人的个人信息）' }),
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await submitForm(form, {
      button: submit,
      alertBox,
      busyText: '正在登记…',
      action: async () => {
        if (!text.value.trim()) throw Object.assign(new Error('请填写异议内容'), { field: 'text' });
        const answer = await sendJSON('POST', page.at('/objections'), { text: text.value.trim() });
        if (signal.aborted) return false;
        page.show(answer, { message: '已登记异议', focus: '#objections-title' });
        return true;
      },
    });
  });
  return form;
}

// Every item of the batch inside the caller's scope.
async function fetchBatch(batch, signal) {
  const items = [];
  let after = null;
  do {
    const page = await getJSON(apiUrl('/api/v1/items', { batch, limit: ITEMS_PAGE, after }), { signal });
    items.push(...page.items);
    after = page.next ?? null;
  } while (after !== null);
  return items;
}

export function checklistSection(batch, signal) {
  const summary = h('p', { class: 'checklist-summary', role: 'status' });
  const body = h('div', {}, loading());
  fetchBatch(batch, signal).then((items) => {
    if (signal.aborted) return;
    const done = items.filter((item) => item.final).length;
    summary.textContent = `共 ${items.length} 项，已完成 ${done} 项`;
    body.replaceChildren(items.length === 0 ? empty('清单中没有事项。') : h('ul', { class: 'unit-list item-list checklist-items' },
      items.map((item) => h('li', { class: 'item-row', 'data-id': item.id },
        h('div', { class: 'user-title' },
          item.category ? h('span', { class: 'tag tag-type' }, item.category) : null,
          h('a', { class: 'item-title', href: `#/items/${item.id}` }, item.title),
          stateTag(item)),
        h('p', { class: 'user-meta' },
          item.assignee ? h('span', {}, `责任人 ${item.assignee}`) : null,
          item.helper_unit ? h('span', {}, `帮扶单位 ${item.helper_unit.name}`) : null,
          deadlineText(item))))));
  }, (error) => {
    if (signal.aborted) return;
    body.replaceChildren(errorAlert(error));
  });
  return h('section', { class: 'card', 'aria-labelledby': 'checklist-title' },
    h('div', { class: 'section-head' },
      h('h2', { id: 'checklist-title', tabindex: '-1' }, '创建清单'),
      h('a', { href: `#/items?${new URLSearchParams({ type: 'problem' })}` }, '全部问题清单')),
    h('p', { class: 'muted' }, '对照考评细则列出的创建工作，完成一项销号一项。'),
    summary,
    body);
}

// The timeline, the scheme's stars and items named in what events changed.
export function timelineSection(rating, scheme) {
  const names = {};
  for (const star of scheme.categories) {
    names[star.code] = star.name;
    for (const item of [...star.indicators, ...(star.vetoes ?? [])]) names[item.code] = item.name;
  }
  return caseTimeline(rating.timeline, { title: '创建过程', names, emptyText: '尚无记录。' });
}
