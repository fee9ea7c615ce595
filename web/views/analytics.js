// analytics.js — 统计分析 ('#/analytics?indicator=CODE&unit=CODE&period=2023',
// or expr=FORMULA instead of indicator): the figure for the unit, rolled up
// over its subtree, then its children as a bar chart (ECharts) and a
// ranking table; a child's bar or name opens the same analysis for it.
// 导出 Excel / 导出 CSV download the children's table from the server.
import { h } from '../ui/dom.js';
import { techToggle } from '../ui/tech.js';
import { getJSON, apiUrl } from '../api.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { field, input, select, showFieldError } from '../ui/form.js';
import { unitField } from '../ui/unit-field.js';
import { exportButtons } from '../ui/export-buttons.js';
import { currentUser } from '../session.js';
import { loadElements, loadIndicators, formulaMessage } from './data/catalog.js';
import { parsePeriod, periodString, periodText, thisYear } from './data/period.js';
import { formatValue, elementFormat, CUSTOM_FORMAT, formatLabel } from './data/labels.js';
import { periodField } from './data/period-field.js';
import { unitTrail } from './data/unit-trail.js';
import { chooseUnit } from './data/choose-unit.js';
import { barChart } from './data/analytics-chart.js';
import { rankingTable } from './data/ranking.js';

const CUSTOM = ''; // the 指标 option for a formula of one's own

// The address of an analysis: {indicator | expr, unit, period}.
export function analyticsHref({ indicator = null, expr = null, unit = null, period }) {
  const params = new URLSearchParams();
  if (indicator) params.set('indicator', indicator);
  else if (expr) params.set('expr', expr);
  if (unit) params.set('unit', unit);
  params.set('period', period);
  return `#/analytics?${params}`;
}

