// form.js — labelled form fields whose errors show next to them, and the
// submit routine that turns the server's {error: {field, message}} into
// the error of that field (or an alert above the form when it names none).
import { h } from './dom.js';
import { errorAlert } from './notice.js';

let lastId = 0;
export const uniqueId = (prefix) => `${prefix}-${++lastId}`;

// A label, the control, an optional hint and the (hidden) error, tied
// together by for/aria-describedby. `name` is the control's name, which is
// also the API's name for the field.
export function field(label, control, { hint = null } = {}) {
  control.id ||= uniqueId(`f-${control.name}`);
  const hintEl = hint ? h('p', { class: 'field-hint', id: `${control.id}-hint` }, hint) : null;
  const error = h('p', { class: 'field-error', id: `${control.id}-error`, hidden: true });
  control.setAttribute('aria-describedby', [hintEl?.id, error.id].filter(Boolean).join(' '));
  return h('div', { class: 'field', 'data-field': control.name },
    h('label', { for: control.id }, label), control, hintEl, error);
}

// The text input of a field: input('username', {autocomplete: 'username'}).
export const input = (name, attrs = {}) => h('input', { type: 'text', name, class: 'input', ...attrs });

export function select(name, options, value, attrs = {}) {
  return h('select', { name, class: 'input', ...attrs },
    options.map((o) => h('option', { value: o.value, selected: o.value === value }, o.label)));
}

// A number field per input a step accepts (the API's `inputs`:
// [{code, label, min, max, default}]), named by its code.
export const inputFields = (inputs = []) => inputs.map((i) => field(i.label, input(i.code, {
  type: 'number', min: i.min, max: i.max, step: 1, value: i.default, inputmode: 'numeric',
}), { hint: `${i.min} 至 ${i.max}，默认 ${i.default}` }));

// What was typed in those fields, as {code: number}; empty ones are left
// out (the server takes the default) and the server checks the range.
export function inputValues(form, inputs = []) {
  const values = {};
  for (const i of inputs) {
    const text = form.elements[i.code].value.trim();
    if (text !== '') values[i.code] = Number(text);
  }
  return values;
}

// Shows `message` under the field named `name` and focuses its control;
// false when the form has no such field.
export function showFieldError(form, name, message) {
  const wrap = [...form.querySelectorAll('.field')].find((f) => f.dataset.field === name);
  if (!wrap) return false;
  const error = wrap.querySelector('.field-error');
  const control = wrap.querySelector('input, select, textarea');
  error.textContent = message;
  error.hidden = false;
  control.setAttribute('aria-invalid', 'true');
  control.focus();
  return true;
}

export function clearErrors(form, alertBox) {
  for (const error of form.querySelectorAll('.field-error')) {
    error.hidden = true;
    error.textContent = '';
  }
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  alertBox.replaceChildren();
}

// Fields that must not be empty: [[name, message], …]. Shows the first
// missing one's message and returns false.
export function checkRequired(form, required) {
  for (const [name, message] of required) {
    if (!form.elements[name].value.trim()) return !showFieldError(form, name, message);
  }
  return true;
}

// Runs action() for a submitted form: the button is busy meanwhile, old
// errors go, and a failure lands next to its field or in alertBox.
// Resolves true on success.
export async function submitForm(form, { button, alertBox, busyText, action }) {
  clearErrors(form, alertBox);
  const text = button.textContent;
  button.disabled = true;
  button.textContent = busyText;
  try {
    return (await action()) !== false;
  } catch (error) {
    if (!(error.field && showFieldError(form, error.field, error.message))) {
      alertBox.replaceChildren(errorAlert(error));
    }
    return false;
  } finally {
    button.disabled = false;
    button.textContent = text;
  }
}
