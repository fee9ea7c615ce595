// schemes.js — 创建标准 ('#/schemes', '#/schemes/CODE'): the "五星"支部
// 创建 schemes (GET /api/v1/schemes) — which units and year each applies
// to, its stars with their pass score, the prerequisite star (前置星), and
// per star the indicators (考评细则: kind, formula, maximum score, guide)
// and the vetoes (一票否决). The schemes are data (schemes/*.json); this
// page only shows them. Without a code it shows this year's village scheme.
import { h } from '../ui/dom.js';
import { techToggle } from '../ui/tech.js';
import { loading, errorAlert, empty } from '../ui/notice.js';
import { kindLabel as unitKindLabel } from '../labels.js';
import { loadSchemes, chosenScheme, kindLabel, scoreText } from './ratings/common.js';

export async function render(main, { params, signal, setTitle }) {
  main.append(h('header', { class: 'card page-header' },
    h('div', { class: 'section-head' }, h('h1', {}, '创建标准'), techToggle()),
    h('p', { class: 'muted' }, '“五星”支部创建的考评细则：每颗星的指标、分值、达标分和一票否决项，按年度和单位类别分别制定。')));
  const body = h('div', {}, loading());
  main.append(body);
  let list;
  try {
    list = await loadSchemes();
  } catch (error) {
    if (signal.aborted) return;
    body.replaceChildren(errorAlert(error));
    return;
  }
  if (signal.aborted) return;
  if (list.length === 0) {
    body.replaceChildren(empty('还没有创建标准。'));
    return;
  }
  const scheme = chosenScheme(list, params[0]);
  if (params[0] && scheme.code !== params[0]) {
    body.replaceChildren(errorAlert(new Error(`没有代码为 ${params[0]} 的创建标准`)), schemeLinks(list, null));
    return;
  }
  setTitle(scheme.name);
  body.replaceChildren(schemeLinks(list, scheme.code), schemeView(scheme));
}

// One link per scheme, the one showing marked.
function schemeLinks(list, current) {
  return h('nav', { class: 'card scheme-links', 'aria-label': '创建标准' },
    h('ul', {}, list.map((s) => h('li', {},
      h('a', { href: `#/schemes/${encodeURIComponent(s.code)}`, 'aria-current': s.code === current ? 'page' : null },
        `${s.year} 年 · ${s.name}`)))));
}

function schemeView(scheme) {
  const applies = (scheme.applies_to ?? []).map(unitKindLabel).join('、');
  const prerequisite = scheme.categories.find((c) => c.code === scheme.prerequisite);
  return h('div', { class: 'scheme' },
    h('section', { class: 'card', 'aria-labelledby': 'scheme-title' },
      h('h2', { id: 'scheme-title', class: 'scheme-title' }, scheme.name),
      h('p', { class: 'user-meta' },
        h('span', {}, `${scheme.year} 年度`),
        applies ? h('span', {}, `适用于：${applies}`) : null,
        h('span', {}, `共 ${scheme.categories.length} 颗星`),
        h('span', { class: 'code tech' }, scheme.code)),
      prerequisite ? h('p', { class: 'scheme-rule' },
        `${prerequisite.name}为前置星：未获得${prerequisite.name}时，其他各星均不计。`) : null,
      h('p', { class: 'scheme-rule' }, '每颗星的得分达到达标分、且没有触发一票否决项时，即获得该星。'),
      scheme.source ? h('details', { class: 'scheme-source' },
        h('summary', {}, '依据'), h('p', {}, scheme.source)) : null),
    scheme.categories.map((star) => starSection(star, star.code === scheme.prerequisite)));
}

function starSection(star, isPrerequisite) {
  const id = `star-${star.code}`;
  return h('section', { class: 'card scheme-star', 'aria-labelledby': id, 'data-star': star.code },
    h('div', { class: 'section-head' },
      h('h2', { id }, '★ ', star.name, isPrerequisite ? h('span', { class: 'tag tag-prerequisite' }, '前置星') : null),
      h('span', { class: 'muted' }, `满分 ${scoreText(star.max_score)} 分，达标分 ${scoreText(star.pass_score)} 分`)),
    h('ol', { class: 'criteria-list' }, star.indicators.map((ind) => h('li', { class: 'criterion', 'data-code': ind.code },
      h('div', { class: 'criterion-head' },
        h('span', { class: 'criterion-name' }, ind.name),
        h('span', { class: `tag tag-kind kind-${ind.kind}` }, kindLabel(ind.kind)),
        h('span', { class: 'criterion-max' }, `${scoreText(ind.max)} 分`)),
      ind.formula ? h('p', { class: 'criterion-formula tech' }, '计算公式：', h('code', { class: 'formula' }, ind.formula)) : null,
      ind.guide ? h('p', { class: 'criterion-guide' }, ind.guide) : null))),
    star.vetoes?.length ? [
      h('h3', { class: 'veto-title' }, '一票否决'),
      h('ul', { class: 'criteria-list veto-list' }, star.vetoes.map((veto) => h('li', { class: 'criterion', 'data-code': veto.code },
        h('div', { class: 'criterion-head' },
          h('span', { class: 'criterion-name' }, veto.name),
          h('span', { class: `tag tag-kind kind-${veto.kind}` }, kindLabel(veto.kind))),
        veto.formula ? h('p', { class: 'criterion-formula tech' }, '触发条件：', h('code', { class: 'formula' }, veto.formula)) : null,
        veto.guide ? h('p', { class: 'criterion-guide' }, veto.guide) : null))),
    ] : null);
}
