// inspections.js — 双随机抽查公示, for anyone without an account:
// '#/public/inspections' lists the plans with their draws and completion
// (GET /api/v1/public/inspections); '#/public/inspections/ID' shows a plan's
// published inputs, the targets and inspectors drawn and the results, and
// re-runs the draw on the server from the stored inputs
// (GET /api/v1/public/inspections/draws/ID/verify) to show that the same
// result comes out. The algorithm is documented in docs/architecture.md
// ("双随机、一公开") and re-implemented independently in tools/draw_verify.py.
import { h } from '../../ui/dom.js';
import { getJSON } from '../../api.js';
import { loading, errorAlert, empty } from '../../ui/notice.js';
import { publicLinks } from './common.js';

const pct = (v) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(2)}%`);
// Element.append would write null as text: the parts a page leaves out are dropped.
const add = (el, ...parts) => el.append(...parts.filter((x) => x !== null && x !== undefined && x !== false));
const table = (cls, heads, rows) => h('div', { class: 'table-scroll' }, h('table', { class: `table ${cls}` },
  h('thead', {}, h('tr', {}, ...heads.map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, ...rows)));

const ALGORITHM = [
  '摇号前公布：计划编号、抽取数量（或比例）、每个对象的检查人员数和公开值；摇号时对名录库中在册的检查对象、执法检查人员和回避关系做快照，快照的 SHA-256 摘要同时公布。',
  '随机种子 = SHA-256(计划编号、快照摘要、公开值)；由种子按计数器模式生成随机数，用拒绝采样消除取模偏差，以部分 Fisher–Yates 洗牌依次抽出检查对象。',
  '对每个抽中的对象，从去掉与其有利害关系（回避）的人员后的名单中，同样随机抽取规定人数的执法检查人员；不足规定人数时摇号不能进行。',
  '同样的输入必然得出同样的结果：任何人可按公开的输入重新摇号核对（本页的“重新摇号核对”、命令 jiceng draw verify、独立实现 tools/draw_verify.py，算法说明见 docs/architecture.md “双随机、一公开”一节）。',
];

async function renderList(main, { signal }) {
  const r = await getJSON('/api/v1/public/inspections', { signal, auth: false });
  add(main, h('section', { class: 'card public-card' }, h('h1', {}, '双随机抽查公示'),
    h('p', {}, `抽中 ${r.drawn} 户次，已公示结果 ${r.done}，完成率 `, h('strong', { class: 'completion' }, pct(r.completion))),
    r.items.length ? table('public-inspection-plans', ['抽查计划', '抽查事项', '范围', '摇号时间', '抽中', '已有结果', '完成率'],
      r.items.map((p) => h('tr', { 'data-plan': p.id },
        h('th', { scope: 'row' }, h('a', { href: `#/public/inspections/${p.id}` }, p.name)), h('td', {}, p.item.name),
        h('td', {}, p.unit.name), h('td', {}, p.draw ? p.draw.drawn_at : '待摇号'), h('td', { class: 'num' }, p.drawn),
        h('td', { class: 'num' }, p.done), h('td', { class: 'num' }, pct(p.completion)))))
      : empty('还没有公布的抽查计划。')),
  h('section', { class: 'card public-card' }, h('h2', {}, '摇号规则'), h('ol', {}, ...ALGORITHM.map((t) => h('li', {}, t)))));
}

async function renderPlan(main, { params, signal, setTitle }) {
  const p = await getJSON(`/api/v1/public/inspections/plans/${encodeURIComponent(params[0])}`, { signal, auth: false });
  setTitle(`${p.name} · 双随机抽查公示`);
  const verdict = h('div', { class: 'verify-result', 'aria-live': 'polite' });
  const verify = h('button', { type: 'button', class: 'button primary' }, '重新摇号核对');
  verify.addEventListener('click', async () => {
    verify.disabled = true;
    verdict.replaceChildren(loading('正在按公开的输入重新摇号…'));
    try {
      const v = await getJSON(`/api/v1/public/inspections/draws/${p.draw.id}/verify`, { auth: false });
      verdict.replaceChildren(...[
        h('p', { class: v.same ? 'notice verify-same' : 'alert', role: 'status' }, v.same
          ? '一致：按公开的输入重新摇号，抽中的检查对象和执法检查人员与公示的完全相同。'
          : '不一致：记录的摇号结果与按公开输入重新摇号的结果不同。'),
        v.differences ? h('pre', { class: 'differences' }, v.differences) : null,
        h('details', {}, h('summary', {}, '重新摇号的输出（对象编号: 检查人员编号）'), h('pre', { class: 'rerun' }, v.rerun)),
      ].filter(Boolean));
    } catch (error) {
      verdict.replaceChildren(errorAlert(error));
    } finally {
      verify.disabled = false;
    }
  });
  add(main,
    h('p', {}, h('a', { href: '#/public/inspections' }, '← 全部抽查计划')),
    h('section', { class: 'card public-card' }, h('h1', {}, p.name),
      h('p', { class: 'muted' }, `${p.item.name} · ${p.unit.name} · 完成期限 ${p.deadline} · 结果自检查之日起 ${p.publish_within_working_days} 个工作日内公示`),
      h('p', {}, `抽中 ${p.drawn}，已有结果 ${p.done}，完成率 `, h('strong', { class: 'completion' }, pct(p.completion))),
      h('dl', { class: 'draw-inputs' },
        h('dt', {}, '计划编号'), h('dd', {}, String(p.id)),
        h('dt', {}, '公开值'), h('dd', {}, p.public_value || '（摇号时刻）'),
        ...(p.draw ? [h('dt', {}, '名录库快照摘要'), h('dd', { class: 'mono' }, p.draw.registry_digest),
          h('dt', {}, '随机种子'), h('dd', { class: 'mono seed' }, p.draw.seed),
          h('dt', {}, '摇号时间'), h('dd', {}, p.draw.drawn_at)] : [])),
      p.draw ? verify : h('p', {}, '尚未摇号。'), verdict),
    p.checks.length ? h('section', { class: 'card public-card' }, h('h2', {}, '抽查对象和结果'),
      table('public-inspection-checks', ['次序', '检查对象', '所在地', '执法检查人员', '检查日期', '结果'], p.checks.map((c) => h('tr', {},
        h('td', { class: 'num' }, c.seq), h('th', { scope: 'row' }, `${c.target.name}（${c.target.id}）`), h('td', {}, c.unit.name),
        h('td', {}, c.inspectors), h('td', {}, c.checked_on || '—'), h('td', {}, c.result_label || '待检查'))))) : null,
    h('section', { class: 'card public-card' }, h('h2', {}, '摇号规则'), h('ol', {}, ...ALGORITHM.map((t) => h('li', {}, t)))));
}

export async function render(main, context) {
  context.setTitle('双随机抽查公示');
  add(main, loading());
  try {
    const box = h('div', { class: 'public-inspections' });
    if (context.params?.[0]) await renderPlan(box, context);
    else await renderList(box, context);
    main.replaceChildren(box, publicLinks('inspections'));
  } catch (error) {
    if (!context.signal.aborted) main.replaceChildren(errorAlert(error.status === 404 ? new Error('没有这个抽查计划') : error), publicLinks('inspections'));
  }
}
