// health.js — 健康服务 ('#/health?tab=&unit='): family-doctor coverage by
// key group (GET /api/v1/health/coverage, with the child units), the
// contracts and teams of the unit, and the 30-minute health circle (GET
// /api/v1/health/circle): an ECharts scatter of facilities and villages
// (no map tiles) and the uncovered list. Travel times are estimates: the
// settings are shown next to every figure. Facilities and contracts are
// also imported from a sheet (导入, 下载模板; the refused rows listed) and
// a facility edited (编辑).
import { h } from '../ui/dom.js';
import { getJSON, apiUrl } from '../api.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { unitField } from '../ui/unit-field.js';
import { loadECharts } from '../ui/echarts.js';
import { formatCount } from '../labels.js';
import { currentUser, hasPerm } from '../session.js';
import { saveFile } from '../ui/save-file.js';
import { facilityDialog, facilityEditDialog, pointDialog, teamDialog, contractDialog, stopDialog } from './health-forms.js';
import { importButton, templateButton } from '../ui/sheet-import.js';
import { loadFollowups, followups } from './health-followups.js';

const TABS = [['', '签约覆盖'], ['contracts', '签约居民'], ['teams', '团队与机构'], ['circle', '30分钟服务圈'], ['followups', '随访']];
const rate = (r) => (r === null || r === undefined ? '—' : `${r.toFixed(1)}%`);

export async function render(main, { query, signal }) {
  const tab = query.get('tab') ?? '';
  const unit = query.get('unit') || currentUser().scope?.code || '';
  const link = (t) => `#/health?${new URLSearchParams({ ...(t ? { tab: t } : {}), ...(unit ? { unit } : {}) })}`;
  main.append(h('header', { class: 'card page-header' },
    h('h1', {}, '健康服务'),
    h('nav', { class: 'tabs', 'aria-label': '健康服务' },
      ...TABS.map(([t, label]) => h('a', { href: link(t), 'aria-current': t === tab ? 'page' : null }, label)))));
  const form = h('form', { class: 'card filters', 'aria-label': '筛选' },
    unitField({ name: 'unit', label: '单位', value: unit, signal }),
    h('button', { type: 'submit', class: 'button primary' }, '查看'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    if (tab) params.set('tab', tab);
    if (form.elements.unit.value) params.set('unit', form.elements.unit.value);
    location.hash = `#/health?${params}`;
  });
  // where an import says what it added: outside the box a reload refills
  const status = h('div', { class: 'import-result', 'aria-live': 'polite' });
  main.append(form, status);
  const box = h('div', { class: 'health' }, loading());
  main.append(box);
  const show = (promise, draw) => promise.then((data) => {
    if (!signal.aborted) box.replaceChildren(...draw(data));
  }, (error) => { if (!signal.aborted) box.replaceChildren(errorAlert(error)); });
  const q = unit ? { unit } : {};
  // the write forms: a page reload after each (the figures change too)
  const ctx = { unit, signal, status, done: () => { location.hash = `${link(tab)}&t=${Date.now()}`; } };
  ctx.reload = () => load();
  const load = () => {
    box.replaceChildren(loading());
    return tabData(tab, q, ctx, show);
  };
  return load();
}

function tabData(tab, q, ctx, show) {
  const { unit, signal } = ctx;
  if (tab === 'contracts') {
    return show(Promise.all([getJSON(apiUrl('/api/v1/health/contracts', q), { signal }),
      getJSON(apiUrl('/api/v1/health/teams', q), { signal })]), ([c, t]) => contracts(c, t, ctx));
  }
  if (tab === 'teams') {
    return show(Promise.all([getJSON(apiUrl('/api/v1/health/teams', q), { signal }),
      getJSON(apiUrl('/api/v1/health/facilities', q), { signal })]), (tf) => teams(tf, ctx));
  }
  if (tab === 'followups') return show(loadFollowups(unit, signal), (r) => followups(r, ctx));
  if (tab === 'circle') return show(getJSON(apiUrl('/api/v1/health/circle', q), { signal }), (c) => circle(c, signal));
  return show(getJSON(apiUrl('/api/v1/health/coverage', q), { signal }), coverage);
}

