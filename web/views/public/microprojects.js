// microprojects.js — 微项目公开 for residents without an account:
// '#/public/microprojects' lists the micro-projects delivered (or closed)
// in a village or the whole county, each with its budget, how many took
// part and the wishes it met (GET /api/v1/public/microprojects?unit=).
// Nobody's name: no participant, claimant or staff.
import { h } from '../../ui/dom.js';
import { getJSON, apiUrl } from '../../api.js';
import { unitField } from '../../ui/unit-field.js';
import { loading, errorAlert, empty } from '../../ui/notice.js';
import { formatTime } from '../../labels.js';
import { publicLinks } from './common.js';

const DEFAULT_COUNTY = '411121';

export async function render(main, { query, signal, setTitle }) {
  setTitle('微项目公开');
  const unit = /^\d{6,12}$/.test(query.get('unit') ?? '') ? query.get('unit') : DEFAULT_COUNTY;
  const finder = unitField({
    name: 'unit', label: '查看哪个村（社区）', residents: true, levels: ['village'],
    placeholder: '输入村或社区名称',
    onChange: (chosen) => { if (chosen) location.hash = `#/public/microprojects?unit=${chosen.code}`; },
    signal,
  });
  const list = h('div', {}, loading());
  main.append(
    h('section', { class: 'card public-card', 'aria-labelledby': 'mp-title' },
      h('h1', { id: 'mp-title' }, '微项目公开'),
      h('p', { class: 'muted' }, '微项目把群众的若干微心愿打包实施，党员、单位和企业共同参与。这里公开已交付的微项目和它兑现的心愿。'),
      finder),
    list,
    publicLinks('microprojects'));
  let answer;
  try {
    answer = await getJSON(apiUrl('/api/v1/public/microprojects', { unit }), { signal, auth: false });
  } catch (error) {
    if (!signal.aborted) list.replaceChildren(errorAlert(error));
    return;
  }
  if (signal.aborted) return;
  if (!answer.items.length) {
    list.replaceChildren(empty('这里还没有已交付的微项目'));
    return;
  }
  list.replaceChildren(...answer.items.map((p) => h('article', { class: 'card public-card', 'data-project': p.id },
    h('p', { class: 'wish-meta' }, h('span', { class: 'tag tag-done' }, p.state_label)),
    h('h2', { class: 'wish-title' }, p.title),
    h('p', { class: 'muted' }, `${p.unit?.name ?? ''} · 预算 ${p.budget.toLocaleString('zh-CN')} 元 · 参与 ${p.participations} 人次 · ${formatTime(p.updated_at)}`),
    p.wishes.length
      ? h('ul', { class: 'unit-list' }, ...p.wishes.map((w) => h('li', {}, `${w.title}（${w.state_label}）`)))
      : null)));
}
