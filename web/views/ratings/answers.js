// answers.js — the self-assessment (自评) of a unit's page, grouped by star:
// per indicator its kind, maximum, 考评细则 and current score; while the
// rating's state is `editable` (自评中, 退回修改: the cycle's data say which)
// and the reader has ratings:assess, a score
// (人工评分 0…max) or 是/否 (是否), a note and evidence files, and per veto
// 是/否 and a note, all saved by one 保存自评 (PUT …/answers: files are
// uploaded first and sent as {sha256, name}); a refusal naming
// indicators[i].score shows at that indicator's control. Formula
// indicators and vetoes only show what the data give and why.
//
// The reviewer of the current stage — the server's `adjustable`: e.g.
// ratings:review while 待乡镇初审, ratings:approve while 待县级复审 — gets
// 调整 on each answer: a new score or answer and the reason
// (POST …/adjustments).
import { h } from '../../ui/dom.js';
import { sendJSON } from '../../api.js';
import { openDialog } from '../../ui/dialog.js';
import { field, input, submitForm, showFieldError, uniqueId } from '../../ui/form.js';
import { filesField, uploadFiles, fileList } from '../../ui/upload.js';
import { hasPerm } from '../../session.js';
import { kindLabel, scoreText } from './common.js';

const WHY = { full: '满分', partial: '未得满分', unscored: '未评分', unmet: '未达到要求', missing: '数据缺失' };
const whyText = (why) => WHY[why] ?? why ?? '';

