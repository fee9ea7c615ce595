// judge.js — 评委打分 ('#/judge/CODE'), a judge's page, made for a phone
// and opened without signing in: the judge's code (printed on their slip)
// opens the contest (GET /api/v1/judging/CODE) with the contestant now on
// stage and a number field a criterion within its range; sending
// (POST /api/v1/judging/CODE/scores) shows on the live screen at once and
// may be corrected until the round closes. A contestant the judge must not
// score (same unit, 回避) says why. The page looks again every few seconds
// for the next contestant, leaving a half-filled form alone.
import { h } from '../../ui/dom.js';
import { getJSON, sendJSON } from '../../api.js';
import { field, input } from '../../ui/form.js';
import { loading, errorAlert } from '../../ui/notice.js';

const POLL = 3000; // ms
const normalize = (text) => text.replace(/[\s-]+/g, '').toUpperCase();
const ROUND = { waiting: '未上场', open: '比武中', closed: '已结束' };

export async function render(main, { params, signal, setTitle }) {
  setTitle('评委打分');
  const code = normalize(params[0] ?? '');
  const codeInput = input('code', { value: code, maxlength: 20, autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', placeholder: '评委码' });
  const lookup = h('form', { class: 'card public-card public-lookup', novalidate: true },
    h('h1', {}, '评委打分'),
    field('评委码', codeInput, { hint: '评委码印在评委单上，仅供本人使用' }),
    h('button', { type: 'submit', class: 'button primary' }, '开始打分'));
  const body = h('div', {});
  main.append(lookup, body);
  lookup.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = normalize(codeInput.value);
    if (text) location.hash = `#/judge/${encodeURIComponent(text)}`;
  });
  if (!code) return;
  lookup.hidden = true;
  body.replaceChildren(loading());
  const url = `/api/v1/judging/${encodeURIComponent(code)}`;
  let shown = null; // what the form was drawn for: 'seq:round'
  let dirty = false;
  const draw = (j, note) => {
    setTitle(j.contest.name);
    const cur = j.contestants.find((c) => c.seq === j.current);
    shown = cur ? `${cur.seq}:${cur.round}` : '';
    dirty = false;
    const parts = [h('h1', {}, j.contest.name), h('p', { class: 'hint' }, `评委：${j.judge}`)];
    if (note) parts.push(h('p', { class: 'notice', role: 'status' }, note));
    if (!cur || cur.round !== 'open') {
      parts.push(h('p', { class: 'notice' }, '请等待下一位选手上场，本页会自动刷新'));
    } else if (!cur.may_score) {
      parts.push(h('h2', {}, `${cur.seq} 号 ${cur.name}`), h('p', { class: 'notice' }, cur.blocked));
    } else {
      parts.push(scoreForm(j, cur));
    }
    parts.push(h('h2', {}, '选手'), h('ul', { class: 'judge-list' }, ...j.contestants.map((c) => h('li', {},
      `${c.seq} 号 ${c.name}（${c.unit_name}）· ${ROUND[c.round] ?? ''}`,
      c.mine ? ` · 我的评分 ${c.mine.reduce((s, x) => s + x, 0)}` : c.may_score ? '' : ' · 回避'))));
    body.replaceChildren(h('div', { class: 'card public-card judge' }, ...parts));
  };
  const scoreForm = (j, cur) => {
    const alertBox = h('div', { class: 'form-alert', role: 'alert' });
    const send = h('button', { type: 'submit', class: 'button primary' }, cur.mine ? '修改评分' : '提交评分');
    const form = h('form', { class: 'judge-score', novalidate: true, 'aria-label': `为 ${cur.name} 打分` },
      h('h2', {}, `${cur.seq} 号 ${cur.name}`), h('p', { class: 'hint' }, cur.unit_name), alertBox,
      ...j.criteria.map((c, i) => field(`${c.name}（0–${c.max} 分）`,
        input(`c${i}`, { type: 'number', min: 0, max: c.max, step: 'any', inputmode: 'decimal', value: cur.mine ? cur.mine[i] : '' }))),
      send);
    form.addEventListener('input', () => { dirty = true; });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      alertBox.replaceChildren();
      const values = j.criteria.map((_, i) => form.elements[`c${i}`].value);
      if (values.some((v) => v === '')) {
        alertBox.append('请为每个评分项打分');
        return;
      }
      send.disabled = true;
      try {
        const r = await sendJSON('POST', `${url}/scores`, { contestant: cur.seq, scores: values.map(Number) }, { signal, auth: false });
        draw(await getJSON(url, { signal, auth: false }), r.message);
      } catch (error) {
        send.disabled = false;
        alertBox.append(error.message);
      }
    });
    return form;
  };
  try {
    draw(await getJSON(url, { signal, auth: false }));
  } catch (error) {
    if (signal.aborted) return;
    lookup.hidden = false;
    body.replaceChildren(errorAlert(error));
    return;
  }
  // Look again for the next contestant; a form being filled is kept.
  const poll = async () => {
    if (signal.aborted) return;
    try {
      const j = await getJSON(url, { signal, auth: false });
      const cur = j.contestants.find((c) => c.seq === j.current);
      const now = cur ? `${cur.seq}:${cur.round}` : '';
      if (now !== shown && !dirty) draw(j);
    } catch {
      // offline for a moment: try again at the next tick
    }
    if (!signal.aborted) setTimeout(poll, POLL);
  };
  setTimeout(poll, POLL);
}
