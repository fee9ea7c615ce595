// cadres.js — 干部队伍. '#/cadres?unit=&year=': the reserve cadre pool of
// the year with its statistics by age band and education (a person entered
// against the criteria of data/cadres.json), the trainings and exams
// ("周一培训 + 周五考试") and the 三岗十八级 table with the pay report (CSV /
// Excel); '#/cadres/exam/EVENT': an exam's scores against the pass mark,
// entering scores, arranging a make-up; '#/cadres/person/PERSON': a
// person's training hours per year and exam results. People see names,
// never codes.
import { h } from '../ui/dom.js';
import { getJSON, sendJSON, apiUrl, getFile } from '../api.js';
import { field, input, select, submitForm } from '../ui/form.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { saveFile } from '../ui/save-file.js';
import { hasPerm } from '../session.js';

const chinaYear = () => Number(new Date().toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 4));
const yuan = (v) => `${v.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 元`;
const appendAll = (main, ...nodes) => main.append(...nodes.filter(Boolean));

function table(headers, rows, cls) {
  return h('div', { class: 'table-scroll' }, h('table', { class: `table ${cls}` },
    h('thead', {}, h('tr', {}, ...headers.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...rows)));
}

function form(title, fields, label, action, onSaved) {
  const alertBox = h('div');
  const button = h('button', { type: 'submit', class: 'button primary' }, label);
  const f = h('form', { class: 'card', 'aria-label': title }, h('h2', {}, title), ...fields, alertBox, button);
  f.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (await submitForm(f, { button, alertBox, busyText: '正在保存…', action: () => action(f.elements) })) onSaved();
  });
  return f;
}

const personOptions = (people) => people.map((p) => ({ value: String(p.id), label: p.name }));

function reserveSection(pool, rules, year) {
  const s = pool.stats;
  const pct = (n) => (s.total ? `（${Math.round((n / s.total) * 100)}%）` : '');
  return h('section', { class: 'card' }, h('h2', {}, `${year} 年后备干部库`),
    h('p', { class: 'muted' }, `入库条件：${rules.reserves.max_age} 周岁以下、${rules.reserves.min_education}及以上学历。`),
    h('ul', { class: 'stats cadre-stats' },
      h('li', {}, h('strong', {}, String(s.total)), ' 人'),
      h('li', {}, `${rules.reserves.young_age} 岁及以下 `, h('strong', {}, String(s.young)), ` 人${pct(s.young)}`),
      h('li', {}, '大专及以上 ', h('strong', {}, String(s.college)), ` 人${pct(s.college)}`)),
    s.total ? table(['年龄段', '人数'], s.age_bands.map((b) => h('tr', {}, h('th', { scope: 'row' }, b.name), h('td', { class: 'num' }, String(b.count)))), 'cadre-bands') : null,
    s.total ? table(['学历', '人数'], s.education.map((b) => h('tr', {}, h('th', { scope: 'row' }, b.name), h('td', { class: 'num' }, String(b.count)))), 'cadre-education') : null,
    pool.items.length
      ? table(['姓名', '所在单位', '拟任岗位', '年龄', '学历'], pool.items.slice(0, 500).map((r) => h('tr', { 'data-person': r.person.id },
        h('th', { scope: 'row' }, h('a', { href: `#/cadres/person/${r.person.id}` }, r.person.name)), h('td', {}, r.unit.name),
        h('td', {}, r.post), h('td', { class: 'num' }, String(r.age)), h('td', {}, r.education))), 'reserves')
      : empty('本年度还没有后备干部。'),
    pool.items.length > 500 ? h('p', { class: 'muted' }, `仅显示前 500 人，共 ${pool.items.length} 人。`) : null);
}

function examSection(exams, trainings) {
  const list = (items, link) => h('ul', { class: 'unit-list' }, ...items.map((e) => h('li', {},
    link ? h('a', { href: `#/cadres/exam/${e.id}` }, e.topic) : h('span', {}, e.topic), ' ',
    h('span', { class: 'muted' }, `${e.day} · ${e.unit?.name ?? ''}`))));
  return h('section', { class: 'card' }, h('h2', {}, '培训与考试'),
    h('p', { class: 'muted' }, '培训、考试在“活动”中新建（类型为“培训”“考试”）；培训学时按出席人员记入，考试成绩在考试页面登记。'),
    h('h3', {}, '考试'), exams.length ? list(exams, true) : empty('还没有考试。'),
    h('h3', {}, '培训'), trainings.length ? list(trainings, false) : empty('还没有培训。'));
}

