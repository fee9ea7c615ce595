// health-followups.js — 健康服务 › 随访 ('#/health?tab=followups&unit='):
// compliance with the follow-up duties of data/health.json (e.g. 高血压、
// 2型糖尿病患者每季度面对面随访1次) counted from the recorded follow-ups
// (GET /api/v1/health/followups), the due-visit list (overdue first) with
// a 记录随访 dialog per resident, and the list as an Excel file.
import { h } from '../ui/dom.js';
import { getJSON, sendJSON, apiUrl, getFile } from '../api.js';
import { errorAlert, empty } from '../ui/notice.js';
import { field, input, select } from '../ui/form.js';
import { openDialog } from '../ui/dialog.js';
import { formatCount } from '../labels.js';
import { hasPerm } from '../session.js';
import { saveFile } from '../ui/save-file.js';

const pct = (r) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`);
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10); // China time

export function loadFollowups(unit, signal) {
  return getJSON(apiUrl('/api/v1/health/followups', unit ? { unit } : {}), { signal });
}

function followupDialog({ person, methods, returnFocus, signal, done }) {
  openDialog({
    title: `记录随访：${person.name}`,
    intro: `${person.unit_name}，${person.groups}`,
    fields: [
      field('随访日期', input('day', { type: 'date', value: today() })),
      field('随访方式', select('method', methods.map((m) => ({ value: m.code, label: m.name })), methods[0]?.code)),
      field('随访医生', input('doctor', { maxlength: 20, placeholder: '医生姓名', autocomplete: 'name' })),
      field('随访情况', h('textarea', { name: 'note', class: 'input', rows: 3, maxlength: 200, placeholder: '如 血压 135/85，规律服药' }),
        { hint: '不要写身份证号或手机号' }),
    ],
    required: [['day', '请填写随访日期'], ['doctor', '请填写随访医生']],
    submitText: '保存',
    busyText: '正在保存…',
    returnFocus,
    signal,
    onSubmit: async (form) => {
      await sendJSON('POST', `/api/v1/persons/${encodeURIComponent(person.person)}/health/followups`, {
        day: form.elements.day.value, method: form.elements.method.value,
        doctor: form.elements.doctor.value.trim(), note: form.elements.note.value.trim(),
      });
      done();
    },
  });
}

function figure(label, value, note, key) {
  return h('li', { class: 'rating-figure', 'data-figure': key },
    h('span', { class: 'rating-figure-value' }, value),
    h('span', { class: 'rating-figure-label' }, label),
    h('span', { class: 'stats-figure-note' }, note));
}

export function followups(r, ctx) {
  const write = hasPerm('persons:write');
  const exportButton = h('button', { type: 'button', class: 'button small', 'data-action': 'export-followups' }, '导出待随访名单（Excel）');
  const section = h('section', { class: 'card', 'aria-labelledby': 'due-title' });
  exportButton.addEventListener('click', async () => {
    try {
      const file = await getFile(apiUrl('/api/v1/health/followups', { ...(ctx.unit ? { unit: ctx.unit } : {}), format: 'xlsx' }));
      saveFile(file.blob, file.filename ?? `待随访名单-${r.on}.xlsx`);
    } catch (error) { section.append(errorAlert(error)); }
  });
  const row = (p) => {
    const b = write ? h('button', { type: 'button', class: 'button small', 'data-action': 'followup' }, '记录随访') : null;
    b?.addEventListener('click', () => followupDialog({ ...ctx, person: p, methods: r.methods, returnFocus: () => b }));
    return h('tr', { 'data-person': String(p.person) },
      h('td', {}, h('a', { href: `#/persons/${p.person}` }, p.name)), h('td', {}, p.unit_name), h('td', {}, p.groups),
      h('td', {}, `${formatCount(p.done)} / ${formatCount(p.due)}`),
      h('td', {}, formatCount(p.missed)),
      h('td', {}, p.current_done ? '已随访' : '待随访'), h('td', {}, p.last ?? '本年无'),
      write ? h('td', {}, b) : null);
  };
  // Node.append writes a null as the text "null": only the parts shown
  section.append(...[
    h('h2', { id: 'due-title' }, `待随访名单（${formatCount(r.listed_total)} 人）`),
    h('div', { class: 'export-buttons' }, exportButton),
    r.items.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'data-table', 'data-table': 'followups' },
      h('thead', {}, h('tr', {}, ...['居民', '村（社区）', '重点人群', '已随访 / 应随访', '逾期季度', '本季度', '最近随访'].map((t) => h('th', { scope: 'col' }, t)),
        write ? h('th', { scope: 'col' }, '操作') : null)),
      h('tbody', {}, r.items.map(row))))
      : empty('没有逾期或本季度待随访的居民。'),
    r.listed_total > r.items.length ? h('p', { class: 'muted' }, `仅显示前 ${r.items.length} 人；完整名单请导出。`) : null,
  ].filter(Boolean));
  return [
    h('section', { class: 'card', 'aria-labelledby': 'fu-title' },
      h('h2', { id: 'fu-title' }, '重点人群随访'),
      h('p', { class: 'muted' }, `${r.from} 至 ${r.on}；按季度统计，由随访记录计算，不填报。`),
      h('ul', { class: 'rating-figures stats-figures' },
        figure('需随访的居民', formatCount(r.people), '按健康标签和年龄认定', 'people'),
        figure('应随访（季度）', formatCount(r.due), '已结束或已完成的季度', 'due'),
        figure('已随访', formatCount(r.done), `完成率 ${pct(r.rate)}`, 'done'),
        figure('逾期', formatCount(r.missed), '已结束而没有随访的季度', 'missed')),
      h('ul', { class: 'plain-list muted', 'data-list': 'duties' }, r.duties.map((d) => h('li', {}, `${d.name}（${d.source}）`)))),
    section,
  ];
}
