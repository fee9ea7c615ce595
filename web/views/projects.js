// projects.js — 重点项目. '#/projects?unit=&month=': the county roll-up
// (projects, total investment, the month's, year to date, % of the year's
// plan and of the total) and the register, with the monthly ledger as
// Excel; '#/projects/ID': a project's months and milestones (倒排工期, with
// 临期 / 逾期 alerts and the problem case a late one opened), where the
// month's report and a milestone's completion are entered. Every figure but
// the month's investment is computed by the server. 导入 takes the register
// from an Excel 台账 (POST /api/v1/projects/import, all rows or none).
import { h } from '../ui/dom.js';
import { getJSON, sendJSON, apiUrl, getFile } from '../api.js';
import { field, input, submitForm } from '../ui/form.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { saveFile } from '../ui/save-file.js';
import { hasPerm, currentUser } from '../session.js';
import { importButton, templateButton } from '../ui/sheet-import.js';

const TEMPLATE = { path: '/api/v1/projects/import/template', name: '重点项目台账导入模板.xlsx' };
// The register's columns as docs/api.md lists them.
const COLUMNS = [
  ['项目名称', '必填；同一建设地点的项目不能重名'],
  ['建设地点、责任单位', '必填，写单位名称（如 舞泉镇、舞阳县住建局）；重名时写出上级，如 舞泉镇/大杨庄村村民委员会'],
  ['项目性质', '必填，写性质名称，如 产业发展、基础设施'],
  ['县级包联领导', '选填，写人员库中的姓名；重名时在“领导身份证号”一列写明'],
  ['总投资（万元）', '必填，大于 0'],
  ['开工日期、计划竣工日期', '必填，如 2026-03-01'],
  ['年度、年度计划投资（万元）', '选填，两列同填；年度在建设期内，计划不超过总投资'],
  ['建设规模', '选填'],
];

const wan = (v) => (v >= 10000 ? `${(v / 10000).toFixed(2)} 亿元` : `${v.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 万元`);
const pct = (v) => (v === null || v === undefined ? '—' : `${v.toFixed(1)}%`);
const thisMonth = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 7);
const ALERT = { late: ['逾期', 'tag danger'], due_soon: ['临期', 'tag warning'], done: ['已完成', 'tag ok'], '': ['未到期', 'tag'] };

function figures(t) {
  const cell = (label, value) => h('div', { class: 'figure' }, h('span', { class: 'muted' }, label), h('strong', {}, value));
  return h('div', { class: 'figures' },
    t.projects !== undefined ? cell('项目', `${t.projects} 个`) : null,
    cell('总投资', wan(t.total_wan)), cell('年度计划', wan(t.plan_wan)), cell('本月完成', wan(t.month_wan)),
    cell('年累计', wan(t.ytd_wan)), cell('占年度计划', pct(t.plan_pct)), cell('累计完成', wan(t.done_wan)),
    cell('占总投资', pct(t.total_pct)));
}

async function renderList(main, { query, signal }) {
  const unit = query.get('unit') || '';
  const month = query.get('month') || thisMonth();
  const write = hasPerm('data:write');
  const r = await getJSON(apiUrl('/api/v1/projects', { unit, month }), { signal });
  const monthForm = h('form', { class: 'card filters', 'aria-label': '月份' },
    field('月份', input('month', { value: month, type: 'month' })),
    h('button', { type: 'submit', class: 'button' }, '查看'),
    h('button', { type: 'button', class: 'button', 'data-action': 'ledger' }, '导出月报台账（Excel）'));
  monthForm.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/projects?${new URLSearchParams({ ...(unit ? { unit } : {}), month: monthForm.elements.month.value })}`;
  });
  monthForm.querySelector('[data-action=ledger]').addEventListener('click', async () => {
    try {
      const file = await getFile(apiUrl('/api/v1/projects/ledger', { unit, month }));
      saveFile(file.blob, file.filename ?? `重点项目月报-${month}.xlsx`);
    } catch (error) { monthForm.append(errorAlert(error)); }
  });
  const table = r.items.length
    ? h('div', { class: 'table-scroll' }, h('table', { class: 'table projects' },
      h('thead', {}, h('tr', {}, ...['项目名称', '所在地', '性质', '责任单位', '总投资', '本月', '年累计', '占年度计划', '占总投资']
        .map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...r.items.map((p) => h('tr', { 'data-project': p.id },
        h('th', { scope: 'row' }, h('a', { href: `#/projects/${p.id}?month=${month}` }, p.name)),
        h('td', {}, p.unit.name), h('td', {}, p.nature_name), h('td', {}, p.owner_unit.name),
        h('td', { class: 'num' }, wan(p.total_wan)), h('td', { class: 'num' }, wan(p.month_wan)),
        h('td', { class: 'num' }, wan(p.ytd_wan)), h('td', { class: 'num' }, pct(p.plan_pct)),
        h('td', { class: 'num' }, pct(p.total_pct)))))))
    : empty('这里还没有登记重点项目。');
  const status = h('div', { class: 'import-result', 'aria-live': 'polite' });
  const actions = write ? h('div', { class: 'ledger-actions' },
    importButton({
      label: '导入',
      title: '导入重点项目台账',
      intro: '把 Excel 重点项目台账一次导入：每行一个项目，单位写名称。',
      path: '/api/v1/projects/import',
      unit: unit || currentUser()?.scope?.code || '',
      columns: COLUMNS,
      template: TEMPLATE,
      status,
      signal,
      summary: (a) => `新登记重点项目 ${a.projects_added} 个。`,
      onImported: () => { main.replaceChildren(); renderList(main, { query, signal }).then(() => main.querySelector('.import-result')?.replaceWith(status)).catch((e) => main.append(errorAlert(e))); },
    }),
    templateButton({ ...TEMPLATE, signal })) : null;
  main.append(monthForm,
    h('section', { class: 'card' }, h('h2', {}, `重点项目汇总（${r.month}）`), figures(r.total)),
    h('section', { class: 'card' }, h('h2', {}, '项目台账'), actions, status, table));
}

