// field.js — 网格工作台 ('#/field'), the grid worker's page on a phone, the
// first of their menu: what waits to be sent (the outbox: 待同步 / 已同步 /
// 失败 / 有冲突, with 立即同步), quick reports (安全隐患 with photos, 群众诉求)
// kept offline until sent, the due visits, the households, the open
// requests and hazards of their grid (记录进展) and the village's
// activities (活动签到). Every list comes from the network
// when there is one and from the service worker's copy when not (sw.js).
import { h } from '../../ui/dom.js';
import { getJSON, apiUrl } from '../../api.js';
import { loading, errorAlert, empty } from '../../ui/notice.js';
import { field, input, select } from '../../ui/form.js';
import { currentUser } from '../../session.js';
import { enqueue, flush, onOutboxChange } from '../../offline/outbox.js';
import { shrinkPhoto, PHOTO_INPUT } from '../../offline/photo.js';
import { outboxList } from './outbox-list.js';
import { householdItem } from './household-edit.js';
import { itemItem } from './item-note.js';
import { eventSignIns } from './event-sign-in.js';

const REDRAW_MS = 300;
const card = (title, ...body) => h('section', { class: 'card field-card' }, h('h2', {}, title), ...body);

// A section filled by load(): its own loading line and its own error, so
// one list missing offline does not hide the others.
function lazyCard(title, signal, load) {
  const body = h('div', {}, loading());
  load().then((node) => { if (!signal.aborted) body.replaceChildren(node); },
    (error) => { if (!signal.aborted) body.replaceChildren(errorAlert(error)); });
  return card(title, body);
}

function networkLine() {
  const line = h('p', { class: 'field-network', role: 'status' });
  const show = () => {
    line.textContent = navigator.onLine ? '网络已连接：记录会立即发送。' : '当前离线：记录保存在手机上，联网后自动同步。';
    line.classList.toggle('offline', !navigator.onLine);
  };
  show();
  addEventListener('online', show);
  addEventListener('offline', show);
  return { line, stop: () => { removeEventListener('online', show); removeEventListener('offline', show); } };
}

function reportForm(unit, types) {
  const hazard = types.find((t) => t.code === 'hazard');
  const photos = h('input', { ...PHOTO_INPUT, name: 'photos', class: 'input' });
  const kind = select('type', [{ value: 'hazard', label: '安全隐患' }, { value: 'request', label: '群众诉求' }], 'hazard');
  const categories = hazard?.categories ?? [];
  const form = h('form', { class: 'stack field-report' },
    field('类别', kind),
    field('标题', input('title', { required: true, maxlength: 100 })),
    categories.length ? field('隐患类型', select('category', categories.map((c) => ({ value: c, label: c })), categories[0])) : null,
    field('地点', input('location', { maxlength: 200 })),
    field('情况说明', h('textarea', { name: 'description', class: 'input', rows: 3, maxlength: 2000 })),
    field('现场照片', photos, { hint: '可直接拍照，照片会先在手机上压缩；离线时保存在手机上。' }),
    h('button', { class: 'button primary', type: 'submit' }, '保存'));
  const status = h('p', { role: 'status', class: 'muted' });
  kind.addEventListener('change', () => {
    const isHazard = kind.value === 'hazard';
    for (const name of ['category']) form.elements[name]?.closest('.field')?.toggleAttribute('hidden', !isHazard);
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.querySelector('.alert')?.remove();
    const el = form.elements;
    const type = el.type.value;
    const title = el.title.value.trim();
    if (!title) {
      form.append(errorAlert(new Error('请填写标题')));
      return;
    }
    const body = { type, title, unit, description: el.description.value.trim(), location: el.location.value.trim() };
    if (type === 'hazard' && el.category) body.category = el.category.value;
    let shrunk = [];
    try {
      shrunk = await Promise.all([...photos.files].slice(0, 10).map(async (f, i) => ({
        blob: await shrinkPhoto(f), name: `现场照片${i + 1}.jpg`,
      })));
    } catch (error) {
      form.append(errorAlert(error));
      return;
    }
    await enqueue({
      kind: type, label: `${type === 'hazard' ? '安全隐患' : '群众诉求'}：${title}`,
      method: 'POST', url: '/api/v1/items', body, photos: shrunk,
      then: shrunk.length ? { method: 'POST', url: '/api/v1/items/{id}/comments', body: { note: '现场照片' } } : null,
    });
    form.reset();
    status.textContent = `已保存「${title}」，见上方同步状态。`;
  });
  return h('div', {}, form, status);
}

const dueText = (l) => `${l.household ? l.household.address || '（无门牌）' : l.unit.name} — ${l.person.name}（${l.duty_name}）`;

export async function render(main, { signal }) {
  const me = currentUser();
  const unit = me.scope?.code ?? '';
  const net = networkLine();
  signal.addEventListener('abort', net.stop);
  main.append(h('header', { class: 'card page-header' }, h('h1', {}, '网格工作台'),
    h('p', { class: 'muted' }, `${me.display_name}，${me.scope?.name ?? ''}`), net.line));

  const list = h('div', {}, loading());
  const syncButton = h('button', { class: 'button primary', type: 'button' }, '立即同步');
  syncButton.addEventListener('click', async () => {
    syncButton.disabled = true;
    try {
      await flush();
    } finally {
      syncButton.disabled = false;
    }
  });
  // Redrawn at most every REDRAW_MS: a sync of hundreds of records changes
  // the outbox hundreds of times, and redrawing the whole list each time
  // would cost more than sending.
  let redraw = null;
  const refresh = async () => {
    redraw = null;
    const node = await outboxList();
    if (!signal.aborted) list.replaceChildren(node);
  };
  signal.addEventListener('abort', onOutboxChange(() => { redraw ??= setTimeout(refresh, REDRAW_MS); }));
  signal.addEventListener('abort', () => clearTimeout(redraw));
  refresh();
  main.append(card('同步状态', list, h('div', { class: 'actions' }, syncButton)));

  main.append(lazyCard('上报隐患或诉求', signal, async () =>
    reportForm(unit, (await getJSON('/api/v1/item-types', { signal })).items ?? [])));

  main.append(lazyCard('待走访', signal, async () => {
    const links = await getJSON(apiUrl('/api/v1/contacts', { unit }), { signal });
    const due = links.items.filter((l) => l.state === 'due' || l.state === 'overdue');
    return h('div', {}, due.length
      ? h('ul', { class: 'field-list' }, due.map((l) => h('li', {}, dueText(l),
        l.state === 'overdue' ? h('span', { class: 'tag tag-overdue' }, '已超期') : null)))
      : empty('本期的走访都已完成。'),
    h('a', { class: 'button', href: apiUrl('#/visit', { unit }) }, '记录走访'));
  }));

  main.append(lazyCard('我的户', signal, async () => {
    const homes = await getJSON(apiUrl('/api/v1/households', { unit, limit: 50 }), { signal });
    return homes.items.length
      ? h('ul', { class: 'field-list' }, homes.items.map(householdItem))
      : empty('网格里还没有户。');
  }));

  main.append(lazyCard('诉求和隐患', signal, async () => {
    const [requests, hazards] = await Promise.all(['request', 'hazard'].map((type) =>
      getJSON(apiUrl('/api/v1/items', { unit, type, limit: 20 }), { signal })));
    const open = [...requests.items, ...hazards.items].filter((x) => !x.final);
    return open.length
      ? h('ul', { class: 'field-list' }, open.map(itemItem))
      : empty('没有未办结的诉求和隐患。');
  }));

  main.append(lazyCard('活动签到', signal, () => eventSignIns(unit, signal)));
}
