// forbidden.js — the page for an address the user's role may not open
// (or '#/' for a role that opens no page at all).
import { h } from '../ui/dom.js';

export function render(main, { home }) {
  main.append(
    h('section', { class: 'card' },
      h('h1', {}, '无权访问'),
      h('p', {}, home
        ? '您的账号没有打开此页面的权限。如需开通，请联系上级管理员。'
        : '您的账号尚未开通任何功能。如需开通，请联系上级管理员。'),
      home ? h('p', {}, h('a', { href: '#' + home }, '返回首页')) : null));
}