function reportForm(id, onSaved) {
  const alertBox = h('div');
  const button = h('button', { type: 'submit', class: 'button primary' }, '报送月报');
  const form = h('form', { class: 'card', 'aria-label': '报送月报' }, h('h2', {}, '报送月报'),
    field('月份', input('month', { value: thisMonth(), type: 'month', required: '' })),
    field('本月完成投资（万元）', input('invested_wan', { inputmode: 'decimal', required: '' })),
    field('形象进度', input('progress', { maxlength: 500 })), alertBox, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const ok = await submitForm(form, {
      button, alertBox, busyText: '正在报送…',
      action: () => sendJSON('POST', `/api/v1/projects/${id}/reports`, {
        month: form.elements.month.value, invested_wan: Number(form.elements.invested_wan.value), progress: form.elements.progress.value,
      }),
    });
    if (ok) onSaved();
  });
  return form;
}

async function renderOne(main, { params, query, signal, setTitle }) {
  const id = params[0];
  const month = query.get('month') || thisMonth();
  const r = await getJSON(apiUrl(`/api/v1/projects/${id}`, { month }), { signal });
  const p = r.project;
  setTitle?.(p.name);
  const reload = () => { main.replaceChildren(); renderOne(main, { params, query, signal, setTitle }).catch((e) => main.append(errorAlert(e))); };
  const write = hasPerm('data:write');
  const milestones = r.milestones.length
    ? h('ul', { class: 'unit-list milestones' }, ...r.milestones.map((m) => {
      const [label, cls] = ALERT[m.alert];
      const done = h('button', { type: 'button', class: 'button small' }, '标记完成');
      done.addEventListener('click', async () => {
        try { await sendJSON('POST', `/api/v1/projects/${id}/milestones/${m.id}/done`, { done_on: new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }) }); reload(); }
        catch (error) { done.after(errorAlert(error)); }
      });
      return h('li', { 'data-alert': m.alert },
        h('strong', {}, m.name), ' ', h('span', { class: cls }, label), ' ',
        h('span', { class: 'muted' }, `计划 ${m.planned_on}${m.done_on ? `，实际 ${m.done_on}` : ''}`), ' ',
        m.case_id ? h('a', { href: `#/items/${m.case_id}` }, '查看问题清单') : null,
        write && !m.done_on ? done : null);
    }))
    : empty('还没有工期节点。');
  const months = r.months.length
    ? h('div', { class: 'table-scroll' }, h('table', { class: 'table project-months' },
      h('thead', {}, h('tr', {}, ...['月份', '本月完成', '年累计', '占年度计划', '累计完成', '占总投资', '形象进度'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...r.months.map((m) => h('tr', {}, h('th', { scope: 'row' }, m.month),
        h('td', { class: 'num' }, wan(m.invested_wan)), h('td', { class: 'num' }, wan(m.ytd_wan)),
        h('td', { class: 'num' }, pct(m.plan_pct)), h('td', { class: 'num' }, wan(m.done_wan)),
        h('td', { class: 'num' }, pct(m.total_pct)), h('td', {}, m.progress))))))
    : empty('还没有月报。');
  main.append(
    h('p', {}, h('a', { href: '#/projects' }, '← 重点项目')),
    h('section', { class: 'card' }, h('h2', {}, p.name),
      h('p', { class: 'muted' }, `${p.nature_name} · ${p.unit.name} · 责任单位 ${p.owner_unit.name}${p.leader ? ` · 包联县级领导 ${p.leader.name}` : ''} · ${p.starts_on} 至 ${p.ends_on}`),
      p.scale ? h('p', {}, `建设规模：${p.scale}`) : null, figures(p)),
    h('section', { class: 'card' }, h('h2', {}, `工期节点（逾期 ${r.late}，临期 ${r.due_soon}）`), milestones),
    h('section', { class: 'card' }, h('h2', {}, '月报'), months),
    write ? reportForm(id, reload) : null);
}

export async function render(main, context) {
  main.append(loading());
  try {
    const box = h('div', { class: 'projects-page' });
    if (context.params?.[0]) await renderOne(box, context);
    else await renderList(box, context);
    main.replaceChildren(box);
  } catch (error) {
    if (!context.signal.aborted) main.replaceChildren(errorAlert(error));
  }
}
