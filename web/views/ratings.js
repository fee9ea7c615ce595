// ratings.js — 五星创建 ('#/ratings?unit=…&scheme=…'): the "五星"支部创建
// figures of a unit's subtree (by default the caller's scope) under one
// scheme (by default this year's village scheme), from
// GET /api/v1/ratings/summary: the units per named level as a bar chart
// (ECharts) and a table, per star how many have won it and how many meet it
// now ("808 / 1101（73.39%）"), declared targets against named levels, the
// children ranked by average level, and the per-unit ledger as Excel/CSV.
// Below: the review queues (待乡镇初审, 待县级复审) and every rating of the
// subtree, page by page, each opening the unit's page.
//
// '#/ratings/CODE?scheme=…' is one unit's creation page (ratings/unit.js).
import { h } from '../ui/dom.js';
import { getJSON, apiUrl } from '../api.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { field, select, showFieldError } from '../ui/form.js';
import { unitField } from '../ui/unit-field.js';
import { pagedList } from '../ui/paged-list.js';
import { exportButtons } from '../ui/export-buttons.js';
import { loadECharts } from '../ui/echarts.js';
import { formatTime } from '../labels.js';
import { currentUser, hasPerm } from '../session.js';
import {
  loadSchemes, chosenScheme, levelText, targetText, starIcons, ratingStateTag, ratingHref, shareText, scoreText,
} from './ratings/common.js';

const PAGE = 50;

export async function render(main, context) {
  if (context.params.length > 0) {
    const { renderUnit } = await import('./ratings/unit.js');
    if (!context.signal.aborted) renderUnit(main, context);
    return;
  }
  const { query, signal } = context;
  const me = currentUser();
  const scope = me.scope?.code ?? '';
  const unit = (query.get('unit') ?? '').trim() || scope;

  main.append(h('header', { class: 'card page-header' },
    h('h1', {}, '五星创建'),
    h('p', { class: 'muted' }, '“五星”支部创建的星级分布、各星达标情况和审核进度；点击单位查看其创建过程。')));
  const notice = loading();
  main.append(notice);
  let schemes;
  try {
    schemes = await loadSchemes();
  } catch (error) {
    if (signal.aborted) return;
    notice.replaceWith(errorAlert(error));
    return;
  }
  if (signal.aborted) return;
  notice.remove();
  const scheme = chosenScheme(schemes, query.get('scheme'));
  if (!scheme) {
    main.append(empty('还没有创建标准。'));
    return;
  }
  const form = queryForm({ unit, scheme, schemes, signal });
  main.append(form);
  // A village's own page is one click away for its secretary.
  if (scope.length >= 12 && hasPerm('ratings:assess')) {
    main.append(h('p', { class: 'card own-rating' },
      h('a', { class: 'button primary', href: ratingHref(scope, scheme.code) }, `进入${me.scope.name}的创建页面`)));
  }
  if (!unit) {
    main.append(empty('请选择单位后查询。'));
    return;
  }
  const params = { scheme: scheme.code, unit };
  const results = h('div', {}, loading());
  main.append(results);
  let summary;
  try {
    summary = await getJSON(apiUrl('/api/v1/ratings/summary', params), { signal });
  } catch (error) {
    if (signal.aborted) return;
    results.replaceChildren();
    if (error.status === 404 && !error.field) error.field = 'unit';
    if (!(error.field && showFieldError(form, error.field, error.message))) results.append(errorAlert(error));
    return;
  }
  if (signal.aborted) return;
  const place = summary.unit?.name ?? unit;
  const title = `${place} · ${scheme.name}`;
  const name = `${place}-五星创建-${scheme.year}`.replace(/[\\/:*?"<>|\s]+/g, '_');
  const stars = scheme.categories.length;
  results.replaceChildren(...[
    h('section', { class: 'card', 'aria-labelledby': 'summary-title' },
      h('div', { class: 'section-head' },
        h('h2', { id: 'summary-title' }, title),
        exportButtons({ path: '/api/v1/ratings/summary', params, name, signal })),
      h('ul', { class: 'rating-figures' },
        figure('参评单位', summary.units, 'units'),
        figure('已申报目标', summary.declared, 'declared'),
        figure('已命名', summary.named, 'named')),
      summary.units === 0 ? empty('此单位下没有适用此标准的单位。') : [
        distributionChart({ summary, stars, signal }),
        distributionTable(summary, stars),
      ]),
    ...queues({ scheme, unit, signal }),
    starTable(summary, scheme),
    targetTable(summary, stars),
    townshipTable(summary, scheme),
    h('section', { class: 'card', 'aria-labelledby': 'all-title' },
      h('h2', { id: 'all-title' }, '全部创建单位'),
      h('p', { class: 'muted' }, '已申报创建目标的单位，按单位代码排列。'),
      ratingList({ scheme, unit, state: null, emptyText: '还没有单位申报创建目标。', signal })),
  ].filter(Boolean));
}

const figure = (label, n, key) => h('li', { class: 'rating-figure', 'data-figure': key },
  h('span', { class: 'rating-figure-value' }, String(n ?? 0)),
  h('span', { class: 'rating-figure-label' }, label));

// The levels from the top: 五星 … 一星, then 未评星 (0).
const levelsDown = (stars) => [...Array(stars + 1).keys()].reverse().filter((n) => n > 0).concat(0);

function distributionTable(summary, stars) {
  const count = (n) => summary.levels?.[String(n)] ?? 0;
  return h('div', { class: 'table-scroll' },
    h('table', { class: 'data-table level-table' },
      h('caption', { class: 'visually-hidden' }, '各星级的单位数'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, '星级'),
        h('th', { scope: 'col', class: 'number' }, '单位数'),
        h('th', { scope: 'col', class: 'number' }, '占比'))),
      h('tbody', {}, levelsDown(stars).map((n) => h('tr', { 'data-level': n },
        h('th', { scope: 'row' }, levelText(n)),
        h('td', { class: 'number' }, String(count(n))),
        h('td', { class: 'number' }, summary.units ? `${(count(n) / summary.units * 100).toFixed(2)}%` : '—')))),
      h('tfoot', {}, h('tr', { class: 'total-row' },
        h('th', { scope: 'row' }, '合计'),
        h('td', { class: 'number' }, String(summary.units)),
        h('td', { class: 'number' }, summary.units ? '100%' : '—')))));
}

