// breadcrumb.js — 全国 › 河南省 › 漯河市 › 舞阳县 from a unit's path. Every
// entry but the last (the page itself) is a link, except the ones above
// the user's scope (scope: a unit code, null for the whole country), which
// they may not open and which read as plain text.
import { h } from '../../ui/dom.js';
import { unitHref } from './href.js';

export const inScope = (code, scope) => scope === null || (code !== null && code.startsWith(scope));

export function breadcrumb(path, scope = null) {
  const entries = [{ code: null, name: '全国' }, ...path];
  const items = entries.map((entry, i) => {
    if (i === entries.length - 1) return h('li', { 'aria-current': 'page' }, entry.name);
    if (!inScope(entry.code, scope)) return h('li', { class: 'out-of-scope' }, entry.name);
    return h('li', {}, h('a', { href: unitHref(entry.code) }, entry.name));
  });
  return h('nav', { class: 'breadcrumb', 'aria-label': '当前位置' }, h('ol', {}, items));
}
