// status.js — the footer line: server version and how many units are loaded.
import { getJSON } from './api.js';
import { formatCount } from './labels.js';

export async function showStatus(element) {
  try {
    const health = await getJSON('/api/v1/health');
    element.textContent = `jiceng ${health.version} · 已载入 ${formatCount(health.units)} 个单位`;
  } catch (error) {
    element.textContent = error.message;
  }
}
