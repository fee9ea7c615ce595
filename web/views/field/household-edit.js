// household-edit.js — 修改 a household from 网格工作台, offline or not: the
// change goes through the outbox as PATCH /api/v1/households/ID with the
// version the worker's copy has (base_version). When someone changed the
// household since, the server answers 409 with its current copy and the
// outbox list shows both (outbox-list.js), never overwriting silently.
import { h } from '../../ui/dom.js';
import { field, input } from '../../ui/form.js';
import { errorAlert } from '../../ui/notice.js';
import { enqueue } from '../../offline/outbox.js';

export function householdItem(x) {
  const name = x.address || '（无门牌）';
  const edit = h('button', { class: 'button small', type: 'button' }, '修改');
  const form = h('form', { class: 'stack household-edit', hidden: true },
    field('地址', input('address', { value: x.address, maxlength: 200, required: true })),
    h('div', { class: 'actions' }, h('button', { class: 'button primary', type: 'submit' }, '保存修改'),
      h('button', { class: 'button', type: 'button', 'data-cancel': '' }, '取消')));
  const status = h('p', { class: 'muted', role: 'status' });
  edit.addEventListener('click', () => { form.hidden = !form.hidden; });
  form.querySelector('[data-cancel]').addEventListener('click', () => { form.hidden = true; });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.querySelector('.alert')?.remove();
    const address = form.elements.address.value.trim();
    if (!address) {
      form.append(errorAlert(new Error('请填写地址')));
      return;
    }
    await enqueue({
      kind: 'household', label: `修改户：${name} → ${address}`, method: 'PATCH',
      url: `/api/v1/households/${encodeURIComponent(x.id)}`,
      body: { address, base_version: x.version }, base: { address: x.address, version: x.version },
    });
    form.hidden = true;
    status.textContent = '修改已保存在手机上，见上方同步状态。';
  });
  return h('li', { 'data-household': x.id },
    h('a', { href: `#/households/${x.id}` }, name),
    x.head ? h('span', { class: 'muted' }, ` 户主 ${x.head.name}`) : null, ' ', edit, form, status);
}
