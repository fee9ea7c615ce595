// households.js — '#/households': the 住户 of a unit chosen by name, page by
// page, each leading to its 一户一档 page ('#/households/ID'); with 导入
// (a 住户表, one row per resident, POST /api/v1/households/import), 导出
// (Excel or CSV) and 下载模板.
import { h } from '../../ui/dom.js';
import { getJSON, apiUrl } from '../../api.js';
import { pagedList } from '../../ui/paged-list.js';
import { unitField } from '../../ui/unit-field.js';
import { exportButtons } from '../../ui/export-buttons.js';
import { currentUser, hasPerm } from '../../session.js';
import { importButton, templateButton } from '../../ui/sheet-import.js';

const TEMPLATE = { path: '/api/v1/households/import/template', name: '住户表导入模板.xlsx' };

// The household ledger's columns as docs/api.md lists them.
const COLUMNS = [
  ['户号', '同一户的各行填同一个户号（本表内自编，如 1、2、3）；不填则按地址分户'],
  ['地址', '同一户填一次即可；同一单位同一地址的户已登记时，成员加入该户'],
  ['单位代码', '选填，默认为导入到的单位'],
  ['户标签', '选填，如“低保、退役军人”，用顿号或逗号分隔'],
  ['姓名', '必填'],
  ['与户主关系', '必填：户主、配偶、子女、父母、孙子女或其他；一户一位户主'],
  ['身份证号', '必填；已登记的人按身份证号识别，不会重复登记'],
  ['性别、出生日期、民族、学历、手机号', '选填，新登记的人员用'],
  ['入户日期', '选填，默认为今天'],
];

export function renderList(main, { query, signal }) {
  const unit = query.get('unit') || currentUser().scope?.code || '';
  const form = h('form', { class: 'card filters', 'aria-label': '筛选' },
    unitField({ name: 'unit', label: '单位', value: unit, signal }),
    h('button', { type: 'submit', class: 'button primary' }, '查看'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    if (form.elements.unit.value) params.set('unit', form.elements.unit.value);
    location.hash = `#/households?${params}`;
  });
  const households = () => h('section', { class: 'card' }, pagedList({
    fetchPage: (after) => getJSON(apiUrl('/api/v1/households', { unit, limit: 50, after }), { signal }),
    renderItem: (hh) => h('li', { 'data-id': hh.id },
      h('div', { class: 'user-title' }, h('a', { href: `#/households/${hh.id}` }, hh.address || '（未填地址）')),
      h('p', { class: 'user-meta' },
        h('span', {}, hh.head ? `户主：${hh.head.name}` : '未登记户主'),
        h('span', {}, hh.unit?.name ?? ''))),
    emptyText: '这里还没有登记住户。',
    signal,
    list: h('ul', { class: 'unit-list households' }),
  }));
  let list = households();
  const status = h('div', { class: 'import-result', 'aria-live': 'polite' });
  const write = hasPerm('persons:write');
  main.append(
    h('header', { class: 'card page-header' }, h('h1', {}, '一户一档')),
    form,
    h('section', { class: 'card' },
      h('div', { class: 'ledger-actions' },
        write ? importButton({
          label: '导入',
          title: '导入住户表',
          intro: '把 Excel 住户表一次导入：每行一位户成员，同一户号（或同一地址）的各行为一户。',
          path: '/api/v1/households/import',
          unit,
          columns: COLUMNS,
          template: TEMPLATE,
          status,
          signal,
          summary: (r) => `新登记 ${r.households_added} 户（已有 ${r.households_existing} 户）、${r.persons_added} 人（已登记 ${r.persons_existing} 人）；新增户成员 ${r.members_added} 人，已在户中 ${r.members_existing} 人。`,
          onImported: () => {
            const fresh = households();
            list.replaceWith(fresh);
            list = fresh;
          },
        }) : null,
        exportButtons({ path: '/api/v1/households/export', params: unit ? { unit } : {}, name: '住户', signal }),
        write ? templateButton({ ...TEMPLATE, signal }) : null),
      status),
    list);
}