function figure(label, value, note, key) {
  return h('li', { class: 'rating-figure', 'data-figure': key },
    h('span', { class: 'rating-figure-value' }, value),
    h('span', { class: 'rating-figure-label' }, label),
    h('span', { class: 'stats-figure-note' }, note));
}

function coverage(c) {
  return [
    h('section', { class: 'card', 'aria-labelledby': 'cov-title' },
      h('h2', { id: 'cov-title' }, '家庭医生签约覆盖'),
      h('p', { class: 'muted' }, `统计日期 ${c.on}；签约人数为当日有生效签约的居民，重点人群按年龄和健康标签认定。`),
      h('ul', { class: 'rating-figures stats-figures' },
        figure('居民', formatCount(c.residents), '在册', 'residents'),
        figure('已签约', formatCount(c.contracts), `覆盖率 ${rate(c.rate)}`, 'contracts'),
        figure('重点人群', formatCount(c.keypop), '', 'keypop'),
        figure('重点人群签约', formatCount(c.keypop_contracts), `覆盖率 ${rate(c.keypop_rate)}`, 'keypop-contracts'))),
    h('section', { class: 'card', 'aria-labelledby': 'groups-title' },
      h('h2', { id: 'groups-title' }, '按重点人群'),
      h('table', { class: 'data-table', 'data-table': 'groups' },
        h('thead', {}, h('tr', {}, h('th', {}, '人群'), h('th', {}, '人数'), h('th', {}, '签约'), h('th', {}, '覆盖率'))),
        h('tbody', {}, c.groups.map((g) => h('tr', {},
          h('td', {}, g.name), h('td', {}, formatCount(g.people)), h('td', {}, formatCount(g.contracts)), h('td', {}, rate(g.rate))))))),
    c.children.length ? h('section', { class: 'card', 'aria-labelledby': 'kids-title' },
      h('h2', { id: 'kids-title' }, '下级单位'),
      h('div', { class: 'table-scroll' }, h('table', { class: 'data-table', 'data-table': 'children' },
        h('thead', {}, h('tr', {}, h('th', {}, '单位'), h('th', {}, '居民'), h('th', {}, '签约'), h('th', {}, '覆盖率'), h('th', {}, '重点人群覆盖率'))),
        h('tbody', {}, c.children.map((k) => h('tr', {},
          h('td', {}, h('a', { href: `#/health?unit=${k.unit}` }, k.name)), h('td', {}, formatCount(k.residents)),
          h('td', {}, formatCount(k.contracts)), h('td', {}, rate(k.rate)), h('td', {}, rate(k.keypop_rate)))))))) : null,
  ].filter(Boolean);
}

// A button opening a dialog, focus back on it when the dialog closes.
function opener(label, open, ctx, extra = {}) {
  const b = h('button', { type: 'button', class: 'button', 'data-action': extra.action ?? null }, label);
  b.addEventListener('click', () => open({ ...ctx, ...extra, returnFocus: () => b }));
  return b;
}

const FACILITY_TEMPLATE = { path: '/api/v1/health/facilities/import/template', name: '医疗卫生机构导入模板.xlsx' };
const FACILITY_COLUMNS = [
  ['机构名称', '必填；同一单位内不能重名（已登记的机构请用“编辑”修改）'],
  ['机构类型', '必填，如 乡镇卫生院、社区卫生服务中心、社区卫生服务站、村卫生室、县级医院'],
  ['所在单位', '必填，导入到的单位之内的村（社区）或乡镇的名称，重名时写上级，如 舞泉镇/大杨庄村村民委员会；也可填单位代码'],
  ['纬度、经度', '选填，以度为单位的数，如 33.4370、113.6100；须在中国境内，两者一起填写'],
  ['坐标系', '选填，WGS-84（手机定位、GPS，默认）或 GCJ-02（高德、腾讯等国内网络地图，自动换算）'],
];
const CONTRACT_TEMPLATE = { path: '/api/v1/health/contracts/import/template', name: '家庭医生签约导入模板.xlsx' };
const CONTRACT_COLUMNS = [
  ['姓名', '必填，须与登记的姓名一致'],
  ['身份证号', '必填；居民须已在导入的单位中登记（没有的请先导入花名册或住户表）'],
  ['签约团队', '必填，家庭医生团队的名称（见“团队与机构”）'],
  ['开始日期', '必填，如 2025-01-01 或 2025/1/1'],
  ['结束日期', '选填，默认为一年后；签约周期至少一年'],
  ['服务包', '选填，如 基础包（免费）、老年人个性化服务包；默认基础包'],
];

