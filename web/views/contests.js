// contests.js — 擂台比武 ('#/contests', '#/contests/ID'), the staff page:
// the contests of the user's scope and a form that starts one (contestants
// chosen from the people of a unit, judges one a line, weights and criteria
// from data/contests.json via GET /api/v1/contest-rules), whose judges'
// codes are shown once as a printable sheet (a slip a judge: name, code and
// the phone link #/judge/CODE). A contest's page runs the session: each
// contestant goes on stage (上场) and off (结束), the judges' scores come
// in live, the 实地察看 scores are entered, and the results show stage and
// site-visit scores, the weighted total, rank, award and support fund; the
// live screen (#/public/contests/ID) opens in a new tab. Below, the 金点子
// library: good practices with tags, filtered by tag, one vote a user.
import { h } from '../ui/dom.js';
import { apiUrl, getJSON, sendJSON } from '../api.js';
import { field, input, select } from '../ui/form.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { hasPerm } from '../session.js';
import { confirmDialog } from '../ui/dialog.js';
import { exportButtons } from '../ui/export-buttons.js';
import { unitField } from '../ui/unit-field.js';

const POLL = 4000; // ms between looks at a running contest
let generation = 0; // the contest page drawn last; older polls stop
const ROUND = { waiting: '未上场', open: '比武中', closed: '已结束' };
const num = (v) => (v == null ? '—' : String(v));
const yuan = (v) => (v >= 10000 ? `${Math.round(v / 100) / 100} 万元` : `${v} 元`);
const table = (heads, rows, attrs = {}) => h('table', { class: 'table', ...attrs },
  h('thead', {}, h('tr', {}, ...heads.map((t) => h('th', {}, t)))), h('tbody', {}, ...rows));

export async function render(main, { params, signal, setTitle }) {
  setTitle('擂台比武');
  if (params[0]) return detail(main, Number(params[0]), { signal, setTitle });
  main.append(loading());
  const [list, rules] = await Promise.all([getJSON('/api/v1/contests', { signal }), getJSON('/api/v1/contest-rules', { signal })]);
  if (signal.aborted) return;
  main.replaceChildren(h('h1', {}, '擂台比武'),
    list.items.length
      ? table(['比武', '年度', '主办单位'], list.items.map((c) => h('tr', {},
        h('td', {}, h('a', { href: `#/contests/${c.id}` }, c.name)), h('td', {}, String(c.year)), h('td', {}, c.unit.name))))
      : empty('还没有擂台比武'),
    hasPerm('persons:write') ? createForm(rules, signal) : '');
}

// 评委码打印单: one slip a judge, cut along the dashes.
function codeSheet(title, judges) {
  const base = `${location.origin}${location.pathname}#/judge/`;
  const printButton = h('button', { type: 'button', class: 'button' }, '打印评委码');
  printButton.addEventListener('click', () => print());
  return h('div', { class: 'code-sheet' },
    h('p', { class: 'no-print' }, printButton),
    h('ol', { class: 'evaluation-codes contest-codes' }, ...judges.map((j) => h('li', { class: 'code-slip' },
      h('strong', {}, title), h('span', {}, `评委：${j.name}`),
      h('span', { class: 'code' }, j.code.replace(/(.{4})(?=.)/g, '$1-')),
      h('span', { class: 'hint' }, `手机打开 ${base}${j.code} 打分；此码仅供本人使用，请妥善保管`)))));
}

