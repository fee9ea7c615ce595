// volunteers.js — 志愿服务. '#/volunteers?unit=': the volunteers of the
// subtree with hours, star and time coins, the teams and their members (a
// new team, a member joining), the volunteer activities with their sign-in
// sheets; '#/volunteers/sign/EVENT': the organiser's phone page — sign
// volunteers in and out (travel time excluded; the server credits the time
// bank at sign-out); '#/volunteers/certificate/PERSON': the printable
// service certificate with the person's time-bank balance, movements and a
// transfer to a close relative. People see names, never codes. 导入 takes
// teams and members from an Excel 名单 (POST /api/v1/volunteers/teams/import).
import { h } from '../ui/dom.js';
import { getJSON, sendJSON, apiUrl } from '../api.js';
import { field, input, select, submitForm } from '../ui/form.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { hasPerm, currentUser } from '../session.js';
import { importButton, templateButton } from '../ui/sheet-import.js';

const TEMPLATE = { path: '/api/v1/volunteers/teams/import/template', name: '志愿服务队导入模板.xlsx' };
const COLUMNS = [
  ['队伍名称', '必填；所属单位中还没有的队伍会新建'],
  ['所属单位', '选填，写单位名称（重名时写出上级，如 舞泉镇/大杨庄村村民委员会），默认为导入到的单位'],
  ['队员姓名', '选填，填写时须与人员库一致'],
  ['身份证号', '必填；按身份证号在人员库中找到此人，人员库中没有的请先在“花名册”导入'],
];

const hours = (v) => `${v.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 小时`;
const coins = (v) => `${v.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 个`;
const starText = (s) => (s ? s.name : '未达星级');
const nowLocal = () => new Date().toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16).replace(' ', 'T');
// Appends the given nodes, leaving out the parts not shown (null).
const appendAll = (main, ...nodes) => main.append(...nodes.filter(Boolean));
const MOVE = { credit: '服务记入', transfer_out: '转赠给', transfer_in: '受赠自', redeem: '兑换' };

function table(headers, rows, cls) {
  return h('div', { class: 'table-scroll' }, h('table', { class: `table ${cls}` },
    h('thead', {}, h('tr', {}, ...headers.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...rows)));
}

function teamForm(unit, people, onSaved) {
  const alertBox = h('div');
  const button = h('button', { type: 'submit', class: 'button primary' }, '新建服务队');
  const form = h('form', { class: 'card', 'aria-label': '新建志愿服务队' }, h('h2', {}, '新建志愿服务队'),
    field('队名', input('name', { required: '', maxlength: 100 })),
    field('队长', select('leader', [{ value: '', label: '（暂不指定）' }, ...people.map((p) => ({ value: String(p.id), label: p.name }))], '')),
    alertBox, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const leader = Number(form.elements.leader.value);
    const ok = await submitForm(form, {
      button, alertBox, busyText: '正在保存…',
      action: () => sendJSON('POST', '/api/v1/volunteers/teams', { unit, name: form.elements.name.value, ...(leader ? { leader } : {}) }),
    });
    if (ok) onSaved();
  });
  return form;
}

function joinForm(teams, people, onSaved) {
  const alertBox = h('div');
  const button = h('button', { type: 'submit', class: 'button primary' }, '加入服务队');
  const form = h('form', { class: 'card', 'aria-label': '队员加入服务队' }, h('h2', {}, '队员加入服务队'),
    field('服务队', select('team', teams.map((t) => ({ value: String(t.id), label: `${t.name}（${t.unit.name}）` })), '')),
    field('人员', select('person', people.map((p) => ({ value: String(p.id), label: p.name })), '')),
    alertBox, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const ok = await submitForm(form, {
      button, alertBox, busyText: '正在保存…',
      action: () => sendJSON('POST', `/api/v1/persons/${form.elements.person.value}/volunteer/teams`, { team: Number(form.elements.team.value) }),
    });
    if (ok) onSaved();
  });
  return form;
}

