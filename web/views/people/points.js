// points.js — 党员积分 and 党费 in the web UI: the 积分 and 党费 tabs of 党员管理
// (ranking with 笑脸 / 呆脸 / 哭脸, the approvals queue, arrears, the yearly
// publication) and a member's points and dues on their page and in 我的档案.
// Amounts come in fen and are shown in 元.
import { h } from '../../ui/dom.js';
import { getJSON, sendJSON, apiUrl, getFile } from '../../api.js';
import { field, select, input, submitForm } from '../../ui/form.js';
import { loading, errorAlert, empty } from '../../ui/notice.js';
import { saveFile } from '../../ui/save-file.js';
import { hasPerm } from '../../session.js';

const FACES = { 笑脸: '😊', 呆脸: '😐', 哭脸: '😟' };
export const yuan = (fen) => `${(fen / 100).toFixed(2)} 元`;
const thisYear = () => new Date(Date.now() + 8 * 3600e3).getUTCFullYear();

export function bandTag(band) {
  if (!band) return null;
  return h('span', { class: `tag band band-${band.code}`, title: band.name },
    `${FACES[band.face] ?? ''} ${band.face} · ${band.name}`);
}

function yearPicker(year, onChange) {
  const years = [];
  for (let y = thisYear(); y >= thisYear() - 4; y--) years.push({ value: String(y), label: `${y} 年` });
  const s = select('year', years, String(year), { 'aria-label': '年份' });
  s.addEventListener('change', () => onChange(Number(s.value)));
  return s;
}

