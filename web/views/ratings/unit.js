// unit.js — one unit's "五星"支部创建 page ('#/ratings/CODE?scheme=…';
// without a scheme, this year's scheme for the unit's kind), drawn from
// GET /api/v1/ratings/{unit}?scheme= and redrawn from every answer:
//
// - without a rating, 申报目标 (争创几星, POST /api/v1/ratings) for those
//   with ratings:assess;
// - the header (state, target, level as ★, 公示 end, naming date);
// - 创建进度: one button per step of the API's `available` (a dialog when a
//   step needs a note or takes numbers — its `inputs`, e.g. 公示天数 for
//   开始公示 — or is marked `confirm`, e.g. 提交自评 and 命名, whose
//   question it asks first), 生成创建清单 and 摘星;
// - the stars with score / pass score and the reasons one is not won;
// - the self-assessment grouped by star (answers.js), saved in one PUT;
//   reviewers adjust single answers there;
// - 异议 during the notice, the creation checklist and the timeline
//   (extras.js).
import { h } from '../../ui/dom.js';
import { techToggle } from '../../ui/tech.js';
import { getJSON, sendJSON } from '../../api.js';
import { openDialog, confirmDialog } from '../../ui/dialog.js';
import { field, input, inputFields, inputValues, select, submitForm } from '../../ui/form.js';
import { unitField } from '../../ui/unit-field.js';
import { loading, errorAlert } from '../../ui/notice.js';
import { formatTime, pathText } from '../../labels.js';
import { hasPerm } from '../../session.js';
import {
  loadSchemes, schemeFor, levelText, targetText, numeral, starIcons, ratingStateTag, ratingUrl, scoreText,
} from './common.js';
import { answersSection } from './answers.js';
import { objectionsSection, checklistSection, timelineSection } from './extras.js';

