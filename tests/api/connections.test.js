// Slow clients cannot take the server from everyone else: a deadline for
// each request's head and body, a limit per client address, and above the
// global limit the connection waiting longest is shed first. Clients are
// told apart by their loopback address (127.0.0.x all reach 127.0.0.1).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { startServer, freshDataDir } from '../lib/server.js';

const dir = freshDataDir(['41']);
const servers = [];
after(() => Promise.all(servers.map((s) => s.stop())));

async function serve(env = {}) {
  const srv = await startServer({ dataDir: dir, env });
  servers.push(srv);
  return srv;
}

// A client that trickles a request head, a header line every `every` ms,
// never finishing it; reconnects (after `again` ms) when dropped, as an
// attacker would. Returns a handle with counts and stop().
function trickler(srv, localAddress, count, { every = 2000, again = 1000 } = {}) {
  const { hostname, port } = new URL(srv.url);
  const state = { open: 0, opened: 0, closed: 0, stopped: false, sockets: new Set() };
  function one(i) {
    if (state.stopped) return;
    const sock = net.connect({ host: hostname, port: Number(port), localAddress });
    let timer;
    let connected = false;
    state.sockets.add(sock);
    sock.on('connect', () => {
      if (state.stopped) return sock.destroy();
      connected = true;
      state.open++;
      state.opened++;
      sock.write('GET /api/v1/health HTTP/1.1\r\nHost: x\r\n');
      timer = setInterval(() => sock.write(`X-Slow-${Math.random().toString(36).slice(2)}: a\r\n`), every);
    });
    sock.on('error', () => {});
    sock.on('close', () => {
      clearInterval(timer);
      state.sockets.delete(sock);
      if (connected) state.open--;
      state.closed++;
      if (!state.stopped) setTimeout(() => one(i), again).unref();
    });
  }
  for (let i = 0; i < count; i++) one(i);
  state.stop = () => {
    state.stopped = true;
    for (const s of state.sockets) s.destroy();
  };
  return state;
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
    assert.ok(attack.open <= 64, `${attack.open} connections from one address held open`);
  } finally {
    attack.stop();
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
    assert.ok(waves[0].closed >= 90, `oldest wave: ${waves[0].closed} of 100 shed`);
    assert.ok(waves[2].closed <= 10, `newest wave: ${waves[2].closed} of 100 shed`);
    await stillAnswering(srv, 2000);
  } finally {
    for (const w of waves) w.stop();
  }
});
