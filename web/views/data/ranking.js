// ranking.js — the children ranked by value (the API's sort=desc: highest
// first, units without a value last, shown as “—” and without a rank).
// Equal values share a rank (1, 2, 2, 4). Each name opens that unit.
import { h } from '../../ui/dom.js';
import { formatValue } from './labels.js';

export function rankingTable({ rows, fmt, title, href }) {
  let rank = 0;
  let previous;
  const body = rows.map((row, i) => {
    if (row.value !== null && row.value !== previous) rank = i + 1;
    previous = row.value;
    return h('tr', {},
      h('td', { class: 'rank' }, row.value === null ? '—' : String(rank)),
      h('td', {}, h('a', { href: href(row.code) }, row.name), h('span', { class: 'code' }, row.code)),
      h('td', { class: 'number' }, formatValue(row.value, fmt)));
  });
  return h('div', { class: 'table-scroll' },
    h('table', { class: 'data-table ranking' },
      h('caption', { class: 'visually-hidden' }, `${title}：下级单位排名，从高到低，无数据的在最后`),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', class: 'rank' }, '排名'),
        h('th', { scope: 'col' }, '单位'),
        h('th', { scope: 'col', class: 'number' }, title))),
      h('tbody', {}, body)));
}