export async function renderUnit(main, { params, query, signal, setTitle }) {
  const code = params[0];
  const wanted = query.get('scheme');
  const back = h('p', { class: 'back-link' },
    h('a', { href: `#/ratings${wanted ? `?${new URLSearchParams({ scheme: wanted })}` : ''}` }, '‹ 返回五星创建'));
  const body = h('div', {}, loading());
  main.append(back, body);
  let schemes;
  let unit;
  let rating;
  let scheme;
  try {
    if (!/^\d{2,18}$/.test(code)) throw new Error('单位代码由 2 至 18 位数字组成');
    [schemes, unit] = await Promise.all([loadSchemes(), getJSON(`/api/v1/units/${encodeURIComponent(code)}`, { signal })]);
    scheme = wanted ? schemes.find((s) => s.code === wanted) : schemeFor(schemes, unit.kind);
    if (!scheme) throw new Error(wanted ? `没有代码为 ${wanted} 的创建标准` : '没有适用于此单位的创建标准');
    rating = await getJSON(ratingUrl(code, scheme.code), { signal });
  } catch (error) {
    if (signal.aborted) return;
    body.replaceChildren(errorAlert(error.status === 404 ? new Error('没有这个单位，或它不在您的管辖范围内') : error));
    return;
  }
  if (signal.aborted) return;
  back.querySelector('a').href = `#/ratings?${new URLSearchParams({ scheme: scheme.code })}`;
  const url = ratingUrl(code, scheme.code);
  const status = h('p', { class: 'action-status', role: 'status' });
  const stepAlert = h('div', {});
  let answers = null; // the self-assessment section of the drawing showing

  // Redraws the page from a RATING; message goes to the status line.
  function show(next, { message = '', focus = null } = {}) {
    rating = next;
    setTitle(`${rating.unit?.name ?? unit.name} · 五星创建`);
    status.textContent = message;
    answers = answersSection({ rating, scheme, page, signal });
    body.replaceChildren(...[
      header(rating, scheme, unit),
      rating.rating ? null : declareSection(),
      progressSection(),
      starsSection(rating, scheme),
      answers.node,
      objectionsSection({ rating, page, signal }),
      rating.rating?.checklist_batch ? checklistSection(rating.rating.checklist_batch, signal) : null,
      timelineSection(rating, scheme),
    ].filter(Boolean));
    if (focus) body.querySelector(focus)?.focus();
  }

  // What the page's parts call: redraw from an answer, or read it anew.
  const page = {
    show,
    reload: () => getJSON(url, { signal }),
    at: (rest) => ratingUrl(code, scheme.code, rest), // '/answers' → …/answers?scheme=
  };

  // 申报目标: 争创 1 … N 星.
  function declareSection() {
    if (!hasPerm('ratings:assess')) {
      return h('section', { class: 'card' }, h('p', { class: 'muted' }, '此单位尚未申报本年度的创建目标。'));
    }
    const stars = scheme.categories.length;
    const target = select('target', [{ value: '', label: '请选择' },
      ...[...Array(stars).keys()].map((i) => ({ value: String(i + 1), label: `争创${numeral(i + 1)}星` }))], '');
    const alertBox = h('div', {});
    const submit = h('button', { type: 'submit', class: 'button primary' }, '申报目标');
    const form = h('form', { class: 'card declare-form', 'aria-labelledby': 'declare-title', novalidate: true },
      h('h2', { id: 'declare-title' }, '申报创建目标'),
      h('p', { class: 'muted' }, `对照《${scheme.name}》，确定本年度争创的星级，申报后即可开始自评。`),
      alertBox,
      field('争创星级', target),
      submit);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      await submitForm(form, {
        button: submit,
        alertBox,
        busyText: '正在申报…',
        action: async () => {
          if (!target.value) throw Object.assign(new Error('请选择争创星级'), { field: 'target' });
          const answer = await sendJSON('POST', '/api/v1/ratings', { scheme: scheme.code, unit: code, target: Number(target.value) });
          if (signal.aborted) return false;
          show(answer, { message: `已申报：${targetText(Number(target.value))}`, focus: '#progress-title' });
          return true;
        },
      });
    });
    return form;
  }

  // The steps the reader may take now, and 生成创建清单 / 摘星.
  function progressSection() {
    const r = rating.rating;
    // A step that asks why (a note), such as 退回修改, is the quieter button.
    const buttons = (rating.available ?? []).map((step) => {
      const quiet = (step.needs ?? []).includes('note');
      const button = h('button', { type: 'button', class: quiet ? 'button' : 'button primary', 'data-step': step.code }, step.label);
      button.addEventListener('click', () => takeStep(step, button));
      return button;
    });
    if (r && !r.checklist_batch && !r.final && hasPerm('ratings:assess')) {
      const button = h('button', { type: 'button', class: 'button', 'data-step': 'checklist' }, '生成创建清单');
      button.addEventListener('click', () => makeChecklist(button));
      buttons.push(button);
    }
    const withdrawable = rating.stars.filter((s) => s.won && !s.withdrawn);
    if (rating.named && hasPerm('ratings:approve') && withdrawable.length) {
      const button = h('button', { type: 'button', class: 'button danger', 'data-step': 'withdraw' }, '摘星');
      button.addEventListener('click', () => withdraw(withdrawable, button));
      buttons.push(button);
    }
    return h('section', { class: 'card', 'aria-labelledby': 'progress-title' },
      h('h2', { id: 'progress-title', tabindex: '-1' }, '创建进度'),
      status,
      stepAlert,
      buttons.length
        ? h('div', { class: 'user-actions rating-steps' }, buttons)
        : h('p', { class: 'muted' }, r ? '您现在没有可办理的步骤。' : '申报创建目标后开始自评。'));
  }

  async function post(step, extra) {
    const answer = await sendJSON('POST', page.at('/transitions'), { transition: step.code, ...extra });
    if (signal.aborted) return;
    stepAlert.replaceChildren();
    show(answer, { message: `已${step.label}，当前状态：${answer.rating?.state_label ?? ''}`, focus: '#progress-title' });
  }

  async function takeStep(step, button) {
    stepAlert.replaceChildren();
    status.textContent = '';
    const inputs = step.inputs ?? [];
    const note = (step.needs ?? []).includes('note');
    if (!note && inputs.length === 0 && step.confirm) {
      // 提交自评, 命名: the kind's question first; unsaved answers are
      // saved when the reader confirms.
      confirmDialog({
        title: step.label,
        question: step.confirm,
        submitText: step.label,
        returnFocus: () => body.querySelector('.rating-steps button') ?? button,
        signal,
        // A refusal (an unanswered indicator …) closes the dialog and
        // shows on the page, at the answer it names.
        async onConfirm() {
          if (answers?.dirty() && !(await answers.save())) {
            stepAlert.replaceChildren(errorAlert(new Error('自评未能保存，请按提示修改后再提交')));
            return true;
          }
          try {
            await post(step, {});
          } catch (error) {
            if (signal.aborted) return true;
            stepAlert.replaceChildren(errorAlert(error));
            answers?.showError(error);
          }
          return true;
        },
      });
      return;
    }
    if (!note && inputs.length === 0) {
      button.disabled = true;
      try {
        // A step taken with answers typed but not saved (提交自评) saves
        // them first.
        if (answers?.dirty()) {
          const saved = await answers.save();
          if (!saved) {
            button.disabled = false;
            stepAlert.replaceChildren(errorAlert(new Error('自评未能保存，请按提示修改后再提交')));
            return;
          }
        }
        await post(step, {});
      } catch (error) {
        if (signal.aborted) return;
        button.disabled = false;
        stepAlert.replaceChildren(errorAlert(error));
        answers?.showError(error);
      }
      return;
    }
    // The dialog asks for the step's numbers (its `inputs`) and a note,
    // required when the step needs one.
    const ask = inputs.length ? `请填写${inputs.map((i) => i.label).join('、')}。` : '';
    openDialog({
      title: step.label,
      intro: `${step.confirm ?? ''}${ask}` || null,
      fields: [
        ...inputFields(inputs),
        field(note ? '说明' : '说明（选填）', h('textarea', { name: 'note', class: 'input', rows: 3, maxlength: 2000 })),
      ],
      required: note ? [['note', '请填写说明']] : [],
      submitText: step.label,
      busyText: '正在提交…',
      returnFocus: () => body.querySelector('.rating-steps button') ?? button,
      signal,
      async onSubmit(form) {
        const extra = inputValues(form, inputs);
        const text = form.elements.note.value.trim();
        if (text) extra.note = text;
        await post(step, extra);
      },
    });
  }

  // 生成创建清单: the failing indicators become 问题清单 items of one batch.
  function makeChecklist(button) {
    openDialog({
      title: '生成创建清单',
      intro: '对照考评细则，把尚未达标的指标生成创建工作清单（问题清单），完成一项销号一项。以下各项选填，适用于清单中的全部事项。',
      fields: [
        field('责任人', input('assignee', { maxlength: 64, autocomplete: 'off' })),
        unitField({ name: 'helper_unit', label: '帮扶单位', emptyText: '无（选填）', signal }),
        field('完成期限', input('deadline', { type: 'date' })),
      ],
      submitText: '生成清单',
      busyText: '正在生成…',
      returnFocus: () => body.querySelector('#checklist-title') ?? button,
      signal,
      async onSubmit(form) {
        const body = {};
        for (const name of ['assignee', 'helper_unit', 'deadline']) {
          const value = form.elements[name].value.trim();
          if (value) body[name] = value;
        }
        const answer = await sendJSON('POST', page.at('/checklist'), body);
        const next = await page.reload();
        if (signal.aborted) return;
        show(next, { message: `已生成创建清单，共 ${answer.items?.length ?? 0} 项`, focus: '#checklist-title' });
      },
    });
  }

  // 摘星: a won star of a named rating, with the reason.
  function withdraw(stars, button) {
    openDialog({
      title: '摘星',
      intro: '动态管理：摘除已命名的星，星级随之下降（摘除前置星时降为未评星）。',
      fields: [
        field('摘除的星', select('star', stars.map((s) => ({ value: s.code, label: s.name })), stars[0].code)),
        field('摘星理由', h('textarea', { name: 'reason', class: 'input', rows: 3, maxlength: 2000 })),
      ],
      required: [['reason', '请填写摘星理由']],
      submitText: '摘星',
      busyText: '正在提交…',
      danger: true,
      returnFocus: () => body.querySelector('[data-step="withdraw"]') ?? button,
      signal,
      async onSubmit(form) {
        const star = form.elements.star.value;
        const answer = await sendJSON('POST', page.at('/withdrawals'),
          { star, reason: form.elements.reason.value.trim() });
        if (signal.aborted) return;
        show(answer, { message: `已摘除${stars.find((s) => s.code === star)?.name ?? star}`, focus: '#progress-title' });
      },
    });
  }

  show(rating);
}

