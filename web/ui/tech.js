// tech.js — formulas and codes behind a toggle. Data elements, indicators,
// five-star criteria and the analytics carry formula text (#{doctor.contracts}
// / #{population}) and codes that administrators work with and most others
// never need: anything marked with the class "tech" shows only while the
// body has "show-tech". Administrators (admin, county_admin) see them by
// default, everyone else names first; the 显示公式和代码 button on each page
// that has them switches, and the choice is kept in this browser.
import { h } from './dom.js';
import { currentUser } from '../session.js';

const KEY = 'jiceng.showTech';
const TECHNICAL_ROLES = new Set(['admin', 'county_admin']);

function stored() {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null; // storage refused (private mode): the role decides
  }
}

export function showsTech() {
  const kept = stored();
  if (kept === '1' || kept === '0') return kept === '1';
  return TECHNICAL_ROLES.has(currentUser()?.role);
}

function apply(on) {
  document.body.classList.toggle('show-tech', on);
}

// Wraps formula text as code that the toggle hides: h(…, techCode(f)).
export const techCode = (text, prefix = null) =>
  h('span', { class: 'tech' }, prefix, h('code', { class: 'formula' }, text));

// The page's 显示公式和代码 switch (aria-pressed); sets the body's state now.
export function techToggle() {
  const button = h('button', { type: 'button', class: 'button small tech-toggle' });
  const draw = (on) => {
    apply(on);
    button.setAttribute('aria-pressed', String(on));
    button.textContent = on ? '隐藏公式和代码' : '显示公式和代码';
  };
  draw(showsTech());
  button.addEventListener('click', () => {
    const on = !document.body.classList.contains('show-tech');
    try {
      localStorage.setItem(KEY, on ? '1' : '0');
    } catch {
      // kept for this page only
    }
    draw(on);
  });
  return button;
}
