// analytics-chart.js — the children's values as a horizontal bar chart
// (ECharts, loaded on first use), in the ranking's order; clicking a bar or
// a name opens that child. The chart is a picture of the ranking table
// beside it, which carries the same figures for screen readers.
import { h } from '../../ui/dom.js';
import { loadECharts } from '../../ui/echarts.js';
import { formatValue, shortName } from './labels.js';

const ROW_HEIGHT = 30;
const RED = '#a4161a';

// rows: [{code, name, value}] (value null: no data); fmt: {format,
// decimals}; onPick(code): a child was clicked.
export function barChart({ rows, fmt, title, onPick, signal }) {
  const box = h('div', { class: 'chart', role: 'img', 'aria-label': `${title}：各下级单位的条形图，数值见下方排名表` });
  box.style.height = `${Math.max(160, rows.length * ROW_HEIGHT + 50)}px`;
  const status = h('p', { class: 'notice', role: 'status' }, '正在加载图表…');
  const node = h('div', { class: 'chart-wrap' }, status, box);
  const names = new Map(rows.map((row) => [row.code, row.name]));
  const values = new Map(rows.map((row) => [row.code, row.value]));

  loadECharts().then((echarts) => {
    if (signal.aborted) return;
    status.remove();
    const chart = echarts.init(box, null, { renderer: 'canvas' });
    chart.setOption({
      animationDuration: 300,
      grid: { left: 8, right: 72, top: 8, bottom: 8, containLabel: true },
      xAxis: {
        type: 'value',
        axisLabel: { formatter: (v) => (fmt.format === 'percent' ? `${v}%` : v.toLocaleString('zh-CN')) },
        splitLine: { lineStyle: { color: '#e6e8eb' } },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((row) => row.code),
        triggerEvent: true,
        axisTick: { show: false },
        axisLabel: { formatter: (code) => shortName(names.get(code) ?? code), width: 112, overflow: 'truncate', color: '#1f2328' },
      },
      tooltip: {
        trigger: 'item',
        renderMode: 'richText', // drawn on the canvas: no markup, nothing for the CSP to refuse
        formatter: (p) => `${names.get(rows[p.dataIndex].code)}\n${formatValue(values.get(rows[p.dataIndex].code), fmt)}`,
      },
      series: [{
        type: 'bar',
        data: rows.map((row) => (row.value === null ? '-' : row.value)),
        barMaxWidth: 20,
        itemStyle: { color: RED, borderRadius: [0, 3, 3, 0] },
        emphasis: { itemStyle: { color: '#7d1014' } },
        label: { show: true, position: 'right', formatter: (p) => formatValue(p.value, fmt), color: '#1f2328' },
      }],
    });
    chart.on('click', (p) => {
      if (p.componentType === 'series') onPick(rows[p.dataIndex].code);
      else if (p.componentType === 'yAxis' && names.has(p.value)) onPick(p.value);
    });
    const resize = new ResizeObserver(() => chart.resize());
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
  return node;
}
