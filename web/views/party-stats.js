// party-stats.js — 党员管理 › 统计 ('#/party?tab=stats&unit=&date='): the
// party-member statistics of the chosen unit from GET /api/v1/party/stats
// — summary figures (党员, 女党员, 少数民族, 35岁及以下, 大专及以上, the
// year's new members and their average age), charts of stage, age band,
// education and sex (ECharts, loaded on first use; each chart has the
// table of its figures below it for screen readers and print), and the
// figures by child unit with an Excel/CSV export. Counts only: the server
// never sends a person here.
import { h } from '../ui/dom.js';
import { getJSON, apiUrl } from '../api.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { exportButtons } from '../ui/export-buttons.js';
import { loadECharts } from '../ui/echarts.js';
import { formatCount } from '../labels.js';

const RED = '#a4161a';
const SHADES = ['#a4161a', '#d1495b', '#edae49', '#00798c', '#30638e', '#6a4c93', '#8d99ae', '#9aa1ab', '#c9cdd2'];

const share = (n, of) => (of ? `${((n / of) * 100).toFixed(1)}%` : '—');
const by = (list, code) => list.find((b) => b.code === code)?.count ?? 0;
// Buckets worth showing: the named ones, and 未填/其他 only when someone is in them.
const shown = (list) => list.filter((b) => !['unknown', 'other'].includes(b.code) || b.count > 0);

export function statsTab(unit, query, signal) {
  const box = h('div', { class: 'party-stats' }, loading());
  if (!unit) {
    box.replaceChildren(empty('请选择单位后查看。'));
    return box;
  }
  const date = query.get('date') || null;
  const params = { unit, ...(date ? { date } : {}), by: 'children' };
  getJSON(apiUrl('/api/v1/party/stats', params), { signal }).then((s) => {
    if (signal.aborted) return;
    box.replaceChildren(...render(s, params, signal));
  }, (error) => { if (!signal.aborted) box.replaceChildren(errorAlert(error)); });
  return box;
}

