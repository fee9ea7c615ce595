// community.js — 心愿与议事, the village or community secretary's phone page
// for 微心愿, 四议两公开 and 微项目. '#/community?unit=': the open wishes by
// state with their next step (认领, 兑现 with evidence …), the
// deliberations with their stage and the next meeting's attendance and
// votes entered in a form (the quorum rule's refusal shows at the field it
// names), the micro-projects with budget, wishes and participations, and a
// new micro-project packaging checked wishes; '#/community/project/ID': one
// micro-project with its wishes and participants, packaging more wishes,
// recording who took part, and its next step. Every step goes through the
// case engine (POST /api/v1/items/ID/transitions). People see names, never
// codes.
import { h } from '../ui/dom.js';
import { getJSON, sendJSON, apiUrl } from '../api.js';
import { field, input, select, inputFields, inputValues, submitForm } from '../ui/form.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { hasPerm } from '../session.js';
import { loadTypes } from './items/common.js';

const yuan = (v) => `${Number(v).toLocaleString('zh-CN')} 元`;
const NEEDS = { note: '说明', evidence: '兑现或实施佐证（文字说明）', assignee: '认领人或责任人' };
const PARTICIPANTS = [
  { value: 'person', label: '个人' },
  { value: 'unit', label: '单位' },
  { value: 'enterprise', label: '企业' },
];
const appendAll = (main, ...nodes) => main.append(...nodes.filter(Boolean));

// The steps of `type` that leave `state` and the reader may take (by permission).
function nextSteps(type, state) {
  return (type?.transitions ?? []).filter((t) => t.from.includes(state)
    && t.perm !== 'submitter' && (t.perm === 'public' || hasPerm(t.perm)));
}

const stateLabel = (type, code) => type?.states.find((s) => s.code === code)?.label ?? '';

// A form for one step of a case: a field for each thing it needs and each
// number it takes (attendance and votes of a meeting); the server's refusal
// (e.g. the quorum rule) lands at the field it names.
function stepForm(id, step, onDone) {
  const inputs = step.inputs ?? [];
  const needs = (step.needs ?? []).filter((n) => NEEDS[n] && !inputs.some((i) => i.code === n));
  const alertBox = h('div');
  const button = h('button', { type: 'submit', class: 'button primary' }, step.label);
  const form = h('form', { class: 'community-step', 'aria-label': step.label },
    ...needs.map((n) => field(NEEDS[n], n === 'assignee'
      ? input(n, { maxlength: 64, autocomplete: 'off' })
      : h('textarea', { name: n, class: 'input', rows: 2, maxlength: 2000 }))),
    ...inputFields(inputs), alertBox, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (step.confirm && !window.confirm(step.confirm)) return;
    const body = { transition: step.code, ...inputValues(form, inputs) };
    for (const n of needs) if (form.elements[n].value.trim()) body[n] = form.elements[n].value.trim();
    const ok = await submitForm(form, {
      button, alertBox, busyText: '正在提交…',
      action: () => sendJSON('POST', `/api/v1/items/${id}/transitions`, body),
    });
    if (ok) onDone();
  });
  return form;
}

// One case as a card: title, stage, and its next steps as forms behind buttons.
function caseCard(item, type, details, onDone) {
  const steps = nextSteps(type, item.state);
  const box = h('div', { class: 'community-actions' });
  const buttons = steps.map((s) => {
    const b = h('button', { type: 'button', class: 'button' }, s.label);
    b.addEventListener('click', async () => {
      box.replaceChildren(loading());
      try {
        // The step's needs and numbers (with their ranges) come with the item.
        const full = await getJSON(`/api/v1/items/${item.id}`);
        const def = (full.available ?? []).find((a) => a.code === s.code);
        box.replaceChildren(def ? stepForm(item.id, def, onDone) : errorAlert(new Error('此步骤当前不能办理，请刷新页面')));
        box.querySelector('input, textarea')?.focus();
      } catch (error) { box.replaceChildren(errorAlert(error)); }
    });
    return b;
  });
  return h('li', { class: 'card community-case', 'data-item': item.id },
    h('h3', {}, item.title),
    h('p', {}, h('span', { class: 'tag' }, stateLabel(type, item.state)), ' ', ...details),
    steps.length ? h('p', { class: 'muted' }, `下一步：${steps.map((s) => s.label).join(' 或 ')}`) : null,
    h('p', { class: 'community-buttons' }, ...buttons, h('a', { href: `#/items/${item.id}` }, '详情与记录')),
    box);
}

