// evaluations.js — 述职评议 ('#/evaluations', '#/evaluations/ID'): the
// campaigns of the user's scope (县直部门述职评议, 书记抓党建述职评议, 民主评议党员),
// a form that starts one (rater groups with weights adding up to 100 %,
// subjects one a line) and shows its one-time ballot codes once as a
// printable code sheet (one slip a rater: code and the phone link); the
// register of county departments (县直部门名册); a campaign's turnout per
// group (live while it runs), more codes for a group or a lost one
// revoked, closing it, and its ranked results after closing with grades,
// the 整改 cases opened and the link to the public results page.
import { h } from '../ui/dom.js';
import { getJSON, sendJSON } from '../api.js';
import { field, input, select } from '../ui/form.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { hasPerm } from '../session.js';
import { unitField } from '../ui/unit-field.js';
import { exportButtons } from '../ui/export-buttons.js';

const pct = (a, b) => (b ? `${Math.round((a / b) * 1000) / 10}%` : '—');

export async function render(main, { params, signal, setTitle }) {
  setTitle('述职评议');
  if (params[0]) return detail(main, Number(params[0]), { signal, setTitle });
  main.append(loading());
  const [list, defs] = await Promise.all([getJSON('/api/v1/evaluations', { signal }), getJSON('/api/v1/evaluation-forms', { signal })]);
  if (signal.aborted) return;
  const rows = list.items.map((c) => h('tr', {},
    h('td', {}, h('a', { href: `#/evaluations/${c.id}` }, c.name)), h('td', {}, String(c.year)),
    h('td', {}, defs.kinds.find((k) => k.code === c.kind)?.name ?? ''), h('td', {}, c.unit_name), h('td', {}, c.status_name)));
  main.replaceChildren(h('h1', {}, '述职评议'),
    list.items.length ? h('table', { class: 'table' }, h('thead', {}, h('tr', {}, ...['评议', '年度', '类别', '组织单位', '状态'].map((t) => h('th', {}, t)))), h('tbody', {}, ...rows))
      : empty('还没有评议活动'),
    hasPerm('persons:write') ? createForm(defs, signal) : '', departments(signal));
}

// 评议码打印单: one slip a rater, cut along the dashes; the link opens the
// phone ballot, the code is typed in at #/ballot or entered by staff.
function codeSheet(title, codes) {
  const base = `${location.origin}${location.pathname}#/ballot/`;
  const printButton = h('button', { type: 'button', class: 'button' }, '打印评议码');
  printButton.addEventListener('click', () => print());
  return h('div', { class: 'code-sheet' },
    h('p', { class: 'no-print' }, printButton),
    h('ol', { class: 'evaluation-codes' }, ...codes.map((c) => h('li', { class: 'code-slip' },
      h('strong', {}, title), h('span', {}, c.group_name ?? ''),
      h('span', { class: 'code' }, c.code.replace(/(.{4})(?=.)/g, '$1-')),
      h('span', { class: 'hint' }, `手机打开 ${base}${c.code} 投票，或交工作人员代录；此码只能投一次`)))));
}

// 县直部门名册: the departments of the user's counties, which campaigns
// choose as subjects; a department is retired (撤销), not deleted.
function departments(signal) {
  const box = h('div', {}, loading());
  const card = h('section', { class: 'card evaluation-departments' }, h('h2', {}, '县直部门名册'), box);
  const load = async () => {
    try {
      const r = await getJSON('/api/v1/evaluation-departments?retired=1', { signal });
      const rows = r.items.map((d) => {
        const toggle = hasPerm('persons:write') ? h('button', { type: 'button', class: 'button small' }, d.active ? '撤销' : '恢复') : '';
        if (toggle) toggle.addEventListener('click', async () => {
          try {
            await sendJSON('PATCH', `/api/v1/evaluation-departments/${d.id}`, { active: !d.active }, { signal });
            load();
          } catch (error) {
            box.append(errorAlert(error));
          }
        });
        return h('tr', { class: d.active ? '' : 'muted' }, h('td', {}, d.name), h('td', {}, d.county_name), h('td', {}, d.active ? '在用' : '已撤销'), h('td', {}, toggle));
      });
      box.replaceChildren(rows.length
        ? h('table', { class: 'table' }, h('thead', {}, h('tr', {}, ...['部门', '所属县（区）', '状态', ''].map((t) => h('th', {}, t)))), h('tbody', {}, ...rows))
        : empty('还没有登记县直部门'), hasPerm('persons:write') ? addForm() : '');
    } catch (error) {
      if (!signal.aborted) box.replaceChildren(errorAlert(error));
    }
  };
  const addForm = () => {
    const alertBox = h('div', { class: 'form-alert', role: 'alert' });
    const form = h('form', { class: 'stack-form', novalidate: true, 'aria-label': '登记县直部门' },
      unitField({ name: 'unit', label: '所属县（区）', levels: ['county'], signal }),
      field('部门名称', input('name', { maxlength: 100, placeholder: '如 县财政局' })),
      alertBox, h('button', { type: 'submit', class: 'button' }, '登记部门'));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      alertBox.replaceChildren();
      const unit = form.elements.unit.value;
      try {
        await sendJSON('POST', '/api/v1/evaluation-departments', { ...(unit ? { unit } : {}), name: form.elements.name.value.trim() }, { signal });
        load();
      } catch (error) {
        alertBox.append(error.message);
      }
    });
    return form;
  };
  load();
  return card;
}

