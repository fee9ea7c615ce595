// health-forms.js — the write forms of 健康服务 (views/health.js), each a
// dialog: register or edit a facility with its coordinates (WGS-84 from a
// GPS or GCJ-02 from a Chinese web map, the server converts), locate a village,
// create a family-doctor team with its lead doctor, sign a resident and
// stop a contract with a reason from the standard list. Residents and
// doctors are picked by name within a unit; people see names, never codes.
import { h } from '../ui/dom.js';
import { getJSON, sendJSON, apiUrl } from '../api.js';
import { field, input, select } from '../ui/form.js';
import { openDialog } from '../ui/dialog.js';
import { unitField } from '../ui/unit-field.js';

const CRS = [{ value: 'wgs84', label: 'WGS-84（手机定位、GPS）' }, { value: 'gcj02', label: 'GCJ-02（高德、腾讯等国内网络地图）' }];
const num = (form, name) => {
  const text = form.elements[name].value.trim();
  return text === '' ? undefined : Number(text);
};
const coordFields = (at = {}) => [
  field('坐标系', select('crs', CRS, 'wgs84'), { hint: '从网络地图上取的坐标选 GCJ-02，会自动换算' }),
  field('纬度', input('lat', { inputmode: 'decimal', placeholder: '如 33.4370', value: at.lat ?? '' }), { hint: '中国境内：0.83～55.83' }),
  field('经度', input('lng', { inputmode: 'decimal', placeholder: '如 113.6100', value: at.lng ?? '' }), { hint: '中国境内：72.00～137.83' }),
];

let settingsCache = null;
export const healthSettings = ({ signal } = {}) => {
  settingsCache ||= getJSON('/api/v1/health/settings', { signal }).catch((e) => {
    settingsCache = null;
    throw e;
  });
  return settingsCache;
};
const options = (list) => list.map((x) => ({ value: x.code, label: x.name }));

// A person chosen by name: the unit, then a name filter over its persons.
function personPicker({ name, label, unit, signal }) {
  const choice = select(name, [{ value: '', label: '请先选择单位' }], '');
  const filter = input(`${name}_q`, { placeholder: '输入姓名筛选', autocomplete: 'off' });
  let people = [];
  const fill = () => {
    const q = filter.value.trim();
    const shown = people.filter((p) => !q || p.name.includes(q)).slice(0, 200);
    choice.replaceChildren(...(shown.length ? shown : [null]).map((p) => (p
      ? h('option', { value: String(p.id) }, p.birth_date ? `${p.name}（${p.birth_date.slice(0, 4)} 年生）` : p.name)
      : h('option', { value: '' }, people.length ? '没有这个姓名的人' : '该单位还没有人员'))));
  };
  const load = async (code) => {
    people = [];
    if (code) {
      let after = null;
      do {
        const page = await getJSON(apiUrl('/api/v1/persons', { unit: code, limit: 200, ...(after ? { after } : {}) }), { signal });
        people.push(...page.items);
        after = page.next ?? null;
      } while (after && people.length < 5000);
    }
    fill();
  };
  filter.addEventListener('input', fill);
  const where = unitField({ name: `${name}_unit`, label: `${label}所在单位`, value: unit, signal, onChange: (u) => load(u?.code ?? '') });
  if (unit) load(unit).catch(() => {});
  return [where, field(`${label}姓名`, filter), field(label, choice)];
}

export function facilityDialog({ unit, returnFocus, signal, done }) {
  healthSettings({ signal }).then((s) => openDialog({
    title: '登记医疗卫生机构',
    fields: [
      unitField({ name: 'unit', label: '所属单位', value: unit, signal }),
      field('机构类型', select('type', options(s.facility_types), s.facility_types[0]?.code)),
      field('机构名称', input('name', { maxlength: 200, placeholder: '如 姜店乡卫生院' })),
      ...coordFields(),
    ],
    required: [['unit', '请选择所属单位'], ['name', '请填写机构名称']],
    submitText: '登记',
    busyText: '正在登记…',
    returnFocus,
    signal,
    onSubmit: async (form) => {
      const lat = num(form, 'lat');
      const lng = num(form, 'lng');
      await sendJSON('POST', '/api/v1/health/facilities', {
        unit: form.elements.unit.value, type: form.elements.type.value, name: form.elements.name.value.trim(),
        ...(lat !== undefined ? { lat } : {}), ...(lng !== undefined ? { lng } : {}), crs: form.elements.crs.value,
      });
      done();
    },
  }));
}

