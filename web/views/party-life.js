// party-life.js — 组织生活 in 党员管理. '#/party?tab=life&unit=&year=': the
// children's compliance ranking (party.meetings.held / due, ECharts), each
// organisation's calendar (months × duties: 已开 / 未开 / 未到期) and the
// latest events; '#/party/events/new?org=': plan or record an event;
// '#/party/events/ID': an event and its sign-in sheet, a list of the
// organisation's members to tick on a phone (出席 / 请假 / 缺席), saved in one
// write. Compliance is computed by the server from held events; nothing
// here is typed in.
import { h } from '../ui/dom.js';
import { getJSON, sendJSON, apiUrl } from '../api.js';
import { field, input, select, submitForm } from '../ui/form.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { barChart } from './data/analytics-chart.js';
import { rankingTable } from './data/ranking.js';

const RATE = '#{party.meetings.held}/#{party.meetings.due}*100';
const FMT = { format: 'percent', decimals: 1 };
const STATE_TEXT = { done: '✓', missed: '✗', pending: '·' };
const STATE_LABEL = { done: '已开', missed: '未开（逾期）', pending: '未到期' };

let typesCache = null;
const eventTypes = (signal) => (typesCache ??= getJSON('/api/v1/event-types', { signal }).catch((e) => { typesCache = null; throw e; }));

// The month (1–12) whose column holds a duty period: its last month.
function monthOf(period) {
  if (/^\d{4}$/.test(period)) return 12;
  const q = period.match(/^\d{4}Q(\d)$/);
  if (q) return Number(q[1]) * 3;
  return Number(period.slice(5, 7));
}

function cellState(c) {
  if (c.held) return 'done';
  if (c.missed) return 'missed';
  return 'pending';
}

// One organisation's year: a row per duty, a column per month.
function calendar(org) {
  const months = Array.from({ length: 12 }, (_, i) => i + 1);
  return h('table', { class: 'table life-calendar', 'data-org': org.id },
    h('caption', {}, `${org.name}：应开 ${org.due}，已开 ${org.held}，逾期 ${org.missed}，未到期 ${org.pending}`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '职责'), ...months.map((m) => h('th', { scope: 'col' }, `${m}月`)))),
    h('tbody', {}, ...org.duties.map((d) => {
      const byMonth = new Map(d.periods.map((p) => [monthOf(p.period), p]));
      return h('tr', { 'data-duty': d.code }, h('th', { scope: 'row' }, d.name),
        ...months.map((m) => {
          const c = byMonth.get(m);
          if (!c) return h('td', {});
          const state = cellState(c);
          return h('td', { class: `life-${state}`, title: `${c.period} ${STATE_LABEL[state]}`, 'data-state': state },
            c.due > 1 || c.pending > 1 ? `${c.held}/${c.due + c.pending}` : STATE_TEXT[state]);
        }));
    })));
}

