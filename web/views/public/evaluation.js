// evaluation.js — 评议结果公示 ('#/public/evaluations/ID'), open to anyone
// after a campaign closes (GET /api/v1/public/evaluations/ID; nothing
// before): the subjects by rank with their scores and grades, which of them
// must rectify (整改), the turnout, and the notice period (公示期).
import { h } from '../../ui/dom.js';
import { getJSON } from '../../api.js';
import { loading, errorAlert } from '../../ui/notice.js';
import { publicLinks } from './common.js';

export async function render(main, { params, signal, setTitle }) {
  setTitle('评议结果公示');
  main.append(loading());
  let r;
  try {
    r = await getJSON(`/api/v1/public/evaluations/${encodeURIComponent(params[0] ?? '')}`, { signal, auth: false });
  } catch (error) {
    if (!signal.aborted) main.replaceChildren(errorAlert(error), publicLinks('evaluation'));
    return;
  }
  if (signal.aborted) return;
  setTitle(r.name);
  const graded = r.results.some((x) => x.grade_name);
  const head = ['名次', '评议对象', '得分', ...(graded ? ['等次'] : []), '整改'];
  main.replaceChildren(
    h('section', { class: 'card public-card public-evaluation', 'aria-labelledby': 'public-evaluation-title' },
      h('h1', { id: 'public-evaluation-title' }, r.name),
      h('p', { class: 'hint' }, `${r.unit_name} · ${r.year} 年度 · ${r.form_name} · 发放评议码 ${r.turnout.issued} 个，收回 ${r.turnout.cast} 张`),
      r.notice_until ? h('p', { class: r.in_notice ? 'notice-period' : 'hint' },
        r.in_notice ? `公示期至 ${r.notice_until}，对结果有异议的可在公示期内向组织单位反映。` : `已于 ${r.notice_until} 公示期满。`) : '',
      h('div', { class: 'table-scroll' }, h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, ...head.map((t) => h('th', {}, t)))),
        h('tbody', {}, ...r.results.map((x) => h('tr', {},
          h('td', {}, x.rank ? String(x.rank) : '—'), h('td', {}, x.name),
          h('td', {}, x.score == null ? '无有效票' : String(x.score)),
          ...(graded ? [h('td', {}, x.grade_name ?? '—')] : []),
          h('td', {}, x.rectify ? '限期整改' : ''))))))),
    publicLinks('evaluation'));
}
