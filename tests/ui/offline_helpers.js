// Shared by the offline browser tests and bench/offline.mjs (not a test
// file itself): a village with a grid, a household and a grid worker
// linked to it, and ways to drive the real outbox of a page.
import assert from 'node:assert/strict';
import net from 'node:net';
import { addUser } from '../lib/server.js';

export const TOWN = '411121100';
export const V1 = '411121100201'; // 大杨庄村

// A grid worker of V1 with one household to visit; returns {pw, home, person}.
export async function seedGrid(srv, username = 'wangge') {
  const send = (p, body, method = 'POST') => srv.api(p, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const pw = addUser(srv.dataDir, username, 'grid_worker', V1);
  let r = await send(`/api/v1/grids?unit=${V1}`, { name: '东片网格' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const grid = r.body.code;
  r = await send('/api/v1/households', { unit: grid, address: '东街 8 号' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const home = r.body.id;
  r = await send('/api/v1/persons', { name: '王网格', unit: V1, sex: '女' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const person = r.body.id;
  r = await send(`/api/v1/contacts?unit=${V1}`, { duty: 'grid.household', person, household: home, from: '2025-01-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return { pw, home, person, grid, send };
}

// n more households in the seed's grid (a day's round); resolves to their ids.
export async function addHouseholds(seed, n, street = '南街') {
  const ids = [];
  for (let i = 0; i < n; i++) {
    const r = await seed.send('/api/v1/households', { unit: seed.grid, address: `${street} ${i + 1} 号` });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids.push(r.body.id);
  }
  return ids;
}

// The body of visit #i of a run: to homes[i % homes.length].
export const visitBody = ({ tag, person, homes }, i) =>
  ({ person, household: homes[i % homes.length], day: '2026-01-05', method: 'home', findings: `${tag} #${i}`, needs: '', raise: false });

// Puts n visits into the page's outbox (the module the page itself runs),
// each with findings `${tag} #i`, to home or in turn to each of homes;
// resolves once all are stored.
export function enqueueVisits(page, { n, tag, person, home, homes = [home] }) {
  const bodies = Array.from({ length: n }, (_, i) => visitBody({ tag, person, homes }, i));
  return page.evaluate(async ({ bodies, tag, unit }) => {
    const base = document.querySelector('script[type="module"]').src;
    const { enqueue } = await import(new URL('offline/outbox.js', base).href);
    for (const [i, body] of bodies.entries()) {
      await enqueue({ kind: 'visit', label: `走访 ${tag} #${i}`, method: 'POST', url: `/api/v1/visits?unit=${unit}`, body });
    }
  }, { bodies, tag, unit: V1 });
}

// The page's outbox records' states counted: {pending, synced, failed, conflict}.
export function outboxStates(page) {
  return page.evaluate(async () => {
    const base = document.querySelector('script[type="module"]').src;
    const { outboxRecords } = await import(new URL('offline/outbox.js', base).href);
    const counts = { pending: 0, synced: 0, failed: 0, conflict: 0 };
    for (const r of await outboxRecords()) counts[r.state]++;
    return counts;
  });
}

// Waits until nothing is pending (polling the page's outbox).
export async function waitSynced(page, timeoutMs = 60000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await outboxStates(page);
    if (!s.pending) return s;
    if (Date.now() > until) throw new Error(`outbox still pending: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// How many visits of V1 have findings starting with tag, by text.
export async function visitCounts(srv, tag) {
  const r = await srv.api(`/api/v1/visits?unit=${V1}&limit=500`);
  assert.equal(r.status, 200);
  const counts = new Map();
  for (const v of r.body.items) if (v.findings.startsWith(tag)) counts.set(v.findings, (counts.get(v.findings) ?? 0) + 1);
  return counts;
}

// A free loopback port (for a server restarted on the same address).
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}
