// mine.js — '#/mine': 我的档案, the signed-in member's own record (党员).
import { h } from '../../ui/dom.js';
import { getJSON } from '../../api.js';
import { loading, errorAlert } from '../../ui/notice.js';
import { personCard } from './person-card.js';

export async function render(main, { signal }) {
  main.append(loading());
  try {
    const r = await getJSON('/api/v1/me/person', { signal });
    main.replaceChildren(...(r.person ? personCard(r.person, { linkOrg: false })
      : [h('section', { class: 'card' }, h('h1', {}, '我的档案'), h('p', { class: 'muted' }, r.message))]));
  } catch (error) {
    if (!signal.aborted) main.replaceChildren(errorAlert(error));
  }
}
