// unit-header.js — the heading of a unit's page: name, level and kind,
// code, and how many units of each level lie below it (from /summary).
import { h } from '../../ui/dom.js';
import { getJSON } from '../../api.js';
import { levelLabel, countsText, kindsText } from '../../labels.js';

export function unitHeader(unit, signal) {
  const counts = h('p', { class: 'unit-counts', role: 'status' }, '正在统计下级单位…');
  const kinds = h('p', { class: 'unit-kinds', hidden: true });
  fillCounts(unit.code, counts, kinds, signal);
  return h('header', { class: 'card unit-header' },
    h('h1', {}, unit.name),
    h('p', { class: 'unit-labels' },
      h('span', { class: 'tag tag-level' }, levelLabel(unit.level)),
      unit.kind_label ? h('span', { class: 'tag' }, unit.kind_label) : null,
      h('span', { class: 'code' }, `代码 ${unit.code}`)),
    counts,
    kinds);
}

async function fillCounts(code, counts, kinds, signal) {
  try {
    const summary = await getJSON(`/api/v1/units/${encodeURIComponent(code)}/summary`, { signal });
    counts.textContent = countsText(summary.counts) || '暂无下级单位';
    const byKind = kindsText(summary.kinds);
    kinds.textContent = byKind && `其中 ${byKind}`;
    kinds.hidden = !byKind;
  } catch (error) {
    if (signal.aborted) return;
    counts.textContent = `无法统计下级单位：${error.message}`;
  }
}

// The top of the tree has no unit of its own to summarize. scope is the
// user's scope unit ({code, name}), null for the whole country.
export function rootHeader(scope = null) {
  return scope
    ? h('header', { class: 'card unit-header' },
      h('h1', {}, '管辖范围'),
      h('p', { class: 'unit-counts' }, `您的账号可查看“${scope.name}”及其下级单位，逐级查看或搜索单位名称、代码。`))
    : h('header', { class: 'card unit-header' },
      h('h1', {}, '全国'),
      h('p', { class: 'unit-counts' }, '按省、市、县(区)、乡镇(街道)、村(社区)逐级查看，或搜索单位名称、代码。'));
}