function createForm(rules, signal) {
  const year = new Date().getFullYear();
  const alertBox = h('div', { class: 'form-alert', role: 'alert' });
  const out = h('div', {});
  const picked = []; // person ids in the order ticked: the order on stage
  const people = h('div', { class: 'contest-people' }, h('p', { class: 'hint' }, '先选择选手所在单位，再勾选参赛的书记'));
  let loaded = null; // the unit whose people are listed
  const loadPeople = async (unit) => {
    if (!unit || unit.code === loaded) return;
    loaded = unit.code;
    picked.length = 0;
    people.replaceChildren(loading());
    try {
      const r = await getJSON(apiUrl('/api/v1/persons', { unit: unit.code, limit: 200 }), { signal });
      people.replaceChildren(r.items.length
        ? h('fieldset', { class: 'contest-pick' }, h('legend', {}, '参赛选手（按勾选顺序上场）'),
          ...r.items.map((p) => h('label', { class: 'ballot-choice' },
            h('input', { type: 'checkbox', name: 'contestant', value: String(p.id) }), ' ', p.name, p.at?.name ? h('span', { class: 'muted' }, ` ${p.at.name}`) : '')))
        : empty('这个单位还没有人员档案'));
    } catch (error) {
      if (!signal.aborted) people.replaceChildren(errorAlert(error));
    }
  };
  const criteria = h('textarea', { name: 'criteria', class: 'input', rows: 3 }, rules.criteria.map((c) => `${c.name},${c.max}`).join('\n'));
  const judges = h('textarea', { name: 'judges', class: 'input', rows: 4, placeholder: '每行一位评委的姓名' });
  const form = h('form', { class: 'card', novalidate: true, 'aria-label': '举办擂台比武' },
    h('h2', {}, '举办擂台比武'), alertBox,
    field('名称', input('name', { value: `${year}年村党组织书记擂台比武` })),
    field('年度', input('year', { type: 'number', value: year })),
    unitField({ name: 'unit', label: '主办单位', levels: ['city', 'county', 'township'], signal }),
    unitField({ name: 'from', label: '选手所在单位', signal, onChange: loadPeople }),
    people,
    field('评委（每行一位）', judges, { hint: `${rules.recusal}` }),
    field('现场比武权重 %', input('stage', { type: 'number', min: 0, max: 100, value: rules.weights.stage })),
    field('实地察看权重 %', input('site', { type: 'number', min: 0, max: 100, value: rules.weights.site })),
    field('评分项（每行：名称,满分）', criteria),
    h('p', { class: 'hint' }, `奖项：${rules.awards.map((a) => `${a.name} ${a.count ? `${a.count} 名` : `前 ${a.share}%`}、每名扶持 ${yuan(a.fund)}`).join('；')}`),
    h('button', { type: 'submit', class: 'button primary' }, '举办并生成评委码'), out);
  form.addEventListener('change', (event) => {
    const t = event.target;
    if (t.name !== 'contestant') return;
    const i = picked.indexOf(t.value);
    if (t.checked && i < 0) picked.push(t.value);
    if (!t.checked && i >= 0) picked.splice(i, 1);
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    alertBox.replaceChildren();
    const v = (n) => form.elements[n].value;
    const still = new Set([...form.querySelectorAll('input[name="contestant"]:checked')].map((x) => x.value));
    const unit = v('unit');
    const body = {
      name: v('name').trim(), year: Number(v('year')), ...(unit ? { unit } : {}),
      weights: { stage: Number(v('stage')), site: Number(v('site')) },
      criteria: v('criteria').split('\n').filter((l) => l.trim()).map((l) => {
        const [name, max] = l.split(/[,，]/).map((x) => x.trim());
        return { name, max: Number(max) };
      }),
      contestants: picked.filter((p) => still.has(p)).map((p) => ({ person: Number(p) })),
      judges: v('judges').split('\n').map((l) => l.trim()).filter(Boolean).map((name) => ({ name, ...(unit ? { unit } : {}) })),
    };
    if (!body.contestants.length) {
      alertBox.append('请勾选参赛选手');
      return;
    }
    try {
      const r = await sendJSON('POST', '/api/v1/contests', body, { signal });
      out.replaceChildren(h('h3', {}, '评委码（只显示这一次，请立即打印）'),
        h('p', {}, h('a', { href: `#/contests/${r.id}` }, '进入比武')), codeSheet(body.name, r.judges));
    } catch (error) {
      alertBox.append(error.message);
    }
  });
  return form;
}

