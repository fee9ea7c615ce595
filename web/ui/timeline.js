// timeline.js — a case's timeline, drawn the same way wherever one shows:
// a work item (办理过程), a unit's rating (创建过程) and a resident's request
// (查询进度). The server writes every timeline with one shape (docs/api.md):
//
//   {at, label, note, actor, actor_name, kind, transition, from, to, from_label, to_label,
//    evidence, rating, changes, ref, files: [{sha256, name, type, size, url, topic?}]}
//
// where `label` already says what happened (the step's label, or 提交, 留言,
// 转办, 自评 …); a resident's timeline has only {at, label, note}. Each event
// shows its time, label, who (their display name, never the login name),
// from → to (when the page can label states),
// note, evidence, rating stars, what it changed and its files.
//
// `changes` is any JSON value; it reads as lines of Chinese: a reassignment
// {"assignee":["张三","李四"]} as "承办人：张三 → 李四", saved answers
// {"<code>":{"score"|"yes","files"}…} as "<name>：18 分", an adjustment
// {"code","from":{…},"to":{…}} as "<name>：18 分 → 15 分", anything else
// key by key. A long list (a whole self-assessment) folds away.
import { h } from './dom.js';
import { empty } from './notice.js';
import { fileList } from './upload.js';
import { stars } from './stars.js';
import { formatTime } from '../labels.js';

const FOLD = 6; // change lines listed in full; more fold into 共 N 项
const CHANGE_LABELS = {
  owner_unit: '责任单位', helper_unit: '协办单位', assignee: '承办人', unit: '所属单位', escalated_to: '督办单位',
  score: '评分', yes: '回答', note: '说明', reason: '理由', target: '目标', level: '星级', star: '星', stars: '星',
  days: '公示天数', notice_until: '公示截止', upheld: '异议成立', resolution: '处理结果', text: '异议', files: '附件',
  on: '日期', entitled: '应到人数', present: '实到人数', agreeing: '赞成人数', hours: '培训学时', months: '延长（月）',
  introducers: '入党介绍人', introducer1: '入党介绍人编号', introducer2: '入党介绍人编号', org: '党组织',
  to_org: '接收的党组织',
};

// The timeline as a section headed `title`. Options:
// - headingId, className: the heading's id and the section's classes;
// - stateLabel(code): a state's label, or null when unknown (then no
//   from → to is shown, never a bare code);
// - names: codes the changes may name ({code: name}, e.g. indicators);
// - emptyText: shown when there are no events (else an empty list).
export function timelineSection(events, {
  title = '办理过程', headingId = 'timeline-title', className = 'card', stateLabel = null, names = {}, emptyText = null,
} = {}) {
  const list = events ?? [];
  return h('section', { class: className, 'aria-labelledby': headingId },
    h('h2', { id: headingId }, title),
    list.length === 0 && emptyText ? empty(emptyText)
      : h('ol', { class: 'timeline' }, list.map((e) => timelineEvent(e, stateLabel, names))));
}

function timelineEvent(e, stateLabel, names) {
  const from = e.from_label ?? (e.from && stateLabel?.(e.from));
  const to = e.to_label ?? (e.to && stateLabel?.(e.to));
  return h('li', { class: 'timeline-event', 'data-kind': e.kind },
    h('div', { class: 'timeline-head' },
      h('time', { datetime: e.at }, formatTime(e.at)),
      e.actor ? h('span', { class: 'timeline-actor' }, e.actor_name ?? e.actor) : null,
      h('span', { class: 'timeline-step' }, e.label ?? e.kind ?? ''),
      from && to ? h('span', { class: 'muted' }, `${from} → ${to}`) : null),
    e.note ? h('p', { class: 'timeline-note' }, e.note) : null,
    e.evidence ? h('p', { class: 'timeline-evidence' }, '佐证：', e.evidence) : null,
    e.rating !== null && e.rating !== undefined ? h('p', { class: 'timeline-rating' }, '评价：', stars(e.rating)) : null,
    changeList(e.changes, names),
    fileList(e.files));
}

const isAnswer = (a) => Boolean(a) && typeof a === 'object' && !Array.isArray(a)
  && (typeof a.score === 'number' || typeof a.yes === 'boolean');

// A number as people write it: at most two decimals.
const numberText = (n) => Number(n).toLocaleString('zh-CN', { maximumFractionDigits: 2 });

// One answer as it reads: "18 分", "是", "18 分，附件 1 个".
function answerText(a) {
  if (!a || typeof a !== 'object') return null;
  const parts = [];
  if (typeof a.score === 'number') parts.push(`${numberText(a.score)} 分`);
  if (typeof a.yes === 'boolean') parts.push(a.yes ? '是' : '否');
  if (a.files) parts.push(`附件 ${a.files} 个`);
  return parts.length ? parts.join('，') : null;
}

function changeList(changes, names) {
  if (!changes || typeof changes !== 'object') return null;
  const name = (code) => names[code] ?? code;
  // An adjustment: one answer, before and after.
  if (typeof changes.code === 'string' && changes.from && changes.to && !Array.isArray(changes.from)) {
    return listOf([`${name(changes.code)}：${answerText(changes.from) ?? '（未作答）'} → ${answerText(changes.to) ?? '（无）'}`]);
  }
  // Answers saved, by item code.
  const entries = Object.entries(changes);
  if (!Array.isArray(changes) && entries.length && entries.every(([, a]) => isAnswer(a))) {
    return listOf(entries.map(([code, a]) => `${name(code)}：${answerText(a)}`));
  }
  const value = (v) => {
    if (v === null || v === undefined || v === '') return '（无）';
    if (typeof v === 'boolean') return v ? '是' : '否';
    if (typeof v === 'number') return numberText(v);
    if (typeof v === 'string') return names[v] ?? v;
    return JSON.stringify(v);
  };
  const lines = [];
  const walk = (pairs, prefix) => {
    for (const [key, v] of pairs) {
      const label = `${prefix}${names[key] ?? CHANGE_LABELS[key] ?? key}`;
      if (Array.isArray(v) && v.length === 2 && v.every((x) => x === null || typeof x !== 'object')) {
        lines.push(`${label}：${value(v[0])} → ${value(v[1])}`); // [old, new]
      } else if (v && typeof v === 'object' && !Array.isArray(v)) {
        walk(Object.entries(v), `${label} · `);
      } else if (key === 'code' && names[v]) {
        lines.push(`指标：${names[v]}`);
      } else {
        lines.push(`${label}：${Array.isArray(v) ? v.map(value).join('、') : value(v)}`);
      }
    }
  };
  walk(Array.isArray(changes) ? changes.map((c, i) => [String(i + 1), c]) : entries, '');
  return listOf(lines);
}

// The lines of a change; a long one folds away.
function listOf(lines) {
  if (!lines.length) return null;
  const list = h('ul', { class: 'change-list' }, lines.map((line) => h('li', {}, line)));
  return lines.length > FOLD ? h('details', { class: 'change-details' }, h('summary', {}, `共 ${lines.length} 项`), list) : list;
}
