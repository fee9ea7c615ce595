// divisions.js — 区划调整 (units:write): a new edition of the division table
// compared with the tree, reviewed, then applied with what became of each
// removed unit (docs/architecture.md "Division changes").
//
// The edition is a folder an administrator put under DATA/editions/ on the
// server, or a CSV file (code,name,parent_code[,kind]) uploaded from here;
// 比较差异 asks POST /api/v1/units/editions with dry_run, which answers the
// diff; each removed unit gets a field for its new code, prefilled with the
// map's target or the server's suggestion (a new unit of the same name),
// and 撤销 for one that goes without successor. 应用调整 sends the same
// edition with the map those fields make, in one transaction.
import { h } from '../ui/dom.js';
import { getJSON, sendJSON } from '../api.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { levelLabel, formatTime } from '../labels.js';

const LIST_SHOWN = 200; // rows of each table before "…另有 N 项"
const OUTCOMES = { merged: '并入', moved: '迁移', recoded: '改码', retired: '撤销', undecided: '待定' };

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

export async function render(main, { signal, setTitle }) {
  setTitle('区划调整');
  main.append(loading());
  let editions;
  try {
    editions = await getJSON('/api/v1/units/editions', { signal });
  } catch (error) {
    if (!signal.aborted) main.replaceChildren(errorAlert(error));
    return;
  }
  const result = h('div', { id: 'edition-result' });
  main.replaceChildren(
    h('header', { class: 'card' },
      h('h1', {}, '区划调整'),
      h('p', { class: 'muted' },
        '导入新一年的行政区划表：先比较与现有单位的差异，为每个被撤销的单位写明去向（并入哪个单位，或撤销），再一次性应用。'
        + '被撤销单位的未办结事项、当年未命名的创建评定、用户管辖范围和联建结对随之移交；历史数据、已办结事项和往年评定留在原单位。')),
    sourceForm(editions.folders, result, signal),
    result,
    appliedList(editions.items));
}

// The edition to compare: a server folder or an uploaded CSV, and the day.
function sourceForm(folders, result, signal) {
  const folder = h('select', { name: 'folder', class: 'input', id: 'edition-folder' },
    h('option', { value: '' }, folders.length ? '（选择文件夹）' : '（服务器 editions/ 下暂无文件夹）'),
    folders.map((f) => h('option', { value: f }, f)));
  const file = h('input', { type: 'file', name: 'csv', accept: '.csv,text/csv', id: 'edition-file' });
  const date = h('input', { type: 'date', name: 'date', class: 'input', value: today(), max: today(), id: 'edition-date' });
  const alertBox = h('div');
  const button = h('button', { type: 'submit', class: 'button primary' }, '比较差异');
  const form = h('form', { class: 'card form', 'aria-labelledby': 'source-title' },
    h('h2', { id: 'source-title' }, '新版区划'),
    h('label', { class: 'field' }, h('span', {}, '服务器上的区划文件夹'), folder),
    h('label', { class: 'field' }, h('span', {}, '或上传 CSV（code,name,parent_code）'), file),
    h('label', { class: 'field' }, h('span', {}, '生效日期'), date),
    alertBox,
    h('div', { class: 'actions' }, button));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    alertBox.replaceChildren();
    const source = folder.value ? { folder: folder.value }
      : file.files[0] ? { csv: await file.files[0].text() } : null;
    if (!source) {
      alertBox.replaceChildren(errorAlert(new Error('请选择服务器上的文件夹，或上传一个 CSV 文件')));
      return;
    }
    button.disabled = true;
    try {
      const diff = await sendJSON('POST', '/api/v1/units/editions', { ...source, date: date.value, dry_run: true }, { signal });
      result.replaceChildren(diffView(diff, { ...source, date: date.value }, result, signal));
    } catch (error) {
      if (!signal.aborted) alertBox.replaceChildren(errorAlert(error));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

const countsLine = (c) => `新增 ${c.added}，更名 ${c.renamed}，类型变更 ${c.rekinded}，撤销 ${c.removed}`
  + `（并入 ${c.merged}，迁移 ${c.moved}，改码 ${c.recoded}，撤销 ${c.retired}，待定 ${c.undecided}）`;

function table(caption, head, rows) {
  const shown = rows.slice(0, LIST_SHOWN);
  return h('section', { class: 'card' },
    h('h2', {}, `${caption}（${rows.length}）`),
    rows.length === 0 ? empty('无') : h('div', { class: 'table-scroll' },
      h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, head.map((t) => h('th', {}, t)))),
        h('tbody', {}, shown))),
    rows.length > LIST_SHOWN ? h('p', { class: 'muted' }, `…另有 ${rows.length - LIST_SHOWN} 项`) : null);
}

