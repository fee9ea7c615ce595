// outbox.js — the grid worker's writes, kept on the phone until the server
// has them. Each write is a record in IndexedDB (store.js) with its own
// Idempotency-Key (crypto.randomUUID), sent in the order made: at once when
// there is a network, else when it returns (the online event), on a timer
// with backoff, and when the app opens. The server runs a key once and
// answers a repeat with the first answer, so a record whose answer was lost
// (signal gone, server killed mid-request) is simply sent again.
//
// A record's state: pending 待同步, synced 已同步, failed 失败 (a 4xx: the
// server's Chinese message, final), conflict 有冲突 (409: the server's
// copy changed since the worker's; the page lets the worker choose). A
// network error, a 5xx or an ended session (401) is retried, never final.
//
// One flusher at a time: navigator.locks across tabs, a promise within one.
import { sendJSON, sendFile } from '../api.js';
import { currentUser } from '../session.js';
import { addRecord, putRecord, putRecords, getRecord, allRecords, deleteRecord } from './store.js';

export const STATE_LABELS = { pending: '待同步', synced: '已同步', failed: '失败', conflict: '有冲突' };
const LOCK = 'jiceng-outbox';
const BACKOFF_MIN = 500;
const BACKOFF_MAX = 60000;
const changes = new EventTarget();
let running = null;
let timer = null;
let again = false; // flush() was called during a round
let wake = null; // the running round's: tries its stopped lanes again, takes new records
let failures = 0; // retryable failures in a row: the backoff's exponent

const me = () => currentUser()?.username ?? null;
const notify = () => changes.dispatchEvent(new Event('change'));

// fn() runs after every change of the outbox; returns a function that stops it.
export function onOutboxChange(fn) {
  changes.addEventListener('change', fn);
  return () => changes.removeEventListener('change', fn);
}

// Keeps a write to send: {kind, label, method, url, body} and optionally
// photos [{blob, name}] (uploaded first, their digests put in body.files or
// then.body.files), then {method, url with {id}, body} (a second request
// made with the first one's answer, e.g. a comment carrying the photos of
// a new item), base (the copy the edit started from, shown on a conflict),
// subject (what it changes, see SUBJECTS; read off the URL when not given).
// Resolves to the record once it is safely stored, and starts a flush.
export async function enqueue(write) {
  const record = {
    key: crypto.randomUUID(), user: me(), state: 'pending', message: '', tries: 0,
    created: new Date().toISOString(), synced: null, answer: null, uploaded: [], thenAnswer: null,
    photos: [], then: null, base: null, theirs: null, ...write,
  };
  record.subject = subjectOf(record);
  record.id = await addRecord(record);
  notify();
  flush(record);
  return record;
}

// The signed-in user's records, oldest first.
export async function outboxRecords() {
  const user = me();
  return (await allRecords()).filter((r) => r.user === user).sort((a, b) => a.id - b.id);
}

// Forgets a record (a synced one, or a failed one the worker gave up);
// the records of its subject held behind it go on.
export async function dropRecord(id) {
  await deleteRecord(id);
  notify();
  flush();
}

// Sends a record again as written, on a new key: after a conflict, on the
// server's current version (base), or after the worker fixed a failed one.
export async function resend(id, changesToBody = {}) {
  const record = await getRecord(id);
  if (!record) return;
  Object.assign(record, {
    key: crypto.randomUUID(), state: 'pending', message: '', theirs: null, tries: 0,
    body: { ...record.body, ...changesToBody },
  });
  await putRecord(record);
  notify();
  flush();
}

// Sends what waits; resolves when this round is over. A call during a
// round joins it: a record just made (made) is added to it; otherwise its
// lanes stopped for the network are tried again and the records made
// since it began (e.g. in another tab) added. And one more round runs
// after it (a record resent meanwhile), unless it ended waiting for the
// network (the backoff timer will).
export function flush(made = null) {
  if (running) {
    again = true;
    wake?.(made);
    return running;
  }
  clearTimeout(timer);
  timer = null;
  again = false;
  const round = () => flushRound();
  running = (navigator.locks ? navigator.locks.request(LOCK, round) : round())
    .catch((error) => console.warn('outbox:', error))
    .finally(() => {
      running = null;
      if (again && !timer) flush();
    });
  return running;
}

function retryLater() {
  failures = Math.min(failures + 1, 16);
  const delay = Math.min(BACKOFF_MAX, BACKOFF_MIN * 2 ** (failures - 1));
  clearTimeout(timer);
  timer = setTimeout(flush, delay * (0.5 + Math.random() / 2));
}

