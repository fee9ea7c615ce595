// pipeline.js — 发展党员 and 组织关系转接 (GET/POST /api/v1/party/cases):
// '#/party/pipeline?unit=': the board (看板), a column per stage and a card
// per person with the next step and the first (or last) day it may be
// taken; '#/party/pipeline?kind=transfer&unit=': transfers sent and
// received, the overdue ones marked; '#/party/cases/ID': one case with
// every step of the 2014 细则 and its date, the steps the reader may take
// now (each dated) and the timeline. New cases start from a person's page
// (登记入党申请, 开具组织关系介绍信: caseActions below).
import { h } from '../ui/dom.js';
import { getJSON, sendJSON, apiUrl } from '../api.js';
import { field, input, select, inputFields, inputValues } from '../ui/form.js';
import { openDialog } from '../ui/dialog.js';
import { unitField } from '../ui/unit-field.js';
import { timelineSection } from '../ui/timeline.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { formatCount } from '../labels.js';
import { currentUser, hasPerm } from '../session.js';

const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
const dateInput = (name, value = today()) => input(name, { type: 'date', value, max: today() });

// "下一步：确定为发展对象（2025-03-01 起）" / "（2025-02-10 前）"
function nextText(c) {
  if (!c.next) return c.final ? c.state_label : '';
  const when = c.next.latest ? `${c.next.latest} 前` : `${c.next.earliest} 起`;
  return `下一步：${c.next.label}（${when}）`;
}

function card(c) {
  const late = c.next?.latest && c.next.latest < today();
  return h('li', { class: 'pipeline-card', 'data-id': c.id },
    h('a', { href: `#/party/cases/${c.id}` }, c.person.name),
    h('p', { class: 'muted' }, `${c.org.name} · ${c.state_label}`),
    h('p', { class: late ? 'overdue' : 'pipeline-next' }, nextText(c)));
}

export async function renderBoard(main, { query, signal, setTitle }) {
  const kind = query.get('kind') === 'transfer' ? 'transfer' : 'development';
  const unit = query.get('unit') || currentUser().scope?.code || '';
  setTitle?.(kind === 'transfer' ? '组织关系转接' : '发展党员');
  const link = (k) => `#/party/pipeline?${new URLSearchParams({ ...(k ? { kind: k } : {}), ...(unit ? { unit } : {}) })}`;
  main.append(h('header', { class: 'card page-header' },
    h('h1', {}, kind === 'transfer' ? '组织关系转接' : '发展党员'),
    h('nav', { class: 'tabs', 'aria-label': '党员事项' },
      h('a', { href: '#/party' }, '党员名册'),
      h('a', { href: link(''), 'aria-current': kind === 'development' ? 'page' : null }, '发展党员'),
      h('a', { href: link('transfer'), 'aria-current': kind === 'transfer' ? 'page' : null }, '组织关系转接')),
    h('p', { class: 'muted' }, kind === 'transfer'
      ? '在人员档案中“开具组织关系介绍信”；接收方在此接收或退回。'
      : '在人员档案中“登记入党申请”；每一步的日期按《中国共产党发展党员工作细则》（2014）检查。')));
  const form = h('form', { class: 'card filters', 'aria-label': '筛选' },
    unitField({ name: 'unit', label: '单位', value: unit, signal }),
    h('button', { type: 'submit', class: 'button primary' }, '查看'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    if (kind === 'transfer') params.set('kind', kind);
    if (form.elements.unit.value) params.set('unit', form.elements.unit.value);
    location.hash = `#/party/pipeline?${params}`;
  });
  main.append(form);
  const box = h('section', { class: 'card' }, loading());
  main.append(box);
  try {
    const r = await getJSON(apiUrl('/api/v1/party/cases', { unit, kind, open: kind === 'development' ? 1 : null }), { signal });
    if (kind === 'transfer') {
      box.replaceChildren(h('h2', {}, `组织关系转接（${formatCount(r.cases.length)}）`),
        r.cases.length ? h('ul', { class: 'unit-list transfers' }, ...r.cases.map((c) => h('li', { 'data-id': c.id },
          h('a', { href: `#/party/cases/${c.id}` }, c.person.name), ' ',
          h('span', { class: c.final ? 'tag tag-final' : 'tag' }, c.state_label),
          c.overdue ? h('span', { class: 'tag tag-overdue' }, '已超期') : null,
          h('p', { class: 'muted' }, `${c.org.name} → ${c.to_org?.name ?? ''} · ${c.since}${c.deadline && !c.final ? ` · 回执期限 ${c.deadline}` : ''}`))))
          : empty('没有组织关系转接。'));
      return;
    }
    const columns = r.stages.map((s) => ({ ...s, cases: r.cases.filter((c) => c.stage === s.code) }));
    box.replaceChildren(h('h2', {}, `发展党员看板（${formatCount(r.cases.length)} 人在程序中）`),
      h('div', { class: 'pipeline-board' }, ...columns.map((col) => h('section', { class: 'pipeline-column', 'aria-label': col.name },
        h('h3', {}, `${col.name}（${formatCount(col.cases.length)}）`),
        col.cases.length ? h('ul', { class: 'pipeline-cards' }, ...col.cases.map(card)) : empty('无')))));
  } catch (error) {
    if (!signal.aborted) box.replaceChildren(errorAlert(error));
  }
}