// 导入 and 下载模板 of a sheet, the outcome in ctx.status and the tab
// reloaded after an import.
function sheetTools({ what, path, template, columns, ctx }) {
  return [
    importButton({
      label: `导入${what}`,
      title: `导入${what}表`,
      intro: `把 Excel ${what}表一次导入，每行一条。`,
      path,
      unit: ctx.unit,
      columns,
      template: { ...template },
      status: ctx.status,
      signal: ctx.signal,
      summary: (r) => `导入${what} ${formatCount(r.rows)} 条。`,
      onImported: () => ctx.reload(),
    }),
    templateButton({ ...template, signal: ctx.signal }),
  ];
}

function contracts(list, t, ctx) {
  const write = hasPerm('persons:write');
  const tools = write ? h('div', { class: 'card actions' },
    t.items.length ? opener('签约居民', contractDialog, ctx, { teams: t.items, action: 'sign' })
      : h('p', { class: 'muted' }, '先在“团队与机构”中建立家庭医生团队，再签约居民。'),
    ...sheetTools({ what: '签约', path: '/api/v1/health/contracts/import', template: CONTRACT_TEMPLATE, columns: CONTRACT_COLUMNS, ctx })) : null;
  if (!list.items.length) return [tools, h('section', { class: 'card' }, empty('这里还没有家庭医生签约。'))].filter(Boolean);
  return [tools, h('section', { class: 'card' }, h('div', { class: 'table-scroll' }, h('table', { class: 'data-table', 'data-table': 'contracts' },
    h('thead', {}, h('tr', {}, h('th', {}, '居民'), h('th', {}, '团队'), h('th', {}, '服务包'), h('th', {}, '签约期'), h('th', {}, '状态'), write ? h('th', {}, '操作') : null)),
    h('tbody', {}, list.items.map((c) => h('tr', {},
      h('td', {}, h('a', { href: `#/persons/${c.person}` }, c.person_name)), h('td', {}, c.team_name), h('td', {}, c.package_name ?? ''),
      h('td', {}, `${c.start_date} 至 ${c.end_date}`),
      h('td', {}, c.current ? '生效' : c.stop_reason_name ? `已解约（${c.stop_reason_name}）` : '不在期内'),
      write ? h('td', {}, c.current ? opener('解约', stopDialog, ctx, { contract: c, action: 'stop' }) : null) : null))))))].filter(Boolean);
}

function teams([t, f], ctx) {
  const located = f.items.filter((x) => x.lat !== null);
  const write = hasPerm('persons:write');
  const edit = (x) => {
    const b = opener('编辑', facilityEditDialog, ctx, { facility: x, action: 'edit-facility' });
    b.classList.add('small');
    b.setAttribute('aria-label', `编辑 ${x.name}`);
    return b;
  };
  return [
    write ? h('div', { class: 'card actions' },
      opener('登记机构', facilityDialog, ctx, { action: 'facility' }),
      f.items.length ? opener('新建团队', teamDialog, ctx, { facilities: f.items, action: 'team' }) : null,
      opener('填写村坐标', pointDialog, ctx, { action: 'point' }),
      ...sheetTools({ what: '机构', path: '/api/v1/health/facilities/import', template: FACILITY_TEMPLATE, columns: FACILITY_COLUMNS, ctx })) : null,
    h('section', { class: 'card', 'aria-labelledby': 'teams-title' }, h('h2', { id: 'teams-title' }, '家庭医生团队'),
      t.items.length ? h('ul', { class: 'plain-list' }, t.items.map((x) => h('li', {}, `${x.name}（${x.facility_name}）`))) : empty('还没有团队。')),
    h('section', { class: 'card', 'aria-labelledby': 'fac-title' }, h('h2', { id: 'fac-title' }, '医疗卫生机构'),
      f.items.length ? h('ul', { class: 'plain-list', 'data-list': 'facilities' }, f.items.map((x) => h('li', { 'data-id': x.id },
        `${x.name}（${x.type_name ?? ''}）${x.lat === null ? '，未定位' : ''} `, write ? edit(x) : null))) : empty('还没有登记机构。'),
      f.items.length ? h('p', { class: 'muted' }, `已定位 ${located.length} / ${f.items.length}`) : null),
  ].filter(Boolean);
}

