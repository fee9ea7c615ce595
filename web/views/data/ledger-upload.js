// ledger-upload.js — 导入台账: a CSV or XLSX ledger uploaded as it is
// (POST /api/v1/values/import?period=…&name=FILE), all or nothing; the
// answer (how many values, how many changed) or the error naming the row
// and column shows under the form. Also how a ledger is laid out, and this
// grid as a ready-made template.
import { h } from '../../ui/dom.js';
import { sendFile, apiUrl } from '../../api.js';
import { errorAlert } from '../../ui/notice.js';
import { uniqueId } from '../../ui/form.js';
import { saveFile } from '../../ui/save-file.js';

const ACCEPT = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// period: the API's period text; periodLabel: how it reads; templateName:
// the template's file name; grid: {csv(), dirty()}, null when the page
// shows none; onImported(): the values changed (reload the grid).
export function ledgerUpload({ period, periodLabel, templateName, grid, onImported, signal }) {
  const fileId = uniqueId('ledger-file');
  const file = h('input', { type: 'file', id: fileId, name: 'file', accept: ACCEPT, class: 'file-input',
    'aria-describedby': `${fileId}-hint` });
  const submit = h('button', { type: 'submit', class: 'button primary' }, '导入台账');
  const result = h('div', { class: 'import-result', 'aria-live': 'polite' });
  const template = grid ? h('button', { type: 'button', class: 'button small' }, '下载本表模板（CSV）') : null;
  template?.addEventListener('click', () => saveFile(new Blob([grid.csv()], { type: 'text/csv' }), templateName));

  const form = h('form', { class: 'ledger-form', novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: fileId }, '台账文件'),
      file,
      h('p', { class: 'field-hint', id: `${fileId}-hint` },
        `CSV（UTF-8 或 GBK）或 Excel（.xlsx）文件，导入到 ${periodLabel}；台账中有“期间”列时以该列为准。`)),
    h('div', { class: 'ledger-actions' }, submit, template),
    result);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    result.replaceChildren();
    const chosen = file.files[0];
    if (!chosen) {
      result.append(errorAlert(new Error('请先选择要导入的台账文件')));
      file.focus();
      return;
    }
    if (grid?.dirty()) {
      result.append(errorAlert(new Error('表格中有尚未保存的修改，请先保存或撤销，再导入台账。')));
      return;
    }
    submit.disabled = true;
    submit.textContent = '正在导入…';
    try {
      const answer = await sendFile(apiUrl('/api/v1/values/import', { period, name: chosen.name }), chosen, { signal });
      result.append(h('p', { class: 'import-ok', role: 'status' },
        `已导入“${chosen.name}”：共 ${answer.received} 项数据，其中 ${answer.changed} 项有变化。`));
      file.value = '';
      await onImported();
    } catch (error) {
      if (signal.aborted) return;
      result.append(errorAlert(new Error(`导入失败，台账中的数据均未写入：${error.message}`)));
    } finally {
      submit.disabled = false;
      submit.textContent = '导入台账';
    }
  });

  return h('section', { class: 'card', 'aria-labelledby': 'ledger-title' },
    h('h2', { id: 'ledger-title' }, '导入台账'),
    h('p', { class: 'muted' }, '已有 Excel 台账时，可整表导入，不必逐格填写。整个文件要么全部导入，要么（有任何一处错误时）全部不导入。'),
    form,
    h('details', { class: 'ledger-help' },
      h('summary', {}, '台账格式说明'),
      h('ul', {},
        h('li', {}, '第一行为表头：“单位代码”（必填），可选“单位名称”“期间”，其后每列一个数据元，表头写数据元名称（如“户数”）或代码（如 households）。'),
        h('li', {}, '此后每行一个单位；空白单元格跳过，不会清除已有数据。'),
        h('li', {}, '数字可带千分位逗号或 %；“是/否”类数据元填“是”或“否”。'),
        h('li', {}, '“期间”写作 2023（年）、2023Q3（季度）或 2023-07（月）。'),
        h('li', {}, '出错时会指出第几行第几列，改正后重新导入即可。')),
      h('p', { class: 'muted' }, '“下载本表模板”得到的 CSV 与上方表格的单位和数据元一致，可直接填写后导入。')));
}
