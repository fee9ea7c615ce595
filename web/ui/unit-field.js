// unit-field.js — a unit given by its code, with the unit's path looked up
// as the reader types (GET /api/v1/units/CODE), so "411121100" reads back
// as "河南省 › 漯河市 › 舞阳县 › 舞泉镇". Units outside the reader's scope
// answer 404 like unknown ones and read "not found".
import { h } from './dom.js';
import { getJSON } from '../api.js';
import { field, unitCodeInput } from './form.js';
import { pathText } from '../labels.js';

const LOOKUP_DELAY = 300;

// name: the control's (and the API's) name; emptyText: what an empty field
// means (e.g. '全国'), '' when it means nothing.
export function unitField({ name, label, value = '', placeholder, hint = null, emptyText = '', signal }) {
  const control = unitCodeInput(name, value, placeholder);
  const found = h('p', { class: 'scope-name', 'aria-live': 'polite' });
  let timer = null;
  let asked = null;

  async function lookUp() {
    const code = control.value.trim();
    asked = code;
    found.classList.remove('not-found');
    if (!code) {
      found.textContent = emptyText;
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
  signal?.addEventListener('abort', () => clearTimeout(timer));
  lookUp();

  const node = field(label, control, { hint });
  control.after(found);
  return node;
}
