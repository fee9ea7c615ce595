// household.js — '#/households/ID': 一户一档, a household with its tags and
// residents; '#/households' alone is the list of a unit's households
// (households.js).
import { h } from '../../ui/dom.js';
import { getJSON } from '../../api.js';
import { loading, errorAlert } from '../../ui/notice.js';
import { renderList } from './households.js';

export async function render(main, context) {
  const { params, signal } = context;
  if (!params[0]) return renderList(main, context);
  main.append(loading());
  try {
    const hh = await getJSON(`/api/v1/households/${encodeURIComponent(params[0] ?? '')}`, { signal });
    main.replaceChildren(
      h('section', { class: 'card' },
        h('h1', {}, hh.address || '（未填地址）'),
        h('p', { class: 'muted' }, hh.unit?.name ?? ''),
        hh.head ? h('p', {}, '户主：', h('a', { href: `#/persons/${hh.head.id}` }, hh.head.name)) : null,
        h('p', { class: 'tags' }, ...hh.tags.map((t) => h('span', { class: 'tag' }, t.name)))),
      h('section', { class: 'card' },
        h('h2', {}, '家庭成员'),
        h('ul', { class: 'unit-list' }, ...hh.members.map((m) => h('li', {},
          h('a', { href: `#/persons/${m.person}` }, m.person_name), ' ',
          h('span', { class: 'muted' }, `${m.stage_name} · ${m.from} 起`))))));
  } catch (error) {
    if (!signal.aborted) main.replaceChildren(errorAlert(error));
  }
}
