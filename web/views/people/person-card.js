// person-card.js — 一人一档: a person's record and, in time order, what they
// were and are (memberships with their stage or post, where, from and to).
// Shared by the person page and the member's own page.
import { h } from '../../ui/dom.js';

const line = (label, value) => (value ? h('div', {}, h('dt', {}, label), h('dd', {}, value)) : null);

export function membershipText(m) {
  const what = m.stage_name ? `${m.kind_name}（${m.stage_name}）` : m.kind_name;
  const span = m.to ? `${m.from} 至 ${m.to}` : `${m.from} 起`;
  return { what, span, where: m.unit?.name ?? '' };
}

export function personCard(p, { linkOrg = true } = {}) {
  const items = [...p.memberships].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.id - b.id));
  return [
    h('section', { class: 'card person-card' },
      h('h1', {}, p.name),
      h('dl', { class: 'facts' },
        line('所属单位', p.unit?.name),
        line('性别', p.sex),
        line('出生日期', p.birth_date),
        line('民族', p.ethnicity),
        line('学历', p.education),
        line('身份证号', p.id_number),
        line('手机号', p.phone))),
    h('section', { class: 'card' },
      h('h2', {}, '档案记录'),
      items.length
        ? h('ol', { class: 'timeline person-timeline' }, ...items.map((m) => {
          const t = membershipText(m);
          const org = m.org && linkOrg ? h('a', { href: `#/party/orgs/${m.org}` }, t.where) : t.where;
          return h('li', { class: m.to ? 'ended' : 'current', 'data-kind': m.kind },
            h('span', { class: 'when' }, t.span), ' ',
            h('strong', {}, t.what), ' · ', org,
            m.end_reason ? h('span', { class: 'muted' }, `（${m.end_reason}）`) : null);
        }))
        : h('p', { class: 'muted' }, '还没有档案记录。')),
    (p.events ?? []).length ? h('section', { class: 'card' },
      h('h2', {}, `组织生活（${p.events.length} 次）`),
      h('ol', { class: 'timeline person-events' }, ...p.events.map((e) => h('li', { 'data-type': e.type },
        h('span', { class: 'when' }, e.day), ' ',
        linkOrg ? h('a', { href: `#/party/events/${e.id}` }, e.topic) : e.topic, ' · ',
        h('span', { class: 'muted' }, `${e.type_name} · ${e.org_name ?? e.unit?.name ?? ''}`), ' ',
        h('span', { class: e.attendance === 'present' ? 'tag' : 'tag tag-unread' }, e.attendance_name))))) : null,
  ].filter(Boolean);
}
