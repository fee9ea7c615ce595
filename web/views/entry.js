// entry.js — 数据填报 ('#/entry?unit=CODE&period=2023&elements=a,b'): a grid
// of the unit's children (or the unit itself when it has none) by data
// elements for one period, saved in one request (data/entry-grid.js), and
// 导入台账 for a whole ledger file (data/ledger-upload.js). The unit
// defaults to the reader's scope, the period to this year, the elements to
// all of the period's kind that are entered at the rows' level.
// '#/entry/checks?unit=&period=' is 数据校验, the validation report of the
// same unit and period (data/checks-report.js).
import { h } from '../ui/dom.js';
import { getJSON, apiUrl } from '../api.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { unitField } from '../ui/unit-field.js';
import { currentUser } from '../session.js';
import { levelLabel, formatCount } from '../labels.js';
import { loadElements, enteredAt } from './data/catalog.js';
import { parsePeriod, periodString, periodText, thisYear } from './data/period.js';
import { periodTypeLabel } from './data/labels.js';
import { periodField } from './data/period-field.js';
import { elementPicker } from './data/element-picker.js';
import { entryGrid } from './data/entry-grid.js';
import { ledgerUpload } from './data/ledger-upload.js';
import { unitTrail } from './data/unit-trail.js';
import { chooseUnit } from './data/choose-unit.js';

const CHILDREN_PAGE = 1000;

// 数据校验 of a unit and period.
export function checksHref(unit, period) {
  return `#/entry/checks?${new URLSearchParams({ unit, period })}`;
}

export function entryHref(unit, period, elements = null) {
  const params = new URLSearchParams();
  if (unit) params.set('unit', unit);
  params.set('period', period);
  if (elements) params.set('elements', elements.join(','));
  return `#/entry?${params}`;
}

async function allChildren(code, signal) {
  const children = [];
  let after = null;
  do {
    const url = apiUrl(`/api/v1/units/${encodeURIComponent(code)}/children`, { limit: CHILDREN_PAGE, after });
    const page = await getJSON(url, { signal });
    children.push(...page.items);
    after = page.next;
  } while (after);
  return children;
}

const sameSet = (a, b) => a.length === b.length && a.every((x) => b.includes(x));

export async function render(main, { params, query, signal }) {
  if (params[0] === 'checks') {
    const report = await import('./data/checks-report.js');
    if (!signal.aborted) report.render(main, { query, signal });
    return;
  }
  const me = currentUser();
  const scope = me.scope?.code ?? null;
  const code = (query.get('unit') ?? '').trim() || scope || '';
  const period = parsePeriod(query.get('period')) ?? thisYear();
  const periodParam = periodString(period);
  const wanted = query.get('elements')?.split(',').filter(Boolean) ?? null;

  let catalog = [];
  let rowLevels = null; // the levels of the grid's rows, once known
  // computed elements (counted from the registry) are never entered
  const ofType = (type) => catalog.filter((e) => e.period_type === type && !e.computed);
  const defaults = (type) => ofType(type)
    .filter((e) => !rowLevels || rowLevels.some((level) => enteredAt(e, level)))
    .map((e) => e.code);

  const picker = elementPicker();
  const periodControl = periodField(period, { onTypeChange: (type) => picker.show(ofType(type), defaults(type)) });
  const unitControl = unitField({
    name: 'unit', label: '单位', value: code, signal,
    hint: '表格的每一行是它的一个下级单位（没有下级单位时就是它自己）。',
  });
  const form = h('form', { class: 'card filters entry-filters', 'aria-label': '选择填报范围', novalidate: true },
    unitControl, periodControl.node, picker.node,
    h('div', { class: 'filters-submit' }, h('button', { type: 'submit', class: 'button primary' }, '打开')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const type = periodControl.type();
    const chosen = picker.selected();
    const unit = form.elements.unit.value.trim();
    location.hash = entryHref(unit, periodControl.value(), sameSet(chosen, defaults(type)) ? null : chosen);
  });

  main.append(
    h('header', { class: 'card page-header' },
      h('h1', {}, '数据填报'),
      h('p', { class: 'muted' }, '选择单位和期间后逐格填写，修改过的单元格会标出，点“保存”一次提交；也可以导入 Excel 台账。')),
    form);

  if (!code) {
    loadElements(signal).then((items) => {
      catalog = items;
      picker.show(ofType(period.type), defaults(period.type));
    }, () => {});
    main.append(chooseUnit((unit) => entryHref(unit, periodParam), signal));
    return;
  }

  const section = h('section', { class: 'card', 'aria-labelledby': 'grid-title' }, loading());
  main.append(section);
  let unit;
  let rows;
  try {
    let children;
    [unit, children, catalog] = await Promise.all([
      getJSON(`/api/v1/units/${encodeURIComponent(code)}`, { signal }),
      allChildren(code, signal),
      loadElements(signal),
    ]);
    rows = children.length ? children : [unit];
  } catch (error) {
    if (signal.aborted) return;
    section.replaceChildren(errorAlert(error));
    return;
  }
  rowLevels = [...new Set(rows.map((row) => row.level))];
  const selected = wanted ?? defaults(period.type);
  picker.show(ofType(period.type), selected);
  const columns = ofType(period.type).filter((e) => selected.includes(e.code));
  const childHref = (child) => entryHref(child, periodParam);

  section.replaceChildren(
    unitTrail(unit.path, scope, childHref),
    h('div', { class: 'section-head' },
      h('h2', { id: 'grid-title' }, `${unit.name} · ${periodText(period)}`),
      h('span', { class: 'section-tools' },
        h('span', { class: 'muted' }, rows[0] === unit
          ? '本单位没有下级单位，填报本单位的数据'
          : `${formatCount(rows.length)} 个${rowLevels.length === 1 ? levelLabel(rowLevels[0]) : '下级单位'} · ${columns.length} 个数据元`),
        h('a', { class: 'button small', href: checksHref(unit.code, periodParam) }, '数据校验'))));

  let grid = null;
  if (columns.length === 0) {
    section.append(empty(ofType(period.type).length
      ? '请在上方“数据元”中至少选择一项。'
      : `没有按${periodTypeLabel(period.type)}填报的数据元，请换一个周期。`));
  } else {
    grid = entryGrid({ root: unit.code, units: rows, elements: columns, period: periodParam, scope, signal, childHref });
    const gridLoading = loading('正在读取已填报的数据…');
    section.append(gridLoading, grid.node);
    grid.node.hidden = true;
    try {
      await grid.load();
      gridLoading.remove();
      grid.node.hidden = false;
    } catch (error) {
      if (signal.aborted) return;
      gridLoading.replaceWith(errorAlert(error));
      grid = null;
    }
  }
  if (signal.aborted) return;
  main.append(ledgerUpload({
    period: periodParam,
    periodLabel: periodText(period),
    templateName: `${unit.name}-${periodParam}-填报模板.csv`,
    grid,
    onImported: () => grid?.load() ?? Promise.resolve(),
    signal,
  }));
}
