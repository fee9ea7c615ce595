// breadcrumb.js — 全国 › 河南省 › 漯河市 › 舞阳县 from a unit's path; every
// entry but the last (the page itself) is a link.
import { h } from '../../ui/dom.js';
import { unitHref } from './href.js';

export function breadcrumb(path) {
  const entries = [{ code: null, name: '全国' }, ...path];
  const items = entries.map((entry, i) =>
    i === entries.length - 1
      ? h('li', { 'aria-current': 'page' }, entry.name)
      : h('li', {}, h('a', { href: unitHref(entry.code) }, entry.name)));
  return h('nav', { class: 'breadcrumb', 'aria-label': '当前位置' }, h('ol', {}, items));
}
