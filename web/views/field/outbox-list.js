// outbox-list.js — the outbox as the grid worker reads it: each record
// with its state (待同步 / 已同步 / 失败 with the server's message and the
// choice to send it again or give it up / 有冲突),
// and for a conflict both versions side by side with the choice: 保留我的
// (send mine again on the server's current version) or 采用服务器的
// (drop mine).
import { h } from '../../ui/dom.js';
import { empty } from '../../ui/notice.js';
import { formatTime } from '../../labels.js';
import { STATE_LABELS, outboxRecords, dropRecord, resend } from '../../offline/outbox.js';

// What a conflict shows, by the record's kind: the question, and rows of
// [label, mine, the server's] (a household: the fields the worker edited; a
// request's progress note: the state and version it was written on, and the
// note against the item's state and latest note now), and what 保留我的
// resends (on the server's current version).
const FIELD_LABELS = { address: '地址', tags: '户标签', head: '户主' };
const SHOWN = 50;
const lastNote = (item) => [...(item.timeline ?? [])].reverse().find((e) => e.note)?.note ?? '';
const CONFLICTS = {
  household: {
    question: '这户在您离线期间已被他人修改，请选择保留哪个版本：',
    rows: (r) => Object.keys(r.body).filter((k) => k in FIELD_LABELS).map((k) => [FIELD_LABELS[k], r.body[k], r.theirs[k]]),
  },
  'item-note': {
    question: '这件事在您离线期间已有新的办理，您的进展是按旧情况写的。请选择：保留我的（按现在的情况再次提交），或采用服务器的（放弃我的进展）：',
    rows: (r) => [
      ['状态', r.base?.state_label, r.theirs.state_label],
      ['版本', `第 ${r.body.base_version} 版`, `第 ${r.theirs.version} 版`],
      ['进展', r.body.note, lastNote(r.theirs)],
    ],
  },
};

const shown = (value) => {
  if (value === null || value === undefined || value === '') return '（空）';
  if (Array.isArray(value)) return value.map((v) => v.name ?? v).join('、') || '（无）';
  if (typeof value === 'object') return value.name ?? value.address ?? JSON.stringify(value);
  return String(value);
};

function conflictView(record) {
  const what = CONFLICTS[record.kind] ?? CONFLICTS.household;
  const table = h('table', { class: 'conflict' },
    h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, '我的修改'), h('th', {}, '服务器上的'))),
    h('tbody', {}, what.rows(record).map(([label, mine, theirs]) => h('tr', { class: shown(mine) === shown(theirs) ? '' : 'differs' },
      h('th', {}, label), h('td', {}, shown(mine)), h('td', {}, shown(theirs))))));
  const mine = h('button', { class: 'button primary', type: 'button' }, '保留我的');
  const theirs = h('button', { class: 'button', type: 'button' }, '采用服务器的');
  mine.addEventListener('click', () => resend(record.id, { base_version: record.theirs.version }));
  theirs.addEventListener('click', () => dropRecord(record.id));
  return h('div', { class: 'conflict-box' }, h('p', {}, what.question), table, h('div', { class: 'actions' }, mine, theirs));
}

// A failed record (the server refused it): 重新发送 (e.g. once a rights
// problem is fixed at the office) or 放弃 (the records of its subject held
// behind it then go on).
function failedActions(record) {
  const again = h('button', { class: 'button', type: 'button' }, '重新发送');
  const drop = h('button', { class: 'button', type: 'button' }, '放弃这条');
  again.addEventListener('click', () => resend(record.id));
  drop.addEventListener('click', () => dropRecord(record.id));
  return h('div', { class: 'actions' }, again, drop);
}

export async function outboxList() {
  const records = await outboxRecords();
  if (!records.length) return empty('没有待同步的记录。');
  const count = (state) => records.filter((r) => r.state === state).length;
  const summary = h('p', { class: 'outbox-summary' },
    Object.entries(STATE_LABELS).map(([state, label]) => `${label} ${count(state)}`).join(' · '));
  const clear = h('button', { class: 'button', type: 'button', hidden: !count('synced') }, '清除已同步');
  clear.addEventListener('click', async () => {
    for (const r of records) if (r.state === 'synced') await dropRecord(r.id);
  });
  // The newest SHOWN: a sync of hundreds is redrawn as it goes, and the
  // summary counts them all. The ones that need the worker always show.
  const newest = records.slice().reverse();
  const listed = newest.filter((r, i) => i < SHOWN || r.state === 'failed' || r.state === 'conflict');
  const more = records.length - listed.length;
  return h('div', {}, summary, h('ol', { class: 'outbox' }, listed.map((r) => h('li', { class: `outbox-${r.state}`, 'data-state': r.state },
    h('span', { class: `tag tag-${r.state}` }, STATE_LABELS[r.state]), ` ${r.label}`,
    h('span', { class: 'muted' }, ` ${formatTime(r.created)}`),
    r.message ? h('p', { class: r.state === 'pending' ? 'muted' : 'alert' }, r.message) : null,
    r.state === 'conflict' ? conflictView(r) : null,
    r.state === 'failed' ? failedActions(r) : null))),
  more ? h('p', { class: 'muted' }, `另有较早的 ${more} 条未列出。`) : null, clear);
}
