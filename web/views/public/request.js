// request.js — 提交诉求 ('#/request'), for residents without an account.
// They find their village or community by name, with the county or
// township in front if the name is common ("舞阳 郝庄"), or walk down from
// the province (ui/unit-field.js on GET /api/v1/public/units), choose a
// category, describe the problem and may leave a place and a phone
// number; POST /api/v1/public/requests answers with the tracking code,
// which the page then shows with a link to its progress ('#/track/CODE').
// The server's refusals show at the field they name, a rate limit (429) in
// the alert above the form.
import { h } from '../../ui/dom.js';
import { getJSON, sendJSON, apiUrl } from '../../api.js';
import { field, input, select, submitForm, showFieldError, checkRequired } from '../../ui/form.js';
import { unitField } from '../../ui/unit-field.js';
import { errorAlert } from '../../ui/notice.js';
import { publicLinks } from './common.js';

export function render(main, { signal, setTitle }) {
  setTitle('提交诉求');
  const alertBox = h('div', { class: 'form-alert' });
  let village = null; // the unit chosen
  const unit = unitField({
    name: 'unit',
    label: '所在村（社区）',
    residents: true,
    levels: ['village'],
    placeholder: '输入村或社区名称，如 大杨庄',
    hint: '输入名称后从结果中选择；重名时在前面加上县或乡镇名，如“舞阳 郝庄”；也可以逐级选择。',
    onChange: (chosen) => (village = chosen),
    signal,
  });
  const category = select('category', [{ value: '', label: '正在加载类别…' }], '', { required: true });
  const description = h('textarea', { name: 'description', class: 'input', rows: 5, maxlength: 2000, required: true });
  const location = input('location', { maxlength: 200, autocomplete: 'off', placeholder: '如 村东头路口' });
  const contact = input('contact', {
    type: 'tel', maxlength: 100, autocomplete: 'tel', inputmode: 'tel',
  });
  const submit = h('button', { type: 'submit', class: 'button primary public-submit' }, '提交诉求');
  const form = h('form', { class: 'public-form', novalidate: true, 'aria-labelledby': 'request-title' },
    alertBox,
    unit,
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
        if (!form.elements.unit.value) {
          showFieldError(form, 'unit', '请输入村或社区的名称并从结果中选择');
          return false;
        }
        if (!checkRequired(form, [['category', '请选择诉求类别'], ['description', '请描述您反映的问题']])) return false;
        const answer = await sendJSON('POST', '/api/v1/public/requests', {
          unit: form.elements.unit.value,
          category: category.value,
          description: description.value.trim(),
          location: location.value.trim(),
          contact: contact.value.trim(),
        }, { signal, auth: false });
        if (signal.aborted) return false;
        card.replaceChildren(...submitted(answer.code, village?.name ?? ''));
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
