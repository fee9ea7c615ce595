// dialog.js — a modal form in a <dialog>: title, fields, 取消 and a submit
// button. The browser keeps focus inside and Escape closes it; on closing,
// focus returns to returnFocus() (the button that opened it, or its
// replacement when the list item was redrawn). It also closes when the
// page's signal aborts (the reader went elsewhere).
import { h } from './dom.js';
import { uniqueId, submitForm, checkRequired } from './form.js';

// onSubmit(form) does the work and resolves (false to stay open); errors
// show in the form (see form.js). required: [[name, message], …].
export function openDialog({ title, intro = null, fields, submitText, busyText, onSubmit,
  required = [], returnFocus, signal, danger = false }) {
  const titleId = uniqueId('dialog-title');
  const alertBox = h('div', { class: 'form-alert' });
  const submit = h('button', { type: 'submit', class: danger ? 'button danger' : 'button primary' }, submitText);
  const cancel = h('button', { type: 'button', class: 'button' }, '取消');
  const form = h('form', { class: 'dialog-form', novalidate: true },
    h('h2', { id: titleId }, title),
    intro ? h('p', { class: 'dialog-intro' }, intro) : null,
    alertBox,
    fields,
    h('div', { class: 'dialog-actions' }, cancel, submit));
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId }, form);

  const close = () => dialog.open && dialog.close();
  cancel.addEventListener('click', close);
  signal?.addEventListener('abort', close);
  dialog.addEventListener('close', () => {
    dialog.remove();
    const target = returnFocus?.();
    if (target?.isConnected) target.focus();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    const ok = await submitForm(form, {
      button: submit,
      alertBox,
      busyText,
      action: () => checkRequired(form, required) && onSubmit(form),
    });
    if (ok) close();
  });

  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

// Asks before an irreversible step (the kind file's `confirm` question,
// e.g. 提交自评, 销号): the question, 取消 and the step's own button.
// onConfirm() does the step; its failure shows in the dialog.
export function confirmDialog({ title, question, submitText, onConfirm, returnFocus, signal, danger = false }) {
  return openDialog({
    title,
    intro: question,
    fields: [],
    submitText,
    busyText: '正在提交…',
    returnFocus,
    signal,
    danger,
    onSubmit: () => onConfirm(),
  });
}
