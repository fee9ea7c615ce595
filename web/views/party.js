// party.js — 党员管理. '#/party?unit=&stage=': the roster (phone-friendly
// list) of a unit's party members or of one stage; '#/party?tab=orgs': the
// organisations; '#/party?tab=report': 应建尽建 and 换届; '#/party?tab=points'
// and '?tab=dues': 积分 and 党费 (people/points.js); '#/party/orgs/ID':
// one organisation with its posts and members; '#/party/pipeline' and
// '#/party/cases/ID': 发展党员 and 组织关系转接 (pipeline.js); '#/party?tab=life'
// and '#/party/events/…': 组织生活 (party-life.js); '#/party?tab=stats&date=':
// 统计, the member statistics (party-stats.js).
import { h } from '../ui/dom.js';
import { getJSON, apiUrl } from '../api.js';
import { pagedList } from '../ui/paged-list.js';
import { field, select, input } from '../ui/form.js';
import { unitField } from '../ui/unit-field.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { formatCount } from '../labels.js';
import { currentUser, hasPerm } from '../session.js';
import { importButton, templateButton } from '../ui/sheet-import.js';
import { pointsTab, duesTab } from './people/points.js';
import { lifeTab, renderEvent } from './party-life.js';
import { statsTab } from './party-stats.js';

const STAGES = [['', '党员（正式和预备）'], ['formal', '正式党员'], ['probationary', '预备党员'],
  ['candidate', '发展对象'], ['activist', '入党积极分子'], ['applicant', '入党申请人']];
const TABS = [['', '党员名册'], ['orgs', '党组织'], ['life', '组织生活'], ['report', '应建尽建与换届'], ['points', '积分'], ['dues', '党费'], ['stats', '统计']];

export async function render(main, context) {
  if (context.params[0] === 'orgs' && context.params[1]) return renderOrg(main, context);
  if (context.params[0] === 'events' && context.params[1]) return renderEvent(main, context);
  if (context.params[0] === 'pipeline') return (await import('./pipeline.js')).renderBoard(main, context);
  if (context.params[0] === 'cases') return (await import('./pipeline.js')).renderCase(main, context);
  const { query, signal } = context;
  const tab = query.get('tab') ?? '';
  const unit = query.get('unit') || currentUser().scope?.code || '';
  const link = (t) => `#/party?${new URLSearchParams({ ...(t ? { tab: t } : {}), ...(unit ? { unit } : {}) })}`;
  main.append(h('header', { class: 'card page-header' },
    h('h1', {}, '党员管理'),
    h('nav', { class: 'tabs', 'aria-label': '党员管理' },
      ...TABS.map(([t, label]) => h('a', { href: link(t), 'aria-current': t === tab ? 'page' : null }, label)),
      h('a', { href: `#/party/pipeline?${new URLSearchParams(unit ? { unit } : {})}` }, '发展党员'),
      h('a', { href: `#/party/pipeline?${new URLSearchParams({ kind: 'transfer', ...(unit ? { unit } : {}) })}` }, '组织关系转接'))));
  const form = h('form', { class: 'card filters', 'aria-label': '筛选' },
    unitField({ name: 'unit', label: '单位', value: unit, signal }),
    tab === '' ? field('发展阶段', select('stage', STAGES.map(([value, label]) => ({ value, label })), query.get('stage') ?? '')) : null,
    tab === 'stats' ? field('统计日期', input('date', { type: 'date', value: query.get('date') ?? '' }), { hint: '不填为今天' }) : null,
    h('button', { type: 'submit', class: 'button primary' }, '查看'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    if (tab) params.set('tab', tab);
    if (form.elements.unit.value) params.set('unit', form.elements.unit.value);
    if (form.elements.stage?.value) params.set('stage', form.elements.stage.value);
    if (form.elements.date?.value) params.set('date', form.elements.date.value);
    location.hash = `#/party?${params}`;
  });
  main.append(form);
  if (tab === 'orgs') return main.append(orgList(unit, signal));
  if (tab === 'report') return main.append(await report(unit, signal));
  if (tab === 'points') return main.append(pointsTab(unit, query, signal));
  if (tab === 'dues') return main.append(duesTab(unit, query, signal));
  if (tab === 'life') return main.append(await lifeTab(unit, query, signal));
  if (tab === 'stats') return main.append(statsTab(unit, query, signal));
  const stage = query.get('stage') || null;
  const org = query.get('org') || null;
  const roster = () => h('section', { class: 'card' }, pagedList({
    fetchPage: (after) => getJSON(apiUrl('/api/v1/persons', { unit, membership: 'party_member', stage, org, limit: 50, after }), { signal }),
    renderItem: (p) => h('li', { 'data-id': p.id },
      h('div', { class: 'user-title' }, h('a', { href: `#/persons/${p.id}` }, p.name),
        h('span', { class: 'tag' }, p.stage_name)),
      h('p', { class: 'user-meta' },
        h('span', {}, [p.sex, p.birth_date ? `${p.birth_date.slice(0, 4)} 年生` : null, p.education].filter(Boolean).join(' · ')),
        h('span', {}, p.at?.name ?? ''),
        p.phone ? h('span', {}, p.phone) : null)),
    emptyText: '这里还没有党员。',
    signal,
    list: h('ul', { class: 'unit-list roster' }),
  }));
  let list = roster();
  const reload = () => {
    const fresh = roster();
    list.replaceWith(fresh);
    list = fresh;
  };
  if (hasPerm('persons:write')) main.append(rosterImport(unit, signal, reload));
  main.append(list);
}

