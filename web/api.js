// api.js — requests to the JSON API. Failures become an ApiError whose
// message a person can read: the server's own (Chinese) message when it
// sent one, otherwise one written here.
//
// Requests go with the session cookie (same origin); unsafe methods also
// carry the session's CSRF token. session.js connects itself here, so this
// module knows nothing of users: it asks for the token and reports a 401.
export class ApiError extends Error {
  constructor(message, { status = 0, code = null, field = null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
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

// Sends one request and parses the JSON answer (null for 204). Options:
// body (sent as JSON), signal (an aborted request rejects with the
// AbortError), auth: false for the requests whose 401 is an answer rather
// than an ended session (signing in, asking who is signed in).
async function request(method, url, { body, signal, auth = true } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = session.csrf();
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('无法连接服务器，请检查网络后重试');
  }
  if (response.status === 204) return null;
  let answer = null;
  try {
    answer = await response.json();
  } catch {
    // Not JSON (e.g. a proxy's error page): reported below by status.
  }
  if (response.ok && answer) return answer;
  const error = answer?.error;
  const failure = new ApiError(error?.message || `服务器返回了错误（HTTP ${response.status}）`, {
    status: response.status,
    code: error?.code,
    field: error?.field,
  });
  if (response.status === 401 && auth) session.unauthorized();
  throw failure;
}

export const getJSON = (url, { signal, auth } = {}) => request('GET', url, { signal, auth });

// POST, PATCH, DELETE…: body (omit for none) sent as JSON.
export const sendJSON = (method, url, body, { signal, auth } = {}) =>
  request(method, url, { body, signal, auth });
