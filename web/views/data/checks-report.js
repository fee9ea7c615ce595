// checks-report.js — 数据校验 ('#/entry/checks?unit=CODE&period=2026'): every
// validation rule of the period's type checked over the unit's subtree
// (GET /api/v1/validation), the broken ones listed by unit with the rule's
// message and both sides' figures, each unit a link to its figures in
// 数据填报; the rules themselves (GET /api/v1/rules) below.
import { h } from '../../ui/dom.js';
import { getJSON, apiUrl } from '../../api.js';
import { loading, errorAlert, empty } from '../../ui/notice.js';
import { unitField } from '../../ui/unit-field.js';
import { currentUser } from '../../session.js';
import { formatCount } from '../../labels.js';
import { parsePeriod, periodString, periodText, thisYear } from './period.js';
import { periodTypeLabel, shortName } from './labels.js';
import { periodField } from './period-field.js';

const SEVERITY = { error: '错误', warning: '警告' };

const checksHref = (unit, period) => `#/entry/checks?${new URLSearchParams({ unit, period })}`;
// The unit's own figures in 数据填报 for that period.
const gridHref = (unit, period) => `#/entry?${new URLSearchParams({ unit, period })}`;
const figure = (v) => (v === null ? '空' : v.toLocaleString('zh-CN', { maximumFractionDigits: 6 }));

function reportTable(items, period) {
  return h('div', { class: 'table-scroll' },
    h('table', { class: 'data-table checks-table' },
      h('caption', { class: 'visually-hidden' }, '违反校验规则的数据，按单位排列'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, '单位'),
        h('th', { scope: 'col' }, '级别'),
        h('th', { scope: 'col' }, '校验规则'),
        h('th', { scope: 'col', class: 'number' }, '左边'),
        h('th', { scope: 'col' }, ''),
        h('th', { scope: 'col', class: 'number' }, '右边'))),
      h('tbody', {}, items.map((v) => h('tr', {},
        h('td', {}, h('a', { href: gridHref(v.unit.code, period) }, shortName(v.unit.name)),
          h('span', { class: 'code' }, v.unit.code)),
        h('td', { class: `severity-${v.severity}` }, SEVERITY[v.severity] ?? v.severity),
        h('td', {}, v.message, h('span', { class: 'code tech' }, `${v.left_formula} ${v.operator} ${v.right_formula}`)),
        h('td', { class: 'number' }, figure(v.left)),
        h('td', {}, v.operator),
        h('td', { class: 'number' }, figure(v.right)))))));
}

function rulesList(rules) {
  return h('details', { class: 'ledger-help' },
    h('summary', {}, `校验规则（${rules.length} 条）`),
    h('ul', {}, rules.map((r) => h('li', {},
      h('span', { class: `severity-${r.severity}` }, `[${SEVERITY[r.severity] ?? r.severity}·${periodTypeLabel(r.period_type)}] `),
      r.message, h('span', { class: 'code tech' }, ` ${r.left} ${r.operator} ${r.right}`)))));
}

export async function render(main, { query, signal }) {
  const scope = currentUser().scope?.code ?? null;
  const code = (query.get('unit') ?? '').trim() || scope || '';
  const period = parsePeriod(query.get('period')) ?? thisYear();
  const periodParam = periodString(period);

  const periodControl = periodField(period);
  const form = h('form', { class: 'card filters', 'aria-label': '选择校验范围', novalidate: true },
    unitField({ name: 'unit', label: '单位', value: code, placeholder: '单位代码，如 411121100', signal,
      hint: '检查该单位及其全部下级单位填报的数据。' }),
    periodControl.node,
    h('div', { class: 'filters-submit' }, h('button', { type: 'submit', class: 'button primary' }, '检查')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = checksHref(form.elements.unit.value.trim(), periodControl.value());
  });
  main.append(
    h('header', { class: 'card page-header' },
      h('h1', {}, '数据校验'),
      h('p', { class: 'muted' }, '按校验规则检查已填报的数据：“错误”须改正后才能保存和审核，“警告”请核实。'),
      h('p', {}, h('a', { href: `#/entry?${new URLSearchParams({ ...(code ? { unit: code } : {}), period: periodParam })}` }, '返回数据填报'))),
    form);
  const section = h('section', { class: 'card', 'aria-labelledby': 'checks-title' }, loading('正在检查…'));
  main.append(section);
  try {
    const [report, rules] = await Promise.all([
      getJSON(apiUrl('/api/v1/validation', { unit: code, period: periodParam }), { signal }),
      getJSON('/api/v1/rules', { signal }),
    ]);
    const title = `${report.unit?.name ?? '全国'} · ${periodText(period)}`;
    section.replaceChildren(
      h('div', { class: 'section-head' }, h('h2', { id: 'checks-title' }, title)),
      h('p', { class: 'report-summary', role: 'status' },
        `检查了 ${formatCount(report.units)} 个单位的数据、${report.rules} 条${periodTypeLabel(period.type)}校验规则：`,
        h('span', { class: 'severity-error' }, `错误 ${formatCount(report.errors)} 处`), '，',
        h('span', { class: 'severity-warning' }, `警告 ${formatCount(report.warnings)} 处`), '。',
        report.truncated ? `只列出前 ${report.items.length} 处。` : ''),
      report.items.length ? reportTable(report.items, periodParam) : empty('没有发现违反校验规则的数据。'),
      rulesList(rules.items));
  } catch (error) {
    if (signal.aborted) return;
    section.replaceChildren(errorAlert(error));
  }
}