// {node, dirty(), save()}: save() resolves true once the answers are saved
// (the page redrawn), false when the form shows why not.
export function answersSection({ rating, scheme, page, signal }) {
  // What the state allows, as the server says (editable, adjustable: the
  // latter already for this reader's permissions).
  const editable = Boolean(rating.rating?.editable) && hasPerm('ratings:assess');
  const adjustable = Boolean(rating.rating?.adjustable);
  const defs = new Map();
  for (const star of scheme.categories) {
    for (const item of [...star.indicators, ...(star.vetoes ?? [])]) defs.set(item.code, item);
  }
  const alertBox = h('div', {});
  const submit = h('button', { type: 'submit', class: 'button primary' }, '保存自评');
  let changed = false;

  const groups = rating.stars.map((star) => {
    const indicators = rating.indicators.filter((i) => i.category === star.code);
    const vetoes = rating.vetoes.filter((v) => v.category === star.code);
    const id = uniqueId('answers-star');
    return h('section', { class: 'answer-star', 'aria-labelledby': id, 'data-star': star.code },
      h('h3', { id }, star.name, h('span', { class: 'muted' }, ` ${scoreText(star.score)} / ${scoreText(star.pass_score)} 分`)),
      h('ol', { class: 'criteria-list' }, indicators.map((ind) => indicatorItem(ind, defs.get(ind.code) ?? {}))),
      vetoes.length ? [
        h('h4', { class: 'veto-title' }, '一票否决'),
        h('ul', { class: 'criteria-list veto-list' }, vetoes.map((veto) => vetoItem(veto, defs.get(veto.code) ?? {}))),
      ] : null);
  });

  const intro = editable
    ? '对照考评细则逐项自评：人工评分项填写得分，是否项选择“是”或“否”，可附说明和佐证照片或 PDF；数据计算项按填报的数据自动得分。填完后保存，再提交自评。'
    : adjustable
      ? '审核时可对单项评分或回答进行调整，须说明调整理由；调整记入创建过程。'
      : '各项指标的得分和自评情况。';
  const form = h('form', { class: 'card answers-form', 'aria-labelledby': 'answers-title', novalidate: true },
    h('h2', { id: 'answers-title', tabindex: '-1' }, editable ? '自评' : '自评情况'),
    h('p', { class: 'muted' }, intro),
    alertBox,
    groups,
    editable ? h('div', { class: 'form-actions answers-actions' }, submit) : null);
  form.addEventListener('input', () => (changed = true));
  form.addEventListener('change', () => (changed = true));

  function indicatorItem(ind, def) {
    const answer = ind.answer;
    const formula = ind.kind === 'formula';
    return h('li', { class: 'criterion answer-item', 'data-code': ind.code, 'data-kind': ind.kind },
      h('div', { class: 'criterion-head' },
        h('span', { class: 'criterion-name' }, ind.name),
        h('span', { class: `tag tag-kind kind-${ind.kind}` }, kindLabel(ind.kind)),
        h('span', { class: 'criterion-score' }, `得分 ${scoreText(ind.score)} / ${scoreText(ind.max)}`),
        ind.why ? h('span', { class: 'muted criterion-why' }, whyText(ind.why)) : null,
        answer?.adjusted ? h('span', { class: 'tag tag-adjusted' }, '已调整') : null),
      def.guide ? h('details', { class: 'criterion-guide-box' }, h('summary', {}, '考评细则'), h('p', { class: 'criterion-guide' }, def.guide)) : null,
      formula ? h('p', { class: 'criterion-formula tech' },
        '按数据计算：', h('code', { class: 'formula' }, def.formula ?? ''),
        h('span', { class: 'muted' }, ` → ${scoreText(ind.score)} 分（${whyText(ind.why)}）`)) : null,
      !formula && editable ? [
        ind.kind === 'assessed'
          ? field(`评分（0–${scoreText(ind.max)} 分）`, input(`score:${ind.code}`, {
            type: 'number', min: 0, max: ind.max, step: 'any', inputmode: 'decimal', value: answer?.score ?? '', class: 'input score-input',
          }))
          : yesNo(`yes:${ind.code}`, '是否达到要求', answer?.yes),
        field('说明', h('textarea', { name: `note:${ind.code}`, class: 'input', rows: 2, maxlength: 2000 }, answer?.note ?? '')),
        filesField('佐证材料（照片或 PDF）', `files:${ind.code}`),
      ] : null,
      !formula && !editable ? answerText(ind.kind, answer) : null,
      fileList(ind.files),
      !formula && adjustable ? adjustButton(ind) : null);
  }

  function vetoItem(veto, def) {
    const formula = veto.kind === 'formula';
    return h('li', { class: `criterion answer-item veto-item${veto.triggered ? ' triggered' : ''}`, 'data-code': veto.code, 'data-kind': veto.kind },
      h('div', { class: 'criterion-head' },
        h('span', { class: 'criterion-name' }, veto.name),
        h('span', { class: `tag tag-kind kind-${veto.kind}` }, kindLabel(veto.kind)),
        h('span', { class: veto.triggered ? 'tag tag-veto' : 'tag tag-pass' }, veto.triggered ? '已触发' : '未触发'),
        veto.answer?.adjusted ? h('span', { class: 'tag tag-adjusted' }, '已调整') : null),
      def.guide ? h('details', { class: 'criterion-guide-box' }, h('summary', {}, '考评细则'), h('p', { class: 'criterion-guide' }, def.guide)) : null,
      formula ? h('p', { class: 'criterion-formula tech' }, '按数据判断：', h('code', { class: 'formula' }, def.formula ?? '')) : null,
      !formula && editable ? [
        yesNo(`veto:${veto.code}`, '是否发生', veto.answer?.yes),
        field('说明', h('textarea', { name: `vnote:${veto.code}`, class: 'input', rows: 2, maxlength: 2000 }, veto.answer?.note ?? '')),
      ] : null,
      !formula && !editable ? answerText('yesno', veto.answer) : null,
      !formula && adjustable ? adjustButton({ ...veto, veto: true }) : null);
  }

  // 调整: a reviewer's new score or answer for one item, with the reason.
  function adjustButton(item) {
    const button = h('button', { type: 'button', class: 'button small', 'data-adjust': item.code }, '调整');
    button.addEventListener('click', () => openDialog({
      title: `调整：${item.name}`,
      intro: '调整后的得分或回答和调整理由记入创建过程。',
      fields: [
        item.kind === 'assessed'
          ? field(`新的评分（0–${scoreText(item.max)} 分）`, input('score', {
            type: 'number', min: 0, max: item.max, step: 'any', inputmode: 'decimal', value: item.answer?.score ?? '',
          }))
          : yesNo('yes', item.veto ? '是否发生' : '是否达到要求', item.answer?.yes),
        field('调整理由', h('textarea', { name: 'reason', class: 'input', rows: 3, maxlength: 2000 })),
      ],
      required: [['reason', '请填写调整理由']],
      submitText: '确认调整',
      busyText: '正在提交…',
      returnFocus: () => document.querySelector(`[data-adjust="${CSS.escape(item.code)}"]`) ?? button,
      signal,
      async onSubmit(dialogForm) {
        const change = { code: item.code, reason: dialogForm.elements.reason.value.trim() };
        if (item.kind === 'assessed') {
          const value = dialogForm.elements.score.value.trim();
          if (value === '') throw Object.assign(new Error('请填写新的评分'), { field: 'score' });
          change.score = Number(value);
        } else {
          const value = dialogForm.elements.yes.value;
          if (value === '') throw Object.assign(new Error('请选择“是”或“否”'), { field: 'yes' });
          change.yes = value === '1';
        }
        // The server names the answer as a whole 'code'.
        const answer = await sendJSON('POST', page.at('/adjustments'), change).catch((error) => {
          if (error.field === 'code') error.field = item.kind === 'assessed' ? 'score' : 'yes';
          throw error;
        });
        if (signal.aborted) return;
        page.show(answer, { message: `已调整：${item.name}`, focus: '#progress-title' });
      },
    }));
    return button;
  }

  // Builds the PUT body; fields maps each entry's position back to its
  // controls (for a refusal naming indicators[i].score).
  async function collect() {
    const el = (name) => form.elements[name];
    const body = { indicators: [], vetoes: [] };
    const fields = { indicators: [], vetoes: [] };
    for (const ind of rating.indicators) {
      if (ind.kind === 'formula') continue;
      const entry = { code: ind.code };
      if (ind.kind === 'assessed') {
        const value = el(`score:${ind.code}`).value.trim();
        if (value !== '') entry.score = Number(value);
      } else {
        const value = el(`yes:${ind.code}`).value;
        if (value !== '') entry.yes = value === '1';
      }
      const note = el(`note:${ind.code}`).value.trim();
      if (note || ind.answer?.note) entry.note = note;
      const picker = el(`files:${ind.code}`);
      if (picker.files.length) entry.files = await uploadFiles(picker, { signal });
      if (Object.keys(entry).length > 1) {
        body.indicators.push(entry);
        fields.indicators.push(ind);
      }
    }
    for (const veto of rating.vetoes) {
      if (veto.kind === 'formula') continue;
      const entry = { code: veto.code };
      const value = el(`veto:${veto.code}`).value;
      if (value !== '') entry.yes = value === '1';
      const note = el(`vnote:${veto.code}`).value.trim();
      if (note || veto.answer?.note) entry.note = note;
      if (Object.keys(entry).length > 1) {
        body.vetoes.push(entry);
        fields.vetoes.push(veto);
      }
    }
    return { body, fields };
  }

  // The control a server's field names: "indicators[2].score",
  // "vetoes[0].yes", "indicators[1].files[0].sha256", "answers[5]" (the
  // indicators sent, then the vetoes) or an item's code.
  function controlName(name, fields) {
    const m = /^(indicators|vetoes|answers)\[(\d+)\](?:\.(\w+))?/.exec(name ?? '');
    const sent = m?.[1] === 'answers' ? [...fields.indicators, ...fields.vetoes] : fields[m?.[1]];
    const item = m ? sent?.[Number(m[2])] : [...rating.indicators, ...rating.vetoes].find((i) => i.code === name);
    if (!item) return null;
    const veto = rating.vetoes.includes(item);
    const part = m?.[3] ?? (item.kind === 'assessed' ? 'score' : 'yes');
    if (veto) return part === 'note' ? `vnote:${item.code}` : `veto:${item.code}`;
    if (part === 'note' || part === 'files') return `${part}:${item.code}`;
    return item.kind === 'assessed' ? `score:${item.code}` : `yes:${item.code}`;
  }

  async function save() {
    return submitForm(form, {
      button: submit,
      alertBox,
      busyText: '正在保存…',
      action: async () => {
        let sent = { indicators: [], vetoes: [] };
        try {
          const { body, fields } = await collect();
          sent = fields;
          const answer = await sendJSON('PUT', page.at('/answers'), body);
          if (signal.aborted) return false;
          changed = false;
          page.show(answer, { message: '已保存自评', focus: '#progress-title' });
          return true;
        } catch (error) {
          const name = error.field?.includes(':') ? error.field : controlName(error.field, sent);
          if (name) error.field = name;
          throw error;
        }
      },
    });
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!submit.disabled) save();
  });
  // A step's refusal naming an item ("请先为“…”自评") shows at its control.
  function showError(error) {
    const name = editable && controlName(error.field, { indicators: [], vetoes: [] });
    return Boolean(name) && showFieldError(form, name, error.message);
  }

  return { node: form, dirty: () => changed, save: () => (editable ? save() : Promise.resolve(true)), showError };
}

// 是 / 否 radios named `name`, inside a fieldset that shows its error.
function yesNo(name, legend, value) {
  const legendId = uniqueId('yes');
  const error = h('p', { class: 'field-error', id: `${legendId}-error`, hidden: true });
  const radio = (v, label) => h('label', {},
    h('input', { type: 'radio', name, value: v, checked: typeof value === 'boolean' && value === (v === '1') }), label);
  return h('fieldset', { class: 'field', 'data-field': name, 'aria-describedby': error.id },
    h('legend', { id: legendId }, legend),
    h('div', { class: 'rating-choices yes-no' }, radio('1', '是'), radio('0', '否')),
    error);
}

// An answer as text, for those who only read it.
function answerText(kind, answer) {
  if (!answer) return h('p', { class: 'muted answer-text' }, '未作答');
  const value = kind === 'assessed'
    ? `自评 ${scoreText(answer.score)} 分`
    : answer.yes === undefined || answer.yes === null ? '未作答' : answer.yes ? '是' : '否';
  return h('p', { class: 'answer-text' }, value, answer.note ? h('span', { class: 'answer-note' }, `说明：${answer.note}`) : null);
}
