// scope-field.js — 管辖范围 as a unit code (ui/unit-field.js shows the
// unit's path as the reader types). Empty means the whole country, which
// only a whole-country user may hand out (allowEmpty).
import { unitField } from '../../ui/unit-field.js';

export function scopeField({ value = '', allowEmpty, signal }) {
  return unitField({
    name: 'scope',
    label: '管辖范围',
    value,
    placeholder: '单位代码，如 411121100',
    emptyText: allowEmpty ? '全国' : '',
    hint: allowEmpty ? '填写单位代码，留空表示全国。用户只能查看和管理此单位及其下级单位。'
      : '填写单位代码。用户只能查看和管理此单位及其下级单位。',
    signal,
  });
}

// The scope to send: the code, or null (the whole country) when empty.
export const scopeValue = (form) => form.elements.scope.value.trim() || null;