// The units per level as vertical bars, 一星 … 五星 then 未评星.
function distributionChart({ summary, stars, signal }) {
  const order = levelsDown(stars).reverse().filter((n) => n > 0).concat(0);
  const labels = order.map(levelText);
  const values = order.map((n) => summary.levels?.[String(n)] ?? 0);
  const box = h('div', { class: 'chart level-chart', role: 'img', 'aria-label': '星级分布柱状图，数值见下表' });
  box.style.height = '260px';
  const status = h('p', { class: 'notice', role: 'status' }, '正在加载图表…');
  const still = h('img', { class: 'chart-print', alt: '星级分布柱状图' });
  const wrap = h('div', { class: 'chart-wrap' }, status, box, still);
  loadECharts().then((echarts) => {
    if (signal.aborted) return;
    status.remove();
    const chart = echarts.init(box, null, { renderer: 'canvas' });
    const shown = () => box.clientWidth > 0;
    chart.on('finished', () => {
      if (!shown()) return;
      still.src = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
      wrap.classList.add('has-print-image');
    });
    chart.setOption({
      animationDuration: 300,
      grid: { left: 8, right: 8, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: labels, axisTick: { show: false }, axisLabel: { color: '#1f2328' } },
      yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#e6e8eb' } } },
      tooltip: { trigger: 'item', renderMode: 'richText', formatter: (p) => `${p.name}\n${p.value} 个单位` },
      series: [{
        type: 'bar', data: values, barMaxWidth: 48,
        itemStyle: { color: (p) => (order[p.dataIndex] === 0 ? '#9aa1ab' : '#a4161a'), borderRadius: [3, 3, 0, 0] },
        label: { show: true, position: 'top', color: '#1f2328' },
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

// Per star: named and not withdrawn, and meeting it now on its own merits.
function starTable(summary, scheme) {
  const names = scheme.categories.map((c) => c.name);
  const extra = Object.keys(summary.stars ?? {}).filter((n) => !names.includes(n));
  const prerequisite = scheme.categories.find((c) => c.code === scheme.prerequisite)?.name;
  return h('section', { class: 'card', 'aria-labelledby': 'stars-title' },
    h('h2', { id: 'stars-title' }, '各星达标情况'),
    h('p', { class: 'muted' }, '“已命名”为经命名且未被摘除的星；“当前达标”为按目前的自评和数据已达到该星标准的单位（不论前置星）。'),
    h('div', { class: 'table-scroll' },
      h('table', { class: 'data-table star-table' },
        h('caption', { class: 'visually-hidden' }, '各星的命名和达标单位数'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '星'),
          h('th', { scope: 'col', class: 'number' }, '已命名'),
          h('th', { scope: 'col', class: 'number' }, '当前达标'),
          h('th', { scope: 'col', class: 'number' }, '达标占比'))),
        h('tbody', {}, [...names, ...extra].map((star) => {
          const row = summary.stars?.[star] ?? { won: 0, meets_now: 0 };
          return h('tr', { 'data-star': star },
            h('th', { scope: 'row' }, star, star === prerequisite ? h('span', { class: 'tag tag-prerequisite' }, '前置星') : null),
            h('td', { class: 'number' }, String(row.won ?? 0)),
            h('td', { class: 'number' }, String(row.meets_now ?? 0)),
            h('td', { class: 'number share' }, shareText(row.meets_now ?? 0, summary.units)));
        })))));
}

// Declared targets (争创几星) against the named levels.
function targetTable(summary, stars) {
  const target = (n) => summary.targets?.[String(n)] ?? 0;
  const level = (n) => summary.levels?.[String(n)] ?? 0;
  return h('section', { class: 'card', 'aria-labelledby': 'targets-title' },
    h('h2', { id: 'targets-title' }, '目标与结果'),
    h('p', { class: 'muted' }, `已申报 ${summary.declared ?? 0} 个，已命名 ${summary.named ?? 0} 个。`),
    h('div', { class: 'table-scroll' },
      h('table', { class: 'data-table target-table' },
        h('caption', { class: 'visually-hidden' }, '各星级的目标单位数和命名单位数'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '星级'),
          h('th', { scope: 'col', class: 'number' }, '目标星级'),
          h('th', { scope: 'col', class: 'number' }, '命名星级'))),
        h('tbody', {}, levelsDown(stars).map((n) => h('tr', { 'data-level': n },
          h('th', { scope: 'row' }, n > 0 ? levelText(n) : '未申报 / 未评星'),
          h('td', { class: 'number' }, String(target(n))),
          h('td', { class: 'number' }, String(level(n)))))))));
}

// The children of the unit ranked by average named level.
function townshipTable(summary, scheme) {
  const rows = summary.townships ?? [];
  if (rows.length === 0) return null;
  const stars = scheme.categories.length;
  const spread = (levels) => levelsDown(stars).filter((n) => n > 0 && levels?.[String(n)])
    .map((n) => `${levelText(n)} ${levels[String(n)]}`).join(' · ') || '—';
  return h('section', { class: 'card', 'aria-labelledby': 'townships-title' },
    h('h2', { id: 'townships-title' }, '下级单位排名'),
    h('p', { class: 'muted' }, '按平均星级（未命名的单位计 0 星）排列；点击名称查看详情。'),
    h('div', { class: 'table-scroll' },
      h('table', { class: 'data-table township-table' },
        h('caption', { class: 'visually-hidden' }, '下级单位按平均星级排名'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', class: 'rank' }, '排名'),
          h('th', { scope: 'col' }, '单位'),
          h('th', { scope: 'col', class: 'number' }, '参评单位'),
          h('th', { scope: 'col', class: 'number' }, '已命名'),
          h('th', { scope: 'col', class: 'number' }, '平均星级'),
          h('th', { scope: 'col' }, '星级分布'))),
        h('tbody', {}, rows.map((row, i) => h('tr', { 'data-unit': row.code },
          h('td', { class: 'rank' }, String(i + 1)),
          h('th', { scope: 'row', class: 'name-cell' },
            // A village opens its own page, a township its figures.
            h('a', { href: row.code.length >= 12 ? ratingHref(row.code, scheme.code)
              : `#/ratings?${new URLSearchParams({ unit: row.code, scheme: scheme.code })}` }, row.name),
            h('span', { class: 'code' }, row.code)),
          h('td', { class: 'number' }, String(row.units ?? 0)),
          h('td', { class: 'number' }, String(row.named ?? 0)),
          h('td', { class: 'number' }, scoreText(row.average_level)),
          h('td', {}, spread(row.levels))))))));
}

// 待乡镇初审 and 待县级复审, for those who review.
function queues({ scheme, unit, signal }) {
  const queue = (state, title, id, perm, hint) => (hasPerm(perm)
    ? h('section', { class: 'card rating-queue', 'aria-labelledby': id, 'data-queue': state },
      h('h2', { id }, title),
      h('p', { class: 'muted' }, hint),
      ratingList({ scheme, unit, state, emptyText: '暂无待审核的单位。', signal }))
    : null);
  return [
    queue('submitted', '待乡镇初审', 'queue-township', 'ratings:review', '已提交自评、等待乡镇（街道）初审的单位。'),
    queue('township_passed', '待县级复审', 'queue-county', 'ratings:approve', '已通过乡镇初审、等待县级复审的单位。'),
  ];
}

function ratingList({ scheme, unit, state, emptyText, signal }) {
  return pagedList({
    fetchPage: (after) => getJSON(apiUrl('/api/v1/ratings', {
      scheme: scheme.code, unit, state, limit: PAGE, after,
    }), { signal }),
    renderItem: (item) => ratingRow(item, scheme),
    emptyText,
    signal,
    list: h('ul', { class: 'unit-list rating-list' }),
  });
}

function ratingRow(item, scheme) {
  const stars = scheme.categories.length;
  return h('li', { class: 'item-row rating-row', 'data-unit': item.unit?.code },
    h('div', { class: 'user-title' },
      h('a', { class: 'item-title', href: ratingHref(item.unit?.code, item.scheme ?? scheme.code) }, item.unit?.name ?? item.unit?.code),
      ratingStateTag(item)),
    h('p', { class: 'user-meta' },
      h('span', { class: 'code' }, item.unit?.code ?? ''),
      h('span', {}, targetText(item.target)),
      item.level !== null && item.level !== undefined ? h('span', {}, item.named ? '命名 ' : '当前 ', starIcons(item.level, stars)) : null,
      item.updated_at ? h('span', {}, `更新于 ${formatTime(item.updated_at)}`) : null));
}

function queryForm({ unit, scheme, schemes, signal }) {
  const schemeSelect = select('scheme', schemes.map((s) => ({ value: s.code, label: `${s.year} 年 · ${s.name}` })), scheme.code);
  const form = h('form', { class: 'card filters', 'aria-label': '选择单位和创建标准', novalidate: true },
    unitField({ name: 'unit', label: '单位', value: unit, signal }),
    field('创建标准', schemeSelect),
    h('div', { class: 'filters-submit' }, h('button', { type: 'submit', class: 'button primary' }, '查询')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    const code = form.elements.unit.value.trim();
    if (code) params.set('unit', code);
    params.set('scheme', schemeSelect.value);
    location.hash = `#/ratings?${params}`;
  });
  return form;
}
