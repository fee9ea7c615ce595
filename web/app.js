// app.js — boots the shell: the menu from the navigation table, the router,
// and the status line.
import { NAV } from './nav.js';
import { setupMenu } from './menu.js';
import { startRouter } from './router.js';
import { showStatus } from './status.js';

const menu = setupMenu(document.querySelector('.menu-button'), document.getElementById('app-nav'), NAV);
startRouter({ main: document.getElementById('main'), onRoute: (row) => menu.setCurrent(row) });
showStatus(document.getElementById('status'));