function circle(c, signal) {
  const est = c.estimate;
  const note = `估算：直线距离 × 绕行系数 ${est.detour} ÷ 车速 ${est.speed_kmh} 千米/小时，${est.minutes} 分钟以内`;
  const uncovered = c.items.filter((v) => v.located && !v.within);
  const unlocated = c.items.filter((v) => !v.located);
  const plot = h('div', { class: 'chart health-scatter', role: 'img', 'aria-label': '机构和村（社区）的位置散点图（经纬度，无底图）' });
  plot.style.height = '360px'; // CSSOM, not a style attribute: the CSP forbids inline styles
  loadECharts().then((echarts) => {
    if (signal.aborted) return;
    const chart = echarts.init(plot, null, { renderer: 'canvas' });
    const pt = (v) => [v.lng, v.lat, v.name];
    chart.setOption({
      tooltip: { trigger: 'item', renderMode: 'richText', formatter: (p) => p.value[2] },
      legend: { top: 0 },
      xAxis: { type: 'value', scale: true, name: '经度' },
      yAxis: { type: 'value', scale: true, name: '纬度' },
      series: [
        { name: '医疗卫生机构', type: 'scatter', symbol: 'diamond', symbolSize: 12, itemStyle: { color: '#a4161a' }, data: c.facilities.map(pt) },
        { name: `${est.minutes}分钟内的村（社区）`, type: 'scatter', symbolSize: 7, itemStyle: { color: '#00798c' }, data: c.items.filter((v) => v.within).map(pt) },
        { name: '未覆盖', type: 'scatter', symbolSize: 7, itemStyle: { color: '#edae49' }, data: uncovered.map(pt) },
      ],
    });
    addEventListener('resize', () => chart.resize(), { signal });
  }, () => plot.replaceChildren(empty('图表组件加载失败。')));
  return [
    h('section', { class: 'card', 'aria-labelledby': 'circle-title' },
      h('h2', { id: 'circle-title' }, '30分钟健康服务圈'),
      h('p', { class: 'muted', 'data-estimate': '' }, note),
      h('ul', { class: 'rating-figures stats-figures' },
        figure('村（社区）', formatCount(c.villages), `已定位 ${formatCount(c.located)}`, 'villages'),
        figure('30分钟内（估算）', formatCount(c.within), c.located ? `${((c.within / c.located) * 100).toFixed(1)}%（估算）` : '—', 'within'),
        figure('覆盖居民（估算）', formatCount(c.people_within), `共 ${formatCount(c.people)} 人`, 'people')),
      plot),
    h('section', { class: 'card', 'aria-labelledby': 'uncovered-title' },
      h('h2', { id: 'uncovered-title' }, `未覆盖的村（社区）（${uncovered.length}）`),
      uncovered.length ? uncoveredExport(uncovered, est) : null,
      uncovered.length ? h('ul', { class: 'plain-list', 'data-list': 'uncovered' }, uncovered.map((v) => h('li', {}, `${v.name}（${formatCount(v.people)} 人）`))) : empty('已定位的村（社区）都在服务圈内。'),
      unlocated.length ? h('p', { class: 'muted' }, `另有 ${unlocated.length} 个村（社区）尚未填写坐标。`) : null),
  ];
}

// The uncovered list as a CSV file (UTF-8 with a byte-order mark, which
// Excel reads as such): names, people and the estimate's settings.
function uncoveredExport(list, est) {
  const cell = (v) => `"${String(v).replaceAll('"', '""')}"`;
  const rows = [['村（社区）', '人数', '说明'], ...list.map((v) => [v.name, v.people,
    `${est.minutes}分钟内没有医疗卫生机构（估算：直线距离 × ${est.detour} ÷ ${est.speed_kmh} 千米/小时）`])];
  const b = h('button', { type: 'button', class: 'button small', 'data-action': 'export-uncovered' }, '导出未覆盖名单（CSV）');
  b.addEventListener('click', () => saveFile(new Blob([`\ufeff${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`], { type: 'text/csv' }), '未覆盖的村（社区）.csv'));
  return h('div', { class: 'export-buttons' }, b);
}
