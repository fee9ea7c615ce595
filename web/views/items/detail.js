// detail.js — one work item ('#/items/ID'): its fields, the steps the
// reader may take now (the API's `available`), 转办 (reassignment), its
// timeline with the files attached, and a comment box (a note, files or
// both) for those who handle items. A step that needs a note, evidence, an
// assignee or a rating asks for exactly those in a dialog (evidence: a
// description and/or photos and PDFs); the server checks them and its
// refusal shows at the field it names. A step the kind marks `confirm`
// (销号, 验收, 结案 …) asks its question first.
import { h } from '../../ui/dom.js';
import { getJSON, sendJSON } from '../../api.js';
import { openDialog, confirmDialog } from '../../ui/dialog.js';
import { field, input, inputFields, inputValues, submitForm, uniqueId } from '../../ui/form.js';
import { unitField } from '../../ui/unit-field.js';
import { filesField, uploadFiles } from '../../ui/upload.js';
import { loading, errorAlert } from '../../ui/notice.js';
import { timelineSection } from '../../ui/timeline.js';
import { formatTime } from '../../labels.js';
import { hasPerm } from '../../session.js';
import { loadTypes, priorityLabel, stars, deadlineText, stateTag } from './common.js';

const NEED_LABELS = { note: '说明', evidence: '佐证材料', assignee: '承办人', rating: '评价' };

// A refusal about files[i].… belongs at the file picker.
const atFiles = (error) => (error.field?.startsWith('files') ? Object.assign(error, { field: 'files' }) : error);

