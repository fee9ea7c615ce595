// contacts.js — 包联 ('#/contacts?unit=CODE&period=2026-03'): every contact
// link of a unit (包联领导 ↔ 重点村, “1+1” 结对, 万企兴万村, 党员联户,
// 网格员入户) with its duty's periods in the chosen period counted from the
// visits — done, missed, running — and the overdue list; exported as CSV.
// Nothing of that is typed in. Below, the 万企兴万村 pairs with what each
// did in the period's year (projects, jobs, purchases and donations in
// 万元), recorded here per pair and year and rolled up as wqxwc.* data.
import { h } from '../../ui/dom.js';
import { getJSON, sendJSON, apiUrl } from '../../api.js';
import { loading, errorAlert, empty } from '../../ui/notice.js';
import { field, input } from '../../ui/form.js';
import { currentUser, hasPerm } from '../../session.js';

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
  const pairs = h('section', { class: 'card', 'aria-labelledby': 'pairs-title' }, h('h2', { id: 'pairs-title' }, '万企兴万村'), loading());
  main.append(form, body, pairs);
  renderPairs(pairs, unit, Number(period.slice(0, 4)) || new Date().getFullYear(), signal);
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
        h('td', {}, l.household ? `${l.unit.name} ${l.household.address}` : l.mentee ? l.mentee.name : [l.unit.name, l.partner].filter(Boolean).join(' · ')),
        h('td', {}, String(l.due)), h('td', {}, String(l.done)), h('td', {}, String(l.missed)),
        h('td', {}, l.last_visit ?? '—'), h('td', {}, STATE[l.state])))))) : empty('没有要列出的联系关系。'));
}

const NUMBERS = [['projects', '项目（个）', 1], ['jobs', '带动就业（人）', 1], ['purchases', '采购（万元）', 0.01], ['donations', '捐赠（万元）', 0.01]];

async function renderPairs(box, unit, year, signal) {
  let answer;
  try {
    answer = await getJSON(apiUrl('/api/v1/contacts/pairs', { unit, year }), { signal });
  } catch (error) {
    if (!signal.aborted) box.replaceChildren(box.firstChild, errorAlert(error));
    return;
  }
  if (signal.aborted) return;
  const t = answer.total;
  const canWrite = hasPerm('persons:write');
  box.replaceChildren(box.firstChild,
    h('p', {}, `${answer.year} 年：结对 ${t.pairs} 个，项目 ${t.projects} 个，带动就业 ${t.jobs} 人，采购 ${t.purchases} 万元，捐赠 ${t.donations} 万元。`),
    answer.items.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'pairs-table' },
      h('thead', {}, h('tr', {}, ['企业', '结对村', '联络人', ...NUMBERS.map((n) => n[1]), '说明', ''].map((c) => h('th', {}, c)))),
      h('tbody', {}, answer.items.map((p) => pairRow(p, answer.year, canWrite, signal))))) : empty('这里没有万企兴万村结对。'));
}

function pairRow(p, year, canWrite, signal) {
  const cells = NUMBERS.map(([key, label, step]) => h('td', {}, canWrite
    ? h('input', { type: 'number', name: key, min: '0', step: String(step), value: String(p[key]), 'aria-label': label, class: 'narrow' })
    : String(p[key])));
  const notes = h('td', {}, canWrite ? h('input', { name: 'notes', maxlength: 500, value: p.notes, 'aria-label': '说明' }) : p.notes);
  const status = h('span', { class: 'muted', role: 'status' }, p.updated_at ? '' : '未记录');
  const save = canWrite ? h('button', { class: 'button small', type: 'button' }, '保存') : null;
  const row = h('tr', { 'data-pair': String(p.id) }, h('td', {}, p.partner || '—'), h('td', {}, p.unit.name), h('td', {}, p.person.name),
    ...cells, notes, h('td', {}, save, ' ', status));
  save?.addEventListener('click', async () => {
    row.querySelector('.alert')?.remove();
    const body = { year, notes: row.querySelector('input[name=notes]').value };
    for (const [key] of NUMBERS) body[key] = Number(row.querySelector(`input[name=${key}]`).value || 0);
    try {
      await sendJSON('POST', `/api/v1/contacts/${p.id}/records`, body, { signal });
      status.textContent = '已保存';
    } catch (error) {
      status.textContent = '';
      row.lastChild.append(errorAlert(error));
    }
  });
  return row;
}