async function renderList(main, context) {
  const { query, signal } = context;
  const unit = query.get('unit') || '';
  const [list, teams, events, people] = await Promise.all([
    getJSON(apiUrl('/api/v1/volunteers', { unit }), { signal }),
    getJSON(apiUrl('/api/v1/volunteers/teams', { unit }), { signal }),
    getJSON(apiUrl('/api/v1/events', { unit, type: 'volunteer', limit: 50 }), { signal }),
    getJSON(apiUrl('/api/v1/persons', { unit, limit: 200 }), { signal }),
  ]);
  const reload = () => { main.replaceChildren(); renderList(main, context).catch((e) => main.append(errorAlert(e))); };
  const write = hasPerm('persons:write');
  const status = h('div', { class: 'import-result', 'aria-live': 'polite' });
  const total = list.items.reduce((s, v) => s + v.hours, 0);
  const stars = list.stars.map((s) => `${s.name} ${s.hours} 小时`).join('，');
  appendAll(main,
    h('section', { class: 'card' }, h('h2', {}, '志愿者'),
      h('p', { class: 'muted' }, `共 ${list.items.length} 人，累计服务 ${hours(total)}。星级：${stars}。`),
      list.items.length
        ? table(['姓名', '服务时长', '活动次数', '星级', '时间币', ''], list.items.map((v) => h('tr', { 'data-person': v.person.id },
          h('th', { scope: 'row' }, v.person.name), h('td', { class: 'num' }, hours(v.hours)),
          h('td', { class: 'num' }, String(v.activities)), h('td', {}, starText(v.star)),
          h('td', { class: 'num' }, coins(v.coins)),
          h('td', {}, h('a', { href: `#/volunteers/certificate/${v.person.id}` }, '服务证明与时间银行')))), 'volunteers')
        : empty('这里还没有志愿者。')),
    h('section', { class: 'card' }, h('h2', {}, '志愿服务队'),
      write ? h('div', { class: 'ledger-actions' },
        importButton({
          label: '导入',
          title: '导入志愿服务队',
          intro: '把 Excel 志愿服务队名单一次导入：每行一名队员，队伍不存在时新建。',
          path: '/api/v1/volunteers/teams/import',
          unit: unit || currentUser()?.scope?.code || '',
          columns: COLUMNS,
          template: TEMPLATE,
          status,
          signal,
          summary: (a) => `新建服务队 ${a.teams_added} 支，加入队员 ${a.members_added} 人（已在队中 ${a.members_existing} 人）。`,
          onImported: () => { main.replaceChildren(); renderList(main, context).then(() => main.querySelector('.import-result')?.replaceWith(status)).catch((e) => main.append(errorAlert(e))); },
        }),
        templateButton({ ...TEMPLATE, signal })) : null,
      status,
      teams.items.length
        ? table(['服务队', '所属单位', '队长', '队员'], teams.items.map((t) => h('tr', { 'data-team': t.id },
          h('th', { scope: 'row' }, t.name), h('td', {}, t.unit.name), h('td', {}, t.leader?.name ?? '—'),
          h('td', {}, `${t.members.length} 人：${t.members.slice(0, 20).map((m) => m.name).join('、')}${t.members.length > 20 ? '……' : ''}`))), 'teams')
        : empty('还没有志愿服务队。')),
    h('section', { class: 'card' }, h('h2', {}, '志愿服务活动'),
      events.items.length
        ? h('ul', { class: 'unit-list volunteer-activities' }, ...events.items.map((e) => h('li', {},
          h('a', { href: `#/volunteers/sign/${e.id}` }, e.topic), ' ',
          h('span', { class: 'muted' }, `${e.day} · ${e.unit?.name ?? ''}${e.place ? ` · ${e.place}` : ''}`))))
        : empty('还没有志愿服务活动（在“党组织生活”或活动页面新建类型为“志愿服务”的活动）。')),
    write && unit ? teamForm(unit, people.items, reload) : null,
    write && teams.items.length ? joinForm(teams.items, people.items, reload) : null);
}

