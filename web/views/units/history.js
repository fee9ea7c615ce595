// history.js — a unit's history on its page: the names it had with their
// days, the units that merged into it, and, for a retired unit, when it
// was retired and where its work went (GET /api/v1/units/{code}/history).
import { h } from '../../ui/dom.js';
import { getJSON } from '../../api.js';
import { unitHref } from './href.js';

const span = (from, to) => `${from ?? '最初'} 至 ${to ?? '今'}`;

export function unitHistory(unit, signal) {
  const section = h('section', { class: 'card unit-history', 'aria-labelledby': 'history-title', hidden: !unit.retired },
    h('h2', { id: 'history-title' }, '沿革'));
  if (unit.retired) {
    section.append(h('p', { class: 'alert', role: 'note' },
      `此单位已于 ${unit.retired} 撤销`,
      unit.successor ? ['，工作移交 ', h('a', { href: unitHref(unit.successor.code) }, unit.successor.name)] : '',
      unit.current_successor && unit.current_successor.code !== unit.successor?.code
        ? ['（现为 ', h('a', { href: unitHref(unit.current_successor.code) }, unit.current_successor.name), '）'] : '',
      '。'));
  }
  fill(unit, section, signal);
  return section;
}

async function fill(unit, section, signal) {
  let history;
  try {
    history = await getJSON(`/api/v1/units/${encodeURIComponent(unit.code)}/history`, { signal });
  } catch {
    return; // the page works without it
  }
  const names = history.names.length > 1 || history.since ? h('ol', { class: 'history-names' },
    history.names.map((n) => h('li', {}, `${n.name}（${span(n.from, n.to)}）`))) : null;
  const merged = history.predecessors.length ? h('p', {}, '并入本单位：',
    history.predecessors.flatMap((p, i) => [i ? '、' : '', h('a', { href: unitHref(p.code) }, p.name),
      p.retired ? `（${p.retired}）` : ''])) : null;
  if (!names && !merged) return;
  section.append(...[names ? h('h3', {}, '名称') : null, names, merged].filter(Boolean));
  section.hidden = false;
}