function header(rating, scheme, unit) {
  const r = rating.rating;
  const stars = scheme.categories.length;
  const row = (label, value) => (value === null || value === undefined || value === ''
    ? null : [h('dt', {}, label), h('dd', {}, value)]);
  return h('header', { class: 'card page-header rating-header' },
    h('div', { class: 'user-title' },
      h('span', { class: 'tag tag-type' }, '五星创建'),
      ratingStateTag(r),
      r?.target ? h('span', { class: 'tag tag-target' }, targetText(r.target)) : null,
      techToggle()),
    h('h1', { class: 'item-heading' }, rating.unit?.name ?? unit.name),
    unit.path?.length > 1 ? h('p', { class: 'unit-path rating-path' }, pathText(unit.path.slice(0, -1))) : null,
    h('dl', { class: 'item-fields' },
      row('创建标准', h('a', { href: `#/schemes/${encodeURIComponent(scheme.code)}` }, `${scheme.year} 年 · ${scheme.name}`)),
      row('状态', r ? r.state_label : '未申报'),
      row('创建目标', r ? targetText(r.target) : null),
      row(rating.named ? '命名星级' : '当前星级', h('span', { class: 'rating-level' },
        starIcons(rating.level, stars), ` ${levelText(rating.level ?? 0)}`,
        rating.named ? null : h('span', { class: 'muted' }, '（按目前的自评和数据）'))),
      row('公示截止', r?.notice_until ? (r.notice ? `${r.notice_until}（公示中）` : r.notice_until) : null),
      row('命名时间', r?.named_at ? formatTime(r.named_at) : null)));
}