function section(title, ...children) {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

async function guard(box, signal, fn) {
  box.replaceChildren(loading());
  try {
    box.replaceChildren(...[await fn()].flat().filter(Boolean));
  } catch (error) {
    if (!signal.aborted) box.replaceChildren(errorAlert(error));
  }
}

// ---- 党员管理 › 积分 ----

export function pointsTab(unit, query, signal) {
  const year = Number(query.get('year')) || thisYear();
  const ranking = h('div');
  const queue = h('div');
  const go = (y) => { location.hash = `#/party?${new URLSearchParams({ tab: 'points', unit, year: String(y) })}`; };
  guard(ranking, signal, async () => {
    const r = await getJSON(apiUrl('/api/v1/points/ranking', { unit, year }), { signal });
    if (!r.items.length) return empty('这里还没有党员。');
    return h('ol', { class: 'unit-list points-ranking' }, ...r.items.map((x) => h('li', { 'data-id': x.person.id },
      h('span', { class: 'rank' }, `第 ${x.rank} 名`), ' ',
      h('a', { href: `#/persons/${x.person.id}` }, x.person.name), ' ',
      h('strong', { class: 'score' }, `${x.score} 分`), ' ', bandTag(x.band), ' ',
      h('span', { class: 'muted' }, x.unit.name))));
  });
  guard(queue, signal, async () => {
    const r = await getJSON(apiUrl('/api/v1/points', { unit, year, open: 'true', limit: 100 }), { signal });
    if (!r.items.length) return empty('没有待审的积分申报。');
    return h('ul', { class: 'unit-list points-queue' }, ...r.items.map((x) => entryItem(x, { review: hasPerm('party:manage') })));
  });
  return h('div', {},
    h('div', { class: 'card filters' }, field('年份', yearPicker(year, go))),
    section(`待审（${year} 年）`, queue),
    section(`积分排名（${year} 年，基础分加已计入的加减分，含活动签到自动记分）`, ranking));
}

// Points a sign-in earned: where they came from (the event, for those who may open it).
const autoNote = (event) => (hasPerm('persons:read')
  ? h('a', { href: `#/party/events/${event}` }, '出席活动，自动记分')
  : h('span', {}, '出席活动，自动记分'));

// One entry: who, what, how many points and why; 通过 / 驳回 while 待审.
function entryItem(x, { review = false, who = true } = {}) {
  const li = h('li', { 'data-id': x.id, 'data-state': x.state },
    h('div', { class: 'user-title' },
      who ? h('a', { href: `#/persons/${x.person.id}` }, x.person.name) : null, who ? ' ' : null,
      h('strong', {}, x.rule_name), ' ',
      h('span', { class: x.points > 0 ? 'points plus' : 'points minus' }, `${x.points > 0 ? '+' : ''}${x.points} 分`), ' ',
      h('span', { class: `tag state-${x.state}` }, x.state_name)),
    h('p', { class: 'user-meta' }, h('span', {}, x.day), h('span', {}, x.unit.name),
      x.event ? autoNote(x.event) : null));
  if (review && x.state === 'pending') {
    const alertBox = h('div');
    const note = input('note', { placeholder: '驳回理由（驳回时必填）', 'aria-label': '驳回理由' });
    const act = async (transition, button) => {
      const form = button.form;
      const ok = await submitForm(form, {
        button, alertBox, busyText: '正在提交…',
        action: () => sendJSON('POST', `/api/v1/points/${x.id}/transitions`, { transition, ...(note.value ? { note: note.value } : {}) }),
      });
      if (ok) li.replaceWith(h('li', { class: 'muted' }, `${x.person.name} ${x.rule_name}：${transition === 'approve' ? '已通过' : '已驳回'}`));
    };
    const approve = h('button', { type: 'button', class: 'button primary' }, '通过');
    const reject = h('button', { type: 'button', class: 'button' }, '驳回');
    approve.addEventListener('click', () => act('approve', approve));
    reject.addEventListener('click', () => act('reject', reject));
    li.append(h('form', { class: 'inline-form', 'aria-label': '审核' }, note, approve, reject, alertBox));
  }
  return li;
}

// ---- 党员管理 › 党费 ----

export function duesTab(unit, query, signal) {
  const year = Number(query.get('year')) || thisYear();
  const go = (y) => { location.hash = `#/party?${new URLSearchParams({ tab: 'dues', unit, year: String(y) })}`; };
  const arrears = h('div');
  const publication = h('div');
  guard(arrears, signal, async () => {
    const r = await getJSON(apiUrl('/api/v1/dues/arrears', { unit }), { signal });
    if (!r.items.length) return empty('没有欠交党费的党员。');
    return [h('p', { class: 'muted' }, r.message),
      h('ul', { class: 'unit-list dues-arrears' }, ...r.items.map((x) => h('li', { class: x.flagged ? 'overdue' : '', 'data-id': x.person.id },
        h('a', { href: `#/persons/${x.person.id}` }, x.person.name), ' ',
        h('span', { class: x.flagged ? 'tag tag-overdue' : 'tag' }, `连续 ${x.unpaid_run} 个月未交`), ' ',
        h('span', { class: 'muted' }, `共欠 ${x.unpaid_total} 个月 ${yuan(x.owed_fen)} · ${x.unit.name}`))))];
  });
  guard(publication, signal, async () => {
    const r = await getJSON(apiUrl('/api/v1/dues/publication', { unit, year }), { signal });
    if (!r.items.length) return empty('这里还没有党员。');
    const download = h('button', { type: 'button', class: 'button' }, '导出 Excel');
    download.addEventListener('click', async () => {
      const { blob, filename } = await getFile(apiUrl('/api/v1/dues/publication', { unit, year, format: 'xlsx' }), { signal });
      saveFile(blob, filename ?? `党费公示-${year}.xlsx`);
    });
    return [h('p', {}, `${year} 年共收缴 ${yuan(r.total_fen)}。`, download),
      h('table', { class: 'table dues-publication' },
        h('thead', {}, h('tr', {}, h('th', {}, '姓名'), h('th', {}, '单位'), h('th', {}, '已交月份'), h('th', {}, '金额'))),
        h('tbody', {}, ...r.items.map((x) => h('tr', {},
          h('td', {}, h('a', { href: `#/persons/${x.person.id}` }, x.person.name)), h('td', {}, x.unit.name),
          h('td', {}, x.months.length ? `${x.months.join('、')} 月` : '未交'), h('td', {}, yuan(x.amount_fen))))))];
  });
  return h('div', {},
    h('div', { class: 'card filters' }, field('年份', yearPicker(year, go))),
    section('欠交党费', arrears),
    section(`党费收缴公示（${year} 年）`, publication));
}

// ---- a member's points and dues (person page, 我的档案) ----

export function personPoints(personId, { mine = false, signal }) {
  const box = h('div');
  let year = thisYear();
  const load = () => guard(box, signal, async () => {
    const r = await getJSON(mine ? apiUrl('/api/v1/me/points', { year }) : apiUrl(`/api/v1/persons/${personId}/points`, { year }), { signal });
    if (r.person === null) return null;
    return [
      h('p', { class: 'points-summary' }, `${year} 年积分 `, h('strong', { class: 'score' }, `${r.score} 分`),
        `（基础分 ${r.base}，加减分 ${r.earned >= 0 ? '+' : ''}${r.earned}）`, ' ', bandTag(r.band)),
      r.items.length ? h('ul', { class: 'unit-list points-entries' }, ...r.items.map((x) => entryItem(x, { review: !mine && hasPerm('party:manage'), who: false })))
        : empty('这一年还没有积分记录。'),
      await claimForm(personId, { mine, signal, done: load }),
    ];
  });
  load();
  return section('党员积分', h('div', { class: 'filters' }, field('年份', yearPicker(year, (y) => { year = y; load(); }))), box);
}

async function claimForm(personId, { mine, signal, done }) {
  if (!mine && !hasPerm('party:manage')) return null;
  const rules = (await getJSON('/api/v1/points/rules', { signal })).rules
    .filter((r) => r.source === 'claim' && (mine ? r.by_member : r.by_branch));
  if (!rules.length) return null;
  const alertBox = h('div');
  const button = h('button', { type: 'submit', class: 'button primary' }, mine ? '申报积分' : '记录积分');
  const form = h('form', { class: 'stack-form points-claim', 'aria-label': mine ? '申报积分' : '记录积分' },
    h('h3', {}, mine ? '申报积分' : '记录积分（提交后待审）'),
    field('积分项目', select('rule', rules.map((r) => ({ value: r.code, label: `${r.name}（${r.points > 0 ? '+' : ''}${r.points} 分，每${r.period === 'month' ? '月' : '年'}最多 ${r.cap} 分）` })), rules[0].code)),
    field('日期', input('day', { type: 'date' })),
    field('佐证说明', h('textarea', { name: 'evidence', class: 'input', rows: 2 })),
    alertBox, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { rule: form.elements.rule.value, evidence: form.elements.evidence.value };
    if (form.elements.day.value) body.day = form.elements.day.value;
    const ok = await submitForm(form, {
      button, alertBox, busyText: '正在提交…',
      action: () => sendJSON('POST', mine ? '/api/v1/me/points' : `/api/v1/persons/${personId}/points`, body),
    });
    if (ok) done();
  });
  return form;
}

