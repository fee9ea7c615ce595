// labels.js — how units read in Chinese. The API names a unit's level but
// does not label it, and a summary counts kinds by name only, so the labels
// are kept here, matching src/core/unit.c.
const LEVEL_LABELS = {
  province: '省',
  city: '市',
  county: '县(区)',
  township: '乡镇(街道)',
  village: '村(社区)',
  grid: '网格',
  building: '楼栋',
};

const KIND_LABELS = {
  subdistrict: '街道',
  town: '镇',
  township: '乡',
  community: '社区',
  village: '村',
  other: '其他',
  grid: '网格',
  estate: '小区',
  building: '楼栋',
};

export const levelLabel = (level) => LEVEL_LABELS[level] ?? level;
export const kindLabel = (kind) => KIND_LABELS[kind] ?? kind;
export const formatCount = (n) => n.toLocaleString('zh-CN');

// "14 个乡镇(街道) · 398 个村(社区)" from a summary's counts, skipping zeros.
export function countsText(counts) {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([level, n]) => `${formatCount(n)} 个${levelLabel(level)}`)
    .join(' · ');
}

// "镇 10 · 乡 4 · 村 398" from a summary's kinds.
export function kindsText(kinds) {
  return Object.entries(kinds)
    .map(([kind, n]) => `${kindLabel(kind)} ${formatCount(n)}`)
    .join(' · ');
}

// "河南省 › 漯河市 › 舞阳县" from a unit's path.
export const pathText = (path) => path.map((p) => p.name).join(' › ');

// "2026-11-23 17:41:07" in the reader's time zone from an ISO 8601 time.
export function formatTime(iso) {
  if (!iso) return '';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return String(iso);
  const p = (n) => String(n).padStart(2, '0');
  const date = `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())}`;
  return `${date} ${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())}`;
}