// The diff, with a decision per removed unit and the button that applies.
function diffView(diff, source, result, signal) {
  const decisions = [];
  const removed = diff.removed.map((u) => {
    if (u.with_parent) {
      return h('tr', {}, h('td', {}, u.code), h('td', {}, u.name), h('td', {}, levelLabel(u.level)),
        h('td', { colspan: 2, class: 'muted' }, '随上级单位一并调整'));
    }
    const code = h('input', { class: 'input', name: `to-${u.code}`, 'aria-label': `${u.name} 的去向代码`,
      value: u.target ?? u.suggestion ?? '', inputmode: 'numeric', size: 14 });
    const retire = h('input', { type: 'checkbox', name: `retire-${u.code}`, checked: u.outcome === 'retired' });
    retire.addEventListener('change', () => { code.disabled = retire.checked; });
    code.disabled = retire.checked;
    decisions.push({ u, code, retire });
    return h('tr', { 'data-code': u.code },
      h('td', {}, u.code), h('td', {}, u.name), h('td', {}, levelLabel(u.level)),
      h('td', {}, code, u.suggestion && !u.target ? h('span', { class: 'muted' }, ` 建议：${u.target_name}`) : null),
      h('td', {}, h('label', {}, retire, ' 撤销')));
  });
  const alertBox = h('div');
  const apply = h('button', { type: 'button', class: 'button primary' }, '应用调整');
  apply.addEventListener('click', async () => {
    alertBox.replaceChildren();
    const missing = decisions.filter((d) => !d.retire.checked && !d.code.value.trim());
    if (missing.length) {
      alertBox.replaceChildren(errorAlert(new Error(
        `还有 ${missing.length} 个被撤销的单位没有写明去向：${missing.slice(0, 5).map((d) => d.u.name).join('、')}`)));
      missing[0].code.focus();
      return;
    }
    const map = ['old_code,new_code', ...decisions.map((d) => `${d.u.code},${d.retire.checked ? '' : d.code.value.trim()}`)].join('\n');
    apply.disabled = true;
    try {
      const done = await sendJSON('POST', '/api/v1/units/editions', { ...source, map, dry_run: false }, { signal });
      result.replaceChildren(h('section', { class: 'card', role: 'status', id: 'edition-applied' },
        h('h2', {}, '区划调整已应用'),
        h('p', {}, `生效日期 ${done.effective}：${countsLine(done.counts)}`),
        h('p', {}, `随撤销单位移交：未办结事项 ${done.moved.cases} 件，创建评定 ${done.moved.ratings} 个，`
          + `用户 ${done.moved.users} 个，联建结对 ${done.moved.pairs} 对`)));
    } catch (error) {
      if (!signal.aborted) alertBox.replaceChildren(errorAlert(error));
    } finally {
      apply.disabled = false;
    }
  });
  const nothing = diff.counts.added + diff.counts.renamed + diff.counts.rekinded + diff.counts.removed === 0;
  return h('div', { id: 'edition-diff' },
    h('section', { class: 'card', role: 'status' },
      h('h2', {}, '差异'),
      h('p', {}, nothing ? `新版区划与现有单位一致（${diff.rows} 个单位），无需调整。` : `生效日期 ${diff.effective}：${countsLine(diff.counts)}`),
      diff.provinces.length ? h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, ['省份', '新增', '更名', '类型变更', '撤销'].map((t) => h('th', {}, t)))),
        h('tbody', {}, diff.provinces.map((p) => h('tr', {},
          h('td', {}, p.name || p.code), h('td', {}, p.added), h('td', {}, p.renamed), h('td', {}, p.rekinded), h('td', {}, p.removed))))) : null),
    table('撤销的单位', ['代码', '名称', '层级', '去向（新代码）', ''], removed),
    table('更名或类型变更', ['代码', '原名称', '新名称'],
      diff.changed.map((u) => h('tr', {}, h('td', {}, u.code), h('td', {}, u.name), h('td', {}, u.new_name ?? u.name)))),
    table('新增的单位', ['代码', '名称', '层级'],
      diff.added.map((u) => h('tr', {}, h('td', {}, u.code), h('td', {}, u.name), h('td', {}, levelLabel(u.level))))),
    nothing ? null : h('section', { class: 'card' }, alertBox, h('div', { class: 'actions' }, apply)));
}

function appliedList(items) {
  return h('section', { class: 'card', 'aria-labelledby': 'applied-title' },
    h('h2', { id: 'applied-title' }, '已应用的调整'),
    items.length === 0 ? empty('尚未应用过区划调整。') : h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, ['生效日期', '来源', '变化', '操作人', '时间'].map((t) => h('th', {}, t)))),
      h('tbody', {}, items.map((e) => h('tr', {},
        h('td', {}, e.effective), h('td', {}, e.source),
        h('td', {}, `新增 ${e.counts.added}，更名 ${e.counts.renamed}，撤销 ${e.counts.removed}`),
        h('td', {}, e.applied_by_name ?? e.applied_by), h('td', {}, formatTime(e.applied_at)))))));
}
