// review.js — 月讲评 ('#/review?unit=…&month=YYYY-MM&type=…', or a week's
// review, 周讲评, with '&week=YYYY-Www' instead of the month): the work items
// of a unit's children (by default the caller's scope) in a month (by
// default this one) or an ISO week ranked by on-time rate, with the total row, a
// bar chart of the on-time rates (ECharts), 导出 Excel / 导出 CSV of the
// server's ledger and 打印: the print stylesheet (style.css, @media print)
// keeps a title line, the chart as a still image and the table alone.
import { h } from '../ui/dom.js';
import { getJSON, apiUrl } from '../api.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { field, input, select, showFieldError } from '../ui/form.js';
import { unitField } from '../ui/unit-field.js';
import { exportButtons } from '../ui/export-buttons.js';
import { loadECharts } from '../ui/echarts.js';
import { formatTime } from '../labels.js';
import { currentUser } from '../session.js';
import { loadTypes } from './items/common.js';
import { shortName } from './data/labels.js';
import { isoWeek } from './data/period.js';

const COLUMNS = [
  ['received', '受理'], ['done', '办结'], ['on_time', '按时办结'], ['overdue', '超期'], ['reopened', '重新整改'],
  ['on_time_rate', '按时办结率'], ['avg_days', '平均办理天数'], ['satisfaction', '群众满意度'],
];
const ROW_HEIGHT = 30;

// This month, local time: '2026-12' on 3 December 2026 (the review of an
// unfinished month counts what happened so far; a deadline still to come
// is not overdue).
export function thisMonth(now = new Date()) {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
}