export async function lifeTab(unit, query, signal) {
  const year = query.get('year') || String(new Date().getFullYear());
  const box = h('div', { class: 'party-life' });
  const yearForm = h('form', { class: 'card filters', 'aria-label': '年度' },
    field('年度', input('year', { value: year, inputmode: 'numeric', maxlength: 4 })),
    h('button', { type: 'submit', class: 'button' }, '查看'),
    h('a', { class: 'button primary', href: '#/party/events/new' }, '计划或登记活动'));
  yearForm.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/party?${new URLSearchParams({ tab: 'life', ...(unit ? { unit } : {}), year: yearForm.elements.year.value })}`;
  });
  box.append(yearForm);
  const ranking = h('section', { class: 'card' }, h('h2', {}, `下级单位组织生活落实率（${year} 年）`), loading());
  const orgs = h('section', { class: 'card' }, h('h2', {}, '各党组织组织生活日历'), loading());
  const recent = h('section', { class: 'card' }, h('h2', {}, '最近的活动'), loading());
  box.append(ranking, orgs, recent);

  getJSON(apiUrl('/api/v1/analytics', { expr: RATE, unit, period: year, by: 'children' }), { signal }).then((r) => {
    const rows = (r.children ?? []).map((c) => ({ code: c.code, name: c.name, value: c.value ?? null }))
      .sort((a, b) => (b.value ?? -1) - (a.value ?? -1));
    const here = (code) => `#/party?${new URLSearchParams({ tab: 'life', unit: code, year })}`;
    ranking.replaceChildren(h('h2', {}, `下级单位组织生活落实率（${year} 年）`),
      h('p', { class: 'muted' }, '已开次数 ÷ 应开次数（按三会一课等组织生活职责统计，未到期的不计为应开）'),
      ...(rows.some((x) => x.value !== null)
        ? [barChart({ rows, fmt: FMT, title: '组织生活落实率', signal, onPick: (code) => { location.hash = here(code); } }),
          rankingTable({ rows, fmt: FMT, title: '组织生活落实率', href: here })]
        : [empty('下级单位还没有应开的组织生活。')]));
  }, (error) => { if (!signal.aborted) ranking.replaceChildren(errorAlert(error)); });

  getJSON(apiUrl('/api/v1/compliance', { unit, period: year, limit: 50 }), { signal }).then((r) => {
    const list = r.items.filter((o) => o.duties.length);
    orgs.replaceChildren(h('h2', {}, '各党组织组织生活日历'),
      h('p', { class: 'muted' }, `合计应开 ${r.due} 次，已开 ${r.held} 次，逾期 ${r.missed} 次，未到期 ${r.pending} 次（截至 ${r.today}）。✓ 已开 ✗ 逾期 · 未到期`),
      ...(list.length ? list.map((o) => h('div', { class: 'table-scroll' }, calendar(o))) : [empty('这里还没有需要开展组织生活的党组织。')]),
      r.overdue.length ? h('details', { class: 'overdue-list' }, h('summary', {}, `逾期清单（${r.overdue.length}）`),
        h('ul', {}, ...r.overdue.slice(0, 200).map((x) => h('li', {}, `${x.org_name} · ${x.duty_name} · ${x.period}`)))) : null);
  }, (error) => { if (!signal.aborted) orgs.replaceChildren(errorAlert(error)); });

  getJSON(apiUrl('/api/v1/events', { unit, period: year, limit: 20 }), { signal }).then((r) => {
    recent.replaceChildren(h('h2', {}, '最近的活动'), r.items.length
      ? h('ul', { class: 'unit-list events' }, ...r.items.map((e) => h('li', {},
        h('a', { href: `#/party/events/${e.id}` }, e.topic), ' ',
        h('span', { class: 'tag' }, e.status === 'held' ? '已召开' : '计划'), ' ',
        h('span', { class: 'muted' }, `${e.type_name} · ${e.day} · ${e.org?.name ?? e.unit?.name ?? ''}`))))
      : empty('这一年还没有活动。'));
  }, (error) => { if (!signal.aborted) recent.replaceChildren(errorAlert(error)); });
  return box;
}

// '#/party/events/new': plan or record an event.
async function renderNew(main, { query, signal, setTitle }) {
  setTitle?.('计划或登记活动');
  main.append(loading());
  const [types, orgs] = await Promise.all([eventTypes(signal), getJSON('/api/v1/party/orgs', { signal })]);
  const orgId = query.get('org') || String(orgs.items[0]?.id ?? '');
  const typeSel = select('type', types.items.map((t) => ({ value: t.code, label: t.name })), 'theme_day');
  const actions = h('fieldset', { class: 'actions-box' });
  const showActions = () => {
    const t = types.items.find((x) => x.code === typeSel.value);
    const all = [...t.required_actions.map((a) => ({ ...a, required: true })), ...t.optional_actions];
    actions.hidden = !all.length;
    actions.replaceChildren(h('legend', {}, '规定动作和自选动作（4+X）'),
      ...all.map((a) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: 'actions', value: a.code, checked: a.required ? '' : null }), ` ${a.name}${a.required ? '（规定）' : ''}`)));
  };
  typeSel.addEventListener('change', showActions);
  showActions();
  const today = new Date().toISOString().slice(0, 10);
  const alertBox = h('div');
  const button = h('button', { type: 'submit', class: 'button primary' }, '保存');
  const form = h('form', { class: 'card stack', 'aria-label': '活动' },
    h('h1', {}, '计划或登记活动'),
    field('活动类型', typeSel),
    field('组织者（党组织）', select('org', orgs.items.map((o) => ({ value: String(o.id), label: `${o.name}（${o.unit.name}）` })), orgId)),
    field('状态', select('status', [{ value: 'held', label: '已召开' }, { value: 'planned', label: '计划' }], 'held')),
    field('日期', input('day', { type: 'date', value: today })),
    field('时间', input('time', { type: 'time', value: '09:00' })),
    field('主题', input('topic', { required: '' })),
    field('地点', input('place')),
    actions, alertBox, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await submitForm(form, {
      button, alertBox, busyText: '正在保存…',
      action: async () => {
        const f = form.elements;
        const body = {
          type: f.type.value, org: Number(f.org.value), status: f.status.value,
          starts_at: `${f.day.value}T${f.time.value || '00:00'}`, topic: f.topic.value, place: f.place.value,
          actions: [...form.querySelectorAll('input[name=actions]:checked')].map((x) => x.value),
        };
        const made = await sendJSON('POST', '/api/v1/events', body);
        location.hash = `#/party/events/${made.id}`;
      },
    });
  });
  main.replaceChildren(form);
}

