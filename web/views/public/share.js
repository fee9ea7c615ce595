// share.js — 共享小区 for residents without an account: '#/public/share?unit=' is
// the board of open needs and offers of a community (category, building,
// dates and what — never who, never a phone number); '#/public/share/new' posts a
// need or offer (the phone is sealed) and answers a confirmation code;
// '#/public/share/mine' with that code shows the post and its match, confirms
// the service with a rating, or withdraws the post.
import { h } from '../../ui/dom.js';
import { getJSON, sendJSON, apiUrl } from '../../api.js';
import { field, input, select, submitForm, showFieldError } from '../../ui/form.js';
import { unitField } from '../../ui/unit-field.js';
import { loading, errorAlert, empty } from '../../ui/notice.js';
import { publicLinks } from './common.js';

const chinaDay = (plus = 0) => new Date(Date.now() + plus * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
const windowText = (p) => (p.from === p.to ? p.from : `${p.from} 至 ${p.to}`);
const stars = (n) => `${'★'.repeat(n)}${'☆'.repeat(5 - n)}`;

export async function render(main, { params, query, signal, setTitle }) {
  if (params[0] === 'new') return renderForm(main, { signal, setTitle });
  if (params[0] === 'mine') return renderMine(main, { query, signal, setTitle });
  setTitle('共享小区');
  const unit = /^\d{9,12}$/.test(query.get('unit') ?? '') ? query.get('unit') : '';
  const finder = unitField({
    name: 'unit', label: '查看哪个社区（村）', residents: true, levels: ['village'], value: unit,
    placeholder: '输入社区或村的名称',
    onChange: (chosen) => { if (chosen) location.hash = `#/public/share?unit=${chosen.code}`; },
    signal,
  });
  const list = h('div', { class: 'share-board' }, unit ? loading() : empty('请先选择您所在的社区或村'));
  main.append(
    h('section', { class: 'card public-card', 'aria-labelledby': 'share-title' },
      h('h1', { id: 'share-title' }, '共享小区'),
      h('p', { class: 'muted' }, '邻里之间互通有无：闲置物品、一技之长、空闲场地和时间。发布需求或可提供的帮助，社区帮您对接。'),
      h('p', { class: 'public-actions' },
        h('a', { class: 'button primary', href: '#/public/share/new' }, '我要发布'), ' ',
        h('a', { class: 'button', href: '#/public/share/mine' }, '凭确认码查看')),
      finder),
    list, publicLinks('share'));
  if (!unit) return;
  let answer;
  try {
    answer = await getJSON(apiUrl('/api/v1/public/share', { unit }), { signal, auth: false });
  } catch (error) {
    if (!signal.aborted) list.replaceChildren(errorAlert(error));
    return;
  }
  if (signal.aborted) return;
  list.replaceChildren(...(answer.items.length ? answer.items.map((p) => h('article', { class: 'card public-card share-post', 'data-post': p.id },
    h('p', { class: 'share-meta' }, h('span', { class: 'tag' }, p.kind_name), h('span', { class: 'tag' }, p.category.name)),
    h('h2', { class: 'share-title' }, p.title),
    p.body ? h('p', {}, p.body) : null,
    h('p', { class: 'muted' }, `${p.unit.name ?? ''}${p.building ? ` · ${p.building}` : ''} · ${windowText(p)}`)))
    : [empty('这里暂时没有待对接的需求或服务')]));
}

function renderForm(main, { signal, setTitle }) {
  setTitle('发布需求或服务');
  const alertBox = h('div', { class: 'form-alert' });
  const category = select('category', [{ value: '', label: '正在加载类别…' }], '', { required: true });
  const submit = h('button', { type: 'submit', class: 'button primary public-submit' }, '发布');
  const form = h('form', { class: 'public-form', novalidate: true, 'aria-labelledby': 'share-new-title' },
    alertBox,
    field('我要', select('kind', [{ value: 'need', label: '寻求帮助（需求）' }, { value: 'offer', label: '提供帮助（服务）' }], 'need')),
    field('类别', category),
    unitField({ name: 'unit', label: '所在社区（村）', residents: true, levels: ['village'], placeholder: '输入社区或村的名称', signal }),
    field('楼栋（选填）', input('building', { maxlength: 40, placeholder: '如 3号楼' }), { hint: '同一楼栋的邻居优先对接' }),
    field('从', input('from', { type: 'date', value: chinaDay(0) })),
    field('到', input('to', { type: 'date', value: chinaDay(14) })),
    field('标题', input('title', { maxlength: 120, placeholder: '如 借用轮椅两周' })),
    field('说明（选填）', h('textarea', { name: 'body', class: 'input', rows: 3, maxlength: 2000 })),
    field('手机号码', input('contact', { type: 'tel', maxlength: 40, autocomplete: 'tel', inputmode: 'tel' }), { hint: '加密保存，只用于对接联系，不会公开' }),
    submit);
  const card = h('section', { class: 'card public-card' }, h('h1', { id: 'share-new-title' }, '发布需求或服务'), form);
  main.append(card, publicLinks('share'));
  getJSON('/api/v1/public/share', { signal, auth: false }).then(({ categories }) => {
    if (signal.aborted) return;
    category.replaceChildren(h('option', { value: '' }, '请选择类别'), ...categories.map((c) => h('option', { value: c.code }, `${c.name}（${c.hint}）`)));
  }, (error) => {
    if (!signal.aborted) alertBox.replaceChildren(errorAlert(new Error(`类别加载失败：${error.message}，请刷新重试`)));
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = (n) => form.elements[n].value.trim();
    await submitForm(form, {
      button: submit, alertBox, busyText: '正在发布…',
      action: async () => {
        if (!v('unit')) { showFieldError(form, 'unit', '请输入社区或村的名称并从结果中选择'); return false; }
        const answer = await sendJSON('POST', '/api/v1/public/share', {
          kind: v('kind'), category: v('category'), unit: v('unit'), from: v('from'), to: v('to'), title: v('title'),
          contact: v('contact'), ...(v('building') ? { building: v('building') } : {}), ...(v('body') ? { body: v('body') } : {}),
        }, { signal, auth: false });
        card.replaceChildren(
          h('h1', { tabindex: '-1' }, '已发布'),
          h('p', {}, '社区工作人员会按类别、时间和楼栋为您对接，并电话联系您。'),
          h('div', { class: 'public-code-box', role: 'status' },
            h('p', { class: 'public-code-label' }, '请记下确认码'),
            h('p', { class: 'public-code', lang: 'en' }, answer.code)),
          h('p', { class: 'muted' }, '服务完成后，凭确认码确认并评价；不再需要时也可凭确认码撤回。'),
          h('p', { class: 'public-actions' }, h('a', { class: 'button primary', href: `#/public/share/mine?code=${answer.code}` }, '查看')));
        card.querySelector('h1').focus();
        return true;
      },
    });
  });
}

function renderMine(main, { query, signal, setTitle }) {
  setTitle('凭确认码查看');
  const code = (query.get('code') ?? '').toUpperCase();
  const out = h('div');
  const codeInput = input('code', { value: code, maxlength: 10, autocapitalize: 'characters', placeholder: '10 位确认码' });
  const go = h('button', { type: 'submit', class: 'button primary' }, '查看');
  const form = h('form', { class: 'public-form' }, field('确认码', codeInput), go);
  form.addEventListener('submit', (event) => { event.preventDefault(); location.hash = `#/public/share/mine?code=${encodeURIComponent(codeInput.value.trim().toUpperCase())}`; });
  main.append(h('section', { class: 'card public-card' }, h('h1', {}, '凭确认码查看'), form, out), publicLinks('share'));
  if (!code) return;
  const show = (r) => {
    const p = r.post;
    const m = r.match;
    const parts = [h('h2', {}, `${p.kind_name}：${p.title}`), h('p', { class: 'muted' }, `${p.category.name} · ${p.unit.name ?? ''} · ${windowText(p)} · ${p.state_label}`)];
    if (m) {
      const mine = p.kind === 'need' ? m.need : m.offer;
      const other = p.kind === 'need' ? m.offer : m.need;
      parts.push(h('p', {}, `已对接：${other.title}`), h('p', { class: 'share-status' }, m.done ? `服务已完成（${m.done_on}）` : (mine.confirmed ? '您已确认，等待对方确认' : '服务完成后请确认并评价')));
      if (!mine.confirmed) {
        const rating = select('rating', [5, 4, 3, 2, 1].map((n) => ({ value: String(n), label: stars(n) })), '5');
        const button = h('button', { type: 'submit', class: 'button primary' }, '确认服务完成');
        const alertBox = h('div');
        const f = h('form', { class: 'public-form' }, field('评价', rating), alertBox, button);
        f.addEventListener('submit', async (event) => {
          event.preventDefault();
          const ok = await submitForm(f, { button, alertBox, busyText: '正在确认…', action: async () => show(await sendJSON('POST', `/api/v1/public/share/${code}/confirm`, { rating: Number(rating.value) }, { auth: false })) });
          return ok;
        });
        parts.push(f);
      }
    } else if (p.state === 'open') {
      const close = h('button', { type: 'button', class: 'button' }, '撤回');
      close.addEventListener('click', async () => {
        try { show(await sendJSON('POST', `/api/v1/public/share/${code}/close`, {}, { auth: false })); } catch (error) { out.append(errorAlert(error)); }
      });
      parts.push(h('p', {}, '正在为您对接。'), close);
    }
    out.replaceChildren(...parts);
  };
  out.append(loading());
  getJSON(`/api/v1/public/share/${encodeURIComponent(code)}`, { signal, auth: false }).then(show, (error) => { if (!signal.aborted) out.replaceChildren(errorAlert(error)); });
}