// This ISO week: '2026-W49' on 3 December 2026.
export function thisWeek(now = new Date()) {
  const { year, week } = isoWeek(new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

const figure = (key, value) => {
  if (value === null || value === undefined) return '—';
  return key === 'on_time_rate' ? `${value}%` : String(value);
};

export async function render(main, { query, signal }) {
  const me = currentUser();
  const scope = me.scope?.code ?? '';
  const unit = (query.get('unit') ?? '').trim() || scope;
  const week = /^\d{4}-W\d{2}$/.test(query.get('week') ?? '') ? query.get('week') : null;
  const month = /^\d{4}-\d{2}$/.test(query.get('month') ?? '') ? query.get('month') : thisMonth();
  const type = (query.get('type') ?? '').trim();
  const kind = week ? '周讲评' : '月讲评';

  main.append(h('header', { class: 'card page-header no-print' },
    h('h1', {}, kind),
    h('p', { class: 'muted' }, `各下级单位当${week ? '周' : '月'}受理、办结、按时办结和超期的事项，按按时办结率排名；可导出讲评台账。`)));
  let types = [];
  try {
    types = await loadTypes();
  } catch (error) {
    if (signal.aborted) return;
    main.append(errorAlert(error));
  }
  if (signal.aborted) return;
  const form = queryForm({ unit, month, week, type, types, signal });
  main.append(form);
  if (!unit) {
    main.append(empty('请选择单位后查询。'));
    return;
  }
  const params = week ? { unit, week, type } : { unit, month, type };
  const results = h('div', {}, loading());
  main.append(results);
  let review;
  try {
    review = await getJSON(apiUrl('/api/v1/items/review', params), { signal });
  } catch (error) {
    if (signal.aborted) return;
    results.replaceChildren();
    if (!(error.field && showFieldError(form, error.field, error.message))) results.append(errorAlert(error));
    return;
  }
  const typeName = types.find((t) => t.code === type)?.name;
  const when = week ? week.replace(/-W0?/, ' 年第 ') + ' 周' : `${month.replace('-', ' 年 ')} 月`;
  const title = `${review.unit.name} · ${when}${typeName ? ` · ${typeName}` : ''}`;
  const name = `${review.unit.name}-${kind}-${week ?? month}${typeName ? `-${typeName}` : ''}`.replace(/[\\/:*?"<>|\s]+/g, '_');
  const rated = review.units.filter((u) => u.on_time_rate !== null);
  const print = h('button', { type: 'button', class: 'button small print-button' }, '打印');
  print.addEventListener('click', () => window.print());
  results.replaceChildren(h('section', { class: 'card review-sheet', 'aria-labelledby': 'review-title' },
    // Printed instead of the page header and the section's head.
    h('div', { class: 'print-only print-title', 'aria-hidden': 'true' },
      h('p', { class: 'print-heading' }, `${title} · ${kind}`),
      h('p', { class: 'print-meta' }, `制表时间 ${formatTime(new Date().toISOString())}`)),
    h('div', { class: 'section-head no-print' },
      h('h2', { id: 'review-title' }, title),
      h('div', { class: 'review-actions' },
        exportButtons({ path: '/api/v1/items/review', params, name, signal }),
        print)),
    review.units.length === 0
      ? empty('此单位没有下级单位。')
      : [
        rated.length ? rateChart({ rows: rated, signal }) : h('p', { class: 'muted' }, `本${week ? '周' : '月'}没有办结的事项，暂无按时办结率。`),
        reviewTable(review),
      ]));
}

function reviewTable(review) {
  const cells = (row) => COLUMNS.map(([key]) => h('td', { class: 'number' }, figure(key, row[key])));
  return h('div', { class: 'table-scroll' },
    h('table', { class: 'data-table review-table' },
      h('caption', { class: 'visually-hidden' }, '各下级单位按按时办结率排名，最后一行为合计'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', class: 'rank' }, '排名'),
        h('th', { scope: 'col' }, '单位'),
        COLUMNS.map(([, label]) => h('th', { scope: 'col', class: 'number' }, label)))),
      h('tbody', {}, review.units.map((row) => h('tr', {},
        h('td', { class: 'rank' }, String(row.rank)),
        h('th', { scope: 'row', class: 'name-cell' }, row.name, h('span', { class: 'code' }, row.code)),
        cells(row)))),
      h('tfoot', {}, h('tr', { class: 'total-row' },
        h('td', { class: 'rank' }, ''),
        h('th', { scope: 'row' }, '合计'),
        cells(review.total)))));
}

// The on-time rate of the children that finished something, as bars; a
// still copy of each finished drawing waits in an <img> that only print
// shows (a live canvas does not follow the paper's width).
function rateChart({ rows, signal }) {
  const box = h('div', { class: 'chart', role: 'img', 'aria-label': '按时办结率条形图，数值见下方排名表' });
  box.style.height = `${Math.max(160, rows.length * ROW_HEIGHT + 50)}px`;
  const status = h('p', { class: 'notice', role: 'status' }, '正在加载图表…');
  const still = h('img', { class: 'chart-print', alt: '按时办结率条形图' });
  const wrap = h('div', { class: 'chart-wrap' }, status, box, still);
  loadECharts().then((echarts) => {
    if (signal.aborted) return;
    status.remove();
    const chart = echarts.init(box, null, { renderer: 'canvas' });
    // Hidden (as in print), the box has no width: keep the last drawing.
    const shown = () => box.clientWidth > 0;
    chart.on('finished', () => {
      if (!shown()) return;
      still.src = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
      wrap.classList.add('has-print-image');
    });
    chart.setOption({
      animationDuration: 300,
      grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { lineStyle: { color: '#e6e8eb' } } },
      yAxis: {
        type: 'category', inverse: true, data: rows.map((r) => shortName(r.name)), axisTick: { show: false },
        axisLabel: { width: 112, overflow: 'truncate', color: '#1f2328' },
      },
      tooltip: { trigger: 'item', renderMode: 'richText', formatter: (p) => `${rows[p.dataIndex].name}\n按时办结率 ${p.value}%` },
      series: [{
        type: 'bar', data: rows.map((r) => r.on_time_rate), barMaxWidth: 20,
        itemStyle: { color: '#a4161a', borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: 'right', formatter: '{c}%', color: '#1f2328' },
      }],
    });
    const resize = new ResizeObserver(() => shown() && chart.resize());
    resize.observe(box);
    signal.addEventListener('abort', () => {
      resize.disconnect();
      chart.dispose();
    });
  }, (error) => {
    if (signal.aborted) return;
    status.textContent = error.message;
    box.hidden = true;
  });
  return wrap;
}

function queryForm({ unit, month, week, type, types, signal }) {
  const kindSelect = select('kind', [{ value: 'month', label: '按月（月讲评）' }, { value: 'week', label: '按周（周讲评）' }], week ? 'week' : 'month');
  const monthInput = input('month', { type: 'month', value: month, required: true });
  const weekInput = input('week', { type: 'week', value: week ?? thisWeek(), required: true, placeholder: '2026-W47' });
  const typeSelect = select('type', [{ value: '', label: '全部类型' }, ...types.map((t) => ({ value: t.code, label: t.name }))], type);
  const monthField = field('月份', monthInput);
  const weekField = field('周', weekInput, { hint: 'ISO 周，周一至周日' });
  const showKind = () => {
    monthField.hidden = kindSelect.value !== 'month';
    weekField.hidden = kindSelect.value !== 'week';
  };
  kindSelect.addEventListener('change', showKind);
  showKind();
  const form = h('form', { class: 'card filters', 'aria-label': '选择讲评的单位和期间', novalidate: true },
    unitField({ name: 'unit', label: '单位', value: unit, signal }),
    field('讲评周期', kindSelect),
    monthField,
    weekField,
    field('类型', typeSelect),
    h('div', { class: 'filters-submit' }, h('button', { type: 'submit', class: 'button primary' }, '查询')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const weekly = kindSelect.value === 'week';
    if (weekly ? !/^\d{4}-W\d{2}$/.test(weekInput.value) : !/^\d{4}-\d{2}$/.test(monthInput.value)) {
      showFieldError(form, weekly ? 'week' : 'month', weekly ? '请选择周' : '请选择月份');
      return;
    }
    const params = new URLSearchParams();
    if (form.elements.unit.value.trim()) params.set('unit', form.elements.unit.value.trim());
    if (weekly) params.set('week', weekInput.value);
    else params.set('month', monthInput.value);
    if (typeSelect.value) params.set('type', typeSelect.value);
    location.hash = `#/review?${params}`;
  });
  return form;
}