// The steps of the kind as a list: done ones with their day and numbers.
function stepList(c) {
  const numbers = (s) => [
    ...Object.entries(s.numbers).filter(([k]) => !k.startsWith('introducer')).map(([k, v]) => `${LABELS[k] ?? k} ${v}`),
    ...Object.entries(s.names ?? {}).map(([k, v]) => `${LABELS[k] ?? k}：${v}`)].join('，');
  const taken = c.steps.filter((s) => s.on);
  const open = c.final ? [] : c.steps.filter((s) => !s.on && s.code === c.next?.code);
  return h('ol', { class: 'pipeline-steps' },
    h('li', { class: 'done' }, h('strong', {}, c.kind === 'transfer' ? '开具介绍信' : '递交入党申请书'), ' ', h('span', {}, c.applied_on)),
    ...taken.map((s) => h('li', { class: 'done' }, h('strong', {}, s.label), ' ', h('span', {}, s.on),
      numbers(s) ? h('span', { class: 'muted' }, `（${numbers(s)}）`) : null)),
    ...open.map((s) => h('li', { class: 'next' }, h('strong', {}, s.label), ' ', h('span', { class: 'muted' }, nextText(c)))));
}

const LABELS = {
  entitled: '应到', present: '实到', agreeing: '赞成', days: '培训天数', hours: '培训学时',
  months: '延长（月）', introducers: '入党介绍人',
};

function stepButton(c, s, refresh, signal) {
  const button = h('button', { type: 'button', class: 'button', 'data-step': s.code }, s.label);
  button.addEventListener('click', () => openDialog({
    title: s.label,
    intro: s.confirm,
    fields: [
      field('日期', dateInput('on'), { hint: '这一步实际办理的日期' }),
      s.needs.includes('note') ? field('说明', h('textarea', { name: 'note', class: 'input', rows: 3 })) : null,
      ...inputFields(s.inputs),
    ],
    required: s.needs.includes('note') ? [['note', '请填写说明']] : [],
    submitText: s.label,
    busyText: '正在提交…',
    returnFocus: () => document.querySelector(`[data-step="${s.code}"]`),
    signal,
    onSubmit: async (form) => {
      const body = { transition: s.code, on: form.elements.on.value, ...inputValues(form, s.inputs) };
      if (form.elements.note) body.note = form.elements.note.value;
      await sendJSON('POST', `/api/v1/party/cases/${c.id}/transitions`, body, { signal });
      refresh();
    },
  }));
  return button;
}

export async function renderCase(main, { params, signal, setTitle }) {
  const refresh = () => { main.replaceChildren(); renderCase(main, { params, signal, setTitle }); };
  main.append(loading());
  try {
    const c = await getJSON(`/api/v1/party/cases/${encodeURIComponent(params[1] ?? '')}`, { signal });
    setTitle?.(`${c.person.name} · ${c.kind_name}`);
    main.replaceChildren(...[
      h('section', { class: 'card' },
        h('h1', {}, `${c.kind_name}：`, h('a', { href: `#/persons/${c.person.id}` }, c.person.name)),
        h('p', {}, h('span', { class: c.final ? 'tag tag-final' : 'tag' }, c.state_label),
          c.stage_name ? h('span', { class: 'tag' }, c.stage_name) : null,
          c.overdue ? h('span', { class: 'tag tag-overdue' }, '已超期') : null),
        h('p', { class: 'muted' }, c.to_org ? `${c.org.name} → ${c.to_org.name}` : c.org.name),
        c.deadline && !c.final ? h('p', {}, `回执期限 ${c.deadline}`) : null,
        c.note ? h('p', {}, c.note) : null,
        c.next ? h('p', { class: 'pipeline-next' }, nextText(c)) : null),
      h('section', { class: 'card' }, h('h2', {}, '程序步骤'), stepList(c)),
      c.available.length ? h('section', { class: 'card' }, h('h2', {}, '办理'),
        h('div', { class: 'actions' }, ...c.available.map((s) => stepButton(c, s, refresh, signal)))) : null,
      timelineSection(c.timeline)].filter(Boolean));
  } catch (error) {
    if (!signal.aborted) main.replaceChildren(errorAlert(error));
  }
}

