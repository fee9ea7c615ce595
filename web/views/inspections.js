// inspections.js — 双随机、一公开. '#/inspections?unit=': the plans with
// their draws and completion (checks with a result ÷ drawn) and a new
// plan; '#/inspections/registries': the 抽查事项清单, 检查对象名录库 and
// 执法检查人员名录库 with their 回避 links; '#/inspections/ID': a plan — the
// published inputs shown before the draw, the draw itself (seed, digest,
// targets and inspectors) and each check's result, refused by the server
// past the plan's deadline or the publication deadline (working days).
// Each registry has 导入 (an Excel or CSV sheet, all rows or none, every
// refused row listed) and 下载模板.
import { h } from '../ui/dom.js';
import { getJSON, sendJSON, apiUrl } from '../api.js';
import { field, input, select, submitForm } from '../ui/form.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { currentUser, hasPerm } from '../session.js';
import { unitField } from '../ui/unit-field.js';
import { importButton, templateButton } from '../ui/sheet-import.js';

const pct = (v) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(2)}%`);
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
// Element.append would write null as text: the parts a page leaves out are dropped.
const add = (el, ...parts) => el.append(...parts.filter((x) => x !== null && x !== undefined && x !== false));
const table = (cls, heads, rows) => h('div', { class: 'table-scroll' }, h('table', { class: `table ${cls}` },
  h('thead', {}, h('tr', {}, ...heads.map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, ...rows)));

// A form posting what fields() gives; after() runs on success.
function postForm(title, controls, submitText, action, after) {
  const alertBox = h('div');
  const button = h('button', { type: 'submit', class: 'button primary' }, submitText);
  const form = h('form', { class: 'card', 'aria-label': title }, h('h2', {}, title), ...controls, alertBox, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (await submitForm(form, { button, alertBox, busyText: '正在保存…', action: () => action(form.elements) })) after();
  });
  return form;
}

async function renderPlans(main, { query, signal, reload }) {
  const unit = query.get('unit') || '';
  const [r, items] = await Promise.all([
    getJSON(apiUrl('/api/v1/inspections/plans', { unit }), { signal }),
    getJSON('/api/v1/inspections/items', { signal }),
  ]);
  const manage = hasPerm('inspections:manage');
  const rows = r.items.map((p) => h('tr', { 'data-plan': p.id },
    h('th', { scope: 'row' }, h('a', { href: `#/inspections/${p.id}` }, p.name)),
    h('td', {}, p.item.name), h('td', {}, p.unit.name), h('td', {}, p.deadline),
    h('td', {}, p.draw ? '已摇号' : '待摇号'), h('td', { class: 'num' }, p.drawn),
    h('td', { class: 'num' }, p.done), h('td', { class: 'num' }, pct(p.completion)),
    h('td', { class: 'num' }, p.overdue ? h('span', { class: 'tag danger' }, `逾期 ${p.overdue}`) : '—')));
  const active = items.items.filter((i) => i.active);
  const planForm = manage && active.length ? postForm('制定抽查计划', [
    field('计划名称', input('name', { required: '', maxlength: 120 })),
    field('抽查事项', select('item', active.map((i) => ({ value: String(i.id), label: `${i.name}（${i.ratio_permille / 10}%）` })), String(active[0].id))),
    unitField({ name: 'unit', label: '抽查范围', value: unit, hint: '抽取这一单位及其下级名录库中的检查对象', signal }),
    field('抽取数量', input('target_count', { type: 'number', min: 1, inputmode: 'numeric' }), { hint: '不填则按抽查事项的比例' }),
    field('每个对象选派检查人员', input('per_target', { type: 'number', min: 2, max: 10, value: 2 })),
    field('完成期限', input('deadline', { type: 'date', required: '' })),
    field('事先公布的公开值', input('public_value', { maxlength: 200 }), { hint: '如摇号日的时间或当日公开的数字；随机种子由它决定，摇号前公布' }),
  ], '制定计划', (e) => sendJSON('POST', '/api/v1/inspections/plans', {
    name: e.name.value, item: Number(e.item.value), unit: e.unit.value, deadline: e.deadline.value,
    per_target: Number(e.per_target.value || 2), public_value: e.public_value.value,
    ...(e.target_count.value ? { target_count: Number(e.target_count.value) } : {}),
  }), reload) : null;
  add(main,
    h('section', { class: 'card' }, h('h2', {}, '双随机、一公开'),
      h('p', {}, `抽中 ${r.drawn} 户次，已录入结果 ${r.done}，完成率 `, h('strong', { class: 'completion' }, pct(r.completion))),
      h('p', {}, h('a', { href: '#/inspections/registries' }, '名录库和抽查事项清单'), ' · ',
        h('a', { href: '#/public/inspections' }, '公开页面（无须登录）'))),
    h('section', { class: 'card' }, h('h2', {}, '抽查计划'), r.items.length
      ? table('inspection-plans', ['计划', '抽查事项', '范围', '完成期限', '摇号', '抽中', '已有结果', '完成率', '逾期'], rows)
      : empty('还没有抽查计划。')),
    planForm);
}

