// ledger.js — 导入台账 on 台账事项: an Excel (or CSV) item ledger sent as
// it is to POST /api/v1/items/import?type=…&name=…, all rows or none. A
// refusal lists every refused row the server names (`row_errors`: line,
// field, message) in a table, so the ledger is mended in one go; the
// template is the heading row the importer reads, as a CSV Excel opens.
import { h } from '../../ui/dom.js';
import { sendFile, apiUrl } from '../../api.js';
import { openDialog } from '../../ui/dialog.js';
import { field, select } from '../../ui/form.js';
import { saveFile } from '../../ui/save-file.js';

const ACCEPT = '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv';

// The importer's columns (docs/api.md), with the API field each fills,
// what it takes, and whether it must be given.
export const LEDGER_COLUMNS = [
  { label: '标题', field: 'title', hint: '必填，不超过 100 字', required: true },
  { label: '涉及单位代码', field: 'unit', hint: '必填，如 411121100201，须在您的管辖范围内', required: true },
  { label: '责任单位代码', field: 'owner_unit', hint: '选填，默认同涉及单位' },
  { label: '帮扶单位代码', field: 'helper_unit', hint: '选填' },
  { label: '责任人', field: 'assignee', hint: '选填' },
  { label: '整改措施', field: 'measures', hint: '选填' },
  { label: '类别', field: 'category', hint: '选填；有类别表的类型须取表中的值' },
  { label: '期限', field: 'deadline', hint: '选填，写作 2026-12-31；不填则按类型的默认期限' },
  { label: '优先级', field: 'priority', hint: '选填：紧急、一般或较低，默认一般' },
  { label: '问题描述', field: 'description', hint: '选填' },
  { label: '立行立改', field: 'immediate', hint: '选填：是或否' },
];

const columnLabel = (name) => LEDGER_COLUMNS.find((c) => c.field === name)?.label ?? '';

// The template: the heading row (UTF-8 with a BOM, so Excel reads the
// Chinese), to fill in and save as .xlsx or .csv.
export function templateCsv() {
  return `\ufeff${LEDGER_COLUMNS.map((c) => c.label).join(',')}\r\n`;
}

// The refused rows as a table: 行号, 列, 问题.
function rowErrorTable(body) {
  const rows = body.row_errors ?? [];
  const total = body.row_errors_total ?? rows.length;
  return h('div', { class: 'import-errors', role: 'alert' },
    h('p', {}, `共 ${total} 行有误，台账中的事项均未导入。请改正以下各行后重新导入：`),
    h('div', { class: 'table-scroll' },
      h('table', { class: 'data-table row-errors' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '行号'), h('th', { scope: 'col' }, '列'), h('th', { scope: 'col' }, '问题'))),
        h('tbody', {}, rows.map((r) => h('tr', {},
          h('td', { class: 'num' }, `第 ${r.line} 行`),
          h('td', {}, columnLabel(r.field) || '—'),
          h('td', {}, r.message)))))),
    total > rows.length ? h('p', { class: 'muted' }, `仅列出前 ${rows.length} 行。`) : null);
}

// 导入台账: the type (`type`, the one filtered on, first), the file, the
// template and the rules; onImported
// ({batch, created, type}) when the server took the ledger.
export function importLedger({ types, type, button, signal, onImported }) {
  // The type filtered on, else 问题清单 (the usual ledger), else the first.
  const initial = [type, 'problem'].find((code) => types.some((t) => t.code === code)) ?? types[0]?.code;
  const typeSelect = select('type', types.map((t) => ({ value: t.code, label: t.name })), initial);
  const file = h('input', { type: 'file', name: 'file', class: 'input file-input', accept: ACCEPT });
  const errors = h('div', { class: 'import-result', 'aria-live': 'polite' });
  const template = h('button', { type: 'button', class: 'button small' }, '下载导入模板');
  template.addEventListener('click', () => {
    const type = types.find((t) => t.code === typeSelect.value);
    saveFile(new Blob([templateCsv()], { type: 'text/csv' }), `台账导入模板-${type?.name ?? '事项'}.csv`);
  });
  openDialog({
    title: '导入台账',
    intro: '把 Excel 台账中的事项一次导入：每行一个事项。整个文件要么全部导入，要么（有任何一行出错时）全部不导入，并列出出错的行。',
    fields: [
      field('事项类型', typeSelect),
      field('台账文件', file, { hint: 'Excel（.xlsx）或 CSV（UTF-8 或 GBK）文件，第一行为表头' }),
      h('div', { class: 'ledger-actions' }, template),
      h('details', { class: 'ledger-help' },
        h('summary', {}, '台账格式说明'),
        h('ul', {}, LEDGER_COLUMNS.map((c) => h('li', {}, h('strong', {}, c.label), `：${c.hint}`)))),
      errors,
    ],
    submitText: '导入',
    busyText: '正在导入…',
    returnFocus: () => button,
    signal,
    async onSubmit() {
      errors.replaceChildren();
      const chosen = file.files[0];
      if (!chosen) throw Object.assign(new Error('请先选择要导入的台账文件'), { field: 'file' });
      try {
        const answer = await sendFile(apiUrl('/api/v1/items/import', { type: typeSelect.value, name: chosen.name }), chosen, { signal });
        onImported({ ...answer, type: typeSelect.value });
        return true;
      } catch (error) {
        if (signal.aborted || !error.body?.row_errors) throw error;
        errors.replaceChildren(rowErrorTable(error.body));
        errors.querySelector('table')?.scrollIntoView({ block: 'nearest' });
        return false;
      }
    },
  });
}
