// common.js — what the work-item pages share: the types with their state
// machines (GET /api/v1/item-types, fetched once per page load), and how an
// item's priority, rating (ui/stars.js) and deadline read.
import { h } from '../../ui/dom.js';
import { getJSON } from '../../api.js';

let types = null;

// Resolves to [{code, name, states, transitions, categories}].
export async function loadTypes() {
  types ??= getJSON('/api/v1/item-types').then((r) => r.items);
  try {
    return await types;
  } catch (error) {
    types = null; // a lost connection: the next page asks again
    throw error;
  }
}

export const PRIORITIES = [
  { value: '1', label: '紧急' },
  { value: '2', label: '一般' },
  { value: '3', label: '较低' },
];
export const priorityLabel = (p) => PRIORITIES.find((o) => o.value === String(p))?.label ?? String(p ?? '');

export { stars } from '../../ui/stars.js';

// The deadline, and 超期 when the item is overdue.
export function deadlineText(item, prefix = '期限 ') {
  return h('span', { class: 'deadline' },
    item.deadline ? `${prefix}${item.deadline}` : '无期限',
    item.overdue ? h('span', { class: 'tag tag-overdue' }, '超期') : null);
}

export const stateTag = (item) =>
  h('span', { class: item.final ? 'tag tag-final' : 'tag tag-level' }, item.state_label ?? item.state);