// The registries' sheets: the columns as docs/api.md lists them.
const SHEETS = {
  items: ['抽查事项清单', [
    ['事项编码', '必填：小写字母、数字、下划线或连字符，如 sc-food-01；已在清单中的编码不能再导入'],
    ['抽查事项', '必填'], ['法律依据', '必填'],
    ['抽查比例', '必填：如 5%、50‰，只写数字按百分比'],
    ['抽查频次', '必填，如“每年一次”'], ['检查主体', '选填'],
  ]],
  targets: ['检查对象名录库', [
    ['名称', '必填'], ['类型', '必填：企业、个体工商户、农民专业合作社等'],
    ['统一社会信用代码', '选填；18 位，按 GB 32100 校验；已在名录库中的代码不能再导入'],
    ['所属单位', '选填：导入单位之下的单位名称（重名时写单位代码）；不填为导入到的单位'],
  ]],
  inspectors: ['执法检查人员名录库', [
    ['姓名', '必填'], ['执法证号', '选填；已在名录库中的执法证号不能再导入'], ['执法部门', '必填'],
    ['所属单位', '选填：导入单位之下的单位名称（重名时写单位代码）；不填为导入到的单位'],
  ]],
};

// What the last import said, by registry, shown again once the page has reloaded.
const imported = {};

// 导入 and 下载模板 for one registry; a success reloads the page.
function sheetActions(what, unit, signal, reload) {
  const [title, columns] = SHEETS[what];
  const status = h('div', { class: 'import-result', 'aria-live': 'polite' });
  if (imported[what]) status.append(h('p', { class: 'import-ok', role: 'status' }, imported[what]));
  delete imported[what];
  const template = { path: `/api/v1/inspections/${what}/import/template`, name: `${title}导入模板.xlsx` };
  return h('div', { class: `sheet-actions ${what}-import` },
    h('div', { class: 'ledger-actions' },
      importButton({
        label: '导入', title: `导入${title}`, intro: `把 Excel 或 CSV 格式的${title}一次导入，每行一条。`,
        path: `/api/v1/inspections/${what}/import`, unit, columns, template, status, signal,
        summary: (r) => `导入 ${r.rows} 行。`,
        onImported: () => {
          imported[what] = status.textContent;
          reload();
        },
      }),
      templateButton({ ...template, signal })),
    status);
}