function starsSection(rating, scheme) {
  const prerequisite = scheme.prerequisite;
  return h('section', { class: 'card', 'aria-labelledby': 'stars-title' },
    h('h2', { id: 'stars-title' }, '各星得分'),
    rating.snapshot ? h('p', { class: 'muted snapshot-note' },
      '以下为命名时的自评、数据和得分；命名后修改数据不影响已公布的结果。') : null,
    h('ul', { class: 'star-results' }, rating.stars.map((star) => {
      const passed = star.won && !star.withdrawn;
      return h('li', { class: `star-result${passed ? ' won' : ''}`, 'data-star': star.code },
        h('div', { class: 'star-result-head' },
          h('span', { class: 'star-result-name' }, passed ? '★ ' : '☆ ', star.name),
          star.code === prerequisite ? h('span', { class: 'tag tag-prerequisite' }, '前置星') : null,
          h('span', { class: 'star-score' }, `${scoreText(star.score)} / ${scoreText(star.pass_score)} 分`),
          h('span', { class: 'muted' }, `满分 ${scoreText(star.max_score)}`),
          star.withdrawn ? h('span', { class: 'tag tag-off' }, '已摘星')
            : h('span', { class: passed ? 'tag tag-pass' : 'tag' }, passed ? '已达标' : '未达标')),
        star.withdrawn ? h('p', { class: 'star-withdrawn' },
          `摘星理由：${star.withdrawn.reason ?? ''}`,
          h('span', { class: 'muted' }, `（${[star.withdrawn.by, formatTime(star.withdrawn.at)].filter(Boolean).join('，')}）`)) : null,
        star.reasons?.length ? h('ul', { class: 'star-reasons' }, star.reasons.map((reason) => h('li', { 'data-why': reason.why },
          reason.label ?? reason.why,
          reason.name && reason.name !== star.name ? `：${reason.name}` : ''))) : null);
    })));
}
