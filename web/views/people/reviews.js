// reviews.js — 民主评议 on a person's page: the grades and scores the
// evaluation campaigns that rated this person gave them (kept when each
// campaign closed; GET /api/v1/persons/ID/evaluations), with the 整改 case
// a low result opened.
import { h } from '../../ui/dom.js';
import { getJSON } from '../../api.js';
import { loading, errorAlert } from '../../ui/notice.js';

export function personReviews(personId, { signal }) {
  const box = h('div', {}, loading());
  const card = h('section', { class: 'card person-reviews' }, h('h2', {}, '民主评议'), box);
  getJSON(`/api/v1/persons/${personId}/evaluations`, { signal }).then((r) => {
    if (!r.items.length) {
      card.remove(); // nothing to show for someone never rated
      return;
    }
    box.replaceChildren(h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, ...['年度', '评议', '等次', '得分', '名次', '整改'].map((t) => h('th', {}, t)))),
      h('tbody', {}, ...r.items.map((x) => h('tr', {},
        h('td', {}, String(x.year)), h('td', {}, x.name), h('td', {}, h('strong', {}, x.grade_name ?? '—')),
        h('td', {}, x.score == null ? '—' : String(x.score)), h('td', {}, x.rank ? String(x.rank) : '—'),
        h('td', {}, x.case ? h('a', { href: `#/items/${x.case}` }, '整改事项') : ''))))));
  }).catch((error) => {
    if (!signal.aborted) box.replaceChildren(errorAlert(error));
  });
  return card;
}
