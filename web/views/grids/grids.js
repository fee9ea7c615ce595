// grids.js — 网格管理 ('#/grids?unit=CODE'): the grids below the villages of
// a unit as a map-free tree (village → grid), each with its households,
// residents and workers and a warning when its size is outside the range
// of data/grids.json (a warning, not an error). In a village: 新建网格;
// per grid: 并入 another grid of the same village (the server refuses a
// merge that would leave households without a grid, naming the rule),
// 拆分 (tick the households that go to a new grid) and 安排网格员 / 楼栋长
// (a person of the village picked by name). The 党员联户 ratio (one member
// to 10–15 households, data/grids.json) is shown as a warning too. 导入
// takes a sheet of grids (村（社区）, 网格名称, 网格员 and ID number), all rows
// or none with every refused row listed; 下载模板 gives its headings.
import { h } from '../../ui/dom.js';
import { getJSON, sendJSON, apiUrl } from '../../api.js';
import { loading, errorAlert, empty } from '../../ui/notice.js';
import { field, input, select } from '../../ui/form.js';
import { unitField } from '../../ui/unit-field.js';
import { currentUser, hasPerm } from '../../session.js';
import { importButton, templateButton } from '../../ui/sheet-import.js';

const TEMPLATE = { path: '/api/v1/grids/import/template', name: '网格表导入模板.xlsx' };
const COLUMNS = [
  ['村（社区）', '必填：导入单位之下的村（社区）名称（重名时写单位代码）'],
  ['网格名称', '必填；同一村（社区）内不能重名'],
  ['网格员、网格员身份证号', '选填，须同时填写：已登记的人员，姓名与身份证号须一致；从今天起担任网格员'],
];

// What the last import said, shown again once the page has reloaded.
let imported = '';

// 导入 and 下载模板; a success shows the new grids' size warnings and reloads.
function importActions(unit, signal) {
  const status = h('div', { class: 'import-result', 'aria-live': 'polite' });
  if (imported) status.append(h('p', { class: 'import-ok', role: 'status' }, imported));
  imported = '';
  return h('section', { class: 'card grids-import' },
    h('div', { class: 'ledger-actions' },
      importButton({
        label: '导入', title: '导入网格表', intro: '把 Excel 或 CSV 格式的网格表一次导入，每行一个网格。',
        path: '/api/v1/grids/import', unit, columns: COLUMNS, template: TEMPLATE, status, signal,
        summary: (r) => `新建网格 ${r.grids} 个，安排网格员 ${r.workers} 人。${r.warnings.length ? `规模提示：${r.warnings.join('；')}` : ''}`,
        onImported: () => {
          imported = status.textContent;
          window.dispatchEvent(new HashChangeEvent('hashchange'));
        },
      }),
      templateButton({ ...TEMPLATE, signal })),
    status);
}

