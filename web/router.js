// router.js — hash routing driven by the navigation table (nav.js).
//
// '#/units/411121?q=村' runs the view of the row whose path is '/units' with
// params ['411121'] and query q=村. A view module exports
// render(main, {params, query, signal, setTitle}); `signal` aborts when the
// reader moves on, so a slow answer never lands on the next page.
//
// Before signing in every address leads to the login page, which then
// returns to it ('#/login?next=…'), except the residents' pages (rows with
// public: true), which open either way; a row whose permission the user
// lacks shows "无权访问".
import { NAV, LOGIN, homePath } from './nav.js';
import { currentUser, hasPerm, loginHref, mustChangePassword, passwordHref, safeNext } from './session.js';
import * as notFound from './views/not-found.js';
import * as forbidden from './views/forbidden.js';
import { errorAlert } from './ui/notice.js';

const APP_NAME = '基层治理平台';

// Splits a location hash into decoded path segments and the query; segments
// is null when the address is not valid percent-encoding.
export function parseHash(hash) {
  const raw = hash.replace(/^#/, '');
  const mark = raw.indexOf('?');
  const path = mark < 0 ? raw : raw.slice(0, mark);
  const query = new URLSearchParams(mark < 0 ? '' : raw.slice(mark + 1));
  try {
    return { segments: path.split('/').filter(Boolean).map(decodeURIComponent), query };
  } catch {
    return { segments: null, query };
  }
}

// The NAV (or login) row owning these segments, with the segments left
// over as params.
function matchRoute(segments) {
  for (const row of [...NAV, LOGIN]) {
    const prefix = row.path.split('/').filter(Boolean);
    if (prefix.every((s, i) => segments[i] === s)) return { row, params: segments.slice(prefix.length) };
  }
  return null;
}

function setTitle(text) {
  document.title = text ? `${text} · ${APP_NAME}` : APP_NAME;
}

// Loads the view module, reporting a failed download (e.g. a lost
// connection) on the page instead of leaving it blank.
async function loadView(row) {
  try {
    return await row.view();
  } catch {
    return { render: (main) => main.append(errorAlert(new Error('页面加载失败，请检查网络后刷新重试'))) };
  }
}

// Renders the current hash into `main` now and on every change; onRoute(row)
// hears which NAV row (or null) is showing.
export function startRouter({ main, onRoute }) {
  let controller = null;
  let firstRender = true;

  async function show() {
    const { segments, query } = parseHash(location.hash);
    const match = segments && matchRoute(segments);
    const onLogin = match?.row === LOGIN;
    const isPublic = Boolean(match?.row.public);
    if (!currentUser() && !onLogin && !isPublic) {
      location.replace(loginHref(location.hash.replace(/^#/, '')));
      return;
    }
    // A password someone else set opens nothing but 修改密码 (and the
    // residents' pages) until the user has chosen their own.
    if (mustChangePassword() && match?.row.path !== '/password' && !isPublic) {
      location.replace(passwordHref(onLogin ? safeNext(query.get('next')) : location.hash.replace(/^#/, '')));
      return;
    }
    if (currentUser() && onLogin) {
      location.replace('#' + (safeNext(query.get('next')) ?? homePath() ?? '/'));
      return;
    }
    const home = homePath();
    if (segments && segments.length === 0 && home) {
      location.replace('#' + home); // '' and '#/' open the first page
      return;
    }
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    // '#/' for a role that opens no page at all is "无权访问" too.
    const allowed = match ? onLogin || isPublic || hasPerm(match.row.perm) : segments?.length !== 0;
    onRoute(match && allowed ? match.row : null);
    setTitle(!allowed ? '无权访问' : match ? match.row.label : '页面不存在');
    const view = !allowed ? forbidden : match ? await loadView(match.row) : notFound;
    if (signal.aborted) return;
    main.replaceChildren();
    if (!firstRender) {
      // Start keyboard and screen-reader users at the new content.
      window.scrollTo(0, 0);
      main.focus({ preventScroll: true });
    }
    firstRender = false;
    view.render(main, { params: match ? match.params : [], query, signal, setTitle, home });
  }

  window.addEventListener('hashchange', show);
  show();
}
