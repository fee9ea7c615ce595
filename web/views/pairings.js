// pairings.js — 支部联建 ('#/pairings?unit=COUNTY&scheme=…'): in a county
// (by default the caller's scope), strong villages (争创或已获四星、五星) each
// pair with weak ones (一星、二星) for 支部联建·环境联创·产业联盟.
// The saved pairs (GET /api/v1/pairings) show each weak unit's state and
// how far its creation checklist has got; 生成建议 asks the server for a balanced proposal
// (GET /api/v1/pairings/suggest, same township preferred) shown as a table
// whose strong partner can be changed per weak unit (or 不结对); 保存
// replaces the county's pairs (PUT, ratings:approve).
import { h } from '../ui/dom.js';
import { getJSON, sendJSON, apiUrl } from '../api.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { field, select, showFieldError, uniqueId } from '../ui/form.js';
import { unitField } from '../ui/unit-field.js';
import { currentUser, hasPerm } from '../session.js';
import { loadSchemes, chosenScheme, levelText, targetText, ratingStateTag, ratingHref } from './ratings/common.js';

export async function render(main, { query, signal }) {
  const me = currentUser();
  const unit = (query.get('unit') ?? '').trim() || me.scope?.code || '';
  main.append(h('header', { class: 'card page-header' },
    h('h1', {}, '支部联建'),
    h('p', { class: 'muted' }, '以强带弱：争创四星、五星的村与一星、二星的村结对，开展支部联建、环境联创、产业联盟。')));
  const notice = loading();
  main.append(notice);
  let schemes;
  try {
    schemes = await loadSchemes();
  } catch (error) {
    if (signal.aborted) return;
    notice.replaceWith(errorAlert(error));
    return;
  }
  if (signal.aborted) return;
  notice.remove();
  const scheme = chosenScheme(schemes, query.get('scheme'));
  if (!scheme) {
    main.append(empty('还没有创建标准。'));
    return;
  }
  const form = queryForm({ unit, scheme, schemes, signal });
  main.append(form);
  if (!unit) {
    main.append(empty('请选择县（区）后查询。'));
    return;
  }
  const params = { scheme: scheme.code, unit };
  const saved = h('section', { class: 'card', 'aria-labelledby': 'pairs-title' },
    h('h2', { id: 'pairs-title', tabindex: '-1' }, '已确定的结对'), loading());
  const proposal = h('section', { class: 'card', 'aria-labelledby': 'suggest-title' });
  main.append(saved, proposal);

  async function loadSaved() {
    try {
      const answer = await getJSON(apiUrl('/api/v1/pairings', params), { signal });
      if (signal.aborted) return;
      saved.replaceChildren(saved.firstChild, ...savedPairs(answer.items ?? [], scheme));
    } catch (error) {
      if (signal.aborted) return;
      saved.replaceChildren(saved.firstChild);
      if (!(error.field && showFieldError(form, error.field, error.message))) saved.append(errorAlert(error));
    }
  }

  const suggest = h('button', { type: 'button', class: 'button primary' }, '生成建议');
  const proposalBody = h('div', {});
  proposal.append(
    h('div', { class: 'section-head' }, h('h2', { id: 'suggest-title' }, '结对建议'), suggest),
    h('p', { class: 'muted' }, '按星级和目标自动生成：每个强村分到数量相近的弱村，优先同一乡镇；可逐个调整后保存。'),
    proposalBody);
  suggest.addEventListener('click', async () => {
    suggest.disabled = true;
    proposalBody.replaceChildren(loading('正在生成建议…'));
    try {
      const answer = await getJSON(apiUrl('/api/v1/pairings/suggest', params), { signal });
      if (signal.aborted) return;
      proposalBody.replaceChildren(editor({ answer, params, signal, onSaved: loadSaved }));
    } catch (error) {
      if (signal.aborted) return;
      proposalBody.replaceChildren(errorAlert(error));
    } finally {
      suggest.disabled = false;
    }
  });
  loadSaved();
}

// The saved pairs grouped by strong unit, with the weak one's state and
// progress.
function savedPairs(items, scheme) {
  if (items.length === 0) return [empty('尚未确定结对。')];
  const strong = new Map();
  for (const pair of items) {
    const key = pair.strong.code;
    if (!strong.has(key)) strong.set(key, { unit: pair.strong, weak: [] });
    strong.get(key).weak.push(pair);
  }
  // A partner outside the caller's scope comes with its name only.
  const standing = (u) => (u.readable === false ? '不在管辖范围内'
    : `${targetText(u.target ?? 0)} · ${u.level ? levelText(u.level) : '未评星'}`);
  const unitLink = (u) => (u.readable === false ? h('span', {}, u.name) : h('a', { href: ratingHref(u.code, scheme.code) }, u.name));
  return [
    h('p', { class: 'muted' }, `${strong.size} 个强村结对 ${items.length} 个弱村。`),
    h('div', { class: 'table-scroll' },
      h('table', { class: 'data-table pair-table' },
        h('caption', { class: 'visually-hidden' }, '已确定的结对及弱村创建清单进度'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '强村'),
          h('th', { scope: 'col' }, '结对弱村'),
          h('th', { scope: 'col' }, '弱村状态'),
          h('th', { scope: 'col', class: 'number' }, '创建清单'))),
        [...strong.values()].map((group) => h('tbody', { 'data-strong': group.unit.code },
          group.weak.map((pair, i) => h('tr', { 'data-weak': pair.weak.code },
            i === 0 ? h('th', { scope: 'rowgroup', rowspan: group.weak.length, class: 'name-cell' },
              unitLink(group.unit),
              h('span', { class: 'code' }, standing(group.unit))) : null,
            h('td', { class: 'name-cell' },
              h('a', { href: ratingHref(pair.weak.code, scheme.code) }, pair.weak.name),
              h('span', { class: 'code' }, standing(pair.weak))),
            h('td', {}, ratingStateTag(pair.weak)),
            h('td', { class: 'number' }, progress(pair.weak_checklist)))))))),
  ];
}

