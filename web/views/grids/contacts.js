// contacts.js — 包联 ('#/contacts?unit=CODE&period=2026-03'): every contact
// link of a unit (包联领导 ↔ 重点村, “1+1” 结对, 万企兴万村, 党员联户,
// 网格员入户) with its duty's periods in the chosen period counted from the
// visits — done, missed, running — and the overdue list; exported as CSV.
// Nothing here is typed in.
import { h } from '../../ui/dom.js';
import { getJSON, apiUrl } from '../../api.js';
import { loading, errorAlert, empty } from '../../ui/notice.js';
import { field, input } from '../../ui/form.js';
import { currentUser } from '../../session.js';

const STATE = { overdue: '逾期', due: '待走访', done: '已完成', none: '—' };

export async function render(main, { query, signal }) {
  const unit = (query.get('unit') ?? '').trim() || currentUser().scope?.code || '';
  const period = (query.get('period') ?? '').trim() || new Date().toISOString().slice(0, 7);
  const overdue = query.get('overdue') === '1';
  main.append(h('header', { class: 'card page-header' }, h('h1', {}, '包联'),
    h('p', { class: 'muted' }, '联系职责按走访记录自动统计：应走访、已走访和逾期，不用填报。')));
  const form = h('form', { class: 'card form-inline' },
    field('期间', input('period', { value: period, maxlength: 16, placeholder: '2026、2026Q1 或 2026-03' })),
    h('label', { class: 'checkbox' }, h('input', { type: 'checkbox', name: 'overdue', checked: overdue }), ' 只看逾期'),
    h('button', { class: 'button', type: 'submit' }, '查询'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams({ unit, period: form.elements.period.value, overdue: form.elements.overdue.checked ? '1' : '0' });
    location.hash = `#/contacts?${q}`;
  });
  const body = h('section', { class: 'card' }, loading());
  main.append(form, body);
  let answer;
  const params = { unit, period, overdue: overdue ? 1 : 0 };
  try {
    answer = await getJSON(apiUrl('/api/v1/contacts', params), { signal });
  } catch (error) {
    if (!signal.aborted) body.replaceChildren(errorAlert(error));
    return;
  }
  if (signal.aborted) return;
  const t = answer.total;
  body.replaceChildren(
    h('p', {}, `${answer.period}：联系关系 ${t.links} 个，应走访 ${t.due} 期，已走访 ${t.done} 期，逾期 ${t.missed} 期。 `,
      h('a', { href: apiUrl('/api/v1/contacts', { ...params, format: 'csv' }), download: '' }, '导出 CSV')),
    answer.items.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'contacts-table' },
      h('thead', {}, h('tr', {}, ['职责', '联系人', '联系对象', '应走访', '已走访', '逾期', '最近走访', '状态'].map((c) => h('th', {}, c)))),
      h('tbody', {}, answer.items.map((l) => h('tr', { class: l.state === 'overdue' ? 'overdue' : '' },
        h('td', {}, l.duty_name), h('td', {}, l.person.name),
        h('td', {}, l.household ? `${l.unit.name} ${l.household.address}` : [l.unit.name, l.partner].filter(Boolean).join(' · ')),
        h('td', {}, String(l.due)), h('td', {}, String(l.done)), h('td', {}, String(l.missed)),
        h('td', {}, l.last_visit ?? '—'), h('td', {}, STATE[l.state])))))) : empty('没有要列出的联系关系。'));
}
