// scope-field.js — 管辖范围, chosen by name or down the tree
// (ui/unit-field.js). Empty means the whole country, which only a
// whole-country user may hand out (allowEmpty).
import { unitField } from '../../ui/unit-field.js';

export function scopeField({ value = '', allowEmpty, signal }) {
  return unitField({
    name: 'scope',
    label: '管辖范围',
    value,
    emptyText: allowEmpty ? '全国' : '',
    hint: allowEmpty ? '输入单位名称查找或逐级选择，留空表示全国。用户只能查看和管理此单位及其下级单位。'
      : '输入单位名称查找或逐级选择。用户只能查看和管理此单位及其下级单位。',
    signal,
  });
}

// The scope to send: the code, or null (the whole country) when empty.
export const scopeValue = (form) => form.elements.scope.value.trim() || null;
