// approvals.js — 审核 as the entry grid shows it: the approvals concerning a
// unit's figures for a period (GET /api/v1/approvals: on the unit, above it
// and inside it), which of them locks a row, and the two steps a unit above
// may take (PUT and DELETE /api/v1/approvals/{code}?period=).
import { getJSON, sendJSON, apiUrl } from '../../api.js';
import { formatTime } from '../../labels.js';

// {items, canApprove} for the figures inside `unit`.
export async function fetchApprovals(unit, period, signal) {
  const answer = await getJSON(apiUrl('/api/v1/approvals', { unit, period }), { signal });
  return { items: answer.items, canApprove: answer.can_approve };
}

// The approval that locks unit `code`: the highest on it or above it, or null.
export function lockOf(items, code) {
  return items.filter((a) => code.startsWith(a.unit.code))
    .sort((a, b) => a.unit.code.length - b.unit.code.length)[0] ?? null;
}

// "张三 于 2026-12-03 10:05 审核" (with the unit when it was approved above).
export function approvalText(approval, code) {
  const who = approval.approver_name ?? approval.approved_by;
  const where = approval.unit.code === code ? '' : `随${approval.unit.name}一并`;
  return `已由${who}于 ${formatTime(approval.approved_at).slice(0, 16)} ${where}审核`;
}

export const approve = (code, period, signal) =>
  sendJSON('PUT', apiUrl(`/api/v1/approvals/${encodeURIComponent(code)}`, { period }), undefined, { signal });
export const withdraw = (code, period, signal) =>
  sendJSON('DELETE', apiUrl(`/api/v1/approvals/${encodeURIComponent(code)}`, { period }), undefined, { signal });
