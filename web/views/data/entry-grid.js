// entry-grid.js — the 数据填报 grid: one row per unit, one column per data
// element, each cell an input prefilled with the saved value. Edited cells
// are marked; 保存 sends only those (an emptied cell deletes its value) in
// one POST /api/v1/values, which is all or nothing: the item the server
// refuses ("第 N 项：…") is traced back to its cell and the message shown
// there. Validation rules the figures break show at the cells of their
// elements: an error blocks the save, warnings ask 确认保存 (which sends
// again with ?confirm=true). Approved rows (审核) are locked, with who
// approved when; a unit above may approve or withdraw a row's approval.
// Keyboard: Tab and Shift+Tab along a row, Enter and Shift+Enter down and
// up a column, the arrow keys (left/right once the caret is at the text's
// end), Escape restores the cell, Ctrl+S saves. The grid of one unit (a
// village without grids) becomes a form on a phone: each cell carries a
// label, shown above its input there (style.css, .single-unit), with the
// same messages under it.
import { h } from '../../ui/dom.js';
import { getJSON, sendJSON, apiUrl } from '../../api.js';
import { errorAlert } from '../../ui/notice.js';
import { uniqueId } from '../../ui/form.js';
import { enteredAt } from './catalog.js';
import { shortName } from './labels.js';
import { fetchApprovals, lockOf, approvalText, approve, withdraw } from './approvals.js';

const VALUES_PAGE = 1000;

// Every value entered in the unit's subtree for the period, by 'unit|element'.
export async function fetchValues(unit, period, signal) {
  const values = new Map();
  let after = null;
  do {
    const page = await getJSON(apiUrl('/api/v1/values', { unit, period, limit: VALUES_PAGE, after }), { signal });
    for (const v of page.items) values.set(`${v.unit}|${v.element}`, v.value);
    after = page.next;
  } while (after);
  return values;
}

// Full-width digits and punctuation (Chinese input methods) as ASCII.
const halfWidth = (text) => text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

// A cell's text as {value} (null: empty) or {error}.
function parseCell(text, element) {
  const t = halfWidth(text).replace(/[\s,]/g, '').replace(/。/g, '.');
  if (t === '') return { value: null };
  if (element.value_type === 'boolean') {
    if (t === '1' || t === '是') return { value: 1 };
    if (t === '0' || t === '否') return { value: 0 };
    return { error: '请选择“是”或“否”' };
  }
  const number = element.value_type === 'percentage' ? t.replace(/%$/, '') : t;
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(number)) return { error: '请填写数字' };
  return { value: Number(number) };
}

const cellText = (value, element) => {
  if (value === null || value === undefined) return '';
  return element.value_type === 'boolean' ? String(value ? 1 : 0) : String(value);
};

// "家庭医生签约人数不能多于常住人口（1200 <= 1000 不成立）": a broken rule.
const ruleText = (v) => `${v.message}（${v.left ?? '空'} ${v.operator} ${v.right ?? '空'} 不成立）`;

