// menu.js — the navigation menu built from NAV rows (those the signed-in
// user may open). On narrow screens it folds behind the menu button
// (style.css hides .app-nav unless .open).
import { h } from './ui/dom.js';

export function setupMenu(button, nav) {
  let rows = [];
  let links = [];
  const list = h('ul');
  nav.append(list);

  const isOpen = () => button.getAttribute('aria-expanded') === 'true';
  function setOpen(open) {
    button.setAttribute('aria-expanded', String(open));
    nav.classList.toggle('open', open);
  }

  button.addEventListener('click', () => setOpen(!isOpen()));
  nav.addEventListener('click', (event) => {
    if (event.target.closest('a')) setOpen(false);
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && isOpen()) {
      setOpen(false);
      button.focus();
    }
  });

  return {
    // Shows these rows (after signing in or out).
    setRows(next) {
      rows = next;
      links = rows.map((row) =>
        h('a', { href: '#' + row.path },
          // Icons are named relative to web/: resolved from here, they load
          // from the versioned, cached-for-ever address the modules came from.
          row.icon ? h('img', { src: new URL(row.icon, import.meta.url).href, alt: '', width: 20, height: 20 }) : null,
          row.label));
      list.replaceChildren(...links.map((link) => h('li', {}, link)));
      setOpen(false);
    },
    // Marks the link of the page showing (row null: none) and closes the menu.
    setCurrent(row) {
      links.forEach((link, i) => {
        if (rows[i] === row) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
      });
      setOpen(false);
    },
  };
}