export async function renderItem(main, { params, signal, setTitle }) {
  const id = params[0];
  const url = `/api/v1/items/${encodeURIComponent(id)}`;
  const back = h('p', { class: 'back-link' }, h('a', { href: '#/items' }, '‹ 返回台账事项'));
  const body = h('div', {}, loading());
  main.append(back, body);
  let item;
  let types;
  try {
    [item, types] = await Promise.all([getJSON(url, { signal }), loadTypes()]);
  } catch (error) {
    if (signal.aborted) return;
    body.replaceChildren(errorAlert(error.status === 404 ? new Error('没有这个事项，或它不在您的管辖范围内') : error));
    return;
  }
  if (signal.aborted) return;
  const status = h('p', { class: 'action-status', role: 'status' });
  const stepAlert = h('div', {});

  // Redraws the page from the item the server answered with.
  function show(next, focus = null) {
    item = next;
    setTitle(item.title);
    const type = types.find((t) => t.code === item.type);
    const stateLabel = (code) => type?.states.find((s) => s.code === code)?.label ?? null;
    body.replaceChildren(...[
      header(item),
      actions(item),
      timelineSection(item.timeline, { title: '办理过程', stateLabel }),
      hasPerm('items:handle') && !item.final ? commentForm() : null,
    ].filter(Boolean));
    if (focus) body.querySelector(focus)?.focus();
  }

  // After a step or comment: the answer when it carries the steps, else
  // the item read again.
  async function refresh(answer) {
    return answer && Array.isArray(answer.available) && Array.isArray(answer.timeline)
      ? answer : getJSON(url, { signal });
  }

  function actions(current) {
    const steps = current.available ?? [];
    const buttons = steps.map((stepDef) => {
      const button = h('button', { type: 'button', class: 'button', 'data-step': stepDef.code }, stepDef.label);
      button.addEventListener('click', () => takeStep(stepDef, button));
      return button;
    });
    if (hasPerm('items:handle') && !current.final) {
      const button = h('button', { type: 'button', class: 'button', 'data-step': 'reassign' }, '转办');
      button.addEventListener('click', () => reassign(button));
      buttons.push(button);
    }
    return h('section', { class: 'card', 'aria-labelledby': 'steps-title' },
      h('h2', { id: 'steps-title' }, '办理'),
      status,
      stepAlert,
      buttons.length
        ? h('div', { class: 'user-actions item-steps' }, buttons)
        : h('p', { class: 'muted' }, current.final ? '此事项已办结，不能再办理。' : '您现在没有可办理的步骤。'));
  }

  async function post(stepDef, extra) {
    const answer = await sendJSON('POST', `${url}/transitions`, { transition: stepDef.code, ...extra });
    const next = await refresh(answer);
    if (signal.aborted) return;
    stepAlert.replaceChildren();
    status.textContent = `已${stepDef.label}，当前状态：${next.state_label}`;
    show(next, '.item-steps button, #steps-title');
  }

  async function takeStep(stepDef, button) {
    stepAlert.replaceChildren();
    status.textContent = '';
    // The numbers a step accepts are in `inputs` (and named in `needs`).
    const inputs = stepDef.inputs ?? [];
    const needs = (stepDef.needs ?? []).filter((n) => !inputs.some((i) => i.code === n));
    // An irreversible step (销号, 验收 …) asks first: the kind's question.
    if (needs.length === 0 && inputs.length === 0 && stepDef.confirm) {
      confirmDialog({
        title: stepDef.label,
        question: stepDef.confirm,
        submitText: stepDef.label,
        returnFocus: () => body.querySelector('.item-steps button') ?? button,
        signal,
        onConfirm: () => post(stepDef, {}),
      });
      return;
    }
    if (needs.length === 0 && inputs.length === 0) {
      button.disabled = true;
      try {
        await post(stepDef, {});
      } catch (error) {
        if (signal.aborted) return;
        button.disabled = false;
        stepAlert.replaceChildren(errorAlert(error));
      }
      return;
    }
    const ask = `请填写${[...needs.map((n) => NEED_LABELS[n] ?? n), ...inputs.map((i) => i.label)].join('、')}${needs.includes('evidence') ? '（文字说明或上传照片、PDF，至少一项）' : ''}。`;
    openDialog({
      title: stepDef.label,
      intro: stepDef.confirm ? `${stepDef.confirm}${ask}` : ask,
      fields: [
        ...needs.flatMap((need) => (need === 'evidence' ? [needField(need), filesField()] : [needField(need)])),
        ...inputFields(inputs),
      ],
      submitText: stepDef.label,
      busyText: '正在提交…',
      returnFocus: () => body.querySelector('.item-steps button') ?? button,
      signal,
      async onSubmit(form) {
        const extra = inputValues(form, inputs);
        for (const need of needs) {
          const value = need === 'rating' ? form.elements.rating.value : form.elements[need].value.trim();
          if (value !== '') extra[need] = need === 'rating' ? Number(value) : value;
        }
        if (form.elements.files?.files.length) extra.files = await uploadFiles(form.elements.files, { signal });
        try {
          await post(stepDef, extra);
        } catch (error) {
          throw atFiles(error);
        }
      },
    });
  }

  // 转办: another owner unit (items:dispatch), helping unit or person, and why.
  function reassign(button) {
    const dispatch = hasPerm('items:dispatch');
    openDialog({
      title: '转办',
      intro: '改变责任单位、协办单位或承办人，并说明原因；只填写要改变的项。',
      fields: [
        dispatch ? unitField({ name: 'owner_unit', label: '新的责任单位', value: item.owner_unit?.code ?? '', signal }) : null,
        unitField({ name: 'helper_unit', label: '协办单位', value: item.helper_unit?.code ?? '', emptyText: '无', signal }),
        field('承办人', input('assignee', { maxlength: 64, autocomplete: 'off', value: item.assignee ?? '' })),
        field('转办原因', h('textarea', { name: 'note', class: 'input', rows: 3, maxlength: 2000 })),
      ].filter(Boolean),
      required: [['note', '请说明转办原因']],
      submitText: '转办',
      busyText: '正在提交…',
      returnFocus: () => body.querySelector('[data-step="reassign"]') ?? button,
      signal,
      async onSubmit(form) {
        const change = { note: form.elements.note.value.trim() };
        const owner = form.elements.owner_unit?.value.trim();
        if (owner && owner !== item.owner_unit?.code) change.owner_unit = owner;
        const helper = form.elements.helper_unit.value.trim();
        if (helper !== (item.helper_unit?.code ?? '')) change.helper_unit = helper;
        const assignee = form.elements.assignee.value.trim();
        if (assignee !== (item.assignee ?? '')) change.assignee = assignee;
        const answer = await sendJSON('POST', `${url}/reassign`, change);
        const next = await refresh(answer);
        if (signal.aborted) return;
        stepAlert.replaceChildren();
        status.textContent = '已转办';
        show(next, '.item-steps button, #steps-title');
      },
    });
  }

  function commentForm() {
    const alertBox = h('div', {});
    const note = h('textarea', { name: 'note', class: 'input', rows: 2, maxlength: 2000 });
    const submit = h('button', { type: 'submit', class: 'button' }, '添加留言');
    const form = h('form', { class: 'card comment-form', 'aria-labelledby': 'comment-title', novalidate: true },
      h('h2', { id: 'comment-title' }, '留言'),
      alertBox,
      field('进展或说明', note),
      filesField(),
      submit);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      await submitForm(form, {
        button: submit,
        alertBox,
        busyText: '正在提交…',
        action: async () => {
          const picker = form.elements.files;
          if (!note.value.trim() && !picker.files.length) throw Object.assign(new Error('请填写留言或选择附件'), { field: 'note' });
          const comment = { note: note.value.trim() };
          if (picker.files.length) comment.files = await uploadFiles(picker, { signal });
          const answer = await sendJSON('POST', `${url}/comments`, comment).catch((error) => { throw atFiles(error); });
          const next = await refresh(answer);
          if (signal.aborted) return false;
          status.textContent = '已添加留言';
          show(next, '#comment-title');
          return true;
        },
      });
    });
    return form;
  }

  show(item);
}