async function renderRegistries(main, { query, signal, reload }) {
  const unit = query.get('unit') || '';
  const [items, targets, inspectors] = await Promise.all([
    getJSON('/api/v1/inspections/items', { signal }),
    getJSON(apiUrl('/api/v1/inspections/targets', { unit }), { signal }),
    getJSON(apiUrl('/api/v1/inspections/inspectors', { unit }), { signal }),
  ]);
  const manage = hasPerm('inspections:manage');
  const toggle = (path, row) => {
    if (!manage) return null;
    const b = h('button', { type: 'button', class: 'button small' }, row.active ? '停用' : '启用');
    b.addEventListener('click', async () => {
      try { await sendJSON('PATCH', `${path}/${row.id}`, { active: !row.active }); reload(); } catch (error) { b.after(errorAlert(error)); }
    });
    return b;
  };
  const state = (row) => (row.active ? '在用' : h('span', { class: 'tag' }, '已停用'));
  const scope = unit || currentUser().scope?.code || '';
  const sheet = (what) => (manage ? sheetActions(what, scope, signal, reload) : null);
  add(main,
    h('p', {}, h('a', { href: '#/inspections' }, '← 抽查计划')),
    h('section', { class: 'card' }, h('h2', {}, '抽查事项清单'), sheet('items'), items.items.length
      ? table('inspection-items', ['事项', '法律依据', '抽查比例', '频次', '检查主体', '状态', ''], items.items.map((i) => h('tr', {},
        h('th', { scope: 'row' }, i.name), h('td', {}, i.basis), h('td', { class: 'num' }, `${i.ratio_permille / 10}%`),
        h('td', {}, i.frequency), h('td', {}, i.department), h('td', {}, state(i)), h('td', {}, toggle('/api/v1/inspections/items', i)))))
      : empty('抽查事项清单为空。')),
    manage ? postForm('新增抽查事项', [
      field('编码', input('code', { required: '', maxlength: 32, pattern: '[a-z0-9_-]+' }), { hint: '小写字母、数字' }),
      field('事项名称', input('name', { required: '', maxlength: 120 })),
      field('法律依据', input('basis', { required: '', maxlength: 500 })),
      field('抽查比例（‰）', input('ratio_permille', { type: 'number', min: 1, max: 1000, required: '' })),
      field('抽查频次', input('frequency', { required: '', maxlength: 60, value: '每年一次' })),
      field('检查主体', input('department', { maxlength: 120 })),
    ], '新增', (e) => sendJSON('POST', '/api/v1/inspections/items', {
      code: e.code.value, name: e.name.value, basis: e.basis.value, ratio_permille: Number(e.ratio_permille.value),
      frequency: e.frequency.value, department: e.department.value,
    }), reload) : null,
    h('section', { class: 'card' }, h('h2', {}, `检查对象名录库（${targets.items.length}）`), sheet('targets'), targets.items.length
      ? table('inspection-targets', ['编号', '名称', '类型', '统一社会信用代码', '所在单位', '状态', ''], targets.items.map((t) => h('tr', {},
        h('td', { class: 'num' }, t.id), h('th', { scope: 'row' }, t.name), h('td', {}, t.kind), h('td', {}, t.credit_code),
        h('td', {}, t.unit.name), h('td', {}, state(t)), h('td', {}, toggle('/api/v1/inspections/targets', t)))))
      : empty('名录库中还没有检查对象。')),
    manage ? postForm('新增检查对象', [
      field('名称', input('name', { required: '', maxlength: 120 })),
      field('类型', select('kind', ['企业', '个体工商户', '农民专业合作社', '其他'].map((k) => ({ value: k, label: k })), '企业')),
      field('统一社会信用代码', input('credit_code', { maxlength: 18 })),
      unitField({ name: 'unit', label: '所在单位', value: unit, signal }),
    ], '新增', (e) => sendJSON('POST', '/api/v1/inspections/targets', {
      name: e.name.value, kind: e.kind.value, credit_code: e.credit_code.value, unit: e.unit.value,
    }), reload) : null,
    h('section', { class: 'card' }, h('h2', {}, `执法检查人员名录库（${inspectors.items.length}）`), sheet('inspectors'), inspectors.items.length
      ? table('inspectors', ['编号', '姓名', '执法证号', '执法部门', '所在单位', '回避', '状态', ''], inspectors.items.map((i) => h('tr', {},
        h('td', { class: 'num' }, i.id), h('th', { scope: 'row' }, i.name), h('td', {}, i.cert_no || '—'), h('td', {}, i.department), h('td', {}, i.unit.name),
        h('td', {}, i.links.map((l) => `${l.target_name}（${l.reason}）`).join('；') || '—'),
        h('td', {}, state(i)), h('td', {}, toggle('/api/v1/inspections/inspectors', i)))))
      : empty('名录库中还没有执法检查人员。')),
    manage ? postForm('新增执法检查人员', [
      field('姓名', input('name', { required: '', maxlength: 60 })),
      field('执法证号', input('cert_no', { maxlength: 40 })),
      field('执法部门', input('department', { required: '', maxlength: 120, value: '市场监督管理局' })),
      unitField({ name: 'unit', label: '所在单位', value: unit, signal }),
    ], '新增', (e) => sendJSON('POST', '/api/v1/inspections/inspectors', {
      name: e.name.value, cert_no: e.cert_no.value, department: e.department.value, unit: e.unit.value,
    }), reload) : null,
    manage && inspectors.items.length && targets.items.length ? postForm('登记回避关系', [
      field('执法检查人员', select('inspector', inspectors.items.map((i) => ({ value: String(i.id), label: `${i.name}（${i.department}）` })), String(inspectors.items[0].id))),
      field('检查对象', select('target', targets.items.map((t) => ({ value: String(t.id), label: `${t.name}（${t.unit.name}）` })), String(targets.items[0].id))),
      field('理由', input('reason', { required: '', maxlength: 60, value: '近亲属' })),
    ], '登记', (e) => sendJSON('POST', '/api/v1/inspections/links', {
      inspector: Number(e.inspector.value), target: Number(e.target.value), reason: e.reason.value,
    }), reload) : null);
}

