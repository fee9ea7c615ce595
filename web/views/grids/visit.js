// visit.js — 走访 ('#/visit'), made for a phone: pick one of the contact
// links of my unit (the household or village I must visit, with who
// visits), the 方式 (入户 / 电话 / 线上), what was found and the needs
// raised; 转为群众诉求 makes the needs a 群众诉求 case in the same step
// (POST /api/v1/visits with raise). The latest visits follow, each with
// the case it raised. A visit goes through the outbox (offline/outbox.js):
// kept on the phone first, sent now or when the network returns.
import { h } from '../../ui/dom.js';
import { getJSON, apiUrl } from '../../api.js';
import { loading, errorAlert, empty } from '../../ui/notice.js';
import { field, select } from '../../ui/form.js';
import { currentUser } from '../../session.js';
import { enqueue, onOutboxChange, outboxRecord } from '../../offline/outbox.js';

// What the status line says of a visit's record as its state changes.
function followRecord(id, status, form, signal) {
  const show = async () => {
    const r = await outboxRecord(id);
    if (!r || signal.aborted) return stop();
    if (r.state === 'synced') {
      status.textContent = r.answer?.case_id ? `已保存，诉求已转为群众诉求（编号 ${r.answer.case_id}）。` : '已保存。';
      stop();
    } else if (r.state === 'failed') {
      status.textContent = '';
      form.append(errorAlert(new Error(`走访未能保存：${r.message}`)));
      stop();
    } else {
      status.textContent = r.message ? `已存在手机上，待同步（${r.message}）；联网后自动发送。` : '已存在手机上，正在同步…';
    }
  };
  const stop = onOutboxChange(show);
  signal.addEventListener('abort', stop);
  show();
}

const today = () => new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 10);

export async function render(main, { query, signal }) {
  const unit = (query.get('unit') ?? '').trim() || currentUser().scope?.code || '';
  main.append(h('header', { class: 'card page-header' }, h('h1', {}, '走访'),
    h('p', { class: 'muted' }, '记录一次走访；反映的诉求可一步转为群众诉求。')));
  const box = h('section', { class: 'card visit-form' }, loading());
  const recent = h('section', { class: 'card', 'aria-labelledby': 'recent-title' }, h('h2', { id: 'recent-title' }, '最近走访'));
  main.append(box, recent);
  let links, visits;
  try {
    [links, visits] = await Promise.all([
      getJSON(apiUrl('/api/v1/contacts', { unit }), { signal }),
      getJSON(apiUrl('/api/v1/visits', { unit, limit: 20 }), { signal }),
    ]);
  } catch (error) {
    if (!signal.aborted) box.replaceChildren(errorAlert(error));
    return;
  }
  if (signal.aborted) return;
  const targetOf = (l) => (l.household ? l.household.address || '（无门牌）' : l.unit.name);
  const options = links.items.map((l, i) => ({ value: String(i), label: `${targetOf(l)} — ${l.person.name}（${l.duty_name}）` }));
  if (!options.length) {
    box.replaceChildren(empty('这里还没有联系关系，请先建立包联或联户关系。'));
  } else {
    const form = h('form', { class: 'stack' },
      field('走访对象', select('link', options, options[0].value)),
      field('日期', h('input', { type: 'date', name: 'day', class: 'input', value: today(), max: today(), required: true })),
      h('fieldset', { class: 'field', 'data-field': 'method' }, h('legend', {}, '方式'),
        ...visits.methods.map((m, i) => h('label', { class: 'radio' },
          h('input', { type: 'radio', name: 'method', value: m.code, checked: i === 0 }), ` ${m.name}`))),
      field('了解到的情况', h('textarea', { name: 'findings', class: 'input', rows: 3, maxlength: 2000 })),
      field('群众诉求', h('textarea', { name: 'needs', class: 'input', rows: 3, maxlength: 2000 })),
      h('div', { class: 'field' }, h('label', { class: 'checkbox' }, h('input', { type: 'checkbox', name: 'raise' }), ' 转为群众诉求')),
      h('button', { class: 'button primary', type: 'submit' }, '保存走访'));
    const status = h('p', { role: 'status', class: 'muted' });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      form.querySelector('.alert')?.remove();
      const l = links.items[Number(form.elements.link.value)];
      const body = {
        person: l.person.id, day: form.elements.day.value, method: form.elements.method.value,
        findings: form.elements.findings.value, needs: form.elements.needs.value, raise: form.elements.raise.checked,
      };
      if (l.household) body.household = l.household.id;
      else body.target = l.unit.code;
      const record = await enqueue({
        kind: 'visit', label: `走访：${targetOf(l)}（${body.day}）`,
        method: 'POST', url: apiUrl('/api/v1/visits', { unit }), body,
      });
      form.elements.findings.value = '';
      form.elements.needs.value = '';
      form.elements.raise.checked = false;
      followRecord(record.id, status, form, signal);
    });
    box.replaceChildren(form, status);
  }
  recent.append(visits.items.length
    ? h('ul', { class: 'visit-list' }, visits.items.map((v) => h('li', {},
      h('strong', {}, `${v.day} ${v.method_name}`), ` ${v.household ? v.household.address : v.unit.name} — ${v.person.name}`,
      v.findings ? h('p', {}, v.findings) : null,
      v.case_id ? h('p', {}, h('a', { href: `#/items/${v.case_id}` }, `群众诉求：${v.needs}`)) : null)))
    : empty('还没有走访记录。'));
}