// What a record changes, as a lane name: records of one subject are sent
// one after another in the order made, records of different subjects at
// the same time (up to LANES). Named by the record (subject) or read off
// its URL and body by the first rule that matches; '' (unknown) is one
// lane of its own, in order. A visit belongs to the household it visits
// (with a household edit made there, and the 群众诉求 it raises in the
// same request); a new item is a subject nothing else can name yet.
const LANES = 5;
const SUBJECTS = [
  [/^\/api\/v1\/households\/([^/?]+)/, (m) => `household:${m[1]}`],
  [/^\/api\/v1\/items\/([^/?]+)/, (m) => `item:${m[1]}`],
  [/^\/api\/v1\/events\/([^/?]+)/, (m) => `event:${m[1]}`],
  [/^\/api\/v1\/visits(?:\?(.*))?$/, (m, { body }) => {
    if (body?.household) return `household:${body.household}`;
    if (body?.mentee) return `person:${body.mentee}`;
    return `unit:${body?.target ?? new URLSearchParams(m[1] ?? '').get('unit') ?? ''}`;
  }],
  [/^\/api\/v1\/items(?:\?.*)?$/, (m, { key }) => `new:${key}`],
];

export function subjectOf(record) {
  if (record.subject !== undefined) return record.subject;
  for (const [pattern, name] of SUBJECTS) {
    const m = pattern.exec(record.url ?? '');
    if (m) return name(m, record);
  }
  return '';
}

// The message of a record waiting behind a failed or conflicting one of
// its subject (sending it first would change their order).
const heldBehind = (blocker) => `等「${blocker.label}」处理后再发送（同一对象的记录按先后发送）`;

// One read of the store, then the pending records by lane. The lock makes
// this the only flusher (across tabs too), and only a flusher changes a
// pending record, so the list read at the start stays true: no re-read per
// record. A record waiting behind a failed or conflicting one of its
// subject stays pending until the worker resends or drops that one; a lane
// whose record must be tried again (network, 5xx) stops, the others go on,
// and it is tried again when flush() is called during the round (the
// network is back, a record was made: those join the round too) or after
// the backoff. A record's new state is kept without waiting for it before
// the next record is sent, the states of the records sent meanwhile in one
// transaction (IndexedDB commits a store's transactions in order; should
// the page die first, a record is sent again on the same key and the
// server answers with its first answer), so the sync goes at the server's
// pace, not at the phone storage's.
async function flushRound() {
  const user = me();
  if (!user) return;
  const mine = async () => (await allRecords()).filter((r) => r.user === user).sort((a, b) => a.id - b.id);
  const records = await mine();
  let seen = records.reduce((max, r) => Math.max(max, r.id), 0);
  const saver = stateSaver();
  const round = lanes(LANES, async (record) => {
    let done = false;
    try {
      done = await sendRecord(record, saver.save);
    } catch (error) {
      console.warn('outbox:', error); // not the server's answer (e.g. the phone's storage)
    }
    if (!done) return null;
    failures = 0; // progress: the next failure starts the backoff afresh
    return record.state === 'synced' ? true : record;
  }, (record, blocker) => {
    const message = heldBehind(blocker);
    if (record.message !== message) saver.save(Object.assign(record, { message }));
  });
  // A flush() meanwhile: a record just made, or the stopped lanes again
  // and the records made since the round began; either way later than all
  // the round has, so their order holds.
  wake = (made) => round.join(async () => {
    if (!made) round.retry();
    const added = made ? [made] : (await mine()).filter((r) => r.id > seen);
    round.add(added.filter((r) => r.id > seen));
    seen = added.reduce((max, r) => Math.max(max, r.id), seen);
  });
  round.add(records);
  let stalled = false;
  try {
    stalled = await round.done;
  } finally {
    wake = null;
    await saver.done();
  }
  if (stalled) retryLater();
}

// Sends the records given to add() (each call's oldest first, later than
// the ones before), at most width at once and never two of one subject at
// once, each subject's in order. send(record) resolves to true (go on),
// null (the lane stops, to retry()) or a blocker record: the lane stops,
// its later records pending are held behind it (hold(record, blocker)),
// also those added later. done resolves once nothing is in flight or
// about to be added (join), to whether some lane stopped to be retried.
function lanes(width, send, hold) {
  const queue = []; // {record, subject} to send, oldest first
  let stopped = []; // the same, of lanes stopped to be retried
  const busy = new Set();
  const blockers = new Map(); // subject → its failed or conflicting record
  let joining = 0;
  let over = false; // done has resolved: nothing more is sent
  let finish;
  const done = new Promise((resolve) => { finish = resolve; });
  const byId = (a, b) => a.record.id - b.record.id;
  const stop = (subject, blocker) => {
    for (let i = queue.length - 1; i >= 0; i--) {
      if (queue[i].subject !== subject) continue;
      const [x] = queue.splice(i, 1);
      if (blocker) hold(x.record, blocker);
      else stopped.push(x);
    }
    if (blocker) blockers.set(subject, blocker);
  };
  const pump = () => {
    if (over) return;
    while (busy.size < width) {
      const next = queue.findIndex((x) => !busy.has(x.subject));
      if (next < 0) break;
      const [x] = queue.splice(next, 1);
      busy.add(x.subject);
      send(x.record).then((result) => {
        if (result === null) stopped.push(x);
        if (result !== true) stop(x.subject, result);
        busy.delete(x.subject);
        pump();
      });
    }
    if (!busy.size && !joining) {
      over = true;
      finish(stopped.length > 0);
    }
  };
  return {
    done,
    add(records) {
      const waits = new Set(stopped.map((x) => x.subject));
      for (const record of records) {
        const subject = subjectOf(record);
        if ((record.state === 'failed' || record.state === 'conflict') && !blockers.has(subject)) blockers.set(subject, record);
        else if (record.state !== 'pending') continue;
        else if (blockers.has(subject)) hold(record, blockers.get(subject));
        else (waits.has(subject) ? stopped : queue).push({ record, subject });
      }
      pump();
    },
    retry() {
      queue.push(...stopped);
      queue.sort(byId);
      stopped = [];
    },
    // Runs fn (which may add) with the round kept open until it is over.
    async join(fn) {
      if (over) return;
      joining++;
      try {
        await fn();
      } catch (error) {
        console.warn('outbox:', error);
      } finally {
        joining--;
        pump();
      }
    },
  };
}