// Edits a facility's name, type and coordinates (shown as stored, WGS-84);
// only what changed is sent.
export function facilityEditDialog({ facility: f, returnFocus, signal, done }) {
  const fixed = (x) => (x === null || x === undefined ? '' : x.toFixed(6));
  healthSettings({ signal }).then((s) => openDialog({
    title: `编辑机构：${f.name}`,
    fields: [
      field('机构类型', select('type', options(s.facility_types), f.type)),
      field('机构名称', input('name', { maxlength: 200, value: f.name })),
      ...coordFields({ lat: fixed(f.lat), lng: fixed(f.lng) }),
    ],
    required: [['name', '请填写机构名称']],
    submitText: '保存',
    busyText: '正在保存…',
    returnFocus,
    signal,
    onSubmit: async (form) => {
      const body = {};
      const name = form.elements.name.value.trim();
      if (name !== f.name) body.name = name;
      if (form.elements.type.value !== f.type) body.type = form.elements.type.value;
      const lat = num(form, 'lat');
      const lng = num(form, 'lng');
      const crs = form.elements.crs.value;
      if ((lat !== undefined || lng !== undefined)
        && (crs !== 'wgs84' || form.elements.lat.value.trim() !== fixed(f.lat) || form.elements.lng.value.trim() !== fixed(f.lng))) {
        Object.assign(body, { ...(lat !== undefined ? { lat } : {}), ...(lng !== undefined ? { lng } : {}), crs });
      }
      await sendJSON('PATCH', `/api/v1/health/facilities/${encodeURIComponent(f.id)}`, body);
      done();
    },
  }));
}

export function pointDialog({ unit, returnFocus, signal, done }) {
  openDialog({
    title: '填写村（社区）坐标',
    intro: '用于估算到最近医疗卫生机构的时间（30分钟健康服务圈）。',
    fields: [unitField({ name: 'unit', label: '村（社区）', value: unit, signal, levels: ['village'] }), ...coordFields()],
    required: [['unit', '请选择村（社区）'], ['lat', '请填写纬度'], ['lng', '请填写经度']],
    submitText: '保存',
    busyText: '正在保存…',
    returnFocus,
    signal,
    onSubmit: async (form) => {
      await sendJSON('PUT', '/api/v1/health/points', {
        unit: form.elements.unit.value, lat: num(form, 'lat'), lng: num(form, 'lng'), crs: form.elements.crs.value,
      });
      done();
    },
  });
}

export function teamDialog({ unit, facilities, returnFocus, signal, done }) {
  openDialog({
    title: '新建家庭医生团队',
    fields: [
      field('所属机构', select('facility', facilities.map((f) => ({ value: String(f.id), label: f.name })), String(facilities[0]?.id ?? ''))),
      field('团队名称', input('name', { maxlength: 200, placeholder: '如 家庭医生第一团队' })),
      ...personPicker({ name: 'leader', label: '团队负责人（医生）', unit, signal }),
    ],
    required: [['facility', '请选择所属机构'], ['name', '请填写团队名称']],
    submitText: '新建',
    busyText: '正在新建…',
    returnFocus,
    signal,
    onSubmit: async (form) => {
      const leader = form.elements.leader.value;
      await sendJSON('POST', '/api/v1/health/teams', {
        facility: Number(form.elements.facility.value), name: form.elements.name.value.trim(),
        ...(leader ? { leader: Number(leader) } : {}),
      });
      done();
    },
  });
}

export function contractDialog({ unit, teams, returnFocus, signal, done }) {
  healthSettings({ signal }).then((s) => openDialog({
    title: '家庭医生签约',
    intro: `签约周期至少 ${s.contract_min_days} 天（原则上一年一签）；同一居民同一时间只能有一份签约。`,
    fields: [
      ...personPicker({ name: 'person', label: '居民', unit, signal }),
      field('签约团队', select('team', teams.map((t) => ({ value: String(t.id), label: `${t.name}（${t.facility_name}）` })), String(teams[0]?.id ?? ''))),
      field('服务包', select('package', options(s.packages), s.packages[0]?.code)),
      field('开始日期', input('start_date', { type: 'date', value: new Date().toISOString().slice(0, 10) }), { hint: '结束日期默认为一年后' }),
    ],
    required: [['person', '请选择居民'], ['team', '请选择签约团队'], ['start_date', '请填写开始日期']],
    submitText: '签约',
    busyText: '正在签约…',
    returnFocus,
    signal,
    onSubmit: async (form) => {
      await sendJSON('POST', `/api/v1/persons/${encodeURIComponent(form.elements.person.value)}/health/contracts`, {
        team: Number(form.elements.team.value), package: form.elements.package.value, start_date: form.elements.start_date.value,
      });
      done();
    },
  }));
}

export function stopDialog({ contract, returnFocus, signal, done }) {
  healthSettings({ signal }).then((s) => openDialog({
    title: `解约：${contract.person_name}`,
    intro: `${contract.team_name}，${contract.start_date} 至 ${contract.end_date}`,
    fields: [
      field('解约原因', select('reason', options(s.stop_reasons), s.stop_reasons[0]?.code)),
      field('解约日期', input('day', { type: 'date', value: new Date().toISOString().slice(0, 10) })),
    ],
    required: [['reason', '请选择解约原因']],
    submitText: '解约',
    busyText: '正在解约…',
    danger: true,
    returnFocus,
    signal,
    onSubmit: async (form) => {
      await sendJSON('POST', `/api/v1/persons/${encodeURIComponent(contract.person)}/health/stop`, {
        reason: form.elements.reason.value, day: form.elements.day.value,
      });
      done();
    },
  }));
}
