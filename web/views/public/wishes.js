// wishes.js — 微心愿 for residents without an account: '#/wishes' is the
// board of checked wishes waiting to be claimed, and those claimed or
// fulfilled, of a community or of the whole county (GET
// /api/v1/public/cases?type=wish&unit=) — category, community and what
// is wished, never who wished it; '#/wishes/new' is the form to post one
// (POST /api/v1/public/requests with type wish; the phone is sealed), which
// answers with the tracking code the beneficiary later confirms receipt by
// ('#/track/CODE').
import { h } from '../../ui/dom.js';
import { getJSON, sendJSON, apiUrl } from '../../api.js';
import { field, input, select, submitForm, showFieldError, checkRequired } from '../../ui/form.js';
import { unitField } from '../../ui/unit-field.js';
import { loading, errorAlert, empty } from '../../ui/notice.js';
import { formatTime } from '../../labels.js';
import { publicLinks } from './common.js';

const DEFAULT_COUNTY = '411121'; // 舞阳县, as 五星支部公示

export async function render(main, { params, query, signal, setTitle }) {
  if (params[0] === 'new') return renderForm(main, { signal, setTitle });
  setTitle('微心愿');
  const unit = /^\d{6,12}$/.test(query.get('unit') ?? '') ? query.get('unit') : DEFAULT_COUNTY;
  const finder = unitField({
    name: 'unit',
    label: '查看哪个村（社区）的心愿',
    residents: true,
    levels: ['village'],
    placeholder: '输入村或社区名称',
    onChange: (chosen) => { if (chosen) location.hash = `#/wishes?unit=${chosen.code}`; },
    signal,
  });
  const list = h('div', { class: 'wish-board' }, loading());
  main.append(
    h('section', { class: 'card public-card', 'aria-labelledby': 'wishes-title' },
      h('h1', { id: 'wishes-title' }, '微心愿'),
      h('p', { class: 'muted' }, '群众的小心愿，经村（社区）核实后在这里公示，由党员、企业和单位认领帮助实现。'),
      h('p', { class: 'public-actions' }, h('a', { class: 'button primary', href: '#/wishes/new' }, '我要许愿')),
      finder),
    list,
    publicLinks('wishes'));
  let answer;
  try {
    answer = await getJSON(apiUrl('/api/v1/public/cases', { type: 'wish', unit }), { signal, auth: false });
  } catch (error) {
    if (!signal.aborted) list.replaceChildren(errorAlert(error));
    return;
  }
  if (signal.aborted) return;
  if (!answer.items.length) {
    list.replaceChildren(empty('这里还没有公示的心愿'));
    return;
  }
  list.replaceChildren(...answer.items.map((w) => h('article', { class: 'card public-card wish-card' },
    h('p', { class: 'wish-meta' },
      h('span', { class: 'tag' }, w.category || '心愿'),
      h('span', { class: `tag ${w.final ? 'tag-done' : ''}` }, w.state_label)),
    h('h2', { class: 'wish-title' }, w.title),
    h('p', { class: 'muted' }, `${w.unit.path ? `${w.unit.path} › ` : ''}${w.unit.name ?? ''} · ${formatTime(w.created_at)}`))));
}

function renderForm(main, { signal, setTitle }) {
  setTitle('我要许愿');
  const alertBox = h('div', { class: 'form-alert' });
  let village = null;
  const unit = unitField({
    name: 'unit', label: '所在村（社区）', residents: true, levels: ['village'],
    placeholder: '输入村或社区名称，如 大杨庄',
    hint: '输入名称后从结果中选择；重名时在前面加上县或乡镇名。',
    onChange: (chosen) => (village = chosen),
    signal,
  });
  const category = select('category', [{ value: '', label: '正在加载类别…' }], '', { required: true });
  const description = h('textarea', { name: 'description', class: 'input', rows: 4, maxlength: 2000, required: true });
  const contact = input('contact', { type: 'tel', maxlength: 100, autocomplete: 'tel', inputmode: 'tel' });
  const submit = h('button', { type: 'submit', class: 'button primary public-submit' }, '提交心愿');
  const form = h('form', { class: 'public-form', novalidate: true, 'aria-labelledby': 'wish-title' },
    alertBox, unit,
    field('心愿类别', category),
    field('心愿内容', description, { hint: '写明需要什么、给谁（如 留守儿童想要一个书包）。公示时不显示您的姓名和电话。' }),
    field('联系电话（选填）', contact, { hint: '仅用于核实和送达，不会公开' }),
    submit);
  const card = h('section', { class: 'card public-card' },
    h('h1', { id: 'wish-title' }, '我要许愿'),
    h('p', { class: 'muted' }, '村（社区）核实后在微心愿墙公示，有人认领后帮您实现。收到后请凭查询码确认。'),
    form);
  main.append(card, publicLinks('wishes'));
  getJSON('/api/v1/public/categories?type=wish', { signal, auth: false }).then(({ items }) => {
    if (signal.aborted) return;
    category.replaceChildren(h('option', { value: '' }, '请选择类别'), ...items.map((n) => h('option', { value: n }, n)));
  }, (error) => {
    if (!signal.aborted) alertBox.replaceChildren(errorAlert(new Error(`心愿类别加载失败：${error.message}，请刷新重试`)));
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    await submitForm(form, {
      button: submit, alertBox, busyText: '正在提交…',
      action: async () => {
        if (!form.elements.unit.value) {
          showFieldError(form, 'unit', '请输入村或社区的名称并从结果中选择');
          return false;
        }
        if (!checkRequired(form, [['category', '请选择心愿类别'], ['description', '请写下您的心愿']])) return false;
        const answer = await sendJSON('POST', '/api/v1/public/requests', {
          type: 'wish', unit: form.elements.unit.value, category: category.value,
          description: description.value.trim(), contact: contact.value.trim(),
        }, { signal, auth: false });
        if (signal.aborted) return false;
        card.replaceChildren(
          h('h1', { tabindex: '-1' }, '心愿已提交'),
          h('p', {}, `您的心愿已提交给${village?.name || '所在村（社区）'}，核实后公示。`),
          h('div', { class: 'public-code-box', role: 'status' },
            h('p', { class: 'public-code-label' }, '请记下查询码'),
            h('p', { class: 'public-code', lang: 'en' }, answer.code)),
          h('p', { class: 'muted' }, '心愿实现、收到帮助后，凭查询码确认并评价。'),
          h('p', { class: 'public-actions' },
            h('a', { class: 'button primary', href: `#/track/${encodeURIComponent(answer.code)}` }, '查看进度')));
        card.querySelector('h1').focus();
        return true;
      },
    });
  });
}
