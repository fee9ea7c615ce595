// request.js — 提交诉求 ('#/request'), for residents without an account.
// They find their village or community by name (GET /api/v1/public/units),
// choose a category, describe the problem and may leave a place and a phone
// number; POST /api/v1/public/requests answers with the tracking code,
// which the page then shows with a link to its progress ('#/track/CODE').
// The server's refusals show at the field they name, a rate limit (429) in
// the alert above the form.
import { h } from '../../ui/dom.js';
import { getJSON, sendJSON, apiUrl } from '../../api.js';
import { field, input, select, submitForm, showFieldError, checkRequired, uniqueId } from '../../ui/form.js';
import { errorAlert } from '../../ui/notice.js';
import { publicLinks } from './common.js';

const SEARCH_DELAY = 300; // ms after the last keystroke before asking

export function render(main, { signal, setTitle }) {
  setTitle('提交诉求');
  const alertBox = h('div', { class: 'form-alert' });
  const units = unitPicker(signal);
  const category = select('category', [{ value: '', label: '正在加载类别…' }], '', { required: true });
  const description = h('textarea', { name: 'description', class: 'input', rows: 5, maxlength: 2000, required: true });
  const location = input('location', { maxlength: 200, autocomplete: 'off', placeholder: '如 村东头路口' });
  const contact = input('contact', {
    type: 'tel', maxlength: 100, autocomplete: 'tel', inputmode: 'tel',
  });
  const submit = h('button', { type: 'submit', class: 'button primary public-submit' }, '提交诉求');
  const form = h('form', { class: 'public-form', novalidate: true, 'aria-labelledby': 'request-title' },
    alertBox,
    units.element,
    field('诉求类别', category),
    field('问题描述', description, { hint: '请写明发生了什么、持续多久、希望怎样解决。' }),
    field('具体地点（选填）', location),
    field('联系电话（选填）', contact, { hint: '仅用于回访，不会公开' }),
    submit);
  const card = h('section', { class: 'card public-card' },
    h('h1', { id: 'request-title' }, '提交诉求'),
    h('p', { class: 'muted' }, '向您所在的村（社区）反映问题。提交后会得到一个查询码，凭它查询办理进度并评价。'),
    form);
  main.append(card, publicLinks('request'));

  loadCategories(category, alertBox, signal);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    await submitForm(form, {
      button: submit,
      alertBox,
      busyText: '正在提交…',
      action: async () => {
        if (!units.value()) {
          showFieldError(form, 'unit', units.hasChoices() ? '请选择所在的村或社区' : '请输入村或社区的名称并从结果中选择');
          return false;
        }
        if (!checkRequired(form, [['category', '请选择诉求类别'], ['description', '请描述您反映的问题']])) return false;
        const answer = await sendJSON('POST', '/api/v1/public/requests', {
          unit: units.value(),
          category: category.value,
          description: description.value.trim(),
          location: location.value.trim(),
          contact: contact.value.trim(),
        }, { signal, auth: false });
        if (signal.aborted) return false;
        card.replaceChildren(...submitted(answer.code, units.name()));
        card.querySelector('h1').focus();
        return true;
      },
    });
  });
}

// The thanks after submitting, with the tracking code to write down.
function submitted(code, unitName) {
  return [
    h('h1', { tabindex: '-1' }, '提交成功'),
    h('p', {}, `您的诉求已提交给${unitName || '所在村（社区）'}。`),
    h('div', { class: 'public-code-box', role: 'status' },
      h('p', { class: 'public-code-label' }, '请记下查询码'),
      h('p', { class: 'public-code', lang: 'en' }, code)),
    h('p', { class: 'muted' }, '凭查询码可以随时查询办理进度，办结后还可以评价。'),
    h('p', { class: 'public-actions' },
      h('a', { class: 'button primary', href: `#/track/${encodeURIComponent(code)}` }, '查看办理进度')),
  ];
}

async function loadCategories(category, alertBox, signal) {
  try {
    const { items } = await getJSON('/api/v1/public/categories', { signal, auth: false });
    if (signal.aborted) return;
    category.replaceChildren(
      h('option', { value: '' }, '请选择类别'),
      ...items.map((name) => h('option', { value: name }, name)));
  } catch (error) {
    if (signal.aborted) return;
    category.replaceChildren(h('option', { value: '' }, '类别加载失败'));
    alertBox.replaceChildren(errorAlert(new Error(`诉求类别加载失败：${error.message}，请刷新重试`)));
  }
}

// 所在村（社区）: a name typed into the search box lists the matching
// villages and communities as radio buttons; the chosen one is the unit.
function unitPicker(signal) {
  const id = uniqueId('f-unit');
  const search = h('input', {
    id, type: 'search', name: 'unit-q', class: 'input', maxlength: 50, autocomplete: 'off',
    enterkeyhint: 'search', placeholder: '输入村或社区名称，如 大杨庄',
  });
  const hint = h('p', { class: 'field-hint', id: `${id}-hint` }, '输入名称后，从下面的结果中选择您所在的村或社区。');
  const results = h('div', { class: 'public-units', role: 'group', 'aria-label': '查找结果' });
  const live = h('p', { class: 'muted public-units-status', role: 'status' });
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  search.setAttribute('aria-describedby', `${hint.id} ${error.id}`);
  const element = h('div', { class: 'field', 'data-field': 'unit' },
    h('label', { for: id }, '所在村（社区）'), search, hint, live, results, error);

  let timer = null;
  let pending = null;
  let found = [];

  async function find() {
    clearTimeout(timer);
    pending?.abort();
    const q = search.value.trim();
    if (!q) {
      found = [];
      results.replaceChildren();
      live.textContent = '';
      return;
    }
    const controller = new AbortController();
    pending = controller;
    signal.addEventListener('abort', () => controller.abort(), { once: true });
    live.textContent = '正在查找…';
    try {
      const { items } = await getJSON(apiUrl('/api/v1/public/units', { q }), { signal: controller.signal, auth: false });
      if (controller.signal.aborted) return;
      found = items;
      live.textContent = items.length ? `找到 ${items.length} 个村（社区），请选择：` : '没有找到，请换个名称试试（如只输入村名中的两三个字）';
      results.replaceChildren(...items.map((unit) => h('label', { class: 'public-unit' },
        h('input', { type: 'radio', name: 'unit', value: unit.code, checked: items.length === 1 }),
        h('span', { class: 'public-unit-text' },
          h('span', { class: 'public-unit-name' }, unit.name),
          unit.path ? h('span', { class: 'unit-path' }, unit.path) : null))));
    } catch (failure) {
      if (controller.signal.aborted) return;
      found = [];
      results.replaceChildren();
      live.textContent = '';
      results.append(errorAlert(failure));
    }
  }

  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(find, SEARCH_DELAY);
  });
  // Enter searches now instead of submitting the form.
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      find();
    }
  });
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });

  const chosen = () => results.querySelector('input[name="unit"]:checked');
  return {
    element,
    value: () => chosen()?.value ?? '',
    name: () => found.find((u) => u.code === chosen()?.value)?.name ?? '',
    hasChoices: () => found.length > 0,
  };
}
