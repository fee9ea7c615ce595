// period.js — periods as the API writes them ('2023', '2023Q3', '2023-07')
// and as people read them ('2023年', '2023年第三季度', '2023年7月').
const QUARTERS = ['第一季度', '第二季度', '第三季度', '第四季度'];

// {type: 'year'|'quarter'|'month', year, quarter, month}, or null.
export function parsePeriod(text) {
  const m = /^(\d{4})(?:Q([1-4])|-(0[1-9]|1[0-2]))?$/.exec(text ?? '');
  if (!m) return null;
  const year = Number(m[1]);
  if (m[2]) return { type: 'quarter', year, quarter: Number(m[2]), month: 1 };
  if (m[3]) return { type: 'month', year, quarter: 1, month: Number(m[3]) };
  return { type: 'year', year, quarter: 1, month: 1 };
}

export function periodString({ type, year, quarter, month }) {
  if (type === 'quarter') return `${year}Q${quarter}`;
  if (type === 'month') return `${year}-${String(month).padStart(2, '0')}`;
  return String(year);
}

export function periodText({ type, year, quarter, month }) {
  if (type === 'quarter') return `${year}年${QUARTERS[quarter - 1]}`;
  if (type === 'month') return `${year}年${month}月`;
  return `${year}年`;
}

export const quarterLabel = (q) => QUARTERS[q - 1];

// This year, as a year period: the page's default.
export const thisYear = () => ({ type: 'year', year: new Date().getFullYear(), quarter: 1, month: 1 });
