// dom.js — builds elements without parsing HTML, so text from the server
// can never become markup.
//
//   h('a', { href: '#/units/41', class: 'unit-link' }, '河南省')
//
// Attributes whose value is null, undefined or false are left out; true
// sets an empty attribute. Children are nodes or strings (set as text),
// arrays of them, or null (skipped).
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined));
  return element;
}
