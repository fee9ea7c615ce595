// href.js — addresses of the tree browser's pages: '#/units' (the top of
// the tree), '#/units/CODE', each with ?q= while searching.
export function unitHref(code = null, q = '') {
  const path = code ? `#/units/${encodeURIComponent(code)}` : '#/units';
  return q ? `${path}?${new URLSearchParams({ q })}` : path;
}
