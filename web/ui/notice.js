// notice.js — the messages a page shows instead of content: loading,
// nothing found, and errors (role="alert", so screen readers announce them).
import { h } from './dom.js';

export const loading = (text = '正在加载…') => h('p', { class: 'notice', role: 'status' }, text);

export const empty = (text) => h('p', { class: 'notice empty' }, text);

export const errorAlert = (error) => h('div', { class: 'alert', role: 'alert' }, error.message);
