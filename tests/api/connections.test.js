// Slow clients cannot take the server from everyone else: a deadline for
// each request's head and body, a limit per client address, and above the
// global limit the connection waiting longest is shed first. Clients are
// told apart by their loopback address (127.0.0.x all reach 127.0.0.1).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { Worker } from 'node:worker_threads';
import { startServer, freshDataDir } from '../lib/server.js';

const dir = freshDataDir(['41']);
const servers = [];
after(() => Promise.all(servers.map((s) => s.stop())));

async function serve(env = {}) {
  const srv = await startServer({ dataDir: dir, env });
  servers.push(srv);
  return srv;
}

// Clients that trickle a request head, a header line every `every` ms,
// never finishing it; each reconnects (after `again` ms) when dropped, as an
// attacker would. They run in a worker thread of their own, so that their
// thousands of sockets do not slow the measuring client's event loop.
// Returns { counts() → {open, closed}, stop() }.
const TRICKLER = `
const net = require('node:net');
const { parentPort, workerData: { host, port, localAddress, count, every, again } } = require('node:worker_threads');
const state = { open: 0, closed: 0 };
let stopped = false;
const sockets = new Set();
function one() {
  if (stopped) return;
  const sock = net.connect({ host, port, localAddress });
  let timer;
  let connected = false;
  sockets.add(sock);
  sock.on('connect', () => {
    if (stopped) return sock.destroy();
    connected = true;
    state.open++;
    sock.write('GET /api/v1/health HTTP/1.1\\r\\nHost: x\\r\\n');
    timer = setInterval(() => sock.write('X-Slow-' + Math.random().toString(36).slice(2) + ': a\\r\\n'), every);
  });
  sock.on('error', () => {});
  sock.on('close', () => {
    clearInterval(timer);
    sockets.delete(sock);
    if (connected) state.open--;
    state.closed++;
    if (!stopped) setTimeout(one, again).unref();
  });
}
for (let i = 0; i < count; i++) one();
parentPort.on('message', (m) => {
  if (m === 'stop') {
    stopped = true;
    for (const s of sockets) s.destroy();
    parentPort.postMessage({ ...state, stopped: true });
    parentPort.close();
  } else {
    parentPort.postMessage(state);
  }
});
`;

function trickler(srv, localAddress, count, { every = 2000, again = 1000 } = {}) {
  const { hostname, port } = new URL(srv.url);
  const worker = new Worker(TRICKLER, {
    eval: true, workerData: { host: hostname, port: Number(port), localAddress, count, every, again },
  });
  const ask = (m) => new Promise((resolve) => {
    worker.once('message', resolve);
    worker.postMessage(m);
  });
  return { counts: () => ask('counts'), stop: () => ask('stop').then(() => worker.terminate()) };
}

// A normal request from 127.0.0.1 on a new connection; its time in ms.
function timedGet(srv, path = '/api/v1/health') {
  const { hostname, port } = new URL(srv.url);
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.get({ host: hostname, port, path, localAddress: '127.0.0.1', agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0 }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, error: e.code || e.message, ms: performance.now() - t0 }));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Normal requests, one every 250 ms for `ms`: every one answered within 1 s.
async function stillAnswering(srv, ms) {
  const results = [];
  for (const end = Date.now() + ms; Date.now() < end; await sleep(250)) results.push(await timedGet(srv));
  const slow = results.filter((r) => r.status !== 200 || r.ms > 1000);
  assert.deepEqual(slow, [], `${slow.length} of ${results.length} normal requests failed or took over 1 s`);
  return results;
}

test('5,000 trickling connections from one address: others are still answered within 1 s', async () => {
  const srv = await serve({ JICENG_MAX_CONNECTIONS_PER_ADDRESS: '64' }); // the default
  const attack = trickler(srv, '127.0.0.2', 5000);
  try {
    await sleep(3000); // every connection attempted, most refused and retrying
    await stillAnswering(srv, 8000);
    // What the server holds (a client counts as open what still waits in the
    // kernel's queues): it refused the address at 64, and says so.
    const refusals = [...srv.stderr.matchAll(/http\.refuse reason=per_address addr=127\.0\.0\.2 open=(\d+)/g)];
    assert.ok(refusals.length > 0, srv.stderr.slice(0, 500));
    assert.ok(refusals.every((m) => Number(m[1]) <= 64), refusals.map((m) => m[0]).join('\n'));
  } finally {
    await attack.stop();
  }
});

test('a request head still unfinished at request_timeout is cut off', async () => {
  const srv = await serve({ JICENG_REQUEST_TIMEOUT: '2' });
  const { hostname, port } = new URL(srv.url);
  const t0 = performance.now();
  const closedAfter = await new Promise((resolve, reject) => {
    const sock = net.connect({ host: hostname, port: Number(port) }, () => sock.write('GET /api/v1/health HTTP/1.1\r\n'));
    const timer = setInterval(() => sock.write('X-Slow: a\r\n'), 300); // well inside the idle timeout
    sock.on('error', () => {});
    sock.on('close', () => {
      clearInterval(timer);
      resolve(performance.now() - t0);
    });
    setTimeout(() => reject(new Error('still open after 8 s')), 8000);
  });
  assert.ok(closedAfter >= 1800 && closedAfter < 4000, `closed after ${closedAfter} ms`);
  // A client that sends its request in time is answered, also on a kept-alive connection.
  const first = await timedGet(srv);
  assert.equal(first.status, 200);
});

test('above max_connections the connection waiting longest is shed first', async () => {
  const srv = await serve({ JICENG_MAX_CONNECTIONS: '200', JICENG_MAX_CONNECTIONS_PER_ADDRESS: '100' });
  const waves = [];
  try {
    // Three addresses, 100 each, one after the other: 300 > 200.
    for (const addr of ['127.0.0.11', '127.0.0.12', '127.0.0.13']) {
      waves.push(trickler(srv, addr, 100, { every: 500, again: 60000 }));
      await sleep(800);
    }
    await sleep(500);
    const [oldest, , newest] = await Promise.all(waves.map((w) => w.counts()));
    assert.ok(oldest.closed >= 90, `oldest wave: ${oldest.closed} of 100 shed`);
    assert.ok(newest.closed <= 10, `newest wave: ${newest.closed} of 100 shed`);
    await stillAnswering(srv, 2000);
  } finally {
    await Promise.all(waves.map((w) => w.stop()));
  }
});