// 导入花名册 and 下载模板 (POST /api/v1/persons/import): the roster's
// columns as docs/api.md lists them; a success reloads the list.
const ROSTER_COLUMNS = [
  ['姓名', '必填'],
  ['性别', '男或女'],
  ['出生日期', '如 1975-12-31；有身份证号时可不填'],
  ['民族、学历', '选填'],
  ['身份证号', '选填；已登记的人按身份证号识别，不会重复登记'],
  ['手机号', '选填'],
  ['单位代码', '选填，默认为导入到的单位'],
  ['党组织', '党组织名称（须已建立）；不填则只登记人员'],
  ['发展阶段', '入党申请人、入党积极分子、发展对象、预备党员或正式党员'],
  ['起始日期', '进入该阶段的日期，如 2005-07-01'],
];

function rosterImport(unit, signal, onImported) {
  const status = h('div', { class: 'import-result', 'aria-live': 'polite' });
  return h('section', { class: 'card' },
    h('div', { class: 'ledger-actions' },
      importButton({
        label: '导入花名册',
        title: '导入花名册',
        intro: '把 Excel 花名册一次导入：每行一人，填写党组织和发展阶段的同时登记为党员。',
        path: '/api/v1/persons/import',
        unit,
        columns: ROSTER_COLUMNS,
        template: { path: '/api/v1/persons/import/template', name: '花名册导入模板.xlsx' },
        status,
        signal,
        summary: (r) => `新登记 ${r.persons_added} 人，已登记 ${r.persons_existing} 人；新增党员身份 ${r.memberships_added} 条，已有 ${r.memberships_existing} 条。`,
        onImported,
      }),
      templateButton({ path: '/api/v1/persons/import/template', name: '花名册导入模板.xlsx', signal })),
    status);
}

function orgList(unit, signal) {
  const box = h('section', { class: 'card' }, loading());
  getJSON(apiUrl('/api/v1/party/orgs', { unit }), { signal }).then((r) => {
    box.replaceChildren(r.items.length ? h('ul', { class: 'unit-list' }, ...r.items.map((o) => h('li', {},
      h('a', { href: `#/party/orgs/${o.id}` }, o.name), ' ',
      h('span', { class: 'muted' }, `${o.type_name}${o.form === 'standard' ? '' : `（${o.form_name}）`} · ${o.unit.name}`))))
      : empty('这里还没有党组织。'));
  }, (error) => { if (!signal.aborted) box.replaceChildren(errorAlert(error)); });
  return box;
}

async function report(unit, signal) {
  try {
    const r = await getJSON(apiUrl('/api/v1/party/orgs/report', { unit }), { signal });
    const who = (x) => (x.org ? h('a', { href: `#/party/orgs/${x.org.id}` }, x.org.name) : x.unit.name);
    return h('div', {},
      h('section', { class: 'card' }, h('h2', {}, `应建尽建（${formatCount(r.setup.length)} 处）`),
        r.setup.length ? h('ul', { class: 'unit-list setup-findings' }, ...r.setup.map((f) => h('li', {},
          who(f), ' ', h('span', { class: 'muted' }, `正式党员 ${f.formal_members} 人，党员 ${f.members} 人`),
          h('p', {}, f.message)))) : empty('各党组织设置符合规定。')),
      h('section', { class: 'card' }, h('h2', {}, `换届提醒（${r.days} 天内到期及已到期）`),
        r.terms.length ? h('ul', { class: 'unit-list terms' }, ...r.terms.map((t) => h('li', { class: t.overdue ? 'overdue' : '' },
          who(t), ' ', h('span', { class: t.overdue ? 'tag tag-unread' : 'tag' },
            t.overdue ? `已超期 ${-t.days_left} 天` : `${t.days_left} 天后到期`),
          h('p', { class: 'muted' }, `本届 ${t.term_start} 起，${t.term_end} 届满`)))) : empty('近期没有到期的党组织。')));
  } catch (error) {
    return errorAlert(error);
  }
}

async function renderOrg(main, { params, signal, setTitle }) {
  main.append(loading());
  try {
    const o = await getJSON(`/api/v1/party/orgs/${encodeURIComponent(params[1])}`, { signal });
    setTitle?.(o.name);
    const posts = o.members.filter((m) => m.kind === 'committee');
    const members = o.members.filter((m) => m.kind === 'party_member');
    main.replaceChildren(
      h('section', { class: 'card' }, h('h1', {}, o.name),
        h('p', { class: 'muted' }, `${o.type_name}（${o.form_name}）· ${o.unit.name}`),
        h('p', {}, `正式党员 ${o.formal_members} 人，党员 ${o.members_total} 人`),
        h('p', {}, o.term_start ? `本届任期 ${o.term_start} 起，${o.term_years} 年，${o.term_end} 届满` : `每届任期 ${o.term_years} 年（未填本届起始日期）`),
        h('a', { href: `#/party?${new URLSearchParams({ unit: o.unit.code, org: String(o.id) })}` }, '查看党员名册')),
      h('section', { class: 'card' }, h('h2', {}, '班子成员'),
        posts.length ? h('ul', { class: 'unit-list' }, ...posts.map((m) => h('li', {},
          h('strong', {}, m.stage_name), ' ', h('a', { href: `#/persons/${m.person}` }, m.person_name)))) : empty('未登记班子成员。')),
      h('section', { class: 'card' }, h('h2', {}, `党员（${formatCount(members.length)}）`),
        members.length ? h('ul', { class: 'unit-list roster' }, ...members.map((m) => h('li', {},
          h('a', { href: `#/persons/${m.person}` }, m.person_name), ' ',
          h('span', { class: 'tag' }, m.stage_name), ' ', h('span', { class: 'muted' }, `${m.from} 起`)))) : empty('还没有党员。')));
  } catch (error) {
    if (!signal.aborted) main.replaceChildren(errorAlert(error));
  }
}