// The person page's buttons: 登记入党申请 (a development case in an
// organisation of the person's unit) and 开具组织关系介绍信 (a transfer
// from the person's current branch to an organisation given by its id).
export function caseActions(p, { signal } = {}) {
  if (!hasPerm('party:manage')) return null;
  const current = p.memberships.find((m) => m.kind === 'party_member' && !m.to);
  const open = (p.cases ?? []).filter((c) => !c.final);
  const apply = h('button', { type: 'button', class: 'button', 'data-action': 'apply' }, '登记入党申请');
  apply.addEventListener('click', async () => {
    const orgs = (await getJSON(apiUrl('/api/v1/party/orgs', { unit: p.unit.code }), { signal })).items;
    openDialog({
      title: '登记入党申请',
      fields: [
        field('党组织', select('org', orgs.map((o) => ({ value: String(o.id), label: o.name })), String(current?.org ?? orgs[0]?.id ?? ''))),
        field('递交入党申请书的日期', dateInput('on')),
        field('说明', h('textarea', { name: 'note', class: 'input', rows: 2 })),
      ],
      submitText: '登记', busyText: '正在登记…', signal,
      returnFocus: () => document.querySelector('[data-action="apply"]'),
      onSubmit: async (form) => {
        const c = await sendJSON('POST', '/api/v1/party/cases', {
          kind: 'development', person: p.id, org: Number(form.elements.org.value), on: form.elements.on.value, note: form.elements.note.value,
        }, { signal });
        location.hash = `#/party/cases/${c.id}`;
      },
    });
  });
  const transfer = h('button', { type: 'button', class: 'button', 'data-action': 'transfer' }, '开具组织关系介绍信');
  transfer.addEventListener('click', () => openDialog({
    title: '开具组织关系介绍信',
    intro: current ? `从${current.unit?.name ?? ''}的现所在党组织（编号 ${current.org}）转出` : null,
    fields: [
      field('接收的党组织编号', input('to_org', { inputmode: 'numeric' }), { hint: '接收方党组织页面地址中的编号，可为外县的党组织' }),
      field('开具日期', dateInput('on')),
      field('说明', h('textarea', { name: 'note', class: 'input', rows: 2 })),
    ],
    required: [['to_org', '请填写接收的党组织编号']],
    submitText: '开具', busyText: '正在开具…', signal,
    returnFocus: () => document.querySelector('[data-action="transfer"]'),
    onSubmit: async (form) => {
      const c = await sendJSON('POST', '/api/v1/party/cases', {
        kind: 'transfer', person: p.id, org: current.org, to_org: Number(form.elements.to_org.value), on: form.elements.on.value, note: form.elements.note.value,
      }, { signal });
      location.hash = `#/party/cases/${c.id}`;
    },
  }));
  return h('section', { class: 'card' }, h('h2', {}, '党员事项'),
    open.length ? h('ul', { class: 'unit-list' }, ...open.map((c) => h('li', {},
      h('a', { href: `#/party/cases/${c.id}` }, c.kind_name), ' ', h('span', { class: 'tag' }, c.state_label),
      h('p', { class: 'muted' }, nextText(c))))) : null,
    h('div', { class: 'actions' }, open.some((c) => c.kind === 'development') ? null : apply,
      current && !open.some((c) => c.kind === 'transfer') ? transfer : null));
}

// The person's cases, all of them (一人一档).
export function caseHistory(p) {
  const cases = p.cases ?? [];
  if (!cases.length) return null;
  return h('section', { class: 'card' }, h('h2', {}, '发展党员与组织关系转接'),
    h('ul', { class: 'unit-list' }, ...cases.map((c) => h('li', {},
      h('a', { href: `#/party/cases/${c.id}` }, c.kind_name), ' ',
      h('span', { class: c.final ? 'tag tag-final' : 'tag' }, c.state_label), ' ',
      h('span', { class: 'muted' }, c.to_org ? `${c.org.name} → ${c.to_org.name}` : c.org.name)))));
}