async function detail(main, id, { signal, setTitle }) {
  main.replaceChildren(loading());
  let c;
  try {
    c = await getJSON(`/api/v1/contests/${id}`, { signal });
  } catch (error) {
    if (!signal.aborted) main.replaceChildren(errorAlert(error));
    return;
  }
  if (signal.aborted) return;
  setTitle(c.name);
  const reload = () => detail(main, id, { signal, setTitle });
  const write = hasPerm('persons:write');
  const alertBox = h('div', { class: 'form-alert', role: 'alert' });
  const judgeName = new Map(c.judges.map((j) => [j.seq, j.name]));
  const round = (seq, action) => {
    const b = h('button', { type: 'button', class: 'button small' }, action === 'open' ? '上场' : '结束打分');
    b.addEventListener('click', async () => {
      alertBox.replaceChildren();
      try {
        await sendJSON('POST', `/api/v1/contests/${id}/rounds`, { contestant: seq, action }, { signal });
        reload();
      } catch (error) {
        alertBox.append(error.message);
      }
    });
    return b;
  };
  const scoresOf = (c, seq) => c.scores.filter((s) => s.contestant === seq)
    .map((s) => `${judgeName.get(s.judge) ?? ''} ${s.total}`).join('，');
  const roundsBox = h('div', {});
  const resultsBox = h('div', {});
  const awardsBox = h('div', {});
  // The parts that change while the session runs, drawn again by the poll.
  const fill = (c) => {
    roundsBox.replaceChildren(table(['序号', '选手', '单位', '状态', '已评评委', ...(write ? [''] : [])],
      c.contestants.map((p) => h('tr', { class: p.seq === c.current ? 'current' : '' },
        h('td', {}, String(p.seq)),
        h('td', {}, p.person ? h('a', { href: `#/persons/${p.person.id}` }, p.name) : p.name),
        h('td', {}, p.unit.name), h('td', {}, ROUND[p.round] ?? ''),
        h('td', {}, `${p.judges_scored}/${p.judges_expected}`, p.judges_scored ? h('div', { class: 'hint' }, scoresOf(c, p.seq)) : ''),
        ...(write ? [h('td', {}, p.round === 'waiting' ? round(p.seq, 'open') : p.round === 'open' ? round(p.seq, 'close') : '')] : []))),
      { class: 'table contest-rounds' }));
    const ranked = [...c.contestants].sort((a, b) => (a.rank || 1e9) - (b.rank || 1e9) || a.seq - b.seq);
    resultsBox.replaceChildren(table(['名次', '选手', '单位', `现场比武（${c.weights.stage}%）`, `实地察看（${c.weights.site}%）`, '总分', '奖项', '扶持资金'],
      ranked.map((p) => h('tr', {}, h('td', {}, p.rank ? String(p.rank) : '—'), h('td', {}, p.name), h('td', {}, p.unit.name),
        h('td', {}, num(p.stage_score)), h('td', {}, num(p.site_score)), h('td', {}, num(p.total)),
        h('td', {}, p.award ?? '—'), h('td', {}, p.fund ? yuan(p.fund) : '—'))), { class: 'table contest-results' }));
    awardsBox.replaceChildren(table(['奖项', '每名扶持', '获奖', '小计'], [
      ...c.awards.map((a) => h('tr', {}, h('td', {}, a.name), h('td', {}, yuan(a.fund)), h('td', {}, `${a.awarded} 名`), h('td', {}, yuan(a.funds)))),
      h('tr', {}, h('th', {}, '合计'), h('td', {}, ''), h('td', {}, ''), h('td', {}, yuan(c.funds_total)))]));
  };
  fill(c);
  const newCode = h('div', {});
  // A judge who lost the slip gets a new code; the old one stops working.
  const reissue = (j) => {
    const b = h('button', { type: 'button', class: 'button small' }, '补发评委码');
    b.addEventListener('click', () => confirmDialog({
      title: '补发评委码',
      question: `为${j.name}补发评委码后，原评委码立即作废，已评的分数保留。确定补发吗？`,
      submitText: '补发',
      returnFocus: () => b,
      signal,
      onConfirm: async () => {
        const r = await sendJSON('POST', `/api/v1/contests/${id}/judge-codes`, { judge: j.seq }, { signal });
        newCode.replaceChildren(h('h3', {}, `${r.name}的新评委码（只显示这一次，请立即打印）`), codeSheet(c.name, [r]));
      },
    }));
    return b;
  };
  const judges = table(['评委', '单位', '回避', ...(write ? [''] : [])], c.judges.map((j) => h('tr', {}, h('td', {}, j.name), h('td', {}, j.unit.name),
    h('td', {}, (j.recused ?? []).map((s) => c.contestants.find((p) => p.seq === s)?.name ?? '').join('、') || '—'),
    ...(write ? [h('td', {}, reissue(j))] : []))));
  // The judges' scores come in while the page is open: look again every
  // few seconds until the page is left or drawn anew.
  const mine = ++generation;
  let seen = JSON.stringify([c.contestants, c.scores, c.current]);
  const poll = async () => {
    if (signal.aborted || mine !== generation) return;
    try {
      const fresh = await getJSON(`/api/v1/contests/${id}`, { signal });
      const now = JSON.stringify([fresh.contestants, fresh.scores, fresh.current]);
      if (now !== seen && mine === generation) {
        seen = now;
        fill(fresh);
      }
    } catch {
      // a moment offline: try again at the next tick
    }
    if (!signal.aborted && mine === generation) setTimeout(poll, POLL);
  };
  setTimeout(poll, POLL);
  const screen = `#/public/contests/${id}`;
  main.replaceChildren(
    h('p', { class: 'back-link' }, h('a', { href: '#/contests' }, '← 擂台比武')),
    h('h1', {}, c.name),
    h('p', {}, `${c.year} 年 · ${c.unit.name} · 现场比武 ${c.weights.stage}% + 实地察看 ${c.weights.site}% · 评分项：${c.criteria.map((x) => `${x.name}（${x.max} 分）`).join('、')}`),
    h('p', {}, h('a', { href: screen, target: '_blank', rel: 'noopener' }, '打开现场大屏（无需登录，实时显示评分）')),
    h('section', { class: 'card' }, h('h2', {}, '选手与上场'), alertBox,
      roundsBox,
      h('p', { class: 'hint' }, '评委只能为“比武中”的选手打分；结束打分后分数不再更改。现场比武得分去掉一个最高分和一个最低分后取平均。')),
    write ? siteForm(c, signal, reload) : '',
    h('section', { class: 'card' }, h('h2', {}, '比武结果'), exportButtons({ path: `/api/v1/contests/${id}`, params: {}, name: `${c.name}结果`, signal, formats: ['xlsx'] }), resultsBox),
    h('section', { class: 'card' }, h('h2', {}, '奖项与扶持资金'), awardsBox),
    h('section', { class: 'card' }, h('h2', {}, '评委'), judges,
      h('p', { class: 'hint' }, '评委码只在举办或补发时显示一次；系统只保存其摘要。评委遗失评委码时可补发。'), newCode),
    ideas(c, signal, reload));
}

