// deliberations.js — 议事公开 for residents without an account: '#/deliberations'
// lists the village deliberations (四议两公开) whose resolution or result is
// published, of a village or of the whole county (GET
// /api/v1/public/cases?type=deliberation&unit=); '#/deliberations/ID' shows
// one with every step — each meeting with its attendance and votes (应到,
// 实到, 赞成) — as GET /api/v1/public/cases/ID gives it. Nobody's name.
import { h } from '../../ui/dom.js';
import { getJSON, apiUrl } from '../../api.js';
import { unitField } from '../../ui/unit-field.js';
import { loading, errorAlert, empty } from '../../ui/notice.js';
import { formatTime } from '../../labels.js';
import { publicLinks } from './common.js';

const DEFAULT_COUNTY = '411121';

export async function render(main, { params, query, signal, setTitle }) {
  if (/^\d+$/.test(params[0] ?? '')) return renderOne(main, params[0], { signal, setTitle });
  setTitle('议事公开');
  const unit = /^\d{6,12}$/.test(query.get('unit') ?? '') ? query.get('unit') : DEFAULT_COUNTY;
  const finder = unitField({
    name: 'unit', label: '查看哪个村（社区）', residents: true, levels: ['village'],
    placeholder: '输入村或社区名称',
    onChange: (chosen) => { if (chosen) location.hash = `#/deliberations?unit=${chosen.code}`; },
    signal,
  });
  const list = h('div', {}, loading());
  main.append(
    h('section', { class: 'card public-card', 'aria-labelledby': 'delib-title' },
      h('h1', { id: 'delib-title' }, '议事公开'),
      h('p', { class: 'muted' }, '村级重大事项按“四议两公开”决策：村党组织提议、村两委会议商议、党员大会审议、村民代表会议决议，决议公开、实施结果公开。'),
      finder),
    list,
    publicLinks('deliberations'));
  let answer;
  try {
    answer = await getJSON(apiUrl('/api/v1/public/cases', { type: 'deliberation', unit }), { signal, auth: false });
  } catch (error) {
    if (!signal.aborted) list.replaceChildren(errorAlert(error));
    return;
  }
  if (signal.aborted) return;
  if (!answer.items.length) {
    list.replaceChildren(empty('这里还没有公开的议事结果'));
    return;
  }
  list.replaceChildren(...answer.items.map((c) => h('article', { class: 'card public-card' },
    h('p', { class: 'wish-meta' }, h('span', { class: `tag ${c.final ? 'tag-done' : ''}` }, c.state_label)),
    h('h2', { class: 'wish-title' }, h('a', { href: `#/deliberations/${c.id}` }, c.title)),
    h('p', { class: 'muted' }, `${c.unit.name ?? ''} · ${formatTime(c.updated_at)}`))));
}

async function renderOne(main, id, { signal, setTitle }) {
  setTitle('议事公开');
  const box = h('div', {}, loading());
  main.append(box, publicLinks('deliberations'));
  let c;
  try {
    c = await getJSON(`/api/v1/public/cases/${id}`, { signal, auth: false });
  } catch (error) {
    if (!signal.aborted) box.replaceChildren(errorAlert(error.status === 404 ? new Error('没有这个公开的议事事项') : error));
    return;
  }
  if (signal.aborted) return;
  setTitle(c.title);
  box.replaceChildren(h('section', { class: 'card public-card', 'aria-labelledby': 'delib-one' },
    h('h1', { id: 'delib-one' }, c.title),
    h('p', { class: 'muted' }, `${c.unit.path ? `${c.unit.path} › ` : ''}${c.unit.name ?? ''} · ${c.state_label}`),
    c.description ? h('p', {}, c.description) : null,
    h('ol', { class: 'public-steps' }, ...c.steps.map((s) => h('li', {},
      h('strong', {}, s.label), ' ', h('span', { class: 'muted' }, formatTime(s.at)),
      s.numbers?.length ? h('p', { class: 'vote-line' }, s.numbers.map((n) => `${n.label} ${n.value}`).join('，')) : null,
      s.note ? h('p', {}, s.note) : null)))));
}
