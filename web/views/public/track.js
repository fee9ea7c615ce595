// track.js — 查询进度 ('#/track' and '#/track/CODE'), for residents without
// an account: the tracking code opens the request's state and timeline
// (GET /api/v1/public/requests/CODE); once it is resolved (can_rate) the
// resident rates it 1–5 stars with an optional note
// (POST /api/v1/public/requests/CODE/rating), and the page redraws from the
// answer.
import { h } from '../../ui/dom.js';
import { getJSON, sendJSON } from '../../api.js';
import { field, input, submitForm, showFieldError, uniqueId } from '../../ui/form.js';
import { loading, errorAlert } from '../../ui/notice.js';
import { timelineSection } from '../../ui/timeline.js';
import { formatTime } from '../../labels.js';
import { stars } from '../../ui/stars.js';
import { publicLinks } from './common.js';

// Codes are typed by hand: spaces go, letters count in either case.
const normalize = (text) => text.replace(/[\s-]+/g, '').toUpperCase();

export async function render(main, { params, signal, setTitle }) {
  setTitle('查询进度');
  const code = normalize(params[0] ?? '');
  const codeInput = input('code', {
    value: code, maxlength: 32, autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false',
    placeholder: '如 K7QX2M9RTB',
  });
  const alertBox = h('div', { class: 'form-alert' });
  const lookup = h('form', { class: 'card public-card public-lookup', novalidate: true, 'aria-labelledby': 'track-title' },
    h('h1', { id: 'track-title' }, '查询进度'),
    alertBox,
    field('查询码', codeInput, { hint: '提交诉求时得到的查询码' }),
    h('button', { type: 'submit', class: 'button primary' }, '查询'));
  const body = h('div', {});
  main.append(lookup, body, publicLinks('track'));

  lookup.addEventListener('submit', (event) => {
    event.preventDefault();
    alertBox.replaceChildren();
    const text = normalize(codeInput.value);
    if (!text) {
      showFieldError(lookup, 'code', '请输入查询码');
      return;
    }
    const target = `#/track/${encodeURIComponent(text)}`;
    if (location.hash === target) load(text); // the same code again: ask anew
    else location.hash = target;
  });

  async function load(which) {
    body.replaceChildren(loading());
    let request;
    try {
      request = await getJSON(`/api/v1/public/requests/${encodeURIComponent(which)}`, { signal, auth: false });
    } catch (error) {
      if (signal.aborted) return;
      body.replaceChildren(errorAlert(error.status === 404
        ? new Error(`查询码 ${which} 不存在，请核对后重新输入。`) : error));
      return;
    }
    if (signal.aborted) return;
    show(request);
  }

  function show(request, message = '') {
    setTitle(`查询进度 ${request.code}`);
    const status = h('p', { class: 'action-status', role: 'status' }, message);
    body.replaceChildren(...[
      summary(request, status),
      timelineSection(request.timeline, {
        title: '办理过程', headingId: 'public-timeline-title', className: 'card public-card',
      }),
      request.can_rate ? ratingForm(request) : null,
    ].filter(Boolean));
  }

  function ratingForm(request) {
    const legendId = uniqueId('rating');
    const error = h('p', { class: 'field-error', id: `${legendId}-error`, hidden: true });
    const note = h('textarea', { name: 'note', class: 'input', rows: 3, maxlength: 500 });
    const alertBox = h('div', {});
    const submit = h('button', { type: 'submit', class: 'button primary' }, '提交评价');
    const form = h('form', { class: 'card public-card public-rating', novalidate: true, 'aria-labelledby': 'rate-title' },
      h('h2', { id: 'rate-title' }, '评价办理结果'),
      h('p', { class: 'muted' }, '您的诉求已办结，请对办理结果打分。'),
      alertBox,
      h('fieldset', { class: 'field', 'data-field': 'rating', 'aria-describedby': error.id },
        h('legend', { id: legendId }, '满意程度（星级）'),
        h('div', { class: 'rating-choices' },
          [5, 4, 3, 2, 1].map((n) => h('label', {},
            h('input', { type: 'radio', name: 'rating', value: n }),
            h('span', { class: 'stars', 'aria-hidden': 'true' }, '★'.repeat(n)),
            `${n} 星`))),
        error),
      field('意见或建议（选填）', note),
      submit);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (submit.disabled) return;
      await submitForm(form, {
        button: submit,
        alertBox,
        busyText: '正在提交…',
        action: async () => {
          const rating = form.elements.rating.value;
          if (!rating) {
            showFieldError(form, 'rating', '请选择星级');
            return false;
          }
          const answer = await sendJSON('POST', `/api/v1/public/requests/${encodeURIComponent(request.code)}/rating`,
            { rating: Number(rating), note: note.value.trim() }, { signal, auth: false });
          if (signal.aborted) return false;
          show(answer, '感谢您的评价！');
          body.querySelector('#result-title')?.focus();
          return true;
        },
      });
    });
    return form;
  }

  if (code) load(code);
  else codeInput.focus();
}

function summary(request, status) {
  const row = (label, value) => (value === null || value === undefined || value === ''
    ? null : [h('dt', {}, label), h('dd', {}, value)]);
  return h('section', { class: 'card public-card', 'aria-labelledby': 'result-title' },
    h('h2', { id: 'result-title', tabindex: '-1' }, '办理情况'),
    status,
    h('p', { class: 'public-state' },
      '当前状态：',
      h('span', { class: request.final ? 'tag tag-final' : 'tag tag-level' }, request.state_label ?? request.state)),
    h('dl', { class: 'item-fields public-fields' },
      row('查询码', request.code),
      row('所在村（社区）', request.unit?.name ?? request.unit?.code),
      row('诉求类别', request.category),
      row('问题描述', request.description),
      row('提交时间', formatTime(request.created_at)),
      row('评价', stars(request.rating))));
}
