// common.js — what the residents' pages (提交诉求, 查询进度, 五星支部公示)
// share: the links between them, and to the staff login when nobody is
// signed in.
import { h } from '../../ui/dom.js';
import { currentUser } from '../../session.js';

// The links below a residents' page; `here` ('request', 'track',
// 'ratings', 'wishes', 'deliberations', 'share' or 'microprojects') is left out.
export function publicLinks(here) {
  const links = [
    here !== 'request' ? h('a', { href: '#/request' }, '提交新的诉求') : null,
    here !== 'track' ? h('a', { href: '#/track' }, '已提交过？查询办理进度') : null,
    here !== 'ratings' ? h('a', { href: '#/public/ratings' }, '五星支部公示') : null,
    here !== 'inspections' ? h('a', { href: '#/public/inspections' }, '双随机抽查公示') : null,
    here !== 'wishes' ? h('a', { href: '#/wishes' }, '微心愿') : null,
    here !== 'deliberations' ? h('a', { href: '#/deliberations' }, '议事公开') : null,
    here !== 'share' ? h('a', { href: '#/public/share' }, '共享小区') : null,
    here !== 'microprojects' ? h('a', { href: '#/public/microprojects' }, '微项目公开') : null,
    currentUser() ? null : h('a', { href: '#/login' }, '工作人员登录'),
  ].filter(Boolean);
  return h('nav', { class: 'public-links', 'aria-label': '群众服务' }, links);
}