// The draw's published inputs and the draw button (before), or the seed.
function drawCard(p, reload) {
  const inputs = h('dl', { class: 'draw-inputs' },
    h('dt', {}, '计划编号'), h('dd', {}, String(p.id)),
    h('dt', {}, '事先公布的公开值'), h('dd', {}, p.public_value || '（未事先公布：摇号时刻）'),
    h('dt', {}, '抽取'), h('dd', {}, p.target_count ? `${p.target_count} 个检查对象` : `名录库的 ${p.ratio_permille / 10}%`),
    h('dt', {}, '每个对象选派'), h('dd', {}, `${p.per_target} 名执法检查人员（回避有利害关系的）`),
    ...(p.draw ? [h('dt', {}, '名录库快照摘要'), h('dd', { class: 'mono' }, p.draw.registry_digest),
      h('dt', {}, '随机种子'), h('dd', { class: 'mono seed' }, p.draw.seed),
      h('dt', {}, '摇号时间'), h('dd', {}, p.draw.drawn_at)] : []));
  const card = h('section', { class: 'card' }, h('h2', {}, p.draw ? '摇号（已完成）' : '摇号'), inputs,
    h('p', { class: 'muted' }, '随机种子 = SHA-256(计划编号、名录库快照摘要、公开值)，任何人可按公开的输入重新摇号核对。'));
  if (!p.draw && hasPerm('inspections:manage')) {
    card.append(postForm('摇号', [
      field('公开值', input('public_value', { value: p.public_value, maxlength: 200, readonly: p.public_value ? '' : null }),
        { hint: p.public_value ? '计划事先公布的公开值' : '不填则用摇号时刻' }),
    ], '开始摇号', (e) => sendJSON('POST', `/api/v1/inspections/plans/${p.id}/draw`, e.public_value.value ? { public_value: e.public_value.value } : {}), reload));
  }
  if (p.draw) card.append(h('p', {}, h('a', { href: `#/public/inspections/${p.id}` }, '在公开页面复核这次摇号')));
  return card;
}

function resultCell(c, codes, reload) {
  if (c.result) return h('td', {}, c.result_label);
  if (!hasPerm('inspections:manage')) return h('td', { class: 'muted' }, '待检查');
  const alertBox = h('div');
  const button = h('button', { type: 'submit', class: 'button small' }, '录入');
  const form = h('form', { class: 'inline-form', 'aria-label': `录入 ${c.target.name} 的结果` },
    select('result', codes.map((r) => ({ value: r.code, label: r.label })), codes[0]?.code, { 'aria-label': '检查结果' }),
    input('checked_on', { type: 'date', value: today(), 'aria-label': '检查日期', required: '' }),
    input('published_on', { type: 'date', value: today(), 'aria-label': '公示日期' }), button, alertBox);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const e = form.elements;
    if (await submitForm(form, {
      button, alertBox, busyText: '…',
      action: () => sendJSON('POST', `/api/v1/inspections/checks/${c.id}/result`, {
        result: e.result.value, checked_on: e.checked_on.value, ...(e.published_on.value ? { published_on: e.published_on.value } : {}),
      }),
    })) reload();
  });
  return h('td', {}, form);
}

async function renderPlan(main, { params, signal, setTitle, reload }) {
  const [p, items] = await Promise.all([
    getJSON(`/api/v1/inspections/plans/${encodeURIComponent(params[0])}`, { signal }),
    getJSON('/api/v1/inspections/items', { signal }),
  ]);
  setTitle?.(p.name);
  add(main,
    h('p', {}, h('a', { href: '#/inspections' }, '← 抽查计划')),
    h('section', { class: 'card' }, h('h2', {}, p.name),
      h('p', { class: 'muted' }, `${p.item.name} · ${p.unit.name} · 完成期限 ${p.deadline} · 结果自检查之日起 ${p.publish_within_working_days} 个工作日内公示`),
      h('p', {}, `抽中 ${p.drawn}，已有结果 ${p.done}，完成率 `, h('strong', { class: 'completion' }, pct(p.completion)))),
    drawCard(p, reload),
    p.checks.length ? h('section', { class: 'card' }, h('h2', {}, '抽查对象和检查结果'),
      table('inspection-checks', ['次序', '检查对象', '所在单位', '执法检查人员', '检查日期', '公示期限', '结果'], p.checks.map((c) => h('tr', { 'data-check': c.id },
        h('td', { class: 'num' }, c.seq), h('th', { scope: 'row' }, c.target.name), h('td', {}, c.unit.name),
        h('td', {}, c.inspectors), h('td', {}, c.checked_on || '—'), h('td', {}, c.publish_by || '—'),
        resultCell(c, items.results, reload))))) : null);
}

export async function render(main, context) {
  add(main, loading());
  const reload = () => render(main, context);
  try {
    const box = h('div', { class: 'inspections-page' });
    const ctx = { ...context, reload };
    if (context.params?.[0] === 'registries') await renderRegistries(box, ctx);
    else if (context.params?.[0]) await renderPlan(box, ctx);
    else await renderPlans(box, ctx);
    main.replaceChildren(box);
  } catch (error) {
    if (!context.signal.aborted) main.replaceChildren(errorAlert(error));
  }
}