function gradeSection(rules, pay, unit, date) {
  const g = rules.grades;
  // Grades down, posts across: 18 rows of three figures fit a phone.
  const head = ['等级', ...rules.posts.map((p) => `${p.name}（起点 ${p.start_grade} 级）`)];
  const download = (format) => {
    const b = h('button', { type: 'button', class: 'button', 'data-format': format }, format === 'csv' ? '导出 CSV' : '导出 Excel');
    b.addEventListener('click', async () => {
      try {
        const file = await getFile(apiUrl('/api/v1/cadres/workers', { unit, date, format }));
        saveFile(file.blob, file.filename ?? `三岗十八级薪酬-${date}.${format}`);
      } catch (error) { b.after(errorAlert(error)); }
    });
    return b;
  };
  return h('section', { class: 'card' }, h('h2', {}, '社区工作者三岗十八级'),
    h('p', { class: 'muted' }, `等级按岗位起点等级、学历（${g.degrees.filter((d) => d.steps).map((d) => `${d.name}加 ${d.steps} 级`).join('、')}）、`
      + `职业资格（${g.certificates.filter((d) => d.steps).map((d) => `${d.name}加 ${d.steps} 级`).join('、')}）计算，工作年限每满 ${g.years_per_step} 年晋升一级，最高 ${g.count} 级。`
      + (g.uncertain ? '表中数额为示例，以本县薪酬办法为准。' : '')),
    table(head, Array.from({ length: g.count }, (_, k) => h('tr', {}, h('th', { scope: 'row' }, `${k + 1} 级`),
      ...rules.posts.map((p) => h('td', { class: 'num' }, p.pay[k] === undefined ? '' : String(p.pay[k]))))), 'grade-table'),
    h('h3', {}, `薪酬报表（${date}）`),
    h('p', {}, `社区工作者 ${pay.workers} 人，月工资合计 ${yuan(pay.total)}。 `,
      download('csv'), ' ', download('xlsx')),
    pay.items.length
      ? table(['姓名', '社区', '岗位', '工作年限', '学历', '职业资格', '等级', '月工资'], pay.items.map((w) => h('tr', { 'data-person': w.person.id },
        h('th', { scope: 'row' }, w.person.name), h('td', {}, w.unit.name), h('td', { class: 'post' }, w.post),
        h('td', { class: 'num' }, `${w.years} 年`), h('td', {}, w.degree), h('td', {}, w.certificate),
        h('td', { class: 'num' }, `${w.grade} 级`), h('td', { class: 'num' }, yuan(w.pay)))), 'pay-report')
      : empty('还没有登记社区工作者。'));
}

async function renderMain(main, context) {
  const { query, signal } = context;
  const unit = query.get('unit') || '';
  const year = Number(query.get('year')) || chinaYear();
  const today = new Date().toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 10);
  const [rules, pool, exams, trainings, pay, people] = await Promise.all([
    getJSON('/api/v1/cadres/rules', { signal }),
    getJSON(apiUrl('/api/v1/cadres/reserves', { unit, year }), { signal }),
    getJSON(apiUrl('/api/v1/events', { unit, type: 'exam', limit: 50 }), { signal }),
    getJSON(apiUrl('/api/v1/events', { unit, type: 'training', limit: 50 }), { signal }),
    getJSON(apiUrl('/api/v1/cadres/workers', { unit, date: today }), { signal }),
    getJSON(apiUrl('/api/v1/persons', { unit, limit: 200 }), { signal }),
  ]);
  const reload = () => { main.replaceChildren(); renderMain(main, context).catch((e) => main.append(errorAlert(e))); };
  const write = hasPerm('persons:write') && unit;
  const opts = personOptions(people.items);
  appendAll(main,
    h('p', {}, [year - 1, year, year + 1].map((y) => h('a', { href: `#/cadres?${new URLSearchParams({ ...(unit ? { unit } : {}), year: String(y) })}`, class: y === year ? 'button primary' : 'button' }, `${y} 年`))),
    reserveSection(pool, rules, year),
    write ? form('后备干部入库', [field('人员', select('person', opts, '')), field('拟任岗位', input('post', { required: '', maxlength: 64, placeholder: '如：村党支部书记' }))],
      '入库', (el) => sendJSON('POST', '/api/v1/cadres/reserves', { unit, year, person: Number(el.person.value), post: el.post.value }), reload) : null,
    examSection(exams.items, trainings.items),
    gradeSection(rules, pay, unit, today),
    write ? form('登记社区工作者', [
      field('人员', select('person', opts, '')),
      field('岗位', select('post', rules.posts.map((p) => ({ value: p.code, label: p.name })), '')),
      field('参加社区工作时间', input('start_date', { type: 'date', required: '' })),
      field('学历', select('degree', rules.grades.degrees.map((d) => ({ value: d.code, label: d.name })), '')),
      field('职业资格', select('certificate', rules.grades.certificates.map((d) => ({ value: d.code, label: d.name })), 'none'))],
    '登记', (el) => sendJSON('POST', '/api/v1/cadres/workers', { unit, person: Number(el.person.value), post: el.post.value, start_date: el.start_date.value, degree: el.degree.value, certificate: el.certificate.value }), reload) : null);
}