function render(s, params, signal) {
  const t = s.total;
  const place = s.unit.name;
  const name = `${place}-党员统计-${s.date}`.replace(/[\\/:*?"<>|\s]+/g, '_');
  const young = t.age_bands[0];
  const figures = [
    [`${s.kind.name}人数`, formatCount(t.members), '正式党员和预备党员', 'members'],
    ['女党员', formatCount(by(t.sex, '女')), share(by(t.sex, '女'), t.members), 'women'],
    ['少数民族党员', formatCount(by(t.ethnicity, 'minority')), share(by(t.ethnicity, 'minority'), t.members), 'minority'],
    [`${young.name}`, formatCount(young.count), share(young.count, t.members), 'young'],
    [s.higher_label, formatCount(t.higher_education), share(t.higher_education, t.members), 'higher'],
    [`${s.year} 年新发展`, formatCount(t.admitted.count), t.admitted.average_age === null ? '平均年龄 —' : `平均 ${t.admitted.average_age} 岁`, 'admitted'],
  ];
  const stages = t.stages.map((b) => ({ name: b.name, count: b.count }));
  return [
    h('section', { class: 'card', 'aria-labelledby': 'stats-title' },
      h('h2', { id: 'stats-title' }, `${place}党员统计`),
      h('p', { class: 'muted' }, `统计日期 ${s.date}；年龄按统计日期计算，新发展党员为 ${s.year} 年 1 月 1 日至统计日期接收的预备党员（组织关系转入不计），年龄按入党之日计算。`),
      h('ul', { class: 'rating-figures stats-figures' }, ...figures.map(([label, value, note, key]) => h('li', { class: 'rating-figure', 'data-figure': key },
        h('span', { class: 'rating-figure-value' }, value),
        h('span', { class: 'rating-figure-label' }, label),
        h('span', { class: 'stats-figure-note' }, note))))),
    t.members + t.stages.reduce((n, b) => n + b.count, 0) === 0
      ? h('section', { class: 'card' }, empty('这里还没有党员和入党积极分子。'))
      : h('div', { class: 'stats-charts' },
        chartCard('按发展阶段', 'stages', stages, 'bar', signal, t.members, '人'),
        chartCard('按年龄段', 'age', shown(t.age_bands), 'bar', signal, t.members, '名党员'),
        chartCard('按学历', 'education', shown(t.education), 'pie', signal, t.members, '名党员'),
        chartCard('按性别', 'sex', shown(t.sex), 'pie', signal, t.members, '名党员')),
    childTable(s, params, name, signal),
  ];
}

// A chart and, below it, the same figures as a table.
function chartCard(title, key, rows, type, signal, members, unitWord) {
  const id = `stats-${key}-title`;
  return h('section', { class: 'card stats-chart', 'data-chart': key, 'aria-labelledby': id },
    h('h3', { id }, title),
    chart({ title, rows, type, signal, unitWord }),
    h('table', { class: 'data-table stats-breakdown' },
      h('caption', { class: 'visually-hidden' }, title),
      h('tbody', {}, rows.map((b) => h('tr', {},
        h('th', { scope: 'row' }, b.name),
        h('td', { class: 'number' }, formatCount(b.count)),
        key === 'stages' ? null : h('td', { class: 'number muted' }, share(b.count, members)))))));
}

function chart({ title, rows, type, signal, unitWord }) {
  const box = h('div', { class: 'chart', role: 'img', 'aria-label': `${title}的${type === 'pie' ? '饼图' : '柱状图'}，数值见下表` });
  box.style.height = '240px';
  const status = h('p', { class: 'notice', role: 'status' }, '正在加载图表…');
  const still = h('img', { class: 'chart-print', alt: title });
  const wrap = h('div', { class: 'chart-wrap' }, status, box, still);
  loadECharts().then((echarts) => {
    if (signal.aborted) return;
    status.remove();
    const c = echarts.init(box, null, { renderer: 'canvas' });
    const visible = () => box.clientWidth > 0;
    c.on('finished', () => {
      if (!visible()) return;
      still.src = c.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
      wrap.classList.add('has-print-image');
    });
    const tooltip = { trigger: 'item', renderMode: 'richText', formatter: (p) => `${p.name}\n${formatCount(p.value)} ${unitWord}` };
    c.setOption(type === 'pie' ? {
      animationDuration: 300,
      color: SHADES,
      tooltip,
      legend: { bottom: 0, type: 'scroll', textStyle: { color: '#1f2328' } },
      series: [{
        type: 'pie', radius: ['35%', '62%'], center: ['50%', '44%'],
        data: rows.map((b) => ({ name: b.name, value: b.count })),
        label: { formatter: (p) => (p.value ? `${p.value}` : ''), color: '#1f2328' },
      }],
    } : {
      animationDuration: 300,
      grid: { left: 8, right: 8, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: rows.map((b) => b.name), axisTick: { show: false }, axisLabel: { color: '#1f2328', interval: 0, overflow: 'break', width: 64 } },
      yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#e6e8eb' } } },
      tooltip,
      series: [{
        type: 'bar', data: rows.map((b) => b.count), barMaxWidth: 40,
        itemStyle: { color: RED, borderRadius: [3, 3, 0, 0] },
        label: { show: true, position: 'top', color: '#1f2328' },
      }],
    });
    const resize = new ResizeObserver(() => visible() && c.resize());
    resize.observe(box);
    signal.addEventListener('abort', () => {
      resize.disconnect();
      c.dispose();
    });
  }, (error) => {
    if (signal.aborted) return;
    status.textContent = error.message;
    box.hidden = true;
  });
  return wrap;
}

// Per child unit (the unit's own members first when there are any), then 合计.
function childTable(s, params, name, signal) {
  const rows = s.children ?? [];
  const cols = [
    ['党员', (f) => f.members],
    ...s.total.stages.map((b) => [b.name, (f) => by(f.stages, b.code)]),
    ['女', (f) => by(f.sex, '女')],
    ['少数民族', (f) => by(f.ethnicity, 'minority')],
    [s.total.age_bands[0].name, (f) => f.age_bands[0].count],
    [s.higher_label, (f) => f.higher_education],
    ['新发展', (f) => f.admitted.count],
    ['平均年龄', (f) => (f.admitted.average_age ?? '—')],
  ];
  const line = (label, f, cls) => h('tr', { class: cls },
    h('th', { scope: 'row', class: 'name-cell' }, label),
    ...cols.map(([, get]) => h('td', { class: 'number' }, String(typeof get(f) === 'number' ? formatCount(get(f)) : get(f)))));
  return h('section', { class: 'card', 'aria-labelledby': 'stats-children-title' },
    h('div', { class: 'section-head' },
      h('h2', { id: 'stats-children-title' }, '按下级单位'),
      exportButtons({ path: '/api/v1/party/stats', params, name, signal })),
    rows.length === 0 ? empty('此单位没有下级单位。') : h('div', { class: 'table-scroll' },
      h('table', { class: 'data-table stats-children' },
        h('caption', { class: 'visually-hidden' }, '各下级单位的党员统计'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '单位'),
          ...cols.map(([label]) => h('th', { scope: 'col', class: 'number' }, label)))),
        h('tbody', {}, rows.map((r) => line(r.own ? `${r.name}（本级）` : r.retired ? `${r.name}（已撤销）` : r.name, r, r.own ? 'own-row' : null))),
        h('tfoot', {}, line('合计', s.total, 'total-row')))));
}