export function personDues(personId, { mine = false, signal }) {
  const box = h('div');
  let year = thisYear();
  const load = () => guard(box, signal, async () => {
    const r = await getJSON(mine ? apiUrl('/api/v1/me/dues', { year }) : apiUrl(`/api/v1/persons/${personId}/dues`, { year }), { signal });
    if (r.person === null) return null;
    const basis = r.bases.filter((b) => b.year <= year).at(-1);
    const out = [
      h('p', {}, basis ? `${basis.year} 年核定：${basis.category_name}${basis.income_fen ? `，月收入 ${yuan(basis.income_fen)}` : ''}，每月应交 ${yuan(basis.monthly_fen)}` : '还没有核定党费基数。'),
      r.arrears.unpaid_run ? h('p', { class: r.arrears.flagged ? 'alert' : 'muted' },
        `已连续 ${r.arrears.unpaid_run} 个月未交党费，共欠 ${yuan(r.arrears.owed_fen)}`) : null,
      h('table', { class: 'table dues-months' },
        h('thead', {}, h('tr', {}, h('th', {}, '月份'), h('th', {}, '应交'), h('th', {}, '已交'), h('th', {}, '方式'))),
        h('tbody', {}, ...r.months.map((m) => h('tr', { class: m.paid_fen ? 'paid' : 'unpaid' },
          h('td', {}, m.month), h('td', {}, m.due_fen === null ? '—' : yuan(m.due_fen)),
          h('td', {}, m.paid_fen ? yuan(m.paid_fen) : '未交'), h('td', {}, m.method_name ?? ''))))),
    ];
    if (!mine && hasPerm('party:manage')) out.push(await basisForm(personId, year, signal, load), payForm(personId, r, load));
    return out;
  });
  load();
  return section('党费', h('div', { class: 'filters' }, field('年份', yearPicker(year, (y) => { year = y; load(); }))), box);
}

