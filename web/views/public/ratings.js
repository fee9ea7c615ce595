// ratings.js — 五星支部公示 ('#/public/ratings?unit=COUNTY&year=YYYY'), for
// residents without an account: a county's named "五星" branches (单位,
// 乡镇, 星级, the stars won) and the ratings now in public notice (公示)
// with the day it ends (GET /api/v1/public/ratings). Without a county it
// shows 舞阳县 (411121); a resident finds theirs by name — a county, a
// township or a village, whose county the page then shows — or walks down
// from the province (ui/unit-field.js, as 提交诉求 does).
import { h } from '../../ui/dom.js';
import { getJSON, apiUrl } from '../../api.js';
import { field, select } from '../../ui/form.js';
import { unitField } from '../../ui/unit-field.js';
import { loading, errorAlert, empty } from '../../ui/notice.js';
import { formatTime } from '../../labels.js';
import { starIcons, levelText } from '../ratings/common.js';
import { publicLinks } from './common.js';

const DEFAULT_COUNTY = '411121'; // 舞阳县
const FIRST_YEAR = 2022; // the Henan campaign began in May 2022

export async function render(main, { query, signal, setTitle }) {
  setTitle('五星支部公示');
  const county = /^\d{6}$/.test(query.get('unit') ?? '') ? query.get('unit') : DEFAULT_COUNTY;
  const year = /^\d{4}$/.test(query.get('year') ?? '') ? Number(query.get('year')) : null;
  const go = (code, y) => {
    const params = new URLSearchParams({ unit: code });
    if (y) params.set('year', y);
    location.hash = `#/public/ratings?${params}`;
  };
  const heading = h('h1', { id: 'public-ratings-title' }, '五星支部公示');
  const intro = h('p', { class: 'muted' }, '“五星”支部创建的命名结果和正在公示的名单。');
  const results = h('div', {}, loading());
  main.append(
    h('section', { class: 'card public-card public-ratings-head', 'aria-labelledby': 'public-ratings-title' },
      heading, intro, yearField(), countyFinder({ signal, onPick: (code) => go(code, year) })),
    results,
    publicLinks('ratings'));

  let answer;
  try {
    answer = await getJSON(apiUrl('/api/v1/public/ratings', { unit: county, year }), { signal, auth: false });
  } catch (error) {
    if (signal.aborted) return;
    results.replaceChildren(errorAlert(error.status === 404 ? new Error('没有找到这个县（区）的公示信息') : error));
    return;
  }
  if (signal.aborted) return;
  const name = typeof answer.unit === 'object' ? answer.unit?.name : answer.unit;
  heading.textContent = `${name ?? county} · ${answer.year ?? year ?? ''} 年五星支部`;
  setTitle(`${name ?? county} 五星支部公示`);
  const yearSelect = main.querySelector('select[name="year"]');
  fillYears(yearSelect, answer.year ?? year);
  yearSelect.addEventListener('change', () => go(county, yearSelect.value));
  results.replaceChildren(noticeSection(answer.notices ?? []), namedSection(answer.named ?? []));

  // The year: this one back to the campaign's first.
  function yearField() {
    return field('年度', select('year', [], ''), { hint: '选择年度查看当年的命名结果' });
  }
}

function fillYears(control, chosen) {
  const now = new Date().getFullYear();
  const years = [];
  for (let y = Math.max(now, chosen ?? now); y >= FIRST_YEAR; y--) years.push(y);
  control.replaceChildren(...years.map((y) => h('option', { value: y, selected: y === chosen }, `${y} 年`)));
}

const unitName = (u) => (typeof u === 'object' ? u?.name : u) ?? '';
const township = (u) => (typeof u?.township === 'object' ? u.township?.name : u?.township) ?? '';

// 公示中: the ratings whose notice is open, with its end.
function noticeSection(notices) {
  return h('section', { class: 'card public-card', 'aria-labelledby': 'notice-title' },
    h('h2', { id: 'notice-title' }, '正在公示'),
    notices.length === 0 ? empty('目前没有正在公示的名单。') : [
      h('p', { class: 'muted' }, '对公示名单如有异议，请在公示期内向所在乡镇（街道）党（工）委反映。'),
      h('ul', { class: 'public-rating-list' }, notices.map((n) => h('li', { class: 'public-rating notice-row' },
        h('div', { class: 'public-rating-head' },
          h('span', { class: 'public-unit-name' }, unitName(n.unit)),
          township(n.unit) ? h('span', { class: 'muted' }, township(n.unit)) : null),
        h('p', {}, '拟命名 ', starIcons(n.level, 5), ` ${levelText(n.level ?? 0)}`),
        n.stars?.length ? h('p', { class: 'public-stars' }, n.stars.join('、')) : null,
        h('p', { class: 'public-notice-until' }, `公示截止：${n.notice_until ?? ''}`)))),
    ]);
}

// The named list: 单位, 乡镇, 星级 ★, the stars.
function namedSection(named) {
  return h('section', { class: 'card public-card', 'aria-labelledby': 'named-title' },
    h('h2', { id: 'named-title' }, '命名名单'),
    named.length === 0 ? empty('本年度尚未命名。') : h('div', { class: 'table-scroll' },
      h('table', { class: 'data-table public-named-table' },
        h('caption', { class: 'visually-hidden' }, '已命名的五星支部'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '单位'),
          h('th', { scope: 'col' }, '乡镇'),
          h('th', { scope: 'col' }, '星级'),
          h('th', { scope: 'col' }, '所获星'))),
        h('tbody', {}, named.map((n) => h('tr', { 'data-unit': typeof n.unit === 'object' ? n.unit?.code : n.unit },
          h('th', { scope: 'row', class: 'name-cell' }, unitName(n.unit),
            n.named_at ? h('span', { class: 'code' }, `命名于 ${formatTime(n.named_at).slice(0, 10)}`) : null),
          h('td', {}, township(n.unit)),
          h('td', {}, starIcons(n.level, 5), h('span', { class: 'visually-hidden' }, levelText(n.level ?? 0))),
          h('td', {}, (n.stars ?? []).join('、'))))))));
}

// 查找其他县（区）: a county, township or village found by name or down the
// tree from the province (ui/unit-field.js); its county is shown.
function countyFinder({ signal, onPick }) {
  return unitField({
    name: 'place',
    label: '查找其他县（区）',
    residents: true,
    levels: ['county', 'township', 'village'],
    placeholder: '输入县、乡镇或村名称，如 舞阳',
    hint: '输入您所在的县（区）、乡镇或村（社区）名称并从结果中选择，或逐级选择省、市、县，查看所在县（区）的公示。',
    onChange: (unit) => unit && onPick(unit.code.slice(0, 6)),
    signal,
  });
}