export async function render(main, { query, signal }) {
  const unit = (query.get('unit') ?? '').trim() || currentUser().scope?.code || '';
  main.append(h('header', { class: 'card page-header' },
    h('h1', {}, '网格管理'),
    h('p', { class: 'muted' }, '村（社区）下的网格、所含户数和人数、网格员和楼栋长；规模按设置提示，不拦截。')));
  const pick = h('form', { class: 'card form-inline', method: 'get' },
    unitField({ name: 'unit', label: '单位', value: unit, signal }),
    h('button', { class: 'button', type: 'submit' }, '查看'));
  pick.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/grids?unit=${encodeURIComponent(pick.elements.unit.value)}`;
  });
  const body = h('section', { class: 'card', 'aria-labelledby': 'grids-title' }, h('h2', { id: 'grids-title' }, '网格'), loading());
  main.append(pick, body);
  if (!unit) return;
  if (hasPerm('persons:write')) body.after(importActions(unit, signal));
  let answer;
  try {
    answer = await getJSON(apiUrl('/api/v1/grids', { unit }), { signal });
  } catch (error) {
    if (!signal.aborted) body.replaceChildren(body.firstChild, errorAlert(error));
    return;
  }
  if (signal.aborted) return;
  const s = answer.settings;
  const items = answer.items;
  const villages = new Map();
  for (const g of items) {
    const code = g.code.slice(0, 12);
    if (!villages.has(code)) villages.set(code, { name: g.village, grids: [] });
    villages.get(code).grids.push(g);
  }
  const canWrite = hasPerm('persons:write');
  const rows = [...villages.entries()].map(([code, v]) => h('li', { class: 'grid-village' },
    h('strong', {}, v.name),
    h('ul', {}, v.grids.map((g) => h('li', { class: 'grid-row', 'data-grid': g.code },
      h('span', { class: 'grid-name' }, g.name), ' ',
      h('span', { class: 'muted' }, `${g.households} 户 · ${g.people} 人 · 网格员和楼栋长 ${g.workers} 人`),
      h('span', { class: 'muted' }, ` · 联户党员 ${g.members} 人，联系 ${g.linked} 户`),
      g.warning ? h('p', { class: 'field-hint warning' }, `提示：${g.warning}`) : null,
      g.member_warning ? h('p', { class: 'field-hint warning' }, `党员联户：${g.member_warning}`) : null,
      canWrite && v.grids.length > 1 ? mergeForm(g, v.grids, signal) : null,
      canWrite ? splitForm(g, signal) : null,
      canWrite ? assignForm(g, signal) : null)))));
  body.replaceChildren(body.firstChild,
    h('p', { class: 'muted' }, `每个网格 ${s.households_min}–${s.households_max} 户、不超过 ${s.people_max} 人（${s.source}）。`),
    h('p', { class: 'muted' }, `每名党员联系 ${s.member_min}–${s.member_max} 户（${s.member_source}）。`),
    ...[answer.unplaced ? h('p', { class: 'alert' }, `有 ${answer.unplaced} 户尚未放入网格。`) : null].filter(Boolean),
    items.length ? h('ul', { class: 'grid-tree' }, rows) : empty('这里还没有网格。'));
  if (canWrite && unit.length === 12) main.append(createForm(unit, signal));
}

function mergeForm(g, siblings, signal) {
  const others = siblings.filter((x) => x.code !== g.code).map((x) => ({ value: x.code, label: x.name }));
  const form = h('form', { class: 'form-inline' },
    field('并入', select('into', others, others[0]?.value)),
    h('button', { class: 'button small', type: 'submit' }, '合并'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.querySelector('.alert')?.remove();
    try {
      await sendJSON('POST', `/api/v1/grids/${g.code}/merge`, { into: form.elements.into.value }, { signal });
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (error) {
      form.append(errorAlert(error));
    }
  });
  return form;
}

function createForm(village, signal) {
  const form = h('form', { class: 'card' }, h('h2', {}, '新建网格'),
    field('网格名称', input('name', { maxlength: 60, required: true })),
    h('button', { class: 'button primary', type: 'submit' }, '新建'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.querySelector('.alert')?.remove();
    try {
      await sendJSON('POST', apiUrl('/api/v1/grids', { unit: village }), { name: form.elements.name.value }, { signal });
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (error) {
      form.append(errorAlert(error));
    }
  });
  return form;
}

const today = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());
const reload = () => window.dispatchEvent(new HashChangeEvent('hashchange'));

// A folded section whose content is loaded the first time it is opened.
function lazy(summary, load) {
  const box = h('details', { class: 'grid-action' }, h('summary', {}, summary));
  box.addEventListener('toggle', async () => {
    if (!box.open || box.dataset.loaded) return;
    box.dataset.loaded = '1';
    const wait = loading();
    box.append(wait);
    try {
      box.append(await load());
    } catch (error) {
      box.append(errorAlert(error));
    }
    wait.remove();
  });
  return box;
}

// 拆分: the households of the grid, ticked ones go to a new grid.
function splitForm(g, signal) {
  return lazy('拆分网格', async () => {
    const list = await getJSON(apiUrl('/api/v1/households', { unit: g.code, limit: 500 }), { signal });
    if (!list.items.length) return empty('这个网格还没有户。');
    const form = h('form', { class: 'grid-split' },
      field('新网格名称', input('name', { maxlength: 60, required: true, placeholder: `${g.name}（二）` })),
      h('fieldset', {}, h('legend', {}, '分到新网格的户'),
        h('ul', { class: 'check-list' }, list.items.map((x) => h('li', {}, h('label', { class: 'checkbox' },
          h('input', { type: 'checkbox', name: 'household', value: String(x.id) }),
          ` ${x.address}${x.head ? `（户主 ${x.head.name}）` : ''}`))))),
      list.next ? h('p', { class: 'muted' }, '只列出前 500 户。') : null,
      h('button', { class: 'button', type: 'submit' }, '拆分'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      form.querySelector('.alert')?.remove();
      const households = [...form.querySelectorAll('input[name=household]:checked')].map((c) => Number(c.value));
      try {
        await sendJSON('POST', `/api/v1/grids/${g.code}/split`, { name: form.elements.name.value, households }, { signal });
        reload();
      } catch (error) {
        form.append(errorAlert(error));
      }
    });
    return form;
  });
}

// 安排网格员 / 楼栋长: a person of the grid's village, picked by name.
function assignForm(g, signal) {
  return lazy('安排网格员、楼栋长', async () => {
    const village = g.code.slice(0, 12);
    const list = await getJSON(apiUrl('/api/v1/persons', { unit: village, limit: 500 }), { signal });
    if (!list.items.length) return empty('本村（社区）还没有登记人员。');
    const people = list.items.map((p) => ({ value: String(p.id), label: p.birth_date ? `${p.name}（${p.birth_date.slice(0, 4)} 年生）` : p.name }));
    const form = h('form', { class: 'form-inline grid-assign' },
      field('人员', select('person', people, people[0].value)),
      field('担任', select('kind', [{ value: 'grid_worker', label: '网格员' }, { value: 'building_head', label: '楼栋长' }], 'grid_worker')),
      h('button', { class: 'button', type: 'submit' }, '安排'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      form.querySelector('.alert')?.remove();
      try {
        await sendJSON('POST', `/api/v1/persons/${form.elements.person.value}/memberships`,
          { kind: form.elements.kind.value, unit: g.code, from: today() }, { signal });
        reload();
      } catch (error) {
        form.append(errorAlert(error));
      }
    });
    return form;
  });
}