function signRow(eventId, row, onDone) {
  const li = h('li', { class: 'sign-row', 'data-person': row.person.id });
  const name = h('strong', {}, row.person.name);
  if (row.signed_out) {
    li.append(name, ' ', h('span', { class: 'tag ok' }, '已签退'), ' ',
      h('span', { class: 'muted' }, `${row.signed_in.slice(11)}–${row.signed_out.slice(11)}，路途 ${row.travel_minutes} 分钟，计 ${hours(row.hours)}`));
    return li;
  }
  const travel = input('travel_minutes', { inputmode: 'numeric', value: '0', size: 4, 'aria-label': `${row.person.name}的路途时间（分钟）` });
  const button = h('button', { type: 'button', class: 'button primary' }, '签退');
  const alertBox = h('div');
  button.addEventListener('click', async () => {
    alertBox.replaceChildren();
    button.disabled = true;
    try {
      await sendJSON('POST', `/api/v1/events/${eventId}/volunteers/signout`, { person: row.person.id, at: nowLocal(), travel_minutes: Number(travel.value || 0) });
      onDone();
    } catch (error) { alertBox.append(errorAlert(error)); button.disabled = false; }
  });
  li.append(name, ' ', h('span', { class: 'tag' }, `${row.signed_in.slice(11)} 已签到`), ' ',
    h('label', {}, '路途（分钟，不计时长）', travel), ' ', button, alertBox);
  return li;
}

async function renderSign(main, context) {
  const { params, signal, setTitle } = context;
  const id = params[1];
  const [ev, sheet] = await Promise.all([
    getJSON(`/api/v1/events/${id}`, { signal }),
    getJSON(`/api/v1/events/${id}/volunteers`, { signal }),
  ]);
  const e = ev.event ?? ev;
  setTitle?.(e.topic);
  // the teams the organiser reaches: a township's team serves its villages' activities
  const teams = await getJSON('/api/v1/volunteers/teams', { signal });
  const reload = () => { main.replaceChildren(); renderSign(main, context).catch((x) => appendAll(main, errorAlert(x))); };
  const signed = new Set(sheet.items.map((r) => r.person.id));
  const waiting = new Map();
  for (const t of teams.items) for (const m of t.members) if (!signed.has(m.id)) waiting.set(m.id, m.name);
  const alertBox = h('div');
  const signIn = async (person, button) => {
    alertBox.replaceChildren();
    button.disabled = true;
    try { await sendJSON('POST', `/api/v1/events/${id}/volunteers/signin`, { person, at: nowLocal() }); reload(); }
    catch (error) { alertBox.append(errorAlert(error)); button.disabled = false; }
  };
  appendAll(main,
    h('p', { class: 'no-print' }, h('a', { href: '#/volunteers' }, '← 志愿服务')),
    h('section', { class: 'card' }, h('h2', {}, e.topic),
      h('p', { class: 'muted' }, `${e.day} · ${e.unit?.name ?? ''}${e.place ? ` · ${e.place}` : ''}`),
      h('p', { class: 'muted' }, '签到、签退须在活动当天；服务时长 = 签退 − 签到 − 路途时间，签退即记入时间银行（1 小时 = 1 个时间币）。')),
    h('section', { class: 'card' }, h('h2', {}, `签到表（${sheet.items.length} 人）`),
      sheet.items.length ? h('ul', { class: 'unit-list sign-sheet' }, ...sheet.items.map((r) => signRow(id, r, reload))) : empty('还没有人签到。')),
    hasPerm('persons:write') ? h('section', { class: 'card' }, h('h2', {}, '签到'), alertBox,
      waiting.size
        ? h('ul', { class: 'unit-list sign-waiting' }, ...[...waiting].map(([pid, name]) => {
          const b = h('button', { type: 'button', class: 'button', 'data-person': pid }, `${name} 签到`);
          b.addEventListener('click', () => signIn(pid, b));
          return h('li', {}, b);
        }))
        : empty('服务队的队员都已签到。')) : null);
}

// The person's relatives of the same household now (the only ones the time
// bank lets coins go to), by name.
async function relatives(id, signal) {
  const person = await getJSON(`/api/v1/persons/${id}`, { signal });
  const hh = person.memberships.find((m) => m.household && !m.to);
  if (!hh) return [];
  const household = await getJSON(`/api/v1/households/${hh.household}`, { signal });
  return household.members.filter((m) => !m.to && String(m.person) !== String(id)).map((m) => ({ id: m.person, name: m.person_name }));
}

