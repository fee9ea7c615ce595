// period.js — periods as the API writes them ('2023', '2023Q3', '2023-07',
// ISO week '2023-W07') and as people read them ('2023年', '2023年第三季度',
// '2023年7月', '2023年第7周').
const QUARTERS = ['第一季度', '第二季度', '第三季度', '第四季度'];

// {type: 'year'|'quarter'|'month'|'week', year, quarter, month, week}, or null.
export function parsePeriod(text) {
  const m = /^(\d{4})(?:Q([1-4])|-(0[1-9]|1[0-2])|-W(0[1-9]|[1-4]\d|5[0-3]))?$/.exec(text ?? '');
  if (!m) return null;
  const year = Number(m[1]);
  const base = { year, quarter: 1, month: 1, week: 1 };
  if (m[2]) return { ...base, type: 'quarter', quarter: Number(m[2]) };
  if (m[3]) return { ...base, type: 'month', month: Number(m[3]) };
  if (m[4]) return { ...base, type: 'week', week: Number(m[4]) };
  return { ...base, type: 'year' };
}

export function periodString({ type, year, quarter, month, week }) {
  if (type === 'quarter') return `${year}Q${quarter}`;
  if (type === 'month') return `${year}-${String(month).padStart(2, '0')}`;
  if (type === 'week') return `${year}-W${String(week).padStart(2, '0')}`;
  return String(year);
}

export function periodText({ type, year, quarter, month, week }) {
  if (type === 'quarter') return `${year}年${QUARTERS[quarter - 1]}`;
  if (type === 'month') return `${year}年${month}月`;
  if (type === 'week') return `${year}年第${week}周`;
  return `${year}年`;
}

// The ISO weeks of a year: 53 when it begins on a Thursday, or on a
// Wednesday in a leap year; else 52 (28 December is always in the last).
export function weeksInYear(year) {
  return isoWeek(new Date(Date.UTC(year, 11, 28))).week;
}

// The ISO week {year, week} of a date (its Thursday decides the year).
export function isoWeek(date) {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  d.setUTCDate(d.getUTCDate() + 4 - (d.getUTCDay() || 7));
  const jan1 = Date.UTC(d.getUTCFullYear(), 0, 1);
  return { year: d.getUTCFullYear(), week: Math.ceil(((d - jan1) / 86400000 + 1) / 7) };
}

export const quarterLabel = (q) => QUARTERS[q - 1];

// This year, as a year period: the page's default.
export const thisYear = () => ({ type: 'year', year: new Date().getFullYear(), quarter: 1, month: 1, week: 1 });
