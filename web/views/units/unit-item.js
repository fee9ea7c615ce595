// unit-item.js — one unit as a row of a list, the whole row a link to its
// page. Search results add the level and the path, since they come from
// anywhere in the tree.
import { h } from '../../ui/dom.js';
import { levelLabel, formatCount, pathText } from '../../labels.js';
import { unitHref } from './href.js';

export function unitItem(unit, { inSearch = false } = {}) {
  const tags = inSearch ? [levelLabel(unit.level), unit.kind_label] : [unit.kind_label ?? levelLabel(unit.level)];
  const children = unit.child_count > 0 ? `${formatCount(unit.child_count)} 个下级单位` : '无下级单位';
  return h('li', {},
    h('a', { class: 'unit-link', href: unitHref(unit.code) },
      h('span', { class: 'unit-title' },
        h('span', { class: 'unit-name' }, unit.name),
        tags.filter(Boolean).map((tag) => h('span', { class: 'tag' }, tag))),
      h('span', { class: 'unit-meta' },
        h('span', {}, children),
        h('span', { class: 'code' }, unit.code)),
      inSearch ? h('span', { class: 'unit-path' }, pathText(unit.path)) : null));
}
