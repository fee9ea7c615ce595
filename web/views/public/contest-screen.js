// contest-screen.js — 擂台比武现场大屏 ('#/public/contests/ID'), the page on
// the hall's big screen, opened without signing in: the contestant on
// stage with each judge's total as it arrives and, once every judge has
// scored, the stage score (trimmed mean: the highest and the lowest
// dropped); below, the standings so far with totals, ranks and awards. It
// asks GET /api/v1/public/contests/ID/screen every two seconds.
import { h } from '../../ui/dom.js';
import { getJSON } from '../../api.js';
import { loading, errorAlert } from '../../ui/notice.js';

const POLL = 2000; // ms
const num = (v) => (v == null ? '—' : String(v));

export async function render(main, { params, signal, setTitle }) {
  setTitle('擂台比武');
  const id = Number(params[0]);
  const box = h('div', { class: 'contest-screen' }, loading());
  main.append(box);
  const draw = (s) => {
    setTitle(`${s.name} · 现场大屏`);
    const cur = s.current;
    const stage = cur
      ? h('section', { class: 'screen-current', 'aria-label': '当前选手' },
        h('h2', {}, `${cur.seq} 号选手 ${cur.name}`), h('p', { class: 'screen-unit' }, cur.unit_name),
        h('ol', { class: 'screen-judges' }, ...cur.judges.map((j) => h('li', { class: j.total == null ? 'waiting' : 'scored' },
          h('span', { class: 'screen-judge' }, j.name), h('strong', { class: 'screen-total' }, j.total == null ? '待评' : String(j.total))))),
        h('p', { class: 'screen-stage' }, cur.stage_score == null
          ? `已评 ${cur.judges.filter((j) => j.total != null).length} / ${cur.judges_expected}`
          : h('span', {}, '现场得分 ', h('strong', {}, String(cur.stage_score)), '（去掉一个最高分和一个最低分）')))
      : h('p', { class: 'screen-current notice' }, '比武即将开始');
    const standings = s.standings.length
      ? h('table', { class: 'table screen-standings' },
        h('thead', {}, h('tr', {}, ...['名次', '选手', '单位', '现场比武', '实地察看', '总分', '奖项'].map((t) => h('th', {}, t)))),
        h('tbody', {}, ...[...s.standings].sort((a, b) => (a.rank || 1e9) - (b.rank || 1e9) || a.seq - b.seq).map((r) => h('tr', {},
          h('td', {}, r.rank ? String(r.rank) : '—'), h('td', {}, r.name), h('td', {}, r.unit_name), h('td', {}, num(r.stage_score)),
          h('td', {}, num(r.site_score)), h('td', {}, num(r.total)), h('td', {}, r.award ?? '—')))))
      : '';
    box.replaceChildren(h('h1', {}, s.name), h('p', { class: 'hint' }, `${s.year} 年 · ${s.unit_name}`), stage,
      s.standings.length ? h('h2', {}, '成绩榜') : '', standings);
  };
  let first = true;
  const poll = async () => {
    if (signal.aborted) return;
    try {
      draw(await getJSON(`/api/v1/public/contests/${id}/screen`, { signal, auth: false }));
    } catch (error) {
      if (signal.aborted) return;
      if (first) {
        box.replaceChildren(errorAlert(error));
        return;
      }
    }
    first = false;
    if (!signal.aborted) setTimeout(poll, POLL);
  };
  poll();
}
