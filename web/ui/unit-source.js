// unit-source.js — where the unit picker (unit-field.js) gets its units:
// the staff API, which keeps to the reader's scope (GET /api/v1/units…),
// or the residents' (GET /api/v1/public/units), which needs no account.
// Both answer units as {code, name, level, ancestors: [name…], open}: the
// names above the unit, and whether it has units below it (null: unknown).
import { getJSON, apiUrl } from '../api.js';

export const LEVELS = ['province', 'city', 'county', 'township', 'village', 'grid', 'building'];
const CODE_LENGTHS = [2, 4, 6, 9, 12, 15, 18];
const PAGE = 20;

// The level of a code, from its length (core/unit.h); null if none has it.
export const levelOfCode = (code) => LEVELS[CODE_LENGTHS.indexOf(code.length)] ?? null;

// A unit of the staff API: its path runs from the province to itself.
const fromStaff = (u) => ({
  code: u.code,
  name: u.name,
  level: u.level,
  ancestors: u.path ? u.path.slice(0, -1).map((p) => p.name) : null,
  open: u.child_count === undefined ? null : u.child_count > 0,
});

// A unit of the residents' API: its path is one line of the names above it.
const fromPublic = (u) => ({
  code: u.code,
  name: u.name,
  level: u.level,
  ancestors: u.path ? u.path.split(' › ') : [],
  open: null,
});

// Every page of a listing (a township's villages can exceed one).
async function allPages(url, params, signal, auth) {
  const items = [];
  let after = null;
  do {
    const page = await getJSON(apiUrl(url, { ...params, after }), { signal, auth });
    items.push(...page.items);
    after = page.next ?? null;
  } while (after && items.length < 2000);
  return items;
}

// levels: the levels that may be chosen, or null for any.
export function staffSource(levels) {
  const level = levels?.join(',');
  return {
    async search(q, { after, signal }) {
      const page = await getJSON(apiUrl('/api/v1/units', { q, level, limit: PAGE, after }), { signal });
      return { items: page.items.map(fromStaff), next: page.next };
    },
    async lookup(code, { signal }) {
      return fromStaff(await getJSON(`/api/v1/units/${encodeURIComponent(code)}`, { signal }));
    },
    // The top of the reader's tree: the provinces, or their scope unit
    // (with its path, which the listing leaves out).
    async roots({ signal }) {
      const top = (await getJSON('/api/v1/units?limit=1000', { signal })).items.map(fromStaff);
      if (top.length !== 1 || top[0].level === 'province') return top;
      return [await this.lookup(top[0].code, { signal })];
    },
    async children(unit, { signal }) {
      const items = await allPages(`/api/v1/units/${encodeURIComponent(unit.code)}/children`, { limit: 1000 }, signal);
      return items.map(fromStaff);
    },
  };
}

export function publicSource(levels) {
  const level = levels?.join(',');
  return {
    async search(q, { after, signal }) {
      const page = await getJSON(apiUrl('/api/v1/public/units', { q, level, limit: PAGE, after }), { signal, auth: false });
      return { items: page.items.map(fromPublic), next: page.next };
    },
    // A code is its own prefix: the one unit of that code's level.
    async lookup(code, { signal }) {
      const page = await getJSON(apiUrl('/api/v1/public/units', { q: code, level: levelOfCode(code), limit: 1 }),
        { signal, auth: false });
      const unit = page.items.find((u) => u.code === code);
      if (!unit) throw Object.assign(new Error('未找到此单位'), { status: 404 });
      return fromPublic(unit);
    },
    async roots({ signal }) {
      return (await allPages('/api/v1/public/units', { level: 'province', limit: 100 }, signal, false)).map(fromPublic);
    },
    async children(unit, { signal }) {
      const below = LEVELS[LEVELS.indexOf(unit.level) + 1];
      if (!below) return [];
      const items = await allPages('/api/v1/public/units', { unit: unit.code, level: below, limit: 100 }, signal, false);
      return items.map(fromPublic);
    },
  };
}
