// not-found.js — the page for an address no row of the navigation table owns.
import { h } from '../ui/dom.js';

export function render(main) {
  main.append(
    h('section', { class: 'card' },
      h('h1', {}, '页面不存在'),
      h('p', {}, '没有与此地址对应的页面，可能是链接有误或该功能尚未开放。'),
      h('p', {}, h('a', { href: '#/' }, '返回首页'))));
}
