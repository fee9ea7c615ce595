// period-field.js — 期间: the kind (年度/季度/月度/周), the year and, for a
// quarter, a month or an ISO week, which one. A fieldset named 'period' (the API's name,
// so an error about the period shows here; see ui/form.js).
import { h } from '../../ui/dom.js';
import { select, uniqueId } from '../../ui/form.js';
import { PERIOD_TYPE_OPTIONS } from './labels.js';
import { periodString, quarterLabel, weeksInYear } from './period.js';

const FIRST_YEAR = 2015;

function labelled(text, control) {
  control.id = uniqueId(`f-${control.name}`);
  return h('div', { class: 'period-part' }, h('label', { for: control.id }, text), control);
}

// period: {type, year, quarter, month, week}; onTypeChange(type) hears the kind change.
export function periodField(period, { onTypeChange = () => {} } = {}) {
  const now = new Date().getFullYear();
  const years = [];
  for (let y = Math.max(now + 1, period.year); y >= Math.min(FIRST_YEAR, period.year); y--) {
    years.push({ value: String(y), label: `${y}年` });
  }
  const type = select('period_type', PERIOD_TYPE_OPTIONS, period.type);
  const year = select('year', years, String(period.year));
  const quarter = select('quarter', [1, 2, 3, 4].map((q) => ({ value: String(q), label: quarterLabel(q) })),
    String(period.quarter));
  const month = select('month', Array.from({ length: 12 }, (_, i) => ({ value: String(i + 1), label: `${i + 1}月` })),
    String(period.month));
  const week = select('week', [], String(period.week ?? 1));
  const quarterPart = labelled('季度', quarter);
  const monthPart = labelled('月份', month);
  const weekPart = labelled('周', week);
  const error = h('p', { class: 'field-error', hidden: true });

  // Week 53 only where the year has one.
  function fillWeeks() {
    const chosen = Math.min(Number(week.value) || period.week || 1, weeksInYear(Number(year.value)));
    week.replaceChildren(...Array.from({ length: weeksInYear(Number(year.value)) }, (_, i) =>
      h('option', { value: String(i + 1) }, `第${i + 1}周`)));
    week.value = String(chosen);
  }
  year.addEventListener('change', fillWeeks);
  fillWeeks();

  function showParts() {
    quarterPart.hidden = type.value !== 'quarter';
    monthPart.hidden = type.value !== 'month';
    weekPart.hidden = type.value !== 'week';
  }
  type.addEventListener('change', () => {
    showParts();
    onTypeChange(type.value);
  });
  showParts();

  const node = h('fieldset', { class: 'field period-field', 'data-field': 'period' },
    h('legend', {}, '期间'),
    h('div', { class: 'period-parts' }, labelled('周期', type), labelled('年份', year), quarterPart, monthPart, weekPart),
    error);
  return {
    node,
    type: () => type.value,
    value: () => periodString({
      type: type.value, year: Number(year.value), quarter: Number(quarter.value), month: Number(month.value), week: Number(week.value),
    }),
  };
}
