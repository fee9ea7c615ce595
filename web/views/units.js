// units.js — 组织体系, the tree browser: '#/units' lists the top of the
// user's tree (the provinces, or their scope unit alone), '#/units/CODE'
// shows one unit with its children, and ?q= replaces the children with
// search results inside that unit's subtree. Units outside the scope
// answer 404; ancestors above it show in the breadcrumb as plain text.
import { h } from '../ui/dom.js';
import { getJSON, apiUrl } from '../api.js';
import { loading, errorAlert } from '../ui/notice.js';
import { pagedList } from '../ui/paged-list.js';
import { formatCount } from '../labels.js';
import * as notFound from './not-found.js';
import { breadcrumb } from './units/breadcrumb.js';
import { unitHeader, rootHeader } from './units/unit-header.js';
import { searchForm } from './units/search-form.js';
import { unitItem } from './units/unit-item.js';
import { unitHref } from './units/href.js';
import { unitHistory } from './units/history.js';
import { currentUser } from '../session.js';

// Below the API's default of 100, so a phone on a weak signal gets its
// first screen sooner; the largest townships (70-odd villages) page once.
const CHILDREN_PAGE = 50;
const SEARCH_PAGE = 20;

export async function render(main, { params, query, signal, setTitle }) {
  if (params.length > 1) return notFound.render(main);
  const code = params[0] ?? null;
  const q = (query.get('q') ?? '').trim();
  const scope = currentUser()?.scope ?? null;
  const scopeCode = scope?.code ?? null;
  let unit = null;
  if (code) {
    main.append(loading());
    try {
      unit = await getJSON(`/api/v1/units/${encodeURIComponent(code)}`, { signal });
    } catch (error) {
      if (signal.aborted) return;
      setTitle('无法打开单位');
      main.replaceChildren(breadcrumb([{ code, name: code }], scopeCode), errorAlert(error));
      return;
    }
    main.replaceChildren();
    setTitle(unit.name);
  }
  // A scoped user's top page has no place in the tree to show.
  if (unit || !scope) main.append(breadcrumb(unit ? unit.path : [], scopeCode));
  if (unit?.retired) { // kept for history: no children or search of its own
    main.append(unitHeader(unit, signal), unitHistory(unit, signal));
    return;
  }
  main.append(...[
    unit ? unitHeader(unit, signal) : rootHeader(scope),
    unit ? unitHistory(unit, signal) : null,
    searchForm(unit, q),
    q ? searchResults(unit, q, scope, signal) : childList(unit, scope, signal)].filter(Boolean));
}

function childList(unit, scope, signal) {
  const fetchPage = (after) => unit
    ? getJSON(apiUrl(`/api/v1/units/${encodeURIComponent(unit.code)}/children`, { limit: CHILDREN_PAGE, after }), { signal })
    : getJSON(apiUrl('/api/v1/units', { limit: CHILDREN_PAGE, after }), { signal });
  const count = unit ? `共 ${formatCount(unit.child_count)} 个` : '';
  return h('section', { class: 'card', 'aria-labelledby': 'list-title' },
    h('div', { class: 'section-head' },
      h('h2', { id: 'list-title' }, unit ? '下级单位' : scope ? '管辖单位' : '省级单位'),
      count ? h('span', { class: 'muted' }, count) : null),
    pagedList({
      fetchPage,
      renderItem: (child) => unitItem(child),
      emptyText: unit ? '此单位暂无下级单位。' : '尚未导入任何单位。',
      total: unit ? unit.child_count : null,
      signal,
    }));
}

function searchResults(unit, q, scope, signal) {
  const fetchPage = (after) =>
    getJSON(apiUrl('/api/v1/units', { q, unit: unit?.code, limit: SEARCH_PAGE, after }), { signal });
  const within = unit ? `“${unit.name}”内` : scope ? '管辖范围内' : '全部单位中';
  return h('section', { class: 'card', 'aria-labelledby': 'list-title' },
    h('div', { class: 'section-head' },
      h('h2', { id: 'list-title' }, '搜索结果'),
      h('a', { href: unitHref(unit?.code) },
        unit ? '返回下级单位列表' : scope ? '返回管辖单位列表' : '返回省级单位列表')),
    h('p', { class: 'muted' }, `在${within}搜索“${q}”`),
    pagedList({
      fetchPage,
      renderItem: (found) => unitItem(found, { inSearch: true }),
      emptyText: `没有名称或代码包含“${q}”的单位。`,
      signal,
    }));
}
