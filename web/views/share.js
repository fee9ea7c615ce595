// share.js — 共享小区 for staff. '#/share?unit=': the needs and offers of
// the subtree (residents' and staff's; contacts masked), for an open need
// its suggested offers (same category and community, overlapping window,
// same building first) with a 撮合 button, the service records with each
// side's confirmation and rating (staff confirm for residents without the
// code), and a form to post on someone's behalf. People see names, never
// codes.
import { h } from '../ui/dom.js';
import { getJSON, sendJSON, apiUrl } from '../api.js';
import { field, input, select, submitForm } from '../ui/form.js';
import { unitField } from '../ui/unit-field.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { hasPerm } from '../session.js';

const chinaDay = (plus = 0) => new Date(Date.now() + plus * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
const appendAll = (main, ...nodes) => main.append(...nodes.filter(Boolean));
const windowText = (p) => (p.from === p.to ? p.from : `${p.from} 至 ${p.to}`);
const place = (p) => `${p.unit.name ?? ''}${p.building ? ` · ${p.building}` : ''}`;
const stars = (n) => (n ? `${'★'.repeat(n)}${'☆'.repeat(5 - n)}` : '未评价');

function postCard(p, { write, onMatch, reload }) {
  const card = h('article', { class: `card share-post share-${p.kind}`, 'data-post': p.id },
    h('p', { class: 'share-meta' },
      h('span', { class: `tag ${p.kind === 'need' ? 'tag-need' : 'tag-offer'}` }, p.kind_name),
      h('span', { class: 'tag' }, p.category.name),
      h('span', { class: `tag ${p.state === 'open' ? '' : 'tag-done'}` }, p.state_label),
      p.by_resident ? h('span', { class: 'tag' }, '居民发布') : null),
    h('h3', { class: 'share-title' }, p.title),
    p.body ? h('p', {}, p.body) : null,
    h('p', { class: 'muted' }, `${place(p)} · ${windowText(p)}${p.contact ? ` · 联系电话 ${p.contact}` : ''}`));
  if (write && p.state === 'open') {
    const box = h('div', { class: 'share-suggestions' });
    const suggest = h('button', { type: 'button', class: 'button' }, p.kind === 'need' ? '推荐的服务' : '推荐的需求');
    const close = h('button', { type: 'button', class: 'button' }, '撤回');
    suggest.addEventListener('click', async () => {
      box.replaceChildren(loading());
      try {
        const s = await getJSON(apiUrl('/api/v1/share/suggestions', { post: p.id }));
        box.replaceChildren(s.items.length
          ? h('ul', { class: 'unit-list' }, ...s.items.map((o) => {
            const go = h('button', { type: 'button', class: 'button primary' }, '撮合');
            go.addEventListener('click', () => onMatch(p.kind === 'need' ? p.id : o.id, p.kind === 'need' ? o.id : p.id, box));
            return h('li', { 'data-suggestion': o.id }, h('strong', {}, o.title), ' ',
              h('span', { class: 'muted' }, `${place(o)} · ${windowText(o)}`), ' ', go);
          }))
          : empty('暂时没有同社区、同类别、时间段重叠的可对接项。'));
      } catch (error) { box.replaceChildren(errorAlert(error)); }
    });
    close.addEventListener('click', async () => {
      try { await sendJSON('POST', '/api/v1/share/posts/close', { post: p.id }); reload(); } catch (error) { box.replaceChildren(errorAlert(error)); }
    });
    card.append(h('p', { class: 'share-actions' }, suggest, ' ', close), box);
  }
  return card;
}

function sideText(label, s) {
  return h('span', {}, `${label}：${s.title}（${s.confirmed ? `已确认，${stars(s.rating)}` : '待确认'}）`);
}

function confirmForm(m, reload) {
  const sides = [['need', '需求方', m.need], ['offer', '服务方', m.offer]].filter(([, , s]) => !s.confirmed);
  if (!sides.length) return null;
  const alertBox = h('div');
  const button = h('button', { type: 'submit', class: 'button primary' }, '代为确认');
  const form = h('form', { class: 'share-confirm', 'aria-label': `确认服务记录 ${m.need.title}` },
    field('确认方', select('side', sides.map(([value, label]) => ({ value, label })), sides[0][0])),
    field('评价', select('rating', [5, 4, 3, 2, 1].map((n) => ({ value: String(n), label: stars(n) })), '5')),
    alertBox, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const ok = await submitForm(form, {
      button, alertBox, busyText: '正在确认…',
      action: () => sendJSON('POST', '/api/v1/share/matches/confirm', { match: m.id, side: form.elements.side.value, rating: Number(form.elements.rating.value) }),
    });
    if (ok) reload();
  });
  return form;
}