async function openItems(type, unit, signal) {
  const list = await getJSON(apiUrl('/api/v1/items', { unit, type, limit: 200 }), { signal });
  return list.items.filter((i) => !i.final);
}

function newProjectForm(unit, wishes, onSaved) {
  const alertBox = h('div');
  const button = h('button', { type: 'submit', class: 'button primary' }, '新建微项目');
  const picks = h('fieldset', { class: 'field', 'data-field': 'wishes' }, h('legend', {}, '纳入的心愿'),
    ...(wishes.length ? wishes.map((w) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'wish', value: String(w.id) }), ` ${w.title}`))
      : [h('p', { class: 'muted' }, '暂无已核实公示的心愿')]),
    h('p', { class: 'field-error', hidden: true }));
  const form = h('form', { class: 'card', novalidate: true, 'aria-label': '新建微项目' }, h('h2', {}, '新建微项目'),
    field('项目名称', input('title', { required: '', maxlength: 200 })),
    field('预算（元）', input('budget', { type: 'number', min: 1, step: 1, inputmode: 'numeric', required: '' })),
    picks, alertBox, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = [...form.querySelectorAll('input[name=wish]:checked')].map((c) => Number(c.value));
    const ok = await submitForm(form, {
      button, alertBox, busyText: '正在保存…',
      action: () => sendJSON('POST', '/api/v1/microprojects', {
        ...(unit ? { unit } : {}), title: form.elements.title.value.trim(),
        budget: Number(form.elements.budget.value), wishes: chosen,
      }).catch((e) => { throw e.field?.startsWith('wishes') ? Object.assign(e, { field: 'wishes' }) : e; }),
    });
    if (ok) onSaved();
  });
  return form;
}

async function renderBoard(main, context) {
  const { query, signal } = context;
  const unit = query.get('unit') || '';
  const types = await loadTypes();
  const type = (code) => types.find((t) => t.code === code);
  const [wishes, deliberations, projects] = await Promise.all([
    openItems('wish', unit, signal), openItems('deliberation', unit, signal),
    getJSON(apiUrl('/api/v1/microprojects', { unit }), { signal }),
  ]);
  const reload = () => renderBoard(main, context).catch((e) => main.replaceChildren(errorAlert(e)));
  main.replaceChildren();
  const wishType = type('wish');
  const byState = wishType.states.filter((s) => wishes.some((w) => w.state === s.code));
  const packable = wishes.filter((w) => ['listed', 'claimed'].includes(w.state));
  appendAll(main,
    h('nav', { class: 'community-tabs', 'aria-label': '本页栏目' },
      h('a', { href: '#community-wishes' }, `微心愿 ${wishes.length}`), ' · ',
      h('a', { href: '#community-deliberations' }, `议事 ${deliberations.length}`), ' · ',
      h('a', { href: '#community-projects' }, `微项目 ${projects.items.length}`)),
    h('section', { id: 'community-wishes', 'aria-labelledby': 'cw-title' },
      h('h2', { id: 'cw-title' }, '微心愿（未办结）'),
      byState.length ? null : empty('没有未办结的心愿。'),
      ...byState.map((s) => h('div', {}, h('h3', {}, `${s.label}（${wishes.filter((w) => w.state === s.code).length}）`),
        h('ul', { class: 'community-list' }, ...wishes.filter((w) => w.state === s.code).map((w) =>
          caseCard(w, wishType, [w.unit?.name ?? '', w.assignee ? ` · 认领：${w.assignee}` : ''], reload)))))),
    h('section', { id: 'community-deliberations', 'aria-labelledby': 'cd-title' },
      h('h2', { id: 'cd-title' }, '四议两公开（进行中）'),
      deliberations.length
        ? h('ul', { class: 'community-list' }, ...deliberations.map((d) =>
          caseCard(d, type('deliberation'), [d.unit?.name ?? ''], reload)))
        : empty('没有进行中的议事事项。')),
    h('section', { id: 'community-projects', 'aria-labelledby': 'cp-title' },
      h('h2', { id: 'cp-title' }, '微项目'),
      projects.items.length
        ? h('ul', { class: 'community-list' }, ...projects.items.map((p) => h('li', { class: 'card', 'data-project': p.id },
          h('h3', {}, h('a', { href: `#/community/project/${p.id}` }, p.title)),
          h('p', {}, h('span', { class: 'tag' }, p.state_label), ` ${p.unit?.name ?? ''}`),
          h('p', { class: 'muted' }, `预算 ${yuan(p.budget)} · 心愿 ${p.wish_count} 个 · 参与 ${p.participations} 人次`))))
        : empty('还没有微项目。'),
      hasPerm('items:create') ? newProjectForm(unit, packable, reload) : null));
}