async function basisForm(personId, year, signal, done) {
  const rates = await getJSON('/api/v1/dues/rates', { signal });
  const alertBox = h('div');
  const button = h('button', { type: 'submit', class: 'button' }, '核定基数');
  const form = h('form', { class: 'stack-form dues-basis', 'aria-label': '核定党费基数' },
    h('h3', {}, `核定 ${year} 年党费基数`),
    field('党员类别', select('category', rates.categories.map((c) => ({ value: c.code, label: c.name })), rates.categories[0].code)),
    field('月收入（元，按比例交纳的类别填写）', input('income', { inputmode: 'decimal' })),
    alertBox, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { year, category: form.elements.category.value };
    const c = rates.categories.find((x) => x.code === body.category);
    if (c.basis === 'income') body.income_fen = Math.round(Number(form.elements.income.value) * 100);
    if (await submitForm(form, { button, alertBox, busyText: '正在保存…', action: () => sendJSON('PUT', `/api/v1/persons/${personId}/dues/basis`, body) })) done();
  });
  return form;
}

function payForm(personId, r, done) {
  const unpaid = r.months.filter((m) => !m.paid_fen && m.due_fen !== null);
  if (!unpaid.length) return null;
  const alertBox = h('div');
  const button = h('button', { type: 'submit', class: 'button primary' }, '登记交纳');
  const boxes = unpaid.map((m) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'month', value: m.month, 'data-due': String(m.due_fen) }), ` ${m.month}`));
  const amount = input('amount', { inputmode: 'decimal', 'aria-label': '金额（元）' });
  const form = h('form', { class: 'stack-form dues-pay', 'aria-label': '登记党费交纳' },
    h('h3', {}, '登记党费交纳'), h('div', { class: 'checks' }, ...boxes),
    field('金额（元）', amount),
    field('方式', select('method', [['cash', '现金'], ['wechat', '微信'], ['alipay', '支付宝'], ['bank', '银行转账']].map(([value, label]) => ({ value, label })), 'cash')),
    alertBox, button);
  form.addEventListener('change', () => {
    const due = [...form.querySelectorAll('input[name=month]:checked')].reduce((s, x) => s + Number(x.dataset.due), 0);
    amount.value = (due / 100).toFixed(2);
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const months = [...form.querySelectorAll('input[name=month]:checked')].map((x) => x.value);
    const body = { months, amount_fen: Math.round(Number(amount.value) * 100), method: form.elements.method.value };
    if (await submitForm(form, { button, alertBox, busyText: '正在保存…', action: () => sendJSON('POST', `/api/v1/persons/${personId}/dues/payments`, body) })) done();
  });
  return form;
}
