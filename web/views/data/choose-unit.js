// choose-unit.js — for a whole-country user, who has no unit of their own
// to start from: the provinces to pick one of (or a unit chosen above).
import { h } from '../../ui/dom.js';
import { getJSON } from '../../api.js';
import { loading, errorAlert } from '../../ui/notice.js';

export function chooseUnit(href, signal) {
  const list = h('ul', { class: 'choice-list' });
  const section = h('section', { class: 'card', 'aria-labelledby': 'choose-title' },
    h('h2', { id: 'choose-title' }, '选择单位'),
    h('p', { class: 'muted' }, '请在上方查找单位，或从省份开始：'),
    loading(), list);
  getJSON('/api/v1/units?limit=1000', { signal }).then((page) => {
    section.querySelector('.notice')?.remove();
    list.replaceChildren(...page.items.map((unit) => h('li', {}, h('a', { href: href(unit.code) }, unit.name))));
  }, (error) => {
    if (signal.aborted) return;
    section.querySelector('.notice')?.replaceWith(errorAlert(error));
  });
  return section;
}