// '#/party/events/ID': the event and its sign-in sheet.
export async function renderEvent(main, context) {
  const { params, signal, setTitle } = context;
  if (params[1] === 'new') return renderNew(main, context);
  main.append(loading());
  try {
    const [e, types] = await Promise.all([getJSON(`/api/v1/events/${encodeURIComponent(params[1])}`, { signal }), eventTypes(signal)]);
    setTitle?.(e.topic);
    const type = types.items.find((t) => t.code === e.type);
    const org = e.org ? await getJSON(`/api/v1/party/orgs/${e.org.id}`, { signal }) : null;
    const actionNames = new Map([...(type?.required_actions ?? []), ...(type?.optional_actions ?? [])].map((a) => [a.code, a.name]));
    main.replaceChildren(h('section', { class: 'card' }, h('h1', {}, e.topic),
      h('p', { class: 'muted' }, `${e.type_name} · ${e.status === 'held' ? '已召开' : '计划'} · ${e.starts_at.replace('T', ' ')}${e.place ? ` · ${e.place}` : ''}`),
      h('p', {}, e.org ? h('a', { href: `#/party/orgs/${e.org.id}` }, e.org.name) : e.unit?.name ?? ''),
      e.actions.length ? h('p', {}, `已完成：${e.actions.map((a) => actionNames.get(a) ?? a).join('、')}`) : null,
      e.files.length ? h('ul', {}, ...e.files.map((f) => h('li', {}, h('a', { href: f.url, target: '_blank' }, f.name)))) : null));
    if (type?.attendance) main.append(signInSheet(e, org, types));
  } catch (error) {
    if (!signal.aborted) main.replaceChildren(errorAlert(error));
  }
}

// The members to tick: the organisation's current party members (and any
// participant already recorded), each with 出席 / 请假 / 缺席.
function signInSheet(e, org, types) {
  const recorded = new Map(e.participants.map((p) => [p.person, p]));
  const people = new Map();
  for (const m of org?.members ?? []) if (m.kind === 'party_member' && ['formal', 'probationary'].includes(m.stage)) people.set(m.person, m.person_name);
  for (const p of e.participants) people.set(p.person, p.name);
  const codes = types.attendance;
  const alertBox = h('div');
  const counter = h('p', { class: 'muted', role: 'status' });
  const button = h('button', { type: 'submit', class: 'button primary' }, '保存签到');
  const rows = [...people].map(([id, name]) => {
    const now = recorded.get(id)?.attendance ?? '';
    return h('li', { class: 'sign-in-row', 'data-person': id },
      h('span', { class: 'sign-in-name' }, name),
      h('span', { class: 'sign-in-choices', role: 'radiogroup', 'aria-label': name },
        ...codes.map((c) => h('label', { class: 'sign-in-choice' },
          h('input', { type: 'radio', name: `p${id}`, value: c.code, checked: now === c.code ? '' : null }), c.name))));
  });
  const form = h('form', { class: 'card sign-in', 'aria-label': '签到' },
    h('h2', {}, `签到（${people.size} 人）`),
    h('p', { class: 'muted' }, '逐人勾选出席、请假或缺席；未勾选的不计入参加人员。'),
    people.size ? h('ul', { class: 'sign-in-list' }, ...rows) : empty('这个党组织还没有党员。'),
    counter, alertBox, button);
  const count = () => {
    const present = form.querySelectorAll('input[type=radio][value=present]:checked').length;
    counter.textContent = `出席 ${present} 人`;
  };
  form.addEventListener('change', count);
  count();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await submitForm(form, {
      button, alertBox, busyText: '正在保存…',
      action: async () => {
        const participants = [...people.keys()].map((id) => {
          const checked = form.querySelector(`input[name=p${id}]:checked`);
          return checked ? { person: id, attendance: checked.value } : null;
        }).filter(Boolean);
        const saved = await sendJSON('PUT', `/api/v1/events/${e.id}/attendance`, { participants });
        alertBox.replaceChildren(h('p', { class: 'notice', role: 'status' }, `已保存签到：出席 ${saved.present} 人，共 ${saved.participants.length} 人`));
      },
    });
  });
  return form;
}
