// element-dialogs.js — 新建数据元 and 新建指标, each a dialog (ui/dialog.js)
// whose errors show at the field the server names; a formula's error
// names the character where it goes wrong ("第 21 个字符处：…").
import { h } from '../../ui/dom.js';
import { sendJSON } from '../../api.js';
import { openDialog } from '../../ui/dialog.js';
import { field, input, select, uniqueId } from '../../ui/form.js';
import { levelLabel } from '../../labels.js';
import { VALUE_TYPE_OPTIONS, AGGREGATION_OPTIONS, PERIOD_TYPE_OPTIONS, FORMAT_OPTIONS } from './labels.js';
import { formulaMessage } from './catalog.js';

const LEVELS = ['province', 'city', 'county', 'township', 'village', 'grid', 'building'];
const CODE_HINT = '字母、数字或 _ . -，如 toilet.sanitary；创建后不能修改，公式和台账中用它引用。';

const fieldError = (name, message) => Object.assign(new Error(message), { field: name });
const textarea = (name, attrs = {}) => h('textarea', { name, class: 'input', rows: 2, ...attrs });

// A number field's value: undefined when empty; a message at the field
// when it is not a number.
function optionalNumber(form, name) {
  const text = form.elements[name].value.trim();
  if (!text) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw fieldError(name, '请填写数字');
  return value;
}

// 填报层级: one checkbox per level; none ticked means any level.
function levelsField() {
  const id = uniqueId('levels');
  return h('fieldset', { class: 'field levels-field', 'data-field': 'levels', 'aria-describedby': `${id}-hint` },
    h('legend', {}, '填报层级'),
    h('div', { class: 'level-choices' }, LEVELS.map((level) =>
      h('label', {}, h('input', { type: 'checkbox', name: 'levels', value: level }), levelLabel(level)))),
    h('p', { class: 'field-hint', id: `${id}-hint` }, '在哪一级单位填报，如村(社区)；都不选表示任何一级都可以填报。'),
    h('p', { class: 'field-error', hidden: true }));
}

export function openElementDialog({ returnFocus, signal, onCreated }) {
  openDialog({
    title: '新建数据元',
    intro: '数据元是逐级填报的一项基础数据，如“户数”。',
    fields: [
      field('名称', input('name', { maxlength: 60, autocomplete: 'off' })),
      field('代码', input('code', { maxlength: 64, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' }),
        { hint: CODE_HINT }),
      field('计量单位', input('measure', { maxlength: 20, autocomplete: 'off' }), { hint: '如 户、人、万元、%；可不填。' }),
      field('值类型', select('value_type', VALUE_TYPE_OPTIONS, 'integer')),
      field('汇总方式', select('aggregation', AGGREGATION_OPTIONS, 'sum'),
        { hint: '上级单位的值怎样由下级得到：求和（如户数）或平均（如满意度）。' }),
      field('填报周期', select('period_type', PERIOD_TYPE_OPTIONS, 'year')),
      levelsField(),
      h('div', { class: 'field-pair' },
        field('下限', input('min', { inputmode: 'decimal', autocomplete: 'off' })),
        field('上限', input('max', { inputmode: 'decimal', autocomplete: 'off' }))),
      field('说明', textarea('description', { maxlength: 500 }), { hint: '口径、来源等，可不填。' }),
    ],
    submitText: '创建',
    busyText: '正在创建…',
    required: [['name', '请填写名称'], ['code', '请填写代码']],
    returnFocus,
    signal,
    async onSubmit(form) {
      const value = (name) => form.elements[name].value.trim();
      const body = {
        code: value('code'),
        name: value('name'),
        measure: value('measure'),
        value_type: value('value_type'),
        aggregation: value('aggregation'),
        period_type: value('period_type'),
        levels: [...form.querySelectorAll('input[name="levels"]:checked')].map((box) => box.value),
        description: value('description'),
      };
      const min = optionalNumber(form, 'min');
      const max = optionalNumber(form, 'max');
      if (min !== undefined) body.min = min;
      if (max !== undefined) body.max = max;
      onCreated(await sendJSON('POST', '/api/v1/elements', body));
    },
  });
}

// elements: for 插入数据元, which puts '#{code}' at the formula's cursor.
export function openIndicatorDialog({ elements, returnFocus, signal, onCreated }) {
  const formula = textarea('formula', { maxlength: 2000, spellcheck: 'false', autocomplete: 'off', class: 'input code-input' });
  const insert = select('insert', [{ value: '', label: '插入数据元…' },
    ...elements.map((e) => ({ value: e.code, label: `${e.name}（${e.code}）` }))], '', { 'aria-label': '插入数据元' });
  insert.addEventListener('change', () => {
    if (!insert.value) return;
    const text = `#{${insert.value}}`;
    const at = formula.selectionStart ?? formula.value.length;
    formula.setRangeText(text, at, formula.selectionEnd ?? at, 'end');
    insert.value = '';
    formula.focus();
  });
  const formulaField = field('公式', formula,
    { hint: '用 #{数据元代码} 引用数据元，如 #{toilet.sanitary} / #{households} * 100；比较（>= 等）得到“是/否”。' });
  formula.after(insert);
  openDialog({
    title: '新建指标',
    intro: '指标是由数据元计算得到的统计口径，如“卫生厕所普及率”。上级的值按各数据元的汇总值计算。',
    fields: [
      field('名称', input('name', { maxlength: 60, autocomplete: 'off' })),
      field('代码', input('code', { maxlength: 64, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' }),
        { hint: CODE_HINT }),
      formulaField,
      h('div', { class: 'field-pair' },
        field('显示格式', select('format', FORMAT_OPTIONS, 'number')),
        field('小数位数', select('decimals', [0, 1, 2, 3, 4].map((n) => ({ value: String(n), label: `${n} 位` })), '1'))),
      field('计量单位', input('measure', { maxlength: 20, autocomplete: 'off' }), { hint: '如 %、人；可不填。' }),
      field('说明', textarea('description', { maxlength: 500 }), { hint: '口径、来源等，可不填。' }),
    ],
    submitText: '创建',
    busyText: '正在创建…',
    required: [['name', '请填写名称'], ['code', '请填写代码'], ['formula', '请填写公式']],
    returnFocus,
    signal,
    async onSubmit(form) {
      const value = (name) => form.elements[name].value.trim();
      try {
        onCreated(await sendJSON('POST', '/api/v1/indicators', {
          code: value('code'),
          name: value('name'),
          formula: value('formula'),
          format: value('format'),
          decimals: Number(value('decimals')),
          measure: value('measure'),
          description: value('description'),
        }));
      } catch (error) {
        if (error.field === 'formula') error.message = formulaMessage(error.message);
        throw error;
      }
    },
  });
}
