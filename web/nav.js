// nav.js — the application's pages, one row each, in menu order.
//
// A row is {path, label, icon, perm, view}: the menu shows label and icon,
// and the router sends '#<path>' and '#<path>/…' to the render() of the
// module that view() loads (see router.js). perm, when set, is the
// permission a user needs to see the row in the menu and open its pages.
// A row with hidden: true opens but is not in the menu (the bell leads
// there); one with unless: PERM is left out of the menu of those who have
// PERM (我的档案 is the menu of a 党员, not of the staff who see everyone's). A row with public: true is for residents: it opens without signing in
// (and signed in too) and is not in the staff menu.
// Adding a feature is adding its row here.
import { hasPerm } from './session.js';

export const NAV = [
  // First for a grid worker: their landing page, usable offline. Those who
  // manage users hold field:desk too (a role hands out only permissions it
  // has) but keep 工作台 as theirs: unless users:manage.
  { path: '/field', label: '网格工作台', icon: 'icons/desk.svg', perm: 'field:desk', unless: 'users:manage', view: () => import('./views/field/field.js') },
  { path: '/desk', label: '工作台', icon: 'icons/desk.svg', view: () => import('./views/desk.js') },
  { path: '/notices', label: '通知公告', icon: 'icons/notices.svg', view: () => import('./views/notices.js') },
  { path: '/notifications', label: '消息通知', hidden: true, view: () => import('./views/notifications.js') },
  { path: '/password', label: '修改密码', hidden: true, view: () => import('./views/password.js') },
  { path: '/units', label: '组织体系', icon: 'icons/units.svg', perm: 'units:read', view: () => import('./views/units.js') },
  { path: '/items', label: '台账事项', icon: 'icons/items.svg', perm: 'items:read', view: () => import('./views/items.js') },
  { path: '/dispatch', label: '周交办', icon: 'icons/items.svg', perm: 'items:dispatch', view: () => import('./views/dispatch.js') },
  { path: '/review', label: '月讲评', icon: 'icons/review.svg', perm: 'items:read', view: () => import('./views/review.js') },
  { path: '/ratings', label: '五星创建', icon: 'icons/review.svg', perm: 'ratings:read', view: () => import('./views/ratings.js') },
  { path: '/pairings', label: '支部联建', icon: 'icons/units.svg', perm: 'ratings:read', view: () => import('./views/pairings.js') },
  { path: '/schemes', label: '创建标准', icon: 'icons/elements.svg', perm: 'ratings:read', view: () => import('./views/schemes.js') },
  { path: '/party', label: '党员管理', icon: 'icons/users.svg', perm: 'persons:read', view: () => import('./views/party.js') },
  { path: '/persons', label: '人员档案', hidden: true, perm: 'persons:read', view: () => import('./views/people/person.js') },
  { path: '/households', label: '一户一档', icon: 'icons/units.svg', perm: 'persons:read', view: () => import('./views/people/household.js') },
  { path: '/mine', label: '我的档案', icon: 'icons/users.svg', perm: 'persons:self', unless: 'persons:read', view: () => import('./views/people/mine.js') },
  { path: '/evaluations', label: '述职评议', icon: 'icons/review.svg', perm: 'persons:read', view: () => import('./views/evaluations.js') },
  { path: '/contests', label: '擂台比武', icon: 'icons/review.svg', perm: 'persons:read', view: () => import('./views/contests.js') },
  { path: '/grids', label: '网格管理', icon: 'icons/units.svg', perm: 'persons:read', view: () => import('./views/grids/grids.js') },
  { path: '/visit', label: '走访', icon: 'icons/users.svg', perm: 'persons:write', view: () => import('./views/grids/visit.js') },
  { path: '/contacts', label: '包联', icon: 'icons/review.svg', perm: 'persons:read', view: () => import('./views/grids/contacts.js') },
  { path: '/health', label: '健康服务', icon: 'icons/users.svg', perm: 'persons:read', view: () => import('./views/health.js') },
  { path: '/inspections', label: '双随机', icon: 'icons/review.svg', perm: 'inspections:read', view: () => import('./views/inspections.js') },
  { path: '/share', label: '共享小区', icon: 'icons/users.svg', perm: 'persons:read', view: () => import('./views/share.js') },
  { path: '/community', label: '心愿与议事', icon: 'icons/items.svg', perm: 'items:read', view: () => import('./views/community.js') },
  { path: '/volunteers', label: '志愿服务', icon: 'icons/users.svg', perm: 'persons:read', view: () => import('./views/volunteers.js') },
  { path: '/cadres', label: '干部队伍', icon: 'icons/users.svg', perm: 'persons:read', view: () => import('./views/cadres.js') },
  { path: '/projects', label: '重点项目', icon: 'icons/analytics.svg', perm: 'data:read', view: () => import('./views/projects.js') },
  { path: '/entry', label: '数据填报', icon: 'icons/entry.svg', perm: 'data:write', view: () => import('./views/entry.js') },
  { path: '/analytics', label: '统计分析', icon: 'icons/analytics.svg', perm: 'data:read', view: () => import('./views/analytics.js') },
  { path: '/elements', label: '数据元', icon: 'icons/elements.svg', perm: 'data:read', view: () => import('./views/elements.js') },
  { path: '/divisions', label: '区划调整', icon: 'icons/units.svg', perm: 'units:write', view: () => import('./views/divisions.js') },
  { path: '/users', label: '用户管理', icon: 'icons/users.svg', perm: 'users:manage', view: () => import('./views/users.js') },
  { path: '/audit', label: '操作日志', icon: 'icons/audit.svg', perm: 'audit:read', view: () => import('./views/audit.js') },
  { path: '/request', label: '提交诉求', public: true, view: () => import('./views/public/request.js') },
  { path: '/track', label: '查询进度', public: true, view: () => import('./views/public/track.js') },
  { path: '/public/ratings', label: '五星支部公示', public: true, view: () => import('./views/public/ratings.js') },
  { path: '/ballot', label: '无记名评议', public: true, view: () => import('./views/public/ballot.js') },
  { path: '/public/inspections', label: '双随机抽查公示', public: true, view: () => import('./views/public/inspections.js') },
  { path: '/judge', label: '评委打分', public: true, view: () => import('./views/public/judge.js') },
  { path: '/public/contests', label: '擂台比武现场大屏', public: true, view: () => import('./views/public/contest-screen.js') },
  { path: '/public/evaluations', label: '评议结果公示', public: true, view: () => import('./views/public/evaluation.js') },
  { path: '/wishes', label: '微心愿', public: true, view: () => import('./views/public/wishes.js') },
  { path: '/deliberations', label: '议事公开', public: true, view: () => import('./views/public/deliberations.js') },
  { path: '/public/share', label: '共享小区', public: true, view: () => import('./views/public/share.js') },
  { path: '/public/microprojects', label: '微项目公开', public: true, view: () => import('./views/public/microprojects.js') },
];

// The rows of the staff menu: those the signed-in user may open, without
// the residents' pages.
export const menuRows = () => NAV.filter((row) => !row.public && !row.hidden && hasPerm(row.perm)
  && !(row.unless && hasPerm(row.unless)));

// The login page: the one page open before signing in, not in the menu.
export const LOGIN = { path: '/login', label: '登录', view: () => import('./views/login.js') };

// The first page the signed-in user may open ('' and '#/' lead there), or
// null when their role opens none.
export const homePath = () => menuRows()[0]?.path ?? null;
