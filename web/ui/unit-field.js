// unit-field.js — the one field that takes a unit (单位选择器): type part
// of a name and choose among the matches, each shown with its full path
// (河南省 › 漯河市 › 舞阳县 › 辛安镇 › 郝庄村村民委员会), with ↑ ↓ Enter Esc or
// the mouse; several words narrow along the path ("舞阳 郝庄"); or walk down
// the tree (unit-tree.js). The chosen unit reads by name and path, its code
// only as secondary text. A code typed or pasted still works: the field
// takes it as it is and the list shows its unit. Staff search within their
// scope (the server keeps to it); residents use the public API.
//
// The form sees a hidden input named `name` holding the code ('' for none),
// so pages read form.elements[name].value as before. A name typed but not
// chosen does not submit: the field says to choose from the list.
import { h } from './dom.js';
import { uniqueId, showFieldError } from './form.js';
import { LEVELS, staffSource, publicSource } from './unit-source.js';
import { unitTree } from './unit-tree.js';

const SEARCH_DELAY = 250; // ms after the last keystroke
const CODE = /^\d{2,18}$/;
const NOT_FOUND = '未找到此单位，或它不在您的管辖范围内';

const pathOf = (unit) => [...(unit.ancestors ?? []), unit.name].join(' › ');

// name: the hidden input's (and the API's) name; value: a code; emptyText:
// what an empty field means (e.g. '全国'), '' when it must not stay empty
// (a 清除 button comes with it); levels: the levels that may be chosen
// (null: any); residents: the public API; onChange(unit | null) after a
// unit is chosen or cleared.
export function unitField({
  name, label, value = '', hint = null, emptyText = '', levels = null, residents = false,
  placeholder = '输入名称查找，如 郝庄', onChange = null, signal,
}) {
  const source = residents ? publicSource(levels) : staffSource(levels);
  const deepest = levels ? Math.max(...levels.map((l) => LEVELS.indexOf(l))) : LEVELS.length - 1;
  const canChoose = (unit) => !levels || levels.includes(unit.level);
  const canOpen = (unit) => unit.open !== false && LEVELS.indexOf(unit.level) < deepest;

  // Staff see a unit's code beside its path (small, for the clerk who
  // knows it); residents do not.
  const codeOf = (unit) => (residents ? null : h('span', { class: 'code' }, unit.code));
  const id = uniqueId(`f-${name}`);
  const text = h('input', {
    id, type: 'text', class: 'input unit-input', role: 'combobox', autocomplete: 'off', spellcheck: 'false',
    'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': `${id}-list`,
    maxlength: 100, enterkeyhint: 'search', placeholder,
  });
  const hidden = h('input', { type: 'hidden', name, value });
  const chosenLine = h('p', { id: `${id}-chosen`, class: 'unit-chosen', 'aria-live': 'polite' });
  const status = h('p', { class: 'unit-status muted', role: 'status' });
  const list = h('ul', { id: `${id}-list`, class: 'unit-options', role: 'listbox', 'aria-label': '查找结果', hidden: true });
  const walk = h('button', { type: 'button', class: 'button small unit-walk', 'aria-expanded': 'false' }, '逐级选择');
  const clear = emptyText ? h('button', { type: 'button', class: 'button small unit-clear', hidden: true }, '清除') : null;
  const hintEl = hint ? h('p', { class: 'field-hint', id: `${id}-hint` }, hint) : null;
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  text.setAttribute('aria-describedby', [chosenLine.id, hintEl?.id, error.id].filter(Boolean).join(' '));
  const tree = unitTree({
    source, canChoose, canOpen, signal,
    onChoose: (unit) => {
      choose(unit);
      text.focus();
    },
  });
  walk.setAttribute('aria-controls', tree.node.id);
  const node = h('div', { class: 'field unit-field', 'data-field': name },
    h('label', { for: id }, label),
    h('div', { class: 'unit-row' }, text, walk, clear),
    hidden, chosenLine, status, list, tree.node, hintEl, error);

  let committed = null; // the unit chosen last (what Esc goes back to)
  let options = []; // the units listed, plus {more: cursor} for the next page
  let active = -1;
  let timer = null; // a search waiting for the typing to pause
  let pending = null; // the search asked, until it answers
  let enterWaiting = false; // Enter came before the list: choose its first unit then

  function cancel() {
    clearTimeout(timer);
    timer = null;
    pending?.abort();
    pending = null;
  }

  // The line under the box: the unit's path and code, a note, or what
  // the empty field means.
  function showChosen(unit, note = null) {
    chosenLine.classList.toggle('not-found', Boolean(note));
    if (note) chosenLine.textContent = note;
    else if (unit) chosenLine.replaceChildren(...[h('span', { class: 'unit-chosen-path' }, pathOf(unit)), codeOf(unit)].filter(Boolean));
    else chosenLine.textContent = hidden.value || text.value.trim() ? '' : emptyText;
    if (clear) clear.hidden = !hidden.value && !text.value.trim();
  }

  // Makes unit (null: none) the field's value.
  function choose(unit) {
    committed = unit;
    hidden.value = unit?.code ?? '';
    text.value = unit?.name ?? '';
    error.hidden = true;
    text.removeAttribute('aria-invalid');
    closeList();
    tree.hide();
    walk.setAttribute('aria-expanded', 'false');
    showChosen(unit);
    onChange?.(unit);
    if (unit && unit.ancestors === null) { // from the top of the tree: its path is not known yet
      source.lookup(unit.code, { signal }).then((full) => {
        if (committed !== unit) return;
        committed = full;
        showChosen(full);
      }, () => {});
    }
  }

  function closeList() {
    cancel();
    enterWaiting = false;
    list.hidden = true;
    status.textContent = '';
    text.setAttribute('aria-expanded', 'false');
    text.removeAttribute('aria-activedescendant');
  }

  function setActive(k) {
    active = options.length ? (k + options.length) % options.length : -1;
    for (const [i, li] of [...list.children].entries()) li.setAttribute('aria-selected', String(i === active));
    const li = list.children[active];
    if (li) {
      text.setAttribute('aria-activedescendant', li.id);
      li.scrollIntoView({ block: 'nearest' });
    } else {
      text.removeAttribute('aria-activedescendant');
    }
  }

  function optionRow(option, k) {
    const li = option.more
      ? h('li', { id: `${id}-opt-${k}`, role: 'option', class: 'unit-option unit-option-more' }, options.length > 1 ? '更多结果…' : '继续查找…')
      : h('li', { id: `${id}-opt-${k}`, role: 'option', class: 'unit-option', 'data-code': option.code },
        h('span', { class: 'unit-option-name' }, option.name),
        option.ancestors?.length ? h('span', { class: 'unit-option-path' }, option.ancestors.join(' › ')) : null,
        codeOf(option));
    li.addEventListener('mousedown', (event) => event.preventDefault()); // keep the focus in the box
    li.addEventListener('click', () => pick(k));
    return li;
  }

  function pick(k) {
    const option = options[k];
    if (!option) return;
    if (option.more) search(option.more);
    else choose(option);
  }

  // Asks for the matches of what is typed (after: the next page).
  async function search(after = null) {
    cancel();
    const q = text.value.trim();
    if (!q) {
      closeList();
      return;
    }
    const controller = new AbortController();
    pending = controller;
    signal?.addEventListener('abort', () => controller.abort(), { once: true });
    status.textContent = '正在查找…';
    let page;
    try {
      page = await source.search(q, { after, signal: controller.signal });
    } catch (failure) {
      if (controller.signal.aborted) return;
      pending = null;
      enterWaiting = false;
      status.textContent = failure.message;
      return;
    }
    if (controller.signal.aborted) return;
    pending = null;
    const kept = after ? options.filter((o) => !o.more) : [];
    options = [...kept, ...page.items];
    if (page.next) options.push({ more: page.next });
    list.replaceChildren(...options.map(optionRow));
    list.hidden = options.length === 0;
    text.setAttribute('aria-expanded', String(!list.hidden));
    const found = options.filter((o) => !o.more).length;
    status.textContent = found ? `找到 ${found}${page.next ? ' 个以上' : ' 个'}单位，请选择：`
      : page.next ? '还没有找到，可以继续查找' : '没有找到，请换个名称试试，可用空格分隔上级单位名称，如“舞阳 郝庄”';
    setActive(after ? kept.length : 0);
    if (CODE.test(q) && !after) { // a code typed: its unit, when it is one
      const exact = page.items.find((u) => u.code === q);
      showChosen(exact, exact ? null : NOT_FOUND);
      if (exact) onChange?.(exact);
    }
    if (enterWaiting) {
      enterWaiting = false;
      if (found) pick(active);
    }
  }

  text.addEventListener('input', () => {
    const q = text.value.trim();
    error.hidden = true;
    text.removeAttribute('aria-invalid');
    hidden.value = CODE.test(q) ? q : ''; // a code is taken as it is
    showChosen(null);
    if (!q) {
      closeList();
      if (committed) onChange?.(null);
      committed = null;
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(() => search(), SEARCH_DELAY);
  });

  text.addEventListener('keydown', (event) => {
    const open = !list.hidden;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) search();
      else setActive(active + (event.key === 'ArrowDown' ? 1 : -1));
    } else if (event.key === 'Enter') {
      if (timer || pending || (!open && !settled())) {
        event.preventDefault(); // the list is on its way: Enter chooses its first match, not submits
        enterWaiting = true;
        if (!pending) search();
      } else if (open && active >= 0) {
        event.preventDefault();
        pick(active);
      }
    } else if (event.key === 'Escape' && (open || !settled())) {
      event.preventDefault();
      event.stopPropagation(); // not the dialog's Escape
      closeList();
      if (committed) choose(committed);
      else if (!CODE.test(text.value.trim())) text.value = '';
    }
  });

  // Whether the text is a value: empty, the chosen unit's name or a code.
  const settled = () => {
    const q = text.value.trim();
    return !q || CODE.test(q) || (committed !== null && q === committed.name && hidden.value === committed.code);
  };

  node.addEventListener('focusout', (event) => {
    if (!node.contains(event.relatedTarget)) closeList();
  });

  walk.addEventListener('click', () => {
    if (tree.open) {
      tree.hide();
    } else {
      closeList();
      tree.show(true);
    }
    walk.setAttribute('aria-expanded', String(tree.open));
  });
  clear?.addEventListener('click', () => {
    choose(null);
    text.focus();
  });

  // A name typed but not chosen stops the form, at this field.
  let guarded = null;
  text.addEventListener('focus', () => {
    if (!text.form || guarded === text.form) return;
    guarded = text.form;
    guarded.addEventListener('submit', (event) => {
      if (settled()) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      showFieldError(guarded, name, '请从查找结果中选择单位（或逐级选择）');
    }, true);
  });

  signal?.addEventListener('abort', cancel);

  // The value given: its unit's name and path.
  if (value) {
    text.value = value;
    chosenLine.textContent = '正在查找单位…';
    source.lookup(value, { signal }).then((unit) => {
      if (text.value !== value) return; // typed over meanwhile
      committed = unit;
      text.value = unit.name;
      showChosen(unit);
    }, (failure) => {
      if (signal?.aborted || text.value !== value) return;
      showChosen(null, failure.status === 404 ? NOT_FOUND : failure.message);
    });
  } else {
    showChosen(null);
  }
  return node;
}