function participantForm(id, onSaved) {
  const alertBox = h('div');
  const button = h('button', { type: 'submit', class: 'button primary' }, '登记参与');
  const form = h('form', { class: 'card', 'aria-label': '登记参与方' }, h('h2', {}, '登记参与方'),
    field('类别', select('kind', PARTICIPANTS, 'person')),
    field('名称或姓名', input('name', { required: '', maxlength: 100 })),
    field('参与人次', input('count', { type: 'number', min: 1, step: 1, value: '1', inputmode: 'numeric' })),
    alertBox, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const ok = await submitForm(form, {
      button, alertBox, busyText: '正在保存…',
      action: () => sendJSON('POST', `/api/v1/microprojects/${id}/participants`, {
        kind: form.elements.kind.value, name: form.elements.name.value.trim(), count: Number(form.elements.count.value),
      }),
    });
    if (ok) onSaved();
  });
  return form;
}

function linkForm(id, wishes, onSaved) {
  const alertBox = h('div');
  const button = h('button', { type: 'submit', class: 'button' }, '纳入心愿');
  const form = h('form', { class: 'card', 'aria-label': '纳入心愿' }, h('h2', {}, '纳入更多心愿'),
    field('心愿', select('wishes', wishes.map((w) => ({ value: String(w.id), label: w.title })), '')),
    alertBox, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const ok = await submitForm(form, {
      button, alertBox, busyText: '正在保存…',
      action: () => sendJSON('POST', `/api/v1/microprojects/${id}/wishes`, { wishes: [Number(form.elements.wishes.value)] })
        .catch((e) => { throw e.field?.startsWith('wishes') ? Object.assign(e, { field: 'wishes' }) : e; }),
    });
    if (ok) onSaved();
  });
  return form;
}

async function renderProject(main, context) {
  const { params, signal, setTitle } = context;
  const id = params[1];
  const [p, types] = await Promise.all([getJSON(`/api/v1/microprojects/${id}`, { signal }), loadTypes()]);
  setTitle?.(p.title);
  const reload = () => renderProject(main, context).catch((e) => main.replaceChildren(errorAlert(e)));
  const type = types.find((t) => t.code === 'microproject');
  const handle = hasPerm('items:handle') && !type.states.find((s) => s.code === p.state)?.final;
  const free = handle ? (await openItems('wish', p.unit?.code ?? '', signal))
    .filter((w) => ['listed', 'claimed'].includes(w.state) && !p.wishes.some((x) => x.id === w.id)) : [];
  main.replaceChildren();
  appendAll(main,
    h('p', {}, h('a', { href: '#/community' }, '← 心愿与议事')),
    h('ul', { class: 'community-list' }, caseCard({ ...p, final: false }, type,
      [p.unit?.name ?? '', ` · 预算 ${yuan(p.budget)} · 参与 ${p.participations} 人次`], reload)),
    h('section', { class: 'card' }, h('h2', {}, `纳入的心愿（${p.wishes.length}）`),
      p.wishes.length ? h('ul', { class: 'unit-list' }, ...p.wishes.map((w) => h('li', {},
        h('a', { href: `#/items/${w.id}` }, w.title), ' ', h('span', { class: 'tag' }, w.state_label))))
        : empty('还没有纳入心愿。')),
    h('section', { class: 'card' }, h('h2', {}, `参与方（${p.participants.length}）`),
      p.participants.length ? h('ul', { class: 'unit-list' }, ...p.participants.map((x) => h('li', {},
        `${x.kind_label} · ${x.name} · ${x.count} 人次`)))
        : empty('还没有登记参与方。')),
    handle && free.length ? linkForm(id, free, reload) : null,
    handle ? participantForm(id, reload) : null);
}

export async function render(main, context) {
  appendAll(main, loading());
  try {
    const box = h('div', { class: 'community-page' });
    const [view] = context.params ?? [];
    if (view === 'project' && context.params[1]) await renderProject(box, context);
    else await renderBoard(box, context);
    main.replaceChildren(box);
  } catch (error) {
    if (!context.signal.aborted) main.replaceChildren(errorAlert(error));
  }
}
