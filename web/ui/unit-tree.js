// unit-tree.js — 逐级选择, the unit picker's walk down the tree for whoever
// does not know the name: the top (the reader's scope unit, or the
// provinces), then the units below the one opened, level by level, with a
// trail back up. A unit's name chooses it; “下级” opens it.
import { h } from './dom.js';
import { uniqueId } from './form.js';

// source: unit-source.js; canChoose(unit) / canOpen(unit): what a row
// offers; onChoose(unit) gets the unit with its ancestors when known.
export function unitTree({ source, canChoose, canOpen, onChoose, signal }) {
  const trail = []; // the units opened, from the top down
  const crumbs = h('ol', {});
  const status = h('p', { class: 'unit-tree-status muted', role: 'status' });
  const list = h('ul', { class: 'unit-tree-list' });
  const node = h('div', { id: uniqueId('unit-tree'), class: 'unit-tree', role: 'group', 'aria-label': '逐级选择单位', hidden: true },
    h('nav', { class: 'unit-tree-trail', 'aria-label': '已打开的单位' }, crumbs), status, list);
  let pending = null;
  let started = false;

  // The names above a unit listed now: those of the top unit, if known,
  // then the trail's.
  const above = () => (trail.length === 0 ? [] : trail[0].ancestors === null ? null
    : [...trail[0].ancestors, ...trail.map((u) => u.name)]);

  function drawTrail() {
    const top = trail.length === 0 ? h('li', { 'aria-current': 'location' }, '全部')
      : h('li', {}, h('button', { type: 'button', class: 'link-button' }, '全部'));
    top.querySelector('button')?.addEventListener('click', () => show(0, true));
    crumbs.replaceChildren(top, ...trail.map((unit, i) => {
      if (i === trail.length - 1) return h('li', { 'aria-current': 'location' }, unit.name);
      const back = h('button', { type: 'button', class: 'link-button' }, unit.name);
      back.addEventListener('click', () => show(i + 1, true));
      return h('li', {}, back);
    }));
  }

  function row(unit, ancestors) {
    const withPath = { ...unit, ancestors: unit.ancestors ?? ancestors };
    const name = canChoose(unit)
      ? h('button', { type: 'button', class: 'unit-tree-choose', title: `选择“${unit.name}”` }, unit.name)
      : h('span', { class: 'unit-tree-name' }, unit.name);
    name.addEventListener('click', () => onChoose(withPath));
    const open = canOpen(unit)
      ? h('button', { type: 'button', class: 'button small unit-tree-open', 'aria-label': `打开“${unit.name}”的下级单位` }, '下级 ›')
      : null;
    open?.addEventListener('click', () => {
      trail.push(withPath);
      show(trail.length, true);
    });
    return h('li', { class: 'unit-tree-row', 'data-code': unit.code }, name, open);
  }

  // Shows the units below the first `depth` units of the trail (the top
  // when 0); focus moves into the list when the reader asked for it.
  async function show(depth, focus) {
    trail.length = depth;
    drawTrail();
    list.replaceChildren();
    status.textContent = '正在加载…';
    pending?.abort();
    const controller = new AbortController();
    pending = controller;
    signal?.addEventListener('abort', () => controller.abort(), { once: true });
    try {
      const units = depth === 0 ? await source.roots({ signal: controller.signal })
        : await source.children(trail[depth - 1], { signal: controller.signal });
      if (controller.signal.aborted) return;
      const ancestors = above();
      status.textContent = units.length ? '' : '没有下级单位';
      list.replaceChildren(...units.map((unit) => row(unit, ancestors)));
      if (focus) (list.querySelector('button') ?? crumbs.querySelector('button'))?.focus();
    } catch (error) {
      if (controller.signal.aborted) return;
      status.textContent = error.message;
    }
  }

  return {
    node,
    get open() {
      return !node.hidden;
    },
    show(focus) {
      node.hidden = false;
      if (!started) {
        started = true;
        show(0, focus);
      } else if (focus) {
        list.querySelector('button')?.focus();
      }
    },
    hide() {
      node.hidden = true;
    },
  };
}