function transferForm(person, kin, onSaved) {
  const alertBox = h('div');
  const button = h('button', { type: 'submit', class: 'button primary' }, '转赠');
  const form = h('form', { class: 'card no-print', 'aria-label': '转赠时间币' }, h('h2', {}, '转赠时间币给近亲属（同户成员）'),
    field('受赠人', select('to', kin.map((k) => ({ value: String(k.id), label: k.name })), '')),
    field('时间币', input('coins', { inputmode: 'decimal', required: '' })), alertBox, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const ok = await submitForm(form, {
      button, alertBox, busyText: '正在转赠…',
      action: () => sendJSON('POST', `/api/v1/persons/${person}/timebank/transfers`, { to: Number(form.elements.to.value), coins: Number(form.elements.coins.value) }),
    });
    if (ok) onSaved();
  });
  return form;
}

async function renderCertificate(main, context) {
  const { params, signal, setTitle } = context;
  const id = params[1];
  const [c, bank, kin] = await Promise.all([
    getJSON(`/api/v1/persons/${id}/volunteer`, { signal }),
    getJSON(`/api/v1/persons/${id}/timebank`, { signal }),
    relatives(id, signal).catch(() => []),
  ]);
  setTitle?.(`${c.person.name} 志愿服务证明`);
  const reload = () => { main.replaceChildren(); renderCertificate(main, context).catch((x) => appendAll(main, errorAlert(x))); };
  const today = new Date().toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric' });
  const print = h('button', { type: 'button', class: 'button primary' }, '打印证明');
  print.addEventListener('click', () => window.print());
  appendAll(main,
    h('p', { class: 'no-print' }, h('a', { href: '#/volunteers' }, '← 志愿服务'), ' ', print),
    h('article', { class: 'card certificate' },
      h('h2', { class: 'certificate-title' }, '志愿服务证明'),
      h('p', {}, `兹证明 ${c.person.name}（身份证号 ${c.person.id_number ?? '未登记'}），${c.unit.name}${c.teams ? `${c.teams}队员` : '志愿者'}，`
        + `累计参加志愿服务活动 ${c.activities} 次，服务时长 ${hours(c.hours)}（不含往返路途时间），星级：${starText(c.star)}。`),
      c.years.length
        ? table(['年度', '服务时长', '活动次数'], c.years.map((y) => h('tr', {}, h('th', { scope: 'row' }, `${y.year} 年`),
          h('td', { class: 'num' }, hours(y.hours)), h('td', { class: 'num' }, String(y.activities)))), 'certificate-years')
        : empty('还没有记录的服务时长。'),
      h('p', { class: 'certificate-sign' }, `出具单位：${c.unit.name}`),
      h('p', { class: 'certificate-sign' }, `出具日期：${today}`)),
    h('section', { class: 'card no-print' }, h('h2', {}, `时间银行余额：${coins(bank.balance)}`),
      bank.moves.length
        ? table(['时间', '类别', '时间币', '对方 / 兑换'], bank.moves.map((m) => h('tr', {},
          h('td', {}, m.at.slice(0, 10)), h('td', {}, MOVE[m.kind] ?? '—'), h('td', { class: 'num' }, coins(m.coins)),
          h('td', {}, m.counterpart || ''))), 'timebank-moves')
        : empty('还没有时间币流水。')),
    hasPerm('persons:write') && kin.length ? transferForm(id, kin, reload) : null);
}

export async function render(main, context) {
  appendAll(main, loading());
  try {
    const box = h('div', { class: 'volunteers-page' });
    const [view] = context.params ?? [];
    if (view === 'sign' && context.params[1]) await renderSign(box, context);
    else if (view === 'certificate' && context.params[1]) await renderCertificate(box, context);
    else await renderList(box, context);
    main.replaceChildren(box);
  } catch (error) {
    if (!context.signal.aborted) main.replaceChildren(errorAlert(error));
  }
}