// "3 / 8" with a bar; '未生成' without a checklist.
function progress(list) {
  if (!list || !list.total) return '未生成';
  return h('span', { class: 'pair-progress' },
    h('progress', { max: list.total, value: list.done, 'aria-hidden': 'true' }),
    `${list.done} / ${list.total}`);
}

// The proposal as rows of weak units, each with a select of the strong ones.
function editor({ answer, params, signal, onSaved }) {
  const pairs = answer.pairs ?? [];
  if (pairs.length === 0) {
    return empty(`没有可结对的单位（强村 ${answer.strong ?? 0} 个，弱村 ${answer.weak ?? 0} 个）。`);
  }
  const strongUnits = [...new Map(pairs.map((p) => [p.strong.code, p.strong])).values()];
  const options = [{ value: '', label: '不结对' }, ...strongUnits.map((u) => ({ value: u.code, label: u.name }))];
  const rows = pairs.map((pair) => {
    const id = uniqueId('partner');
    const choice = select('strong', options, pair.strong.code, { id, 'data-weak': pair.weak.code });
    return h('tr', { 'data-weak': pair.weak.code },
      h('th', { scope: 'row', class: 'name-cell' },
        h('label', { for: id }, pair.weak.name), h('span', { class: 'code' }, pair.weak.code)),
      h('td', {}, choice),
      h('td', {}, pair.same_township ? h('span', { class: 'tag tag-level' }, '同乡镇') : h('span', { class: 'muted' }, '跨乡镇')));
  });
  const status = h('p', { class: 'action-status', role: 'status' });
  const alertBox = h('div', {});
  const save = hasPerm('ratings:approve') ? h('button', { type: 'button', class: 'button primary' }, '保存') : null;
  save?.addEventListener('click', async () => {
    alertBox.replaceChildren();
    status.textContent = '';
    const chosen = rows.map((row) => row.querySelector('select'))
      .filter((s) => s.value)
      .map((s) => ({ strong: s.value, weak: s.dataset.weak }));
    save.disabled = true;
    try {
      await sendJSON('PUT', apiUrl('/api/v1/pairings', params), { pairs: chosen });
      if (signal.aborted) return;
      status.textContent = `已保存 ${chosen.length} 对结对`;
      await onSaved();
    } catch (error) {
      if (signal.aborted) return;
      alertBox.replaceChildren(errorAlert(error));
    } finally {
      save.disabled = false;
    }
  });
  return h('div', { class: 'pair-editor' },
    h('p', { class: 'muted' }, `强村 ${answer.strong ?? strongUnits.length} 个，弱村 ${answer.weak ?? pairs.length} 个，建议结对 ${pairs.length} 对。`),
    h('div', { class: 'table-scroll' },
      h('table', { class: 'data-table pair-edit-table' },
        h('caption', { class: 'visually-hidden' }, '每个弱村的结对强村，可修改'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '弱村'),
          h('th', { scope: 'col' }, '结对强村'),
          h('th', { scope: 'col' }, '乡镇'))),
        h('tbody', {}, rows))),
    status,
    alertBox,
    save ? h('div', { class: 'form-actions' }, save) : h('p', { class: 'muted' }, '保存结对需要县级审批权限。'));
}

function queryForm({ unit, scheme, schemes, signal }) {
  const schemeSelect = select('scheme', schemes.map((s) => ({ value: s.code, label: `${s.year} 年 · ${s.name}` })), scheme.code);
  const form = h('form', { class: 'card filters', 'aria-label': '选择县（区）和创建标准', novalidate: true },
    unitField({ name: 'unit', label: '县（区）', value: unit, levels: ['county'], placeholder: '输入县（区）名称，如 舞阳', signal }),
    field('创建标准', schemeSelect),
    h('div', { class: 'filters-submit' }, h('button', { type: 'submit', class: 'button primary' }, '查询')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    const code = form.elements.unit.value.trim();
    if (code) params.set('unit', code);
    params.set('scheme', schemeSelect.value);
    location.hash = `#/pairings?${params}`;
  });
  return form;
}
