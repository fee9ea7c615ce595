// item-note.js — 记录进展 on a request or hazard from 网格工作台, offline or
// not: the note goes through the outbox as POST /api/v1/items/ID/comments
// with the version the worker's copy has (base_version). When the item was
// handled since (a step or another note), the server answers 409 with the
// item as it is now and the outbox list shows both (outbox-list.js): the
// worker's note never lands silently on a state they did not see.
import { h } from '../../ui/dom.js';
import { field } from '../../ui/form.js';
import { errorAlert } from '../../ui/notice.js';
import { enqueue } from '../../offline/outbox.js';

const NOTE_MAX = 2000;

// The last note on a timeline (what the worker's copy said last), or ''.
const lastNote = (x) => [...(x.timeline ?? [])].reverse().find((e) => e.note)?.note ?? '';

export function itemItem(x) {
  const edit = h('button', { class: 'button small', type: 'button' }, '记录进展');
  const form = h('form', { class: 'stack item-note', hidden: true },
    field('进展情况', h('textarea', { name: 'note', class: 'input', rows: 3, maxlength: NOTE_MAX, required: true })),
    h('div', { class: 'actions' }, h('button', { class: 'button primary', type: 'submit' }, '保存进展'),
      h('button', { class: 'button', type: 'button', 'data-cancel': '' }, '取消')));
  const status = h('p', { class: 'muted', role: 'status' });
  edit.addEventListener('click', () => { form.hidden = !form.hidden; });
  form.querySelector('[data-cancel]').addEventListener('click', () => { form.hidden = true; });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.querySelector('.alert')?.remove();
    const note = form.elements.note.value.trim();
    if (!note) {
      form.append(errorAlert(new Error('请填写进展情况')));
      return;
    }
    await enqueue({
      kind: 'item-note', label: `${x.type_name}进展：${x.title}`, method: 'POST',
      url: `/api/v1/items/${encodeURIComponent(x.id)}/comments`,
      body: { note, base_version: x.version },
      base: { state_label: x.state_label, version: x.version, note: lastNote(x) },
    });
    form.reset();
    form.hidden = true;
    status.textContent = '进展已保存在手机上，见上方同步状态。';
  });
  return h('li', { 'data-item': x.id },
    h('a', { href: `#/items/${x.id}` }, x.title), h('span', { class: 'muted' }, ` ${x.type_name} · ${x.state_label}`),
    ' ', edit, form, status);
}
