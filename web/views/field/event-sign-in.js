// event-sign-in.js — 活动签到 from 网格工作台, offline or not: the recent
// activities of the worker's village (its party organisations' meetings,
// 志愿服务 …) with a sign-in sheet each; the sheet goes through the outbox
// as PUT /api/v1/events/ID/attendance (one write for the whole list, sent
// once by its Idempotency-Key). The sheets are loaded with the page, so the
// service worker keeps them for a visit without signal.
import { h } from '../../ui/dom.js';
import { getJSON, apiUrl } from '../../api.js';
import { empty } from '../../ui/notice.js';
import { enqueue } from '../../offline/outbox.js';

const EVENTS_SHOWN = 5;

// The people to tick: the organisation's current party members and anyone
// already recorded, by person id → name.
function peopleOf(e, org) {
  const people = new Map();
  for (const m of org?.members ?? []) if (m.kind === 'party_member' && ['formal', 'probationary'].includes(m.stage)) people.set(m.person, m.person_name);
  for (const p of e.participants) people.set(p.person, p.name);
  return people;
}

function sheet(e, org, codes) {
  const people = peopleOf(e, org);
  const recorded = new Map(e.participants.map((p) => [p.person, p.attendance]));
  const open = h('button', { class: 'button small', type: 'button' }, '签到');
  const status = h('p', { class: 'muted', role: 'status' });
  const form = h('form', { class: 'stack event-sign-in', hidden: true, 'aria-label': `签到：${e.topic}` },
    people.size ? h('ul', { class: 'sign-in-list' }, [...people].map(([id, name]) => h('li', { class: 'sign-in-row', 'data-person': id },
      h('span', { class: 'sign-in-name' }, name),
      h('span', { class: 'sign-in-choices', role: 'radiogroup', 'aria-label': name },
        codes.map((c) => h('label', { class: 'sign-in-choice' },
          h('input', { type: 'radio', name: `p${id}`, value: c.code, checked: recorded.get(id) === c.code ? '' : null }), c.name))))))
      : empty('这个活动还没有可签到的人员。'),
    h('div', { class: 'actions' }, h('button', { class: 'button primary', type: 'submit', disabled: !people.size }, '保存签到'),
      h('button', { class: 'button', type: 'button', 'data-cancel': '' }, '取消')));
  open.addEventListener('click', () => { form.hidden = !form.hidden; });
  form.querySelector('[data-cancel]').addEventListener('click', () => { form.hidden = true; });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const participants = [...people.keys()].map((id) => {
      const checked = form.querySelector(`input[name=p${id}]:checked`);
      return checked ? { person: id, attendance: checked.value } : null;
    }).filter(Boolean);
    const present = participants.filter((p) => codes.find((c) => c.code === p.attendance)?.present).length;
    await enqueue({
      kind: 'attendance', label: `签到：${e.topic}（出席 ${present} 人）`, method: 'PUT',
      url: `/api/v1/events/${encodeURIComponent(e.id)}/attendance`, body: { participants },
    });
    form.hidden = true;
    status.textContent = `签到已保存在手机上（出席 ${present} 人），见上方同步状态。`;
  });
  return h('li', { 'data-event': e.id },
    h('span', {}, e.topic), h('span', { class: 'muted' }, ` ${e.type_name} · ${e.day}${e.org ? ` · ${e.org.name}` : ''}`),
    ' ', open, form, status);
}

// The card's body: the village's latest activities that take attendance.
export async function eventSignIns(unit, signal) {
  const [list, types] = await Promise.all([
    getJSON(apiUrl('/api/v1/events', { unit, limit: 20 }), { signal }),
    getJSON('/api/v1/event-types', { signal })]);
  const taking = new Set(types.items.filter((t) => t.attendance).map((t) => t.code));
  const events = list.items.filter((e) => taking.has(e.type)).slice(0, EVENTS_SHOWN);
  if (!events.length) return empty('村里近期没有需要签到的活动。');
  const orgs = new Map();
  const orgOf = (id) => {
    if (!orgs.has(id)) orgs.set(id, getJSON(`/api/v1/party/orgs/${encodeURIComponent(id)}`, { signal }));
    return orgs.get(id);
  };
  const rows = await Promise.all(events.map(async (x) => {
    const e = await getJSON(`/api/v1/events/${encodeURIComponent(x.id)}`, { signal });
    return sheet(e, e.org ? await orgOf(e.org.id) : null, types.attendance);
  }));
  return h('ul', { class: 'field-list' }, rows);
}