function createForm(defs, signal) {
  const year = new Date().getFullYear() - 1;
  const groups = h('textarea', { name: 'groups', class: 'input', rows: 3 }, '乡镇（街道）,40,20\n村/社区书记,40,30\n党员群众代表,20,50');
  const subjects = h('textarea', { name: 'subjects', class: 'input', rows: 4, placeholder: '每行一个评议对象' });
  const alertBox = h('div', { class: 'form-alert', role: 'alert' });
  const out = h('div', {});
  const form = h('form', { class: 'card', novalidate: true },
    h('h2', {}, '发起评议'), alertBox,
    field('名称', input('name', { value: `${year}年度县直部门述职评议` })),
    field('年度', input('year', { type: 'number', value: year })),
    field('类别', select('kind', defs.kinds.map((k) => ({ value: k.code, label: k.name })), 'departments')),
    field('评议表', select('form', defs.forms.map((f) => ({ value: f.code, label: f.name })), 'satisfaction')),
    field('计分规则', select('rule', defs.rules.map((r) => ({ value: r.code, label: r.name })), 'weighted_mean')),
    field('评议主体（每行：名称,权重%,人数）', groups),
    field('评议对象', subjects),
    h('button', { type: 'submit', class: 'button primary' }, '发起并生成评议码'), out);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    alertBox.replaceChildren();
    const v = (n) => form.elements[n].value;
    const body = {
      name: v('name'), year: Number(v('year')), kind: v('kind'), form: v('form'), rule: v('rule'),
      groups: v('groups').split('\n').filter((l) => l.trim()).map((l) => {
        const [name, weight, raters] = l.split(/[,，]/).map((x) => x.trim());
        return { name, weight: Number(weight), raters: Number(raters) };
      }),
      subjects: v('subjects').split('\n').map((l) => l.trim()).filter(Boolean).map((name) => ({ name })),
    };
    try {
      const r = await sendJSON('POST', '/api/v1/evaluations', body, { signal });
      out.replaceChildren(h('h3', {}, '评议码（只显示这一次，请立即打印）'),
        h('p', {}, h('a', { href: `#/evaluations/${r.id}` }, '查看评议')), codeSheet(body.name, r.codes));
    } catch (error) {
      alertBox.append(error.message);
    }
  });
  return form;
}

