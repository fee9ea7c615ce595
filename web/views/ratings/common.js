// common.js — what the "五星"支部创建 pages share: the schemes (GET
// /api/v1/schemes, fetched once per page load) and the one that fits a
// kind of unit this year, how a level, a target and an indicator kind read
// in Chinese, a rating's state as a tag (the server labels states and says
// what they allow), star icons, and the address of a unit's page.
import { h } from '../../ui/dom.js';
import { getJSON, apiUrl } from '../../api.js';

let schemes = null;

// Resolves to [SCHEME…] (see docs/api.md).
export async function loadSchemes() {
  schemes ??= getJSON('/api/v1/schemes').then((r) => r.items);
  try {
    return await schemes;
  } catch (error) {
    schemes = null; // a lost connection: the next page asks again
    throw error;
  }
}

// The scheme for units of `kind` ('village', 'community'…): this year's,
// else the latest; null when none applies.
export function schemeFor(list, kind = 'village', year = new Date().getFullYear()) {
  const fits = list.filter((s) => (s.applies_to ?? []).includes(kind));
  return fits.find((s) => s.year === year) ?? [...fits].sort((a, b) => b.year - a.year)[0] ?? null;
}

// The scheme named in the address, else the village scheme of this year,
// else the first.
export const chosenScheme = (list, code) =>
  list.find((s) => s.code === code) ?? schemeFor(list) ?? list[0] ?? null;

const NUMERALS = ['零', '一', '二', '三', '四', '五', '六', '七', '八'];
export const numeral = (n) => NUMERALS[n] ?? String(n);

// 一星 … 五星; 0 is 未评星.
export const levelText = (n) => (n > 0 ? `${numeral(n)}星` : '未评星');

// 争创四星; no target: 未申报.
export const targetText = (n) => (n > 0 ? `争创${numeral(n)}星` : '未申报');

const KINDS = { assessed: '人工评分', yesno: '是否', formula: '数据计算' };
export const kindLabel = (kind) => KINDS[kind] ?? kind;

// ★★★☆☆ read as "3 星"; total is the scheme's number of stars.
export function starIcons(level, total = 5) {
  const n = Math.max(0, Math.min(total, Number(level) || 0));
  return h('span', { class: 'stars', role: 'img', 'aria-label': `${n} 星` }, '★'.repeat(n) + '☆'.repeat(total - n));
}

// The state of a rating ({state, state_label, final}) as a tag, labelled
// by the server; without a rating 未申报.
export function ratingStateTag(rating) {
  if (!rating?.state) return h('span', { class: 'tag tag-off' }, '未申报');
  return h('span', { class: rating.final ? 'tag tag-final' : 'tag tag-level', 'data-state': rating.state },
    rating.state_label ?? rating.state);
}

// '#/ratings/411121100201?scheme=village-2026'
export const ratingHref = (unit, scheme) =>
  `#/ratings/${encodeURIComponent(unit)}${scheme ? `?${new URLSearchParams({ scheme })}` : ''}`;

// The API address of a unit's rating, with ?scheme=.
export const ratingUrl = (unit, scheme, rest = '') =>
  apiUrl(`/api/v1/ratings/${encodeURIComponent(unit)}${rest}`, { scheme });

// "808 / 1101（73.39%）"; '—' when there is nothing to divide by.
export function shareText(n, of) {
  if (!of) return '—';
  return `${n} / ${of}（${(n / of * 100).toFixed(2)}%）`;
}

// A score as people write it: at most two decimals.
export const scoreText = (n) => (n === null || n === undefined ? '—'
  : Number(n).toLocaleString('zh-CN', { maximumFractionDigits: 2 }));
