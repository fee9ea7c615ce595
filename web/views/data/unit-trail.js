// unit-trail.js — where the shown unit lies (河南省 › 漯河市 › 舞阳县 › 舞泉镇),
// each ancestor inside the reader's scope a link to the same page for it.
import { h } from '../../ui/dom.js';
import { inScope } from '../units/breadcrumb.js';

// path: the unit's path from the API; scope: the reader's scope code (null:
// the whole country); href(code): the page for that unit.
export function unitTrail(path, scope, href) {
  const items = path.map((entry, i) => {
    if (i === path.length - 1) return h('li', { 'aria-current': 'page' }, entry.name);
    if (!inScope(entry.code, scope)) return h('li', { class: 'out-of-scope' }, entry.name);
    return h('li', {}, h('a', { href: href(entry.code) }, entry.name));
  });
  return h('nav', { class: 'breadcrumb', 'aria-label': '单位位置' }, h('ol', {}, items));
}
