// labels.js — how data elements, indicators and their values read in
// Chinese. The API names types, aggregations and formats by code only.
const VALUE_TYPES = { integer: '整数', number: '数值', percentage: '百分比', boolean: '是/否' };
const AGGREGATIONS = { sum: '求和', average: '平均', none: '不汇总' };
const PERIOD_TYPES = { year: '年度', quarter: '季度', month: '月度', week: '周' };
const FORMATS = { number: '数值', percent: '百分比', integer: '整数', boolean: '是/否' };

export const valueTypeLabel = (t) => VALUE_TYPES[t] ?? t;
export const aggregationLabel = (a) => AGGREGATIONS[a] ?? a;
export const periodTypeLabel = (p) => PERIOD_TYPES[p] ?? p;
export const formatLabel = (f) => FORMATS[f] ?? f;

const options = (labels) => Object.entries(labels).map(([value, label]) => ({ value, label }));
export const VALUE_TYPE_OPTIONS = options(VALUE_TYPES);
export const AGGREGATION_OPTIONS = options({ ...AGGREGATIONS, none: '不汇总（只取本单位的值）' });
export const PERIOD_TYPE_OPTIONS = options(PERIOD_TYPES);
export const FORMAT_OPTIONS = options(FORMATS);

// How a figure is shown: {format, decimals} of an indicator; a formula of
// one's own gets up to two decimals.
export const CUSTOM_FORMAT = { format: 'number', decimals: null };

// The display format of a single element's value (a formula '#{code}').
export function elementFormat(element) {
  switch (element.value_type) {
    case 'integer': return { format: 'integer', decimals: 0 };
    case 'percentage': return { format: 'percent', decimals: 1 };
    case 'boolean': // summed over units: how many say yes
      return element.aggregation === 'none' ? { format: 'boolean', decimals: 0 } : { format: 'integer', decimals: 0 };
    default: return CUSTOM_FORMAT;
  }
}

// "90.0%", "1,234", "是"; '—' for no value (no data, division by zero).
export function formatValue(value, { format, decimals } = CUSTOM_FORMAT) {
  if (value === null || value === undefined) return '—';
  if (format === 'boolean') return value ? '是' : '否';
  const digits = format === 'integer' ? 0 : decimals;
  const text = value.toLocaleString('zh-CN', digits === null || digits === undefined
    ? { maximumFractionDigits: 2 }
    : { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return format === 'percent' ? `${text}%` : text;
}

// A village committee's long name as a chart label: "大杨庄村村民委员会" → "大杨庄村".
export function shortName(name) {
  const short = name.replace(/(村民|居民)委员会$/, '');
  return short || name;
}