// 实地察看: one score (0–100) a contestant, entered after the visits.
function siteForm(c, signal, reload) {
  const alertBox = h('div', { class: 'form-alert', role: 'alert' });
  const form = h('form', { class: 'card stack-form', novalidate: true, 'aria-label': '实地察看得分' },
    h('h2', {}, '实地察看得分'), alertBox,
    ...c.contestants.map((p) => field(`${p.name}（0–100 分）`, input(`site${p.seq}`, { type: 'number', min: 0, max: 100, step: 'any', inputmode: 'decimal', value: p.site_score ?? '' }))),
    h('button', { type: 'submit', class: 'button' }, '保存实地察看得分'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    alertBox.replaceChildren();
    const scores = c.contestants.map((p) => ({ contestant: p.seq, value: form.elements[`site${p.seq}`].value }))
      .filter((x) => x.value !== '').map((x) => ({ contestant: x.contestant, score: Number(x.value) }));
    try {
      await sendJSON('POST', `/api/v1/contests/${c.id}/site-scores`, { scores }, { signal });
      reload();
    } catch (error) {
      alertBox.append(error.message);
    }
  });
  return form;
}

// 金点子库: the good practices of the contest, filtered by tag, one vote a
// user; staff add new ones with tags and the contestant they came from.
function ideas(c, signal, reload) {
  const tags = [...new Set(c.ideas.flatMap((d) => d.tags))];
  const list = h('div', { class: 'contest-ideas' });
  const show = (tag) => {
    const items = c.ideas.filter((d) => !tag || d.tags.includes(tag)).sort((a, b) => b.votes - a.votes);
    list.replaceChildren(...(items.length ? items.map((d) => {
      const vote = h('button', { type: 'button', class: 'button small', disabled: d.voted }, d.voted ? '已投票' : '投一票');
      vote.addEventListener('click', async () => {
        try {
          await sendJSON('POST', `/api/v1/contests/${c.id}/votes`, { idea: d.id }, { signal });
          reload();
        } catch (error) {
          list.prepend(errorAlert(error));
        }
      });
      return h('article', { class: 'contest-idea' },
        h('h3', {}, d.title), h('p', {}, d.text),
        h('p', { class: 'hint' }, [d.contestant, d.unit_name].filter(Boolean).join(' · '), ' ', ...d.tags.map((t) => h('span', { class: 'tag' }, t))),
        h('p', {}, h('span', { class: 'votes' }, `${d.votes} 票`), ' ', vote));
    }) : [empty('还没有金点子')]));
  };
  const filter = select('tag', [{ value: '', label: '全部标签' }, ...tags.map((t) => ({ value: t, label: t }))], '', { 'aria-label': '按标签筛选' });
  filter.addEventListener('change', () => show(filter.value));
  show('');
  return h('section', { class: 'card' }, h('h2', {}, `金点子库（${c.ideas.length} 条）`),
    tags.length ? h('p', {}, filter) : '', list, hasPerm('persons:write') ? ideaForm(c, signal, reload) : '');
}

function ideaForm(c, signal, reload) {
  const alertBox = h('div', { class: 'form-alert', role: 'alert' });
  const form = h('form', { class: 'stack-form', novalidate: true, 'aria-label': '收录金点子' },
    h('h3', {}, '收录金点子'), alertBox,
    field('标题', input('title', { maxlength: 100 })),
    field('具体做法', h('textarea', { name: 'text', class: 'input', rows: 3 })),
    field('标签（用逗号或空格分开）', input('tags', { placeholder: '如 集体经济 基层治理' })),
    field('来自选手', select('contestant', [{ value: '', label: '（不指定）' }, ...c.contestants.map((p) => ({ value: String(p.seq), label: p.name }))], '')),
    h('button', { type: 'submit', class: 'button' }, '收录'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    alertBox.replaceChildren();
    const v = (n) => form.elements[n].value.trim();
    const body = { title: v('title'), text: v('text'), tags: v('tags').split(/[\s,，、]+/).filter(Boolean) };
    if (v('contestant')) body.contestant = Number(v('contestant'));
    try {
      await sendJSON('POST', `/api/v1/contests/${c.id}/ideas`, body, { signal });
      reload();
    } catch (error) {
      alertBox.append(error.message);
    }
  });
  return form;
}