// A field for one thing a step needs: text for note, evidence and
// assignee, 1–5 stars for rating.
function needField(need) {
  if (need === 'rating') {
    const legendId = uniqueId('rating');
    const error = h('p', { class: 'field-error', id: `${legendId}-error`, hidden: true });
    return h('fieldset', { class: 'field', 'data-field': 'rating', 'aria-describedby': error.id },
      h('legend', { id: legendId }, '评价（星级）'),
      h('div', { class: 'rating-choices' },
        [5, 4, 3, 2, 1].map((n) => h('label', {},
          h('input', { type: 'radio', name: 'rating', value: n }),
          h('span', { class: 'stars', 'aria-hidden': 'true' }, '★'.repeat(n)),
          `${n} 星`))),
      error);
  }
  if (need === 'assignee') return field('承办人', input('assignee', { maxlength: 64, autocomplete: 'off' }));
  const label = NEED_LABELS[need] ?? need;
  const hint = need === 'evidence' ? '如照片、记录的名称或编号' : null;
  return field(label, h('textarea', { name: need, class: 'input', rows: 3, maxlength: 2000 }), { hint });
}

// The visit (走访) a 群众诉求 was raised from: who, when, where, how.
function sourceVisit(v) {
  if (!v) return null;
  const where = v.household ? `${v.unit.name} ${v.household.address}` : v.mentee ? v.mentee.name : v.unit.name;
  return h('a', { href: `#/visit?unit=${encodeURIComponent(v.unit.code)}` },
    `${v.day} ${v.person.name}${v.method_name}走访 ${where}`);
}

function header(item) {
  const row = (label, value) => (value === null || value === undefined || value === ''
    ? null : [h('dt', {}, label), h('dd', {}, value)]);
  const unitName = (u) => (u ? u.name : null);
  return h('header', { class: 'card page-header' },
    h('div', { class: 'user-title' },
      h('span', { class: 'tag tag-type' }, item.type_name ?? item.type),
      stateTag(item),
      item.overdue ? h('span', { class: 'tag tag-overdue' }, '超期') : null,
      item.immediate ? h('span', { class: 'tag' }, '立行立改') : null),
    h('h1', { class: 'item-heading' }, item.title),
    h('dl', { class: 'item-fields' },
      row('编号', String(item.id)),
      // A weekly dispatch (周交办) batch: its progress page needs items:dispatch.
      row('交办批次', item.batch && item.type === 'dispatch' && hasPerm('items:dispatch')
        ? h('a', { href: `#/dispatch/${item.batch}` }, '同批交办') : null),
      row('状态', item.state_label),
      row('所在单位', unitName(item.unit)),
      row('责任单位', unitName(item.owner_unit)),
      row('协办单位', unitName(item.helper_unit)),
      row('承办人', item.assignee),
      row('类别', item.category),
      row('优先级', priorityLabel(item.priority)),
      row('期限', deadlineText(item, '')),
      row('地点', item.location),
      row('来源走访', sourceVisit(item.source_visit)),
      row('双随机抽查', item.source_check
        ? `${item.source_check.item} · 检查对象 ${item.source_check.target} · 检查期限 ${item.source_check.deadline}${item.source_check.publish_by ? ` · 公示期限 ${item.source_check.publish_by}` : ''}`
        : null),
      row('立行立改', item.immediate ? '是' : '否'),
      row('整改措施', item.measures),
      row('描述', item.description),
      row('评价', stars(item.rating)),
      row('提交人', item.created_by_name ?? item.created_by),
      row('创建时间', formatTime(item.created_at)),
      row('办结时间', formatTime(item.closed_at))));
}