// root: the code of the unit whose subtree holds the rows; units: the rows
// ({code, name, level, child_count}); elements: the columns; period: the
// API's period text; scope: the reader's scope code (null: the whole
// country), above which they cannot approve; childHref(code): the grid of a
// row's own children. Returns {node, load(), dirty(), csv()}.
export function entryGrid({ root, units, elements, period, scope = null, signal, childHref }) {
  const status = h('p', { class: 'action-status', role: 'status' });
  const alertBox = h('div', { class: 'form-alert' });
  const lockNote = h('p', { class: 'grid-lock', role: 'status', hidden: true });
  const save = h('button', { type: 'button', class: 'button primary' }, '保存');
  const revert = h('button', { type: 'button', class: 'button' }, '撤销修改');
  let values = new Map();
  let approvals = { items: [], canApprove: false };
  // Per row: where its approval state shows.
  const rowState = units.map(() => ({ badge: h('span', { class: 'grid-approval', hidden: true }), action: h('span') }));

  // cells[r][c]: {input, error, td, unit, element, original} or null where
  // the row's unit does not enter the element.
  const single = units.length === 1;
  const cells = units.map((unit) => elements.map((element) => {
    if (!enteredAt(element, unit.level)) return null;
    const label = `${shortName(unit.name)} ${element.name}`;
    const id = uniqueId('cell');
    const input = element.value_type === 'boolean'
      ? h('select', { class: 'cell-input', id, 'aria-label': label },
        h('option', { value: '' }, '—'), h('option', { value: '1' }, '是'), h('option', { value: '0' }, '否'))
      : h('input', { type: 'text', class: 'cell-input', id, inputmode: 'decimal', autocomplete: 'off', 'aria-label': label });
    const error = h('p', { class: 'cell-error', hidden: true });
    // The form's label (one unit on a phone): the element and its measure.
    const formLabel = single
      ? h('label', { class: 'cell-label', for: id }, element.name,
        element.measure ? h('span', { class: 'grid-measure' }, element.measure) : null)
      : null;
    return { input, error, td: h('td', {}, formLabel, input, error), unit, element, original: null };
  }));
  const all = () => cells.flat().filter(Boolean);

  const table = h('table', { class: single ? 'entry-grid single-unit' : 'entry-grid' },
    h('caption', { class: 'visually-hidden' }, '数据填报表：每行一个单位，每列一个数据元'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'grid-corner' }, '单位'),
      elements.map((e) => h('th', { scope: 'col' },
        h('span', { class: 'grid-element' }, e.name),
        h('span', { class: 'grid-measure' }, [e.measure, e.code].filter(Boolean).join(' · ')))))),
    h('tbody', {}, units.map((unit, r) => h('tr', {},
      h('th', { scope: 'row', title: unit.name },
        h('span', { class: 'grid-unit' }, shortName(unit.name)),
        h('span', { class: 'grid-code' }, unit.code,
          unit.child_count > 0 && childHref
            ? h('a', { href: childHref(unit.code), 'aria-label': `填报${shortName(unit.name)}的下级单位` }, '下级')
            : null),
        rowState[r].badge, rowState[r].action),
      cells[r].map((cell) => cell ? cell.td
        : h('td', { class: 'cell-off', title: '此单位不填报该数据元' },
          h('span', { 'aria-hidden': 'true' }, '—'), h('span', { class: 'visually-hidden' }, '不填报')))))));

  const parse = (cell) => parseCell(cell.input.value, cell.element);
  const isChanged = (cell) => {
    const p = parse(cell);
    return p.error !== undefined || p.value !== cell.original;
  };

  // A message at the cell: an error (red), or with kind 'warning' a
  // broken warning rule (amber); '' clears it.
  function setError(cell, message, kind = 'error') {
    cell.error.textContent = message;
    cell.error.hidden = !message;
    cell.td.classList.toggle('has-error', Boolean(message) && kind === 'error');
    cell.td.classList.toggle('has-warning', Boolean(message) && kind === 'warning');
    if (message) {
      cell.error.id ||= uniqueId('cell-error');
      cell.input.setAttribute('aria-invalid', 'true');
      cell.input.setAttribute('aria-describedby', cell.error.id);
    } else {
      cell.input.removeAttribute('aria-invalid');
      cell.input.removeAttribute('aria-describedby');
    }
  }

  const changedCount = () => all().filter((cell) => cell.td.classList.contains('changed')).length;

  function mark(cell) {
    cell.td.classList.toggle('changed', isChanged(cell));
    if (cell.td.classList.contains('has-error') || cell.td.classList.contains('has-warning')) setError(cell, '');
    const n = changedCount();
    status.textContent = n ? `已修改 ${n} 项，尚未保存` : '';
  }

  function fill() {
    for (const cell of all()) {
      cell.original = values.get(`${cell.unit.code}|${cell.element.code}`) ?? null;
      cell.input.value = cellText(cell.original, cell.element);
      cell.td.classList.remove('changed');
      setError(cell, '');
    }
  }

  function focusCell(cell) {
    cell.input.focus();
    if (cell.input.tagName === 'INPUT') cell.input.select();
  }

  const position = (target) => {
    for (let r = 0; r < cells.length; r++) {
      const c = cells[r].findIndex((cell) => cell?.input === target);
      if (c >= 0) return { r, c };
    }
    return null;
  };

  // The next enterable cell from (r, c) going (dr, dc); Enter at a
  // column's foot goes on at the top of the next one.
  function step(r, c, dr, dc, wrap = false) {
    for (;;) {
      r += dr;
      c += dc;
      if (wrap && r >= cells.length) {
        r = 0;
        c += 1;
      }
      if (r < 0 || r >= cells.length || c < 0 || c >= elements.length) return null;
      if (cells[r][c]) return cells[r][c];
    }
  }

  table.addEventListener('keydown', (event) => {
    const at = position(event.target);
    if (!at || event.altKey || event.isComposing) return;
    const input = event.target;
    const isSelect = input.tagName === 'SELECT';
    // A cell just moved into has its text selected: the arrows move on
    // at once; once the reader edits, they move the caret first.
    const { selectionStart: start, selectionEnd: end, value } = input;
    const whole = isSelect || (start === 0 && end === value.length);
    const atStart = whole || (start === 0 && end === 0);
    const atEnd = whole || (start === value.length && end === value.length);
    let to = null;
    if (event.ctrlKey || event.metaKey) {
      if (event.key === 's' || event.key === 'S') {
        event.preventDefault();
        doSave();
      }
      return;
    }
    switch (event.key) {
      case 'Enter': to = event.shiftKey ? step(at.r, at.c, -1, 0) : step(at.r, at.c, 1, 0, true); break;
      case 'ArrowDown': if (!isSelect) to = step(at.r, at.c, 1, 0); break;
      case 'ArrowUp': if (!isSelect) to = step(at.r, at.c, -1, 0); break;
      case 'ArrowLeft': if (atStart) to = step(at.r, at.c, 0, -1); break;
      case 'ArrowRight': if (atEnd) to = step(at.r, at.c, 0, 1); break;
      case 'Escape': {
        const cell = cells[at.r][at.c];
        cell.input.value = cellText(cell.original, cell.element);
        mark(cell);
        return;
      }
      default: return;
    }
    if (event.key === 'Enter') event.preventDefault(); // never submits anything
    if (!to) return;
    event.preventDefault();
    focusCell(to);
  });
  for (const cell of all()) {
    cell.input.addEventListener(cell.input.tagName === 'SELECT' ? 'change' : 'input', () => mark(cell));
  }

  // Before leaving the page (reload, close) with edits not saved.
  const warn = (event) => {
    if (changedCount() === 0) return;
    event.preventDefault();
    event.returnValue = '';
  };
  window.addEventListener('beforeunload', warn);
  signal.addEventListener('abort', () => window.removeEventListener('beforeunload', warn));

  // Locked rows (approved here or above) cannot be edited; a unit above
  // the row may approve it, or withdraw its own approval of it.
  function showApprovals() {
    const rootLock = lockOf(approvals.items, root);
    lockNote.hidden = !rootLock;
    lockNote.textContent = rootLock ? `本表数据${approvalText(rootLock, root)}，已锁定；如需修改，请先取消审核。` : '';
    units.forEach((unit, r) => {
      const lock = lockOf(approvals.items, unit.code);
      const { badge, action } = rowState[r];
      badge.hidden = !lock;
      badge.textContent = lock ? '已审核' : '';
      badge.title = lock ? approvalText(lock, unit.code) : '';
      for (const cell of cells[r]) {
        if (!cell) continue;
        cell.input.readOnly = Boolean(lock);
        if (cell.input.tagName === 'SELECT') cell.input.disabled = Boolean(lock);
        cell.td.classList.toggle('locked', Boolean(lock));
      }
      const above = scope === null || (unit.code.startsWith(scope) && unit.code !== scope);
      let button = null;
      if (approvals.canApprove && above && !lock) button = rowButton('审核', unit, approve);
      if (approvals.canApprove && above && lock?.unit.code === unit.code) button = rowButton('取消审核', unit, withdraw);
      action.replaceChildren(...(button ? [button] : []));
    });
  }

  function rowButton(text, unit, step) {
    const button = h('button', { type: 'button', class: 'button small grid-approve', 'aria-label': `${text}${shortName(unit.name)}` }, text);
    button.addEventListener('click', async () => {
      alertBox.replaceChildren();
      if (changedCount() > 0) {
        alertBox.append(errorAlert(new Error(`表格中有尚未保存的修改，请先保存或撤销，再${text}。`)));
        return;
      }
      button.disabled = true;
      try {
        await step(unit.code, period, signal);
        approvals = await fetchApprovals(root, period, signal);
        showApprovals();
        status.textContent = `已${text}${shortName(unit.name)}的数据`;
      } catch (error) {
        if (signal.aborted) return;
        button.disabled = false;
        alertBox.append(errorAlert(new Error(`未能${text}：${error.message}`)));
      }
    });
    return button;
  }

  async function load() {
    [values, approvals] = await Promise.all([fetchValues(root, period, signal), fetchApprovals(root, period, signal)]);
    fill();
    showApprovals();
  }

  async function doSave() {
    if (save.disabled) return;
    alertBox.replaceChildren();
    const changed = [];
    let bad = 0;
    let firstBad = null;
    for (const cell of all()) {
      const p = parse(cell);
      if (p.error) {
        setError(cell, p.error);
        bad += 1;
        firstBad ??= cell;
      } else if (p.value !== cell.original) {
        changed.push({ cell, value: p.value });
      }
    }
    if (firstBad) {
      alertBox.append(errorAlert(new Error(`有 ${bad} 个单元格填写有误，请修改后再保存。`)));
      focusCell(firstBad);
      return;
    }
    if (changed.length === 0) {
      status.textContent = '没有需要保存的修改';
      return;
    }
    await send(changed, false);
  }

  // Sends the changes; confirm: the warnings shown were confirmed.
  async function send(changed, confirm) {
    alertBox.replaceChildren();
    for (const cell of all()) setError(cell, ''); // what the last answer said
    save.disabled = true;
    save.textContent = '正在保存…';
    try {
      const answer = await sendJSON('POST', apiUrl('/api/v1/values', { confirm: confirm ? 'true' : null }),
        changed.map(({ cell, value }) => ({ element: cell.element.code, unit: cell.unit.code, period, value })), { signal });
      await load();
      const warned = answer.warnings.length ? `（已确认 ${answer.warnings.length} 处校验警告）` : '';
      status.textContent = `已保存 ${answer.received} 项修改${warned}`;
    } catch (error) {
      if (signal.aborted) return;
      if (error.body?.violations) showViolations(error, changed);
      else showRefusal(error, changed);
    } finally {
      save.disabled = false;
      save.textContent = '保存';
    }
  }

  // The cell of a row's unit and a column's element, or null.
  function cellAt(unitCode, elementCode) {
    const r = units.findIndex((u) => u.code === unitCode);
    const c = elements.findIndex((e) => e.code === elementCode);
    return r >= 0 && c >= 0 ? cells[r][c] : null;
  }

  // Broken rules at the cells of their elements; errors block, warnings
  // ask to confirm the same changes.
  function showViolations(error, changed) {
    const { violations } = error.body;
    let first = null;
    for (const v of violations) {
      for (const element of v.elements) {
        const cell = cellAt(v.unit.code, element);
        if (!cell) continue;
        const kind = v.severity === 'error' ? 'error' : 'warning';
        if (cell.td.classList.contains('has-error') && kind === 'warning') continue;
        setError(cell, ruleText(v), kind);
        first ??= cell;
      }
    }
    const list = h('ul', { class: 'violation-list' }, violations.map((v) =>
      h('li', {}, `${shortName(v.unit.name)} ${v.severity === 'error' ? '（错误）' : '（警告）'}${ruleText(v)}`)));
    if (error.field !== 'confirm') {
      alertBox.append(h('div', { class: 'alert', role: 'alert' },
        `未能保存，所有修改均未写入：有 ${error.body.errors} 处违反校验规则，请改正标红的单元格。`, list));
      if (first) focusCell(first);
      return;
    }
    const confirmButton = h('button', { type: 'button', class: 'button primary' }, '确认保存');
    const back = h('button', { type: 'button', class: 'button' }, '返回修改');
    const box = h('div', { class: 'alert warning', role: 'alert' },
      `有 ${error.body.warnings} 处校验警告，请核实数据；确认无误后点“确认保存”。`, list,
      h('div', { class: 'grid-actions' }, confirmButton, back));
    confirmButton.addEventListener('click', () => send(changed, true));
    back.addEventListener('click', () => {
      box.remove();
      if (first) focusCell(first);
    });
    alertBox.append(box);
    confirmButton.focus();
  }

  // The server names the refused item (error.item) and says why after
  // "第 N 项：".
  function showRefusal(error, changed) {
    const m = /^第 \d+ 项[:：]\s*([\s\S]*)$/.exec(error.message);
    const cell = error.item && changed[error.item - 1]?.cell;
    if (!cell) {
      alertBox.append(errorAlert(new Error(`未能保存：${error.message}`)));
      return;
    }
    const reason = m ? m[1] : error.message;
    setError(cell, reason);
    alertBox.append(errorAlert(new Error(
      `未能保存，所有修改均未写入：${shortName(cell.unit.name)}“${cell.element.name}”：${reason}`)));
    focusCell(cell);
  }

  save.addEventListener('click', doSave);
  revert.addEventListener('click', () => {
    fill();
    alertBox.replaceChildren();
    status.textContent = '已撤销未保存的修改';
  });

  const node = h('div', { class: 'entry' },
    lockNote,
    alertBox,
    h('div', { class: 'grid-scroll', tabindex: '-1' }, table),
    h('div', { class: 'grid-actions' }, save, revert, status));

  // The grid as a ledger (CSV with the elements' names as headers), for
  // filling in elsewhere and importing.
  function csv() {
    const quote = (text) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
    const lines = [['单位代码', '单位名称', ...elements.map((e) => e.name)].map(quote).join(',')];
    cells.forEach((row, r) => {
      lines.push([units[r].code, units[r].name, ...row.map((cell) => {
        if (!cell || cell.original === null) return '';
        return cell.element.value_type === 'boolean' ? (cell.original ? '是' : '否') : String(cell.original);
      })].map(quote).join(','));
    });
    return '\ufeff' + lines.join('\r\n') + '\r\n';
  }

  return { node, load, dirty: () => changedCount() > 0, csv };
}