async function renderExam(main, context) {
  const { params, signal, setTitle } = context;
  const id = params[1];
  const [exam, ev] = await Promise.all([getJSON(`/api/v1/cadres/exams/${id}`, { signal }), getJSON(`/api/v1/events/${id}`, { signal })]);
  setTitle?.(exam.topic);
  const e = ev.event ?? ev;
  const people = await getJSON(apiUrl('/api/v1/persons', { unit: e.unit?.code ?? '', limit: 200 }), { signal });
  const reload = () => { main.replaceChildren(); renderExam(main, context).catch((x) => main.append(errorAlert(x))); };
  const write = hasPerm('persons:write');
  const scoreOf = new Map(exam.scores.map((s) => [s.person.id, s.score]));
  const rows = people.items.map((p) => h('tr', {}, h('th', { scope: 'row' }, p.name),
    h('td', {}, input(`score-${p.id}`, { inputmode: 'decimal', size: 5, value: scoreOf.has(p.id) ? String(scoreOf.get(p.id)) : '', 'aria-label': `${p.name}的成绩` }))));
  appendAll(main,
    h('section', { class: 'card' }, h('h2', {}, exam.topic),
      h('p', { class: 'muted' }, `${exam.day} · 合格线 ${exam.pass_mark} 分 · 合格 ${exam.passed} 人，不合格 ${exam.failed} 人`
        + (exam.makeup_of ? ' · 本场为补考' : '')),
      exam.makeup_of ? h('p', {}, h('a', { href: `#/cadres/exam/${exam.makeup_of}` }, '查看首次考试')) : null,
      exam.scores.length
        ? table(['姓名', '成绩', '结果'], exam.scores.map((s) => h('tr', { 'data-person': s.person.id },
          h('th', { scope: 'row' }, h('a', { href: `#/cadres/person/${s.person.id}` }, s.person.name)), h('td', { class: 'num' }, String(s.score)),
          h('td', {}, h('span', { class: s.passed ? 'tag ok' : 'tag warn' }, s.passed ? '合格' : '不合格')))), 'scores')
        : empty('还没有登记成绩。')),
    write ? form('登记成绩', [h('p', { class: 'muted' }, '填写参加考试人员的成绩，未参加的留空。'), table(['姓名', '成绩'], rows, 'score-entry')], '保存成绩',
      (el) => sendJSON('PUT', `/api/v1/cadres/exams/${id}/scores`, {
        scores: people.items.filter((p) => el[`score-${p.id}`].value.trim() !== '').map((p) => ({ person: p.id, score: Number(el[`score-${p.id}`].value) })),
      }), reload) : null,
    write && !exam.makeup_of && exam.failed ? form('安排补考', [field('补考时间', input('starts_at', { type: 'datetime-local', required: '' }))], '安排补考',
      async (el) => { const r = await sendJSON('POST', `/api/v1/cadres/exams/${id}/makeups`, { starts_at: el.starts_at.value }); location.hash = `#/cadres/exam/${r.id}`; return r; }, () => {}) : null);
}

async function renderPerson(main, context) {
  const { params, signal } = context;
  const id = params[1];
  const [p, person] = await Promise.all([getJSON(`/api/v1/persons/${id}/cadre`, { signal }), getJSON(`/api/v1/persons/${id}`, { signal })]);
  const name = (person.person ?? person).name;
  appendAll(main,
    h('section', { class: 'card' }, h('h2', {}, `${name}：培训学时`),
      p.training.length
        ? table(['年度', '培训次数', '学时'], p.training.map((y) => h('tr', {}, h('th', { scope: 'row' }, `${y.year} 年`), h('td', { class: 'num' }, String(y.trainings)), h('td', { class: 'num' }, String(y.hours)))), 'training-years')
        : empty('没有培训记录。')),
    h('section', { class: 'card' }, h('h2', {}, `${name}：考试成绩（合格线 ${p.pass_mark} 分）`),
      p.exams.length
        ? table(['考试', '日期', '成绩', '结果'], p.exams.map((x) => h('tr', {}, h('th', { scope: 'row' }, h('a', { href: `#/cadres/exam/${x.id}` }, x.topic)), h('td', {}, x.day),
          h('td', { class: 'num' }, x.score == null ? '缺考' : String(x.score)), h('td', {}, `${x.passed ? '合格' : '不合格'}${x.makeup_of ? '（补考）' : ''}`))), 'person-exams')
        : empty('没有考试记录。')));
}

export async function render(main, context) {
  main.replaceChildren(loading());
  try {
    const box = h('div', { class: 'cadres-page' });
    const [view] = context.params ?? [];
    if (view === 'exam' && context.params[1]) await renderExam(box, context);
    else if (view === 'person' && context.params[1]) await renderPerson(box, context);
    else await renderMain(box, context);
    main.replaceChildren(box);
  } catch (error) {
    if (!context.signal.aborted) main.replaceChildren(errorAlert(error));
  }
}
