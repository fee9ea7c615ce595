// elements.js — 数据元 ('#/elements'): the data elements (what is entered,
// how, where and how often) and the indicators computed from them, as two
// tables. Users with data:define also get 新建数据元 and 新建指标
// (data/element-dialogs.js).
import { h } from '../ui/dom.js';
import { techToggle } from '../ui/tech.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { hasPerm } from '../session.js';
import { levelLabel } from '../labels.js';
import { loadElements, loadIndicators } from './data/catalog.js';
import { valueTypeLabel, aggregationLabel, periodTypeLabel, formatLabel } from './data/labels.js';
import { openElementDialog, openIndicatorDialog } from './data/element-dialogs.js';

const range = (e) => {
  if (e.min === null && e.max === null) return e.value_type === 'percentage' ? '0–100' : '—';
  if (e.max === null) return `≥ ${e.min}`;
  if (e.min === null) return `≤ ${e.max}`;
  return `${e.min}–${e.max}`;
};

// Columns named in TECH (codes, formulas) show only with 显示公式和代码.
const TECH = new Set(['代码', '公式']);

function table(caption, columns, rows) {
  return h('div', { class: 'table-scroll' },
    h('table', { class: 'data-table' },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, columns.map((name) => h('th', { scope: 'col', class: TECH.has(name) ? 'tech' : null }, name)))),
      h('tbody', {}, rows)));
}

const nameCell = (item) => h('td', { class: 'name-cell' },
  h('span', { class: 'item-name' }, item.name),
  item.description ? h('span', { class: 'item-about' }, item.description) : null);

function elementRow(e) {
  return h('tr', { 'data-code': e.code },
    nameCell(e),
    h('td', { class: 'tech' }, h('span', { class: 'code' }, e.code)),
    h('td', {}, e.measure || '—'),
    h('td', {}, valueTypeLabel(e.value_type)),
    h('td', {}, aggregationLabel(e.aggregation)),
    h('td', {}, periodTypeLabel(e.period_type)),
    h('td', {}, e.levels.length ? e.levels.map(levelLabel).join('、') : '不限'),
    h('td', {}, range(e)));
}

function indicatorRow(i) {
  return h('tr', { 'data-code': i.code },
    nameCell(i),
    h('td', { class: 'tech' }, h('span', { class: 'code' }, i.code)),
    h('td', { class: 'tech' }, h('code', { class: 'formula' }, i.formula)),
    h('td', {}, i.format === 'boolean' || i.format === 'integer'
      ? formatLabel(i.format) : `${formatLabel(i.format)}，${i.decimals} 位小数`),
    h('td', {}, i.measure || '—'));
}

export async function render(main, { signal }) {
  const canDefine = hasPerm('data:define');
  const status = h('p', { class: 'action-status', role: 'status' });
  const elementList = h('div', {}, loading());
  const indicatorList = h('div', {}, loading());
  let elements = [];
  let indicators = [];

  const newElement = canDefine ? h('button', { type: 'button', class: 'button primary' }, '新建数据元') : null;
  const newIndicator = canDefine ? h('button', { type: 'button', class: 'button primary' }, '新建指标') : null;

  function drawElements() {
    elementList.replaceChildren(elements.length === 0 ? empty('尚未定义数据元。')
      : table('数据元', ['名称', '代码', '计量单位', '值类型', '汇总方式', '填报周期', '填报层级', '取值范围'],
        elements.map(elementRow)));
  }
  function drawIndicators() {
    indicatorList.replaceChildren(indicators.length === 0 ? empty('尚未定义指标。')
      : table('指标', ['名称', '代码', '公式', '显示格式', '计量单位'], indicators.map(indicatorRow)));
  }

  newElement?.addEventListener('click', () => openElementDialog({
    returnFocus: () => newElement,
    signal,
    onCreated(element) {
      elements = [...elements, element].sort((a, b) => (a.code < b.code ? -1 : 1));
      drawElements();
      status.textContent = `已新建数据元“${element.name}”（${element.code}）`;
    },
  }));
  newIndicator?.addEventListener('click', () => openIndicatorDialog({
    elements,
    returnFocus: () => newIndicator,
    signal,
    onCreated(indicator) {
      indicators = [...indicators, indicator].sort((a, b) => (a.code < b.code ? -1 : 1));
      drawIndicators();
      status.textContent = `已新建指标“${indicator.name}”（${indicator.code}）`;
    },
  }));

  main.append(
    h('header', { class: 'card page-header' },
      h('div', { class: 'section-head' }, h('h1', {}, '数据元'), techToggle()),
      h('p', { class: 'muted' }, canDefine
        ? '数据元是逐级填报的基础数据，指标由数据元按公式计算。新建后即可在“数据填报”和“统计分析”中使用；定义不能修改，请仔细核对。'
        : '数据元是逐级填报的基础数据，指标由数据元按公式计算。如需新增，请联系县级管理员。'),
      status),
    h('section', { class: 'card', 'aria-labelledby': 'elements-title' },
      h('div', { class: 'section-head' }, h('h2', { id: 'elements-title' }, '数据元'), newElement),
      elementList),
    h('section', { class: 'card', 'aria-labelledby': 'indicators-title' },
      h('div', { class: 'section-head' }, h('h2', { id: 'indicators-title' }, '指标'), newIndicator),
      indicatorList));

  try {
    [elements, indicators] = await Promise.all([loadElements(signal), loadIndicators(signal)]);
  } catch (error) {
    if (signal.aborted) return;
    elementList.replaceChildren(errorAlert(error));
    indicatorList.replaceChildren();
    return;
  }
  drawElements();
  drawIndicators();
}
