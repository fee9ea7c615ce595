// sheet-import.js — 导入 and 下载模板 for the ledgers imported from Excel
// (花名册, 住户表, 重点项目台账, 志愿服务队): the file goes as it is to the
// import route (?unit=&name=), all rows or none. A refusal lists every
// refused row the server names (`row_errors`: line, column, message) in a
// table inside the dialog, so the ledger is mended in one go; a success
// closes the dialog and the page says what was added.
import { h } from './dom.js';
import { sendFile, getFile, getJSON, apiUrl } from '../api.js';
import { openDialog } from './dialog.js';
import { field } from './form.js';
import { errorAlert } from './notice.js';
import { saveFile } from './save-file.js';

const ACCEPT = '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv';

// The refused rows as a table: 行号, 列, 问题.
function rowErrorTable(body) {
  const rows = body.row_errors ?? [];
  const total = body.row_errors_total ?? rows.length;
  return h('div', { class: 'import-errors', role: 'alert' },
    h('p', {}, `共 ${total} 行有误，文件中的数据均未导入。请改正以下各行后重新导入：`),
    h('div', { class: 'table-scroll' },
      h('table', { class: 'data-table row-errors' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '行号'), h('th', { scope: 'col' }, '列'), h('th', { scope: 'col' }, '问题'))),
        h('tbody', {}, rows.map((r) => h('tr', {},
          h('td', { class: 'num' }, `第 ${r.line} 行`),
          h('td', {}, r.column || '—'),
          h('td', {}, r.message)))))),
    total > rows.length ? h('p', { class: 'muted' }, `仅列出前 ${rows.length} 行。`) : null);
}

// A 下载模板 button: the template route's workbook saved as `name`.
export function templateButton({ path, name, signal }) {
  const button = h('button', { type: 'button', class: 'button small' }, '下载模板');
  const alertBox = h('span', { class: 'export-alert' });
  button.addEventListener('click', async () => {
    alertBox.replaceChildren();
    try {
      const { blob } = await getFile(path, { signal });
      saveFile(blob, name);
    } catch (error) {
      if (!signal.aborted) alertBox.append(errorAlert(new Error(`模板下载失败：${error.message}`)));
    }
  });
  return h('span', {}, button, alertBox);
}

// An 导入 button: title and intro of the dialog, the import route, the unit
// (code) imported to, the columns' help ([heading, what it takes]…), the
// template, status (where the outcome shows), summary(answer) → the
// sentence saying what was added, and onImported(answer).
export function importButton({ label, title, intro, path, unit, columns, template, summary, status, signal, onImported }) {
  const button = h('button', { type: 'button', class: 'button small' }, label);
  button.addEventListener('click', async () => {
    status.replaceChildren();
    if (!unit) {
      status.append(errorAlert(new Error('请先在上方选择要导入到的单位，再导入。')));
      return;
    }
    let unitName;
    try {
      unitName = (await getJSON(`/api/v1/units/${encodeURIComponent(unit)}`, { signal })).name;
    } catch (error) {
      if (!signal.aborted) status.append(errorAlert(error));
      return;
    }
    const file = h('input', { type: 'file', name: 'file', class: 'input file-input', accept: ACCEPT });
    const errors = h('div', { class: 'import-result', 'aria-live': 'polite' });
    openDialog({
      title,
      intro: `${intro} 导入到：${unitName}。整个文件要么全部导入，要么（有任何一行出错时）全部不导入，并列出出错的行。`,
      fields: [
        field('文件', file, { hint: 'Excel（.xlsx）或 CSV（UTF-8 或 GBK）文件，第一行为表头；模板第二行是示例，导入前请改写或删除' }),
        h('div', { class: 'ledger-actions' }, templateButton({ ...template, signal })),
        h('details', { class: 'ledger-help' },
          h('summary', {}, '格式说明'),
          h('ul', {}, columns.map(([label, hint]) => h('li', {}, h('strong', {}, label), `：${hint}`)))),
        errors,
      ],
      submitText: '导入',
      busyText: '正在导入…',
      returnFocus: () => button,
      signal,
      async onSubmit() {
        errors.replaceChildren();
        const chosen = file.files[0];
        if (!chosen) throw Object.assign(new Error('请先选择要导入的文件'), { field: 'file' });
        try {
          const answer = await sendFile(apiUrl(path, { unit, name: chosen.name }), chosen, { signal });
          status.append(h('p', { class: 'import-ok', role: 'status' }, `已导入“${chosen.name}”：${summary(answer)}`));
          onImported?.(answer);
          return true;
        } catch (error) {
          if (signal.aborted || !error.body?.row_errors) throw error;
          errors.replaceChildren(rowErrorTable(error.body));
          errors.querySelector('table')?.scrollIntoView({ block: 'nearest' });
          return false;
        }
      },
    });
  });
  return button;
}