// Keeps records' new states: the ones handed over within SAVE_MS go in
// one transaction, one redraw (a transaction and a redraw per record cost
// the phone more than the request); done() writes what waits and resolves
// once all are kept. A record is the live object: kept as it is when
// written.
const SAVE_MS = 100;
function stateSaver() {
  let queue = [];
  let writing = Promise.resolve();
  let timer = null;
  const write = () => {
    clearTimeout(timer);
    timer = null;
    if (queue.length) {
      const batch = queue;
      queue = [];
      writing = writing.then(() => putRecords(batch)).then(notify);
    }
    return writing;
  };
  return {
    save(record) {
      if (!queue.includes(record)) queue.push(record);
      timer ??= setTimeout(write, SAVE_MS);
    },
    done: write,
  };
}

// 409 on the Idempotency-Key: a request with this key was written, its
// answer is not (yet) kept.
const written = (error) => error.status === 409 && error.field === 'Idempotency-Key';
const retryable = (error) => !error.status || error.status >= 500 || [401, 408, 429].includes(error.status);

// Sends one record's requests; true when it reached a final state, false
// when it must be tried again later (the record stays pending). Its new
// state is handed to save (kept by the round).
async function sendRecord(record, keep) {
  const options = (suffix) => ({ auth: false, idempotencyKey: suffix ? `${record.key}.${suffix}` : record.key });
  const save = () => keep(record);
  let last = false; // the request being sent is the record's last one
  try {
    for (let i = record.uploaded.length; i < record.photos.length; i++) {
      const file = await sendFile('/api/v1/files', record.photos[i].blob, options(`p${i}`));
      record.uploaded.push({ sha256: file.sha256, name: record.photos[i].name });
      await putRecord(record);
    }
    const files = record.uploaded.length ? { files: record.uploaded } : {};
    if (!record.answer) {
      const body = record.then ? record.body : { ...record.body, ...files };
      last = !record.then;
      record.answer = (await sendJSON(record.method, record.url, body, options(''))) ?? {};
      if (record.then) await putRecord(record); // kept before the second request
    }
    if (record.then && !record.thenAnswer) {
      const url = record.then.url.replace('{id}', encodeURIComponent(record.answer.id));
      last = true;
      record.thenAnswer = (await sendJSON(record.then.method, url, { ...record.then.body, ...files }, options('then'))) ?? {};
    }
    Object.assign(record, { state: 'synced', synced: new Date().toISOString(), message: '', photos: [] });
  } catch (error) {
    if (error.name !== 'ApiError') throw error;
    record.tries += 1;
    record.message = error.status === 401 ? '登录已过期，请重新登录后同步' : error.message;
    if (last && written(error)) {
      // The server wrote it, its answer was lost with the server (killed
      // between the commit and saving the answer): nothing left to send.
      Object.assign(record, { state: 'synced', synced: new Date().toISOString(), message: '服务器已写入（答复未能保存）', photos: [] });
    } else if (error.status === 409 && error.body?.current) {
      Object.assign(record, { state: 'conflict', theirs: error.body.current });
    } else if (!retryable(error)) {
      record.state = 'failed';
    }
    save();
    return record.state !== 'pending';
  }
  save();
  return true;
}

// Starts the outbox with the app: a flush now, on every return of the
// network and of the page to the screen, and a slow timer as a safety net.
export function startOutbox() {
  addEventListener('online', () => { failures = 0; flush(); });
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') flush(); });
  setInterval(() => { if (!timer) flush(); }, BACKOFF_MAX);
  flush();
}

// One record as stored now (undefined once dropped).
export const outboxRecord = (id) => getRecord(id);
