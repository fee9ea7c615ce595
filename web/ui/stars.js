// stars.js — a 1–5 star rating as people see it: "★★★★☆", read by screen
// readers as "4 星".
import { h } from './dom.js';

// null for no rating.
export function stars(rating) {
  if (rating === null || rating === undefined) return null;
  const n = Math.max(0, Math.min(5, Number(rating)));
  return h('span', { class: 'stars', role: 'img', 'aria-label': `${n} 星` }, '★'.repeat(n) + '☆'.repeat(5 - n));
}
