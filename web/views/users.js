// users.js — 用户管理 ('#/users?q=…&unit=…'): the accounts inside the
// caller's scope, page by page, searchable by name and filterable by unit;
// 新建用户, and per user 编辑 (name, role, scope, phone), 重置密码,
// 停用/启用 and 访问令牌 (list and revoke; users/tokens.js), 批量导入 from an
// Excel list (one-time passwords come back as a workbook), each in a dialog
// (ui/dialog.js) whose errors show next to the field the server names. Nobody changes their own role or scope or
// disables themselves (the server refuses; the buttons are not offered).
import { h } from '../ui/dom.js';
import { getJSON, sendJSON, apiUrl, getFile, exchangeFile } from '../api.js';
import { saveFile } from '../ui/save-file.js';
import { pagedList } from '../ui/paged-list.js';
import { openDialog } from '../ui/dialog.js';
import { field, input, select } from '../ui/form.js';
import { unitField } from '../ui/unit-field.js';
import { formatTime } from '../labels.js';
import { currentUser } from '../session.js';
import { scopeName } from '../user-box.js';
import { scopeField, scopeValue } from './users/scope-field.js';
import { openTokens } from './users/tokens.js';

const PAGE = 50;
const PASSWORD_HINT = '至少 10 个字符，不能包含登录名，不能是常见密码。';

