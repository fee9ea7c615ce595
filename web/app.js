// app.js — boots the shell: asks who is signed in, then starts the menu
// from the navigation table (the rows the user may open), the header's
// user box, the router and the status line. Signed out, the shell shows
// only the login page and the residents' pages (body.signed-out).
import { menuRows } from './nav.js';
import { setupMenu } from './menu.js';
import { setupUserBox } from './user-box.js';
import { startRouter } from './router.js';
import { showStatus } from './status.js';
import { currentUser, loadSession, logout, mustChangePassword, onSessionChange } from './session.js';
import { h } from './ui/dom.js';
import { showsTech } from './ui/tech.js';
import { loading, errorAlert } from './ui/notice.js';
import { startOffline } from './offline/register.js';

const main = document.getElementById('main');
const menu = setupMenu(document.querySelector('.menu-button'), document.getElementById('app-nav'));
const userBox = setupUserBox(document.getElementById('user-box'), {
  async onLogout() {
    try {
      await logout();
    } catch (error) {
      main.prepend(errorAlert(new Error(`退出登录失败：${error.message}`)));
      return;
    }
    location.replace('#/login');
  },
});

function applySession(user) {
  document.body.classList.toggle('signed-out', !user);
  // Until a password someone else set is changed, the menu stays empty.
  menu.setRows(user && !mustChangePassword() ? menuRows() : []);
  document.body.classList.toggle('show-tech', Boolean(user) && showsTech()); // formulas and codes
  userBox.show(user);
}

async function boot() {
  main.replaceChildren(loading());
  try {
    await loadSession();
  } catch (error) {
    // Not a 401 but no answer at all: offer to try again.
    const retry = h('button', { type: 'button', class: 'button' }, '重试');
    retry.addEventListener('click', boot);
    main.replaceChildren(errorAlert(error), retry);
    return;
  }
  applySession(currentUser());
  onSessionChange(applySession);
  startOffline(); // service worker and outbox (offline/)
  startRouter({ main, onRoute: (row) => menu.setCurrent(row) });
}

showStatus(document.getElementById('status'));
boot();
