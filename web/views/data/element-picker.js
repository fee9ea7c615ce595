// element-picker.js — 数据元: which elements to show, as checkboxes folded
// behind a summary ("已选 12 项") so the form stays short on a phone.
import { h } from '../../ui/dom.js';

export function elementPicker() {
  const list = h('div', { class: 'element-choices' });
  const summary = h('summary', {});
  const all = h('button', { type: 'button', class: 'button small' }, '全选');
  const none = h('button', { type: 'button', class: 'button small' }, '全不选');
  const details = h('details', { class: 'element-picker' }, summary,
    h('div', { class: 'element-picker-body' }, h('div', { class: 'element-picker-actions' }, all, none), list));
  const node = h('fieldset', { class: 'field', 'data-field': 'elements' }, h('legend', {}, '数据元'), details);
  let boxes = [];

  const checked = () => boxes.filter((b) => b.checked).map((b) => b.value);
  function count() {
    summary.textContent = boxes.length === 0 ? '没有此周期的数据元'
      : `已选 ${checked().length} 项，共 ${boxes.length} 项（点击修改）`;
  }
  const setAll = (value) => {
    for (const box of boxes) box.checked = value;
    count();
  };
  all.addEventListener('click', () => setAll(true));
  none.addEventListener('click', () => setAll(false));
  list.addEventListener('change', count);

  return {
    node,
    // Offers these elements, ticking the codes in `selected`.
    show(elements, selected) {
      boxes = elements.map((e) => h('input', { type: 'checkbox', name: 'element', value: e.code, checked: selected.includes(e.code) }));
      list.replaceChildren(...elements.map((e, i) =>
        h('label', { class: 'element-choice' }, boxes[i], h('span', {}, e.name), h('span', { class: 'code tech' }, e.code))));
      count();
    },
    selected: checked,
  };
}
