// api.js — requests to the JSON API. Failures become an ApiError whose
// message a person can read: the server's own (Chinese) message when it
// sent one, otherwise one written here.
//
// Requests go with the session cookie (same origin); unsafe methods also
// carry the session's CSRF token. Besides JSON, a file can be sent as the
// body (sendFile) and a download fetched as a Blob (getFile). session.js connects itself here, so this
// module knows nothing of users: it asks for the token and reports a 401.
export class ApiError extends Error {
  constructor(message, { status = 0, code = null, field = null, line = null, item = null, body = null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.line = line; // the row of an uploaded file the error is about
    this.item = item; // the 1-based position in a list sent, for batch writes
    this.body = body; // the whole answer, e.g. the violations of a refused value write
  }
}

let session = { csrf: () => null, unauthorized: () => {} };

// session.js tells how to find the CSRF token and what to do when the
// server answers 401 (the session ended: go and sign in).
export function connectSession(hooks) {
  session = hooks;
}

// path plus a query string of the params that are set.
export function apiUrl(path, params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') query.set(name, value);
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

// Sends one request; resolves to the Response when it succeeded (2xx) and
// rejects with an ApiError otherwise. Options: json (sent as JSON), raw (a
// Blob or File sent as it is), signal (an aborted request rejects with the
// AbortError), auth: false for the requests whose 401 is an answer rather
// than an ended session (signing in, asking who is signed in).
async function send(method, url, { json, raw, signal, auth = true, idempotencyKey } = {}) {
  const headers = { Accept: 'application/json' };
  // The outbox (offline/outbox.js) sends each write with its own key: a
  // resend after a lost answer returns the first answer, writing nothing.
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (raw !== undefined) {
    headers['Content-Type'] = raw.type || 'application/octet-stream';
    body = raw;
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = session.csrf();
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body, credentials: 'same-origin', signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('无法连接服务器，请检查网络后重试');
  }
  if (response.ok) return response;
  let answer = null;
  try {
    answer = await response.json();
  } catch {
    // Not JSON (e.g. a proxy's error page): reported below by status.
  }
  const error = answer?.error;
  const failure = new ApiError(error?.message || `服务器返回了错误（HTTP ${response.status}）`, {
    status: response.status,
    code: error?.code,
    field: error?.field,
    line: error?.line,
    item: error?.item,
    body: answer,
  });
  if (response.status === 401 && auth) session.unauthorized();
  // A password someone else set: nothing but 修改密码 until it is changed.
  if (error?.code === 'password_change_required') session.passwordChangeRequired?.();
  throw failure;
}

// One request whose answer is JSON (null for 204).
async function request(method, url, options) {
  const response = await send(method, url, options);
  if (response.status === 204) return null;
  try {
    return await response.json();
  } catch (error) {
    if (options?.signal?.aborted) throw error;
    throw new ApiError(`服务器返回了无法识别的内容（HTTP ${response.status}）`, { status: response.status });
  }
}

export const getJSON = (url, { signal, auth } = {}) => request('GET', url, { signal, auth });

// POST, PATCH, DELETE…: body (omit for none) sent as JSON.
export const sendJSON = (method, url, body, { signal, auth, idempotencyKey } = {}) =>
  request(method, url, { json: body, signal, auth, idempotencyKey });

// POSTs a file (e.g. a ledger) as the request body; resolves to the JSON answer.
export const sendFile = (url, file, { signal, auth, idempotencyKey } = {}) =>
  request('POST', url, { raw: file, signal, auth, idempotencyKey });

// POSTs a file and takes a file back (e.g. a list of users in, their
// one-time passwords out): {blob, filename, headers}.
export async function exchangeFile(url, file, { signal } = {}) {
  const response = await send('POST', url, { raw: file, signal });
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename="([^"]*)"/.exec(disposition);
  return { blob: await response.blob(), filename: match ? match[1] : null, headers: response.headers };
}

// GETs a download: {blob, filename} (filename from Content-Disposition,
// null without one). Failures are ApiErrors like any other request's.
export async function getFile(url, { signal } = {}) {
  const response = await send('GET', url, { signal });
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename="([^"]*)"/.exec(disposition);
  return { blob: await response.blob(), filename: match ? match[1] : null };
}