function postForm(categories, onSaved, signal) {
  const alertBox = h('div');
  const button = h('button', { type: 'submit', class: 'button primary' }, '发布');
  const form = h('form', { class: 'card', 'aria-label': '代为发布需求或服务' }, h('h2', {}, '代为发布需求或服务'),
    field('类型', select('kind', [{ value: 'need', label: '需求' }, { value: 'offer', label: '可提供的服务' }], 'need')),
    field('类别', select('category', categories.map((c) => ({ value: c.code, label: c.name })), categories[0]?.code ?? '')),
    unitField({ name: 'unit', label: '社区或村', levels: ['village'], placeholder: '输入社区或村的名称', signal }),
    field('楼栋（选填）', input('building', { maxlength: 40, placeholder: '如 3号楼' })),
    field('开始日期', input('from', { type: 'date', value: chinaDay(0), required: '' })),
    field('结束日期', input('to', { type: 'date', value: chinaDay(14), required: '' })),
    field('标题', input('title', { maxlength: 120, required: '' })),
    field('说明（选填）', h('textarea', { name: 'body', class: 'input', rows: 3, maxlength: 2000 })),
    field('联系电话（选填）', input('contact', { type: 'tel', maxlength: 40 }), { hint: '加密保存，只显示部分号码' }),
    alertBox, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = (n) => form.elements[n].value.trim();
    const ok = await submitForm(form, {
      button, alertBox, busyText: '正在发布…',
      action: () => sendJSON('POST', '/api/v1/share/posts', {
        kind: v('kind'), category: v('category'), unit: v('unit'), from: v('from'), to: v('to'), title: v('title'),
        ...(v('building') ? { building: v('building') } : {}), ...(v('body') ? { body: v('body') } : {}), ...(v('contact') ? { contact: v('contact') } : {}),
      }),
    });
    if (ok) onSaved();
  });
  return form;
}

// Renders into main; reloads render aside and then replace root's children
// (root stays in the page, so later reloads still land there).
async function renderPage(main, context, root = main) {
  const { query, signal } = context;
  const unit = query.get('unit') || '';
  const kind = query.get('kind') || '';
  const [posts, matches] = await Promise.all([
    getJSON(apiUrl('/api/v1/share/posts', { unit, kind, state: 'open' }), { signal }),
    getJSON(apiUrl('/api/v1/share/matches', { unit }), { signal }),
  ]);
  const reload = () => { const box = h('div'); renderPage(box, context, root).then(() => root.replaceChildren(...box.childNodes), (e) => root.append(errorAlert(e))); };
  const write = hasPerm('persons:write');
  const onMatch = async (need, offer, box) => {
    try { await sendJSON('POST', '/api/v1/share/matches', { need, offer }); reload(); } catch (error) { box.append(errorAlert(error)); }
  };
  const done = matches.items.filter((m) => m.done).length;
  const filter = (k, label) => h('a', { class: `button ${kind === k ? 'primary' : ''}`, href: `#/share?${new URLSearchParams({ ...(unit ? { unit } : {}), ...(k ? { kind: k } : {}) })}` }, label);
  appendAll(main,
    h('section', { class: 'card' }, h('h2', {}, '待对接的需求和服务'),
      h('p', { class: 'muted' }, `居民在公开页面“共享小区”发布，工作人员也可代为发布；按类别、时间段和楼栋推荐对接。共 ${posts.items.length} 条。`),
      h('p', { class: 'share-filters' }, filter('', '全部'), ' ', filter('need', '需求'), ' ', filter('offer', '服务')),
      posts.items.length
        ? h('div', { class: 'share-board' }, ...posts.items.map((p) => postCard(p, { write, onMatch, reload })))
        : empty('暂时没有待对接的需求或服务。')),
    h('section', { class: 'card' }, h('h2', {}, '服务记录'),
      h('p', { class: 'muted' }, `共 ${matches.items.length} 条，双方确认完成 ${done} 条。`),
      matches.items.length
        ? h('ul', { class: 'unit-list share-matches' }, ...matches.items.map((m) => h('li', { 'data-match': m.id },
          h('span', { class: `tag ${m.done ? 'tag-done' : ''}` }, m.done ? `已完成 ${m.done_on}` : '进行中'), ' ',
          sideText('需求', m.need), ' ', sideText('服务', m.offer), ' ',
          h('span', { class: 'muted' }, m.unit.name ?? ''),
          write ? confirmForm(m, reload) : null)))
        : empty('还没有服务记录。')),
    write ? postForm(posts.categories, reload, signal) : null);
}

export async function render(main, context) {
  main.append(loading());
  context.setTitle?.('共享小区');
  try {
    const box = h('div', { class: 'share-page' });
    await renderPage(box, context);
    main.replaceChildren(box);
  } catch (error) {
    if (!context.signal.aborted) main.replaceChildren(errorAlert(error));
  }
}
