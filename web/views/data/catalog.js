// catalog.js — the data elements and indicators (GET /api/v1/elements,
// /api/v1/indicators), fetched once per page.
import { getJSON } from '../../api.js';

export const loadElements = (signal) => getJSON('/api/v1/elements', { signal }).then((r) => r.items);
export const loadIndicators = (signal) => getJSON('/api/v1/indicators', { signal }).then((r) => r.items);

// May this element be entered at a unit of `level`? (No levels: any.)
export const enteredAt = (element, level) => element.levels.length === 0 || element.levels.includes(level);

// The server's message for a formula without its "formula:1: " prefix
// (the position it names follows: "第 21 个字符处：…").
export const formulaMessage = (message) => message.replace(/^(formula|expr):\d+:\s*/, '');
