// scope-field.js — 管辖范围 as a unit code, with the unit's name looked up
// as the reader types (GET /api/v1/units/CODE), so "411121100" reads back
// as "河南省 › 漯河市 › 舞阳县 › 舞泉镇". Empty means the whole country, which
// only a whole-country user may hand out (allowEmpty).
import { h } from '../../ui/dom.js';
import { getJSON } from '../../api.js';
import { field, unitCodeInput } from '../../ui/form.js';
import { pathText } from '../../labels.js';

const LOOKUP_DELAY = 300;

export function scopeField({ value = '', allowEmpty, signal }) {
  const control = unitCodeInput('scope', value, '单位代码，如 411121100');
  const found = h('p', { class: 'scope-name', 'aria-live': 'polite' });
  let timer = null;
  let asked = null;

  async function lookUp() {
    const code = control.value.trim();
    asked = code;
    found.classList.remove('not-found');
    if (!code) {
      found.textContent = allowEmpty ? '全国' : '';
      return;
    }
    if (!/^\d{2,18}$/.test(code)) {
      found.textContent = '单位代码由 2 至 18 位数字组成';
      found.classList.add('not-found');
      return;
    }
    found.textContent = '正在查找单位…';
    try {
      const unit = await getJSON(`/api/v1/units/${encodeURIComponent(code)}`, { signal });
      if (asked === code) found.textContent = pathText(unit.path);
    } catch (error) {
      if (signal?.aborted || asked !== code) return;
      found.textContent = error.status === 404 ? '未找到此单位，或它不在您的管辖范围内' : error.message;
      found.classList.add('not-found');
    }
  }

  control.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(lookUp, LOOKUP_DELAY);
  });
  lookUp();

  const node = field('管辖范围', control, {
    hint: allowEmpty ? '填写单位代码，留空表示全国。用户只能查看和管理此单位及其下级单位。'
      : '填写单位代码。用户只能查看和管理此单位及其下级单位。',
  });
  control.after(found);
  return node;
}

// The scope to send: the code, or null (the whole country) when empty.
export const scopeValue = (form) => form.elements.scope.value.trim() || null;
