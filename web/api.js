// api.js — GET requests to the JSON API. Failures become an ApiError whose
// message a person can read: the server's own (Chinese) message when it
// sent one, otherwise one written here.
export class ApiError extends Error {
  constructor(message, { status = 0, code = null, field = null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
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

// Fetches and parses JSON; an aborted request rejects with the AbortError.
export async function getJSON(url, { signal } = {}) {
  let response;
  try {
    response = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('无法连接服务器，请检查网络后重试');
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (e.g. a proxy's error page): reported below by status.
  }
  if (response.ok && body) return body;
  const error = body?.error;
  throw new ApiError(error?.message || `服务器返回了错误（HTTP ${response.status}）`, {
    status: response.status,
    code: error?.code,
    field: error?.field,
  });
}