export async function render(main, { query, signal }) {
  const me = currentUser();
  const scope = me.scope?.code ?? null;
  const expr = (query.get('expr') ?? '').trim();
  const code = (query.get('unit') ?? '').trim() || scope || '';
  const period = parsePeriod(query.get('period')) ?? thisYear();
  const periodParam = periodString(period);

  main.append(h('header', { class: 'card page-header' },
    h('div', { class: 'section-head' }, h('h1', {}, '统计分析'), techToggle()),
    h('p', { class: 'muted' }, '选择指标（或自己写公式）、单位和期间，查看汇总值和各下级单位的排名；点击下级单位可逐级查看。')));
  const notice = loading();
  main.append(notice);
  let indicators;
  let elements;
  try {
    [indicators, elements] = await Promise.all([loadIndicators(signal), loadElements(signal)]);
  } catch (error) {
    if (signal.aborted) return;
    notice.replaceWith(errorAlert(error));
    return;
  }
  notice.remove();

  const asked = query.get('indicator');
  const indicator = expr ? null : indicators.find((i) => i.code === asked) ?? (asked ? null : indicators[0] ?? null);
  const form = queryForm({ indicators, indicator, expr, code, period, signal });
  main.append(form);
  if (asked && !indicator && !expr) {
    main.append(errorAlert(new Error(`没有指标 ${asked}`)));
    return;
  }
  if (!indicator && !expr) {
    main.append(empty('尚未定义任何指标，请选择“自定义公式”并填写公式。'));
    return;
  }
  const here = (unit) => analyticsHref({ indicator: indicator?.code, expr, unit, period: periodParam });
  if (!code) {
    main.append(chooseUnit(here, signal));
    return;
  }

  const single = /^#\{([^}]+)\}$/.exec(expr);
  const element = single && elements.find((e) => e.code === single[1]);
  const fmt = indicator ?? (element ? elementFormat(element) : CUSTOM_FORMAT);
  const title = indicator?.name ?? element?.name ?? '自定义公式';
  const params = { indicator: indicator?.code, expr: indicator ? null : expr, unit: code, period: periodParam, by: 'children', sort: 'desc' };

  const results = h('div', {}, loading());
  main.append(results);
  let answer;
  let unit;
  try {
    [answer, unit] = await Promise.all([
      getJSON(apiUrl('/api/v1/analytics', params), { signal }),
      getJSON(`/api/v1/units/${encodeURIComponent(code)}`, { signal }),
    ]);
  } catch (error) {
    if (signal.aborted) return;
    results.replaceChildren();
    const message = error.field === 'expr' ? formulaMessage(error.message) : error.message;
    if (!(['expr', 'period'].includes(error.field) && form.querySelector(`[data-field="${error.field}"]:not([hidden])`)
      && showFieldError(form, error.field, message))) {
      results.append(errorAlert(new Error(message)));
    }
    return;
  }

  const children = answer.children ?? [];
  const withData = children.filter((c) => c.value !== null).length;
  results.replaceChildren(
    h('section', { class: 'card figure', 'aria-labelledby': 'figure-title' },
      unitTrail(unit.path, scope, here),
      h('h2', { id: 'figure-title' }, `${unit.name} · ${periodText(period)}`),
      h('p', { class: 'figure-value', 'data-value': answer.value ?? '' }, formatValue(answer.value, fmt)),
      h('p', { class: 'figure-title' }, title,
        indicator?.measure ? h('span', { class: 'muted' }, `（${indicator.measure}）`) : null),
      h('p', { class: 'muted tech' }, '公式：', h('code', { class: 'formula' }, answer.expr)),
      answer.value === null
        ? h('p', { class: 'muted' }, '暂无数据，或公式的分母为零。')
        : null),
    h('section', { class: 'card', 'aria-labelledby': 'children-title' },
      h('div', { class: 'section-head' },
        h('h2', { id: 'children-title' }, '下级单位'),
        exportButtons({ path: '/api/v1/analytics', params, name: `${unit.name}-${title}-${periodParam}`.replace(/[\\/:*?"<>|\s]+/g, '_'), signal })),
      children.length === 0
        ? empty('此单位没有下级单位。')
        : [
          h('p', { class: 'muted' }, `共 ${children.length} 个，${withData} 个有数据。点击名称或条形查看该单位。`),
          withData > 0
            ? barChart({ rows: children, fmt, title, signal, onPick: (child) => { location.hash = here(child); } })
            : null,
          rankingTable({ rows: children, fmt, title, href: here }),
        ]));
}

// 指标 (or 自定义公式 with its formula), 单位, 期间 and 查询.
function queryForm({ indicators, indicator, expr, code, period, signal }) {
  const choice = select('indicator',
    [...indicators.map((i) => ({ value: i.code, label: i.name })), { value: CUSTOM, label: '自定义公式…' }],
    indicator?.code ?? CUSTOM);
  const formula = input('expr', {
    value: expr || (indicator?.formula ?? ''), autocomplete: 'off', spellcheck: 'false', class: 'input code-input',
    placeholder: '#{toilet.sanitary} / #{households} * 100',
  });
  const formulaField = field('公式', formula, { hint: '用 #{数据元代码} 引用数据元，可用 + - * / 和括号，比较（>= 等）得到“是/否”。' });
  const about = h('p', { class: 'field-hint indicator-about' });
  const show = () => {
    const chosen = indicators.find((i) => i.code === choice.value);
    formulaField.hidden = Boolean(chosen);
    about.replaceChildren(...(chosen ? [h('span', { class: 'tech' }, `公式 ${chosen.formula} · `), formatLabel(chosen.format)] : []));
  };
  choice.addEventListener('change', () => {
    show();
    if (!choice.value) formula.focus();
  });
  show();
  const periodControl = periodField(period);
  const indicatorField = field('指标', choice);
  indicatorField.append(about);
  const form = h('form', { class: 'card filters analytics-filters', 'aria-label': '选择统计指标', novalidate: true },
    indicatorField,
    formulaField,
    unitField({ name: 'unit', label: '单位', value: code, signal }),
    periodControl.node,
    h('div', { class: 'filters-submit' }, h('button', { type: 'submit', class: 'button primary' }, '查询')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const custom = !choice.value;
    if (custom && !formula.value.trim()) {
      showFieldError(form, 'expr', '请填写公式');
      return;
    }
    location.hash = analyticsHref({
      indicator: custom ? null : choice.value,
      expr: custom ? formula.value.trim() : null,
      unit: form.elements.unit.value.trim(),
      period: periodControl.value(),
    });
  });
  return form;
}