async function detail(main, id, { signal, setTitle }) {
  main.append(loading());
  let c;
  try {
    c = await getJSON(`/api/v1/evaluations/${id}`, { signal });
  } catch (error) {
    main.replaceChildren(errorAlert(error));
    return;
  }
  if (signal.aborted) return;
  setTitle(c.name);
  const turnout = h('table', { class: 'table' },
    h('thead', {}, h('tr', {}, ...['评议主体', '权重', '发放', '已投', '参评率'].map((t) => h('th', {}, t)))),
    h('tbody', {}, ...c.groups.map((g) => h('tr', {}, h('td', {}, g.name), h('td', {}, `${g.weight}%`), h('td', {}, String(g.issued)), h('td', {}, String(g.cast)), h('td', {}, pct(g.cast, g.issued)))),
      h('tr', {}, h('th', {}, '合计'), h('td', {}, ''), h('td', {}, String(c.turnout.issued)), h('td', {}, String(c.turnout.cast)), h('td', {}, pct(c.turnout.cast, c.turnout.issued)))));
  const parts = [h('h1', {}, c.name), h('p', {}, `${c.year} 年度 · ${c.unit_name} · ${c.form_name} · ${c.rule_name} · ${c.status_name}`), h('h2', {}, '参评情况'), turnout];
  if (c.results) {
    const graded = c.results.some((r) => r.grade_name);
    const rectify = (r) => (r.case ? h('a', { href: `#/items/${r.case}` }, '整改事项') : r.follow_up ? '需整改' : '');
    parts.push(h('h2', {}, '评议结果'),
      exportButtons({ path: `/api/v1/evaluations/${c.id}`, params: {}, name: `${c.name}评议结果`, signal, formats: ['xlsx'] }),
      c.notice_until ? h('p', {}, `公示至 ${c.notice_until} · `, h('a', { href: `#/public/evaluations/${c.id}` }, '公示页面（无需登录）')) : '',
      h('table', { class: 'table evaluation-results' }, h('thead', {}, h('tr', {}, ...['名次', '评议对象', '得分', ...(graded ? ['等次'] : []), '有效票', '不了解', '整改'].map((t) => h('th', {}, t)))),
        h('tbody', {}, ...c.results.map((r) => h('tr', {}, h('td', {}, r.rank ? String(r.rank) : '—'),
          h('td', {}, r.person ? h('a', { href: `#/persons/${r.person}` }, r.name) : r.name),
          h('td', {}, r.score == null ? '—' : String(r.score)), ...(graded ? [h('td', {}, r.grade_name ?? '—')] : []),
          h('td', {}, String(r.valid)), h('td', {}, String(r.invalid)), h('td', {}, rectify(r)))))));
  } else if (hasPerm('persons:write')) {
    parts.push(moreCodes(c, signal, () => { main.replaceChildren(); detail(main, id, { signal, setTitle }); }));
    const close = h('button', { type: 'button', class: 'button' }, '结束评议并计分');
    close.addEventListener('click', async () => {
      try {
        await sendJSON('POST', `/api/v1/evaluations/${id}/close`, {}, { signal });
        main.replaceChildren();
        detail(main, id, { signal, setTitle });
      } catch (error) {
        main.append(errorAlert(error));
      }
    });
    parts.push(h('p', { class: 'hint' }, '评议结束后才显示结果'), close);
  }
  main.replaceChildren(...parts);
}

// 补发 / 作废评议码: more codes for one group (a new rater, a lost sheet),
// and the lost sheet's code revoked when it is known; shown once, printable.
function moreCodes(c, signal, reload) {
  const alertBox = h('div', { class: 'form-alert', role: 'alert' });
  const out = h('div', {});
  const form = h('form', { class: 'card stack-form', novalidate: true, 'aria-label': '补发评议码' },
    h('h2', {}, '补发评议码'), alertBox,
    field('评议主体', select('group', c.groups.map((g) => ({ value: String(g.seq), label: g.name })), '0')),
    field('补发个数', input('count', { type: 'number', min: 0, max: 20000, value: 1 })),
    field('作废的评议码（遗失的选票，每行一个，可不填）', h('textarea', { name: 'revoke', class: 'input', rows: 2 })),
    h('button', { type: 'submit', class: 'button' }, '补发'), out);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    alertBox.replaceChildren();
    const revoke = form.elements.revoke.value.split(/\s*\n\s*/).map((x) => x.trim()).filter(Boolean);
    const group = Number(form.elements.group.value);
    try {
      const r = await sendJSON('POST', `/api/v1/evaluations/${c.id}/codes`, { group, count: Number(form.elements.count.value), revoke }, { signal });
      const name = c.groups[group].name;
      const refresh = h('button', { type: 'button', class: 'button' }, '刷新参评情况');
      refresh.addEventListener('click', reload);
      out.replaceChildren(h('p', { role: 'status' }, `已补发 ${r.codes.length} 个、作废 ${r.revoked} 个评议码（只显示这一次，请立即打印）`),
        codeSheet(c.name, r.codes.map((x) => ({ ...x, group_name: name }))),
        refresh);
    } catch (error) {
      alertBox.append(error.message);
    }
  });
  return form;
}