export function render(main, { query, signal }) {
  const me = currentUser();
  const q = (query.get('q') ?? '').trim();
  const unit = (query.get('unit') ?? '').trim();
  const status = h('p', { class: 'action-status', role: 'status' });
  let roles = null; // the roles the caller may hand out, fetched on first need

  async function loadRoles() {
    roles ??= getJSON('/api/v1/roles', { signal }).then((r) => r.items);
    try {
      return await roles;
    } catch (error) {
      roles = null;
      throw error;
    }
  }

  const userUrl = (user) => `/api/v1/users/${encodeURIComponent(user.username)}`;

  // Redraws a user's row after a change and puts focus back on the button
  // the reader used (found again by its data-action in the new row).
  function replaceItem(li, user, action) {
    const fresh = userItem(user);
    li.replaceWith(fresh);
    return fresh.querySelector(`[data-action="${action}"]`) ?? fresh.querySelector('button');
  }

  function userItem(user) {
    const self = user.username === me.username;
    const li = h('li', { class: 'user-item' });
    let focusAfter = null;
    const action = (name, label, run) => {
      const button = h('button', { type: 'button', class: 'button small', 'data-action': name,
        'aria-label': `${label}：${user.display_name}` }, label);
      button.addEventListener('click', () => run(button));
      return button;
    };
    const done = (updated, name, message) => {
      focusAfter = replaceItem(li, updated, name);
      status.textContent = message;
    };
    const returnFocus = (button) => () => focusAfter ?? button;

    const edit = action('edit', '编辑', async (button) => {
      let assignable;
      try {
        assignable = await loadRoles();
      } catch (error) {
        status.textContent = `无法读取角色列表：${error.message}`;
        return;
      }
      const options = assignable.map((r) => ({ value: r.code, label: r.name }));
      if (!options.some((o) => o.value === user.role)) options.unshift({ value: user.role, label: user.role_name });
      const fields = [
        field('显示名称', input('display_name', { value: user.display_name, maxlength: 32, autocomplete: 'off' })),
      ];
      if (!self) {
        fields.push(
          field('角色', select('role', options, user.role)),
          scopeField({ value: user.scope?.code ?? '', allowEmpty: me.scope === null, signal }));
      }
      fields.push(field('手机号', input('phone', { type: 'tel', autocomplete: 'off', maxlength: 20 }), {
        hint: user.phone ? `当前 ${user.phone}；不修改请留空。` : '选填，11 位手机号。',
      }));
      openDialog({
        title: `编辑用户“${user.display_name}”`,
        fields,
        submitText: '保存',
        busyText: '正在保存…',
        required: [['display_name', '请填写显示名称']],
        returnFocus: returnFocus(button),
        signal,
        async onSubmit(form) {
          const change = {};
          const name = form.elements.display_name.value.trim();
          if (name !== user.display_name) change.display_name = name;
          if (!self) {
            if (form.elements.role.value !== user.role) change.role = form.elements.role.value;
            const scope = scopeValue(form) ?? '';
            if (scope !== (user.scope?.code ?? '')) change.scope = scope;
          }
          const phone = form.elements.phone.value.trim();
          if (phone) change.phone = phone;
          if (Object.keys(change).length === 0) return true;
          const updated = await sendJSON('PATCH', userUrl(user), change);
          done(updated, 'edit', `已保存用户“${updated.display_name}”的修改`);
          return true;
        },
      });
    });

    const reset = action('reset', '重置密码', (button) => {
      openDialog({
        title: `重置“${user.display_name}”的密码`,
        intro: '重置后该用户已登录的会话和全部访问令牌将失效；用新密码登录后须先修改为自己的密码。',
        fields: [field('新密码', input('password', { type: 'password', autocomplete: 'new-password', maxlength: 256 }),
          { hint: PASSWORD_HINT })],
        submitText: '重置密码',
        busyText: '正在重置…',
        required: [['password', '请填写新密码']],
        returnFocus: returnFocus(button),
        signal,
        async onSubmit(form) {
          const updated = await sendJSON('PATCH', userUrl(user), { password: form.elements.password.value });
          done(updated, 'reset', `已重置用户“${updated.display_name}”的密码`);
        },
      });
    });

    const toggle = self ? null : user.disabled
      ? action('enable', '启用', async (button) => {
        button.disabled = true;
        try {
          const updated = await sendJSON('PATCH', userUrl(user), { disabled: false });
          replaceItem(li, updated, 'disable')?.focus();
          status.textContent = `已启用用户“${updated.display_name}”`;
        } catch (error) {
          button.disabled = false;
          status.textContent = `启用失败：${error.message}`;
        }
      })
      : action('disable', '停用', (button) => {
        openDialog({
          title: `停用用户“${user.display_name}”？`,
          intro: '停用后该用户将无法登录，已登录的会话和全部访问令牌立即失效（重新启用后令牌也不会恢复）。',
          fields: [],
          submitText: '停用',
          busyText: '正在停用…',
          danger: true,
          returnFocus: returnFocus(button),
          signal,
          async onSubmit() {
            const updated = await sendJSON('DELETE', userUrl(user));
            done(updated, 'enable', `已停用用户“${updated.display_name}”`);
          },
        });
      });

    const tokens = action('tokens', '访问令牌', (button) =>
      openTokens({ user, url: `${userUrl(user)}/tokens`, returnFocus: returnFocus(button), signal }));

    li.append(
      h('div', { class: 'user-title' },
        h('span', { class: 'user-name' }, user.display_name),
        h('span', { class: 'code' }, user.username),
        h('span', { class: 'tag tag-level' }, user.role_name),
        user.disabled ? h('span', { class: 'tag tag-off' }, '已停用') : null,
        user.must_change_password ? h('span', { class: 'tag' }, '待本人改密码') : null,
        self ? h('span', { class: 'tag' }, '本人') : null),
      h('p', { class: 'user-meta' },
        h('span', {}, `管辖范围：${scopeName(user)}`),
        user.phone ? h('span', {}, `手机：${user.phone}`) : null,
        h('span', {}, user.last_login_at ? `最近登录：${formatTime(user.last_login_at)}` : '从未登录')),
      h('div', { class: 'user-actions' }, edit, reset, toggle, tokens));
    return li;
  }

  function createUser(button) {
    loadRoles().then((assignable) => {
      const first = assignable.at(-1)?.code; // the weakest role is the usual choice
      openDialog({
        title: '新建用户',
        fields: [
          field('登录名', input('username', {
            autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', maxlength: 32,
          }), { hint: '小写字母、数字或 _ . -，以字母或数字开头，至少 3 个字符；创建后不能修改。' }),
          field('显示名称', input('display_name', { autocomplete: 'off', maxlength: 32 }), { hint: '通常为姓名。' }),
          field('初始密码', input('password', { type: 'password', autocomplete: 'new-password', maxlength: 256 }),
            { hint: PASSWORD_HINT }),
          field('角色', select('role', assignable.map((r) => ({ value: r.code, label: r.name })), first)),
          scopeField({ value: me.scope?.code ?? '', allowEmpty: me.scope === null, signal }),
          field('手机号', input('phone', { type: 'tel', autocomplete: 'off', maxlength: 20 }), { hint: '选填，11 位手机号。' }),
        ],
        submitText: '创建',
        busyText: '正在创建…',
        required: [['username', '请填写登录名'], ['display_name', '请填写显示名称'], ['password', '请填写初始密码']]
          .concat(me.scope === null ? [] : [['scope', '请选择管辖范围']]),
        returnFocus: () => button,
        signal,
        async onSubmit(form) {
          const value = (name) => form.elements[name].value.trim();
          const body = {
            username: value('username'),
            display_name: value('display_name'),
            password: form.elements.password.value,
            role: form.elements.role.value,
            scope: scopeValue(form) ?? '',
          };
          if (value('phone')) body.phone = value('phone');
          const created = await sendJSON('POST', '/api/v1/users', body);
          status.textContent = `已创建用户“${created.display_name}”（登录名 ${created.username}）`;
          list.prepend(userItem(created));
          list.hidden = false;
        },
      });
    }, (error) => {
      status.textContent = `无法读取角色列表：${error.message}`;
    });
  }

  const create = h('button', { type: 'button', class: 'button primary' }, '新建用户');
  create.addEventListener('click', () => createUser(create));
  const bulk = h('button', { type: 'button', class: 'button' }, '批量导入');
  bulk.addEventListener('click', () => importUsers(bulk));

  // 批量导入: an XLSX or CSV list, all rows or none; the answer is the
  // workbook of one-time passwords, saved at once (shown nowhere else).
  function importUsers(button) {
    const template = h('button', { type: 'button', class: 'button small' }, '下载导入模板');
    template.addEventListener('click', async () => {
      try {
        const { blob } = await getFile('/api/v1/users/import/template', { signal });
        saveFile(blob, '用户导入模板.xlsx');
      } catch (error) {
        status.textContent = `模板下载失败：${error.message}`;
      }
    });
    openDialog({
      title: '批量导入用户',
      intro: '按模板填写“登录名、姓名、角色、管辖单位、手机（选填）”：角色写中文名称（如 村(社区)书记），'
        + '管辖单位写代码或名称（重名时带上级，如 辛安镇/郝庄村）。有任何一行出错则整个文件都不导入。'
        + '导入后会下载一份一次性密码表，请逐人发放；每人首次登录须改为自己的密码。',
      fields: [
        h('p', {}, template),
        field('用户名单', h('input', { type: 'file', name: 'file', class: 'input', accept: '.xlsx,.csv' }),
          { hint: 'Excel（.xlsx）或 CSV（UTF-8 或 GB18030）' }),
      ],
      submitText: '导入',
      busyText: '正在导入…',
      returnFocus: () => button,
      signal,
      async onSubmit(form) {
        const file = form.elements.file.files[0];
        if (!file) throw Object.assign(new Error('请选择用户名单文件'), { field: 'file' });
        let answer;
        try {
          answer = await exchangeFile(apiUrl('/api/v1/users/import', { name: file.name }), file, { signal });
        } catch (error) {
          // every refused row, each "第 N 行“列”：…", so the list is fixed in one go
          const rows = error.body?.row_errors;
          if (!rows?.length) throw error;
          const more = error.body.row_errors_total > rows.length ? `；另有 ${error.body.row_errors_total - rows.length} 行` : '';
          throw new Error(`${error.body.row_errors_total} 行有错，整个文件未导入：${rows.map((r) => r.message).join('；')}${more}`);
        }
        const { blob, headers } = answer;
        saveFile(blob, '一次性密码.xlsx');
        const n = headers.get('X-Users-Created');
        status.textContent = `已导入 ${n} 个用户；一次性密码表“一次性密码.xlsx”已下载，请妥善保管并逐人发放。`;
      },
    });
  }

  const list = h('ul', { class: 'unit-list user-list' });
  const filtered = q || unit;
  main.append(
    h('header', { class: 'card page-header' },
      h('div', { class: 'section-head' },
        h('h1', {}, '用户管理'),
        h('div', { class: 'page-actions' }, bulk, create)),
      h('p', { class: 'muted' }, `管理“${scopeName(me)}”范围内的账号：新建用户、停用或启用、重置密码、调整角色和管辖范围、吊销访问令牌。`)),
    filterForm({ q, unit, signal }),
    h('section', { class: 'card', 'aria-labelledby': 'list-title' },
      h('div', { class: 'section-head' },
        h('h2', { id: 'list-title' }, filtered ? '符合条件的用户' : '用户列表'),
        filtered ? h('a', { href: '#/users' }, '清除筛选') : null),
      status,
      pagedList({
        fetchPage: (after) => getJSON(apiUrl('/api/v1/users', { q, unit, limit: PAGE, after }), { signal }),
        renderItem: userItem,
        emptyText: filtered ? '没有符合条件的用户。' : '暂无用户。',
        signal,
        list,
      })));
}

// 搜索: name or login name, and the unit whose subtree the users' scopes
// lie in; submitting moves to the address of the results.
function filterForm({ q, unit, signal }) {
  const qInput = input('q', {
    type: 'search', value: q, maxlength: 64, autocomplete: 'off', placeholder: '姓名或登录名',
  });
  const form = h('form', { class: 'card filters', role: 'search', 'aria-label': '筛选用户' },
    field('搜索用户', qInput),
    unitField({ name: 'unit', label: '所属单位', value: unit, emptyText: '全部', signal }),
    h('div', { class: 'filters-submit' }, h('button', { type: 'submit', class: 'button primary' }, '筛选')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    if (qInput.value.trim()) params.set('q', qInput.value.trim());
    if (form.elements.unit.value) params.set('unit', form.elements.unit.value);
    const text = params.toString();
    location.hash = text ? `#/users?${text}` : '#/users';
  });
  return form;
}
