// search-form.js — 搜索单位: a name (or, for digits, a code prefix) searched
// within the open unit's subtree, or everywhere when the reader unticks the
// scope; an empty search goes back to the unit's own list. Submitting moves to the address of the results, so Back returns
// to them.
import { h } from '../../ui/dom.js';
import { unitHref } from './href.js';

export function searchForm(unit, q) {
  const input = h('input', {
    id: 'unit-search', type: 'search', name: 'q', value: q, maxlength: 100,
    autocomplete: 'off', enterkeyhint: 'search', placeholder: '单位名称或代码，如 舞阳县、411121',
  });
  const within = unit && h('input', { type: 'checkbox', name: 'within', checked: true });
  const form = h('form', { class: 'card search', role: 'search' },
    h('label', { for: 'unit-search' }, '搜索单位'),
    h('div', { class: 'search-row' },
      input,
      h('button', { type: 'submit', class: 'button primary' }, '搜索')),
    unit ? h('label', { class: 'scope' }, within, `只在“${unit.name}”内搜索`) : null);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    const scope = unit && (within.checked || !text) ? unit.code : null;
    location.hash = unitHref(scope, text);
  });
  return form;
}
