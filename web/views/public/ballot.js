// ballot.js — 无记名评议 ('#/ballot/CODE'), the rater's page, made for a
// phone: the one-time code opens the ballot (GET /api/v1/ballots/CODE):
// the campaign, the rater's group and one question per subject, answered
// with the form's grades (满意 / 基本满意 / 不满意 / 不了解 …) or scores per
// criterion within their ranges. Sending it (POST /api/v1/ballots) uses the
// code up; nothing on the page or in the answer says who voted what.
import { h } from '../../ui/dom.js';
import { getJSON, sendJSON } from '../../api.js';
import { field, input } from '../../ui/form.js';
import { loading, errorAlert } from '../../ui/notice.js';

const normalize = (text) => text.replace(/[\s-]+/g, '').toUpperCase();

export async function render(main, { params, signal, setTitle }) {
  setTitle('无记名评议');
  const code = normalize(params[0] ?? '');
  const codeInput = input('code', { value: code, maxlength: 20, autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', placeholder: '选票上的 12 位评议码' });
  const lookup = h('form', { class: 'card public-card public-lookup', novalidate: true },
    h('h1', {}, '无记名评议'),
    field('评议码', codeInput, { hint: '每个评议码只能投一次票；投票不记录您的身份' }),
    h('button', { type: 'submit', class: 'button primary' }, '打开选票'));
  const body = h('div', {});
  main.append(lookup, body);
  lookup.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = normalize(codeInput.value);
    if (text) location.hash = `#/ballot/${encodeURIComponent(text)}`;
  });
  if (!code) return;
  lookup.hidden = true;
  body.replaceChildren(loading());
  let ballot;
  try {
    ballot = await getJSON(`/api/v1/ballots/${encodeURIComponent(code)}`, { signal, auth: false });
  } catch (error) {
    if (signal.aborted) return;
    lookup.hidden = false;
    body.replaceChildren(errorAlert(error));
    return;
  }
  if (signal.aborted) return;
  setTitle(ballot.name);
  const form = ballot.form;
  const alertBox = h('div', { class: 'form-alert', role: 'alert' });
  const questions = ballot.subjects.map((s) => {
    if (form.kind === 'grades') {
      return h('fieldset', { class: 'ballot-subject' },
        h('legend', {}, s.name),
        ...form.grades.map((g) => h('label', { class: 'ballot-choice' },
          h('input', { type: 'radio', name: `s${s.seq}`, value: g.code }), ' ', g.name)));
    }
    return h('fieldset', { class: 'ballot-subject' },
      h('legend', {}, s.name),
      ...form.criteria.map((c) => field(`${c.name}（${c.min}–${c.max} 分）`,
        input(`s${s.seq}.${c.code}`, { type: 'number', min: c.min, max: c.max, step: 'any', inputmode: 'decimal' }))));
  });
  const send = h('button', { type: 'submit', class: 'button primary' }, '提交选票');
  const sheet = h('form', { class: 'card public-card ballot', novalidate: true },
    h('h1', {}, ballot.name),
    h('p', { class: 'hint' }, `${ballot.year} 年度 · ${ballot.group} · ${form.name}`),
    alertBox, ...questions, send);
  body.replaceChildren(sheet);
  sheet.addEventListener('submit', async (event) => {
    event.preventDefault();
    alertBox.replaceChildren();
    const answers = [];
    for (const s of ballot.subjects) {
      if (form.kind === 'grades') {
        const picked = sheet.querySelector(`input[name="s${s.seq}"]:checked`);
        if (picked) answers.push({ subject: s.seq, grade: picked.value });
      } else {
        const scores = {};
        let any = false;
        for (const c of form.criteria) {
          const v = sheet.querySelector(`input[name="s${s.seq}.${c.code}"]`).value;
          if (v !== '') { scores[c.code] = Number(v); any = true; }
        }
        if (any) answers.push({ subject: s.seq, scores });
      }
    }
    if (answers.length < ballot.subjects.length) {
      alertBox.append(`还有 ${ballot.subjects.length - answers.length} 个评议对象没有评，请逐一评完再提交（不了解的可选“不了解”）`);
      return;
    }
    send.disabled = true;
    try {
      const r = await sendJSON('POST', '/api/v1/ballots', { code, answers }, { signal, auth: false });
      body.replaceChildren(h('div', { class: 'card public-card', role: 'status' }, h('h1', {}, '投票成功'), h('p', {}, r.message)));
    } catch (error) {
      send.disabled = false;
      alertBox.append(error.message);
    }
  });
}
